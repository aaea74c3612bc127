"""What a compliance manager reads in every format: times in China Standard Time, reasons and
notes in the report's language, empty declarations said as such, counts said as what they
count (QA: findings 4, 5, 6 and 8 of the reports review)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pia.reports import render
from pia.reports.evidence import evidence_rows
from pia.rules.engine import NO_DECLARATION

GBT = {"law": "GB/T 35273-2020", "article": "6.3", "clause": "a)",
       "quote": "传输和存储个人敏感信息时，应采用加密等安全措施", "verified": False}


def _retention(report: dict[str, Any]) -> dict[str, Any]:
    return next(f for f in report["findings"] if f["rule_id"] == "CSL-21-LOG-RETENTION")


@pytest.mark.parametrize("fmt", ["html", "md", "sarif"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_evidence_time_is_shown_in_china_standard_time(report: dict[str, Any], fmt: str,
                                                          lang: str) -> None:
    """A log line of 2026-09-02 00:00:00 (Beijing) was shown as "最早记录:
    2026-09-01T16:00:00Z" under a header promising UTC+8: another day than the log's."""
    _retention(report)["evidence"]["oldest"] = "2026-09-01T16:00:00Z"
    text = render(report, fmt, lang=lang)
    assert "2026-09-02 00:00:00 (UTC+8)" in text
    assert "2026-09-01T16:00:00Z" not in text


def test_json_keeps_evidence_times_in_utc(report: dict[str, Any]) -> None:
    _retention(report)["evidence"]["oldest"] = "2026-09-01T16:00:00Z"
    assert _retention(json.loads(render(report, "json")))["evidence"]["oldest"] \
        == "2026-09-01T16:00:00Z"


@pytest.mark.parametrize(("evidence", "shown"), [
    ({"oldest": "2026-09-01T16:00:00Z"}, "2026-09-02 00:00:00 (UTC+8)"),
    ({"oldest": "2026-09-01T16:00:00.5+00:00"}, "2026-09-02 00:00:00 (UTC+8)"),
    ({"oldest": "2026-09-02T00:00:00+08:00"}, "2026-09-02 00:00:00 (UTC+8)"),
    ({"last_modified": ["2026-01-01T00:00:00Z", "2026-06-30T20:00:00Z"]},
     "2026-01-01 08:00:00 (UTC+8), 2026-07-01 04:00:00 (UTC+8)"),
    # no zone recorded (a database's own clock), or a date: shown as recorded, not guessed
    ({"oldest": "2018-01-01 09:00:00"}, "2018-01-01 09:00:00"),
    ({"last_pi_audit": "2025-12-31"}, "2025-12-31"),
])
def test_which_evidence_times_are_converted(evidence: dict[str, Any], shown: str) -> None:
    assert [value for _, value in evidence_rows(evidence, "en")] == [shown]


@pytest.mark.parametrize(("evidence", "lang", "shown"), [
    ({"declared_categories": []}, "zh", ("登记的种类", "（未登记）")),
    ({"declared_categories": []}, "en", ("Declared categories", "none declared")),
    ({"recipients": []}, "zh", ("接收方", "无")),
    ({"recipients": []}, "en", ("Recipients", "none")),
    ({"declared_categories": ["CN_MOBILE"]}, "zh", ("登记的种类", "手机号码")),
])
def test_an_empty_list_is_said_to_be_empty(evidence: dict[str, Any], lang: str,
                                           shown: tuple[str, str]) -> None:
    """pi_categories: [] printed "登记的种类: " and nothing, read as a rendering fault."""
    assert evidence_rows(evidence, lang) == [shown]


@pytest.mark.parametrize(("fmt", "times"), [("html", 2), ("md", 2), ("sarif", 1)])
def test_rules_not_evaluated_give_their_reason_in_chinese(report: dict[str, Any], fmt: str,
                                                          times: int) -> None:
    """The 未评估的规则 table of a --lang zh report said "not evaluated: no declaration"."""
    report["not_evaluated"] = [{"rule_id": "PIPL-54-AUDIT-SCALE", "reason": NO_DECLARATION},
                               {"rule_id": "X-1", "reason": "not evaluated: custom reason"}]
    zh = render(report, fmt, lang="zh")
    assert "no declaration" not in zh
    # the headline (HTML, Markdown) and the rule's row (a SARIF notification)
    assert zh.count("未提供处理活动清单（pia.yaml）") == times
    assert "custom reason" in zh and "not evaluated: custom reason" not in zh
    en = render(report, fmt, lang="en")
    assert "no declaration" in en and "not evaluated: not evaluated" not in en


def _sarif_rule(report: dict[str, Any], rule_id: str, lang: str) -> dict[str, Any]:
    rules = json.loads(render(report, "sarif", lang=lang))["runs"][0]["tool"]["driver"]["rules"]
    return next(r for r in rules if r["id"] == rule_id)


@pytest.mark.parametrize(("lang", "note"), [("zh", "引文来自二手文本，未经核对"),
                                            ("en", "quote from a secondary copy, not verified")])
def test_sarif_rule_help_marks_an_unverified_quote(report: dict[str, Any], lang: str,
                                                   note: str) -> None:
    """HTML and Markdown mark a GB/T quote taken from a secondary copy; SARIF's help showed it
    as verbatim law."""
    finding = report["findings"][0]
    finding["references"] = [*finding["references"], GBT]
    rule = _sarif_rule(report, finding["rule_id"], lang)
    lines = rule["help"]["text"].splitlines()
    assert [line for line in lines if note in line] == [
        line for line in lines if GBT["quote"] in line]
    assert len([line for line in lines if note in line]) == 1
    assert not any(note in line for line in lines if "采取相应的加密" in line)  # verified
    md = rule["help"]["markdown"]
    marked = {"zh": f"（{note}）：", "en": f" ({note}): "}[lang]  # full-width in Chinese
    assert f"6.3 a)**{marked}「{GBT['quote']}」" in md
    assert md.count(note) == 1
    assert rule["properties"]["references"][-1]["verified"] is False
    for fmt in ("html", "md"):
        assert note in render(report, fmt, lang=lang)


def test_sarif_rule_help_says_an_inferred_article_number(report: dict[str, Any]) -> None:
    rule = _sarif_rule(report, "CSL-42-PI-IN-LOGS", "en")
    assert "(article number inferred)" in rule["help"]["text"]


@pytest.mark.parametrize(("fmt", "lang", "header"), [
    ("html", "zh", "<th data-type=\"number\" class=num>位置数</th>"),
    ("md", "zh", "| 个人信息种类 | 位置数 |"),
    ("md", "en", "| Category | Locations |"),
    ("table", "en", "Locations"),
])
def test_pi_by_category_counts_locations_and_says_so(report: dict[str, Any], fmt: str, lang: str,
                                                     header: str) -> None:
    """"手机号码 6" under 数量 read as six phone numbers; it counts inventory locations."""
    text = render(report, fmt, lang=lang, width=200)
    section = text[text.index("个人信息（按种类）" if lang == "zh" else "PI by category"):]
    assert header in section[:600]
