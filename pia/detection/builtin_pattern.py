"""The patterns of pia's own recognizers: Presidio ``Pattern`` objects, made without its check.

Presidio's ``Pattern`` compiles its regex with the ``regex`` module when it is made, only to
check it, and keeps nothing of the result. pia's built-in recognizers make about fifty at
import, some with long label and surname lists (CN_NAME's alone took a third of a second):
half a second of the start-up of every ``pia scan`` and ``pia detect``, and of every worker
process, spent on patterns that never change. So built-in patterns are made without that
compile; the tests compile each of them with the ``regex`` module, as Presidio would, and
check their scores (``tests/detection/test_builtin_patterns.py``), once per change instead
of once per process. A user's YAML recognizer is still checked as it loads
(``pia.detection.registry``): there the check is for the user.

A ``BuiltinPattern`` is a ``Pattern`` in every other way: Presidio's recognizers, its
``to_dict`` and a Presidio user who takes pia's recognizers see no difference.
"""

from __future__ import annotations

from presidio_analyzer import Pattern


class BuiltinPattern(Pattern):
    """A Presidio ``Pattern`` whose regex and score the tests check instead of each start-up."""

    def __init__(self, name: str, regex: str, score: float) -> None:  # noqa: D107
        # the attributes Presidio's own __init__ sets, without its validation compile
        self.name = name
        self.regex = regex
        self.score = score
        self.compiled_regex = None
        self.compiled_with_flags = None
