"""Options shared by several commands, defined once."""

from __future__ import annotations

from pathlib import Path

import typer

RECOGNIZERS_OPTION: list[Path] = typer.Option(
    [],
    "--recognizers",
    help="YAML file of extra recognizers in Presidio's format (repeatable).",
)
