"""Every format, every language: same numbers, no raw PI, no credentials, escaped content."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reports_fixture import HOSTILE, RAW_VALUES, SECRETS

from pia.errors import UsageError
from pia.report import validate_report
from pia.reports import FORMATS, LANGS, default_lang, render, view
from pia.reports.i18n import severity_label
from pia.reports.markdown import code, esc, prose

CASES = [(fmt, lang) for fmt in FORMATS for lang in LANGS]
RAW = [v for values in RAW_VALUES.values() for v in values]


def test_registry_lists_the_five_formats() -> None:
    assert FORMATS == ("json", "html", "md", "sarif", "table")


@pytest.mark.parametrize(("fmt", "lang"), [("pdf", "zh"), ("html", "fr"), ("md", "")])
def test_unknown_format_or_language_is_a_usage_error(report: dict[str, Any], fmt: str,
                                                     lang: str) -> None:
    with pytest.raises(UsageError):
        render(report, fmt, lang=lang)


def test_json_is_the_report_itself(report: dict[str, Any]) -> None:
    assert json.loads(render(report, "json")) == report


@pytest.mark.parametrize(("fmt", "lang"), CASES)
def test_no_raw_value_and_no_credential_in_any_format(report: dict[str, Any], fmt: str,
                                                      lang: str) -> None:
    out = render(report, fmt, lang=lang, width=400)  # wide: no value is folded over two lines
    leaked = [v for v in RAW + SECRETS if v in out]
    assert leaked == []
    assert "auditor:***@db.internal" in out


@pytest.mark.parametrize(("fmt", "lang"), CASES)
def test_unexpected_evidence_is_withheld(report: dict[str, Any], fmt: str, lang: str) -> None:
    """A rule that puts a raw value into evidence by mistake does not get it printed."""
    finding = report["findings"][0]
    finding["evidence"] = {**finding["evidence"], "value": RAW_VALUES["CN_MOBILE"][0],
                           "row": {"id_card": RAW_VALUES["CN_RESIDENT_ID"][0]},
                           "note": f"holder {RAW_VALUES['CN_NAME'][0]} at {RAW[-2]}"}
    finding["evidence"]["samples"].append(RAW_VALUES["CN_BANK_CARD"][0])
    report["inventory"][0]["evidence"]["samples"].append(RAW_VALUES["EMAIL_ADDRESS"][0])
    out = render(report, fmt, lang=lang, width=400)
    if fmt == "json":  # the JSON is the report itself: guarding it is the scan's job
        return
    assert [v for v in RAW if v in out] == []


@pytest.mark.parametrize("fmt", ["html", "md", "table", "sarif"])
def test_summary_counts_are_shown(report: dict[str, Any], fmt: str) -> None:
    """The counts every format prints are the report's own summary, not recomputed ones."""
    report["summary"]["findings"] = 4321  # a stored summary wins over the findings list
    out = render(report, fmt, lang="en", width=200)
    if fmt == "sarif":
        assert json.loads(out)["runs"][0]["properties"]["summary"]["findings"] == 4321
    else:
        assert "4321 open findings" in out.replace("\\", "")


@pytest.mark.parametrize("lang", LANGS)
def test_legal_quotes_stay_in_chinese(report: dict[str, Any], lang: str) -> None:
    quotes = {r["quote"] for f in report["findings"] for r in f["references"]}
    for fmt in ("html", "md", "sarif"):
        out = render(report, fmt, lang=lang)
        assert [q for q in quotes if q not in out] == []


@pytest.mark.parametrize(("lang", "heading", "title"), [
    ("zh", "执行摘要", "敏感个人信息明文存储"),
    ("en", "Executive summary", "Sensitive PI stored in plaintext"),
    ("bo", "སྤྱི་བསྡོམས།", "Sensitive PI stored in plaintext"),  # bo titles fall back to en
])
@pytest.mark.parametrize("fmt", ["html", "md", "table"])
def test_language_of_headings_and_texts(report: dict[str, Any], fmt: str, lang: str,
                                        heading: str, title: str) -> None:
    out = render(report, fmt, lang=lang, width=300)
    assert heading in out
    assert title in out


def test_html_escapes_report_content_and_is_self_contained(report: dict[str, Any]) -> None:
    out = render(report, "html", lang="en")
    assert "<script>alert" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in out
    assert out.count("<script>") == 1  # the report's own script, nothing else
    assert re.findall(r"https?://|<link|<iframe|<img|@import|url\(|\bsrc=", out) == []
    assert "innerHTML" not in out and "outerHTML" not in out
    # one row per rule, severity and status, each linking to its rule's card
    rules = list(dict.fromkeys(f["rule_id"] for f in view.sorted_findings(report)))
    findings = out[out.index('<section id="findings"'):]  # the summary links to them too
    assert re.findall(r'href="([^"]*)"', findings) == [
        f"#rule-{rules.index(group[0]['rule_id']) + 1}"
        for group in view.groups(view.sorted_findings(report))]
    assert [f'id="rule-{n}"' in out for n in range(1, len(rules) + 1)] == [True] * len(rules)
    assert "Content-Security-Policy" in out and "@media print" in out


@pytest.mark.parametrize("key", ["sources", "inventory_items", "findings", "accepted", "skipped"])
def test_html_summary_elements_hold_the_summary(report: dict[str, Any], key: str) -> None:
    out = render(report, "html", lang="zh")
    assert f'data-summary="{key}">{report["summary"][key]}<' in out


def test_markdown_escapes_report_content(report: dict[str, Any]) -> None:
    out = render(report, "md", lang="en")
    outside_code = re.sub(r"(`+).*?\1", "", out)  # code spans show their text literally
    assert "<script>" in out and "<" not in outside_code
    tables = re.findall(r"(?m)(?:^\|.*\n)+", out)
    assert any("card_no" in table for table in tables)
    for table in tables:  # a '|' in a name is no new cell: every row as wide as its header
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in table.splitlines()}
        assert len(widths) == 1, table


@pytest.mark.parametrize(("value", "expected"), [
    ("plain", "plain"),
    ("a|b", "a\\|b"),
    ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
    ("[link](http://x)", "\\[link\\](http://x)"),
    ("# heading", "\\# heading"),
    ("line\nbreak", "line break"),
    ("*em* _u_ `c`", "\\*em\\* \\_u\\_ \\`c\\`"),
])
def test_markdown_esc(value: str, expected: str) -> None:
    assert esc(value) == expected


@pytest.mark.parametrize(("value", "cell", "expected"), [
    ("t.c", True, "`t.c`"),
    ("a|b", True, "`a\\|b`"),
    ("a|b", False, "`a|b`"),
    ("x`y", False, "``x`y``"),
    ("`x", False, "`` `x ``"),
])
def test_markdown_code_spans(value: str, cell: bool, expected: str) -> None:
    assert code(value, cell=cell) == expected


@pytest.mark.parametrize(("value", "cell", "expected"), [
    ("Mark the asset `sensitive: true` in pia.yaml", False,
     "Mark the asset `sensitive: true` in pia.yaml"),
    ("# `a|b` *x*", True, "\\# `a\\|b` \\*x\\*"),
    ("a ` lone backtick", False, "a \\` lone backtick"),
    ("``x`y`` then `z`", False, "``x`y`` then `z`"),
    ("<b>`<i>`</b>", False, "&lt;b&gt;`<i>`&lt;/b&gt;"),  # a code span shows <i> literally
    ("` ` and ``", False, "\\` \\` and \\`\\`"),
])
def test_markdown_prose_keeps_code_spans(value: str, cell: bool, expected: str) -> None:
    """A ruleset's title or remediation: code spans stay code spans (they showed as
    backslash-backticks), the rest is escaped as esc escapes it."""
    assert prose(value, cell=cell) == expected


def test_markdown_remediation_shows_code_spans(report: dict[str, Any]) -> None:
    finding = report["findings"][0]
    finding["remediation"] = {"zh": "在 pia.yaml 中将该资产标记为 `sensitive: true`。",
                              "en": "Mark the asset `sensitive: true` in pia.yaml."}
    out = render(report, "md", lang="en")
    assert "**Remediation**: Mark the asset `sensitive: true` in pia.yaml." in out
    assert "\\`" not in out.split("**Remediation**: Mark the asset", 1)[1].split("\n", 1)[0]
    assert "将该资产标记为 `sensitive: true`。" in render(report, "md", lang="zh")


def test_hostile_names_survive_in_every_format(report: dict[str, Any]) -> None:
    sarif = json.loads(render(report, "sarif", lang="en"))
    names = [loc["fullyQualifiedName"] for r in sarif["runs"][0]["results"]
             for loc0 in r["locations"] for loc in loc0.get("logicalLocations", [])]
    assert f"shop.{HOSTILE}.card_no" in names
    assert "[red]x[/red]" in render(report, "table", lang="en", width=300, color=True)


def test_partial_report_says_so(report: dict[str, Any]) -> None:
    report["scan"]["complete"] = False
    validate_report(report)
    for fmt in ("html", "md", "table"):
        assert "Scan incomplete" in render(report, fmt, lang="en", width=200)


def test_empty_report_renders(report: dict[str, Any]) -> None:
    from pia.report import finalize

    for key in ("inventory", "findings", "skipped"):
        report[key] = []
    finalize(report)
    for fmt in FORMATS:
        assert render(report, fmt, lang="en")
    assert "No open findings." in render(report, "md", lang="en")


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "bo_CN.UTF-8"}, "bo"),
    ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "zh"),
    ({"LANG": "C"}, "zh"),
])
def test_default_lang_from_locale(env: dict[str, str], expected: str) -> None:
    assert default_lang(env) == expected


def _tags(html: str) -> list[str]:
    from html.parser import HTMLParser

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.seen: list[str] = []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            self.seen.append(tag + "".join(sorted(f" {k}" for k, _ in attrs)))

        def handle_endtag(self, tag: str) -> None:
            self.seen.append("/" + tag)

    parser = Tags()
    parser.feed(html)
    return parser.seen


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(alphabet="<>&\"'/=ab !-\n", min_size=1, max_size=40),
                 st.text(min_size=1, max_size=40)))
def test_html_structure_does_not_depend_on_report_text(report: dict[str, Any], name: str) -> None:
    """Whatever a table name, title or reason holds, the page has the same elements."""
    def with_text(value: str) -> str:
        r = copy.deepcopy(report)
        r["inventory"][0]["location"]["table"] = value
        r["findings"][0]["title"]["en"] = value
        r["findings"][0]["locations"][0]["table"] = value
        r["skipped"][0]["reason"] = value
        return render(r, "html", lang="en")

    assert _tags(with_text(name)) == _tags(with_text("x"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_narrow_terminal_keeps_every_column(report: dict[str, Any], lang: str) -> None:
    """At 40 columns rich gave the source and title columns no width (names gone) and printed
    a severity a letter a line; the tables are now lists of "column: value" lines."""
    out = render(report, "table", lang=lang, width=40)
    lines = out.splitlines()
    assert all(len(line) <= 40 for line in lines)
    finding = report["findings"][0]
    title = finding["title"][lang].replace(" ", "")
    assert title in "".join(lines).replace(" ", "")  # folded, never dropped
    severity = severity_label(finding["severity"], lang)
    assert any(line.strip().startswith(severity) for line in lines)
    for source in {item["source"] for item in report["inventory"]}:
        assert view.source_text(source)[:30] in out
