"""The examples in docs/migrations.md are the rules' pass/fail fixtures: loaded from the doc
and checked here, so the documentation cannot drift from what the checker does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from pia.migrations import RULE_IDS, Declared, check_text

DOC = Path(__file__).parents[2] / "docs" / "migrations.md"
FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```$", re.M | re.S)


def _blocks() -> list[tuple[str, str, str]]:
    out = []
    for match in FENCE.finditer(DOC.read_text("utf-8")):
        info = match.group("info").split()
        if len(info) == 3 and info[0] == "sql" and info[1] in ("pass", "fail"):
            out.append((info[1], info[2], match.group("body")))
    return out


def _declaration() -> Declared:
    for match in FENCE.finditer(DOC.read_text("utf-8")):
        if match.group("info").split() == ["yaml", "pia.yaml"]:
            return Declared.from_data(yaml.safe_load(match.group("body")))
    raise AssertionError("docs/migrations.md has no ```yaml pia.yaml block")


EXAMPLES = _blocks()


@pytest.mark.parametrize(("verdict", "rule_id", "sql"), EXAMPLES,
                         ids=[f"{v}-{r}-{i}" for i, (v, r, _s) in enumerate(EXAMPLES)])
def test_doc_example(verdict: str, rule_id: str, sql: str) -> None:
    findings = check_text("example.sql", sql, "auto", _declaration())
    raised = [f for f in findings if f.rule_id == rule_id and f.status == "open"]
    assert bool(raised) == (verdict == "fail"), [f.message for f in findings]


def test_every_rule_has_a_failing_and_a_passing_example() -> None:
    have = {(verdict, rule_id) for verdict, rule_id, _sql in EXAMPLES}
    assert {(v, r) for r in RULE_IDS for v in ("pass", "fail")} <= have
    assert {r for _v, r, _s in EXAMPLES} <= set(RULE_IDS)


def test_rule_ids_exist_in_the_bundled_rulesets_with_matching_severity() -> None:
    """Messages cite the rulesets; a renamed rule or a changed severity must be noticed."""
    from pia.migrations.rules import rule_info
    from pia.rules import load_rulesets

    bundled = {rule.id: rule for ruleset in load_rulesets() for rule in ruleset.rules}
    for rule_id in RULE_IDS:
        if rule_id == "PIA-SQL-PARSE":  # a tool diagnostic, not a control
            assert rule_id not in bundled
            continue
        rule = bundled[rule_id]
        level = "error" if rule.severity in ("critical", "high") else "warning"
        info = rule_info(rule_id)
        assert info["level"] == level
        assert info["references"] and all(r["quote"] for r in info["references"])
