"""What was not read is said, over HTTP: a bucket whose selected objects were all refused
fails its source (exit 2, the partial report written, ``complete: false``) instead of passing
as a bucket without PI, and every format counts the objects read, not those selected, also
after an interrupted scan."""

from __future__ import annotations

import json

import pytest
from s3_server import make_bucket

from pia.cli import main
from pia.connectors.base import ScanOptions
from pia.connectors.s3 import S3Connector
from pia.connectors.s3.connector import NothingRead
from pia.executors.core import _partial_result
from pia.reports.view import coverage
from pia.sample.synth import Synth


def _bucket(s3, name: str, count: int) -> None:
    make_bucket(s3, name)
    syn = Synth(5)
    for i in range(count):
        s3.put_object(Bucket=name, Key=f"exports/u{i:02d}.csv",
                      Body=f"手机号\n{syn.mobile()}\n".encode())


def _report(result) -> dict:
    return {"facts": result.facts, "skipped": result.skipped}


def test_a_bucket_of_refused_objects_is_a_source_error(s3, scan, proxy) -> None:
    _bucket(s3, "shut-objects", 2)
    _bucket(s3, "shut-object", 1)
    proxy.add(r"^GET /shut-objects?/exports/", 403, "AccessDenied")
    with pytest.raises(NothingRead) as one:
        scan("s3://shut-object", endpoint=proxy.endpoint)
    assert str(one.value) == ("s3://shut-object: the one object selected could not be read "
                              "(access denied)")
    with pytest.raises(NothingRead) as err:
        scan("s3://shut-objects", endpoint=proxy.endpoint)
    assert str(err.value) == ("s3://shut-objects: none of the 2 objects selected could be "
                              "read (access denied)")
    kept = err.value.result  # the posture and what was skipped stay in the report
    assert [f["kind"] for f in kept.facts] == ["bucket"]
    assert [s["reason"] for s in kept.skipped] == ["access denied", "access denied"]
    assert coverage(_report(kept), "en") == [
        "shut-objects: 0 of 2 objects read (2 selected, 2 not read: 2 access denied)"]
    assert coverage(_report(kept), "zh") == [
        "shut-objects：读取 0 个，共 2 个对象（选取 2 个，2 个未读取：2 个拒绝访问）"]


def test_one_refused_object_is_counted_not_read(s3, scan, proxy) -> None:
    _bucket(s3, "half-shut", 2)
    proxy.add(r"^GET /half-shut/exports/u01", 403, "AccessDenied")
    result = scan("s3://half-shut", endpoint=proxy.endpoint)
    assert [i["location"]["key"] for i in result.inventory] == ["exports/u00.csv"]
    assert coverage(_report(result), "en") == [
        "half-shut: 1 of 2 objects read (2 selected, 1 not read: 1 access denied)"]


def test_all_read_says_so_as_before(s3, scan) -> None:
    _bucket(s3, "all-open", 3)
    assert coverage(_report(scan("s3://all-open")), "en") == ["all-open: 3 of 3 objects read"]


def test_an_interrupted_scan_counts_what_it_read(s3, ctx, moto_endpoint) -> None:
    """Two partitions (32 objects each at most), one scanned: the report says how many were
    read, and does not fail the source over what was never tried."""
    _bucket(s3, "cut-short", 40)
    connector = S3Connector()
    options = ScanOptions(extra={"endpoint_url": moto_endpoint, "provider": "aws"})
    plan = connector.plan("s3://cut-short", options, ctx)
    assert [len(p.spec["objects"]) for p in plan.partitions] == [32, 8]
    first = plan.partitions[0]
    partials = {first.key: json.loads(json.dumps(connector.scan_partition(first, options, ctx)))}
    result = _partial_result(connector, plan, partials, options, ctx)
    assert coverage(_report(result), "en") == [
        "cut-short: 32 of 40 objects read (40 selected, 8 not read: 8 failed or not scanned)"]
    # QA s3dask13 F1: the partition read like one object alone
    second = plan.partitions[1]
    assert [s["reason"] for s in result.skipped if "not scanned" in s["reason"]] == [
        f"partition {second.key} and 7 more objects not scanned (interrupted)"]


def test_an_interrupted_partition_is_located_by_its_key(s3, ctx, moto_endpoint,
                                                        monkeypatch) -> None:
    """QA 10: an interrupted partition was skipped at {bucket} alone, its key only in the
    reason; a local file's names its path. One object a partition, then three."""
    from pia.connectors.s3 import connector as s3_connector

    _bucket(s3, "cut-keys", 4)
    connector = S3Connector()
    options = ScanOptions(extra={"endpoint_url": moto_endpoint, "provider": "aws"})
    for batch, expected in ((1, [("exports/u01.csv", ""), ("exports/u02.csv", ""),
                                 ("exports/u03.csv", "")]),
                            (3, [("exports/u03.csv", "")]), (2, [("exports/u02.csv",
                                                                  " and 1 more object")])):
        monkeypatch.setattr(s3_connector, "BATCH_OBJECTS", batch)
        plan = connector.plan("s3://cut-keys", options, ctx)
        first = plan.partitions[0]
        partials = {first.key: connector.scan_partition(first, options, ctx)}
        result = _partial_result(connector, plan, partials, options, ctx)
        unscanned = [s for s in result.skipped if "not scanned" in s["reason"]]
        assert [(s["location"], s["reason"]) for s in unscanned] == [
            ({"bucket": "cut-keys", "key": key},
             f"partition s3://cut-keys/{key}{more} not scanned (interrupted)")
            for key, more in expected]


def test_tens_of_mib_are_several_partitions(monkeypatch) -> None:
    """QA s3dask13 F1: 64 MiB a partition made a 44 MB bucket of 16 objects one partition:
    no worker shared it, and a Ctrl-C after 12 s of 45 kept nothing."""
    from pia.connectors.s3 import connector as s3_connector

    objects = [{"key": f"d0/part-{i:02d}.log", "size": 2_750_000} for i in range(16)]
    batches = s3_connector._batches(objects, None)
    assert len(batches) == 6 and [len(b) for b in batches] == [3, 3, 3, 3, 3, 1]
    assert all(sum(o["size"] for o in b) <= s3_connector.BATCH_BYTES for b in batches)
    # a byte limit per object counts what will be read, not the objects' sizes
    assert [len(b) for b in s3_connector._batches(objects, 1 << 20)] == [8, 8]


def test_the_cli_exits_2_and_writes_the_partial_report(s3, proxy, tmp_path, monkeypatch,
                                                        capsys) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    _bucket(s3, "cli-shut", 2)
    make_bucket(s3, "cli-empty")  # nothing of PI in it: its posture is all there is to read
    s3.put_object(Bucket="cli-empty", Key="readme.txt", Body=b"nothing here\n")
    proxy.add(r"^GET /cli-shut/exports/", 403, "AccessDenied")
    out, md = tmp_path / "r.json", tmp_path / "r.md"
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "s3://cli-shut", "s3://cli-empty", "--endpoint-url", proxy.endpoint,
              "--executor", "serial", "--lang", "en", "-q", "-o", str(out), "-o", str(md)])
    assert exit_info.value.code == 2
    assert ("pia: error: s3://cli-shut: none of the 2 objects selected could be read "
            "(access denied)") in capsys.readouterr().err
    report = json.loads(out.read_text())
    assert report["scan"]["complete"] is False
    assert {"source": "s3://cli-shut", "location": {"bucket": "cli-shut",
                                                    "key": "exports/u00.csv"},
            "reason": "access denied"} in report["skipped"]
    assert {f["location"]["bucket"] for f in report["facts"]} == {"cli-shut", "cli-empty"}
    assert ("cli-shut: 0 of 2 objects read (2 selected, 2 not read: 2 access denied)"
            in md.read_text())


def test_posture_that_could_not_be_read_is_said_in_every_format(s3, proxy, tmp_path,
                                                                 monkeypatch) -> None:
    """A policy granting ``*`` that the auditor may not read: no CSL-40 finding can follow, so
    the report says that public exposure was not judged, rather than show nothing."""
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    _bucket(s3, "hidden-policy", 1)
    s3.put_bucket_policy(Bucket="hidden-policy", Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::hidden-policy/*"}]}))
    proxy.add(r"^GET /hidden-policy\?policy", 403, "AccessDenied")
    paths = [tmp_path / f"r.{ext}" for ext in ("json", "md", "html", "sarif")]
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "s3://hidden-policy", "--endpoint-url", proxy.endpoint, "--executor",
              "serial", "--lang", "en", "-q", *(a for p in paths for a in ("-o", str(p)))])
    assert exit_info.value.code == 1  # other findings; not CSL-40, which could not be judged
    report = json.loads(paths[0].read_text())
    assert "CSL-40-PUBLIC-EXPOSURE" not in {f["rule_id"] for f in report["findings"]}
    note = "bucket policy (AccessDenied) could not be read: public exposure not judged"
    assert {"source": "s3://hidden-policy", "location": {"bucket": "hidden-policy"},
            "reason": note} in report["skipped"]
    for path in paths[1:]:
        assert note in path.read_text(), path.name
