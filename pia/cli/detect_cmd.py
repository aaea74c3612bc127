"""`pia detect`: placeholder until the detection engine lands."""

from __future__ import annotations

from pia.errors import NotImplementedYet

HELP = "Detect personal information in text, one result line per input line."


def command() -> None:
    raise NotImplementedYet("detect")
