"""The condition language: comparisons, quantifiers and three-valued logic (unknown ≠ false)."""

from __future__ import annotations

import pytest

from pia.rules.conditions import evaluate
from pia.rules.predicates import PREDICATES

CTX = {
    "item": {"entity_type": "CN_MOBILE", "count": 5, "protection": "plaintext", "sensitive": False,
             "tags": {"owner": "crm"}},
    "bucket": {"region": "ap-southeast-1", "encryption": None,
               "lifecycle": [{"prefix": "logs/", "expiration_days": 30}]},
    "policy": {"min_log_retention_days": 180},
    "location": {"bucket": "app-logs"},
}


@pytest.mark.parametrize(
    ("cond", "expected"),
    [
        ({"path": "item.count", "eq": 5}, True),
        ({"path": "item.count", "ne": 5}, False),
        ({"path": "item.count", "eq": True}, False),  # a count of 1 is not "true"
        ({"path": "item.sensitive", "eq": 0}, False),
        ({"path": "item.count", "gt": 4}, True),
        ({"path": "item.count", "le": 4}, False),
        ({"path": "item.entity_type", "in": ["CN_MOBILE", "CN_NAME"]}, True),
        ({"path": "item.entity_type", "not_in": ["CN_MOBILE"]}, False),
        ({"path": "bucket.region", "glob": ["AP-*"]}, True),
        ({"path": "item.tags", "contains": "owner"}, True),
        ({"path": "bucket.encryption", "empty": True}, True),
        ({"path": "item.count", "lt": {"ref": "policy.min_log_retention_days"}}, True),
        # missing values are unknown, and unknown never becomes true
        ({"path": "item.missing", "eq": 5}, None),
        ({"path": "item.missing", "ne": 5}, None),
        ({"not": {"path": "item.missing", "eq": 5}}, None),
        ({"path": "item.count", "lt": {"ref": "policy.missing"}}, None),
        ({"path": "bucket.encryption", "lt": 3}, None),
        ({"path": "item.entity_type", "gt": 3}, None),
        ({"path": "item.missing", "exists": False}, True),
        ({"path": "item.count", "exists": True}, True),
        # Kleene logic
        ({"all": [{"path": "item.count", "eq": 5}, {"path": "item.missing", "eq": 1}]}, None),
        ({"all": [{"path": "item.count", "eq": 4}, {"path": "item.missing", "eq": 1}]}, False),
        ({"any": [{"path": "item.count", "eq": 5}, {"path": "item.missing", "eq": 1}]}, True),
        ({"any": [{"path": "item.count", "eq": 4}, {"path": "item.missing", "eq": 1}]}, None),
        # quantifiers bind `it`; dict entries iterate as {key, value}
        ({"some": "bucket.lifecycle", "where": {"path": "it.expiration_days", "lt": 180}}, True),
        ({"every": "bucket.lifecycle", "where": {"path": "it.prefix", "eq": "x"}}, False),
        ({"some": "item.tags", "where": {"path": "it.value", "eq": "crm"}}, True),
        ({"some": "bucket.missing", "where": {"path": "it.x", "eq": 1}}, None),
        # predicates
        ("plaintext", True),
        ("sensitive", False),
        ("enumerable", True),
        ("general_pi", True),
        ("outside_mainland", True),
        ("log_bucket", True),
        ("declared", None),  # no declaration in this context: unknown, not false
    ],
)
def test_condition(cond, expected) -> None:
    assert evaluate(cond, CTX, PREDICATES) is expected


@pytest.mark.parametrize(("bucket", "tags", "expected"), [
    ("app-logs", None, True),
    ("accesslogs-2026", None, True),
    ("cloudtrail.audit", None, True),
    ("nginx_log", None, True),
    ("media", {"purpose": "access-logging"}, True),
    ("数据", {"用途": "操作日志"}, True),
    ("blog-assets", None, False),  # words that merely contain "log"
    ("product-catalog", None, False),
    ("logo-images", {"team": "marketing"}, False),
])
def test_log_bucket_needs_a_word_that_says_logs(bucket: str, tags: dict | None,
                                                expected: bool) -> None:
    ctx = {"location": {"bucket": bucket}, "bucket": {"tags": tags} if tags else {}}
    assert evaluate("log_bucket", ctx, PREDICATES) is expected
