"""Options shared by several commands, defined once."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

RECOGNIZERS_OPTION: list[Path] = typer.Option(
    [],
    "--recognizers",
    help="YAML file of extra recognizers in Presidio's format (repeatable).",
)


def console(stderr: bool = False) -> Console:
    """A rich console that never truncates when writing to a pipe or a file."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(file=stream, soft_wrap=False, width=None if stream.isatty() else 200)
