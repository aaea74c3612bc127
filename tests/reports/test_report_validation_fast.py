"""``load_report`` on a large report: fast, and exactly as strict as the schema (a bundle's
report is untrusted, and ``pia bundle verify`` relies on this check). A report of 20,000
findings and items took 16 s to load, 9 s of it in jsonschema."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from pia.errors import InputError
from pia.report import _compile, _compiled, load_report, report_schema, validation_errors

WRONG = (None, True, 0, -1, 1.5, 2, "", "x", "2026-13-01T00:00:00Z", [], [1], {}, {"a": 1},
         "hmac-sha256:xyz", ["a"] * 11, "open", "critical", "plaintext", 1.0)


def _paths(value: Any, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value[:2]):
            yield from _paths(child, (*path, index))


def _set(report: dict[str, Any], path: tuple, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(report)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


def test_the_compiled_check_accepts_exactly_what_jsonschema_accepts(
        report: dict[str, Any]) -> None:
    """Every value of the fixture replaced by each of a set of wrong (and right) values,
    and keys added and removed: the verdicts agree, case by case."""
    reference = Draft202012Validator(report_schema(), format_checker=FormatChecker())
    compiled = _compiled()
    cases, rejected = 0, 0
    for path in list(_paths(report))[1:]:
        variants = [_set(report, path, value) for value in WRONG]
        parent = report
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict):  # the key removed, and an unknown key beside it
            removed = copy.deepcopy(report)
            holder = removed
            for key in path[:-1]:
                holder = holder[key]
            del holder[path[-1]]
            variants += [removed, _set(report, (*path[:-1], "zz_unknown"), 1)]
        for variant in variants:
            expected = reference.is_valid(variant)
            assert compiled(variant) == expected, (path, json.dumps(variant)[:200])
            cases += 1
            rejected += not expected
    assert cases > 3000 and rejected > 1000  # the fixture's paths, many of them wrong


def test_every_keyword_of_the_schema_is_compiled() -> None:
    """A keyword the compiler does not know makes every report go through jsonschema, right
    but ten times slower: ``children_declared``'s ``const: true`` did, and only a timing
    test noticed."""
    _compile(report_schema(), report_schema(), {})  # raises NotImplementedError otherwise


@pytest.mark.parametrize("value", [True, False, 1, 1.0, "true", None])
def test_a_boolean_const_is_checked_as_jsonschema_checks_it(report: dict[str, Any],
                                                            value: Any) -> None:
    report["inventory"][0]["children_declared"] = value
    reference = Draft202012Validator(report_schema(), format_checker=FormatChecker())
    assert _compiled()(report) == reference.is_valid(report) == (value is True)


def test_a_date_time_that_is_not_one_is_refused(report: dict[str, Any], tmp_path) -> None:
    report["scan"]["started"] = "2026-11-29T13:49:22Z<script>"
    assert validation_errors(report) == ["scan/started: is not a 'date-time'"]
    path = tmp_path / "r.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    with pytest.raises(InputError, match=r"^report .*r\.json does not match pia-report/1: "
                                         r"scan/started: is not a 'date-time'$"):
        load_report(str(path))


def test_a_value_that_fails_the_schema_is_never_quoted(report: dict[str, Any]) -> None:
    """jsonschema starts its message with the failing value: a raw resident ID in a
    severity was printed by pia report's error line."""
    raw = "110101199003074514"
    report["findings"][0]["severity"] = raw
    report["inventory"][0]["evidence"]["samples"] = [{"id": raw}]
    report["scan"]["started"] = raw
    errors = validation_errors(report)
    assert errors and not any(raw in error for error in errors), errors
    assert "findings/0/severity: is not one of info, low, medium, high, critical" in errors


def test_a_large_report_loads_fast(report: dict[str, Any], tmp_path) -> None:
    finding, item = report["findings"][0], report["inventory"][0]
    report["findings"] = [{**finding, "fingerprint": f"{n:064x}"} for n in range(10_000)]
    report["inventory"] = [{**item, "count": n} for n in range(10_000)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    # against the same file's plain json.loads, measured beside it: a ratio, which a loaded
    # machine leaves alone where an absolute limit (2.5 s of CPU) failed under CI's load
    text = path.read_text("utf-8")
    start = time.process_time()
    json.loads(text)
    plain = time.process_time() - start
    start = time.process_time()
    load_report(str(path))
    checked = time.process_time() - start
    print(f"load_report {checked:.2f} s, json.loads {plain:.2f} s")
    assert checked < 12 * plain  # jsonschema alone: about 16 times json.loads
