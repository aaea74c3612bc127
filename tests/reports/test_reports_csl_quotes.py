"""A CSL quote shows whose words it is: the rules cite the amended CSL's 2026 numbers in the
2016 wording (the law folder holds only the 2016 text), and the law folder marks some of those
numbers inferred. Every format that shows the quote says both beside it."""

from __future__ import annotations

import json
import os

import pytest

from pia.reports import render
from pia.scan import ScanRequest, run_scan

LEAK = "确保其收集的个人信息安全，防止信息泄露、毁损、丢失"
CITED = {"zh": "第四十四条", "en": "Art. 44"}
NOTES = {"zh": ("引文为 2016 年文本，修正后文本未核对", "条号为推定"),
         "en": ("quote from the 2016 text, amended text not checked", "article number inferred")}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    """A real scan of a log that writes a mobile: CSL-42-PI-IN-LOGS, citing CSL 44 (2016: 42)."""
    root = tmp_path_factory.mktemp("csl")
    (root / "logs").mkdir()
    (root / "logs" / "app.log").write_text(
        "".join(f"2026-11-30 10:00:0{n} INFO login ok phone=1380013800{n}\n" for n in range(5)),
        "utf-8")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return run_scan(ScanRequest(sources=["logs"])).report
    finally:
        os.chdir(cwd)


def _leak_reference(report: dict) -> dict:
    finding = next(f for f in report["findings"] if f["rule_id"] == "CSL-42-PI-IN-LOGS")
    return next(r for r in finding["references"] if r["quote"] == LEAK)


def test_json_carries_the_quotes_edition_and_the_inferred_number(report: dict) -> None:
    ref = _leak_reference(json.loads(render(report, "json", lang="en")))
    assert (ref["article"], ref["article_2016"]) == ("44", "42")
    assert ref["quote_edition"] == "2016" and ref["numbering_inferred"] is True


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_html_and_markdown_say_it_beside_the_quote(report: dict, fmt: str, lang: str) -> None:
    text = render(report, fmt, lang=lang)
    before = text[:text.index(LEAK)]
    article = before[before.rindex(CITED[lang]):]  # the citation the quote stands under
    for note in NOTES[lang]:
        assert note in article, (fmt, lang, note)


def test_sarif_says_it_in_the_rules_help(report: dict) -> None:
    rules = json.loads(render(report, "sarif", lang="en"))["runs"][0]["tool"]["driver"]["rules"]
    rule = next(r for r in rules if r["id"] == "CSL-42-PI-IN-LOGS")
    line = next(line for line in rule["help"]["text"].splitlines() if LEAK in line)
    assert all(note in line for note in NOTES["en"])
    assert rule["properties"]["references"][0]["quote_edition"] == "2016"
