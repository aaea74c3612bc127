"""How wide and how long an ``accept:`` entry reaches (QA finding 3): which entries accept
everything (refused), what each accepts of critical findings and children's data (warned of),
and which run more than a year (warned of)."""

from __future__ import annotations

import textwrap
from datetime import date

import pytest

from pia.declaration import load_declaration_text
from pia.errors import ConfigError
from pia.rules import known_rule_ids, load_rulesets
from pia.rules.acceptance import (
    accepted_counts,
    accepts_everything,
    distant_expiries,
    serious,
    year_after,
)

RULE_IDS = known_rule_ids(load_rulesets())
TODAY = date(2026, 12, 1)


def entry(rule: str, expires: str = "2027-06-30", **narrowing: object) -> dict:
    return {"rule": rule, "reason": "r", "owner": "o", "expires": expires, **narrowing}


def finding(rule_id: str, severity: str, minors: int = 0, table: str = "members") -> dict:
    return {"rule_id": rule_id, "severity": severity, "source": "shop.db",
            "locations": [{"table": table}], "evidence": {"minors_count": minors} if minors else {}}


@pytest.mark.parametrize(("accepting", "everything"), [
    (entry("*"), True),
    (entry("*-*"), True),
    (entry("*", source="shop.db"), True),  # a whole database is no narrower
    (entry("*", location={"table": "members"}), False),
    (entry("*", fingerprint="ab" * 32), False),
    (entry("PIPL-*"), False),  # a family of rules: allowed, and warned of by its counts
    (entry("PIPL-28-SENSITIVE-PLAINTEXT"), False),
])
def test_an_entry_accepts_everything_when_it_names_no_rule_and_no_place(
        accepting: dict, everything: bool) -> None:
    assert accepts_everything(accepting, RULE_IDS) is everything


def test_check_names_refuses_a_catch_all_entry_with_its_line() -> None:
    text = textwrap.dedent("""\
        version: 1
        accept:
          - {rule: CSL-21-LOG-RETENTION, reason: new system, owner: ops, expires: 2026-12-31}
          - {rule: "*", reason: accept everything, owner: intern, expires: 2099-12-31}
        """)
    with pytest.raises(ConfigError, match=r"^pia\.yaml:4: accept rule '\*' names no rule and "
                                          r"the entry no location: it would accept every "):
        load_declaration_text(text, "pia.yaml").check_names(RULE_IDS)
    narrowed = text.replace('{rule: "*", ', '{rule: "*", location: {table: t}, ')
    load_declaration_text(narrowed, "pia.yaml").check_names(RULE_IDS)


def test_counts_go_to_the_first_live_entry_and_count_critical_and_childrens_findings() -> None:
    entries = [entry("PIPL-51-*", expires="2026-01-01"),  # expired: accepts nothing
               entry("PIPL-28-*", location={"table": "members"}),
               entry("PIPL-*")]
    findings = [finding("PIPL-28-SENSITIVE-PLAINTEXT", "critical"),
                finding("PIPL-28-SENSITIVE-PLAINTEXT", "critical", table="orders"),
                finding("PIPL-31-MINORS", "high", minors=10, table="pupils"),
                finding("PIPL-51-CLASSIFICATION", "medium"),
                finding("CSL-21-LOG-RETENTION", "high")]
    counts = accepted_counts(entries, findings, TODAY)
    assert counts == {1: {"accepted": 1, "critical": 1, "children": 0},
                      2: {"accepted": 3, "critical": 1, "children": 1}}
    assert serious(counts[1]) and serious(counts[2])
    assert not serious({"accepted": 5, "critical": 0, "children": 0})


def test_an_expiry_more_than_a_year_after_the_scan_is_distant() -> None:
    entries = [entry("A", "2027-12-01"), entry("B", "2027-12-02"), entry("C", "2099-12-31"),
               entry("D", "2025-01-01")]
    assert distant_expiries(entries, TODAY) == [1, 2]
    assert year_after(date(2028, 2, 29)) == date(2029, 2, 28)
