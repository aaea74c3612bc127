"""SARIF a code-scanning viewer can resolve (QA): local paths under a described ``SRCROOT``
base, evidence numbers as numbers, every rule a notification names in ``driver.rules``, and
links to the rule catalogue where ``PIA_DOCS_URL`` says it is served."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from reports_scan import LOG_AND_EXPORT
from test_reports_sarif import SCHEMA

from pia.cli import main
from pia.reports import render

REPO = Path(__file__).resolve().parents[2]
DOCS = "https://git.example.com/sec/pia/-/blob/v0.1.0/"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A real scan of ``logs`` from the directory that holds it, as a CI job runs it."""
    tmp = tmp_path_factory.mktemp("srcroot")
    (tmp / "logs").mkdir()
    for name, text in LOG_AND_EXPORT.items():
        (tmp / "logs" / name).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp)
        patch.delenv("PIA_DOCS_URL", raising=False)
        with pytest.raises(SystemExit):
            main(["scan", "logs", "-o", "r.json", "-o", "r.sarif", "-q", "--executor", "serial"])
    return tmp, json.loads((tmp / "r.json").read_text("utf-8"))


def _run(report: dict[str, Any]) -> dict[str, Any]:
    sarif = json.loads(render(report, "sarif", lang="en"))
    Draft7Validator(SCHEMA).validate(sarif)
    return sarif["runs"][0]


def test_local_paths_are_relative_to_a_described_srcroot(
        scanned: tuple[Path, dict[str, Any]]) -> None:
    tmp, _ = scanned
    text = (tmp / "r.sarif").read_text("utf-8")
    run = json.loads(text)["runs"][0]
    artifacts = [loc["physicalLocation"]["artifactLocation"]
                 for r in run["results"] for loc in r["locations"]]
    assert artifacts and {a.get("uriBaseId") for a in artifacts} == {"SRCROOT"}
    assert {a["uri"] for a in artifacts} <= {"logs", "logs/app.log", "logs/users.csv"}
    base = run["originalUriBaseIds"]["SRCROOT"]
    assert "uri" not in base and "ran in" in base["description"]["text"]
    assert str(tmp) not in text  # the auditor's directory is not written into the SARIF


def test_evidence_numbers_stay_numbers(scanned: tuple[Path, dict[str, Any]]) -> None:
    _, report = scanned
    for lang in ("zh", "en"):
        run = json.loads(render(report, "sarif", lang=lang))["runs"][0]
        counts = [r["properties"]["evidence"]["count"] for r in run["results"]
                  if "count" in r["properties"]["evidence"]]
        assert counts and all(type(c) is int for c in counts), counts
        scores = [r["properties"]["evidence"]["score"] for r in run["results"]
                  if "score" in r["properties"]["evidence"]]
        assert all(isinstance(s, float) for s in scores), scores


def test_every_rule_a_notification_names_is_a_driver_rule(report: dict[str, Any]) -> None:
    run = _run(report)
    named = [n["associatedRule"]["id"]
             for n in run["invocations"][0]["toolConfigurationNotifications"]]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert named and set(named) <= set(rules)
    assert rules["PIPL-54-AUDIT-SCALE"]["properties"]["evaluated"] is False


def test_bundled_rules_link_to_their_section_of_the_catalogue(
        report: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIA_DOCS_URL", DOCS.rstrip("/"))  # the / is added
    report["not_evaluated"][0]["ruleset"] = "cn-pipl"  # as the engine records it
    run = _run(report)
    assert run["tool"]["driver"]["informationUri"] == f"{DOCS}README.md"
    anchors = {re.sub(r"[^a-z0-9\-]", "", line[4:].strip().lower())
               for line in (REPO / "docs" / "rules.md").read_text("utf-8").splitlines()
               if line.startswith("### ")}
    for rule in run["tool"]["driver"]["rules"]:
        base, _, anchor = rule["helpUri"].partition("#")
        assert base == f"{DOCS}docs/rules.md"
        assert anchor == rule["id"].lower()
    # the bundled rules' ids name sections the catalogue has
    bundled = {"CSL-21-LOG-RETENTION", "PIPL-28-SENSITIVE-PLAINTEXT", "CSL-42-PI-IN-LOGS"}
    assert {r["id"].lower() for r in run["tool"]["driver"]["rules"]} & {
        b.lower() for b in bundled} <= anchors


@pytest.mark.parametrize("value", [None, "", "docs/", "file:///opt/pia/", "git.example.com/pia"])
def test_no_link_without_an_absolute_web_address(report: dict[str, Any],
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  value: str | None) -> None:
    """helpUri and informationUri must be absolute; a relative or local one would be invalid
    or point into someone's disk."""
    if value is None:
        monkeypatch.delenv("PIA_DOCS_URL", raising=False)
    else:
        monkeypatch.setenv("PIA_DOCS_URL", value)
    run = _run(report)
    assert "informationUri" not in run["tool"]["driver"]
    assert not any("helpUri" in r for r in run["tool"]["driver"]["rules"])


def test_a_custom_rulesets_rule_has_no_link(report: dict[str, Any],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/rules.md lists the bundled rules only."""
    monkeypatch.setenv("PIA_DOCS_URL", DOCS)
    finding = report["findings"][0]
    report["findings"] = [{**finding, "ruleset": "acme-internal", "rule_id": "ACME-1"},
                          *report["findings"]]
    rules = {r["id"]: r for r in _run(report)["tool"]["driver"]["rules"]}
    assert "helpUri" not in rules["ACME-1"] and "helpUri" in rules[finding["rule_id"]]
