"""Path globs of a declaration: the same answers as before, in time linear in the path even
for a hostile glob (a declaration arrives inside a bundle a regulator verifies)."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pia.declaration import load_declaration_data
from pia.globs import glob_matches
from pia.source_match import source_matches

HOSTILE = "**a" * 8 + "**b"  # took minutes against 400 "a" with a backtracking regex


def oracle(pattern: str, path: str) -> bool:
    """The glob as it used to be matched: translated to a Python regex (backtracking)."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z").match(path) is not None


def _quickly(pattern: str, path: str) -> bool:
    start = time.process_time()
    result = glob_matches(pattern, path)
    assert time.process_time() - start < 1.0
    return result


@pytest.mark.timeout(10)
def test_a_hostile_glob_is_refused_within_a_second() -> None:
    assert _quickly(HOSTILE, "a" * 400) is False


@pytest.mark.timeout(10)
@pytest.mark.parametrize(("pattern", "path"), [
    (HOSTILE + "?", "a" * 400 + "b/"),  # the literal runs are all there: the automaton runs
    ("**a" * 200 + "**b?", "a" * 10_000 + "b/"),
    ("*a**a" * 5 + "*b?", "a" * 400 + "b/"),  # * and ** mixed
    ("**?" * 30 + "*/?", "".join(chr(0x4E00 + i) for i in range(3_000)) + "/"),  # all distinct
])
def test_hostile_globs_that_pass_the_quick_checks_are_answered_within_a_second(
        pattern: str, path: str) -> None:
    assert _quickly(pattern, path) is False


@pytest.mark.timeout(10)
def test_a_hostile_asset_in_a_declaration_costs_nothing() -> None:
    decl = load_declaration_data({"version": 1, "organisation": {"name": "x"},
                                  "assets": [{"id": "hostile", "source": "/" + HOSTILE + "?"}]})
    start = time.process_time()
    assert decl.asset_for("/", {"path": "/" + "a" * 400 + "b/"}) is None
    assert not source_matches("/" + HOSTILE, "/" + "a" * 400)
    assert time.process_time() - start < 1.0


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("**A*B", "xA/yAB", True),  # ** must take the later A: committing to the first is wrong
    ("*A*B", "xA/yAB", False),
    ("**/*.log", "/var/log/app/a.log", True),
    ("**/*.log", "/var/log/app/a.log/", False),
    ("/var/*/app/*.log", "/var/log/app/a.log", True),
    ("/var/*/app/*.log", "/var/log/x/app/a.log", False),
    ("/var/**/app/*.log", "/var/log/x/app/a.log", True),
    ("/data/[ab]/*", "/data/[ab]/x", True),  # no character classes: [ is itself
    ("/data/[ab]/*", "/data/a/x", False),
    ("/Data/**", "/data/x", False),
    ("/a/**/**b", "/a/\nb", False),  # ** does not cross a newline; * does
    ("/a/*/*b", "/a/\n/b", True),
    ("a**?*b", "a/b", False),
    ("a**?*b", "a/xb", True),
])
def test_globs(pattern: str, path: str, expected: bool) -> None:
    assert glob_matches(pattern, path) is expected is oracle(pattern, path)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "/", "*", "**", "?"]), max_size=10).map("".join),
       st.text(alphabet="ab/\n", max_size=12))
def test_globs_answer_as_the_regex_did(pattern: str, path: str) -> None:
    assert glob_matches(pattern, path) is oracle(pattern, path)


def test_the_automaton_forgets_and_rebuilds_itself_past_its_bound() -> None:
    path = "".join(chr(0x4E00 + i) for i in range(6_000)) + "/x"  # more transitions than kept
    for pattern in ("**?*/x", "**?*/y", "*?**" + chr(0x4E00 + 5_999) + "/?"):
        for _ in range(2):
            assert glob_matches(pattern, path) is oracle(pattern, path)
