"""`pia rulesets validate` refuses a comparison that can never hold: `gt: "0"` on a count
and `in: CN_MOBILE` (not a list) were accepted, and the rule then evaluated to unknown on
every item and never fired, a silent false clean result. Each is named with file:line, and
the value itself is not echoed (a ruleset is user text)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rulesets_cmd import run

RULESET = """\
ruleset: acme-internal
version: "1"
title: {{zh: 内部规则, en: Internal rules}}
rules:
  - id: ACME-1-NO-PI-IN-DEBUG-LOGS
    title: {{zh: 调试日志含个人信息, en: Personal information in debug logs}}
    severity: medium
    scope: [log]
    applies_to: [item]
    references:
      - {{law: PIPL, article: "51", quote: 采取相应的加密、去标识化等安全技术措施}}
    when: {{all: [{when}]}}
    remediation: {{zh: 在写日志前掩码。, en: Mask values before logging.}}
"""


@pytest.mark.parametrize(("when", "says"), [
    ('{path: item.count, gt: "0"}', "gt compares a number with a text (quoted)"),
    ('{path: item.count, ge: "abc"}', "ge compares a number with a text (quoted)"),
    ('{path: item.share, eq: "0.5"}', "eq compares a number with a text"),
    ('{path: item.count, in: [1, "2"]}', "in compares a number with a text"),
    ("{path: item.entity_type, in: CN_MOBILE}", "in takes a list of values"),
    ("{path: item.entity_type, not_in: CN_MOBILE}", "not_in takes a list of values"),
    ("{path: item.entity_type, eq: 13812345678}", "eq compares a text with a number"),
    ("{path: item.count, lt: true}", "lt compares with a number or a text, not true/false"),
    ('{path: fact.attributes.size, gt: "10"}', "gt has a quoted number"),
    ('{some: item.evidence.samples, where: {path: it, in: x}}', "in takes a list"),
])
def test_a_comparison_that_never_holds_is_refused(tmp_path: Path, capsys, when, says) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(RULESET.format(when=when), encoding="utf-8")
    code, out, err = run(["rulesets", "validate", str(path)], capsys)
    assert (code, out) == (2, ""), err
    assert err.startswith(f"pia: error: {path}:12: ACME-1-NO-PI-IN-DEBUG-LOGS: ") and says in err
    assert "13812345678" not in err


@pytest.mark.parametrize("when", [
    "{path: item.count, gt: 0}", "{path: item.entity_type, in: [CN_MOBILE]}",
    "{path: item.share, ge: 0.5}", '{path: item.entity_type, eq: "CN_MOBILE"}',
    "{path: item.count, in: {ref: item.sampled}}", '{path: fact.attributes.size, gt: 10}',
    '{path: item.entity_type, ge: "A"}',
])
def test_comparisons_that_can_hold_are_accepted(tmp_path: Path, capsys, when) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(RULESET.format(when=when), encoding="utf-8")
    code, out, err = run(["rulesets", "validate", str(path)], capsys)
    assert (code, err) == (0, "") and ": ok (acme-internal 1, " in out
