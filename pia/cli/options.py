"""Options shared by several commands, defined once."""

from __future__ import annotations

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


#: the plain-text rendering is "table" in some commands and "text" in others: each takes both
_SAME_FORMAT = {"table": "text", "text": "table"}


def plain_format(fmt: str, allowed: tuple[str, ...]) -> str:
    """``fmt``, or its synonym when only that is among ``allowed`` (text ↔ table)."""
    other = _SAME_FORMAT.get(fmt)
    return other if fmt not in allowed and other in allowed else fmt


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
