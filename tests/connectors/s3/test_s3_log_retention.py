"""CSL-21-LOG-RETENTION on buckets: logs deleted within six months are a finding wherever they
lie, and only the lifecycle rules that delete logs count. Buckets configured for real on the
moto server, scanned over HTTP, judged by the bundled rules.

QA: ``nginx/access.log`` (is_log) in ``qa-prod-data`` under a 30-day rule for the whole bucket
got no finding, as the rule asked for a bucket whose name says logs (the same bucket named
``qa-logs`` got it); and in ``qa-export-logs`` a 7-day rule on ``tmp/`` exports raised it,
``shortest_expiry_days`` being taken over every object read, not over the logs."""

from __future__ import annotations

from typing import Any

import pytest
from s3_server import facts_of, make_bucket

from pia.connectors.base import ScanOptions, SourceResult
from pia.report import finalize, new_report, validate_report
from pia.rules import apply_rules, load_rulesets

RULE = "CSL-21-LOG-RETENTION"
LOG = b"2026-10-30 10:00:00 GET /login?phone=13812345678 200\n"
EXPORT = "姓名,手机号\n张三,13900139000\n".encode()


def _lifecycle(s3: Any, bucket: str, *rules: tuple[str, str, dict]) -> None:
    """Rules as (ID, prefix, expiry) with an Expiration or NoncurrentVersionExpiration."""
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": rid, "Status": "Enabled", "Filter": {"Prefix": prefix}, **expiry}
        for rid, prefix, expiry in rules]})


def _bucket(s3: Any, name: str, objects: dict[str, bytes], *rules: tuple[str, str, dict],
            versioned: bool = False) -> None:
    make_bucket(s3, name, "cn-north-1")
    if versioned:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    for key, body in objects.items():
        s3.put_object(Bucket=name, Key=key, Body=body)
    _lifecycle(s3, name, *rules)


def _report(source: str, result: SourceResult) -> dict[str, Any]:
    report = new_report([source], ScanOptions().as_parameters(), started="2026-11-01T00:00:00Z")
    report["inventory"], report["facts"] = result.inventory, result.facts
    apply_rules(report, load_rulesets(None), None)
    finalize(report)
    validate_report(report)
    return report


def _retention(report: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(bucket, shortest_expiry_days, lifecycle) of each CSL-21 finding on a bucket."""
    return [(loc["bucket"], f["evidence"]["shortest_expiry_days"], f["evidence"]["lifecycle"])
            for f in report["findings"] if f["rule_id"] == RULE
            for loc in f["locations"] if "bucket" in loc]


def _undecided(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in report["not_evaluated"] if n["rule_id"] == RULE]


WHOLE_30 = ("expire-all", "", {"Expiration": {"Days": 30}})


@pytest.mark.parametrize("bucket", ["qa-prod-data", "qa-logs"])
def test_a_log_deleted_within_six_months_whatever_the_bucket_is_called(s3, scan,
                                                                       bucket) -> None:
    """QA (A): the log object is judged a log (CSL-42 fires) in qa-prod-data as in qa-logs,
    and so is its 30-day deletion, the rule named by its id."""
    _bucket(s3, bucket, {"nginx/access.log": LOG}, WHOLE_30)
    result = scan(f"s3://{bucket}")
    attrs = facts_of(result, "bucket")[bucket]
    assert (attrs["log_objects_read"], attrs["log_shortest_expiry_days"]) == (1, 30)
    report = _report(f"s3://{bucket}", result)
    assert _retention(report) == [
        (bucket, 30, [{"id": "expire-all", "prefix": "", "expiration_days": 30}])]
    assert "CSL-42-PI-IN-LOGS" in {f["rule_id"] for f in report["findings"]}


def test_a_bucket_holding_no_log_is_no_log_store(s3, scan) -> None:
    """An export deleted after 30 days in a bucket whose name says nothing of logs: no log,
    nothing for the log-retention rule, as before."""
    _bucket(s3, "qa-prod-data", {"exports/users.csv": EXPORT}, WHOLE_30)
    result = scan("s3://qa-prod-data")
    attrs = facts_of(result, "bucket")["qa-prod-data"]
    assert (attrs["log_objects_read"], attrs["shortest_expiry_days"]) == (0, 30)
    report = _report("s3://qa-prod-data", result)
    assert (_retention(report), _undecided(report)) == ([], [])


def test_a_short_rule_on_exports_beside_the_logs_deletes_no_log(s3, scan) -> None:
    """QA (B): deleting temporary exports after 7 days is good practice, not a log kept too
    short; the logs beside them are never deleted. shortest_expiry_days, over every object
    read, still says 7 (a records store's lifecycle, PIPL-56, turns on every object)."""
    _bucket(s3, "qa-export-logs", {"nginx/access.log": LOG, "tmp/users.csv": EXPORT},
            ("tmp-cleanup", "tmp/", {"Expiration": {"Days": 7}}))
    result = scan("s3://qa-export-logs")
    attrs = facts_of(result, "bucket")["qa-export-logs"]
    assert (attrs["shortest_expiry_days"], attrs["log_objects_read"],
            attrs["log_shortest_expiry_days"], attrs["log_expiry_rules"]) == (7, 1, None, [])
    report = _report("s3://qa-export-logs", result)
    assert (_retention(report), _undecided(report)) == ([], [])


def test_the_rule_that_deletes_the_logs_soonest_is_the_evidence(s3, scan) -> None:
    """The 7-day rule on tmp/ exports is not the logs': the finding says 90 days, from the
    rule on nginx/, and names it (not the whole lifecycle); a rule on a prefix that holds no
    object read (archive/, 1 day) deletes no log the scan saw and is not counted either."""
    _bucket(s3, "qa-export-logs", {"nginx/access.log": LOG, "tmp/users.csv": EXPORT},
            ("tmp-cleanup", "tmp/", {"Expiration": {"Days": 7}}),
            ("nginx-90", "nginx/", {"Expiration": {"Days": 90}}),
            ("archive-1", "archive/", {"Expiration": {"Days": 1}}))
    report = _report("s3://qa-export-logs", scan("s3://qa-export-logs"))
    assert _retention(report) == [
        ("qa-export-logs", 90, [{"id": "nginx-90", "prefix": "nginx/",
                                 "expiration_days": 90}])]


def test_a_rule_without_a_filter_deletes_the_logs_of_a_log_bucket(s3, scan) -> None:
    """A rule that applies to the whole of a bucket whose name says logs deletes whatever logs
    it holds, though none of the objects read is one (an export only, here)."""
    _bucket(s3, "qa-export-logs", {"tmp/users.csv": EXPORT},
            ("expire-all", "", {"Expiration": {"Days": 7}}))
    report = _report("s3://qa-export-logs", scan("s3://qa-export-logs"))
    assert _retention(report) == [
        ("qa-export-logs", 7, [{"id": "expire-all", "prefix": "", "expiration_days": 7}])]


def test_in_a_versioned_bucket_both_rules_that_delete_the_logs_are_named(s3, scan) -> None:
    """An expiry adds a delete marker, the log goes only when noncurrent versions expire too:
    30 + 60 days, both rules in evidence."""
    _bucket(s3, "qa-prod-data", {"nginx/access.log": LOG},
            ("current-30", "nginx/", {"Expiration": {"Days": 30}}),
            ("versions-60", "", {"NoncurrentVersionExpiration": {"NoncurrentDays": 60}}),
            versioned=True)
    report = _report("s3://qa-prod-data", scan("s3://qa-prod-data"))
    assert _retention(report) == [
        ("qa-prod-data", 90, [{"id": "current-30", "prefix": "nginx/", "expiration_days": 30},
                              {"id": "versions-60", "prefix": "", "noncurrent_days": 60}])]


def test_archived_logs_are_known_by_their_key(s3, scan) -> None:
    """Logs moved to Glacier are not read, so a rule that deletes archive/ after 90 days
    covers no object read; their key says they are logs (app.log.gz), and that is what the
    rule deletes within six months, in a bucket whose name says nothing of logs. An archived
    object whose key says nothing (archive/part-0001) is not taken for a log."""
    make_bucket(s3, "qa-prod-data", "cn-north-1")
    s3.put_object(Bucket="qa-prod-data", Key="exports/users.csv", Body=EXPORT)
    s3.put_object(Bucket="qa-prod-data", Key="archive/part-0001", Body=b"x\n",
                  StorageClass="GLACIER")
    _lifecycle(s3, "qa-prod-data", ("archive-90", "archive/", {"Expiration": {"Days": 90}}))
    result = scan("s3://qa-prod-data")
    attrs = facts_of(result, "bucket")["qa-prod-data"]
    assert (attrs["log_objects_read"], attrs["log_objects_unread"],
            attrs["log_shortest_expiry_days"]) == (0, 0, None)
    assert _retention(_report("s3://qa-prod-data", result)) == []

    s3.put_object(Bucket="qa-prod-data", Key="archive/2026-05/app.log.gz", Body=b"\x1f\x8b",
                  StorageClass="GLACIER")
    result = scan("s3://qa-prod-data")
    attrs = facts_of(result, "bucket")["qa-prod-data"]
    assert (attrs["log_objects_read"], attrs["log_objects_unread"]) == (0, 1)
    assert _retention(_report("s3://qa-prod-data", result)) == [
        ("qa-prod-data", 90, [{"id": "archive-90", "prefix": "archive/",
                               "expiration_days": 90}])]
