"""What the schema history says of a column, read as the database would apply it (QA of
check-migrations in CI, items 3, 4, 6, 7, 10, 11): drops, encryption in place, the type a
renamed column keeps, what counts as rewriting renamed values, decrypted copies, and tables
of things."""

from __future__ import annotations

from pia.detection.metadata import classify_column

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
G51 = "warning PIPL-51-ENCRYPT-DEIDENT"


def found(out: str) -> list[str]:
    return [line.split(" holds")[0].split(" was renamed")[0] for line in out.splitlines()
            if line[:1] not in ("", "p")]


def test_name_and_place_of_a_table_of_things_are_no_persons(pia_check) -> None:
    """QA 11: product.name and city.name were CN_NAME warnings and city.lat/lng PIPL-28
    errors, while ``pia scan`` of the same tables (the vocabulary's thing_tables) reports
    customer.name only: a city's coordinates are no one's whereabouts. A person's are."""
    sql = ("CREATE TABLE product (id bigint PRIMARY KEY, name varchar(100) NOT NULL);\n"
           "CREATE TABLE city (id int, name text, province_name text, lat numeric,"
           " lng numeric);\n"
           "CREATE TABLE stores (id int, lat_lng point, manager_home_lat numeric);\n"
           "CREATE TABLE customer (id int, name text, lat numeric);\n")
    code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    assert (code, found(out)) == (1, [f"V1.sql:3:45: {S28} stores.manager_home_lat",
                                      f"V1.sql:4:32: {G51} customer.name",
                                      f"V1.sql:4:43: {S28} customer.lat"])
    for table, column, entities in [("city", "lat", []), ("stores", "lat_lng", []),
                                    ("customer", "name", ["CN_NAME"])]:  # as pia scan reads
        assert [m.entity_type for m in classify_column(column, None, table)] == entities


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
    # dropped in the file that defines them: not in its end state, not judged
    assert pia_check("one.sql", files={"one.sql": one})[:2] == (0, "")


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
    code, out, _err = pia_check("one.sql", files={"one.sql": sql})  # users.sfzh: dropped
    assert code == 0
    assert [f[:99] for f in found(out)] == [
        "one.sql:6:23: warning PIA-SQL-PARSE u2 copies the columns of users, which no migration"
        " read defines"]
    # the same across files, the earlier ones read only for the table copied
    files = {"db/V1__a.sql": "CREATE TABLE users (id int, sfzh varchar(18));\n",
             "db/V2__b.sql": "DROP TABLE users;\nCREATE TABLE users (id int, note text);\n",
             "db/V3__c.sql": "CREATE TABLE users_bak AS SELECT * FROM users;\n"}
    assert pia_check("db/V3__c.sql", files=files)[:2] == (0, "")


def test_encrypting_in_place_protects_the_column_and_its_copies(pia_check) -> None:
    """QA 4: ``ALTER COLUMN sfzh TYPE bytea USING pgp_sym_encrypt(sfzh, ...)`` was a PIPL-28
    error on the remediation itself and on a later backup; ``USING ...decrypt...()`` already
    made a column plaintext. A keyed hash protects too; an unsalted digest of an ID number is
    reversed by enumerating it (PIPL-73, as for a column named ``sfzh_sha256``)."""
    files = {
        "db/V1__a.sql": "CREATE TABLE users (id int, sfzh varchar(18), shouji varchar(20),"
                        " yhkh varchar(19));\n",
        "db/V2__enc.sql": "ALTER TABLE users ALTER COLUMN sfzh TYPE bytea USING"
                          " pgp_sym_encrypt(sfzh, current_setting('app.k')),\n"
                          "  ALTER COLUMN shouji TYPE text USING encode(hmac(shouji, 'k',"
                          " 'sha256'), 'hex'),\n"
                          "  ALTER COLUMN yhkh TYPE text USING encode(digest(yhkh, 'sha256'),"
                          " 'hex');\n",
        "db/V3__bak.sql": "CREATE TABLE users_bak AS SELECT * FROM users;\n",
    }
    code, out, _err = pia_check("db/V2__enc.sql", "db/V3__bak.sql", files=files)
    assert (code, [f.split(" holds")[0].split(" is ")[0] for f in out.splitlines()]) == (1, [
        "db/V2__enc.sql:3:16: error PIPL-73-PSEUDONYM-REVERSIBLE users.yhkh",
        "db/V3__bak.sql:1:34: error PIPL-73-PSEUDONYM-REVERSIBLE users_bak.yhkh"
        " (a copy of users.yhkh)"])
    # and decrypting again makes it plaintext: the outermost call says what is stored
    files["db/V4__dec.sql"] = ("ALTER TABLE users ALTER COLUMN sfzh TYPE text USING"
                               " pgp_sym_encrypt(pgp_sym_decrypt(sfzh, 'a'), 'b');\n"
                               "ALTER TABLE users ALTER COLUMN sfzh TYPE text USING"
                               " pgp_sym_decrypt(sfzh, 'b');\n")
    code, out, _err = pia_check("db/V4__dec.sql", files=files)
    assert (code, found(out)) == (1, [f"db/V4__dec.sql:2:32: {S28} users.sfzh"])


def test_only_an_encrypting_update_rewrites_renamed_values(pia_check) -> None:
    """QA 7: renaming plaintext ``id_card`` to ``id_card_enc`` passed CI with any UPDATE of it
    (``trim``, ``upper ... WHERE id < 0``), and was only a warning without one: the easiest
    way around the check. Sensitive PI is now an error unless the SET encrypts or hashes."""
    v1 = "CREATE TABLE kyc (id int, id_card varchar(18), mobile varchar(20));\n"
    renames = ("ALTER TABLE kyc RENAME COLUMN id_card TO id_card_enc;\n"
               "ALTER TABLE kyc RENAME COLUMN mobile TO mobile_enc;\n")
    relabelled = [f"db/V11__b.sql:1:42: {S28} kyc.id_card_enc",
                  f"db/V11__b.sql:2:41: {G51} kyc.mobile_enc"]
    for update, expected in [
            ("UPDATE kyc SET id_card_enc = trim(id_card_enc);\n", relabelled),
            ("UPDATE kyc SET id_card_enc = upper(id_card_enc) WHERE id < 0;\n", relabelled),
            ("", relabelled),
            ("UPDATE kyc SET id_card_enc = pgp_sym_encrypt(id_card_enc, 'k');\n",
             relabelled[1:])]:
        files = {"db/V10__a.sql": v1, "db/V11__b.sql": renames + update}
        code, out, _err = pia_check("db/V11__b.sql", files=files)
        assert (code, found(out)) == (1 if "error" in expected[0] else 0, expected), update


def test_a_stored_decryption_is_plaintext_of_its_source(pia_check) -> None:
    """QA 10: a STORED generated column and a CTAS expression computed with AES_DECRYPT
    store plaintext ID numbers on disk, and gave no finding. A VIRTUAL generated column
    stores nothing (computed when read): judged by its name alone, as any column."""
    sql = ("CREATE TABLE `t_user` (\n"
           "  `id` bigint NOT NULL,\n"
           "  `id_no_enc` varbinary(256) NOT NULL COMMENT '身份证号 AES 加密存储',\n"
           "  `c9` varchar(18) GENERATED ALWAYS AS (CAST(AES_DECRYPT(`id_no_enc`, 'k3y')"
           " AS CHAR)) STORED,\n"
           "  `c8` varchar(18) AS (CAST(AES_DECRYPT(`id_no_enc`, 'k3y') AS CHAR)) VIRTUAL\n"
           ") ENGINE=InnoDB;\n"
           "CREATE TABLE t_user_plain AS SELECT u.id, CAST(AES_DECRYPT(u.id_no_enc, 'k3y')"
           " AS CHAR) AS c1 FROM t_user u;\n"
           "CREATE TABLE t_user_bak LIKE t_user;\n")
    code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    assert code == 1
    assert [line.split(", with")[0] for line in out.splitlines()] == [
        f"V1.sql:4:3: {S28} t_user.c9 holds sensitive PI, a resident ID number"
        " (CN_RESIDENT_ID, storing the decrypted values of t_user.id_no_enc)",
        f"V1.sql:7:92: {S28} t_user_plain.c1 holds sensitive PI, a resident ID number"
        " (CN_RESIDENT_ID, storing the decrypted values of t_user.id_no_enc)",
        f"V1.sql:8:30: {S28} t_user_bak.c9 (a copy of t_user.c9) holds sensitive PI,"
        " a resident ID number (CN_RESIDENT_ID, by its comment '身份证号码')"]


def test_copies_of_a_relabelled_column_hold_plaintext(pia_check) -> None:
    """QA 7: after ``RENAME COLUMN id_card TO id_card_enc`` with no rewrite, every later copy
    of ``id_card_enc`` was taken as protected by its name; it holds the same plaintext, whichever
    of the migrations are checked. With an encrypting UPDATE it is protected."""
    files = {"db/V10__a.sql": "CREATE TABLE kyc (id int, id_card varchar(18));\n",
             "db/V11__b.sql": "ALTER TABLE kyc RENAME COLUMN id_card TO id_card_enc;\n",
             "db/V12__c.sql": "CREATE TABLE kyc_bak (LIKE kyc);\n"}
    copy = f"db/V12__c.sql:1:28: {S28} kyc_bak.id_card_enc (a copy of kyc.id_card_enc)"
    for target in ("db", "db/V12__c.sql"):
        assert copy in found(pia_check(target, files=files)[1]), target
    files["db/V11__b.sql"] += "UPDATE kyc SET id_card_enc = aes_encrypt(id_card_enc, @k);\n"
    assert pia_check("db/V12__c.sql", files=files)[:2] == (0, "")


DROP_IN_A_DO_BLOCK = ("DO $$ BEGIN\n"
                      "  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attname = 'id_card') THEN\n"
                      "    ALTER TABLE users DROP COLUMN id_card;\n"
                      "  END IF;\n"
                      "  EXECUTE 'ALTER TABLE users DROP COLUMN mobile';\n"
                      "END $$;\n")


def test_a_column_a_do_block_drops_is_not_copied(pia_check) -> None:
    """A drop in a ``DO`` block (or a string it ``EXECUTE``s) is run by the migration as a
    plain one is, as its ``ADD COLUMN`` is: a later backup copied the dropped plaintext
    columns, an error for columns that no longer existed, in the same file or a later one.
    A checked file that drops from a table an unchecked one defines had the same error."""
    files = {"db/V1__a.sql": "CREATE TABLE users (id int, id_card varchar(18), mobile text);\n",
             "db/V2__b.sql": DROP_IN_A_DO_BLOCK,
             "db/V3__c.sql": "CREATE TABLE users_backup AS SELECT * FROM users;\n"}
    for drop in (DROP_IN_A_DO_BLOCK, "ALTER TABLE users DROP id_card, DROP mobile;\n"):
        files["db/V2__b.sql"] = drop  # checked too, it dropped from a table it did not know
        for checked in ("db/V3__c.sql", "db/V2__b.sql db/V3__c.sql"):
            assert pia_check(*checked.split(), files=files)[:2] == (0, ""), (drop, checked)
    one = ("CREATE TABLE users_backup AS SELECT * FROM users;\n" + DROP_IN_A_DO_BLOCK
           + "CREATE TABLE users_backup2 AS SELECT * FROM users;\n")
    files["db/V2__b.sql"] = one
    code, out, _err = pia_check("db/V2__b.sql", files=files)  # the copy before the drop
    assert (code, [f.split(" (a copy")[0] for f in found(out)]) == (1, [
        f"db/V2__b.sql:1:37: {S28} users_backup.id_card",
        f"db/V2__b.sql:1:37: {G51} users_backup.mobile"])
