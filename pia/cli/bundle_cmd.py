"""`pia bundle create|verify|show`: not built yet."""

from __future__ import annotations

import typer

from pia.errors import NotImplementedYet

app = typer.Typer(help="Create, verify and show signed audit bundles.", no_args_is_help=True)


@app.command("create", help="Sign a report and its evidence into an audit bundle.")
def create() -> None:
    raise NotImplementedYet("bundle create")


@app.command("verify", help="Verify an audit bundle offline.")
def verify() -> None:
    raise NotImplementedYet("bundle verify")


@app.command("show", help="Render a bundled report, saying whether it verified.")
def show() -> None:
    raise NotImplementedYet("bundle show")
