"""Bucket posture facts, configured for real on the server and read back over HTTP.

Each row configures one bucket and states the attributes its ``bucket`` fact must carry; the
attributes not named must read "not configured" (``DEFAULTS``), never be absent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import boto3
import pytest
from botocore.config import Config
from s3_server import facts_of, make_bucket, scan_with

from pia.cli import main
from pia.connectors.base import ScanOptions
from pia.connectors.s3 import S3Connector
from pia.connectors.s3.client import provider_of
from pia.connectors.s3.posture import where
from pia.declaration import load_declaration_text
from pia.report import new_report
from pia.rules import apply_rules, load_rulesets
from pia.rules.fields import namespaces
from pia.rules.placement import region_in_mainland

DEFAULTS = {"encryption": "none", "public_access_block": False, "public_acl": False,
            "public_policy": False, "versioning": "none", "object_lock": False,
            "lifecycle": [], "logging": False, "replication": [], "tags": {}, "errors": {}}


def _policy(principal: Any, effect: str = "Allow",
            *conditions: dict[str, Any] | None) -> Callable[[Any, str], None]:
    """A policy of one statement, or of one statement per condition given."""
    def apply(s3: Any, bucket: str) -> None:
        statements = [{"Effect": effect, "Principal": principal, "Action": "s3:GetObject",
                       "Resource": f"arn:aws:s3:::{bucket}/*"} for _ in conditions or [None]]
        for statement, condition in zip(statements, conditions, strict=False):
            if condition is not None:
                statement["Condition"] = condition
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({
            "Version": "2012-10-17", "Statement": statements}))
    return apply


def _both(*steps: Callable[[Any, str], None]) -> Callable[[Any, str], None]:
    def apply(s3: Any, bucket: str) -> None:
        for step in steps:
            step(s3, bucket)
    return apply


ORG_ONLY = {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}


def _raw_policy(document: dict[str, Any]) -> Callable[[Any, str], None]:
    """A policy as a vendor writes it (OSS's, COS's syntax), stored as given."""
    def apply(s3: Any, bucket: str) -> None:
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(document))
    return apply


def _not_principal(bucket: str, condition: dict[str, Any] | None = None,
                   effect: str = "Allow") -> dict[str, Any]:
    """A statement for everyone but one account (``NotPrincipal``)."""
    statement: dict[str, Any] = {
        "Effect": effect, "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}
    if condition is not None:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def _grant_group(uri: str) -> Callable[[Any, str], None]:
    def apply(s3: Any, bucket: str) -> None:
        owner = s3.get_bucket_acl(Bucket=bucket)["Owner"]
        s3.put_bucket_acl(Bucket=bucket, AccessControlPolicy={"Owner": owner, "Grants": [
            {"Grantee": {"Type": "Group", "URI": uri}, "Permission": "READ"}]})
    return apply


#: Aliyun OSS's documented anonymous read: Principal ["*"], Version "1", oss: actions
OSS_ANYONE = {"Version": "1", "Statement": [{
    "Effect": "Allow", "Principal": ["*"], "Action": ["oss:GetObject"],
    "Resource": ["acs:oss:*:1234567890:oss-open/*"]}]}


def _cos(principal: dict[str, Any], condition: dict[str, Any] | None = None,
         effect: str = "allow") -> dict[str, Any]:
    """Tencent COS's syntax: lower-case keys, a qcs principal, name/cos: actions."""
    statement: dict[str, Any] = {
        "effect": effect, "principal": principal, "action": ["name/cos:GetObject"],
        "resource": ["qcs::cos:ap-beijing:uid/1250000000:cos-open-1250000000/*"]}
    if condition:
        statement["condition"] = condition
    return {"version": "2.0", "statement": [statement]}


COS_ANYONE = {"qcs": ["qcs::cam::anyone:anyone"]}


def _encryption(algorithm: str) -> Callable[[Any, str], None]:
    def apply(s3: Any, bucket: str) -> None:
        default: dict[str, str] = {"SSEAlgorithm": algorithm}
        if algorithm == "aws:kms":
            default["KMSMasterKeyID"] = "alias/pia-test"
        s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": default}]})
    return apply


def _pab(**flags: bool) -> Callable[[Any, str], None]:
    def apply(s3: Any, bucket: str) -> None:
        names = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
                 "RestrictPublicBuckets")
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
            n: flags.get(n, True) for n in names})
    return apply


def _lifecycle(s3: Any, bucket: str) -> None:
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": "logs", "Status": "Enabled", "Filter": {"Prefix": "logs/"},
         "Expiration": {"Days": 90}},
        {"ID": "tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"},
         "Expiration": {"Days": 7}},
        {"ID": "off", "Status": "Disabled", "Filter": {"Prefix": "old/"},
         "Expiration": {"Days": 1}},
        {"ID": "on-a-date", "Status": "Enabled", "Filter": {"Prefix": "campaign/"},
         "Expiration": {"Date": "2027-01-01T00:00:00Z"}},
        {"ID": "old-versions", "Status": "Enabled", "Filter": {"Prefix": ""},
         "NoncurrentVersionExpiration": {"NoncurrentDays": 30}},
    ]})


def _logging(s3: Any, bucket: str) -> None:
    make_bucket(s3, f"{bucket}-access")
    s3.put_bucket_acl(Bucket=f"{bucket}-access", ACL="log-delivery-write")
    s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus={"LoggingEnabled": {
        "TargetBucket": f"{bucket}-access", "TargetPrefix": "access/"}})


def _replication(region: str) -> Callable[[Any, str], None]:
    def apply(s3: Any, bucket: str) -> None:
        dest = f"{bucket}-replica"
        make_bucket(s3, dest, region)
        for name in (bucket, dest):
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_replication(Bucket=bucket, ReplicationConfiguration={
            "Role": "arn:aws:iam::123456789012:role/replication",
            "Rules": [{"ID": "all", "Status": "Enabled", "Priority": 1, "Filter": {},
                       "DeleteMarkerReplication": {"Status": "Disabled"},
                       "Destination": {"Bucket": f"arn:aws:s3:::{dest}"}}]})
    return apply


def _versioning(status: str) -> Callable[[Any, str], None]:
    def apply(s3: Any, bucket: str) -> None:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        if status == "Suspended":
            s3.put_bucket_versioning(Bucket=bucket,
                                     VersioningConfiguration={"Status": "Suspended"})
    return apply


def _tags(s3: Any, bucket: str) -> None:
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [
        {"Key": "data-classification", "Value": "一般数据"}, {"Key": "team", "Value": "ops"}]})


# (bucket, region, create kwargs, configure, expected attributes beyond DEFAULTS)
CASES: list[tuple[str, str, dict[str, Any], Callable[[Any, str], None] | None, dict]] = [
    ("plain-use1", "us-east-1", {}, None,
     {"region": "us-east-1", "jurisdiction": "overseas"}),
    ("plain-bj", "cn-north-1", {}, None, {"region": "cn-north-1", "jurisdiction": "mainland"}),
    ("plain-nx", "cn-northwest-1", {}, None,
     {"region": "cn-northwest-1", "jurisdiction": "mainland"}),
    ("plain-hk", "ap-east-1", {}, None, {"region": "ap-east-1", "jurisdiction": "hmt"}),
    ("plain-sg", "ap-southeast-1", {}, None,
     {"region": "ap-southeast-1", "jurisdiction": "overseas"}),
    ("plain-eu", "eu-west-1", {}, None, {"region": "eu-west-1", "jurisdiction": "overseas"}),
    # public and private
    ("acl-public", "cn-north-1", {"ACL": "public-read"}, None, {"public_acl": True}),
    ("acl-authenticated", "cn-north-1", {"ACL": "authenticated-read"}, None,
     {"public_acl": True}),
    ("acl-private", "cn-north-1", {"ACL": "private"}, None, {}),
    ("policy-star", "cn-north-1", {}, _policy("*"), {"public_policy": True}),
    ("policy-aws-star", "cn-north-1", {}, _policy({"AWS": "*"}), {"public_policy": True}),
    ("policy-aws-list", "cn-north-1", {}, _policy({"AWS": ["arn:aws:iam::1:root", "*"]}),
     {"public_policy": True}),
    ("policy-deny-star", "cn-north-1", {}, _policy("*", "Deny"), {}),
    ("policy-account", "cn-north-1", {}, _policy({"AWS": "arn:aws:iam::123456789012:root"}),
     {}),
    # Aliyun OSS and Tencent COS write public access in their own syntax
    ("acl-cos-all-users", "cn-north-1", {},
     _grant_group("http://cam.qcloud.com/groups/global/AllUsers"), {"public_acl": True}),
    ("acl-cos-authenticated", "cn-north-1", {},
     _grant_group("http://cam.qcloud.com/groups/global/AuthenticatedUsers"),
     {"public_acl": True}),
    ("policy-oss-anyone", "cn-north-1", {}, _raw_policy(OSS_ANYONE), {"public_policy": True}),
    ("policy-oss-ip", "cn-north-1", {}, _raw_policy({**OSS_ANYONE, "Statement": [{
        **OSS_ANYONE["Statement"][0],
        "Condition": {"IpAddress": {"acs:SourceIp": ["192.168.0.0/16"]}}}]}),
     {"public_policy": "conditional"}),
    ("policy-cos-anyone", "cn-north-1", {}, _raw_policy(_cos(COS_ANYONE)),
     {"public_policy": True}),
    ("policy-cos-ip", "cn-north-1", {}, _raw_policy(
        _cos(COS_ANYONE, {"ip_equal": {"qcs:ip": ["10.0.0.0/8"]}})),
     {"public_policy": "conditional"}),
    ("policy-cos-deny", "cn-north-1", {}, _raw_policy(_cos(COS_ANYONE, effect="deny")), {}),
    ("policy-cos-account", "cn-north-1", {}, _raw_policy(
        _cos({"qcs": ["qcs::cam::uin/100000000001:uin/100000000002"]})), {}),
    ("policy-cos-top-principal", "cn-north-1", {}, _raw_policy(
        {"version": "2.0", "principal": COS_ANYONE,
         "statement": [{"effect": "allow", "action": ["name/cos:GetObject"],
                        "resource": ["*"]}]}), {"public_policy": True}),
    ("pab-all", "cn-north-1", {}, _pab(), {"public_access_block": True}),
    ("pab-partial", "cn-north-1", {}, _pab(RestrictPublicBuckets=False), {}),
    # a public grant the Public Access Block neutralises is not exposure
    ("pab-over-public-acl", "cn-north-1", {"ACL": "public-read"}, _pab(),
     {"public_access_block": True, "public_acl": "blocked"}),
    ("pab-over-public-policy", "cn-north-1", {}, _both(_policy("*"), _pab()),
     {"public_access_block": True, "public_policy": "blocked"}),
    ("pab-ignores-acls-only", "cn-north-1", {"ACL": "public-read"},
     _both(_policy("*"), _pab(RestrictPublicBuckets=False, BlockPublicPolicy=False)),
     {"public_acl": "blocked", "public_policy": True}),
    ("pab-restricts-policies-only", "cn-north-1", {"ACL": "public-read"},
     _both(_policy("*"), _pab(IgnorePublicAcls=False)),
     {"public_acl": True, "public_policy": "blocked"}),
    # Principal "*" limited by conditions to an organisation, a VPC, fixed addresses
    ("policy-org", "cn-north-1", {}, _policy("*", "Allow", ORG_ONLY),
     {"public_policy": "conditional"}),
    ("policy-vpc-and-ip", "cn-north-1", {}, _policy(
        "*", "Allow", {"StringEquals": {"aws:SourceVpc": "vpc-1a2b3c"}},
        {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.7/32"]}}),
     {"public_policy": "conditional"}),
    ("policy-any-ip", "cn-north-1", {}, _policy(
        "*", "Allow", {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}), {"public_policy": True}),
    ("policy-ip-halves", "cn-north-1", {}, _policy(
        "*", "Allow", {"IpAddress": {"aws:SourceIp": ["0.0.0.0/1", "128.0.0.0/1"]}}),
     {"public_policy": True}),
    ("policy-ip-wide-v6", "cn-north-1", {}, _policy(
        "*", "Allow", {"IpAddress": {"aws:SourceIp": ["2000::/3"]}}), {"public_policy": True}),
    ("policy-ip-slash8", "cn-north-1", {}, _policy(
        "*", "Allow", {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}),
     {"public_policy": "conditional"}),
    ("policy-org-wildcard", "cn-north-1", {}, _policy(
        "*", "Allow", {"StringLike": {"aws:PrincipalOrgID": "o-*"}}), {"public_policy": True}),
    ("policy-not-org", "cn-north-1", {}, _policy(
        "*", "Allow", {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}}),
     {"public_policy": True}),
    ("policy-org-if-exists", "cn-north-1", {}, _policy(
        "*", "Allow", {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}}),
     {"public_policy": True}),
    ("policy-other-key", "cn-north-1", {}, _policy(
        "*", "Allow", {"Bool": {"aws:SecureTransport": "true"}}), {"public_policy": True}),
    ("policy-one-open", "cn-north-1", {}, _policy("*", "Allow", ORG_ONLY, None),
     {"public_policy": True}),
    # everyone but one account (Access Analyzer: public), unless a condition limits it
    ("policy-not-principal", "cn-north-1", {}, _raw_policy(_not_principal("policy-not-principal")),
     {"public_policy": True}),
    ("policy-not-principal-org", "cn-north-1", {}, _raw_policy(
        _not_principal("policy-not-principal-org", ORG_ONLY)), {"public_policy": "conditional"}),
    ("policy-deny-not-principal", "cn-north-1", {}, _raw_policy(
        _not_principal("policy-deny-not-principal", effect="Deny")), {}),
    # encryption, versioning, lock, lifecycle, logging, replication, tags
    ("sse-s3", "cn-north-1", {}, _encryption("AES256"), {"encryption": "AES256"}),
    ("sse-kms", "cn-north-1", {}, _encryption("aws:kms"), {"encryption": "aws:kms"}),
    ("versioned", "cn-north-1", {}, _versioning("Enabled"), {"versioning": "Enabled"}),
    ("suspended", "cn-north-1", {}, _versioning("Suspended"), {"versioning": "Suspended"}),
    ("locked", "cn-north-1", {"ObjectLockEnabledForBucket": True}, None,
     {"object_lock": True, "versioning": "Enabled"}),
    ("expiring-logs", "cn-north-1", {}, _lifecycle,
     {"lifecycle": [{"id": "old-versions", "prefix": "", "noncurrent_days": 30},
                    {"id": "on-a-date", "prefix": "campaign/", "expiration_date": "2027-01-01"},
                    {"id": "logs", "prefix": "logs/", "expiration_days": 90},
                    {"id": "tmp", "prefix": "tmp/", "expiration_days": 7}]}),
    ("logged", "us-east-1", {}, _logging, {"logging": True}),
    ("replicated-abroad", "cn-north-1", {}, _replication("ap-southeast-1"),
     {"versioning": "Enabled", "replication": [{"destination": "replicated-abroad-replica",
                                                "region": "ap-southeast-1",
                                                "jurisdiction": "overseas"}]}),
    ("replicated-home", "cn-north-1", {}, _replication("cn-northwest-1"),
     {"versioning": "Enabled", "replication": [{"destination": "replicated-home-replica",
                                                "region": "cn-northwest-1",
                                                "jurisdiction": "mainland"}]}),
    ("tagged", "us-east-1", {}, _tags,
     {"tags": {"data-classification": "一般数据", "team": "ops"}}),
]


def _one_object(s3: Any, bucket: str) -> None:
    """An object without PI: a bucket named as a source must hold one (an empty one is an
    error, as an empty prefix is), and posture is what these tests read."""
    s3.put_object(Bucket=bucket, Key="readme.txt", Body=b"nothing here\n")


@pytest.fixture(scope="module")
def posture(moto_endpoint, ctx) -> dict[str, dict[str, Any]]:
    """All the rows' buckets on one server, scanned once each."""
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, config=Config(retries={"max_attempts": 1}))
    out = {}
    for bucket, region, kwargs, configure, _ in CASES:
        make_bucket(s3, bucket, region, **kwargs)
        _one_object(s3, bucket)
        if configure is not None:
            configure(s3, bucket)
        # the posture is read while planning: the object (which moto may refuse to serve
        # under a COS-style policy) is not read
        plan = S3Connector().plan(f"s3://{bucket}", ScanOptions(
            extra={"endpoint_url": moto_endpoint, "provider": "aws"}), ctx)
        out[bucket] = facts_of(plan, "bucket")[bucket]
    return out


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bucket_fact(posture, case) -> None:
    bucket, region, _, _, expected = case
    want = {**DEFAULTS, "region": region, "provider": "aws", **expected}
    got = posture[bucket]
    assert {k: got[k] for k in want} == want


@pytest.mark.parametrize("endpoint, region, provider, place", [
    (None, "ap-southeast-1", "aws", "overseas"),  # AWS by default: Singapore
    ("https://s3.cn-north-1.amazonaws.com.cn", "cn-north-1", "aws", "mainland"),
    ("https://obs.ap-southeast-1.myhuaweicloud.com", "ap-southeast-1", "huawei", "hmt"),
    ("https://oss-cn-hongkong.aliyuncs.com", "oss-cn-hongkong", "aliyun", "hmt"),
    ("https://oss-cn-hangzhou.aliyuncs.com", "oss-cn-hangzhou", "aliyun", "mainland"),
    ("https://cos.ap-guangzhou.myqcloud.com", "ap-guangzhou", "tencent", "mainland"),
    ("https://cos.ap-singapore.myqcloud.com", "ap-singapore", "tencent", "overseas"),
    # a self-hosted MinIO or Ceph labels its region as it likes (us-east-1 by default):
    # nowhere in particular, until the declaration's mainland_regions places it
    ("http://minio.internal:9000", "us-east-1", "custom", "unknown"),
    ("http://10.0.0.7:7480", "cn-north-1", "custom", "unknown"),
])
def test_region_read_in_its_providers_table(endpoint, region, provider, place) -> None:
    assert provider_of(endpoint) == provider
    assert where(region, provider) == place


MINIO_DECLARATION = """\
version: 1
organisation: {name: 示例科技, ciio: true%s}
"""


def test_a_self_hosted_endpoint_is_not_judged_abroad(s3, ctx, moto_endpoint) -> None:
    """moto answering as a self-hosted server: its ``us-east-1`` is a label, so no
    localisation or cross-border finding fires on it; ``mainland_regions`` may place it."""
    make_bucket(s3, "minio-crm")
    s3.put_object(Bucket="minio-crm", Key="users.csv", Body="姓名,手机号\n张三,13800138000\n")
    endpoint = moto_endpoint.replace("http://", "http://AKIAUSER:s3cr3t@")
    result = scan_with(ctx, endpoint, "s3://minio-crm", extra={"provider": None})
    attrs = facts_of(result, "bucket")["minio-crm"]
    assert (attrs["region"], attrs["jurisdiction"], attrs["provider"]) == (
        "us-east-1", "unknown", "custom")
    assert attrs["endpoint"] == moto_endpoint  # the host, without its credentials
    for placed in ("", ", mainland_regions: [us-east-1]"):
        report = new_report(["s3://minio-crm"], ScanOptions().as_parameters(),
                            started="2026-11-01T00:00:00Z")
        report["inventory"], report["facts"] = result.inventory, result.facts
        apply_rules(report, load_rulesets(None),
                    load_declaration_text(MINIO_DECLARATION % placed))
        assert report["inventory"]
        assert not {f["rule_id"] for f in report["findings"]} & {
            "CSL-37-CIIO-LOCALISATION", "PIPL-38-XBORDER-MECHANISM"}
    placed_ctx = {"bucket": attrs, "org": {"mainland_regions": ["us-east-1"]}}
    assert region_in_mainland(placed_ctx) is True
    assert region_in_mainland({"bucket": attrs}) is None  # unknown, not overseas


def test_objects_made_public_by_their_own_acl(s3, ctx, moto_endpoint) -> None:
    """A private bucket whose export holding PI was uploaded public-read: the object reads
    public, the bucket counts it; IgnorePublicAcls neutralises it; objects without PI are
    not asked about."""
    body = "姓名,手机号\n张三,13800138000\n".encode()
    for bucket, ignore in (("objacl-open", False), ("objacl-ignored", True)):
        make_bucket(s3, bucket, "cn-north-1")
        s3.put_object(Bucket=bucket, Key="export/users.csv", Body=body, ACL="public-read")
        s3.put_object(Bucket=bucket, Key="export/private.csv", Body=body)
        s3.put_object(Bucket=bucket, Key="docs/readme.txt", Body=b"no PI\n", ACL="public-read")
        if ignore:
            _pab(IgnorePublicAcls=True, BlockPublicAcls=False, BlockPublicPolicy=False,
                 RestrictPublicBuckets=False)(s3, bucket)
        result = scan_with(ctx, moto_endpoint, f"s3://{bucket}")
        objects = facts_of(result, "object")
        assert {k: a.get("public_acl") for k, a in objects.items()} == {
            f"{bucket}/docs/readme.txt": None, f"{bucket}/export/private.csv": False,
            f"{bucket}/export/users.csv": "blocked" if ignore else True}
        attrs = facts_of(result, "bucket")[bucket]
        assert (attrs["public_acl"], attrs["pi_objects_public"]) == (False, 0 if ignore else 1)


def test_scanned_facts_carry_only_attributes_rules_may_name(s3, ctx, moto_endpoint) -> None:
    """Every attribute a scan records is in context.schema.json, so a rule may name it."""
    make_bucket(s3, "named-attrs", "cn-north-1")
    _versioning("Enabled")(s3, "named-attrs")
    s3.put_object(Bucket="named-attrs", Key="a/users.csv",
                  Body="姓名,手机号\n张三,13800138000\n".encode(), ACL="public-read")
    s3.delete_object(Bucket="named-attrs", Key="a/users.csv")
    s3.put_object(Bucket="named-attrs", Key="a/users.csv",
                  Body="姓名,手机号\n李四,13900139000\n".encode())
    _pab(BlockPublicPolicy=False)(s3, "named-attrs")
    s3.put_bucket_lifecycle_configuration(Bucket="named-attrs", LifecycleConfiguration={
        "Rules": [{"ID": "t", "Status": "Enabled", "Filter": {"Tag": {"Key": "k", "Value": "v"}},
                   "Expiration": {"Days": 7}}]})
    result = scan_with(ctx, moto_endpoint, "s3://named-attrs")
    known = namespaces()
    for fact in result.facts:
        assert set(fact["attributes"]) <= set(known[fact["kind"]]["properties"]), fact["kind"]
    attrs = facts_of(result, "bucket")["named-attrs"]
    lifecycle_item = known["bucket"]["properties"]["lifecycle"]["items"]["properties"]
    assert set(attrs["lifecycle"][0]) <= set(lifecycle_item)
    assert {"noncurrent_versions", "ignore_public_acls", "shortest_expiry_days",
            "pi_objects_public"} <= set(attrs)


def test_mainland_regions_place_the_fact_as_the_rules_do(s3, ctx, moto_endpoint) -> None:
    """A self-hosted bucket whose region the declaration places: its fact says ``mainland``
    (the JSON agrees with the evaluation); a cloud's known region is not moved."""
    for bucket, region in (("minio-placed", "eu-west-1"), ("aws-abroad", "ap-southeast-1")):
        make_bucket(s3, bucket, region)
        _one_object(s3, bucket)
    declared = replace(ctx, declaration={"organisation": {"mainland_regions": ["eu-*", "ap-*"]}})
    placed = facts_of(scan_with(declared, moto_endpoint, "s3://minio-placed",
                                extra={"provider": None}), "bucket")["minio-placed"]
    assert (placed["region"], placed["jurisdiction"], placed["provider"]) == (
        "eu-west-1", "mainland", "custom")
    abroad = facts_of(scan_with(declared, moto_endpoint, "s3://aws-abroad"),
                      "bucket")["aws-abroad"]
    assert (abroad["jurisdiction"], abroad["provider"]) == ("overseas", "aws")
    alone = facts_of(scan_with(ctx, moto_endpoint, "s3://minio-placed",
                               extra={"provider": None}), "bucket")["minio-placed"]
    assert alone["jurisdiction"] == "unknown"


def test_a_ciio_self_hosted_bucket_is_not_a_silent_pass(s3, moto_endpoint, tmp_path,
                                                        monkeypatch) -> None:
    """``pia scan --config``: the bucket of unknown jurisdiction is named under
    ``not_evaluated`` for CSL-37 and PIPL-38, in the JSON and the Markdown."""
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    make_bucket(s3, "minio-eu", "eu-west-1")
    s3.put_object(Bucket="minio-eu", Key="users.csv", Body="姓名,手机号\n张三,13800138000\n")
    config = tmp_path / "pia.yaml"
    config.write_text(MINIO_DECLARATION % ", mainland_regions: [cn-north-1]", "utf-8")
    out, md = tmp_path / "r.json", tmp_path / "r.md"
    with pytest.raises(SystemExit):
        main(["scan", "s3://minio-eu", "--endpoint-url", moto_endpoint, "--config",
              str(config), "--executor", "serial", "--lang", "en", "-q", "-o", str(out),
              "-o", str(md)])
    report = json.loads(out.read_text())
    reason = ("undecided for bucket minio-eu: region eu-west-1 of a self-hosted endpoint is of "
              "unknown jurisdiction (list the mainland ones in organisation.mainland_regions "
              "of pia.yaml)")
    assert [(n["rule_id"], n["reason"]) for n in report["not_evaluated"]] == [
        ("CSL-37-CIIO-LOCALISATION", reason), ("PIPL-38-XBORDER-MECHANISM", reason)]
    assert reason.replace("_", "\\_") in md.read_text()
