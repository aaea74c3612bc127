"""`pia demo`: lay out the sample estate and run the whole flow on it (README's first command)."""

from __future__ import annotations

import typer

from pia.cli.stdout import reader_may_leave

HELP = "Lay out the bundled sample estate and run the whole audit flow on it."


def command(
    directory: str = typer.Option("pia-demo", "--dir", metavar="DIR",
                                  help="Where to lay out the estate."),
    lang: str | None = typer.Option(None, "--lang",
                                    metavar="LANG",
                                    help="zh, en or bo (default: locale, else zh); with bo"
                                         " the reports' headings and labels are in Tibetan"
                                         " (finding titles, remediation and category names"
                                         " in English), this summary in English."),
) -> None:
    from pia.demo import run_demo, summary_lines
    from pia.reports import default_lang

    lang = lang or default_lang()
    if lang not in ("zh", "en", "bo"):
        from pia.errors import UsageError

        raise UsageError(f"--lang must be zh, en or bo, not {lang!r}")
    _check_parent(directory)
    result = run_demo(directory, lang=lang)
    with reader_may_leave():
        for line in summary_lines(result, "en" if lang == "bo" else lang):
            typer.echo(line)
    raise typer.Exit(0 if result.bundle_valid else 1)


def _check_parent(directory: str) -> None:
    """Refuse a ``--dir`` whose parent directory does not exist, as ``pia scan -o`` refuses
    a report path in a missing directory: the demo makes its own folder, not the folders
    above it (QA: a typo, ``--dir /nonexist/parent/x``, made a tree at the root and exit 0)."""
    import os

    from pia.errors import UsageError
    from pia.printable import printable

    parent = os.path.dirname(os.path.normpath(directory)) or "."
    if not os.path.isdir(parent):
        problem = ("is not a directory; choose" if os.path.lexists(parent)
                   else "does not exist; create it or choose")
        raise UsageError(f"--dir {printable(directory, 120)}: directory "
                         f"{printable(parent, 120)} {problem} another --dir")
