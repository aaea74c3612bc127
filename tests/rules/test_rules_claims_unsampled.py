"""The storage-protection rules over a database column's claim and over a column never read.

A column whose comment claims protection its plaintext values contradict (qa-db L2) is found
plaintext, and the finding repeats the claim (``claimed_protection``, ``claimed_by``) beside
the masked samples. A column of a table that could not be read (qa-db L3: ``not_sampled``) is
neither passed nor failed by what its name or comment says: the rules leave it undecided, in
``not_evaluated``, with why and how to decide it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pia.rules import evaluate, load_rulesets

RULE = "PIPL-28-SENSITIVE-PLAINTEXT"
SOURCE = "postgresql://db.example:5432/crm"


def _item(column: str, protection: str, count: int, **extra: Any) -> dict[str, Any]:
    evidence = extra.pop("evidence", {})
    return {"source": SOURCE, "location": {"database": "crm", "schema": "public",
                                           "table": "users", "column": column},
            "entity_type": "CN_RESIDENT_ID", "count": count, "sampled": count, "score": 0.9,
            "signals": ["comment", "values"] if count else ["comment"], "sensitive": True,
            "protected": protection != "plaintext", "protection": protection,
            "evidence": {"samples": ["1101**********1234"] if count else [], **evidence},
            **extra}


def _judge(*items: dict[str, Any]) -> tuple[dict[str, dict], dict[str, str]]:
    result = evaluate(load_rulesets(["cn-pipl"]), list(items), [],
                      today=dt.date(2026, 11, 30))
    found = {loc["column"]: f["evidence"] for f in result.findings if f["rule_id"] == RULE
             for loc in f["locations"]}
    undecided = {n["location"]["column"]: n["reason"] for n in result.not_evaluated
                 if n["rule_id"] == RULE and "location" in n}
    return found, undecided


def test_a_claim_the_values_contradict_is_in_the_finding() -> None:
    found, undecided = _judge(_item("sfzh", "plaintext", 60, evidence={
        "claimed_protection": "encrypted", "claimed_by": "comment"}))
    assert found["sfzh"]["claimed_protection"] == "encrypted"
    assert found["sfzh"]["claimed_by"] == "comment"
    assert found["sfzh"]["samples"] == ["1101**********1234"]
    assert undecided == {}


def test_a_column_never_read_is_undecided_whatever_its_comment_claims() -> None:
    found, undecided = _judge(
        _item("sfzh", "plaintext", 0, not_sampled="lock timeout"),
        _item("sfzh_enc", "encrypted", 0, not_sampled="permission denied"),
        _item("empty_enc", "encrypted", 0))  # an empty table: nothing else to go by
    assert found == {}
    assert set(undecided) == {"sfzh", "sfzh_enc"}
    assert "column sfzh: its values could not be sampled (lock timeout)" in undecided["sfzh"]
    assert "permission denied" in undecided["sfzh_enc"]
    assert "let the scanning account read the table" in undecided["sfzh_enc"]
