"""SARIF 2.1.0 output: valid, deterministic, with the locations code-scanning tools expect."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any
from urllib.parse import unquote, urljoin

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
        "artifactLocation": {"uri": "migrations/0042_add_phone.sql", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 3, "startColumn": 5}}
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "users.phone"


def test_database_and_bucket_locations_are_physical_and_logical(report: dict[str, Any]) -> None:
    """GitHub refuses a file with one result that has no physicalLocation: a column and an
    object are named by a path under PIASOURCE, and keep their logical location."""
    locs = _result(_sarif(report), "PIPL-28-SENSITIVE-PLAINTEXT")["locations"]
    assert [loc["logicalLocations"][0]["fullyQualifiedName"] for loc in locs] == [
        "crm.public.customers.id_card", "exports-bucket/dumps/users 2026.csv"]
    assert [loc["physicalLocation"]["artifactLocation"] for loc in locs] == [
        {"uri": "postgresql/db.internal:5432/crm/public/customers/id_card",
         "uriBaseId": "PIASOURCE"},
        {"uri": "s3/exports-bucket/dumps/users%202026.csv", "uriBaseId": "PIASOURCE"}]
    assert "PIASOURCE" in _sarif(report)["runs"][0]["originalUriBaseIds"]


@pytest.mark.parametrize(("key", "uri"), [
    ("dumps/users 2026.csv", "s3/b/dumps/users%202026.csv"),
    # an empty segment is a character of the key, not a separator that resolvers fold
    ("dup//a.txt", "s3/b/dup%2F%2Fa.txt"),
    ("dup/a.txt", "s3/b/dup/a.txt"),
    ("/lead.txt", "s3/b/%2Flead.txt"),
    ("lead.txt", "s3/b/lead.txt"),
    ("dir/", "s3/b/dir%2F"),
    # dot segments would climb out of the bucket when resolved against PIASOURCE
    ("../etc/passwd", "s3/b/%2E%2E/etc/passwd"),
    ("dir/../up.txt", "s3/b/dir/%2E%2E/up.txt"),
    ("./dot.txt", "s3/b/%2E/dot.txt"),
    ("..", "s3/b/%2E%2E"),
    ("...", "s3/b/..."),
    # '](', '|' and '://' survive whole; a '%' is a character
    ("md|pipe](http://evil.example/x)", "s3/b/md%7Cpipe%5D(http:%2F%2Fevil.example/x)"),
    ("a%2Fb", "s3/b/a%252Fb"),
])
def test_each_key_has_its_own_uri(report: dict[str, Any], key: str, uri: str) -> None:
    finding = next(f for f in report["findings"] if f["rule_id"] == "CSL-40-PUBLIC-EXPOSURE")
    finding["locations"] = [{"bucket": "b", "key": key, "first_line": 3}]
    (loc,) = _result(_sarif(report), "CSL-40-PUBLIC-EXPOSURE")["locations"]
    assert loc["physicalLocation"]["artifactLocation"] == {"uri": uri, "uriBaseId": "PIASOURCE"}
    resolved = urljoin("file:///src/", uri)
    assert unquote(resolved.removeprefix("file:///src/s3/b/")) == key


def test_a_noncurrent_version_has_a_uri_of_its_own(report: dict[str, Any]) -> None:
    """QA: two versions of export.csv, both holding IDs, had one physical URI; only the
    logical location told them apart."""
    finding = next(f for f in report["findings"] if f["rule_id"] == "CSL-40-PUBLIC-EXPOSURE")
    finding["locations"] = [{"bucket": "b", "key": "export.csv", "first_line": 2},
                            {"bucket": "b", "key": "export.csv", "first_line": 2,
                             "version_id": "ab81&x=1"}]
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"]
            for loc in _result(_sarif(report), "CSL-40-PUBLIC-EXPOSURE")["locations"]]
    assert uris == ["s3/b/export.csv", "s3/b/export.csv?versionId=ab81%26x=1"]


def test_dot_segments_in_database_names_are_encoded(report: dict[str, Any]) -> None:
    finding = next(f for f in report["findings"] if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT")
    finding["locations"][0].update(schema=".", table="..")
    uri = _result(_sarif(report), "PIPL-28-SENSITIVE-PLAINTEXT")["locations"][0][
        "physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "postgresql/db.internal:5432/crm/%2E/%2E%2E/id_card"


def test_object_locations_have_their_line(report: dict[str, Any]) -> None:
    finding = next(f for f in report["findings"] if f["rule_id"] == "CSL-40-PUBLIC-EXPOSURE")
    finding["locations"] = [{"bucket": "crm-bj", "key": "a.zip", "member": "u.csv",
                             "first_line": 4, "lines": [4, 9]}, {"bucket": "crm-bj"}]
    result = _result(_sarif(report), "CSL-40-PUBLIC-EXPOSURE")
    assert [loc["physicalLocation"].get("region") for loc in result["locations"]] == [
        {"startLine": 4}, None]
    assert result["message"]["text"].endswith("— crm-bj/a.zip!u.csv:4 (+1)")


def test_every_result_has_a_physical_location(report: dict[str, Any]) -> None:
    """SQLite columns are in their file; a declared asset's finding is in the declaration."""
    report["scan"]["declaration"] = {"path": "conf/pia.yaml", "sha256": "0" * 64}
    report["findings"].append({**report["findings"][0], "locations": [], "source": "shop.db",
                               "evidence": {"asset": "shop-db", "pi_items": 3},
                               "rule_id": "PIPL-55-PIA-TRIGGER"})
    sqlite = next(f for f in report["findings"] if f["rule_id"] == "CSL-40-PUBLIC-EXPOSURE")
    sqlite.update(source="data/shop.db", locations=[{"table": "members", "column": "sfzh"}])
    results = _sarif(report)["runs"][0]["results"]
    assert all(loc["physicalLocation"]["artifactLocation"]["uri"]
               for r in results for loc in r["locations"]) and all(r["locations"] for r in results)
    (asset,) = _result(_sarif(report), "PIPL-55-PIA-TRIGGER")["locations"]
    assert asset == {"physicalLocation": {"artifactLocation": {"uri": "conf/pia.yaml",
                                                               "uriBaseId": "SRCROOT"}},
                     "logicalLocations": [{"name": "shop-db", "fullyQualifiedName":
                                           "asset shop-db", "kind": "resource"}]}
    (column,) = _result(_sarif(report), "CSL-40-PUBLIC-EXPOSURE")["locations"]
    assert column["physicalLocation"] == {"artifactLocation": {"uri": "data/shop.db",
                                                               "uriBaseId": "SRCROOT"}}
    assert column["logicalLocations"][0]["fullyQualifiedName"] == "members.sfzh"


@pytest.mark.parametrize(("path", "uri"), [
    ("src/logs/<script>alert(2)<\\script>.log", "src/logs/%3Cscript%3Ealert(2)%3C%5Cscript%3E.log"),
    ("c:data/a.log", "./c:data/a.log"),
    ("q?x#y%20z.log", "q%3Fx%23y%2520z.log"),
    ("logs/c:d.log", "logs/c:d.log"),
    ("/var/log/a b.log", "file:///var/log/a%20b.log"),
])
def test_artifact_uris_are_relative_references_of_the_path(report: dict[str, Any], path: str,
                                                           uri: str) -> None:
    logs = next(f for f in report["findings"] if f["rule_id"] == "CSL-21-LOG-RETENTION")
    logs["locations"] = [{"path": path}]
    (loc,) = _result(_sarif(report), "CSL-21-LOG-RETENTION")["locations"]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == uri


def test_rule_severity_is_the_declared_one(report: dict[str, Any]) -> None:
    """A finding the engine raised (minors) keeps the rule at its declared severity; the
    result says how severe it is."""
    for finding in report["findings"]:
        if finding["rule_id"] == "PIPL-51-CLASSIFICATION":
            finding["severity"] = "high"
            finding["evidence"]["severity_raised"] = {"from": "medium", "reason": "minors"}
    run = _sarif(report)["runs"][0]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "PIPL-51-CLASSIFICATION")
    assert (rule["defaultConfiguration"], rule["properties"]["security-severity"]) == (
        {"level": "warning"}, "5.5")
    results = [r for r in run["results"] if r["ruleId"] == "PIPL-51-CLASSIFICATION"]
    assert {(r["level"], r["properties"]["declaredSeverity"]) for r in results} == {
        ("error", "medium")}


def test_skipped_and_not_evaluated_are_notifications(report: dict[str, Any]) -> None:
    (invocation,) = _sarif(report, "en")["runs"][0]["invocations"]
    (skipped,) = invocation["toolExecutionNotifications"]
    assert skipped["message"]["text"] == "Skipped: /var/log/app/core.bin — binary file"
    (rule,) = invocation["toolConfigurationNotifications"]
    assert rule["associatedRule"] == {"id": "PIPL-54-AUDIT-SCALE"}
    assert "no declared inventory" in rule["message"]["text"]


def test_ruleset_text_in_help_markdown_is_escaped(report: dict[str, Any]) -> None:
    finding = report["findings"][0]
    finding["remediation"] = {"zh": "[指南](https://evil.example/x) <iframe src=//e>\n# h",
                              "en": "[guide](https://evil.example/x) ![](https://e/t.png)"}
    finding["references"][0]["quote"] = "</blockquote><script>alert(2)</script>"
    rule = next(r for r in _sarif(report, "zh")["runs"][0]["tool"]["driver"]["rules"]
                if r["id"] == finding["rule_id"])
    markdown = rule["help"]["markdown"]
    # as the Markdown report: no link, no tag, and the newline folded (no heading)
    assert "\\[指南\\](https://evil.example/x) &lt;iframe src=//e&gt; # h" in markdown
    assert "&lt;/blockquote&gt;&lt;script&gt;" in markdown and "<" not in markdown


def test_controls_and_bidi_are_escaped_in_every_string(report: dict[str, Any]) -> None:
    db = next(f for f in report["findings"] if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT")
    db["locations"][0]["column"] = "\u202edi\x9bx\x07"
    db["title"]["en"] = "title \u2066x\nnext"
    text = render(report, "sarif", lang="en")
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]",
                         json.dumps(json.loads(text), ensure_ascii=False).replace("\\n", ""))
    message = _result(json.loads(text), "PIPL-28-SENSITIVE-PLAINTEXT")["message"]["text"]
    assert message.startswith("title \\u2066x\\nnext — crm.public.customers.\\u202edi\\x9bx\\x07")


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
    # the rules of the findings, then those not evaluated (which notifications name)
    assert sorted(rules) == sorted({f["rule_id"] for f in report["findings"]}
                                   | {n["rule_id"] for n in report["not_evaluated"]})
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
    assert lapsed["message"]["text"].endswith("[open (acceptance expired after 2026-01-01)]")


def test_output_is_deterministic_and_survives_a_json_round_trip(report: dict[str, Any]) -> None:
    first = render(report, "sarif", lang="zh")
    reloaded = json.loads(dumps(report))
    assert render(reloaded, "sarif", lang="zh") == first
    shuffled = dict(reloaded, findings=list(reversed(reloaded["findings"])))
    assert render(shuffled, "sarif", lang="zh") == first


def test_a_declared_assets_finding_points_at_the_assets_line(report: dict[str, Any]) -> None:
    """A finding about a declared asset pointed at pia.yaml with no region, though the
    declaration is read with its lines: the report now records each asset's line
    (scan.declaration.asset_lines) and the SARIF location has it; an older report without
    them still gets the file, with no guessed region."""
    from pia.declaration import load_declaration_text
    from pia.report import validation_errors

    text = ("version: 1\norganisation: {name: x}\nassets:\n"
            "  - id: crm\n    source: postgresql://crm.internal/crm\n"
            "  - {id: shop-db, source: shop.db}\n")
    report["scan"]["declaration"] = load_declaration_text(text, "conf/pia.yaml").reference()
    assert report["scan"]["declaration"]["asset_lines"] == {"crm": 4, "shop-db": 6}
    assert validation_errors(report) == []
    report["findings"].append({**report["findings"][0], "locations": [], "source": "shop.db",
                               "evidence": {"asset": "shop-db", "pi_items": 3},
                               "rule_id": "PIPL-55-PIA-TRIGGER"})
    (asset,) = _result(_sarif(report), "PIPL-55-PIA-TRIGGER")["locations"]
    assert asset["physicalLocation"] == {"artifactLocation": {"uri": "conf/pia.yaml",
                                                              "uriBaseId": "SRCROOT"},
                                         "region": {"startLine": 6}}
    del report["scan"]["declaration"]["asset_lines"]
    (asset,) = _result(_sarif(report), "PIPL-55-PIA-TRIGGER")["locations"]
    assert asset["physicalLocation"] == {"artifactLocation": {"uri": "conf/pia.yaml",
                                                              "uriBaseId": "SRCROOT"}}
    report["scan"]["declaration"]["asset_lines"] = {"shop-db": 0}  # a hand-edited report
    assert validation_errors(report) != []
