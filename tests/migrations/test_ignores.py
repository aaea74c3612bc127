"""``pia:ignore`` lists with spaces, and rule ids pia does not know."""

from __future__ import annotations

import json

import pytest

from pia.migrations.ignores import directive

S28, G51 = "PIPL-28-SENSITIVE-PLAINTEXT", "PIPL-51-ENCRYPT-DEIDENT"


@pytest.mark.parametrize(("comment", "expected"), [
    (f"-- pia:ignore {S28} legacy, SEC-42", ([S28], "legacy, SEC-42")),
    (f"-- pia:ignore {S28},{G51} archived", ([S28, G51], "archived")),
    # a space after the comma made the second id the start of the reason
    (f"-- pia:ignore {S28}, {G51} spaced list, SEC-44", ([S28, G51], "spaced list, SEC-44")),
    (f"-- pia:ignore {S28} , pipl-51-encrypt-deident why", ([S28, G51], "why")),
    # a ticket after the comma is the reason, not a rule
    (f"-- pia:ignore {S28}, SEC-44 tracked", ([S28], "SEC-44 tracked")),
    (f"-- pia:ignore {S28}, {G51}", ([S28, G51], "")),
    ("-- pia:ignore", ([], "")),
    ("-- no directive here", None),
])
def test_directive(comment: str, expected) -> None:
    assert directive(comment) == expected


SQL = ("CREATE TABLE t (\n"
       f"    -- pia:ignore {S28}, {G51} spaced list, SEC-44\n"
       "    passport_no TEXT,\n"
       "    -- pia:ignore PIPL-28-SENSTIVE-PLAINTEXT typo here\n"
       "    bank_card TEXT,\n"
       "    -- pia:ignore PIPL-99-TYPO reason here\n"
       "    id_card TEXT\n);\n")


def test_a_spaced_list_and_unknown_rules(pia_check) -> None:
    code, out, err = pia_check("V1.sql", "-f", "json", files={"V1.sql": SQL})
    findings = json.loads(out)["findings"]
    assert code == 1
    assert [(f["line"], f["status"], f.get("reason")) for f in findings] == [
        (3, "suppressed", "spaced list, SEC-44"), (5, "open", None), (7, "open", None)]
    assert err.splitlines()[:2] == [
        "pia: warning: V1.sql:4: pia:ignore names a rule that does not exist, "
        f"PIPL-28-SENSTIVE-PLAINTEXT: it suppresses nothing (did you mean {S28}?)",
        "pia: warning: V1.sql:6: pia:ignore names a rule that does not exist, PIPL-99-TYPO: "
        "it suppresses nothing (rules: PIPL-28-SENSITIVE-PLAINTEXT, GB35273-6.3-RAW-BIOMETRIC,"
        " PIPL-51-ENCRYPT-DEIDENT, PIPL-73-PSEUDONYM-REVERSIBLE, PIPL-6-MINIMISATION, "
        "PIA-SQL-PARSE)"]


def test_unknown_rule_note_in_chinese(pia_check) -> None:
    _code, _out, err = pia_check("V1.sql", "--lang", "zh", files={"V1.sql": SQL})
    assert err.splitlines()[1].startswith(
        "pia：警告：V1.sql:6：pia:ignore 中的规则 PIPL-99-TYPO 不存在，未忽略任何问题")


#: a reason's values only the masker takes for PI: an ID whose check digit is wrong (it
#: would be 8) and a mobile number with the country code glued on
BAD_ID, GLUED_MOBILE = "440301198801011235", "8613912345678"
REASONS = ("CREATE TABLE a (\n"
           f"    -- pia:ignore {S28} fixture for {BAD_ID}\n"
           "    sfzh TEXT\n);\n"
           f"CREATE TABLE b (shouji TEXT); -- pia:ignore {G51} 家长 {GLUED_MOBILE} 说不用\n")


def test_a_reason_the_masker_masks_is_a_value_reported_in_every_output(pia_check) -> None:
    """A reason with a valid ID was refused and reported as a leak; one the masker alone
    takes for a value was refused with no finding at the comment, so CI failed on the
    column the comment names with no word of the value in it. Now both are one case: the
    comment accepts nothing and its value is a finding at its own place, masked."""
    files = {"r.sql": REASONS}
    outputs = {fmt: pia_check("-f", fmt, "r.sql", files=files) for fmt in
               ("text", "json", "sarif", "github")}
    for code, out, err in outputs.values():
        assert code == 1 and BAD_ID not in out + err and "13912345678" not in out + err
    findings = json.loads(outputs["json"][1])["findings"]
    assert [(f["line"], f["col"], f["rule_id"], f["kind"], f["status"])
            for f in findings] == [(2, 59, S28, "CN_RESIDENT_ID", "open"),
                                   (3, 5, S28, "CN_RESIDENT_ID", "open"),
                                   (5, 17, G51, "CN_MOBILE", "open"),
                                   (5, 72, G51, "CN_MOBILE", "open")]
    assert "(CN_RESIDENT_ID, 4403**********1235)" in findings[0]["message"]
    assert "(CN_MOBILE, 139****5678)" in findings[3]["message"]
    text = outputs["text"][1]
    assert f"r.sql:2:59: error {S28} a comment in the migration holds" in text
    assert f"r.sql:5:72: warning {G51} a comment in the migration holds" in text
    results = json.loads(outputs["sarif"][1])["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
             "suppressions" in r) for r in results] == [
        (S28, 2, False), (S28, 3, False), (G51, 5, False), (G51, 5, False)]
    github = outputs["github"][1]
    assert f"::error file=r.sql,line=2,col=59,title={S28}::" in github
    assert f"::warning file=r.sql,line=5,col=72,title={G51}::" in github


def test_a_reason_with_an_address_that_is_nobodys_is_applied(pia_check) -> None:
    """An address at a reserved domain and an SSH remote's user are no one's (``pia scan``
    and a comment elsewhere do not report them): a reason naming them holds no value, so
    it suppresses, and nothing in it is reported."""
    sql = ("CREATE TABLE a (\n"
           f"  -- pia:ignore {S28} owner ops@example.com, see git@github.com:org/repo.git\n"
           "  sfzh TEXT\n);\n")
    code, out, err = pia_check("-f", "json", "e.sql", files={"e.sql": sql})
    assert (code, [(f["line"], f["status"]) for f in json.loads(out)["findings"]]) == (
        0, [(3, "suppressed")])
    assert "not applied" not in err
