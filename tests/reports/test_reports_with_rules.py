"""The bundled rulesets' real findings, rendered: valid, clean, and the same numbers everywhere.

The fixture's findings are written by hand; these come from ``pia.rules.apply_rules`` over the
same inventory, so evidence shapes the engine really produces are covered too.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from reports_fixture import RAW_VALUES, SECRETS
from test_reports_sarif import SCHEMA
from test_reports_selfscan import _detect

from pia.report import validate_report
from pia.reports import FORMATS, render
from pia.rules import apply_rules, load_rulesets

RAW = [v for values in RAW_VALUES.values() for v in values]


@pytest.fixture(scope="module")
def ruled() -> dict[str, Any]:
    from reports_fixture import build_report

    report = apply_rules(build_report(), load_rulesets())
    validate_report(report)
    assert report["summary"]["findings"] > 0
    return report


@pytest.mark.parametrize("fmt", FORMATS)
def test_engine_findings_render_without_pi(ruled: dict[str, Any], fmt: str) -> None:
    out = render(ruled, fmt, lang="zh", width=400)
    assert [v for v in RAW + SECRETS if v in out] == []
    assert _detect(out) == []
    assert "[withheld]" not in out and "〔未显示〕" not in out  # engine evidence is all showable


def test_engine_findings_give_valid_sarif(ruled: dict[str, Any]) -> None:
    from jsonschema import Draft7Validator

    sarif = json.loads(render(ruled, "sarif", lang="en"))
    assert [e.message for e in Draft7Validator(SCHEMA).iter_errors(sarif)] == []
    assert len(sarif["runs"][0]["results"]) == len(ruled["findings"])
