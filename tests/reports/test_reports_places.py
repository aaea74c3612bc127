"""Where a finding is, in every format: a declared asset's finding names the asset and its
source (the location cell was empty), and per-entity-type findings at one location show the
type (they looked like the same row repeated)."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

from jsonschema import Draft7Validator

from pia.report import summarize
from pia.reports import render

SARIF_SCHEMA = json.loads(resources.files("pia").joinpath("schemas/sarif-2.1.0.json").read_text())

ASSET = {"rule_id": "PIPL-29-SEPARATE-CONSENT", "ruleset": "cn-pipl", "severity": "high",
         "title": {"zh": "处理敏感个人信息未取得单独同意",
                   "en": "Sensitive personal information without separate consent"},
         "references": [{"law": "PIPL", "article": "29",
                         "quote": "处理敏感个人信息应当取得个人的单独同意"}],
         "source": "shop.db", "locations": [],
         "evidence": {"asset": "shop-db", "entity_types": ["CN_RESIDENT_ID"], "pi_items": 1},
         "remediation": {"zh": "取得单独同意", "en": "Obtain separate consent"},
         "status": "open", "fingerprint": "f" * 64}


def _item_finding(entity_type: str) -> dict[str, Any]:
    return {**copy.deepcopy(ASSET), "rule_id": "PIPL-4-UNDECLARED-PI",
            "locations": [{"table": "members", "column": "contact"}],
            "evidence": {"entity_type": entity_type, "count": 3},
            "fingerprint": entity_type.lower().ljust(64, "0")[:64]}


def test_asset_and_entity_type_are_shown_in_every_format(report: dict[str, Any]) -> None:
    report["findings"] = [ASSET, _item_finding("CN_MOBILE"), _item_finding("EMAIL_ADDRESS")]
    report["summary"] = summarize(report)
    for fmt in ("table", "md", "html"):
        out = render(report, fmt, lang="en", width=300)
        assert "asset shop-db (shop.db)" in out, fmt
        assert "members.contact [Mobile number]" in out, fmt
        assert "members.contact [Email address]" in out, fmt


def test_places_are_said_in_chinese_in_a_chinese_report(report: dict[str, Any]) -> None:
    """A Chinese report said "asset shop-db (shop.db)" and "[CN_MOBILE]"."""
    report["findings"] = [ASSET, _item_finding("CN_MOBILE")]
    report["summary"] = summarize(report)
    for fmt in ("table", "md", "html", "sarif"):
        out = render(report, fmt, lang="zh", width=300)
        assert "登记资产 shop-db（shop.db）" in out, fmt
        assert "members.contact [手机号码]" in out, fmt
        assert "asset shop-db (" not in out and "[CN_MOBILE]" not in out, fmt


def _field_finding(location: dict[str, Any], fingerprint: str) -> dict[str, Any]:
    return {**copy.deepcopy(ASSET), "rule_id": "CSL-42-PI-IN-LOGS", "source": "/srv",
            "locations": [location], "evidence": {"entity_type": "CREDENTIAL", "count": 2},
            "fingerprint": fingerprint * 64}


def test_a_field_is_named_beside_its_file_or_object_in_every_format(
        report: dict[str, Any]) -> None:
    """A CSV's or log's field whose name said what its values are showed as ``users.csv:2``
    alone: which column held the passwords was not said. It follows in parentheses, as a
    migration's column does, escaped as every name is."""
    report["findings"] = [
        _field_finding({"path": "/srv/users.csv", "field": "password", "first_line": 2,
                        "lines": [2, 3]}, "a"),
        _field_finding({"bucket": "app-logs", "key": "logs/app.log", "field": "pass|wd<b>`",
                        "first_line": 3, "lines": [3]}, "b")]
    report["summary"] = summarize(report)
    plain = ("/srv/users.csv:2 (password) [Password or credential]",
             "app-logs/logs/app.log:3 (pass|wd<b>`) [Password or credential]")
    out = render(report, "table", lang="en", width=300)
    assert all(place in out for place in plain)
    md = render(report, "md", lang="en")
    assert "`/srv/users.csv:2 (password) [Password or credential]`" in md
    assert "``app-logs/logs/app.log:3 (pass\\|wd<b>`) [Password or credential]``" in md
    html = render(report, "html", lang="en")
    assert "<li>/srv/users.csv:2 (password) [Password or credential]</li>" in html
    assert "<li>app-logs/logs/app.log:3 (pass|wd&lt;b&gt;`) [Password or credential]</li>" in html
    sarif = json.loads(render(report, "sarif", lang="en"))
    results = sarif["runs"][0]["results"]
    assert {r["message"]["text"].split(" — ")[1] for r in results} == set(plain)
    file_loc, object_loc = (r["locations"][0] for r in results)
    assert file_loc["logicalLocations"] == [
        {"name": "password", "fullyQualifiedName": "/srv/users.csv:2 (password)",
         "kind": "member"}]
    assert object_loc["logicalLocations"] == [
        {"name": "logs/app.log", "fullyQualifiedName": "app-logs/logs/app.log:3",
         "kind": "resource"},
        {"name": "pass|wd<b>`", "fullyQualifiedName": "app-logs/logs/app.log:3 (pass|wd<b>`)",
         "kind": "member"}]
    assert file_loc["physicalLocation"]["region"] == {"startLine": 2}
    assert list(Draft7Validator(SARIF_SCHEMA).iter_errors(sarif)) == []
