"""The terminal report: rich tables with coloured severities, plain and width-safe otherwise.

Rendered into a string (the CLI decides where it goes), at the width of a terminal, or of
``COLUMNS`` when the user sets it. Without a width (a pipe, a file) the tables are drawn at the
fixed ``DEFAULT_WIDTH``, so that CI logs and redirected output look the same every time, and
every other line is left whole: folded at 100 columns, the summary line and the scope were cut
mid-sentence and a long place was cut in two that grep could not find (a viewer can wrap a long
line, but not join a folded one). Report strings are wrapped in ``rich.text.Text`` and never
parsed as console markup: a table named ``[red]x`` stays literal.
Every cell and line goes through ``_text``, which escapes what could drive the terminal or
break the layout (``pia.printable``: escape sequences, C1 controls, bidi overrides, newlines):
rich itself strips only a few controls, and a title that clears the screen would erase the
verdict ``pia bundle show`` prints above the tables.
``quiet`` gives the one summary line CI jobs grep for.
Lines and cells break where ``linebreak`` allows, not where rich would (at spaces, and by cells
within Chinese text): a number, an abbreviation or an article label stays whole, no line opens
with a closing mark (，。；）), and the summary line breaks between its items.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pia.printable import printable
from pia.reports import references, view
from pia.reports.columns import allot
from pia.reports.i18n import entity_label, field, severity_label, skipped_label, t, text
from pia.reports.linebreak import BreakingText, narrowest, wrap

#: the tables' width when there is no terminal: fixed, so the same report gives the same text
DEFAULT_WIDTH = 100
#: below this width the tables are written as lists of "column: value" lines: at 40 columns
#: rich gave the source and title columns no width at all and printed "critical" a letter a line
NARROW = 72
#: the width a text column needs before its table is listed instead: its longest word, a
#: source name (which has no spaces) up to this many cells. At 80 columns rich gave the
#: per-source table's Source column 3 cells ("sho / p.d / b") and cut "classificat / ion";
#: past 16 a long name folds in pieces that still read, as at 100 columns, left as it was
WORD_CAP = 16
#: the cells a text column (a finding's title) is given before a rule id column is kept whole:
#: at 80 columns the ids kept their 30 cells and a Chinese title got 9 to 11 (four or five
#: characters a line); below this the ids break at their hyphens instead
TEXT_SHARE = 16
SEVERITY_STYLES = {"critical": "bold white on red", "high": "bold red", "medium": "yellow",
                   "low": "cyan", "info": "dim"}


def _text(value: Any, style: str = "", *, rule_id: bool = False) -> BreakingText:
    """A cell or line of untrusted text, with nothing left in it that a terminal obeys, which
    wraps by the rules of ``linebreak`` (a rule id may break at its hyphens)."""
    return BreakingText(printable(value), style=style, hyphens=rule_id)


def _title(value: str) -> BreakingText:
    """A finding's title, what its row is about: its column gets ``TEXT_SHARE`` cells or more
    where the table is shared out (``columns.allot``)."""
    title = _text(value)
    title.least = TEXT_SHARE
    return title


def _sev(severity: str, lang: str) -> Text:
    return _text(severity_label(severity, lang), SEVERITY_STYLES.get(severity, ""))


def _table(title: str, columns: list[tuple[str, bool]], plain: bool) -> Table:
    table = Table(title=title, title_justify="left", box=box.ASCII if plain else box.ROUNDED,
                  expand=False, show_lines=False)
    for name, numeric in columns:
        table.add_column(_text(name), justify="right" if numeric else "left",
                         overflow="fold", no_wrap=numeric)
    return table


def _tables(report: dict[str, Any], lang: str, plain: bool) -> list[Table]:
    s = view.summary(report)
    count = t("count", lang)
    overview = _table(t("summary", lang), [("", False), (count, True)], plain)
    for key in ("sources", "inventory_items", "findings", "accepted", "skipped"):
        overview.add_row(_text(t(key, lang)), _text(s[key]))

    severities = _table(t("by_severity", lang), [(t("severity", lang), False), (count, True)],
                        plain)
    for sev, n in s["by_severity"].items():
        severities.add_row(_sev(sev, lang), _text(n))

    sev_cols = [(severity_label(sev, lang), True) for sev in view.SEVERITY_ORDER]
    sources = _table(t("per_source", lang), [(t("source", lang), False),
                                             (t("inventory_items", lang), True),
                                             (t("sensitive", lang), True), *sev_cols], plain)
    for r in view.per_source(report):
        sources.add_row(_text(r["source"]), _text(r["items"]), _text(r["sensitive"]),
                        *(_text(r["findings"].get(sev, 0),
                                SEVERITY_STYLES[sev] if r["findings"].get(sev) else "")
                          for sev in view.SEVERITY_ORDER))

    entities = _table(t("by_entity", lang), [(t("entity_type", lang), False),
                                             (t("location_count", lang), True)], plain)
    for et, n in view.by_entity(report):
        entities.add_row(_text(f"{entity_label(et, lang)} ({et})"), _text(n))

    tables = [overview, severities, sources, entities]
    if report["skipped"]:
        skipped = _table(t("skipped_list", lang), [(t(k, lang), False) for k in (
            "source", "location", "reason")], plain)
        shown, notes = view.skipped_shown(report, lang)
        for item in shown:
            skipped.add_row(_text(view.source_text(item["source"])),
                            _text(view.location_text(item["location"])),
                            _text(skipped_label(str(item["reason"]), lang)))
        # what the capped table left out, said under it as prose by render()
        skipped.caption = Text("\n").join(_text(note) for note in notes) if notes else None
        tables.append(skipped)
    findings = view.sorted_findings(report)
    if findings:
        table = _table(t("finding_list", lang), [
            *((t(k, lang), False) for k in ("severity", "rule", "title_col", "law_article")),
            (t("count", lang), True)], plain)
        table.columns[1].no_wrap = True  # a rule id cut mid-word reads as two (see _fair)
        for group in _groups(findings):
            f = group[0]
            articles = references.rule_articles(group, lang)
            table.add_row(_group_severity(f, lang), _text(f["rule_id"], rule_id=True),
                          _title(text(f["title"], lang)), _text(articles), _text(len(group)))
        tables.append(table)
        accepted = _accepted(findings, lang, plain)
        if accepted.row_count:
            tables.append(accepted)
    return tables


def _narrowest(cell: Any) -> int:
    """The cells a cell needs to break only where it may (``linebreak``): its widest piece."""
    return narrowest(str(cell), hyphens=getattr(cell, "hyphens", False))


def _given(table: Table, console: Console, width: int) -> list[int]:
    """The cells rich gives each column of ``table`` at ``width``, without their padding."""
    # rich collapses the widest text columns without regard to their words; ask it what it
    # would give (a private method, the only way short of drawing the table)
    widths = table._calculate_column_widths(
        console, console.options.update_width(width - table._extra_width))
    return [given - table.padding[1] - table.padding[3] for given in widths]


def _fair(table: Table, console: Console, width: int) -> None:
    """Let a rule id column break its ids at their hyphens when keeping them whole leaves
    another text column less than ``TEXT_SHARE`` cells (or its own width, when narrower):
    a title four characters wide is read a syllable a line, an id in three pieces is not."""
    ids = [c for c in table.columns if c.no_wrap and any(
        getattr(cell, "hyphens", False) for cell in c.cells)]
    if not ids:
        return
    for column, given in zip(table.columns, _given(table, console, width), strict=True):
        widest = max(cell_len(str(c)) for c in [column.header, *column.cells])
        if not column.no_wrap and column.justify != "right" and given < min(TEXT_SHARE,
                                                                              widest):
            for id_column in ids:
                id_column.no_wrap = False
            return


def _fits(table: Table, console: Console, width: int) -> bool:
    """Whether rich gives every column of ``table`` room at ``width``: a count its whole
    number, a text column its widest piece (capped at ``WORD_CAP``). Otherwise the table is
    listed: a name folded every few letters or a word cut in two reads as something else."""
    for column, given in zip(table.columns, _given(table, console, width), strict=True):
        cells = [column.header, *column.cells]
        need = (max(cell_len(str(c)) for c in cells) if column.no_wrap
                else min(WORD_CAP, max(_narrowest(c) for c in cells)))
        if given < need:
            return False
    return True


def _stacked(table: Table, width: int | None, lang: str) -> list[str]:
    """A table as lines: its title, then per row its first cell, its text cells under their
    column's name and its counts together, each line folded at ``width`` (between words where
    it can; None: not folded); nothing is dropped however narrow."""
    headers = [str(column.header) for column in table.columns]
    numeric = [column.justify == "right" for column in table.columns]
    columns = [[str(cell) for cell in column.cells] for column in table.columns]
    lines = _fold(str(table.title or ""), width)
    for row in zip(*columns, strict=True):
        if len(row) == 2:  # a label and its count
            lines += _fold("  " + field(row[0], row[1], lang), width, indent="    ")
            continue
        lines += _fold(f"  {row[0]}", width, indent="    ")
        counts: list[str] = []
        for header, cell, is_count in zip(headers[1:], row[1:], numeric[1:], strict=True):
            if is_count:
                counts.append(field(header, cell, lang))
            else:
                lines += _fold("    " + field(header, cell, lang), width, indent="      ")
        lines += _packed(counts, width, "    ")
    return lines


def _packed(pieces: list[str], width: int | None, lead: str) -> list[str]:
    """Counts side by side ("high: 11 · medium: 5"), a line broken only between them."""
    lines: list[str] = []
    for piece in (printable(p) for p in pieces):
        if lines and (width is None or cell_len(f"{lines[-1]} · {piece}") <= width):
            lines[-1] += f" · {piece}"
        else:
            lines += _fold(lead + piece, width, indent=lead + "  ")
    return lines


def _status(finding: dict[str, Any]) -> str:
    if finding.get("status") == "accepted":
        return "accepted"
    return "lapsed" if (view.acceptance(finding) or {}).get("lapsed") else "open"


def _groups(findings: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Findings of one rule, severity and status together, in the sorted order."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for f in findings:
        groups.setdefault((f["rule_id"], f["severity"], _status(f)), []).append(f)
    return list(groups.values())


def _group_severity(f: dict[str, Any], lang: str) -> Text:
    status = _status(f)
    if status == "accepted":
        return _text(t("paren_fmt", lang).format(text=severity_label(f["severity"], lang),
                                                 inner=t("accepted_status", lang)), "dim")
    sev = _sev(f["severity"], lang)
    raised = _raised(f, lang)
    if raised:
        sev.append_text(_text(f" {raised}"))
    if status == "lapsed":
        # " (lapsed)", and in Chinese "（已失效）" with no space before it
        sev.append_text(_text(t("paren_fmt", lang).format(text="", inner=t("lapsed", lang))))
    return sev


def _raised(f: dict[str, Any], lang: str) -> str:
    """Why a finding stands above its rule's own severity (``evidence.severity_raised``),
    shortly: "↑ minors". Every finding of a group shares it: a rule has one severity of its
    own, so a group's severity says whether it was raised."""
    raised = (f.get("evidence") or {}).get("severity_raised")
    if not isinstance(raised, dict):
        return ""
    reason = raised.get("reason")
    return t(f"raised_{reason}", lang) if reason in ("minors", "sensitive") else "↑"


def _places(findings: list[dict[str, Any]], lang: str, width: int | None,
            limit: int | None) -> list[str]:
    """Where each group of findings is, one plain line per finding under its rule's heading
    (folded at ``width``; None: whole), at most ``limit`` per rule. Plain lines, not a table:
    rich lays out a table at about a millisecond a row, and a file of 20,000 findings took 30 s."""
    lines = [printable(t("finding_list", lang) + " — " + t("locations", lang))]
    per_rule = Counter(f["rule_id"] for f in findings)
    cited = {rule_id: references.cited_references(group)
             for rule_id, group in view.by_rule(findings).items()}
    shown: Counter[str] = Counter()
    for group in _groups(findings):
        f = group[0]
        status = _status(f)
        label = severity_label(f["severity"], lang)
        raised = _raised(f, lang)
        if raised:
            label += " " + raised
        if status != "open":
            label += t("list_sep", lang) + t("accepted_status" if status == "accepted"
                                             else "lapsed", lang)
        lines.append("")
        lines += _fold(t("rule_group_fmt", lang).format(rule=f["rule_id"], label=label,
                                                        n=len(group)), width)
        for finding in group:
            shown[f["rule_id"]] += 1
            if limit is not None and shown[f["rule_id"]] > limit:
                continue
            for place in view.finding_places(finding, lang) or ["-"]:
                lines += _fold("  " + place, width, indent="    ")
            own = references.own_articles(finding, cited[f["rule_id"]], lang)
            if own:  # a rule with triggers: the clauses this finding cites
                lines += _fold("    " + field(t("legal_basis", lang), own, lang), width,
                               indent="      ")
            if shown[f["rule_id"]] == limit and per_rule[f["rule_id"]] > limit:
                more = t("more_findings", lang).format(n=per_rule[f["rule_id"]] - limit)
                lines += _fold(f"  {f['rule_id']} {more}", width, indent="    ")
    return lines


def _fold(line: str, width: int | None, indent: str = "") -> list[str]:
    """A line made printable and cut into lines of at most ``width`` cells where
    ``linebreak`` allows (between words, between CJK characters but not before a closing
    mark, never within a number), the lines after the first led by ``indent``. No width (a
    pipe, a file): the line whole."""
    if width is None:
        return [printable(line)]
    return wrap(printable(line), width, indent)


def _accepted(findings: list[dict[str, Any]], lang: str, plain: bool) -> Table:
    """Who accepted which risk, why and until when; lapsed acceptances say when they expired.
    The rule id is never folded (a rule id cut mid-word reads as two)."""
    table = _table(t("accepted_risks", lang), [(t(k, lang), False) for k in (
        "rule", "location", "owner", "reason", "expires")], plain)
    table.columns[0].no_wrap = True
    for f, row in zip([f for f in findings if view.acceptance(f) is not None],
                      view.accepted_rows(findings, lang), strict=True):
        style = "bold yellow" if (view.acceptance(f) or {}).get("lapsed") else ""
        table.add_row(_text(row[0], rule_id=True), *(_text(cell) for cell in row[1:4]),
                      _text(row[4], style))
    return table


def _console(buffer: io.StringIO, width: int | None, color: bool) -> Console:
    # height too: with a width alone rich falls back to 80 columns when TERM=dumb
    return Console(file=buffer, width=width or DEFAULT_WIDTH, height=50, force_terminal=color,
                   color_system="standard" if color else None, no_color=not color,
                   highlight=False, emoji=False, markup=False, soft_wrap=False,
                   legacy_windows=False)


def _say(console: Console, line: BreakingText, width: int | None) -> None:
    """A line of prose: wrapped at a terminal's ``width`` where ``linebreak`` allows; whole
    without one. Wrapped here: ``console.print`` would join it into a plain rich ``Text``."""
    console.print(Text("\n").join(line.lines(width)) if width else line, soft_wrap=True)


def render_declaration(declared: list[Any], *, lang: str = "zh", width: int | None = None,
                       color: bool = False) -> str:
    """The sections of a declaration (``pia.reports.declaration``) as terminal tables, under
    one heading; every cell escaped as the report's are."""
    width = width or None
    buffer = io.StringIO()
    console = _console(buffer, width, color)
    _say(console, _text(t("decl_title", lang), "bold"), width)
    for section in declared:
        console.print()
        table = _table(section.title, [(h, False) for h in section.headers], not color)
        table.show_header = any(section.headers)
        table.columns[0].no_wrap = True  # ids: a rule id cut mid-word reads as two
        for row in section.rows:
            table.add_row(*(_text(cell) for cell in row))
        if not section.rows:
            table.add_row(_text(t("decl_none", lang)), *(_text("") for _ in section.headers[1:]))
        console.print(table)
    return buffer.getvalue()


def render(report: dict[str, Any], *, lang: str = "zh", width: int | None = None,
           color: bool = False, quiet: bool = False, limit: int | None = None,
           **_: Any) -> str:
    """The terminal report; ``limit`` lists at most that many findings of a rule (a terminal
    is read, not searched: 20,000 log files with a mobile each made 40,000 lines)."""
    line = view.summary_line(report, lang)
    if quiet:
        return printable(line) + "\n"
    width = width or None  # 0 columns: no width, as when there is no terminal
    buffer = io.StringIO()
    console = _console(buffer, width, color)
    _say(console, _text(t("title", lang), "bold"), width)
    summary = _text(line)
    summary.by_items = True  # "低 0，" on one line: the summary breaks between its items
    _say(console, summary, width)
    # the day expiries and ages were judged on, in the time the HTML and Markdown give it
    scan, tool = report["scan"], report["tool"]
    _say(console, _text(" · ".join((
        field(t("started", lang), view.china_time(scan["started"]), lang),
        field(t("finished", lang), view.china_time(scan["finished"]), lang),
        field(t("generated_by", lang), f"{tool['name']} {tool['version']}", lang)))), width)
    if not report["scan"].get("complete", True):
        _say(console, _text(t("partial", lang), "bold yellow"), width)
    for headline in view.headlines(report, lang):
        _say(console, _text(headline, "bold yellow"), width)
    # who was audited and how (the sampling above all): what the HTML report says up front,
    # and all a regulator reading pia bundle show in a terminal has to go on
    for label, value in view.scope(report, lang):
        _say(console, _text(field(label, value, lang)), width)
    narrow = width is not None and width < NARROW
    for table in _tables(report, lang, plain=not color):
        console.print()
        notes, table.caption = str(table.caption or "").splitlines(), None
        # a table this narrow drops whole columns and stacks letters; a wider one is listed
        # when it would cut its names or words (the per-source table at 80 columns)
        if lang == "zh":  # English words need a wider title: its table is listed instead
            _fair(table, console, width or DEFAULT_WIDTH)
        allot(table, width or DEFAULT_WIDTH, WORD_CAP)
        if narrow or not _fits(table, console, width or DEFAULT_WIDTH):
            buffer.write("\n".join(_stacked(table, width, lang)) + "\n")
        else:
            console.print(table)
        for note in notes:  # whole lines, not folded to the table's width
            _say(console, _text(note), width)
    findings = view.sorted_findings(report)
    if findings:
        buffer.write("\n" + "\n".join(_places(findings, lang, width, limit)) + "\n")
    return buffer.getvalue()
