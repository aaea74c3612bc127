"""The consent rules read an asset's declared activities; an asset that lists none leaves them
undecided, saying why, instead of passing them (QA finding 1: an activity declared with
``consent: {separate: false}`` but linked to no asset let a table of plaintext resident IDs,
and one of children under 14, pass PIPL-29 and PIPL-31 with ``not_evaluated: []``). Real
SQLite scans."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pia.cli import main
from pia.declaration import load_declaration_text
from pia.rules import evaluate, load_rulesets
from tests.rules.test_rules_scanned import resident_id, scan, table_db

TODAY = dt.date(2026, 11, 30)
#: resident IDs whose check digits hold: two adults, born 1990, and two children, born 2018
IDS = [resident_id("19900307", 1), resident_id("19900307", 2), resident_id("20180101", 3),
       resident_id("20180505", 4)]


@pytest.fixture(scope="module")
def members(tmp_path_factory) -> tuple[Path, dict]:
    """Members with plaintext resident IDs (sensitive PI), two of them children under 14."""
    root = tmp_path_factory.mktemp("members")
    table_db(root, "shop.db", "create table huiyuan (xingming text, shenfenzheng text)",
             [(name, IDS[n % 4]) for n, name in
              enumerate(["王芳", "李娜", "张伟", "刘洋", "陈静", "杨敏", "赵磊", "黄勇"])])
    return root, scan(root, "shop.db")


def _declaration(asset: str) -> str:
    return f"""\
version: 1
assets:
  - {{id: shop, source: shop.db, sensitive: true, {asset}}}
activities:
  - {{id: shopping, purpose: 网上购物, legal_basis: consent,
      consent: {{separate: false, guardian: false}}}}
"""


def _run(members: tuple[Path, dict], declaration: str):
    root, report = members
    decl = load_declaration_text(declaration, str(root / "pia.yaml"))
    decl.bind(report)
    return evaluate(load_rulesets(), report["inventory"], report["facts"], decl, today=TODAY)


def _fired(result) -> set[str]:
    return {f["rule_id"] for f in result.findings}


def _undecided(result, rule_id: str) -> list[str]:
    return [n["reason"] for n in result.not_evaluated if n["rule_id"] == rule_id]


def test_separate_consent_is_undecided_for_an_asset_listing_no_activity(members) -> None:
    result = _run(members, _declaration("minors: false"))
    assert "PIPL-29-SEPARATE-CONSENT" not in _fired(result)
    (reason,) = _undecided(result, "PIPL-29-SEPARATE-CONSENT")
    assert reason == ("undecided for asset shop: asset shop lists no processing activity (list "
                      "its processing activities, with their legal basis and consent, under "
                      "the asset's activities in pia.yaml)")
    # linked to its activity, the same asset is found lacking separate consent
    linked = _run(members, _declaration("minors: false, activities: [shopping]"))
    assert "PIPL-29-SEPARATE-CONSENT" in _fired(linked)
    assert not _undecided(linked, "PIPL-29-SEPARATE-CONSENT")


def test_guardian_consent_is_undecided_for_children_of_an_asset_listing_no_activity(
        members) -> None:
    result = _run(members, _declaration("minors: true"))
    assert "PIPL-31-MINORS" not in _fired(result)
    reasons = _undecided(result, "PIPL-31-MINORS")
    assert reasons and all("asset shop lists no processing activity" in r for r in reasons)
    linked = _run(members, _declaration("minors: true, activities: [shopping]"))
    assert "PIPL-31-MINORS" in _fired(linked)
    assert not _undecided(linked, "PIPL-31-MINORS")


def test_provision_consent_is_undecided_only_for_an_asset_with_recipients(members) -> None:
    result = _run(members, _declaration("minors: false, recipients: [某物流公司]"))
    assert "PIPL-23-PROVISION-CONSENT" not in _fired(result)
    assert _undecided(result, "PIPL-23-PROVISION-CONSENT")
    # an asset declaring neither recipients nor a transfer abroad provides nothing: those
    # rules are decided (false), whatever its activities
    bare = _run(members, _declaration("minors: false"))
    assert not _undecided(bare, "PIPL-23-PROVISION-CONSENT")
    assert not _undecided(bare, "PIPL-39-XBORDER-CONSENT")
    linked = _run(members, _declaration(
        "minors: false, recipients: [某物流公司], activities: [shopping]"))
    assert "PIPL-23-PROVISION-CONSENT" in _fired(linked)


def test_an_activity_no_asset_lists_is_recorded_and_warned_of(members, capsys) -> None:
    root, _ = members
    config = root / "pia.yaml"
    config.write_text(_declaration("minors: false"), encoding="utf-8")
    decl = load_declaration_text(config.read_text(encoding="utf-8"), str(config))
    assert decl.unreferenced_activities() == ["shopping"]
    out = root / "r.json"
    with pytest.raises(SystemExit):
        main(["scan", str(root / "shop.db"), "--config", str(config), "-q", "-o", str(out),
              "--lang", "en"])
    _out, err = capsys.readouterr()
    assert ("pia: warning: declared activity(ies) that no asset lists under its activities: "
            "shopping; their legal basis and consent apply to no asset") in err.splitlines()
    linked = load_declaration_text(_declaration("activities: [shopping]"), str(config))
    assert linked.unreferenced_activities() == []
