"""`pia report`: re-render a saved JSON report in another format or language.

``emit`` is shared with ``pia scan --format/-o``, so a report rendered at scan time and one
re-rendered later from its JSON are the same bytes. Colour and the terminal's width are used
only when the table goes to a terminal (and ``NO_COLOR`` is unset); files and pipes get plain
text, its tables at a fixed width and its other lines whole, not folded mid-sentence.
``COLUMNS``, when the user sets it, is the width wherever the text goes. A ``--format`` that an
``-o`` file's known extension contradicts (``--format md -o x.html``) is refused, not written:
a guess would hide the typo either way.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import typer

from pia.cli.options import canonical_format, text_width
from pia.errors import InputError, UsageError
from pia.report import load_report
from pia.reports import FORMATS, check_format, default_lang, render_pieces

#: findings of one rule listed on a terminal (the rest are counted; files hold them all)
TERMINAL_FINDINGS = 20

HELP = "Re-render a saved JSON report as HTML, Markdown, SARIF, JSON or a terminal table."


def emit(report: dict[str, Any], fmt: str, *, output: str | None = None,
         lang: str | None = None, quiet: bool = False) -> None:
    """Render ``report`` and write it to ``output`` (a path, or ``-``/None for stdout)."""
    lang = lang or default_lang()
    to_stdout = output in (None, "-")
    tty = to_stdout and sys.stdout.isatty()
    width = text_width(tty)
    color = tty and fmt == "table" and not os.environ.get("NO_COLOR")
    # quiet trims what reaches the terminal; a file asked for is always whole
    # a terminal lists a few findings of each rule; a file or a pipe gets them all
    pieces = render_pieces(report, fmt, lang=lang, width=width, color=color,
                           quiet=quiet and to_stdout, limit=TERMINAL_FINDINGS if tty else None)
    if to_stdout:
        for piece in pieces:
            typer.echo(piece, nl=False)
        return
    try:
        from pia.cli.outputs import write_output

        write_output(output, pieces)
    except OSError as err:
        raise InputError(f"cannot write {output}: {err.strerror}") from None
    if not quiet:
        from pia.printable import masked_line  # a path may hold a number: as errors say it
        from pia.reports.i18n import t

        typer.echo(masked_line(t("cli:wrote_report", lang).format(
            report=t(f"report:{fmt}", lang), path=output)), err=True)


def command(
    report_file: str = typer.Argument(..., metavar="REPORT.json",
                                      help="A JSON report saved by `pia scan` (- for stdin)."),
    fmt: str | None = typer.Option(
        None, "--format", "-f",
        metavar="FORMAT",
        help=f"One of: {', '.join(FORMATS)} (markdown: md; text, txt or terminal: table)."
             " Default: from the -o extension, else table."),
    output: list[str] = typer.Option(
        [], "--output", "-o",
        metavar="FILE",
        help="Write to FILE, not stdout (repeatable; .json, .html, .htm, .md, .sarif or .txt;"
             " the extension must match --format)."),
    lang: str | None = typer.Option(None, "--lang",
                                    metavar="LANG",
                                    help="zh, en or bo; default from the locale. bo: headings,"
                                         " labels and the summary in Tibetan; finding titles,"
                                         " remediation, category names and notes in English."),
    quiet: bool = typer.Option(False, "--quiet", "-q",
                               help="Table: print only the summary line. Files: no message."),
) -> None:
    from pia.cli.outputs import refuse_repeated

    refuse_repeated([("-o", path) for path in output])
    targets = [_target(path, fmt, report_file) for path in output or [None]]
    report = load_report(report_file)
    from pia.bundle.create import EDITED, raw_values, summary_disagrees

    disagreement = summary_disagrees(report)
    if disagreement:  # every format leads with the summary: it would state what is not there
        raise InputError(f"report {report_file}: {disagreement}; re-render it from the scan, "
                         "do not edit the summary")
    raw = raw_values(report)
    if raw:  # the JSON format would copy it as it is
        raise InputError(f"report {report_file}: {raw}; refusing to render it ({EDITED})")
    from pia.bundle.versions import newer_engine

    newer = newer_engine(report)
    if newer:  # rendered as it is: its findings are the newer engine's, not this pia's
        from pia.printable import masked_line

        typer.echo(f"pia: warning: report {masked_line(report_file)} was {newer}: its "
                   "findings are shown as that pia derived them", err=True)
    for path, chosen in targets:  # each -o its own format, as pia scan writes them
        emit(report, chosen, output=path, lang=lang, quiet=quiet)


def _target(output: str | None, fmt: str | None, report_file: str) -> tuple[str | None, str]:
    """Where one rendering goes (None or ``-``: stdout) and its format: ``--format``, else
    the file's extension, else a table; a format the extension contradicts is refused."""
    from pia.cli.outputs import EXTENSIONS, refuse_mismatch, report_format, same_file

    if output not in (None, "-") and report_file != "-" and same_file(output, report_file):
        raise UsageError(f"report path {output} is the report being read; write elsewhere")
    given = fmt if fmt is not None else (
        report_format(output) if output not in (None, "-") else "table")
    chosen = check_format(canonical_format(given, tuple(FORMATS)))  # a typo is named first
    if fmt is not None and output not in (None, "-"):
        refuse_mismatch(chosen, output, EXTENSIONS.get(Path(output).suffix.lower()), fmt)
    return output, chosen
