"""A rule that a predicate could not decide is said to be so, never a silent pass: a CIIO's
bucket on a self-hosted endpoint (its region a label of unknown jurisdiction) gets no
localisation finding, and ``not_evaluated`` names the bucket, why, and how to decide it.
Connectors place a region with ``mainland_regions`` as the rules do (``regions.place``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pia.declaration import load_declaration_text
from pia.rules import ENGINE, evaluate, load_rulesets
from pia.rules.placement import outside_mainland
from pia.rules.regions import declared_mainland, place

CIIO = """\
version: 1
organisation: {name: 示例, ciio: true, mainland_regions: %s}
"""
#: a MinIO bucket: its region is the server's label
MINIO = {"region": "eu-west-1", "jurisdiction": "unknown", "provider": "custom"}
HINT = "list the mainland ones in organisation.mainland_regions of pia.yaml"


def _bucket(name: str, **attrs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    item = {"source": f"s3://{name}", "location": {"bucket": name, "key": "u.csv"},
            "entity_type": "CN_MOBILE", "count": 3, "sampled": 3, "score": 0.95,
            "sensitive": False, "protected": False, "protection": "plaintext", "evidence": {}}
    fact = {"kind": "bucket", "source": f"s3://{name}", "location": {"bucket": name},
            "attributes": {"replication": [], **attrs}}
    return item, fact


def _evaluate(mainland: str, *buckets: tuple[dict, dict]):
    return evaluate(load_rulesets(["cn-csl", "cn-pipl"]), [b[0] for b in buckets],
                    [b[1] for b in buckets], load_declaration_text(CIIO % mainland),
                    today=dt.date(2026, 11, 28))


def _undecided(result, rule_id: str) -> list[str]:
    return [n["reason"] for n in result.not_evaluated if n["rule_id"] == rule_id]


def test_a_self_hosted_region_is_listed_not_passed() -> None:
    result = _evaluate("[cn-north-1]",
                       _bucket("minio-crm", **MINIO),
                       _bucket("bj", region="cn-north-1", jurisdiction="mainland",
                               provider="aws"))
    fired = {f["rule_id"] for f in result.findings}
    assert not fired & {"CSL-37-CIIO-LOCALISATION", "PIPL-38-XBORDER-MECHANISM"}
    reason = (f"undecided for bucket minio-crm: region eu-west-1 of a self-hosted endpoint is "
              f"of unknown jurisdiction ({HINT})")
    assert _undecided(result, "CSL-37-CIIO-LOCALISATION") == [reason]
    assert _undecided(result, "PIPL-38-XBORDER-MECHANISM") == [reason]


def test_placed_or_known_regions_leave_nothing_undecided() -> None:
    result = _evaluate("[eu-west-1]",
                       _bucket("minio-crm", **MINIO),
                       _bucket("sg", region="ap-southeast-1", jurisdiction="overseas",
                               provider="aws"))
    assert result.not_evaluated == []
    assert [f["locations"][0]["bucket"] for f in result.findings
            if f["rule_id"] == "CSL-37-CIIO-LOCALISATION"] == ["sg"]


def test_a_bucket_without_pi_or_abroad_anyway_is_not_listed() -> None:
    """Undecided only where the unknown decides: no PI, or a replica abroad, settle it."""
    item, fact = _bucket("empty", region="us-east-1", jurisdiction="unknown", provider="custom")
    _, abroad = _bucket("copies", region="us-east-1", jurisdiction="unknown", provider="custom",
                        replication=[{"destination": "x", "region": "ap-southeast-1",
                                      "jurisdiction": "overseas"}])
    result = evaluate(load_rulesets(["cn-csl"]), [{**item, "location": {
        "bucket": "copies", "key": "u.csv"}, "source": "s3://copies"}], [fact, abroad],
        load_declaration_text(CIIO % "[]"), today=dt.date(2026, 11, 28))
    assert result.not_evaluated == []
    assert [f["locations"][0]["bucket"] for f in result.findings
            if f["rule_id"] == "CSL-37-CIIO-LOCALISATION"] == ["copies"]


def test_unreadable_region_and_replication_say_so() -> None:
    result = _evaluate("[]",
                       _bucket("shut", region=None, jurisdiction="unknown", provider="aws"),
                       _bucket("half", region="cn-north-1", jurisdiction="mainland",
                               provider="aws", replication="access_denied"))
    assert _undecided(result, "CSL-37-CIIO-LOCALISATION") == [
        "undecided for bucket half: replication could not be read (access_denied) (grant the "
        "auditor s3:GetReplicationConfiguration)",
        "undecided for bucket shut: region unknown (it could not be read) (grant the auditor "
        "s3:GetBucketLocation)"]
    assert [(n["source"], n["location"]) for n in result.not_evaluated
            if n["rule_id"] == "CSL-37-CIIO-LOCALISATION"] == [
        ("s3://half", {"bucket": "half"}), ("s3://shut", {"bucket": "shut"})]


def test_many_undecided_buckets_are_counted() -> None:
    buckets = [_bucket(f"m{i:02d}", region="us-east-1", jurisdiction="unknown",
                       provider="custom") for i in range(13)]
    reasons = _undecided(_evaluate("[]", *buckets), "CSL-37-CIIO-LOCALISATION")
    assert len(reasons) == 11 and all("of unknown jurisdiction" in r for r in reasons[:10])
    assert reasons[9].startswith("undecided for bucket m09: region us-east-1")
    assert reasons[10] == f"undecided for 3 more ({HINT})"


def test_the_engine_version_says_outcomes_changed() -> None:
    assert ENGINE >= 3


@pytest.mark.parametrize("region, known, patterns, placed", [
    ("eu-west-1", "unknown", ["eu-west-1"], "mainland"),
    ("Oss-CN-Hangzhou ", "unknown", ["oss-cn-*"], "mainland"),
    ("eu-west-1", "unknown", ["cn-*"], "unknown"),
    ("ap-southeast-1", "overseas", ["ap-*"], "overseas"),  # a known place is never moved
    (None, "unknown", ["*"], "unknown"),
    ("eu-west-1", "unknown", None, "unknown"),
])
def test_place(region, known, patterns, placed) -> None:
    assert place(region, known, patterns) == placed
    assert declared_mainland(region, patterns) is (placed == "mainland" or (
        known != "unknown" and region is not None and patterns is not None))


def test_the_predicate_and_the_fact_agree() -> None:
    """A fact placed by the connector and one placed at rule time judge alike."""
    org = {"mainland_regions": ["minio-*"]}
    assert outside_mainland({"bucket": {"region": "minio-hz", "jurisdiction": "unknown",
                                        "provider": "custom"}, "org": org}) is False
    assert outside_mainland({"bucket": {"region": "minio-hz", "jurisdiction":
                                        place("minio-hz", "unknown", org["mainland_regions"]),
                                        "provider": "custom"}}) is False
