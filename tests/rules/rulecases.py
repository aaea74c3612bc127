"""Shared helpers for rule fixtures: terse inventory items expanded to the report contract.

A fixture item names only what matters to the rule (source, location, entity type,
protection); the rest takes the values a connector would give a plain detection.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pia.declaration import load_declaration_text
from pia.entities import is_sensitive
from pia.rules import evaluate, load_rulesets

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 28)


def expand_item(item: dict[str, Any]) -> dict[str, Any]:
    protection = item.get("protection", "plaintext")
    return {
        "count": 10,
        "sampled": 10,
        "score": 0.95,
        "sensitive": is_sensitive(item["entity_type"]),
        "protected": protection in ("masked", "hashed_keyed", "encrypted"),
        "protection": protection,
        "evidence": {},
        **item,
    }


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.yaml"))


def load_fixture(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text("utf-8"))


@cache
def bundled_rules() -> dict[str, tuple[Any, Any]]:
    return {rule.id: (rs, rule) for rs in load_rulesets() for rule in rs.rules}


def run_case(rule_id: str, case: dict[str, Any]):
    """Evaluate one rule alone over one fixture case."""
    ruleset, rule = bundled_rules()[rule_id]
    only = dataclasses.replace(ruleset, rules=(rule,))
    declaration = None
    if "declaration" in case:
        declaration = load_declaration_text(
            yaml.safe_dump(case["declaration"], allow_unicode=True), f"{rule_id}.pia.yaml")
    today = dt.date.fromisoformat(str(case["today"])) if "today" in case else TODAY
    scope = set(case["scope"]) if "scope" in case else None
    return evaluate([only], [expand_item(i) for i in case.get("inventory", [])],
                    case.get("facts", []), declaration, today=today, scope=scope)
