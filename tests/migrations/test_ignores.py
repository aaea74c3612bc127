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
