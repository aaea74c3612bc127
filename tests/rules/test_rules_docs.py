"""docs/rules.md is generated from the rulesets and fixtures; this fails when it is stale."""

from __future__ import annotations

import re
from pathlib import Path

from pia.declaration import load_declaration_text
from pia.rules import load_rulesets
from pia.rules.docs import DECLARATION, DEFAULT_FIXTURES, DEFAULT_OUTPUT, main, render


def test_committed_catalogue_is_up_to_date() -> None:
    assert DEFAULT_OUTPUT.read_text("utf-8") == render(DEFAULT_FIXTURES), (
        "docs/rules.md is stale: run `python -m pia.rules.docs`")


def test_catalogue_covers_every_rule_in_both_languages() -> None:
    text = render(DEFAULT_FIXTURES)
    for ruleset in load_rulesets():
        for rule in ruleset.rules:
            section = text.split(f"### {rule.id}\n", 1)[1].split("\n### ", 1)[0]
            assert rule["title"]["zh"] in section and rule["title"]["en"] in section
            assert "不通过示例 / Failing example:** " in section
            assert "通过示例 / Passing example:** " in section
            assert "(none)" not in section


def test_documented_declaration_example_is_valid() -> None:
    example = re.search(r"```yaml\n(.*?)```", DECLARATION, re.S).group(1)
    declaration = load_declaration_text(example, "docs/rules.md")
    assert declaration.assets[0]["id"] == "crm-db"


def test_check_mode_detects_a_stale_copy(tmp_path: Path) -> None:
    target = tmp_path / "rules.md"
    assert main(["-o", str(target), "--fixtures", str(DEFAULT_FIXTURES)]) == 0
    assert main(["--check", "-o", str(target), "--fixtures", str(DEFAULT_FIXTURES)]) == 0
    target.write_text(target.read_text("utf-8") + "edited by hand\n", encoding="utf-8")
    assert main(["--check", "-o", str(target), "--fixtures", str(DEFAULT_FIXTURES)]) == 1


def test_an_article_is_listed_before_its_clauses() -> None:
    """PIPL 55's duty comes before its clauses (一), (三), (四) in the by-law table; the
    article without a clause sorted with (一) and came after it."""
    text = render(DEFAULT_FIXTURES)
    rows = [line.split(" | ")[1] for line in text.splitlines() if line.startswith("| 55 |")]
    assert rows == ["", "(一)", "(三)", "(四)"]
