"""A renamed table holds the same columns (QA H6), and the same migrations give the same
findings whichever of them are checked (QA M1): a rename read from an earlier, unchecked file
applies to what the run knows, so no finding names a column that no longer exists."""

from __future__ import annotations

import pytest

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
PARSE = "warning PIA-SQL-PARSE"
USERS = "CREATE TABLE users (id bigint, id_card_enc bytea, passport_no varchar(9));\n"
BACKUPS = ("CREATE TABLE customers_bak AS SELECT * FROM customers;\n"
           "CREATE TABLE customers_bak2 (LIKE customers INCLUDING ALL);\n")
COPIES = [f"V3.sql:1:38: {S28} customers_bak.passport_no (a copy of customers.passport_no)",
          f"V3.sql:2:35: {S28} customers_bak2.passport_no (a copy of customers.passport_no)"]


def found(out: str) -> list[str]:
    return [line.split(" holds")[0] for line in out.splitlines()]


@pytest.mark.parametrize("rename", ["ALTER TABLE users RENAME TO customers;\n",
                                    "RENAME TABLE users TO customers;\n",
                                    "RENAME TABLE other TO other2, users TO customers;\n"])
@pytest.mark.parametrize("checked", [["V1.sql", "V2.sql", "V3.sql"], ["V3.sql"],
                                     ["V2.sql", "V3.sql"], ["V1.sql", "V3.sql"]])
def test_copies_of_a_renamed_table_are_judged(pia_check, rename: str,
                                              checked: list[str]) -> None:
    files = {"V1.sql": USERS, "V2.sql": rename, "V3.sql": BACKUPS}
    code, out, _err = pia_check(*checked, files=files)
    copies = [line for line in found(out) if line.startswith("V3.sql")]
    assert (code, copies) == (1, COPIES)


def test_a_rename_in_the_same_file_moves_the_columns(pia_check) -> None:
    sql = ("CREATE TABLE users (id bigint, passport_no varchar(9)) ENGINE=InnoDB;\n"
           "RENAME TABLE users TO customers;\nCREATE TABLE customers_bak LIKE customers;\n"
           "CREATE TABLE users_bak LIKE users;\n")
    code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    assert (code, found(out)) == (1, [
        f"V1.sql:1:32: {S28} users.passport_no",
        f"V1.sql:3:33: {S28} customers_bak.passport_no (a copy of customers.passport_no)",
        # users no longer exists: copying it copies nothing pia knows of
        f"V1.sql:4:29: {PARSE} users_bak copies the columns of users, which no migration read "
        "defines, so the copied columns were not checked: check the migration that defines "
        "users too"])


@pytest.mark.parametrize("copy", ["CREATE TABLE b LIKE nowhere;\n",
                                  "CREATE TABLE b AS SELECT * FROM nowhere;\n",
                                  "CREATE TABLE b (LIKE nowhere INCLUDING ALL);\n"])
def test_a_copy_of_an_unknown_table_is_a_warning(pia_check, copy: str) -> None:
    code, out, _err = pia_check("V1.sql", files={"V1.sql": copy})
    col = copy.index("nowhere") + 1 if "*" not in copy else copy.index("*") + 1
    assert (code, out.splitlines()[0]) == (0, (
        f"V1.sql:1:{col}: {PARSE} b copies the columns of nowhere, which no migration read "
        "defines, so the copied columns were not checked: check the migration that defines "
        "nowhere too"))


KYC = "CREATE TABLE kyc (\n  id bigint PRIMARY KEY,\n  id_card varchar(18),\n  sfzh_enc bytea\n);\n"
RENAMES = ("ALTER TABLE kyc RENAME COLUMN id_card TO id_card_enc;\n"
           "ALTER TABLE kyc RENAME COLUMN sfzh_enc TO sfzh;\n")


@pytest.mark.parametrize("checked", [["V1.sql", "V2.sql", "V3.sql"], ["V3.sql"],
                                     ["V2.sql", "V3.sql"], ["V1.sql", "V3.sql"]])
def test_the_same_migrations_give_the_same_copies_whatever_is_checked(pia_check,
                                                                       checked) -> None:
    """V2 checked with V3 read V1 again for V3 and put back ``kyc.id_card``, which V2 had
    renamed: ``kyc_bak.id_card`` named a column that does not exist."""
    files = {"V1.sql": KYC, "V2.sql": RENAMES,
             "V3.sql": "CREATE TABLE kyc_bak AS SELECT * FROM kyc;\n"}
    _code, out, _err = pia_check(*checked, files=files)
    copies = [line for line in found(out) if line.startswith("V3.sql")]
    # id_card renamed id_card_enc without a rewrite still holds plaintext (QA 7, CI round)
    assert copies == [f"V3.sql:1:32: {S28} kyc_bak.id_card_enc (a copy of kyc.id_card_enc)",
                      f"V3.sql:1:32: {S28} kyc_bak.sfzh (a copy of kyc.sfzh)"]


def test_an_action_after_rename_to_in_the_same_alter_is_the_new_tables(pia_check) -> None:
    """MySQL's ``ALTER TABLE t RENAME TO t2, ADD COLUMN sfzh ...`` leaves one table, t2, with
    the column: read on t, the finding named a table that no longer exists and a copy of t2
    missed the column; a column dropped after the rename was still copied."""
    added = ("CREATE TABLE t (id bigint);\n"
             "ALTER TABLE t RENAME TO t2, ADD COLUMN sfzh VARCHAR(18);\n"
             "CREATE TABLE t2_bak LIKE t2;\n")
    code, out, _err = pia_check("V1.sql", files={"V1.sql": added})
    assert (code, found(out)) == (1, [f"V1.sql:2:40: {S28} t2.sfzh",
                                      f"V1.sql:3:26: {S28} t2_bak.sfzh (a copy of t2.sfzh)"])
    dropped = ("CREATE TABLE t (id bigint, sfzh varchar(18));\n"
               "ALTER TABLE t RENAME TO t2, DROP COLUMN sfzh;\n"
               "CREATE TABLE t2_bak LIKE t2;\n")
    code, out, _err = pia_check("V1.sql", files={"V1.sql": dropped})
    assert (code, found(out)) == (0, [])
