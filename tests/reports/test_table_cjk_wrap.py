"""The terminal report wraps Chinese as Chinese is set (QA zh, item 6). At 80 and 100 columns
it printed ``第44条（修正前第4`` / ``2条）``, ``第28条；PI`` / ``PL``, ``将于202`` / ``7年``,
lines opening with ``；`` or ``）``, a summary broken between a number and its noun
(``低 `` / ``0，提示 0``), and a title column of 9 to 11 cells beside rule ids kept whole in 30.

Each width renders the report of ``reports_zh_fixture`` and checks every line: of the prose,
and of each cell of each table row (a table's row lines are cut at its ``|``)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from reports_zh_fixture import REASON, build_zh_report
from rich.cells import cell_len

from pia.reports import references, render, view
from pia.reports.i18n import t, text

WIDTHS = [60, 80, 100, 120]
CLOSING = "，。；：、！？）」』】》"
OPENING = "（「『【《"
#: the title column must show at least this many cells (seven characters) a line
TITLE_CELLS = 14


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return build_zh_report()


def _tables_and_prose(out: str) -> tuple[list[list[str]], list[str]]:
    """The report's tables (their lines, from border to border) and its other lines."""
    tables: list[list[str]] = []
    prose: list[str] = []
    inside = False
    for line in out.splitlines():
        if line.startswith(("+", "|")):
            if not inside:
                tables.append([])
            tables[-1].append(line)
            inside = not (line.startswith("+") and len(tables[-1]) > 1)
        else:
            prose.append(line)
    return tables, prose


def _columns(table: list[str]) -> list[list[list[str]]]:
    """Per column, its cells as lists of lines: a row's line is a continuation of the row
    above when its last cell (a count or a date: one line) is blank."""
    columns: list[list[list[str]]] = []
    for line in table:
        if not line.startswith("| "):  # a border, or the rule under the header
            continue
        cells = [cell.strip() for cell in line[1:-1].split("|")]
        if not columns or cells[-1]:
            columns = columns or [[] for _ in cells]
            for column, cell in zip(columns, cells, strict=True):
                column.append([cell])
        else:
            for column, cell in zip(columns, cells, strict=True):
                column[-1].append(cell)
    return columns


def _paragraphs(out: str) -> list[list[str]]:
    """The broken lines of each table cell, and the prose lines in runs."""
    tables, prose = _tables_and_prose(out)
    runs = [[cell_lines for column in _columns(table) for cell_lines in column]
            for table in tables]
    return [[line for line in cell if line] for run in runs for cell in run] + [prose]


def _known(report: dict[str, Any]) -> list[str]:
    """What the report says in its cells and lines, as written before wrapping."""
    lang = "zh"
    texts = [view.summary_line(report, lang), REASON]
    for f in report["findings"]:
        texts += [text(f["title"], lang), references.articles_text(f["references"], lang),
                  references.articles_text(references.cited_references([f]), lang)]
    return texts


def _split_runs(lines: list[str], known: list[str]) -> list[tuple[str, str]]:
    """Breaks within a run of Latin letters or digits (``将于202`` / ``7年``, ``PI`` /
    ``PL``), told from a break at a space by what the report says unbroken."""
    split = []
    for before, after in zip(lines, lines[1:], strict=False):
        tail = re.search(r"[0-9A-Za-z]+$", before.rstrip())
        head = re.match(r"[0-9A-Za-z]+", after.lstrip())
        if tail and head and any(tail[0] + head[0] in k for k in known):
            split.append((before, after))
    return split


@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(
        report: dict[str, Any], width: int) -> None:
    out = render(report, "table", lang="zh", width=width)
    starts = [line for run in _paragraphs(out) for line in run
              if line.strip() and line.lstrip()[0] in CLOSING]
    ends = [line for run in _paragraphs(out) for line in run
            if line.strip() and line.rstrip()[-1] in OPENING]
    assert (starts, ends) == ([], [])


@pytest.mark.parametrize("width", WIDTHS)
def test_no_number_or_abbreviation_is_split_across_lines(report: dict[str, Any],
                                                         width: int) -> None:
    out = render(report, "table", lang="zh", width=width)
    known = _known(report)
    assert [pair for run in _paragraphs(out) for pair in _split_runs(run, known)] == []
    assert REASON in out.replace("\n", "").replace(" ", "") or "2028年" in out


@pytest.mark.parametrize("width", WIDTHS)
def test_every_table_line_has_its_table_width_within_the_terminal(report: dict[str, Any],
                                                                   width: int) -> None:
    out = render(report, "table", lang="zh", width=width)
    assert all(cell_len(line) <= width for line in out.splitlines())
    tables, _ = _tables_and_prose(out)
    assert [{cell_len(line) for line in table} for table in tables] == [
        {cell_len(table[0])} for table in tables]
    # the findings table is wider than any of these terminals: drawn, it fills the width
    assert all(cell_len(table[0]) == width for table in tables if len(table) > 30)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_summary_line_breaks_only_between_its_items(report: dict[str, Any],
                                                        width: int) -> None:
    lines = render(report, "table", lang="zh", width=width).splitlines()
    started = next(n for n, line in enumerate(lines) if line.startswith(t("started", "zh")))
    summary = lines[1:started]
    assert "".join(summary) == view.summary_line(report, "zh")
    assert all(line.endswith(("，", "），")) or following.startswith("（")
               for line, following in zip(summary, summary[1:], strict=False))


@pytest.mark.parametrize("width", [80, 100, 120])
def test_the_title_column_is_not_starved_by_the_rule_ids(report: dict[str, Any],
                                                         width: int) -> None:
    out = render(report, "table", lang="zh", width=width)
    tables, _ = _tables_and_prose(out)
    headers = [[cell.strip() for cell in table[1][1:-1].split("|")] for table in tables]
    at = next(n for n, header in enumerate(headers) if t("title_col", "zh") in header
              and t("rule", "zh") in header)
    widths = [cell_len(cell) - 2 for cell in tables[at][1][1:-1].split("|")]
    assert widths[headers[at].index(t("title_col", "zh"))] >= TITLE_CELLS


def test_an_accepted_groups_severity_is_bracketed_as_chinese_is() -> None:
    """The findings table said ``中 (已接受)``, with a space and half-width brackets, where
    the list of places says ``（中，已接受）``; in Chinese the note is ``中（已接受）``."""
    report = build_zh_report()
    zh = render(report, "table", lang="zh", width=200)
    assert "（已接受）" in zh and " (已接受)" not in zh
    assert " (accepted)" in render(report, "table", lang="en", width=200)
