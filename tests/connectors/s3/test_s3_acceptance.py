"""The issue's acceptance estate: four buckets, scanned over HTTP, judged by the bundled rules.

A mainland log bucket (plain and gzip logs), an overseas analytics bucket under a CIIO
declaration, a public-read export with a CSV of resident IDs, and a clean bucket (in Hong Kong,
so that only holding PI, not the region alone, raises the localisation finding).
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict

from s3_server import ACCESS_KEY, SECRET_KEY, make_bucket

from pia.connectors.base import ScanOptions, SourceResult
from pia.declaration import load_declaration_text
from pia.report import finalize, new_report, validate_report
from pia.rules import apply_rules, load_rulesets
from pia.sample.synth import Synth

BUCKETS = ("app-logs-bj", "analytics-sg", "export-public", "clean-assets")
DECLARATION = """\
version: 1
organisation: {name: 示例科技, ciio: true}
"""


def _estate(s3) -> dict[str, int]:
    """Create the four buckets; return the resident IDs planted per object."""
    syn, planted = Synth(7), {}

    def put(bucket: str, key: str, lines: list[str], *, gz: bool = False) -> None:
        body = ("\n".join(lines) + "\n").encode()
        s3.put_object(Bucket=bucket, Key=key, Body=gzip.compress(body) if gz else body)

    make_bucket(s3, "app-logs-bj", "cn-north-1")
    s3.put_bucket_lifecycle_configuration(Bucket="app-logs-bj", LifecycleConfiguration={
        "Rules": [{"ID": "short", "Status": "Enabled", "Filter": {"Prefix": "nginx/"},
                   "Expiration": {"Days": 90}}]})
    ids = [syn.resident_id() for _ in range(12)]
    put("app-logs-bj", "nginx/2026-10-01.log",
        [f"2026-10-01T08:{i:02d}:00Z GET /api/user?id_card={v} 200" for i, v in enumerate(ids)])
    planted["app-logs-bj/nginx/2026-10-01.log"] = len(ids)
    ids = [syn.resident_id() for _ in range(9)]
    put("app-logs-bj", "nginx/2026-09-30.log.gz",
        [f"2026-09-30T09:{i:02d}:00Z 实名认证 身份证号 {v} ok" for i, v in enumerate(ids)], gz=True)
    planted["app-logs-bj/nginx/2026-09-30.log.gz"] = len(ids)

    make_bucket(s3, "analytics-sg", "ap-southeast-1")
    ids = [syn.resident_id() for _ in range(6)]
    put("analytics-sg", "events/part-0001.jsonl",
        [json.dumps({"event": "signup", "id_card": v}) for v in ids])
    planted["analytics-sg/events/part-0001.jsonl"] = len(ids)

    make_bucket(s3, "export-public", "cn-northwest-1", ACL="public-read")
    ids = [syn.resident_id() for _ in range(20)]
    put("export-public", "exports/users.csv",
        ["姓名,身份证号,城市"] + [f"用户{i},{v},北京" for i, v in enumerate(ids)])
    planted["export-public/exports/users.csv"] = len(ids)

    make_bucket(s3, "clean-assets", "ap-east-1")
    put("clean-assets", "docs/readme.txt", [f"release note {i}: build 2026.{i}" for i in range(30)])
    put("clean-assets", "data/metrics.csv", ["day,requests"] + [f"2026-10-{d:02d},{d * 17}"
                                                                for d in range(1, 29)])
    return planted


def test_four_bucket_estate_inventory_and_findings(s3, scan, ctx) -> None:
    planted = _estate(s3)
    # one URI per bucket, as `pia scan s3://a s3://b ...`: AWS lists a China-region bucket
    # only to China-partition credentials, so `s3://` would not see all four together
    sources = [f"s3://{b}" for b in BUCKETS]
    result = SourceResult()
    for uri in sources:
        result.extend(scan(uri))
    found: dict[str, int] = defaultdict(int)
    for item in result.inventory:
        if item["entity_type"] == "CN_RESIDENT_ID":
            loc = item["location"]
            found[f"{loc['bucket']}/{loc['key']}"] += item["count"]
    assert dict(found) == planted
    assert not [i for i in result.inventory if i["location"]["bucket"] == "clean-assets"]
    assert result.skipped == []

    report = new_report(sources, ScanOptions().as_parameters(),
                        started="2026-11-01T00:00:00Z")
    report["inventory"], report["facts"] = result.inventory, result.facts
    assert {f["location"]["bucket"] for f in result.facts if f["kind"] == "bucket"} == set(BUCKETS)
    declaration = load_declaration_text(DECLARATION)
    apply_rules(report, load_rulesets(None), declaration)
    finalize(report)
    validate_report(report)

    by_rule: dict[str, set[str]] = defaultdict(set)
    for finding in report["findings"]:
        for loc in finding["locations"]:
            by_rule[finding["rule_id"]].add(loc.get("bucket"))
    assert by_rule["CSL-37-CIIO-LOCALISATION"] == {"analytics-sg"}
    assert by_rule["CSL-40-PUBLIC-EXPOSURE"] == {"export-public"}
    # the log bucket's 90-day lifecycle rule is below the six months of CSL 21(三)
    assert by_rule["CSL-21-LOG-RETENTION"] == {"app-logs-bj"}
    assert "clean-assets" not in set().union(*by_rule.values())

    text = json.dumps(report, ensure_ascii=False)
    assert ACCESS_KEY not in text and SECRET_KEY not in text


def test_images_named_as_faces_fingerprints_or_id_cards(s3, scan) -> None:
    """A KYC bucket of images: each named a biometric or an ID card is one inventory item with
    no value evidence, and GB35273-6.3-RAW-BIOMETRIC fires; other images and a text object
    named like a face are judged by their content."""
    make_bucket(s3, "kyc-faces", "cn-north-1")
    jpeg, png = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8, b"\x89PNG\r\n\x1a\n" + bytes(2048)
    bodies = {"faces/u1001.jpg": jpeg, "人脸/u1002.jpg": jpeg, "fingerprint/u1003.png": png,
              "kyc/idcard_front_u1004.jpg": jpeg, "kyc/身份证正面_u1005.JPEG": jpeg,
              "kyc/IdCard-back.png": png, "banners/summer.jpg": jpeg,
              "faces/readme.txt": b"face photos of users\n"}
    for key, body in bodies.items():
        s3.put_object(Bucket="kyc-faces", Key=key, Body=body)
    result = scan("s3://kyc-faces")
    items = {i["location"]["key"]: i for i in result.inventory}
    assert {k: i["entity_type"] for k, i in items.items()} == {
        "faces/u1001.jpg": "BIOMETRIC", "人脸/u1002.jpg": "BIOMETRIC",
        "fingerprint/u1003.png": "BIOMETRIC", "kyc/idcard_front_u1004.jpg": "CN_RESIDENT_ID",
        "kyc/身份证正面_u1005.JPEG": "CN_RESIDENT_ID", "kyc/IdCard-back.png": "CN_RESIDENT_ID"}
    assert all(i["count"] == 1 and i["evidence"]["samples"] == [] for i in items.values())
    # an image its name classifies is covered, not skipped; an unnamed image is not read
    assert [(s["location"]["key"], s["reason"]) for s in result.skipped] == [
        ("banners/summer.jpg", "binary file (a JPEG image)")]
    # nor is one larger than --max-bytes skipped as read in part: nothing in it is read
    cut = scan("s3://kyc-faces", extra={"max_bytes": 1024})
    assert [s["location"]["key"] for s in cut.skipped] == ["banners/summer.jpg"]
    assert {i["location"]["key"] for i in cut.inventory} == set(items)

    report = new_report(["s3://kyc-faces"], ScanOptions().as_parameters(),
                        started="2026-11-01T00:00:00Z")
    report["inventory"], report["facts"] = result.inventory, result.facts
    apply_rules(report, load_rulesets(None), None)
    finalize(report)
    validate_report(report)
    biometric = [f for f in report["findings"] if f["rule_id"] == "GB35273-6.3-RAW-BIOMETRIC"]
    assert {loc["key"] for f in biometric for loc in f["locations"]} == {
        "faces/u1001.jpg", "人脸/u1002.jpg", "fingerprint/u1003.png"}
