"""`pia check-migrations`: not built yet."""

from __future__ import annotations

from pia.errors import NotImplementedYet

HELP = "Fail a change whose SQL migrations add unprotected sensitive PI columns."


def command() -> None:
    raise NotImplementedYet("check-migrations")
