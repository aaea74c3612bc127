"""Accepted risks in readable reports: who accepted, why, until when; a lapsed one says so.

The engine attaches ``acceptance: {reason, owner, expires}`` (and ``expired: true`` once the
date has passed and the finding is open again); every format a person reads shows all three.
"""

from __future__ import annotations

from typing import Any

import pytest
from reports_fixture import ACCEPTED, HOSTILE, LAPSED, build_report

from pia.declaration import load_declaration_text
from pia.reports import LANGS, render
from pia.reports.i18n import t
from pia.rules import apply_rules, load_rulesets

READABLE = ("md", "html", "table")
#: What each language calls the lapsed status (the date is the acceptance's own, and the last
#: day it held: "expired on" read as lapsing on that day).
LAPSED_STATUS = {"zh": "待处理（风险接受有效期至 2026-01-01，已过期）",
                 "en": "open (acceptance expired after 2026-01-01)",
                 "bo": "open (acceptance expired after 2026-01-01)"}
#: The expiry cell of a lapsed acceptance in the accepted-risks table.
LAPSED_EXPIRY = {"zh": "2026-01-01，已过期", "en": "expired after 2026-01-01",
                 "bo": "expired after 2026-01-01"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", READABLE)
def test_owner_reason_and_expiry_are_shown(report: dict[str, Any], fmt: str, lang: str) -> None:
    out = render(report, fmt, lang=lang, width=400)
    for value in ("dpo-office", "标签迁移计划于 2027Q1 完成", "2027-03-31",
                  "dba-team", "加密改造中 ticket-4711", "2026-01-01"):
        assert value in out, value
    for key in ("owner", "reason", "expires"):
        assert t(key, lang) in out, key
    assert LAPSED_EXPIRY[lang] in out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ("md", "html"))
def test_a_lapsed_acceptance_marks_the_reopened_finding(report: dict[str, Any], fmt: str,
                                                        lang: str) -> None:
    out = render(report, fmt, lang=lang)
    assert out.count(LAPSED_STATUS[lang]) == 2  # the findings table's row, and the rule's row


@pytest.mark.parametrize("lang", LANGS)
def test_terminal_lists_accepted_risks(report: dict[str, Any], lang: str) -> None:
    out = render(report, "table", lang=lang, width=200)
    assert t("accepted_risks", lang) in out
    assert t("paren_fmt", lang).format(text="", inner=t("lapsed", lang)) in out  # severity
    rows = [line for line in out.splitlines() if "dba-team" in line or "dpo-office" in line]
    assert len(rows) == 2
    assert LAPSED_EXPIRY[lang] in next(r for r in rows if "dba-team" in r)


def test_no_acceptance_no_section(report: dict[str, Any]) -> None:
    for finding in report["findings"]:
        finding.pop("acceptance", None)
    assert t("accepted_risks", "en") not in render(report, "table", lang="en", width=200)
    for fmt in ("md", "html"):
        assert t("acceptance", "en") not in render(report, fmt, lang="en")


def test_reports_from_before_owner_and_expiry_still_render(report: dict[str, Any]) -> None:
    accepted = next(f for f in report["findings"] if f["status"] == "accepted")
    accepted["acceptance"] = {"reason": "compensating-control-ticket-4711"}
    for fmt in READABLE:
        assert "compensating-control-ticket-4711" in render(report, fmt, lang="en", width=400)


def test_fixture_matches_the_engine_shape() -> None:
    assert set(ACCEPTED) == {"reason", "owner", "expires"} and LAPSED["expired"] is True
    assert HOSTILE in ACCEPTED["reason"]  # and the format tests prove it is escaped


DECLARATION = """\
version: 1
organisation: {name: 示例, ciio: false}
accept:
  - rule: PIPL-4-UNDECLARED-PI
    location: {table: customers, column: mobile}
    reason: 标签迁移计划于 2027Q1 完成
    owner: dpo@example.cn
    expires: 2027-03-31
  - rule: PIPL-28-SENSITIVE-PLAINTEXT
    location: {table: customers, column: id_card}
    reason: 加密改造中
    owner: dpo@example.cn
    expires: 2026-01-01
"""


@pytest.fixture(scope="module")
def engine_report() -> dict[str, Any]:
    """The engine's own acceptances (QA's repro, on the fixture's inventory)."""
    declaration = load_declaration_text(DECLARATION)
    return apply_rules(build_report(), load_rulesets(), declaration)  # today: 2026-11-28


@pytest.mark.parametrize("fmt", READABLE)
def test_engine_acceptances_are_shown(engine_report: dict[str, Any], fmt: str) -> None:
    by_column = {f["locations"][0]["column"]: f for f in engine_report["findings"]
                 if f.get("acceptance")}
    assert by_column["mobile"]["status"] == "accepted"
    assert by_column["id_card"]["acceptance"]["expired"] is True
    out = render(engine_report, fmt, lang="en", width=400)  # wide: no cell folds
    for value in ("dpo@example.cn", "标签迁移计划于 2027Q1 完成", "2027-03-31", "加密改造中"):
        assert value in out, value
    if fmt != "table":
        assert LAPSED_STATUS["en"] in out


def test_a_chinese_terminal_does_not_cut_a_rule_id(report: dict[str, Any]) -> None:
    """The zh .txt accepted-risk table broke PIPL-6-MINIMISATION as "PIPL-6-MINIMISATI / ON"."""
    for finding in report["findings"]:
        if finding.get("acceptance"):
            finding["rule_id"] = "PIPL-6-MINIMISATION"
            finding["acceptance"].update(owner="ops@example.cn",
                                         reason="全部接受，见风险登记册 RISK-2026-114")
            finding["locations"] = [{"database": "crm.db", "schema": "main",
                                     "table": "employees", "column": "shenfenzheng"}]
    out = render(report, "table", lang="zh", width=100)
    start = out.index(t("accepted_risks", "zh"))
    section = out[start:out.index("\n\n", start)]
    assert section.count("PIPL-6-MINIMISATION") == 2
