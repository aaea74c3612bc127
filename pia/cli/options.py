"""Options shared by several commands, defined once."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import typer
from rich.console import Console

RECOGNIZERS_OPTION: list[Path] = typer.Option(
    [],
    "--recognizers",
    metavar="FILE",
    help="YAML file of extra recognizers in Presidio's format (repeatable).",
)


#: the plain-text rendering is "table" in some commands and "text" in others: each takes both,
#: and "txt", the extension -o gives it
_PLAIN = ("table", "text", "txt")


def plain_format(fmt: str, allowed: tuple[str, ...]) -> str:
    """``fmt``, or its synonym when only that is among ``allowed`` (text, table, txt)."""
    if fmt in allowed or fmt not in _PLAIN:
        return fmt
    return next((other for other in _PLAIN if other in allowed), fmt)


class ReaderMayLeave(Console):
    """A rich console whose reader may go away (``pia rulesets show | head -1``): rich
    answers a broken pipe with exit 1, the code of a policy violation; this one raises
    ``BrokenPipeError``, which the CLI turns into exit 0 (see ``pia.cli.stdout``)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def console(stderr: bool = False) -> Console:
    """A rich console that never truncates when writing to a pipe or a file."""
    stream = sys.stderr if stderr else sys.stdout
    return ReaderMayLeave(file=stream, soft_wrap=False,
                          width=None if stream.isatty() else 200)


def text_width(terminal: bool) -> int | None:
    """The columns the text report is laid out in: ``COLUMNS`` when the user sets it, to a pipe
    or a file too (``COLUMNS=120 pia report r.json | less``), else a terminal's own; None when
    it goes elsewhere: the report's fixed table width, and its lines whole, not folded."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    return shutil.get_terminal_size().columns if terminal else None
