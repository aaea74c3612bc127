"""Every bundled rule has a failing and a passing fixture, run by this one generic test."""

from __future__ import annotations

import pytest
from rulecases import bundled_rules, fixture_files, load_fixture, run_case

from pia.report import SEVERITIES

CASES = [
    pytest.param(path.stem, i, case, id=f"{path.stem}[{i}:{case['expect']}]")
    for path in fixture_files()
    for i, case in enumerate(load_fixture(path)["cases"])
]


@pytest.mark.parametrize(("rule_id", "index", "case"), CASES)
def test_rule_fixture(rule_id: str, index: int, case: dict) -> None:
    result = run_case(rule_id, case)
    assert result.not_evaluated == [], "a fixture must exercise the rule, not skip it"
    findings = [f for f in result.findings if f["rule_id"] == rule_id]
    if case["expect"] == "fail":
        assert findings, case["describe"]["en"]
        if "findings" in case:
            assert len(findings) == case["findings"]
        for finding in findings:
            assert finding["severity"] in SEVERITIES
            assert finding["references"] and all(r["quote"] for r in finding["references"])
            if "severity" in case:
                assert finding["severity"] == case["severity"]
    else:
        assert findings == [], case["describe"]["en"]


def test_every_bundled_rule_has_a_pass_and_a_fail_fixture() -> None:
    fixtures = {p.stem: load_fixture(p) for p in fixture_files()}
    rules = bundled_rules()
    assert sorted(fixtures) == sorted(rules)
    for rule_id, fixture in fixtures.items():
        assert fixture["rule"] == rule_id
        expects = {case["expect"] for case in fixture["cases"]}
        assert expects == {"fail", "pass"}, rule_id
        assert all(case["describe"]["zh"] and case["describe"]["en"] for case in fixture["cases"])
