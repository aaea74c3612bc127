"""`pia recognizers list`: what is loaded, so users can see their YAML took effect."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from pia.cli.options import RECOGNIZERS_OPTION, console
from pia.cli.words import LANG_OPTION, command_lang, say

app = typer.Typer(help="List the recognizers pia loads.", no_args_is_help=True)


@app.command("list", help="Show every loaded recognizer with entity, languages and source.")
def list_(recognizers: list[Path] = RECOGNIZERS_OPTION, lang: str | None = LANG_OPTION) -> None:
    from pia.detection.registry import build_registry

    lang = command_lang(lang)
    table = Table(*(say(f"recognizers:{k}", lang)
                    for k in ("name", "entity", "languages", "source")))
    for info in build_registry(recognizers).info():
        table.add_row(info.name, info.entity, ",".join(info.languages), info.source)
    console().print(table)
