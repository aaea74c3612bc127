"""`pia scan`: not built yet; it says so and exits 2 rather than printing fake output."""

from __future__ import annotations

from pia.errors import NotImplementedYet

HELP = "Scan databases, files, logs and buckets into a PI inventory and findings."


def command() -> None:
    raise NotImplementedYet("scan")
