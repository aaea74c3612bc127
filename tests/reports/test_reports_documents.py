"""HTML and Markdown for a board and for large estates: findings grouped by rule and capped,
what was not checked said at the top, who was audited and how, accepted risks in a table,
names shown as they are, Tibetan fallbacks marked, English plurals right."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pia.reports import render, view


def _many(report: dict[str, Any], copies: int) -> dict[str, Any]:
    first = next(f for f in report["findings"] if f["rule_id"] == "CSL-42-PI-IN-LOGS")
    for n in range(copies):
        report["findings"].append({**first, "locations": [{"path": f"logs/app-{n:05d}.log"}],
                                   "fingerprint": f"{n:064x}"})
    return report


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_findings_are_grouped_by_rule_and_capped(report: dict[str, Any], fmt: str) -> None:
    report = _many(report, 2 * view.DOCUMENT_LOCATIONS)
    total = sum(f["rule_id"] == "CSL-42-PI-IN-LOGS" for f in report["findings"])
    out = render(report, fmt, lang="en")
    # the law's quote and the remediation once per rule, not once per finding
    assert out.count("确保其收集的个人信息安全") == 1
    assert out.count("Fix: Unmasked PI in logs") == 1
    assert len(re.findall(r"logs/app-\d{5}\.log", out)) == view.DOCUMENT_LOCATIONS - 1
    assert f"+{total - view.DOCUMENT_LOCATIONS} more, see the JSON report" in out
    assert f"({total})" in out  # the rule's heading counts every finding


def test_a_big_report_renders_small_and_fast(report: dict[str, Any]) -> None:
    import time

    report = _many(report, 5000)
    report["inventory"] = report["inventory"] * 600
    start = time.process_time()  # CPU: a loaded machine stretches wall time
    html = render(report, "html", lang="zh")
    assert time.process_time() - start < 3
    assert len(html.encode()) < 1_000_000  # 5,000 findings made 8 MB, one card each
    assert html.count("<tr data-entity") == view.DOCUMENT_INVENTORY
    assert f'data-more="{len(report["inventory"]) - view.DOCUMENT_INVENTORY}"' in html


@pytest.mark.parametrize(("fmt", "lang", "expected"), [
    ("html", "en", '<span class="num" data-summary="not_evaluated">1</span>'),
    ("md", "en", "| Rules not evaluated | 1 |"),
    ("html", "zh", "1 条规则未评估（no declared inventory (pia.yaml)）"),
    ("md", "en", "> **1 rule not evaluated (no declared inventory (pia.yaml))"),
    ("md", "en", "> **1 location skipped (not read)"),
])
def test_what_was_not_checked_is_said_at_the_top(report: dict[str, Any], fmt: str, lang: str,
                                                 expected: str) -> None:
    out = render(report, fmt, lang=lang)
    assert expected in out
    assert out.index(expected) < out.index(view.summary_sentence(report, lang)[:10]) + 2000


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_who_was_audited_and_how(report: dict[str, Any], fmt: str) -> None:
    report["scan"]["parameters"] = {"sample": 1000, "seed": 7, "full": False,
                                    "max_objects": 200, "max_bytes": 8388608}
    report["scan"]["declaration"] = {"path": "pia.yaml", "sha256": "ab" * 32,
                                     "organisation": {"name": "示例科技有限公司"},
                                     "unmatched_assets": ["analytics-sg"]}
    report["scan"]["fingerprint_key_id"] = "4db2583535a306b2"
    out = render(report, fmt, lang="zh")
    for shown in ("示例科技有限公司", "pia.yaml (sha256 abababababab…)", "analytics-sg",
                  "每张数据库表抽样 1000 行（随机种子 7）", "每个前缀最多 200 个对象",
                  "4db2583535a306b2"):
        assert shown in out, shown
    report["scan"]["parameters"]["full"] = True
    full = render(report, fmt, lang="zh")
    assert "数据库表完整读取（--full）" in full
    # --full reads every object whole, whatever limits the parameters kept
    assert "对象存储全部对象完整读取，未抽样（--full）" in full and "每个前缀最多" not in full
    report["scan"]["sources"] = [s for s in report["scan"]["sources"] if "s3:" not in s]
    assert "对象存储" not in render(report, fmt, lang="zh")  # no bucket scanned


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_accepted_risks_have_their_own_table(report: dict[str, Any], fmt: str) -> None:
    out = render(report, fmt, lang="en")
    start = out.index("<h2>Accepted risks" if fmt == "html" else "## Accepted risks")
    section = out[start:out.index("</section>" if fmt == "html" else "\n## ", start)]
    rows = re.findall(r"<tr><td>.*?</tr>" if fmt == "html" else r"(?m)^\| `PIPL.*$", section)
    assert len(rows) == 2  # the live acceptance and the lapsed one
    assert "dpo-office" in rows[1] and "2027-03-31" in rows[1]
    assert "dba-team" in rows[0] and "expired after 2026-01-01" in rows[0]


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_newline_in_a_name_is_not_a_space(report: dict[str, Any], fmt: str) -> None:
    logs = next(f for f in report["findings"] if f["rule_id"] == "CSL-21-LOG-RETENTION")
    logs["locations"] = [{"path": "logs/new\nline.log"}, {"path": "logs/new line.log"}]
    out = render(report, fmt, lang="en")
    assert "logs/new\\nline.log" in out and "logs/new line.log" in out


def test_tibetan_fallbacks_are_marked_english(report: dict[str, Any]) -> None:
    out = render(report, "html", lang="bo")
    assert '<span lang="en">Sensitive PI stored in plaintext' in out  # a title: no Tibetan
    assert '<span lang="en">Resident ID number</span>' in out  # a category
    assert '<span lang="en">plaintext</span>' in out
    body = re.sub(r'<span lang="en">.*?</span>|<code>.*?</code>|<style>.*?</style>'
                  r"|<script>.*?</script>|<[^>]+>", "", out, flags=re.S)
    assert not re.search(r"\b(?:Art\.|open|withheld|expired)\b", body)
    # headings with no Tibetan yet (QA: Top findings, Who was audited were unmarked)
    assert '<h3 id="top-findings"><span lang="en">Top findings</span>' in out
    assert '<h2><span lang="en">Who was audited, and how</span>' in out
    assert not re.search(r"Top findings|Who was audited", body)
    # the summary line is Tibetan, built from the translated labels (a document's, without
    # the CLI's "pia: ")
    assert '<p class="lead">ཞིབ་བཤེར་བྱས་པའི་འབྱུང་ཁུངས། 5 ·' in out


@pytest.mark.parametrize(("sources", "items", "findings", "line"), [
    (1, 1, 1, "pia: 1 source, 1 PI item, 1 open finding ("),
    (2, 3, 0, "pia: 2 sources, 3 PI items, 0 open findings ("),
])
def test_english_plurals(report: dict[str, Any], sources: int, items: int, findings: int,
                         line: str) -> None:
    report["summary"].update(sources=sources, inventory_items=items, findings=findings)
    assert view.summary_line(report, "en").startswith(line)


@pytest.mark.parametrize(("lang", "labels"), [
    ("en", ["Records of minors: <span class=mono>29</span>",
            "Severity raised: <span class=mono>raised from medium (minors)</span>",
            "Declared asset: <span class=mono>shop-db</span>"]),
    ("zh", ["未成年人记录数：<span class=mono>29</span>",
            "严重程度已提升：<span class=mono>由“中”提升"
            "（原因：涉及不满十四周岁未成年人）</span>"]),
])
def test_evidence_keys_are_labels(report: dict[str, Any], lang: str, labels: list[str]) -> None:
    report["findings"][0]["evidence"] = {"minors_count": 29, "asset": "shop-db",
                                         "severity_raised": {"from": "medium",
                                                             "reason": "minors"}}
    out = render(report, "html", lang=lang)
    for label in labels:
        assert label in out
    assert "minors_count" not in out and "severity_raised" not in out
