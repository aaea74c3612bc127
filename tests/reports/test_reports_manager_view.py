"""The HTML and Markdown reports as a manager reads them (QA): the most severe findings with
their law and place in the summary, links to every section, the findings before the
inventory, a summary sentence without the CLI's ``pia:`` and evidence labels that say what
a number is."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from pia.reports import render, view
from pia.reports.overview import top_findings

ORDER = ["summary", "scope", "findings", "accepted", "inventory", "skipped", "not-evaluated"]
HEADINGS = {"zh": ["执行摘要", "审计对象与方法", "问题", "已接受的风险", "个人信息清单",
                   "跳过的位置", "未评估的规则"],
            "en": ["Executive summary", "Who was audited, and how", "Findings", "Accepted risks",
                   "PI inventory", "Skipped locations", "Rules not evaluated"]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_findings_come_before_the_inventory(report: dict[str, Any], lang: str) -> None:
    html = render(report, "html", lang=lang)
    assert re.findall(r'<section id="([^"]+)"', html) == ORDER
    markdown = render(report, "md", lang=lang)
    assert re.findall(r"^## (.+)$", markdown, re.M) == HEADINGS[lang]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_summary_links_to_every_section(report: dict[str, Any], lang: str) -> None:
    html = render(report, "html", lang=lang)
    nav = re.search(r'<nav class="contents[^>]*>(.*?)</nav>', html)
    assert nav and html.index(nav.group(0)) < html.index('<section id="scope"')
    targets = re.findall(r'href="#([^"]+)"', nav.group(1))
    assert targets == ["top-findings", *ORDER[1:]]
    assert all(f'id="{target}"' in html for target in targets)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_summary_lists_the_most_severe_findings_with_law_and_place(
        report: dict[str, Any], lang: str) -> None:
    top = top_findings(report)
    assert 0 < len(top) <= 5
    assert [f["severity"] for f in top] == sorted(
        (f["severity"] for f in top), key=view.severity_rank)
    assert view.severity_rank(top[0]["severity"]) == min(
        view.severity_rank(f["severity"]) for f in report["findings"] if f["status"] == "open")
    html = render(report, "html", lang=lang)
    listed = re.search(r'<h3 id="top-findings">.*?<ol class="top">(.*?)</ol>', html)
    assert listed and html.index(listed.group(0)) < html.index('<section id="scope"')
    items = re.findall(r"<li>(.*?)</li>", listed.group(1))
    markdown = render(report, "md", lang=lang)
    at = markdown.index("\n### " + ("最需关注的问题" if lang == "zh" else "Top findings"))
    lines = markdown[at:].split("\n\n")[1].splitlines()
    assert len(items) == len(lines) == len(top)
    for finding, item, line in zip(top, items, lines, strict=True):
        item = unescape(item)
        rule = finding["rule_id"]
        count = sum(f["rule_id"] == rule and f["status"] == "open" for f in report["findings"])
        place = view.where(finding, lang)
        for shown in (item, line):
            assert rule in shown and place in shown
            assert view.finding_places(finding, lang)[0] in shown
            assert re.search(rf"\b{count}\b", shown.split(place)[1]), shown
        article = view.name(finding["references"][0]["law"])
        assert article in item or "《" in item
        # each item links to its rule's card
        anchor = re.search(r'href="#(rule-\d+)"', item)
        card = re.search(rf'<article class="finding [a-z]+" id="{anchor.group(1)}">.*?<code>'
                         rf"([^<]+)</code>", html)
        assert card and card.group(1) == rule


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_documents_open_with_the_summary_sentence_not_the_cli_prefix(report: dict[str, Any],
                                                                      lang: str) -> None:
    sentence = view.summary_sentence(report, lang)
    html = render(report, "html", lang=lang)
    assert f'<p class="lead">{sentence}</p>' in unescape(html)
    markdown = render(report, "md", lang=lang)
    assert f"\n\n{sentence}\n" in markdown.replace("\\", "")
    for document in (html, markdown):
        assert "pia：" not in document and "\npia: " not in document
    # the terminal, a command's output, keeps it
    assert render(report, "table", lang=lang, quiet=True).startswith(
        "pia：" if lang == "zh" else "pia: ")


def test_the_age_of_the_oldest_record_is_labelled_so(report: dict[str, Any]) -> None:
    """PIPL-19 showed a bare 天数：2526 beside 留存天数：365."""
    finding = report["findings"][0]
    finding["evidence"] = {"age_days": 2526, "retention_days": 365}
    for fmt in ("html", "md"):
        text = re.sub(r"<[^>]+>|`|\*", "", render(report, fmt, lang="zh"))
        assert "最早记录距今（天）：2526" in text and "留存天数：365" in text
        assert "天数：2526" not in text.replace("距今（天）：2526", "")


def test_a_rule_is_listed_at_its_most_severe_finding() -> None:
    """A rule whose first finding is high and a later one critical (CSL-42: a log of mobiles,
    then one of resident IDs) is listed as critical, at the critical finding's place."""
    def finding(rule: str, severity: str, path: str) -> dict[str, Any]:
        return {"rule_id": rule, "severity": severity, "status": "open",
                "locations": [{"path": path}]}

    report = {"findings": [finding("CSL-42-PI-IN-LOGS", "high", "logs/sms.log"),
                           finding("PIPL-6-MINIMISATION", "high", "shop.db"),
                           finding("CSL-42-PI-IN-LOGS", "critical", "logs/kyc.log"),
                           finding("CSL-42-PI-IN-LOGS", "high", "logs/app.log")]}
    top = top_findings(report)
    assert [(f["rule_id"], f["severity"], f["locations"][0]["path"]) for f in top] == [
        ("CSL-42-PI-IN-LOGS", "critical", "logs/kyc.log"),
        ("PIPL-6-MINIMISATION", "high", "shop.db")]
