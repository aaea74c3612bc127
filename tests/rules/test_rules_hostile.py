"""A bundle verifier re-evaluates findings from someone else's report: whatever JSON values
the facts and items hold, evaluation returns findings or raises nothing but PiaError."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pia.rules import evaluate, load_rulesets

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)
ATTRIBUTE_NAMES = ["region", "jurisdiction", "encryption", "public_acl", "public_policy",
                   "versioning", "object_lock", "lifecycle", "logging", "replication", "tags",
                   "grants", "public_read", "minors_count", "classification_label", "oldest",
                   "newest", "last_modified", "mtime", "distinct_estimate", "data_type",
                   "span_days", "soft_delete", "deleted_oldest"]
attributes = st.dictionaries(st.sampled_from(ATTRIBUTE_NAMES), json_values, max_size=6)
locations = st.sampled_from([
    {"table": "t", "column": "c"}, {"schema": "s", "table": "t"}, {"database": "d"},
    {"path": "/var/log/a.log"}, {"path": "/var/log"}, {"bucket": "logs"},
    {"bucket": "logs", "key": "a.csv"}, {"file": "m.sql", "line": 1, "table": "t",
                                         "column": "c"}])
facts = st.lists(st.fixed_dictionaries({
    "kind": st.sampled_from(["database", "table", "column", "file", "log_dir", "bucket",
                             "object", "migration"]),
    "source": st.sampled_from(["postgresql://h/d", "/var/log", "s3://logs", "m.sql"]),
    "location": locations, "attributes": attributes}), max_size=6)
items = st.lists(st.fixed_dictionaries({
    "source": st.sampled_from(["postgresql://h/d", "/var/log", "s3://logs", "m.sql"]),
    "location": locations,
    "entity_type": st.sampled_from(["CN_RESIDENT_ID", "CN_MOBILE", "CN_USCC", "X"]),
    "count": st.integers(0, 5), "sampled": st.integers(0, 5), "score": st.just(0.5),
    "sensitive": st.booleans(), "protected": st.booleans(),
    "protection": st.sampled_from(["plaintext", "masked", "hashed_unsalted", "encrypted"]),
    "evidence": st.dictionaries(st.sampled_from(["samples", "minors_count"]), json_values,
                                max_size=2)}), max_size=6)

RULESETS = load_rulesets()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items, facts)
def test_evaluation_survives_any_json_values(inventory, fact_list) -> None:
    result = evaluate(RULESETS, inventory, fact_list, None, today=dt.date(2026, 11, 28))
    assert isinstance(result.findings, list)


yaml_texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(["a:", " b", ": ", "- ", "[", "]", "{", "}", "&x", "*x", "!!int",
                              "!!str", "!!binary", "!!timestamp", "<<:", "2026-02-30", "1e999",
                              ".nan", "\n", "  ", "'", '"', "?", "|", ">", "#", "%YAML 1.1",
                              "---", "...", "rules:", "ruleset: x", "version: 1"]),
             max_size=40).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(yaml_texts)
def test_any_text_loads_or_fails_with_a_located_error(text: str) -> None:
    from pia.declaration import load_declaration_text
    from pia.errors import ConfigError, RulesetError
    from pia.rules import load_ruleset_text

    try:
        load_ruleset_text(text, "fuzz.yaml")
    except RulesetError as err:
        assert str(err).startswith("fuzz.yaml")
    try:
        load_declaration_text(text, "fuzz.yaml")
    except ConfigError as err:
        assert str(err).startswith("fuzz.yaml")


def _nested_ruleset(depth: int) -> str:
    """One rule whose condition nests ``every`` over an item's line numbers ``depth`` times
    (what a hostile bundle carried: each level multiplies the work by the list's length)."""
    import json

    cond: object = {"path": "item.count", "eq": 1}
    for _ in range(depth):
        cond = {"every": "item.location.lines", "where": cond}
    return ("ruleset: hostile\nversion: 1\ntitle: {zh: 敌意, en: Hostile}\nrules:\n"
            "  - id: HOSTILE-1\n    title: {zh: 标题, en: Title}\n    severity: high\n"
            "    scope: [log]\n    applies_to: [item]\n"
            "    references:\n      - {law: PIPL, article: '28', quote: 敏感个人信息}\n"
            f"    when: {json.dumps(cond)}\n    remediation: {{zh: 修复, en: Fix}}\n")


def test_quantifiers_nested_too_deep_are_refused_at_load() -> None:
    import pytest

    from pia.errors import RulesetError
    from pia.rules import load_ruleset_text

    load_ruleset_text(_nested_ruleset(3), "ok.yaml")
    with pytest.raises(RulesetError, match="quantifiers nested deeper than 3"):
        load_ruleset_text(_nested_ruleset(4), "hostile.yaml")


def test_a_condition_that_would_visit_too_much_stops_with_an_error() -> None:
    """Three levels over 200 line numbers are 8 million visits: refused at a million, in
    well under a second, instead of minutes (seven levels ran for longer than anyone
    waited)."""
    import time

    import pytest

    from pia.errors import ConfigError
    from pia.rules import load_ruleset_text
    from pia.rules.conditions import MAX_VISITS

    ruleset = load_ruleset_text(_nested_ruleset(3), "hostile.yaml")
    item = {"source": "/var/log", "location": {"path": "/var/log/a.log",
                                               "lines": list(range(1, 201))},
            "entity_type": "CN_MOBILE", "count": 1, "sampled": 1, "score": 1.0,
            "sensitive": False, "protected": False, "protection": "plaintext"}
    started = time.process_time()  # CPU time: a loaded machine stretches wall time, not this
    with pytest.raises(ConfigError, match=f"HOSTILE-1 .*more than {MAX_VISITS:,}"):
        evaluate([ruleset], [item], [], None, today=dt.date(2026, 11, 28))
    assert time.process_time() - started < 5
    # the same rule over a short list is evaluated as before
    item["location"]["lines"] = [1, 2, 3]
    assert len(evaluate([ruleset], [item], [], None, today=dt.date(2026, 11, 28)).findings) == 1
