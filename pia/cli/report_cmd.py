"""`pia report`: not built yet; it says so and exits 2 rather than printing fake output."""

from __future__ import annotations

from pia.errors import NotImplementedYet

HELP = "Re-render a saved JSON report as HTML, Markdown, SARIF or a table."


def command() -> None:
    raise NotImplementedYet("report")
