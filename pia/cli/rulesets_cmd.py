"""`pia rulesets list|show|validate`: not built yet."""

from __future__ import annotations

import typer

from pia.errors import NotImplementedYet

app = typer.Typer(help="List, show and validate rulesets.", no_args_is_help=True)


@app.command("list", help="List the bundled rulesets.")
def list_() -> None:
    raise NotImplementedYet("rulesets list")


@app.command("show", help="Show a ruleset's rules.")
def show() -> None:
    raise NotImplementedYet("rulesets show")


@app.command("validate", help="Validate a ruleset file.")
def validate() -> None:
    raise NotImplementedYet("rulesets validate")
