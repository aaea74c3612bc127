"""`pia recognizers list`: placeholder until the registry lands."""

from __future__ import annotations

import typer

from pia.errors import NotImplementedYet

app = typer.Typer(help="List the recognizers pia loads.", no_args_is_help=True)


@app.command("list", help="Show every loaded recognizer with entity, language and source.")
def list_() -> None:
    raise NotImplementedYet("recognizers list")
