"""pia's built-in patterns skip Presidio's validation compile at start-up
(``pia.detection.builtin_pattern``): these tests are that validation, once per change. Each
built-in pattern compiles in the ``regex`` module with its recognizer's flags, as Presidio
compiles it to run it, and has a score Presidio accepts; a ``BuiltinPattern`` is a Presidio
``Pattern`` field for field, so a Presidio user who takes pia's recognizers sees none of it."""

from __future__ import annotations

import pytest
import regex
from presidio_analyzer import Pattern

from pia.detection.builtin_pattern import BuiltinPattern
from pia.detection.registry import BUILTIN_RECOGNIZERS, build_registry

_BUILTIN = [r for r in build_registry(plugins=False).recognizers()
            if type(r) in BUILTIN_RECOGNIZERS]
_PATTERNS = [(r, p) for r in _BUILTIN for p in r.patterns]


def test_every_builtin_recognizer_has_patterns_and_each_is_a_builtin_pattern() -> None:
    assert {type(r) for r in _BUILTIN} == set(BUILTIN_RECOGNIZERS)
    assert len(_PATTERNS) >= 40
    assert all(isinstance(p, BuiltinPattern) for _r, p in _PATTERNS)


@pytest.mark.parametrize(("recognizer", "pattern"), _PATTERNS,
                         ids=[f"{r.name}-{r.supported_language}-{p.name}" for r, p in _PATTERNS])
def test_a_builtin_pattern_compiles_as_presidio_compiles_it(recognizer, pattern) -> None:
    # Presidio validates with ``regex.compile(pattern)`` and runs with its global flags
    regex.compile(pattern.regex)
    regex.compile(pattern.regex, recognizer.global_regex_flags)
    assert 0 <= pattern.score <= 1 and pattern.name


def test_a_builtin_pattern_is_a_presidio_pattern_field_for_field() -> None:
    made = BuiltinPattern("mobile", r"1[3-9][0-9]{9}", 0.7)
    assert isinstance(made, Pattern)
    assert vars(made) == vars(Pattern("mobile", r"1[3-9][0-9]{9}", 0.7))
    assert made.to_dict() == {"name": "mobile", "score": 0.7, "regex": r"1[3-9][0-9]{9}"}
    assert vars(BuiltinPattern.from_dict(made.to_dict())) == vars(made)

