"""A Chinese report punctuates as Chinese text does: a full-width colon after a Chinese label
and a full-width semicolon between the articles a finding cites (QA: 开始时间: and
PIPL 第28条; PIPL 第51条 beside 审计包： and 个人信息清单 23 项，…); English keeps its own."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pia.reports import render

#: a half-width colon or semicolon and a space after Chinese text, a full-width bracket or quote
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff）」”][:;] ")


def _human(out: str) -> str:
    """The page without its style sheet and script (CSS is all ``name: value;``)."""
    out = re.sub(r"<style>.*?</style>|<script>.*?</script>", "", out, flags=re.DOTALL)
    return out


@pytest.mark.parametrize("fmt", ["table", "md", "html"])
def test_chinese_labels_take_full_width_colons(report: dict[str, Any], fmt: str) -> None:
    out = _human(render(report, fmt, lang="zh", width=400))
    assert HALF_WIDTH.findall(out) == []
    assert "开始时间：" in out or fmt == "html"  # the HTML's header has no colon there
    label = {"table": "处理活动清单：", "md": "- **处理活动清单**："}.get(fmt)
    assert label is None or label in out  # the HTML's scope is a table


def test_the_terminal_says_a_rules_findings_in_chinese_brackets(report: dict[str, Any]) -> None:
    out = render(report, "table", lang="zh", width=400)
    assert re.search(r"^[A-Z0-9-]+（严重）：\d+$", out, re.MULTILINE)
    assert re.search(r"^开始时间：\S+ \S+ \(UTC\+8\) · 结束时间：", out, re.MULTILINE)
    english = render(report, "table", lang="en", width=400)
    assert re.search(r"^[A-Z0-9-]+ \(critical\): \d+$", english, re.MULTILINE)
    assert re.search(r"^Started: \S+ \S+ \(UTC\+8\) · Finished: ", english, re.MULTILINE)


@pytest.mark.parametrize("fmt", ["table", "md", "html"])
def test_articles_are_separated_as_the_language_does(report: dict[str, Any], fmt: str) -> None:
    refs = [{"law": "PIPL", "article": "28", "quote": "…"},
            {"law": "PIPL", "article": "51", "clause": "(三)", "quote": "…"}]
    report["findings"][0]["references"] = refs
    assert "《个人信息保护法》第二十八条；《个人信息保护法》第五十一条第（三）项" in render(
        report, fmt, lang="zh", width=400)
    assert "PIPL Art. 28; PIPL Art. 51(3)" in render(report, fmt, lang="en", width=400)
