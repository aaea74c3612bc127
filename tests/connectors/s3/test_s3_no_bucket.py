"""``s3://`` that lists no bucket (a wrong region's partition, an empty or wrong account, a
mistyped endpoint that still speaks S3) is a source error naming the endpoint and the region,
as an empty directory and an empty bucket are: never a clean audit that passes a CI gate."""

from __future__ import annotations

import pytest
from s3_server import make_bucket

from pia.cli import main
from pia.errors import SourceError


def test_an_account_with_no_bucket_is_a_source_error(s3, scan, moto_endpoint) -> None:
    with pytest.raises(SourceError) as err:
        scan("s3://")
    assert str(err.value) == f"s3://: no bucket visible at {moto_endpoint} (region us-east-1)"


def test_buckets_of_another_partition_are_not_seen_and_the_region_is_named(
        s3, scan, moto_endpoint, monkeypatch) -> None:
    """A global account's bucket listed from cn-north-1 (moto's aws-cn partition, as AWS)."""
    make_bucket(s3, "app-logs", "us-east-1")
    s3.put_object(Bucket="app-logs", Key="a.log", Body=b"hello\n")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "cn-north-1")
    with pytest.raises(SourceError) as err:
        scan("s3://")
    assert str(err.value) == f"s3://: no bucket visible at {moto_endpoint} (region cn-north-1)"


def test_no_bucket_exits_2_with_one_line_and_writes_no_report(s3, moto_endpoint, tmp_path,
                                                            monkeypatch, capsys) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    report = tmp_path / "report.json"
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "s3://", "--endpoint-url", moto_endpoint, "--executor", "serial", "-q",
              "-o", str(report)])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == (
        f"pia: error: s3://: no bucket visible at {moto_endpoint} (region us-east-1)\n")
    assert not report.exists()
