"""`pia keygen`: not built yet; it says so and exits 2 rather than printing fake output."""

from __future__ import annotations

from pia.errors import NotImplementedYet

HELP = "Create an Ed25519 key pair for signing audit bundles."


def command() -> None:
    raise NotImplementedYet("keygen")
