"""A custom ruleset holding a number that identifies a person is refused when loaded (QA: a
remediation "请联系 张伟 13812345678" passed ``rulesets validate``, was copied into every
finding, and ``pia report`` then refused the report as edited after the scan)."""

from __future__ import annotations

import pytest

from pia.cli import main
from pia.errors import RulesetError
from pia.rules import BUNDLED, bundled_text, load_ruleset_text, load_rulesets
from tests.rules.test_rules_loader import GOOD

MOBILE, RESIDENT_ID = "13812345678", "110101199003071237"

#: the QA case: a rule's remediation giving a contact's mobile
RULESET = GOOD.replace("remediation: {zh: 修复", "remediation: {zh: 请联系 张伟 13812345678", 1)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_validate_refuses_a_number_in_a_remediation_masked(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rs.yaml").write_text(RULESET, encoding="utf-8")
    code, out, err = run(["rulesets", "validate", "rs.yaml"], capsys)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1, err
    assert "rs.yaml:16: CUSTOM-1: remediation.zh holds a CN_MOBILE (masked: 138****5678)" in err
    assert "remove it" in err and MOBILE not in err


def test_scan_with_the_ruleset_writes_no_report(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "app.log").write_text(
        f"2026-05-01 10:00:01 INFO 手机号={MOBILE}\n", encoding="utf-8")
    (tmp_path / "rs.yaml").write_text(RULESET, encoding="utf-8")
    code, out, err = run(["scan", "logs", "--ruleset", "rs.yaml", "-o", "r.json", "-q"], capsys)
    assert code == 2 and "remediation.zh holds a CN_MOBILE (masked: 138****5678)" in err
    assert MOBILE not in out + err
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize(("old", "new", "said"), [
    ("en: Custom}", f"en: Custom {RESIDENT_ID}}}",
     "<ruleset>:3: title.en holds a CN_RESIDENT_ID (masked: 1101**********1237)"),
    ("quote: 敏感", f"quote: {MOBILE} 敏感",
     "<ruleset>:11: CUSTOM-1: references[0].quote holds a CN_MOBILE"),
    ("  - id: CUSTOM-1\n", f"  - id: CUSTOM-1\n    observes: {{zh: 例 {MOBILE}, en: e.g.}}\n",
     "<ruleset>:6: CUSTOM-1: observes.zh holds a CN_MOBILE"),
    ("- sensitive\n", f"- sensitive  # ask {MOBILE}\n",
     "<ruleset>:14: this line (a comment) holds a CN_MOBILE"),
    ("  - id: CUSTOM-1\n", f"  - id: CUSTOM-{MOBILE}\n",  # the id is not named: it holds it
     "<ruleset>:5: rules[0]: id holds a CN_MOBILE"),
    ("version: 1", f"version: {MOBILE}", "<ruleset>:2: version holds a CN_MOBILE"),
])
def test_every_text_of_a_ruleset_is_read(old: str, new: str, said: str) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    with pytest.raises(RulesetError) as err:
        load_ruleset_text(text)
    assert said in str(err.value) and MOBILE not in str(err.value) \
        and RESIDENT_ID not in str(err.value)


def test_the_shipped_rulesets_load_and_a_number_added_to_one_is_refused() -> None:
    assert [r.id for r in load_rulesets()] == list(BUNDLED)
    for ruleset_id in BUNDLED:  # as a verifier reads them from a bundle
        load_ruleset_text(bundled_text(ruleset_id), f"bundle:rulesets/{ruleset_id}.yaml")
    edited = bundled_text("cn-gbt35273").replace("\nrules:\n", f"\n# {MOBILE}\nrules:\n", 1)
    assert edited != bundled_text("cn-gbt35273")
    with pytest.raises(RulesetError, match=r"holds a CN_MOBILE \(masked: 138\*\*\*\*5678\)"):
        load_ruleset_text(edited, "bundle:rulesets/cn-gbt35273.yaml")


@pytest.mark.parametrize("ruleset_id", BUNDLED)
def test_a_copy_of_a_shipped_ruleset_holds_no_number_either(ruleset_id: str) -> None:
    """A bundle carries pia's own rulesets whole, and a team starts its own from a copy of
    one: their examples are written masked (cn-csl's ``logs/138****8000.log`` was a whole
    mobile, cn-pipl's comment a whole resident ID; a renamed copy failed to load)."""
    text = bundled_text(ruleset_id)
    copy = text.replace(f"ruleset: {ruleset_id}\n", f"ruleset: acme-{ruleset_id}\n", 1)
    assert copy != text
    load_ruleset_text(copy, f"acme-{ruleset_id}.yaml")
