"""CSL-40-PUBLIC-EXPOSURE on a public bucket policy: a finding where the policy lets anyone
read the objects holding PI (or list keys that hold PI themselves), not wherever it lets
anyone do anything. Policies configured for real on the moto server, scanned over HTTP,
judged by the bundled rules.

QA: a policy allowing Principal "*" only s3:GetObject on public-assets/* (the PI under
exports/), only s3:PutObject, only s3:ListBucket, or with NotResource, raised a critical
"Bucket holding PI is publicly accessible" whose own evidence said pi_objects_public: 0."""

from __future__ import annotations

import json
from typing import Any

import pytest
from s3_server import facts_of, make_bucket

from pia.connectors.base import ScanOptions, SourceResult
from pia.connectors.s3.policy import listable, readable
from pia.report import finalize, new_report, validate_report
from pia.rules import apply_rules, load_rulesets

RULE = "CSL-40-PUBLIC-EXPOSURE"
EXPORT = "姓名,手机号\n张三,13800138000\n".encode()
BUCKET = "qa-shop"


def _statement(action: Any, resource: str = "", *, effect: str = "Allow",
               not_resource: str = "") -> dict[str, Any]:
    """One statement to Principal "*" on keys of BUCKET (``""``: the bucket itself)."""
    arn = f"arn:aws:s3:::{BUCKET}"
    where = ({"NotResource": f"{arn}/{not_resource}"} if not_resource
             else {"Resource": f"{arn}/{resource}" if resource else arn})
    return {"Effect": effect, "Principal": "*", "Action": action, **where}


def _report(result: SourceResult) -> dict[str, Any]:
    report = new_report([f"s3://{BUCKET}"], ScanOptions().as_parameters(),
                        started="2026-11-01T00:00:00Z")
    report["inventory"], report["facts"] = result.inventory, result.facts
    apply_rules(report, load_rulesets(None), None)
    finalize(report)
    validate_report(report)
    return report


CASES = [
    # (id, statements, keys beside the export, exposed, PI objects anyone may read, listing)
    ("public-assets-only", [_statement("s3:GetObject", "public-assets/*")], False, 0, False),
    ("put-only", [_statement("s3:PutObject", "*")], False, 0, False),
    ("list-only", [_statement("s3:ListBucket")], False, 0, True),
    ("not-resource-exports", [_statement("s3:GetObject", not_resource="exports/*")],
     False, 0, False),
    ("get-version-only", [_statement("s3:GetObjectVersion", "*")], False, 0, False),
    # what does reach the export
    ("exports", [_statement("s3:GetObject", "exports/*")], True, 1, False),
    ("get-star", [_statement("s3:Get*", "*")], True, 1, False),
    ("everything", [_statement("*", "*"), _statement("s3:*")], True, 1, True),
    ("not-resource-assets", [_statement(["s3:GetObject"], not_resource="public-assets/*")],
     True, 1, False),
    # an explicit deny to anyone wins over the allow
    ("denied-exports", [_statement("s3:GetObject", "*"),
                        _statement("s3:*", "exports/*", effect="Deny")], False, 0, False),
]


@pytest.mark.parametrize("statements, exposed, readable_pi, listing",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_public_policy_is_exposure_where_it_reaches_the_pi(s3, scan, statements, exposed,
                                                             readable_pi, listing) -> None:
    make_bucket(s3, BUCKET, "cn-north-1")
    s3.put_object(Bucket=BUCKET, Key="exports/users.csv", Body=EXPORT)
    s3.put_object(Bucket=BUCKET, Key="public-assets/logo.txt", Body=b"a logo\n")
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17",
                                                           "Statement": statements}))
    result = scan(f"s3://{BUCKET}")
    attrs = facts_of(result, "bucket")[BUCKET]
    assert attrs["public_policy"] is True  # the policy is public: the fact still says so
    assert f"{BUCKET}/exports/users.csv" in facts_of(result, "object")  # the PI was read
    assert (attrs["pi_objects_policy_public"], attrs["public_listing"]) == (readable_pi, listing)
    findings = [f for f in _report(result)["findings"] if f["rule_id"] == RULE]
    assert bool(findings) == exposed
    for finding in findings:
        assert finding["evidence"]["public_read"] == 1
        assert finding["evidence"]["grants"] == attrs["public_grants"]


def test_a_listing_open_to_anyone_exposes_keys_that_hold_pi(s3, scan) -> None:
    """Listing-only: the contents stay private, but the keys go to anyone: where a key holds
    a person's number (avatars/13812345678.jpg), that number is published."""
    make_bucket(s3, BUCKET, "cn-north-1")
    s3.put_object(Bucket=BUCKET, Key="avatars/13812345678.jpg", Body=b"\xff\xd8\xff")
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [_statement("s3:ListBucket")]}))
    result = scan(f"s3://{BUCKET}")
    attrs = facts_of(result, "bucket")[BUCKET]
    assert (attrs["public_listing"], attrs["objects_named"]) == (True, 1)
    assert [f["rule_id"] for f in _report(result)["findings"]].count(RULE) == 1


def test_a_public_policy_blocked_by_restrict_public_buckets_opens_nothing(s3, scan) -> None:
    make_bucket(s3, BUCKET, "cn-north-1")
    s3.put_object(Bucket=BUCKET, Key="exports/users.csv", Body=EXPORT)
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [_statement("s3:GetObject", "*")]}))
    s3.put_public_access_block(Bucket=BUCKET, PublicAccessBlockConfiguration={
        "BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": False,
        "RestrictPublicBuckets": True})
    attrs = facts_of(scan(f"s3://{BUCKET}"), "bucket")[BUCKET]
    assert (attrs["public_policy"], attrs["pi_objects_policy_public"],
            attrs["public_listing"]) == ("blocked", 0, False)


@pytest.mark.parametrize("grant, key, can_read", [
    # OSS, COS and OBS write actions and resources their own way
    ({"effect": "allow", "actions": ["oss:GetObject"], "resources": ["acs:oss:*:*:b/exports/*"]},
     "exports/u.csv", True),
    ({"effect": "allow", "actions": ["name/cos:GetObject"],
      "resources": ["qcs::cos:ap-guangzhou:uid/1250000000:b/*"]}, "exports/u.csv", True),
    ({"effect": "allow", "actions": ["obs:object:GetObject"],
      "resources": ["obs:*:*:object:b/public/*"]}, "exports/u.csv", False),
    ({"effect": "allow", "actions": ["s3:getobject"], "resources": ["arn:aws-cn:s3:::b/*"]},
     "a[1].csv", True),
    ({"effect": "allow", "not_actions": ["s3:PutObject"], "resources": ["*"]}, "x.csv", True),
    ({"effect": "allow", "not_actions": ["s3:Get*"], "resources": ["*"]}, "x.csv", False),
])
def test_vendor_syntaxes(grant, key, can_read) -> None:
    assert readable([grant], "b", key) is can_read


def test_listing_by_vendor() -> None:
    assert listable([{"effect": "allow", "actions": ["name/cos:GetBucket"],
                      "resources": ["*"]}], "b")
    assert listable([{"effect": "allow", "actions": ["oss:ListObjects"],
                      "resources": ["acs:oss:*:*:b"]}], "b")
    assert not listable([{"effect": "allow", "actions": ["s3:Get*"], "resources": ["*"]}], "b")
