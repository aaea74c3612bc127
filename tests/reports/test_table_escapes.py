"""The terminal report shows hostile report strings escaped, never obeys them.

A finding title, a location, a source or an acceptance reason is text from the audited
systems or from whoever made the report. Raw, ``ESC[2J ESC[3J ESC[H`` clears the screen and
the scrollback (erasing a verdict printed above), ``ESC]0;…BEL`` sets the window title, ``\\x9b``
is an 8-bit CSI, a bidi override reorders what is read and a newline breaks the table. Each
must come out as its escaped spelling; Chinese and Tibetan text as itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from pia.cli import main
from pia.report import validate_report
from pia.reports import render

HOSTILE = ("藏文 བོད་ཡིག\x1b[2J\x1b[3J\x1b[HVERIFIED\x1b]0;pwned\x07\x9b31m"
           "\u202eevil\u2066\nnext\tend")
#: ``HOSTILE`` as it must be shown, spelled out by hand.
SHOWN = (r"藏文 བོད་ཡིག\x1b[2J\x1b[3J\x1b[HVERIFIED\x1b]0;pwned\x07\x9b31m"
         r"\u202eevil\u2066\nnext\tend")
#: What must never reach the output: C0 but the line breaks between rows, DEL, C1, bidi.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile(report: dict[str, Any]) -> dict[str, Any]:
    """The report with ``HOSTILE`` in a title, a path, a source and two acceptance reasons."""
    source = f"/srv/{HOSTILE}"
    report["scan"]["sources"].append(source)
    for finding in report["findings"]:
        if finding["rule_id"] == "CSL-42-PI-IN-LOGS":
            finding["title"] = {"zh": f"日志中的个人信息 {HOSTILE}", "en": f"PI in logs {HOSTILE}"}
            finding["locations"][0]["path"] = f"/var/log/{HOSTILE}.log"
            finding["source"] = source
        if finding.get("acceptance"):
            finding["acceptance"]["reason"] = f"原因 {HOSTILE}"
    report["summary"]["sources"] += 1  # counted, as pia report refuses a summary that is not
    validate_report(report)
    return report


def assert_escaped(out: str) -> None:
    assert RAW.findall(out) == []
    # the title, the path, the source and the two reasons, each whole on one line
    assert out.count(SHOWN) == 5, out
    assert f"/var/log/{SHOWN}.log:42" in out and f"/srv/{SHOWN}" in out


@pytest.mark.parametrize("lang", ["en", "zh", "bo"])
def test_table_escapes_what_a_terminal_would_obey(report: dict[str, Any], lang: str) -> None:
    out = render(hostile(report), "table", lang=lang, width=1000)
    assert_escaped(out)
    assert "个人信息保护法" in out  # the law cited: Chinese untouched
    assert f"日志中的个人信息 {SHOWN}" in out if lang == "zh" else f"PI in logs {SHOWN}" in out


def test_escaping_is_the_same_in_colour(report: dict[str, Any]) -> None:
    out = render(hostile(report), "table", lang="en", width=1000, color=True)
    assert "\x1b[2J" not in out and "\x1b]" not in out and "\x9b" not in out
    assert f"PI in logs {SHOWN}" in out


def test_table_keeps_its_layout(report: dict[str, Any]) -> None:
    """A newline or tab in a field neither starts a line of its own nor shifts a column: one
    line per finding (and a heading), every line as wide as the border."""
    out = render(hostile(report), "table", lang="en", width=1000)
    findings = next(table for table in out.split("\n\n")
                    if table.split("\n", 1)[0].strip() == "Findings")
    rows = [line for line in findings.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + len(report["findings"]), findings
    border = [line for line in findings.splitlines() if line.startswith("+")]
    assert {cell_len(line) for line in rows} == {cell_len(border[0])}


def test_quiet_line_is_printable(report: dict[str, Any]) -> None:
    report["summary"]["findings"] = f"7 {HOSTILE}"  # a report file need not be consistent
    assert render(report, "table", lang="en", quiet=True).count("\n") == 1


def test_pia_report_prints_escapes(report: dict[str, Any], tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pia.reports.table.DEFAULT_WIDTH", 1000)  # no folding inside a string
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(hostile(report), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["report", str(path), "--lang", "en"])
    out, err = capsys.readouterr()
    assert (exited.value.code or 0, err) == (0, "")
    assert_escaped(out)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_documents_printed_to_a_terminal_carry_no_control_character(
        report: dict[str, Any], fmt: str) -> None:
    """`pia report -f md` and `pia bundle show -f html` print to the terminal without -o:
    their line breaks stay, nothing else a terminal would obey does."""

    out = render(hostile(report), fmt, lang="en")
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out)
    assert "\\x1b[2J" in out and "\\x9b" in out and "\n" in out
