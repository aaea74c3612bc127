"""Ruleset loading: malformed rules fail with file, line and reason; hostile YAML is refused."""

from __future__ import annotations

import hashlib
import textwrap

import pytest

from pia.errors import RulesetError
from pia.rules import BUNDLED, bundled_text, load_ruleset, load_ruleset_text, load_rulesets

GOOD = textwrap.dedent("""\
    ruleset: custom
    version: 1
    title: {zh: 自定义, en: Custom}
    rules:
      - id: CUSTOM-1
        title: {zh: 标题, en: Title}
        severity: high
        scope: [db]
        applies_to: [item]
        references:
          - {law: PIPL, article: "28", quote: 敏感个人信息}
        when:
          all:
            - sensitive
            - {path: item.protection, eq: plaintext}
        remediation: {zh: 修复, en: Fix}
    """)


def broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def test_good_ruleset_loads_with_hash_of_exact_text() -> None:
    ruleset = load_ruleset_text(GOOD, "custom.yaml")
    assert (ruleset.id, ruleset.version, [r.id for r in ruleset.rules]) == (
        "custom", 1, ["CUSTOM-1"])
    assert ruleset.sha256 == hashlib.sha256(GOOD.encode()).hexdigest()
    assert ruleset.text == GOOD


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        # unknown keys are refused, at the key's own line
        (broken("    severity: high\n", "    severity: high\n    sevrity: low\n"),
         8, "unknown key 'sevrity'"),
        (broken("ruleset: custom\n", "ruleset: custom\nextra: 1\n"), 2, "unknown key 'extra'"),
        # wrong values
        (broken("severity: high", "severity: severe"), 7, "severe"),
        (broken("scope: [db]", "scope: [database]"), 8, "database"),
        (broken('article: "28"', "article: 28"), 11, "28"),
        # the condition language: unknown predicate, unknown namespace, unknown operator
        (broken("        - sensitive\n", "        - sensitiv\n"), 14,
         "unknown predicate 'sensitiv'"),
        (broken("path: item.protection", "path: row.protection"), 15, "unknown name"),
        (broken("eq: plaintext", "equals: plaintext"), 15, "equals"),
        (broken("eq: plaintext", "eq: plaintext, ne: masked"), 15, ""),
        # missing required parts
        (broken("    remediation: {zh: 修复, en: Fix}\n", ""), 5, "remediation"),
        (broken("title: {zh: 标题, en: Title}", "title: {zh: 标题}"), 6, "en"),
        # triggers: a reference names one the rule has; the duty itself is cited unconditionally;
        # a trigger's condition is checked like ``when``
        (broken("    remediation:", "    triggers: {big: sensitive}\n    remediation:").replace(
            "quote: 敏感个人信息}\n", "quote: 敏感个人信息}\n"
            "      - {law: PIPL, article: '55', quote: 处理敏感个人信息, triggers: [large]}\n"),
         12, "reference cited on trigger 'large', which the rule's triggers do not name"),
        (broken("    remediation:", "    triggers: {big: sensitive}\n    remediation:").replace(
            "quote: 敏感个人信息}", "quote: 敏感个人信息, triggers: [big]}"), 11,
         "cites the duty itself in a reference without triggers"),
        (broken("    remediation:", "    triggers: {big: sensitiv}\n    remediation:"), 16,
         "unknown predicate 'sensitiv'"),
        (broken("    remediation:", "    triggers: {Big: sensitive}\n    remediation:"), 16,
         "Big"),
        # YAML problems
        (broken("ruleset: custom", "ruleset: [custom"), 2, ""),
        (broken("version: 1\n", "version: 1\nversion: 2\n"), 3,
         "duplicate key 'version'"),
    ],
)
def test_malformed_ruleset_names_file_line_and_reason(text: str, line: int, reason: str) -> None:
    with pytest.raises(RulesetError) as err:
        load_ruleset_text(text, "custom.yaml")
    message = str(err.value)
    assert message.startswith(f"custom.yaml:{line}: "), message
    assert reason in message


def test_duplicate_rule_ids_are_refused() -> None:
    rule = GOOD[GOOD.index("  - id: CUSTOM-1"):]
    with pytest.raises(RulesetError, match=r"custom.yaml:17: duplicate rule id CUSTOM-1"):
        load_ruleset_text(GOOD + rule, "custom.yaml")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: &x [1, 2]\nb: *x\n", "aliases"),
        ("a: !!python/object/apply:os.system ['echo hi']\n", ""),
        ("a: !!binary aGVsbG8=\n", "binary"),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", ""),
        ("a: " + "[" * 60 + "]" * 60 + "\n", "nesting"),
        ("x: " + "y" * 1_100_000 + "\n", "larger than"),
        ("- just\n- a list\n", "a ruleset is a mapping"),
        ("a: 2026-02-30\n", "evil.yaml:1: a: not a calendar date (YYYY-MM-DD)"),
        ("a: !!int abc\n", "evil.yaml:1: a: invalid int value"),
        ("a: .inf\n", "infinity"),
    ],
)
def test_hostile_yaml_is_refused(text: str, reason: str) -> None:
    with pytest.raises(RulesetError) as err:
        load_ruleset_text(text, "evil.yaml")
    assert str(err.value).startswith("evil.yaml")
    assert reason in str(err.value)


def test_selectors_pick_bundled_ids_and_paths(tmp_path) -> None:
    assert [r.id for r in load_rulesets(None)] == list(BUNDLED)
    assert [r.id for r in load_rulesets([])] == list(BUNDLED)
    path = tmp_path / "custom.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert [r.id for r in load_rulesets(["cn-pipl", str(path)])] == ["cn-pipl", "custom"]
    assert [r.id for r in load_rulesets([str(path)])] == [*BUNDLED, "custom"]  # paths add
    assert [r.id for r in load_rulesets(["cn-csl"])] == ["cn-csl"]  # ids narrow
    mine = tmp_path / "my-pipl.yaml"
    mine.write_text(GOOD.replace("ruleset: custom", "ruleset: cn-pipl"), encoding="utf-8")
    with pytest.raises(RulesetError, match="unknown ruleset 'cn-gdpr'"):
        load_ruleset("cn-gdpr")
    with pytest.raises(RulesetError, match="cannot read ruleset"):
        load_ruleset(str(tmp_path / "missing.yaml"))
    with pytest.raises(RulesetError, match="selected twice"):
        load_rulesets(["cn-pipl", "cn-pipl"])


def test_a_custom_ruleset_cannot_take_a_bundled_id(tmp_path) -> None:
    """It silently replaced the bundled PIPL rules, and reports cited cn-pipl for them."""
    mine = tmp_path / "my-pipl.yaml"
    mine.write_text(GOOD.replace("ruleset: custom", "ruleset: cn-pipl"), encoding="utf-8")
    for selectors in ([str(mine)], ["cn-csl", str(mine)]):
        with pytest.raises(RulesetError, match=rf"^{mine}:1: ruleset id 'cn-pipl' is a bundled"):
            load_rulesets(selectors)
    # replacing a bundled ruleset: keep the other bundled ids, add yours under its own id
    own = tmp_path / "acme-pipl.yaml"
    own.write_text(GOOD, encoding="utf-8")
    assert [r.id for r in load_rulesets(["cn-csl", str(own)])] == ["cn-csl", "custom"]


def test_a_rule_id_belongs_to_one_loaded_ruleset(tmp_path) -> None:
    """accept: entries match by rule id: two rules under one id were accepted together."""
    taken = tmp_path / "taken.yaml"
    taken.write_text(GOOD.replace("CUSTOM-1", "PIPL-28-SENSITIVE-PLAINTEXT"), encoding="utf-8")
    with pytest.raises(RulesetError, match=rf"^{taken}:5: rule id PIPL-28-SENSITIVE-PLAINTEXT "
                                           "is already used by ruleset cn-pipl"):
        load_rulesets([str(taken)])
    assert [r.id for r in load_rulesets(["cn-csl", str(taken)])] == ["cn-csl", "custom"]
    mine, other = tmp_path / "mine.yaml", tmp_path / "other.yaml"
    mine.write_text(GOOD, encoding="utf-8")
    other.write_text(GOOD.replace("ruleset: custom", "ruleset: other"), encoding="utf-8")
    with pytest.raises(RulesetError, match="rule id CUSTOM-1 is already used by ruleset custom"):
        load_rulesets(["cn-csl", str(mine), str(other)])


def test_bundled_hash_is_of_the_shipped_bytes() -> None:
    for ruleset in load_rulesets():
        assert ruleset.sha256 == hashlib.sha256(bundled_text(ruleset.id).encode()).hexdigest()
        assert load_ruleset_text(ruleset.text, "copy").sha256 == ruleset.sha256


@pytest.mark.parametrize(
    ("condition", "reason"),
    [
        ("{path: item.entity_typo, eq: CN_BANK_CARD}", "unknown field 'entity_typo' in 'item'"),
        ("{path: bucket.encryptoin, eq: none}", "unknown field 'encryptoin' in 'bucket'"),
        ("{path: asset.retention.periood, exists: false}",
         "unknown field 'periood' in 'asset.retention'"),
        ("{path: age.oldest_days, lt: {ref: policy.min_log_retention_dayz}}",
         "reference 'policy.min_log_retention_dayz': unknown field"),
        ("{path: org.last_pi_audit.year, eq: 2024}", "'org.last_pi_audit' has no fields"),
        ("{path: bucket.lifecycle.0, eq: 1}", "'bucket.lifecycle' is a list"),
        ("{path: it.expiration_days, lt: 180}", "'it' is only bound inside some/every"),
        ("{some: bucket.lifecycle, where: {path: it.expiration_dayz, lt: 180}}",
         "unknown field 'expiration_dayz' in 'it'"),
        ("{some: declaration.cross_border, where: {path: it.assett, eq: x}}",
         "unknown field 'assett' in 'it'"),
    ],
)
def test_a_path_naming_no_known_field_is_refused(condition: str, reason: str) -> None:
    """A typo made the comparison unknown forever: the rule never fired and said nothing."""
    text = broken("        - {path: item.protection, eq: plaintext}",
                  f"        - {condition}")
    with pytest.raises(RulesetError) as err:
        load_ruleset_text(text, "custom.yaml")
    assert str(err.value).startswith("custom.yaml:15: CUSTOM-1: "), str(err.value)
    assert reason in str(err.value)


@pytest.mark.parametrize("condition", [
    "{path: item.evidence.minors_count, gt: 0}",  # connectors add it to items
    "{path: fact.attributes.anything, eq: 1}",  # a fact's attributes are open
    "{path: bucket.tags.owner, eq: ops}",  # tags are a free mapping
    "{some: bucket.tags, where: {path: it.key, eq: owner}}",
    "{some: table.grants, where: {path: it.grantee, eq: PUBLIC}}",
    "{path: asset.retention_days, gt: {ref: policy.max_pi_retention_days}}",
])
def test_known_and_open_fields_are_accepted(condition: str) -> None:
    text = broken("        - {path: item.protection, eq: plaintext}",
                  f"        - {condition}")
    assert load_ruleset_text(text, "custom.yaml").rules


def test_an_evidence_path_naming_no_known_field_is_refused() -> None:
    text = broken("    remediation:", "    evidence: {etype: item.entity_typo}\n    remediation:")
    with pytest.raises(RulesetError, match=r"custom\.yaml:16: CUSTOM-1: evidence path "
                                           r"'item\.entity_typo': unknown field"):
        load_ruleset_text(text, "custom.yaml")


def test_an_invalid_date_names_its_key_and_no_python_exception() -> None:
    with pytest.raises(RulesetError) as err:
        load_ruleset_text("ruleset: x\nlast: 2022-13-45\n", "evil.yaml")
    assert str(err.value) == "evil.yaml:2: last: not a calendar date (YYYY-MM-DD)"


def test_an_alias_is_refused_at_its_own_line_not_the_anchors() -> None:
    text = "a: &x [1, 2]\nb: 1\nc:\n  - *x\n"
    with pytest.raises(RulesetError, match=r"^evil\.yaml:4: YAML aliases \(\*ref\) are not"):
        load_ruleset_text(text, "evil.yaml")


def test_too_many_rules_says_how_many_without_dumping_them() -> None:
    rule = GOOD[GOOD.index("  - id: CUSTOM-1"):]
    rules = "".join(rule.replace("CUSTOM-1", f"CUSTOM-{i:03}") for i in range(501))
    with pytest.raises(RulesetError) as err:
        load_ruleset_text(GOOD[:GOOD.index("  - id: CUSTOM-1")] + rules, "big.yaml")
    assert str(err.value) == "big.yaml:5: 501 rules, at most 500"
