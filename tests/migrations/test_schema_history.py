"""What the schema history says of a column, read as the database would apply it (QA of
check-migrations in CI, items 3, 4, 6, 7, 10, 11): drops, encryption in place, the type a
renamed column keeps, what counts as rewriting renamed values, decrypted copies, and tables
of things."""

from __future__ import annotations

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
G51 = "warning PIPL-51-ENCRYPT-DEIDENT"


def found(out: str) -> list[str]:
    return [line.split(" holds")[0].split(" was renamed")[0] for line in out.splitlines()
            if line[:1] not in ("", "p")]


def test_name_of_a_table_of_things_is_no_persons_name(pia_check) -> None:
    """QA 11: product.name and city.name were CN_NAME warnings, while ``pia scan`` of the
    same tables (the vocabulary's thing_tables) reports customer.name only."""
    sql = ("CREATE TABLE product (id bigint PRIMARY KEY, name varchar(100) NOT NULL);\n"
           "CREATE TABLE city (id int, name text, province_name text);\n"
           "CREATE TABLE customer (id int, name text);\n")
    code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    assert (code, found(out)) == (0, [f"V1.sql:3:32: {G51} customer.name"])


KYC = "CREATE TABLE kyc (id int, c1 boolean, c2 char(4), c3 int, c4 char(4));\n"
RENAMES = ("ALTER TABLE kyc RENAME COLUMN c1 TO sfzh_checked;\n"
           "ALTER TABLE kyc RENAME COLUMN c2 TO yhkh;\n"
           "ALTER TABLE kyc RENAME COLUMN c3 TO id_card;\n"
           "COMMENT ON COLUMN kyc.c4 IS '银行卡号';\n")


def test_a_renamed_column_keeps_its_type(pia_check) -> None:
    """QA 6: a boolean, a char(4) and an int renamed to PI names were three PIPL-28 errors,
    where ``CREATE TABLE kyc (sfzh_checked boolean, yhkh char(4), id_card int)`` gives none:
    the renamed column is the same column, of the same type. So is one commented on."""
    direct = "CREATE TABLE kyc (id int, sfzh_checked boolean, yhkh char(4), id_card int);\n"
    files = {"one/V1.sql": KYC + RENAMES, "two/V1__a.sql": KYC, "two/V2__b.sql": RENAMES,
             "direct/V1.sql": direct}
    for target in ("one/V1.sql", "two", "two/V2__b.sql", "direct/V1.sql"):
        assert pia_check(target, files=files)[:2] == (0, ""), target


ENCRYPT_THEN_DROP = {
    "db/V1__a.sql": "CREATE TABLE users (id int, id_card varchar(18));\n",
    "db/V2__b.sql": ("ALTER TABLE users ADD COLUMN id_card_enc bytea;\n"
                     "UPDATE users SET id_card_enc ="
                     " pgp_sym_encrypt(id_card, current_setting('k'));\n"
                     "ALTER TABLE users DROP COLUMN id_card;\n"),
    "db/V3__c.sql": "CREATE TABLE users_backup AS SELECT * FROM users;\n",
}


def test_a_dropped_column_is_not_copied(pia_check) -> None:
    """QA 3: after encrypt-then-drop, a backup of the table was a PIPL-28 error for
    ``users_backup.id_card``, a column that no longer existed: the remediation failed CI."""
    code, out, _err = pia_check("db/V3__c.sql", files=ENCRYPT_THEN_DROP)
    assert (code, out) == (0, "")
    code, out, _err = pia_check("db")  # the plaintext column of V1 is still V1's error
    assert (code, found(out)) == (1, [f"db/V1__a.sql:1:29: {S28} users.id_card"])
    one = ("CREATE TABLE users (id int, id_card varchar(18), mobile text);\n"
           "ALTER TABLE IF EXISTS users DROP COLUMN IF EXISTS id_card CASCADE, DROP mobile,"
           " DROP CONSTRAINT users_pk;\n"
           "CREATE TABLE users_backup (LIKE users);\n")
    code, out, _err = pia_check("one.sql", files={"one.sql": one})
    assert (code, found(out)) == (1, [f"one.sql:1:29: {S28} users.id_card",
                                      f"one.sql:1:50: {G51} users.mobile"])


def test_a_dropped_table_is_gone_and_a_new_one_starts_empty(pia_check) -> None:
    """QA 3: after ``DROP TABLE users; CREATE TABLE users (id int, note text)`` the new table
    still had ``sfzh`` (columns merged), and after a last ``DROP TABLE`` a copy of it still
    copied ``sfzh`` instead of saying that no migration defines the table."""
    sql = ("CREATE TABLE users (id int, sfzh varchar(18));\n"
           "DROP TABLE users;\n"
           "CREATE TABLE users (id int, note text);\n"
           "CREATE TABLE users_bak AS SELECT * FROM users;\n"
           "DROP TABLE IF EXISTS public.users, other CASCADE;\n"
           "CREATE TABLE u2 (LIKE users);\n")
    code, out, _err = pia_check("one.sql", files={"one.sql": sql})
    assert (code, found(out)[0]) == (1, f"one.sql:1:29: {S28} users.sfzh")
    assert [f[:99] for f in found(out)[1:]] == [
        "one.sql:6:23: warning PIA-SQL-PARSE u2 copies the columns of users, which no migration"
        " read defines"]
    # the same across files, the earlier ones read only for the table copied
    files = {"db/V1__a.sql": "CREATE TABLE users (id int, sfzh varchar(18));\n",
             "db/V2__b.sql": "DROP TABLE users;\nCREATE TABLE users (id int, note text);\n",
             "db/V3__c.sql": "CREATE TABLE users_bak AS SELECT * FROM users;\n"}
    assert pia_check("db/V3__c.sql", files=files)[:2] == (0, "")
