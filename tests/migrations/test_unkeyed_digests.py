"""A digest of an enumerable identifier whose name or comment says no key (QA F6):
``mobile_hash`` passed check-migrations while ``pia scan``, which cannot tell HMAC-SHA256
from SHA-256 by the values, reported the same column PIPL-73-PSEUDONYM-REVERSIBLE, high.
check-migrations now warns under the same rule and asks for the word that says keyed."""

from __future__ import annotations

import json

import pytest

from pia.migrations import Declared, check_text

R73 = "PIPL-73-PSEUDONYM-REVERSIBLE"


@pytest.mark.parametrize(("column", "entity"), [
    ("mobile_hash char(64)", "CN_MOBILE"),
    ("id_card_hash char(64)", "CN_RESIDENT_ID"),
    ("mobile_digest text", "CN_MOBILE"),
    ("sfzh char(64) COMMENT '身份证号哈希'", "CN_RESIDENT_ID"),
    ("shouji char(64) COMMENT '[pia:hashed]'", "CN_MOBILE"),
])
def test_a_digest_that_says_no_key_is_warned(column: str, entity: str) -> None:
    findings = check_text("V.sql", f"ALTER TABLE users ADD COLUMN {column};", "mysql",
                          Declared())
    assert [(f.rule_id, f.severity, f.kind, f.key) for f in findings] == [
        (R73, "warning", entity, "reversible_unkeyed")]


@pytest.mark.parametrize("column", [
    "mobile_hmac char(64)", "mobile_bidx char(64)",
    "mobile_hash char(64) COMMENT '手机号 HMAC-SHA256 带密钥'",
    "mobile_hash char(64) COMMENT '[pia:hashed_keyed]'",
    "email_hash char(64)",  # an email is no identifier enumeration runs through
])
def test_a_digest_that_says_its_key_passes(column: str) -> None:
    sql = f"ALTER TABLE users ADD COLUMN {column};"
    assert check_text("V.sql", sql, "mysql", Declared()) == []


def test_a_hashed_marker_above_that_names_hmac_is_keyed() -> None:
    sql = ("CREATE TABLE a (\n  -- pia:hashed (HMAC-SHA256, key in KMS)\n  bank_card text,\n"
           "  -- pia:hashed\n  mobile text\n);\n")
    findings = check_text("V.sql", sql, "postgresql", Declared())
    assert [(f.column, f.severity, f.rule_id) for f in findings] == [
        ("mobile", "warning", R73)]


def test_the_warning_says_what_to_write_and_ranks_as_the_scan(pia_check) -> None:
    sql = "CREATE TABLE customer (\n  id int,\n  mobile_hash char(64)\n);\n"
    code, out, err = pia_check("V1.sql", files={"V1.sql": sql})
    assert code == 0 and "0 errors, 1 warning" in err
    assert out.startswith("V1.sql:3:3: warning PIPL-73-PSEUDONYM-REVERSIBLE customer."
                          "mobile_hash holds a digest of a mobile number (CN_MOBILE)")
    assert "_hmac or _bidx" in out and "-- pia:hashed_keyed" in out
    assert "13" not in out.split("(CN_MOBILE)")[1]  # no value, nothing but the advice
    code, _, _ = pia_check("--fail-on", "warning", "V1.sql")
    assert code == 1
    sarif = json.loads(pia_check("-f", "sarif", "V1.sql")[1])["runs"][0]
    (rule,) = sarif["tool"]["driver"]["rules"]
    assert (rule["id"], rule["properties"]["security-severity"]) == (R73, "8.0")
    assert sarif["results"][0]["level"] == "warning"
    code, out, _ = pia_check("V2.sql", files={"V2.sql": sql.replace("_hash", "_hmac")})
    assert (code, out) == (0, "")
