"""At 80 columns (a terminal's default) the per-source table gave Source 3 cells ("sho / p.d /
b") and the findings table cut "classificat / ion": a table that cannot give each text column
its words is listed instead, while the tables that fit, and every table at 100, stay tables."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rich.cells import cell_len

from pia.reports import LANGS, render, view
from pia.reports.i18n import t, text
from pia.reports.table import WORD_CAP

WIDTH = 80


def _tables_part(out: str, lang: str) -> list[str]:
    """The lines before the list of places (where sources and titles are repeated whole)."""
    heading = t("finding_list", lang) + " — "
    lines = out.splitlines()
    return lines[:next(n for n, line in enumerate(lines) if line.startswith(heading))]


def _names_and_words(report: dict[str, Any], lang: str) -> set[str]:
    """Source names, and the Latin words of finding titles (CJK text may break anywhere)."""
    sources = {r["source"] for r in view.per_source(report)}
    words = {w for f in report["findings"] for w in re.findall(r"[!-~]+", text(f["title"], lang))
             if len(w) > 1}
    return sources | words


def _cut(lines: list[str], whole: set[str]) -> list[str]:
    """Those of ``whole`` cut short: a name longer than ``WORD_CAP`` may fold, in pieces no
    shorter than that (the s3 source here has 67 cells); a shorter one must be on one line."""
    return sorted(w for w in whole if not any(w[:WORD_CAP] in line for line in lines))


@pytest.mark.parametrize("lang", LANGS)
def test_at_80_columns_no_source_name_or_title_word_is_cut(report: dict[str, Any],
                                                           lang: str) -> None:
    out = render(report, "table", lang=lang, width=WIDTH)
    lines = _tables_part(out, lang)
    assert all(cell_len(line) <= WIDTH for line in out.splitlines())
    assert _cut(lines, _names_and_words(report, lang)) == []


def test_at_80_columns_english_lists_each_source_with_its_counts(report: dict[str, Any]) -> None:
    lines = _tables_part(render(report, "table", lang="en", width=WIDTH), "en")
    at = lines.index("  /var/log/app")
    assert lines[at + 1:at + 3] == [
        "    PI inventory items: 3 · Sensitive: 1 · critical: 0 · high: 2 · medium: 0",
        "    low: 0 · info: 0"]
    assert "    Finding: Unmasked PI in logs" in lines


@pytest.mark.parametrize("lang", LANGS)
def test_at_80_columns_tables_that_fit_stay_tables(report: dict[str, Any], lang: str) -> None:
    lines = _tables_part(render(report, "table", lang=lang, width=WIDTH), lang)
    assert any(line.startswith(f"| {t('sources', lang)} ") for line in lines)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [100, 160])
def test_from_100_columns_the_per_source_table_is_a_table(report: dict[str, Any], lang: str,
                                                          width: int) -> None:
    lines = _tables_part(render(report, "table", lang=lang, width=width), lang)
    header = next(n for n, line in enumerate(lines) if line.startswith(t("per_source", lang)))
    assert lines[header + 1].startswith("+---")
    assert lines[header + 2].startswith(f"| {t('source', lang)} ")
