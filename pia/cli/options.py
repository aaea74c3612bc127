"""Options shared by several commands, defined once."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console

from pia.errors import UsageError
from pia.printable import short_path

RECOGNIZERS_OPTION: list[Path] = typer.Option(
    [],
    "--recognizers",
    metavar="FILE",
    help="YAML file of extra recognizers in Presidio's format (repeatable).",
)


#: the names one format goes by. The plain-text rendering is "table" in some commands and
#: "text" in others: each takes both, "txt" (the extension -o gives it) and "terminal" (the
#: name of its report module, pia.reports.terminal); Markdown is "md" (its extension) or
#: "markdown" (its module's name). A command lists the first of its own names in messages.
ALIASES = (("table", "text", "txt", "terminal"), ("md", "markdown"))


def canonical_format(fmt: str, allowed: tuple[str, ...]) -> str:
    """``fmt``, or the name among ``allowed`` that ``fmt`` is another name of (``markdown``
    is ``md``, ``terminal`` is ``table`` or ``text``): ``pia report --format markdown`` was
    refused though the report module is called so (QA D6). A name with no alias among
    ``allowed`` comes back as it is, for the command to refuse in its own words."""
    if fmt in allowed:
        return fmt
    for names in ALIASES:
        if fmt in names:
            return next((name for name in names if name in allowed), fmt)
    return fmt


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


def given_once(flag: str, values: list[str],
               same: Callable[[str], object] = lambda value: value) -> str | None:
    """The one value of an option that takes one, declared repeatable so that a repetition
    can be seen: Typer keeps the last of a repeated option and drops the others without a
    word, so ``bundle verify --expect-sha256 WRONG --expect-sha256 RIGHT`` said VALID (QA
    D8). None when the option is absent; the value when given once, or given again as the
    same value (``same`` says when two are: the same digest spelt otherwise, the same file
    by another path); two different values are a usage error naming both."""
    for value in values[1:]:
        if same(value) != same(values[0]):
            raise UsageError(f"{flag} given twice with different values, "
                             f"'{short_path(values[0])}' and '{short_path(value)}': "
                             "give it once")
    return values[0] if values else None


def same_file(path: str) -> str:
    """What two paths given for one file option are compared by: the file they name."""
    return os.path.realpath(path)
