"""SARIF 2.1.0 output: valid, deterministic, with the locations code-scanning tools expect."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from jsonschema import Draft7Validator, FormatChecker
from reports_fixture import ACCEPTED

from pia.report import dumps
from pia.reports import LANGS, render

SCHEMA = json.loads(resources.files("pia").joinpath("schemas/sarif-2.1.0.json").read_text())


def _sarif(report: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    return json.loads(render(report, "sarif", lang=lang))


def _result(sarif: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == rule_id)


def test_the_schema_is_a_valid_draft7_schema() -> None:
    Draft7Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("lang", LANGS)
def test_every_sarif_output_validates(report: dict[str, Any], lang: str) -> None:
    errors = list(Draft7Validator(SCHEMA, format_checker=FormatChecker()).iter_errors(
        _sarif(report, lang)))
    assert [e.message for e in errors] == []


def test_the_schema_rejects_what_sarif_forbids(report: dict[str, Any]) -> None:
    """The schema is strict enough to catch mistakes (so the test above can fail)."""
    validator = Draft7Validator(SCHEMA)
    for broken in ({"level": "critical"}, {"message": {}}, {"locations": [{"region": {}}]},
                   {"suppressions": [{"status": "accepted"}]}):
        sarif = _sarif(report)
        sarif["runs"][0]["results"][0].update(broken)
        assert not validator.is_valid(sarif), broken
    sarif = _sarif(report)
    sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"] = {
        "artifactLocation": {"uri": "x"}, "region": {"startLine": 0}}
    assert not validator.is_valid(sarif)


@pytest.mark.parametrize(("rule_id", "level"), [
    ("PIPL-28-SENSITIVE-PLAINTEXT", "error"),   # critical
    ("CSL-42-PI-IN-LOGS", "error"),             # high
    ("PIPL-6-MINIMISATION", "warning"),         # medium
])
def test_severity_maps_to_level(report: dict[str, Any], rule_id: str, level: str) -> None:
    assert _result(_sarif(report), rule_id)["level"] == level


def test_low_and_info_are_notes(report: dict[str, Any]) -> None:
    levels = {r["properties"]["severity"]: r["level"] for r in _sarif(report)["runs"][0]["results"]
              if r["ruleId"] == "PIPL-51-CLASSIFICATION" and "suppressions" not in r}
    assert levels == {"low": "note", "info": "note"}


def test_file_locations_are_artifacts_with_lines(report: dict[str, Any]) -> None:
    locs = _result(_sarif(report), "CSL-42-PI-IN-LOGS")["locations"]
    assert locs[0]["physicalLocation"] == {
        "artifactLocation": {"uri": "file:///var/log/app/access.log"}, "region": {"startLine": 42}}
    assert locs[1]["physicalLocation"]["region"] == {"startLine": 7}
    assert locs[1]["properties"] == {"member": "2026-01.log"}


def test_migration_locations_have_line_and_column(report: dict[str, Any]) -> None:
    loc = _result(_sarif(report), "PIPL-6-MINIMISATION")["locations"][0]
    assert loc["physicalLocation"] == {
        "artifactLocation": {"uri": "migrations/0042_add_phone.sql"},
        "region": {"startLine": 3, "startColumn": 5}}
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "users.phone"


def test_database_and_bucket_locations_are_logical(report: dict[str, Any]) -> None:
    locs = _result(_sarif(report), "PIPL-28-SENSITIVE-PLAINTEXT")["locations"]
    assert [loc["logicalLocations"][0]["fullyQualifiedName"] for loc in locs] == [
        "crm.public.customers.id_card", "exports-bucket/dumps/users 2026.csv"]
    assert all("physicalLocation" not in loc for loc in locs)


def test_archive_members_in_buckets_and_files_are_named(report: dict[str, Any]) -> None:
    finding = next(f for f in report["findings"] if f["rule_id"] == "CSL-40-PUBLIC-EXPOSURE")
    finding["locations"] = [{"bucket": "crm-bj", "key": "archive/dump.zip",
                             "member": "inner/customers.csv"}]
    logs = next(f for f in report["findings"] if f["rule_id"] == "CSL-42-PI-IN-LOGS")
    logs["locations"].reverse()  # the zip member first: it names the message
    results = _sarif(report)["runs"][0]["results"]
    (loc,) = _result(_sarif(report), "CSL-40-PUBLIC-EXPOSURE")["locations"]
    assert loc["logicalLocations"] == [{"name": "inner/customers.csv", "kind": "resource",
                                        "fullyQualifiedName":
                                            "crm-bj/archive/dump.zip!inner/customers.csv"}]
    assert loc["properties"] == {"member": "inner/customers.csv"}
    messages = {r["ruleId"]: r["message"]["text"] for r in results}
    assert messages["CSL-40-PUBLIC-EXPOSURE"].endswith(
        "— crm-bj/archive/dump.zip!inner/customers.csv")
    assert messages["CSL-42-PI-IN-LOGS"].endswith("— /var/log/app/old.zip!2026-01.log:7 (+1)")
    md = render(report, "md", lang="en")
    assert "`crm-bj/archive/dump.zip!inner/customers.csv`" in md


def test_rules_carry_article_and_quote(report: dict[str, Any]) -> None:
    rules = {r["id"]: r for r in _sarif(report, "zh")["runs"][0]["tool"]["driver"]["rules"]}
    assert sorted(rules) == sorted({f["rule_id"] for f in report["findings"]})
    rule = rules["CSL-21-LOG-RETENTION"]
    assert rule["properties"]["references"][0]["article_2016"] == "21"
    assert "并按照规定留存相关的网络日志不少于六个月" in rule["help"]["text"]
    assert rule["shortDescription"]["text"] == "日志留存不足六个月"
    assert rule["defaultConfiguration"]["level"] == "error"
    run = _sarif(report)["runs"][0]
    assert [run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] for r in run["results"]] == [
        r["ruleId"] for r in run["results"]]


def test_accepted_findings_are_suppressed(report: dict[str, Any]) -> None:
    results = _sarif(report)["runs"][0]["results"]
    suppressed = [r for r in results if r.get("suppressions")]
    assert len(suppressed) == report["summary"]["accepted"] == 1
    assert suppressed[0]["suppressions"] == [{
        "kind": "external", "status": "accepted", "justification": ACCEPTED["reason"],
        "properties": {"owner": "dpo-office", "expires": "2027-03-31"}}]


def test_a_lapsed_acceptance_is_not_a_suppression_but_is_shown(report: dict[str, Any]) -> None:
    (lapsed,) = [r for r in _sarif(report)["runs"][0]["results"]
                 if "lapsedAcceptance" in r["properties"]]
    assert "suppressions" not in lapsed
    assert lapsed["properties"]["lapsedAcceptance"] == {
        "owner": "dba-team", "reason": "加密改造中 ticket-4711", "expires": "2026-01-01"}
    assert lapsed["message"]["text"].endswith("[open (acceptance expired on 2026-01-01)]")


def test_output_is_deterministic_and_survives_a_json_round_trip(report: dict[str, Any]) -> None:
    first = render(report, "sarif", lang="zh")
    reloaded = json.loads(dumps(report))
    assert render(reloaded, "sarif", lang="zh") == first
    shuffled = dict(reloaded, findings=list(reversed(reloaded["findings"])))
    assert render(shuffled, "sarif", lang="zh") == first
