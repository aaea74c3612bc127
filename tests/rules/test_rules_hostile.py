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
                   "span_days"]
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
