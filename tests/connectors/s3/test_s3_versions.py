"""PI that survives only in a versioned bucket's noncurrent versions (an export overwritten
by a redacted one, an export deleted behind a delete marker) is still served to anyone
allowed s3:GetObjectVersion. ``--versions`` reads those versions, located by key and
version id; without it the report and a warning say how many were not read, over HTTP."""

from __future__ import annotations

import contextlib
import json
import logging

from s3_server import facts_of, make_bucket

from pia.cli import main
from pia.report import validation_errors
from pia.reports.view import coverage, location_text
from pia.rules.index import Index
from pia.sample.synth import Synth


def _versioned_bucket(s3, name: str) -> dict[str, str]:
    """``customers.csv`` overwritten by a redacted copy, ``deleted.csv`` deleted, and
    ``clean.txt`` never holding PI: the version ids of the two exports' PI."""
    make_bucket(s3, name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    syn = Synth(31)
    rows = "".join(f"王伟{i},{syn.resident_id()},{syn.mobile()}\n" for i in range(30))
    ids = {}
    for key in ("exports/customers.csv", "exports/deleted.csv"):
        put = s3.put_object(Bucket=name, Key=key, Body=f"姓名,身份证号,手机号\n{rows}".encode())
        ids[key] = put["VersionId"]
    s3.put_object(Bucket=name, Key="exports/customers.csv", Body=b"name,note\nredacted,-\n")
    s3.delete_object(Bucket=name, Key="exports/deleted.csv")
    s3.put_object(Bucket=name, Key="exports/clean.txt", Body=b"nothing here\n")
    return ids


def test_noncurrent_versions_are_read_with_versions(s3, scan) -> None:
    ids = _versioned_bucket(s3, "ver-read")
    result = scan("s3://ver-read", extra={"versions": True})
    found = {(i["location"]["key"], i["location"].get("version_id"), i["entity_type"])
             for i in result.inventory}
    assert found == {(key, ids[key], entity) for key in ids
                     for entity in ("CN_RESIDENT_ID", "CN_MOBILE", "CN_NAME")}
    bucket = facts_of(result, "bucket")["ver-read"]
    assert (bucket["noncurrent_versions"], bucket["deleted_objects"],
            bucket["noncurrent_versions_sampled"]) == (2, 1, 2)
    versions = {f["location"]["key"]: f for f in result.facts
                if f["kind"] == "object" and f["attributes"].get("noncurrent")}
    assert {key: (f["location"]["version_id"], f["attributes"]["version_id"],
                  f["attributes"]["deleted"]) for key, f in versions.items()} == {
        "exports/customers.csv": (ids["exports/customers.csv"],) * 2 + (False,),
        "exports/deleted.csv": (ids["exports/deleted.csv"],) * 2 + (True,)}
    assert result.skipped == []  # every version was read


def test_versions_are_capped_by_max_objects_per_prefix(s3, scan) -> None:
    _versioned_bucket(s3, "ver-capped")
    result = scan("s3://ver-capped", extra={"versions": True, "max_objects": 1})
    assert facts_of(result, "bucket")["ver-capped"]["noncurrent_versions_sampled"] == 1
    assert len({i["location"].get("version_id") for i in result.inventory} - {None}) == 1
    assert [s["reason"] for s in result.skipped] == [
        "1 noncurrent version (of objects overwritten, or deleted: 1) not read: past "
        "--max-objects 1 per prefix"]


def test_without_versions_the_report_and_a_warning_say_what_was_not_read(
        s3, moto_endpoint, tmp_path, monkeypatch, caplog) -> None:
    _versioned_bucket(s3, "ver-unread")
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    out = tmp_path / "report.json"
    with caplog.at_level(logging.WARNING), contextlib.suppress(SystemExit):
        main(["scan", "s3://ver-unread", "--endpoint-url", moto_endpoint, "-q",
              "-o", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert validation_errors(report) == []
    assert report["inventory"] == []
    assert [s["reason"] for s in report["skipped"]] == [
        "2 noncurrent versions (of objects overwritten, or deleted: 1) not read: versioning "
        "keeps them, and any PI in them; --versions reads them"]
    assert ("pia: warning: s3://ver-unread: 2 noncurrent versions (of objects overwritten, or "
            "deleted: 1) not read (--versions reads them)") in [
                r.getMessage() for r in caplog.records]

    main_args = ["scan", "s3://ver-unread", "--endpoint-url", moto_endpoint, "-q",
                 "--versions", "-o", str(out)]
    with contextlib.suppress(SystemExit):
        main(main_args)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert validation_errors(report) == []
    assert report["scan"]["parameters"]["versions"] is True
    assert {i["location"]["key"] for i in report["inventory"]} == {
        "exports/customers.csv", "exports/deleted.csv"}
    assert all(i["location"].get("version_id") for i in report["inventory"])
    deleted = next(i["location"] for i in report["inventory"]
                   if i["location"]["key"] == "exports/deleted.csv")
    assert location_text(deleted).startswith(
        f"ver-unread/exports/deleted.csv?versionId={deleted['version_id']}")
    # the versions read are not among the bucket's objects
    assert coverage(report, "en") == ["ver-unread: 2 of 2 objects read"]


def test_a_version_is_judged_with_its_own_object_fact(s3, scan) -> None:
    """The rules find the object a version's PI lies in by key and version id: the current
    redacted copy's fact (same key) says nothing of the version's own."""
    ids = _versioned_bucket(s3, "ver-facts")
    result = scan("s3://ver-facts", extra={"versions": True})
    index = Index(result.inventory, result.facts)
    for key, version_id in ids.items():
        item = next(i for i in result.inventory if i["location"]["key"] == key)
        related = index.related(item["source"], item["location"], "object")
        assert related["object"]["location"]["version_id"] == version_id
        assert related["object"]["attributes"]["noncurrent"] is True
        assert {i["location"]["version_id"] for i in index.contained(related["object"])} == {
            version_id}
    current = next(f for f in result.facts if f["kind"] == "object"
                   and f["location"]["key"] == "exports/customers.csv"
                   and "version_id" not in f["location"])
    assert index.contained(current) == []  # the redacted copy holds none of it
