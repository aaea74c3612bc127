"""`pia demo`: not built yet; it says so and exits 2 rather than printing fake output."""

from __future__ import annotations

from pia.errors import NotImplementedYet

HELP = "Lay out the bundled sample estate and run the whole audit flow on it."


def command() -> None:
    raise NotImplementedYet("demo")
