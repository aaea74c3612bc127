"""What a comment or a statement says of the stored values outranks what a name claims (QA
M7, M2), and a comment protects only what is stored (QA M4): transport encryption and the raw
value are not protection; English ``encrypted`` is, as ``unencrypted`` is not. The scan reads
a database column's comment by the same functions, and agrees."""

from __future__ import annotations

import pytest

from pia.detection.affirmed import says_plaintext
from pia.detection.protection import hint
from pia.migrations import Declared, check_text

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
W28 = "warning PIPL-28-SENSITIVE-PLAINTEXT"
G51 = "warning PIPL-51-ENCRYPT-DEIDENT"


def found(out: str) -> list[str]:
    return [line.split(" holds")[0].split(" was renamed")[0] for line in out.splitlines()]


def test_a_plaintext_comment_outranks_a_protective_suffix(pia_check) -> None:
    sql = ("CREATE TABLE `t3` (\n  `id_card_enc` varchar(18) COMMENT '身份证号（明文）',\n"
           "  `mobile_encrypted` varchar(11) COMMENT '明文手机号',\n"
           "  `sfzh_enc` varbinary(64) COMMENT '身份证号，不再明文存储'\n) ENGINE=InnoDB;\n")
    code, out, _err = pia_check("V3.sql", files={"V3.sql": sql})
    assert (code, found(out)) == (1, [f"V3.sql:2:3: {S28} t3.id_card_enc",
                                      f"V3.sql:3:3: {G51} t3.mobile_encrypted"])


BASE = "CREATE TABLE users (id bigint, id_card_enc bytea);\n"
DECRYPT = ("ALTER TABLE users ALTER COLUMN id_card_enc TYPE varchar(18) USING "
           "convert_from(pgp_sym_decrypt_bytea(id_card_enc, 'k'), 'UTF8');\n")


@pytest.mark.parametrize("checked", [["V1.sql", "V2.sql"], ["V2.sql"]])
def test_a_decrypt_in_place_makes_the_column_plaintext(pia_check, checked) -> None:
    files = {"V1.sql": BASE, "V2.sql": DECRYPT,
             "V3.sql": "CREATE TABLE users_bak AS SELECT * FROM users;\n"}
    code, out, _err = pia_check(*checked, files=files)
    assert (code, found(out)) == (1, [f"V2.sql:1:32: {S28} users.id_card_enc"])
    code, out, _err = pia_check("V3.sql")  # and a later copy holds plaintext too
    assert f"V3.sql:1:34: {S28} users_bak.id_card_enc (a copy of users.id_card_enc)" in found(out)


def test_a_type_change_that_does_not_decrypt_keeps_the_protection(pia_check) -> None:
    sql = BASE + "ALTER TABLE users ALTER COLUMN id_card_enc SET DATA TYPE varbinary(128);\n"
    assert pia_check("V1.sql", files={"V1.sql": sql})[:2] == (0, "")


def test_an_alter_column_that_changes_no_type_is_read_whole(pia_check) -> None:
    """``SET DATA`` cut short raised an IndexError (a traceback, exit 2); ``SET DEFAULT``
    and ``ALTER c TYPE`` without ``COLUMN`` are read as PostgreSQL means them."""
    sql = BASE + ("ALTER TABLE users ALTER COLUMN id_card_enc SET DATA;\n"
                  "ALTER TABLE users ALTER COLUMN id_card_enc SET DEFAULT NULL;\n"
                  "ALTER TABLE users ALTER id_card_enc TYPE text USING decrypt(id_card_enc, "
                  "'k', 'aes');\n")
    code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    assert (code, found(out)) == (1, [f"V1.sql:4:25: {S28} users.id_card_enc"])


KYC = "CREATE TABLE kyc (id bigint, id_card varchar(18), mobile varchar(11));\n"
RENAME = ("ALTER TABLE kyc RENAME COLUMN id_card TO id_card_enc;\n"
          "ALTER TABLE kyc RENAME COLUMN mobile TO mobile_hmac;\n")


@pytest.mark.parametrize("checked", [["V1.sql", "V2.sql"], ["V2.sql"]])
def test_renaming_plaintext_to_a_protected_name_is_a_finding(pia_check, checked) -> None:
    """An error for sensitive PI (QA 7 of the CI round: a warning let the plaintext pass CI
    under the new name), a warning for general PI."""
    code, out, _err = pia_check(*checked, files={"V1.sql": KYC, "V2.sql": RENAME})
    assert [f for f in found(out) if f.startswith("V2")] == [
        f"V2.sql:1:42: {S28} kyc.id_card_enc", f"V2.sql:2:41: {G51} kyc.mobile_hmac"]
    assert "a rename encrypts nothing already stored" in out


def test_a_rename_that_rewrites_the_values_or_a_new_table_is_not(pia_check) -> None:
    rewrite = RENAME + ("UPDATE kyc SET id_card_enc = encode(encrypt(id_card_enc::bytea, 'k', "
                        "'aes'), 'hex'), mobile_hmac = encode(hmac(mobile_hmac, 'k', 'sha256'), "
                        "'hex');\n")
    code, out, _err = pia_check("V2.sql", files={"V1.sql": KYC, "V2.sql": rewrite})
    assert (code, out) == (0, "")
    # created and renamed in one file: no value was stored under the old name
    code, out, _err = pia_check("V9.sql", files={"V9.sql": KYC + RENAME})
    assert "renamed" not in out


@pytest.mark.parametrize(("protection", "warned"), [("", True),
                                                   ("encrypted_columns: [kyc.id_card]", False)])
def test_with_a_declaration_the_rename_warning_follows_it(pia_check, tmp_path, protection,
                                                          warned) -> None:
    """A column the declaration protects was no plaintext to relabel; one it only lists
    still was (its PIPL-6 listing is another finding, which must not hide this one)."""
    (tmp_path / "pia.yaml").write_text(
        "version: 1\nassets:\n  - id: a\n    source: postgresql://h/d\n"
        "    columns: [kyc.id_card, kyc.id_card_enc, kyc.mobile, kyc.mobile_hmac]\n"
        + (f"    protection: {{{protection}}}\n" if protection else ""), "utf-8")
    rename = "ALTER TABLE kyc RENAME COLUMN id_card TO id_card_enc;\n"
    _code, out, _err = pia_check("V2.sql", files={"V1.sql": KYC, "V2.sql": rename})
    assert found(out) == ([f"V2.sql:1:42: {S28} kyc.id_card_enc"] if warned else [])


#: (comment, protected?) as both commands must read it
COMMENTS = [
    ("身份证号 encrypted", True),
    ("ID number (encrypted)", True),
    ("bank card number, AES encrypted", True),
    ("身份证号（已加密）", True),
    ("身份证号，AES加密存储，TLS传输", True),
    ("身份证号 unencrypted", False),
    ("身份证号, not encrypted", False),
    ("身份证号；原始值，加密列见 c12", False),
    ("身份证号，前端加密传输", False),
    ("身份证号，传输加密(HTTPS)", False),
    ("ID number, encrypted in transit (TLS)", False),
    ("身份证号（明文）", False),
]


@pytest.mark.parametrize(("comment", "protected"), COMMENTS)
def test_check_migrations_and_the_scan_read_a_comment_alike(comment: str,
                                                            protected: bool) -> None:
    sql = f"CREATE TABLE t (id_no varchar(64) COMMENT '{comment}');\n"
    findings = check_text("V1.sql", sql, "mysql", Declared())
    assert (not findings) is protected
    assert (hint("id_no", comment) is not None) is protected


@pytest.mark.parametrize("comment", ["身份证号（明文）", "明文身份证号", "ID number, plaintext"])
def test_a_plaintext_comment_outranks_a_protective_suffix_in_both_commands(comment: str) -> None:
    """The scan still took ``id_card_enc`` commented 明文 for encrypted where it had no
    values to read (an empty table); check-migrations did not."""
    sql = f"CREATE TABLE t (id_card_enc varchar(64) COMMENT '{comment}');\n"
    assert check_text("V1.sql", sql, "mysql", Declared())
    assert hint("id_card_enc", comment) is None
    assert hint("id_card_enc", "身份证号") == "encrypted"  # the suffix alone still counts


def test_raw_value_is_plaintext_unless_its_clause_protects_it() -> None:
    assert says_plaintext("身份证号；原始值，加密列见 c12")
    assert says_plaintext("original value of the ID number")
    assert not says_plaintext("原始值加密存储")
    assert not says_plaintext("不存原始值，已加密")
    assert not says_plaintext("身份证号（已加密）")
