"""Sensitive PI raises the rules whose duty PIPL 28 makes stricter for it, and the raised
finding cites PIPL 28: an unsalted MD5 of resident IDs was as high as one of mobiles, though
enumeration turns it back into sensitive PI in plaintext (critical in PIPL-28), and an
undeclared column of resident IDs was as medium under PIPL-6 as an undeclared name, though
PIPL 28 allows sensitive PI only for a specific purpose with sufficient necessity. Real
SQLite scans."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from pia.declaration import load_declaration_text
from pia.rules import evaluate, load_rulesets
from tests.rules.test_rules_scanned import resident_id, scan, table_db

TODAY = dt.date(2026, 11, 30)
STRICT = ("只有在具有特定的目的和充分的必要性，并采取严格保护措施的情形下，"
          "个人信息处理者方可处理敏感个人信息")
DECLARATION = """\
version: 1
assets:
  - id: members
    source: members.db
    pi_categories: [CN_NAME]
"""


@pytest.fixture(scope="module")
def members(tmp_path_factory) -> tuple[Path, dict]:
    """Members' names beside unsalted MD5 digests of their resident IDs and mobiles."""
    root = tmp_path_factory.mktemp("members")
    md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731, S324
    table_db(root, "members.db", "create table members (xm text, sfzh_md5 text, sjh_md5 text)",
             [("王芳", md5(resident_id("19900307", n)), md5(f"1381234{n:04d}")) for n in range(30)])
    report = scan(root, "members.db")
    assert {i["location"]["column"]: (i["entity_type"], i["protection"])
            for i in report["inventory"]} == {
        "xm": ("CN_NAME", "plaintext"), "sfzh_md5": ("CN_RESIDENT_ID", "hashed_unsalted"),
        "sjh_md5": ("CN_MOBILE", "hashed_unsalted")}
    return root, report


def _by_column(members, rule_id: str) -> dict[str, dict]:
    root, report = members
    decl = load_declaration_text(DECLARATION, str(root / "pia.yaml"))
    decl.bind(report)
    result = evaluate(load_rulesets(), report["inventory"], report["facts"], decl, today=TODAY)
    return {f["locations"][0]["column"]: f for f in result.findings if f["rule_id"] == rule_id}


@pytest.mark.parametrize(("rule_id", "base", "raised"), [
    ("PIPL-73-PSEUDONYM-REVERSIBLE", "high", "critical"),
    ("PIPL-6-MINIMISATION", "medium", "high"),
])
def test_sensitive_pi_raises_the_rule_and_cites_pipl_28(members, rule_id, base, raised) -> None:
    found = _by_column(members, rule_id)
    ids, mobiles = found["sfzh_md5"], found["sjh_md5"]
    assert ids["severity"] == raised
    assert ids["evidence"]["severity_raised"] == {"from": base, "reason": "sensitive"}
    assert [r["quote"] for r in ids["references"] if r["article"] == "28"] == [STRICT]
    assert mobiles["severity"] == base and "severity_raised" not in mobiles["evidence"]
    assert not [r for r in mobiles["references"] if r["article"] == "28"]
    assert all("raised_for" not in r for r in ids["references"])
