"""Object contents over HTTP: formats, ranged reads, sampling by prefix, vanished objects,
listing every bucket, and partitions that another process can scan."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import pickle
import random
import re
import subprocess
import sys
import zipfile
from collections import Counter
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from s3_server import ACCESS_KEY, SECRET_KEY, facts_of, make_bucket

from pia.connectors.base import ScanContext, ScanOptions, scan_serial
from pia.connectors.s3 import S3Connector
from pia.connectors.s3.posture import rule_filter, unexpired
from pia.detection.engine import default_engine
from pia.masking import Fingerprinter
from pia.sample.synth import Synth

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _id_lines(syn: Synth, n: int, template: str = "user 身份证 {}") -> list[str]:
    return [template.format(syn.resident_id()) for _ in range(n)]


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buffer.getvalue()


def _ids(result, bucket: str | None = None) -> Counter:
    """Resident IDs found per ``key[!member]``."""
    out: Counter = Counter()
    for item in result.inventory:
        loc = item["location"]
        if item["entity_type"] == "CN_RESIDENT_ID" and bucket in (None, loc["bucket"]):
            out[loc["key"] + (f"!{loc['member']}" if "member" in loc else "")] += item["count"]
    return out


def test_formats(s3, scan) -> None:
    syn = Synth(3)
    ids = {"plain": 7, "gz": 5, "bz": 4, "csv": 6, "jsonl": 3, "zip_a": 2}
    lines = "\n".join
    bodies = {
        "logs/app.log": lines(_id_lines(syn, ids["plain"])).encode(),
        "logs/app.log.1.gz": gzip.compress(lines(_id_lines(syn, ids["gz"])).encode()),
        "logs/app.log.2.bz2": bz2.compress(lines(_id_lines(syn, ids["bz"])).encode()),
        "exports/users.csv": lines(["姓名,身份证号"] + _id_lines(syn, ids["csv"], "张三,{}")
                                   ).encode(),
        "events/part.jsonl": lines(json.dumps({"id_card": syn.resident_id()})
                                   for _ in range(ids["jsonl"])).encode(),
        "archive/batch.zip": _zip({"a.txt": lines(_id_lines(syn, ids["zip_a"])),
                                   "b.txt": "nothing personal here\n"}),
        "img/logo.png": PNG,
        "logs/gbk.log": f"身份证号码 {syn.resident_id()}\n".encode("gb18030"),
    }
    make_bucket(s3, "formats", "ap-southeast-1")
    for key, body in bodies.items():
        s3.put_object(Bucket="formats", Key=key, Body=body)
    result = scan("s3://formats")
    assert _ids(result) == {"logs/app.log": 7, "logs/app.log.1.gz": 5, "logs/app.log.2.bz2": 4,
                            "exports/users.csv": 6, "events/part.jsonl": 3,
                            "archive/batch.zip!a.txt": 2, "logs/gbk.log": 1}
    assert [(s["location"], s["reason"]) for s in result.skipped] == [
        ({"bucket": "formats", "key": "img/logo.png"}, "binary file (a PNG image)")]
    objects = facts_of(result, "object")
    assert set(objects) == {f"formats/{k}" for k in bodies}
    for key, body in bodies.items():
        attrs = objects[f"formats/{key}"]
        assert (attrs["size"], attrs["bucket"], attrs["key"]) == (len(body), "formats", key)
        assert datetime.fromisoformat(attrs["last_modified"]).tzinfo is not None
    item = next(i for i in result.inventory if i["location"]["key"] == "logs/app.log")
    assert item["source"] == "s3://formats"
    assert (item["sensitive"], item["protected"], item["protection"]) == (True, False, "plaintext")
    assert all(re.fullmatch(r"\d{4}\*{10}[\dX]{4}", s) for s in item["evidence"]["samples"])


def test_minors_counted(s3, scan) -> None:
    syn = Synth(4)
    minors = [syn.minor_resident_id() for _ in range(3)]
    adults = [syn.resident_id() for _ in range(4)]
    make_bucket(s3, "school-records", "cn-north-1")
    s3.put_object(Bucket="school-records", Key="students.txt",
                  Body="\n".join(f"学生 身份证 {v}" for v in minors + adults).encode())
    (item,) = scan("s3://school-records").inventory
    assert (item["count"], item["evidence"]["minors_count"]) == (7, 3)


@pytest.mark.parametrize("max_bytes", [50_000, 100_001])
def test_large_object_read_by_range(s3, scan, proxy, max_bytes) -> None:
    syn = Synth(5)
    lines = [f"{i:06d} 身份证 {syn.resident_id()} 测试数据" for i in range(8000)]
    body = ("\n".join(lines) + "\n").encode()
    make_bucket(s3, "big-logs", "cn-north-1")
    s3.put_object(Bucket="big-logs", Key="app.log", Body=body)
    result = scan("s3://big-logs", endpoint=proxy.endpoint, extra={"max_bytes": max_bytes})
    whole_lines = body[:max_bytes].count(b"\n")  # a cut last line is not scanned
    (item,) = result.inventory
    assert item["count"] == whole_lines < len(lines)
    assert item["sampled"] == whole_lines
    assert facts_of(result, "object")["big-logs/app.log"]["bytes_read"] == max_bytes
    assert f"GET /big-logs/app.log range=bytes=0-{max_bytes - 1}" in proxy.requests
    assert result.skipped == [{"source": "s3://big-logs",
                               "location": {"bucket": "big-logs", "key": "app.log"},
                               "reason": f"read in part: first {max_bytes} of {len(body)} bytes "
                                         "(raise --max-bytes to read it whole)"}]

    full = scan("s3://big-logs", full=True, extra={"max_bytes": max_bytes})
    assert full.inventory[0]["count"] == len(lines)


def test_compressed_object_cut_by_range_is_partly_read(s3, scan) -> None:
    syn = Synth(6)
    text = "\n".join(f"{i} 身份证 {syn.resident_id()} {random.Random(i).random()}"
                     for i in range(20000)).encode()
    make_bucket(s3, "archives", "cn-north-1")
    s3.put_object(Bucket="archives", Key="old.log.gz", Body=gzip.compress(text))
    s3.put_object(Bucket="archives", Key="batch.zip", Body=_zip({"x.txt": text.decode()}))
    result = scan("s3://archives", extra={"max_bytes": 64_000})
    found = _ids(result)
    assert 0 < found["old.log.gz"] < 20000
    reasons = {s["location"]["key"]: s["reason"] for s in result.skipped}
    assert set(reasons) == {"old.log.gz", "batch.zip"}
    assert all("read in part: first 64000 of" in r for r in reasons.values())


def test_one_line_object_larger_than_max_bytes_is_scanned_up_to_a_separator(s3, scan) -> None:
    """A minified JSON export is one line: the range cuts it, and what was read is scanned up
    to the last separator (no value split by the cut is counted) and said to be partly read."""
    syn = Synth(8)
    records = [{"name": syn.name(), "id_card": syn.resident_id(), "phone": syn.mobile()}
               for _ in range(3000)]
    body = json.dumps(records, ensure_ascii=False).encode()
    assert b"\n" not in body
    make_bucket(s3, "exports", "cn-north-1")
    s3.put_object(Bucket="exports", Key="users.json", Body=body)
    for max_bytes in (50_000, 50_003, 50_011):
        result = scan("s3://exports", extra={"max_bytes": max_bytes})
        whole = len(re.findall(rb'"id_card": "[0-9X]{18}"', body[:max_bytes]))
        assert 0 < _ids(result)["users.json"] == whole < len(records)
        assert [s["reason"] for s in result.skipped] == [
            f"read in part: first {max_bytes} of {len(body)} bytes "
            "(raise --max-bytes to read it whole)"]
        assert facts_of(result, "object")["exports/users.json"]["bytes_read"] == max_bytes


def test_a_tiny_max_bytes_still_recognises_the_format(s3, scan) -> None:
    """``--max-bytes 1`` cannot tell gzip from text: a ranged read takes at least 512 bytes."""
    syn = Synth(9)
    text = "\n".join(f"{i} 身份证 {syn.resident_id()} {random.Random(i).random()}"
                     for i in range(2000)).encode()
    make_bucket(s3, "tiny-range", "cn-north-1")
    body = gzip.compress(text)
    s3.put_object(Bucket="tiny-range", Key="old.log.gz", Body=body)
    result = scan("s3://tiny-range", extra={"max_bytes": 1})
    assert [s["reason"] for s in result.skipped] == [
        f"gzip stream read in part: first 512 of {len(body)} bytes "
        "(raise --max-bytes to read it whole)"]


def test_sampling_is_stratified_by_prefix_and_seeded(s3, scan) -> None:
    make_bucket(s3, "strata", "ap-east-1")
    keys = ([f"raw/{i:04d}.txt" for i in range(60)] + [f"exports/{i}.csv" for i in range(3)]
            + ["top.txt", "top2.txt", "raw/deep/one.txt"])
    for key in keys:
        s3.put_object(Bucket="strata", Key=key, Body=b"hello\n")
    s3.put_object(Bucket="strata", Key="raw/", Body=b"")  # a folder marker is not an object

    def sampled(seed: int) -> list[str]:
        result = scan("s3://strata", seed=seed, extra={"max_objects": 5})
        attrs = facts_of(result, "bucket")["strata"]
        assert (attrs["objects_listed"], attrs["objects_sampled"]) == (len(keys), 11)
        return sorted(facts_of(result, "object"))

    first = sampled(1)
    per_prefix = Counter(k.rsplit("/", 1)[0] for k in first)
    assert per_prefix == {"strata/raw": 5, "strata/exports": 3, "strata": 2, "strata/raw/deep": 1}
    assert sampled(1) == first
    assert sampled(2) != first


def test_include_exclude_and_prefix(s3, scan) -> None:
    make_bucket(s3, "mixed")
    for key in ("logs/a.log", "logs/b.txt", "logs/sub/c.log", "data/d.log"):
        s3.put_object(Bucket="mixed", Key=key, Body=b"x\n")
    cases = [("s3://mixed", {}, ["data/d.log", "logs/a.log", "logs/b.txt", "logs/sub/c.log"]),
             ("s3://mixed/logs/", {}, ["logs/a.log", "logs/b.txt", "logs/sub/c.log"]),
             ("s3://mixed/logs/", {"include": ["*.log"]}, ["logs/a.log", "logs/sub/c.log"]),
             ("s3://mixed", {"exclude": ["logs/sub/*", "data/*"]}, ["logs/a.log", "logs/b.txt"])]
    for uri, options, expected in cases:
        keys = [k.split("/", 1)[1] for k in sorted(facts_of(scan(uri, **options), "object"))]
        assert keys == expected, uri


def test_a_prefix_without_objects_is_a_source_error(s3, scan) -> None:
    """A typo'd prefix must not pass for a clean one, nor (QA) an empty bucket named as the
    source: a mistyped bucket that happens to exist scanned clean, exit 0."""
    from pia.errors import SourceError

    make_bucket(s3, "app-logs")
    s3.put_object(Bucket="app-logs", Key="exports/users.csv", Body=b"x\n")
    s3.put_object(Bucket="app-logs", Key="exprots/", Body=b"")  # a folder marker only
    make_bucket(s3, "empty-bucket")
    for uri in ("s3://app-logs/exprots/", "s3://app-logs/missing", "s3://empty-bucket",
                "s3://empty-bucket/"):
        with pytest.raises(SourceError) as err:
            scan(uri)
        assert str(err.value) == f"no object under {uri}"


def test_an_empty_bucket_among_all_the_credentials_see_is_listed(s3, scan) -> None:
    """``s3://`` names no bucket: an empty one of them is no typo, its posture is recorded."""
    make_bucket(s3, "hollow")
    make_bucket(s3, "full")
    s3.put_object(Bucket="full", Key="a.log", Body=b"x\n")
    buckets = facts_of(scan("s3://"), "bucket")
    assert (buckets["hollow"]["objects_listed"], buckets["full"]["objects_listed"]) == (0, 1)


def test_objects_holding_pi_that_no_lifecycle_rule_expires(s3, scan) -> None:
    """A lifecycle rule on tmp/ says nothing of users.csv at the root; a rule that expires
    only noncurrent versions keeps current objects forever."""
    syn = Synth(10)
    make_bucket(s3, "secure-data", "cn-north-1")
    for key in ("users.csv", "tmp/a.log", "tmp/b.log", "archive/c.log"):
        s3.put_object(Bucket="secure-data", Key=key,
                      Body=f"姓名,身份证号\n王伟,{syn.resident_id()}\n".encode())
    s3.put_object(Bucket="secure-data", Key="readme.txt", Body=b"no PI here\n")
    s3.put_bucket_lifecycle_configuration(Bucket="secure-data", LifecycleConfiguration={"Rules": [
        {"ID": "tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"},
         "Expiration": {"Days": 7}},
        {"ID": "versions", "Status": "Enabled", "Filter": {"Prefix": ""},
         "NoncurrentVersionExpiration": {"NoncurrentDays": 30}}]})
    attrs = facts_of(scan("s3://secure-data"), "bucket")["secure-data"]
    assert attrs["pi_objects_unexpired"] == 2  # users.csv, archive/c.log
    s3.put_bucket_lifecycle_configuration(Bucket="secure-data", LifecycleConfiguration={"Rules": [
        {"ID": "all", "Status": "Enabled", "Filter": {"Prefix": ""},
         "Expiration": {"Date": "2027-01-01T00:00:00Z"}}]})
    attrs = facts_of(scan("s3://secure-data"), "bucket")["secure-data"]
    assert attrs["pi_objects_unexpired"] == 0


def _expire(s3, bucket: str, *rules: dict) -> None:
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": f"r{i}", "Status": "Enabled", **rule} for i, rule in enumerate(rules)]})


@pytest.mark.parametrize("rules, versioned, left", [
    # narrowed by a tag users.csv does not carry, or by a size it does not have: kept
    ([{"Filter": {"Tag": {"Key": "temp", "Value": "yes"}}, "Expiration": {"Days": 7}}],
     False, 1),
    ([{"Filter": {"And": {"Prefix": "", "Tags": [{"Key": "temp", "Value": "yes"}]}},
       "Expiration": {"Days": 7}}], False, 1),
    # versioned: an expiry only adds a delete marker, unless noncurrent versions expire too
    ([{"Filter": {"Prefix": ""}, "Expiration": {"Days": 30}}], True, 1),
    ([{"Filter": {"Prefix": ""}, "Expiration": {"Days": 30}},
      {"Filter": {"Prefix": ""}, "NoncurrentVersionExpiration": {"NoncurrentDays": 30}}],
     True, 0),
    ([{"Filter": {"Prefix": ""}, "Expiration": {"Days": 30}}], False, 0),
])
def test_lifecycle_rules_that_do_not_delete_the_pi(s3, scan, rules, versioned, left) -> None:
    make_bucket(s3, "kept-data", "cn-north-1")
    if versioned:
        s3.put_bucket_versioning(Bucket="kept-data",
                                 VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="kept-data", Key="users.csv",
                  Body=f"姓名,身份证号\n王伟,{Synth(11).resident_id()}\n".encode())
    _expire(s3, "kept-data", *rules)
    attrs = facts_of(scan("s3://kept-data"), "bucket")["kept-data"]
    assert attrs["pi_objects_unexpired"] == left


def test_lifecycle_filters_are_recorded(s3, scan) -> None:
    make_bucket(s3, "filtered", "cn-north-1")
    s3.put_object(Bucket="filtered", Key="readme.txt", Body=b"x\n")
    _expire(s3, "filtered",
            {"Filter": {"Tag": {"Key": "temp", "Value": "yes"}}, "Expiration": {"Days": 7}},
            {"Filter": {"And": {"Prefix": "big/", "Tags": [{"Key": "a", "Value": "1"}]}},
             "Expiration": {"Days": 3}})
    assert facts_of(scan("s3://filtered"), "bucket")["filtered"]["lifecycle"] == [
        {"id": "r0", "prefix": "", "tags": {"temp": "yes"}, "expiration_days": 7},
        {"id": "r1", "prefix": "big/", "tags": {"a": "1"}, "expiration_days": 3}]


# moto drops a rule's size bounds, so these rules are as AWS answers GetBucketLifecycle
@pytest.mark.parametrize("filt, size, left", [
    ({"ObjectSizeGreaterThan": 1_000_000_000}, 5_000, 1),
    ({"ObjectSizeLessThan": 1_000_000}, 5_000, 0),
    ({"And": {"Prefix": "", "ObjectSizeGreaterThan": 1000, "ObjectSizeLessThan": 9000}},
     5_000, 0),
    ({"And": {"Prefix": "", "ObjectSizeGreaterThan": 1000, "ObjectSizeLessThan": 9000}},
     None, 1),  # a size the scan did not learn: not taken as deleted
])
def test_lifecycle_rules_bounded_by_size(filt, size, left) -> None:
    rule = {"ID": "r", "Status": "Enabled", "Filter": filt, "Expiration": {"Days": 7}}
    lifecycle = [{**rule_filter(rule), "expiration_days": 7}]
    assert len(unexpired(lifecycle, {"users.csv": size}, "none", date(2026, 11, 1))) == left


def test_deleted_objects_of_a_versioned_bucket_are_noted(s3, scan) -> None:
    """A deleted object's PI stays as a noncurrent version: counted and noted, not silent."""
    make_bucket(s3, "ver-deleted", "cn-north-1")
    s3.put_bucket_versioning(Bucket="ver-deleted", VersioningConfiguration={"Status": "Enabled"})
    for key in ("users.csv", "old.csv", "keep.txt"):
        s3.put_object(Bucket="ver-deleted", Key=key,
                      Body=f"姓名,身份证号\n王伟,{Synth(12).resident_id()}\n".encode())
    s3.put_object(Bucket="ver-deleted", Key="old.csv", Body=b"overwritten\n")
    s3.delete_object(Bucket="ver-deleted", Key="users.csv")
    result = scan("s3://ver-deleted")
    attrs = facts_of(result, "bucket")["ver-deleted"]
    assert (attrs["noncurrent_versions"], attrs["deleted_objects"]) == (2, 1)
    assert result.skipped == [{"source": "s3://ver-deleted",
                               "location": {"bucket": "ver-deleted"},
                               "reason": "2 noncurrent versions (of objects overwritten, or "
                                         "deleted: 1) not read: versioning keeps them, and "
                                         "any PI in them; --versions reads them"}]
    # --exclude applies to the versions too
    attrs = facts_of(scan("s3://ver-deleted", exclude=["*.csv"]), "bucket")["ver-deleted"]
    assert (attrs["noncurrent_versions"], attrs["deleted_objects"]) == (0, 0)


def test_shortest_expiry_of_the_objects_read(s3, scan) -> None:
    """A 1-day rule on tmp/ says nothing of the logs under nginx/; a date counts as the
    days left until it (the scan's clock is 2026-11-01)."""
    make_bucket(s3, "app-logs", "cn-north-1")
    s3.put_object(Bucket="app-logs", Key="nginx/access.log",
                  Body=f"GET /u?id_card={Synth(13).resident_id()} 200\n".encode())
    s3.put_object(Bucket="app-logs", Key="nginx/error.log", Body=b"upstream timed out\n")
    _expire(s3, "app-logs", {"Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 1}})
    attrs = facts_of(scan("s3://app-logs"), "bucket")["app-logs"]
    assert (attrs["shortest_expiry_days"], attrs["pi_shortest_expiry_days"]) == (None, None)
    _expire(s3, "app-logs", {"Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 1}},
            {"Filter": {"Prefix": "nginx/error"}, "Expiration": {"Days": 30}},
            {"Filter": {"Prefix": "nginx/"}, "Expiration": {"Date": "2026-11-08T00:00:00Z"}})
    attrs = facts_of(scan("s3://app-logs"), "bucket")["app-logs"]
    assert (attrs["shortest_expiry_days"], attrs["pi_shortest_expiry_days"]) == (7, 7)
    _expire(s3, "app-logs", {"Filter": {"Prefix": "nginx/error"}, "Expiration": {"Days": 30}},
            {"Filter": {"Prefix": "nginx/"}, "Expiration": {"Days": 400}})
    attrs = facts_of(scan("s3://app-logs"), "bucket")["app-logs"]
    assert (attrs["shortest_expiry_days"], attrs["pi_shortest_expiry_days"]) == (30, 400)


def test_all_buckets_the_credentials_see(s3, scan) -> None:
    for name, region in (("alpha-bucket", "us-east-1"), ("beta-bucket", "ap-southeast-1"),
                         ("gamma-bucket", "ap-east-1")):
        make_bucket(s3, name, region)
        s3.put_object(Bucket=name, Key="f.txt", Body=f"身份证 {Synth(1).resident_id()}\n")
    result = scan("s3://")
    regions = {b: a["region"] for b, a in facts_of(result, "bucket").items()}
    assert regions == {"alpha-bucket": "us-east-1", "beta-bucket": "ap-southeast-1",
                       "gamma-bucket": "ap-east-1"}
    assert sorted(_ids(result, b)["f.txt"] for b in regions) == [1, 1, 1]
    assert {i["source"] for i in result.inventory} == {"s3://"}


def test_object_vanishing_between_plan_and_scan_is_skipped(s3, ctx, moto_endpoint) -> None:
    make_bucket(s3, "churn", "cn-north-1")
    syn = Synth(8)
    for i in range(5):
        s3.put_object(Bucket="churn", Key=f"k{i}.log", Body=f"身份证 {syn.resident_id()}\n")
    conn, options = S3Connector(), ScanOptions(extra={"endpoint_url": moto_endpoint})
    plan = conn.plan("s3://churn", options, ctx)
    s3.delete_object(Bucket="churn", Key="k2.log")
    partials = {p.key: conn.scan_partition(p, options, ctx) for p in plan.partitions}
    result = conn.merge(plan, partials, options, ctx)
    assert sorted(i["location"]["key"] for i in result.inventory) == [
        "k0.log", "k1.log", "k3.log", "k4.log"]
    assert result.skipped == [{"source": "s3://churn",
                               "location": {"bucket": "churn", "key": "k2.log"},
                               "reason": "object vanished between listing and reading"}]


# Run in a fresh interpreter, not a forked worker: forking a process whose moto server
# thread may hold a lock can hang the child (it did, once, in CI).
_CHILD_SCAN = """
import json, pickle, sys
from datetime import UTC, datetime
from pia.connectors.base import Partition, ScanContext, ScanOptions
from pia.detection.engine import default_engine
from pia.masking import Fingerprinter

ctx = ScanContext(engine=default_engine(), fingerprint=Fingerprinter(b"k" * 32),
                  now=datetime(2026, 11, 1, tzinfo=UTC))
out = []
for line in sys.stdin:
    data = json.loads(line)
    connector = pickle.loads(bytes.fromhex(data["connector"]))
    partial = connector.scan_partition(Partition(**data["partition"]),
                                       ScanOptions(extra=data["extra"]), ctx)
    out.append(json.dumps(partial, sort_keys=True))
json.dump(out, sys.stdout)
"""


def test_partitions_are_plain_data_scannable_elsewhere_and_merge_in_any_order(
        s3, ctx, moto_endpoint, monkeypatch) -> None:
    from pia.connectors.s3 import connector as s3_connector

    monkeypatch.setattr(s3_connector, "BATCH_OBJECTS", 3)
    make_bucket(s3, "partitioned", "ap-southeast-1")
    syn = Synth(9)
    for i in range(10):
        s3.put_object(Bucket="partitioned", Key=f"p/{i:02d}.log",
                      Body="\n".join(_id_lines(syn, i + 1)).encode())
    extra = {"endpoint_url": moto_endpoint}
    conn, options = S3Connector(), ScanOptions(extra=extra)
    plan = conn.plan("s3://partitioned", options, ctx)
    assert len(plan.partitions) == 4
    for partition in plan.partitions:
        text = json.dumps(partition.__dict__)
        assert ACCESS_KEY not in text and SECRET_KEY not in text
    # a warm client cache must not travel: pickling the connector drops it
    pickled = pickle.dumps(conn).hex()
    payloads = [json.dumps({"partition": p.__dict__, "connector": pickled, "extra": extra})
                for p in plan.partitions]
    child = subprocess.run([sys.executable, "-c", _CHILD_SCAN], input="\n".join(payloads),
                           capture_output=True, text=True, timeout=120, check=True)
    remote = json.loads(child.stdout)
    local = [json.dumps(conn.scan_partition(p, options, ctx), sort_keys=True)
             for p in plan.partitions]
    assert remote == local

    partials = {p.key: json.loads(r) for p, r in zip(plan.partitions, remote, strict=True)}
    reference = conn.merge(plan, partials, options, ctx)
    shuffled = dict(random.Random(1).sample(list(partials.items()), len(partials)))
    assert conn.merge(plan, shuffled, options, ctx) == reference
    assert sum(i["count"] for i in reference.inventory) == sum(range(1, 11))
    assert reference == scan_serial(S3Connector(), "s3://partitioned", options, ctx)


def test_progress_registry_and_archived_objects(s3, moto_endpoint, proxy) -> None:
    from pia.connectors import connector_for

    make_bucket(s3, "cold-store", "cn-north-1")
    for i in range(4):
        s3.put_object(Bucket="cold-store", Key=f"hot/{i}.txt", Body=b"warm data\n")
    s3.put_object(Bucket="cold-store", Key="cold/old.txt", Body=b"frozen\n",
                  StorageClass="GLACIER")
    events: list[tuple] = []
    progress = SimpleNamespace(
        start=lambda what, total=None: events.append(("start", what, total)),
        advance=lambda what, amount=1: events.append(("advance", what, amount)))
    ctx = ScanContext(engine=default_engine(), fingerprint=Fingerprinter(b"k" * 32),
                      now=datetime(2026, 11, 1, tzinfo=UTC), progress=progress)
    connector = connector_for("s3://cold-store")
    assert isinstance(connector, S3Connector)
    result = scan_serial(connector, "s3://cold-store",
                         ScanOptions(extra={"endpoint_url": proxy.endpoint}), ctx)
    assert events == [("advance", "listed", 5), ("start", "listed", 5),  # the 5 listed
                      ("start", "objects", 4)] + [("advance", "objects", 1)] * 4
    assert [(s["location"]["key"], s["reason"]) for s in result.skipped] == [
        ("cold/old.txt", "archived (GLACIER): restore it before it can be read")]
    assert not any("cold/old.txt" in r for r in proxy.requests)
    attrs = facts_of(result, "bucket")["cold-store"]
    assert (attrs["objects_listed"], attrs["objects_sampled"]) == (5, 4)
    assert attrs["endpoint"] == proxy.endpoint


@pytest.mark.parametrize("extra, message", [
    ({"max_bytes": 0}, "--max-bytes must be a positive integer, not 0"),
    ({"max_objects": "many"}, "--max-objects must be a positive integer, not 'many'"),
    ({"max_objects": -3}, "--max-objects must be a positive integer, not -3"),
    ({"max_attempts": "x"}, "max attempts must be a positive number, not 'x'"),
    ({"read_timeout": -1}, "read timeout must be a positive number, not -1"),
    ({"retry_mode": "fast"}, "retry mode must be standard, adaptive or legacy, not 'fast'"),
])
def test_options_are_checked_before_any_request(scan, extra, message) -> None:
    from pia.errors import UsageError

    with pytest.raises(UsageError) as err:
        scan("s3://anything", endpoint="http://127.0.0.1:9", extra=extra)
    assert str(err.value) == message


def test_fields_named_as_pi_count_in_objects(s3, scan) -> None:
    """A password in a JSON log, coordinates in a CSV export: the files connector's fields
    (``merge.field_item``), located by bucket, key, field and lines, masked; an object whose
    only PI is such a field still has its ACL read."""
    secrets = ("P@ssw0rd123", "Secret!234", "39.904211", "116.407396")
    make_bucket(s3, "app-logs", "cn-north-1")
    s3.put_object(Bucket="app-logs", Key="logs/app.log", ACL="public-read", Body=(
        b'2024-11-29 10:00:00 INFO {"user":"lisi","password":"P@ssw0rd123"}\n'
        b"2024-11-29 10:00:01 INFO heartbeat\n"
        b"2024-11-29 10:00:02 INFO login user=zhangsan password=Secret!234 ok\n"))
    s3.put_object(Bucket="app-logs", Key="exports/places.csv",
                  Body=b"user_id,latitude,longitude\n1001,39.904211,116.407396\n")
    result = scan("s3://app-logs")
    found = {(i["location"]["key"], i["location"].get("field"), i["entity_type"]): i
             for i in result.inventory}
    assert set(found) == {("logs/app.log", "password", "CREDENTIAL"),
                          ("exports/places.csv", "latitude", "PRECISE_LOCATION"),
                          ("exports/places.csv", "longitude", "PRECISE_LOCATION")}
    password = found[("logs/app.log", "password", "CREDENTIAL")]
    assert password["location"] == {"bucket": "app-logs", "key": "logs/app.log",
                                    "field": "password", "first_line": 1, "lines": [1, 3]}
    assert (password["count"], password["protection"], password["sensitive"],
            password["signals"]) == (2, "plaintext", True, ["name"])
    assert found[("exports/places.csv", "latitude", "PRECISE_LOCATION")]["location"][
        "lines"] == [2]
    assert facts_of(result, "object")["app-logs/logs/app.log"]["public_acl"] is True
    assert facts_of(result, "bucket")["app-logs"]["pi_objects_public"] == 1
    text = json.dumps([result.inventory, result.facts], ensure_ascii=False)
    assert not any(secret in text for secret in secrets)
