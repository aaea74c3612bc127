"""What protects a column: declared schema-qualified entries, and comments that say it is not."""

from __future__ import annotations

import pytest

DECLARATION = """\
version: 1
assets:
  - id: crm
    source: postgresql://db.internal/crm
    columns: [public.users.mobile, users.real_name]
    protection:
      encrypted_columns: [users.id_card, public.kyc.bank_card, app.users.passport_no]
"""

SCHEMA_CASES = [
    ("ALTER TABLE app.users ADD COLUMN passport_no text;\n", []),
    ("ALTER TABLE users ADD COLUMN passport_no text;\n", []),  # the migration names no schema
    ("ALTER TABLE other.users ADD COLUMN passport_no text;\n", ["other.users.passport_no"]),
    ("ALTER TABLE other.kyc ADD COLUMN bank_card text;\n", ["other.kyc.bank_card"]),
    ("ALTER TABLE public.kyc ADD COLUMN bank_card text;\n", []),
    ("ALTER TABLE crm.public.users ADD COLUMN id_card text;\n", []),
]


@pytest.mark.parametrize(("sql", "unprotected"), SCHEMA_CASES)
def test_a_declared_schema_protects_only_that_schema(sql: str, unprotected: list[str],
                                                    pia_check) -> None:
    _code, out, _err = pia_check("V.sql", "--config", "pia.yaml",
                                 files={"V.sql": sql, "pia.yaml": DECLARATION})
    errors = [line.split()[3] for line in out.splitlines() if "PIPL-28" in line]
    assert errors == unprotected


NOT_PROTECTED = ["身份证号（明文，后续版本加密）", "身份证号 TODO 加密", "身份证号，无需脱敏",
                 "身份证号，没有加密", "身份证号 not [pia:encrypted] yet", "身份证号，待加密",
                 "身份证号 plaintext, encrypted later", "身份证号，暂不加密"]
PROTECTED = ["身份证号 [pia:encrypted]", "身份证号（密文）", "身份证号，已加密",
             "身份证号 AES 加密", "身份证号，不可逆哈希", "身份证号 SM4 加密存储"]


@pytest.mark.parametrize("comment", NOT_PROTECTED + PROTECTED)
def test_a_comment_that_says_not_protected_is_not_protection(comment: str, pia_check) -> None:
    sql = f"CREATE TABLE `n` (\n  `c1` varchar(64) COMMENT '{comment}'\n) ENGINE=InnoDB;\n"
    code, _out, _err = pia_check("V.sql", files={"V.sql": sql})
    assert code == (1 if comment in NOT_PROTECTED else 0)


#: an unsalted digest of an enumerable identifier is reversible: the scan flags the same
#: column PIPL-73 (hashed_unsalted), so check-migrations must not pass it as protected
DIGEST_CASES = [
    ("ALTER TABLE huiyuan ADD COLUMN sfzh_md5 char(32);", ["CN_RESIDENT_ID"]),
    ("ALTER TABLE payments ADD COLUMN card_no_sha256 char(64);", ["CN_BANK_CARD"]),
    ("ALTER TABLE users ADD COLUMN mobile_sha1 char(40);", ["CN_MOBILE"]),
    ("ALTER TABLE users ADD COLUMN passport_no_sm3 char(64);", ["CN_PASSPORT"]),
    # keyed: protected (a bare _hash or _digest is a warning: test_unkeyed_digests)
    ("ALTER TABLE users ADD COLUMN mobile_hmac char(64);", []),
    # a blind index (Lockbox's email_bidx, CipherSweet's): a keyed HMAC of the value
    ("ALTER TABLE users ADD COLUMN id_card_bidx char(64);", []),
    ("ALTER TABLE users ADD COLUMN sfzh_md5 char(32) COMMENT '[pia:hashed_keyed]';", []),
    ("ALTER TABLE users ADD COLUMN mobile_sha256 char(64); -- pia:hashed_keyed", []),
    # not an enumerable identifier: an email's digest is not PIPL-73's concern
    ("ALTER TABLE users ADD COLUMN email_sha256 char(64);", []),
]


@pytest.mark.parametrize(("sql", "kinds"), DIGEST_CASES)
def test_an_unsalted_digest_of_an_enumerable_identifier_is_reversible(sql: str,
                                                                       kinds: list[str]) -> None:
    from pia.migrations import Declared, check_text

    findings = check_text("V.sql", sql, "auto", Declared())
    reversible = [f for f in findings if f.rule_id == "PIPL-73-PSEUDONYM-REVERSIBLE"]
    assert [f.kind for f in reversible] == kinds
    assert all(f.severity == "error" for f in reversible)
    assert not [f for f in findings if f.rule_id != "PIPL-73-PSEUDONYM-REVERSIBLE"]
