"""Tables made of another's columns: LIKE, AS SELECT *, SELECT ... INTO, materialized views."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
G51 = "warning PIPL-51-ENCRYPT-DEIDENT"
MEMBER = ("CREATE TABLE `member` (`id` bigint, `xm` varchar(32) COMMENT '姓名', "
          "`sjh` varchar(11) COMMENT '手机号', `sfzh_enc` varbinary(64)) ENGINE=InnoDB;\n")


def found(out: str) -> list[str]:
    """The findings after the source table's own (on line 1)."""
    return [line.split(" holds")[0] for line in out.splitlines()
            if not line.startswith("V1.sql:1:")]


CASES = [
    (MEMBER + "CREATE TABLE `member_bak` LIKE `member`;\n",
     [f"V1.sql:2:32: {G51} member_bak.xm (a copy of member.xm)",
      f"V1.sql:2:32: {G51} member_bak.sjh (a copy of member.sjh)"]),
    (MEMBER + "CREATE TABLE member_copy AS SELECT * FROM `member`;\n",
     [f"V1.sql:2:36: {G51} member_copy.xm (a copy of member.xm)",
      f"V1.sql:2:36: {G51} member_copy.sjh (a copy of member.sjh)"]),
    (MEMBER + "CREATE TABLE m2 SELECT m.* FROM `member` m JOIN other o ON o.id = m.id;\n",
     [f"V1.sql:2:26: {G51} m2.xm (a copy of member.xm)",
      f"V1.sql:2:26: {G51} m2.sjh (a copy of member.sjh)"]),
    ("CREATE TABLE users (id int, id_card text);\nSELECT * INTO users_backup FROM users;\n"
     "CREATE TABLE u2 (LIKE users INCLUDING ALL);\n"
     "CREATE MATERIALIZED VIEW mv AS SELECT * FROM users;\nSELECT id INTO @v FROM users;\n",
     [f"V1.sql:2:8: {S28} users_backup.id_card (a copy of users.id_card)",
      f"V1.sql:3:23: {S28} u2.id_card (a copy of users.id_card)",
      f"V1.sql:4:39: {S28} mv.id_card (a copy of users.id_card)"]),
    # a copy of a chain of copies; a table the run does not define gives nothing to copy,
    # and says so where it is copied (QA H6: it passed in silence)
    ("CREATE TABLE users (id_card text);\nCREATE TABLE a LIKE users;\nCREATE TABLE b LIKE a;\n"
     "CREATE TABLE c LIKE unknown_table;\n",
     [f"V1.sql:2:21: {S28} a.id_card (a copy of users.id_card)",
      f"V1.sql:3:21: {S28} b.id_card (a copy of a.id_card)",
      "V1.sql:4:21: warning PIA-SQL-PARSE c copies the columns of unknown_table, which no "
      "migration read defines, so the copied columns were not checked: check the migration "
      "that defines unknown_table too"]),
    # a copy made before the column was added does not have it
    ("CREATE TABLE users (id int);\nCREATE TABLE a LIKE users;\n"
     "ALTER TABLE users ADD COLUMN nickname text;\n", []),
]


@pytest.mark.parametrize(("sql", "expected"), CASES)
def test_a_copy_has_its_sources_columns(sql: str, expected: list[str], pia_check) -> None:
    _code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    assert found(out) == expected


def test_a_copy_of_a_table_an_earlier_file_defines(pia_check) -> None:
    files = {"db/V1.sql": "CREATE TABLE users (id int, id_card text, phone_enc bytea);\n",
             "db/V2.sql": "CREATE TABLE users_bak AS SELECT * FROM users;\n"}
    code, out, _err = pia_check("db", files=files)
    assert code == 1
    assert [line.split(" holds")[0] for line in out.splitlines()] == [
        f"db/V1.sql:1:29: {S28} users.id_card",
        f"db/V2.sql:1:34: {S28} users_bak.id_card (a copy of users.id_card)"]


def test_a_copy_of_a_declared_protected_column_is_protected(pia_check, tmp_path) -> None:
    (tmp_path / "pia.yaml").write_text(
        "version: 1\nassets:\n  - id: a\n    source: postgresql://h/d\n"
        "    columns: [users.id_card, users_bak.id_card]\n"
        "    protection: {encrypted_columns: [users.id_card]}\n", "utf-8")
    sql = "CREATE TABLE users (id_card text);\nCREATE TABLE users_bak LIKE users;\n"
    code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    assert (code, out) == (0, "")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=repo, check=True, capture_output=True)


USERS = "CREATE TABLE users (\n  id bigint,\n  id_card varchar(18),\n  mobile varchar(11)\n);\n"
COPIES = ("CREATE TABLE users_bak LIKE users;\n"
          "CREATE TABLE users_copy AS SELECT * FROM users;\n")
COPIED = [f"db/V2.sql:1:29: {S28} users_bak.id_card (a copy of users.id_card)",
          f"db/V2.sql:1:29: {G51} users_bak.mobile (a copy of users.mobile)",
          f"db/V2.sql:2:35: {S28} users_copy.id_card (a copy of users.id_card)",
          f"db/V2.sql:2:35: {G51} users_copy.mobile (a copy of users.mobile)"]


def test_git_diff_reads_unchanged_earlier_migrations_for_definitions(pia_check,
                                                                     tmp_path: Path) -> None:
    """Under --git-diff the table a changed file copies is defined by an unchanged one: it
    is read for its columns (the copies are judged), not checked (its own findings, already
    merged, are not the change's). The copies were missed: exit 0 on a backup of ID numbers."""
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "V1.sql").write_text(USERS, "utf-8")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "base")
    _git(tmp_path, "checkout", "-q", "-b", "feature")
    (tmp_path / "db" / "V2.sql").write_text(COPIES, "utf-8")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "copies")
    code, out, err = pia_check("--lang", "en", "--git-diff", "main", "db")
    assert code == 1
    assert [line.split(" holds")[0] for line in out.splitlines()] == COPIED
    assert err.startswith("pia: 1 file checked: 2 errors, 2 warnings")


def test_a_file_named_alone_reads_the_migrations_before_it(pia_check) -> None:
    """As pre-commit names the staged files: the earlier migrations beside it are read for
    definitions; a later one (V3) ran after it and is not, nor is a binary file an error."""
    files = {"db/V1.sql": USERS, "db/V2.sql": COPIES,
             "db/V3.sql": "CREATE TABLE users_bak2 LIKE users_bak;\nDROP TABLE users;\n"
                          "CREATE TABLE users (id bigint, bank_card varchar(19));\n",
             "db/V0.sql": "\x00\x01 not SQL"}
    code, out, err = pia_check("--lang", "en", "db/V2.sql", files=files)
    assert code == 1
    assert [line.split(" holds")[0] for line in out.splitlines()] == COPIED
    assert err == "pia: 1 file checked: 2 errors, 2 warnings, 0 suppressed, 0 baselined\n"


def test_what_an_earlier_migration_says_of_its_columns_is_copied(pia_check) -> None:
    """Comments, markers and COMMENT ON of the unchecked file go with the columns."""
    files = {"db/V1.sql": "CREATE TABLE users (\n  -- pia:encrypted\n  id_card text,\n"
                          "  note text\n);\nCOMMENT ON COLUMN users.note IS '手机号';\n",
             "db/V2.sql": "CREATE TABLE users_bak LIKE users;\n"}
    code, out, _err = pia_check("--lang", "en", "db/V2.sql", files=files)
    assert code == 0
    assert [line.split(" holds")[0] for line in out.splitlines()] == [
        f"db/V2.sql:1:29: {G51} users_bak.note (a copy of users.note)"]


def test_migrations_run_in_version_order_not_string_order(pia_check) -> None:
    """Flyway runs V9 before V10; a string sort put V10 first, so a copy in V10 of a table
    V9 defines found no columns to copy, in a directory and for V10 named alone."""
    files = {"db/V9__users.sql": "CREATE TABLE users (id int, id_card text);\n",
             "db/V10__backup.sql": "CREATE TABLE users_bak LIKE users;\n"}
    for target in ("db", "db/V10__backup.sql"):
        _code, out, _err = pia_check("--lang", "en", target, files=files)
        copies = [line.split(" holds")[0] for line in out.splitlines() if "users_bak" in line]
        assert copies == [f"db/V10__backup.sql:1:29: {S28} users_bak.id_card "
                          "(a copy of users.id_card)"], (target, out)


def test_flyway_repeatable_migrations_run_after_the_versioned_ones(pia_check) -> None:
    """Flyway runs R__ files after every V__ file; sorted by name, R__views.sql came first,
    so its materialized view of a PI table V3 makes was not a copy of anything (exit 0)."""
    files = {"db/V3__kyc.sql": "CREATE TABLE kyc (id int, id_card varchar(18));\n",
             "db/R__views.sql": "CREATE MATERIALIZED VIEW mv_kyc AS SELECT * FROM kyc;\n"}
    for target in ("db", "db/R__views.sql"):
        code, out, _err = pia_check(target, files=files)
        copies = [line.split(" holds")[0] for line in out.splitlines() if "mv_kyc" in line]
        assert (code, copies) == (1, [f"db/R__views.sql:1:43: {S28} mv_kyc.id_card "
                                      "(a copy of kyc.id_card)"]), target
    _code, out, _err = pia_check("db/V3__kyc.sql", files=files)
    assert "mv_kyc" not in out


def test_version_order_compares_numbers_as_numbers() -> None:
    from pia.migrations.files import version_order

    names = ["V10__b.sql", "V9__a.sql", "V1_10__d.sql", "V1_2__c.sql", "R__views.sql",
             "20240105_x.sql", "20231231_y.sql", "init.sql"]
    assert sorted(names, key=version_order) == [
        "20231231_y.sql", "20240105_x.sql", "V1_2__c.sql", "V1_10__d.sql",
        "V9__a.sql", "V10__b.sql", "init.sql", "R__views.sql"]
    assert sorted(["b/V2.sql", "a/V10.sql", "a/V9.sql"], key=version_order) == [
        "a/V9.sql", "a/V10.sql", "b/V2.sql"]


def test_a_named_column_of_a_copy_keeps_its_sources_marker(pia_check, tmp_path) -> None:
    """CREATE TABLE r AS SELECT u.id_card AS sfzh FROM u: the values are u.id_card's, but
    only * copies took its -- pia:encrypted, so the report table failed CI with PIPL-28."""
    users = ("CREATE TABLE u (\n  id bigint,\n  id_card varchar(64), -- pia:encrypted\n"
             "  mobile text\n);\n")
    sql = users + ("CREATE TABLE r AS SELECT u.id_card AS sfzh, id_card, mobile AS sjh FROM u;\n"
                   "CREATE TABLE r2 AS SELECT upper(id_card) AS sfzh FROM u;\n")
    _code, out, _err = pia_check("--lang", "en", "V1.sql", files={"V1.sql": sql})
    flagged = [line.split(" holds")[0].split(" ", 3)[-1] for line in out.splitlines()
               if not line.startswith("V1.sql:4:")]
    # the copies of id_card are protected; a mobile copied is still a mobile; an expression
    # names no source column, so its name decides
    assert flagged == ["r.sjh", "r2.sfzh"], out


def _copies_flagged(pia_check, sql: str) -> tuple[int, list[str]]:
    """Exit code, and what each finding after line 1 (the source table) says up to its
    advice: ``export.c2 holds sensitive PI, ... (CN_RESIDENT_ID, copied from u.id_card),``."""
    code, out, _err = pia_check("--lang", "en", "V1.sql", files={"V1.sql": sql})
    return code, [line.split(" with no")[0].split(" ", 3)[-1] for line in out.splitlines()
                  if not line.startswith("V1.sql:1:")]


def _said(pia_check, sql: str, *options: str) -> tuple[int, list[str]]:
    """Exit code, and each finding of V1.sql up to what its column holds (``V1.sql:2:20:
    error PIPL-28-SENSITIVE-PLAINTEXT b.y``), in English."""
    code, out, _err = pia_check("--lang", "en", *options, "V1.sql", files={"V1.sql": sql})
    return code, [line.split(" holds")[0].split(" which")[0] for line in out.splitlines()]


def test_a_named_column_of_a_copy_holds_its_sources_pi_whatever_its_name(pia_check) -> None:
    """CREATE TABLE export AS SELECT u.id_card AS c2 FROM u stores u's ID numbers under a
    name that says nothing: it was judged by that name alone and passed, while a ``*`` copy
    of u failed. A copy of a protected column, or an expression of one, is not lent the PI."""
    users = ("CREATE TABLE u (id bigint, id_card varchar(18), id_card_enc bytea,\n"
             "  mobile text -- pia:encrypted\n);\n")
    sql = users + ("CREATE TABLE export AS SELECT u.id AS c1, u.id_card AS c2, id_card_enc AS c3,"
                   " mobile AS c4, upper(id_card) AS c5 FROM u;\n"
                   "CREATE TABLE export_bak AS SELECT * FROM export;\n")
    assert _copies_flagged(pia_check, sql) == (1, [
        "export.c2 holds sensitive PI, a resident ID number (CN_RESIDENT_ID, copied from"
        " u.id_card),",
        "export_bak.c2 (a copy of export.c2) holds sensitive PI, a resident ID number"
        " (CN_RESIDENT_ID, copied from u.id_card),"])


def test_a_plaintext_column_copied_under_a_protected_name_is_plaintext(pia_check) -> None:
    """``AS SELECT id_card AS id_card_enc`` copies plaintext under a name that says it is
    encrypted: it passed, as a rename to such a name no longer does. Encrypting it in the
    select (``pgp_sym_encrypt(id_card, k) AS id_card_enc``), or a comment of its own that
    says it is encrypted, protects it."""
    sql = ("CREATE TABLE a (id int, id_card varchar(18), mobile text) ;\n"
           "CREATE TABLE b AS SELECT id, id_card AS id_card_enc, mobile AS mobile_hash FROM a;\n"
           "CREATE TABLE c AS SELECT pgp_sym_encrypt(id_card, 'k') AS id_card_enc FROM a;\n"
           "CREATE TABLE d AS SELECT id_card AS sfzh_enc FROM a;\n"
           "COMMENT ON COLUMN d.sfzh_enc IS '身份证号 SM4 加密存储';\n")
    assert _copies_flagged(pia_check, sql) == (1, [
        "b.id_card_enc holds sensitive PI, a resident ID number (CN_RESIDENT_ID, copied from"
        " a.id_card),",
        "b.mobile_hash holds PI, a mobile number (CN_MOBILE, copied from a.mobile),"])


def test_a_copy_through_a_with_query_copies_its_source(pia_check) -> None:
    """``CREATE TABLE w AS WITH x AS (SELECT * FROM u) SELECT * FROM x`` copies u: it was
    skipped in silence (a select that starts with WITH was not read). A query of ``*`` of
    one table is followed; any other is said not to be (the copy's PIA-SQL-PARSE warning)."""
    sql = ("CREATE TABLE u (id int, sfzh text);\n"
           "CREATE TABLE w AS WITH x AS (SELECT * FROM u WHERE id > 0) SELECT * FROM x;\n"
           "CREATE TABLE w2 AS WITH RECURSIVE y (a, b) AS (SELECT id, sfzh FROM u)"
           " SELECT * FROM y;\n"
           "CREATE TABLE w3 AS WITH x AS MATERIALIZED (SELECT * FROM u), z AS (SELECT 1)"
           " SELECT x.sfzh AS c FROM x;\n")
    assert _said(pia_check, sql) == (1, [
        "V1.sql:1:25: error PIPL-28-SENSITIVE-PLAINTEXT u.sfzh",
        "V1.sql:2:67: error PIPL-28-SENSITIVE-PLAINTEXT w.sfzh (a copy of u.sfzh)",
        "V1.sql:3:79: warning PIA-SQL-PARSE w2 copies the columns of y,",
        "V1.sql:4:95: error PIPL-28-SENSITIVE-PLAINTEXT w3.c"])


def test_mysql_create_table_with_columns_and_a_select_copies_too(pia_check) -> None:
    """MySQL's ``CREATE TABLE b (PRIMARY KEY (id)) ENGINE=InnoDB SELECT * FROM a`` defines
    columns and copies a's: only the definitions were read, so the copy passed."""
    sql = ("CREATE TABLE `a` (`id` int, `sfzh` varchar(18)) ENGINE=InnoDB;\n"
           "CREATE TABLE b (note text, PRIMARY KEY (id)) ENGINE=InnoDB SELECT * FROM a;\n"
           "CREATE TABLE c (shouji varchar(11)) IGNORE AS SELECT a.sfzh AS x FROM a;\n")
    assert _said(pia_check, sql) == (1, [
        "V1.sql:1:29: error PIPL-28-SENSITIVE-PLAINTEXT a.sfzh",
        "V1.sql:2:67: error PIPL-28-SENSITIVE-PLAINTEXT b.sfzh (a copy of a.sfzh)",
        "V1.sql:3:17: warning PIPL-51-ENCRYPT-DEIDENT c.shouji",
        "V1.sql:3:64: error PIPL-28-SENSITIVE-PLAINTEXT c.x"])


def test_postgres_create_table_with_a_column_list_as_select_names_by_position(pia_check) -> None:
    """PostgreSQL's ``CREATE TABLE b (x, y) AS SELECT id, sfzh FROM a`` stores a.sfzh under
    y: the list was read as two column definitions without types, and the copy passed. The
    list names the select's columns by position, up to a ``*`` (``(k) AS SELECT *`` renames
    a's first column only, so a.sfzh is copied under its own name)."""
    sql = ("CREATE TABLE a (id int, sfzh text);\n"
           "CREATE TABLE b (x, y) AS SELECT id, sfzh FROM a;\n"
           "CREATE TABLE c (p, q) WITH (fillfactor = 70) AS SELECT id, a.sfzh FROM a;\n"
           "CREATE TABLE d (k) AS SELECT * FROM a;\n")
    assert _said(pia_check, sql, "--dialect", "postgres") == (1, [
        "V1.sql:1:25: error PIPL-28-SENSITIVE-PLAINTEXT a.sfzh",
        "V1.sql:2:20: error PIPL-28-SENSITIVE-PLAINTEXT b.y",
        "V1.sql:3:20: error PIPL-28-SENSITIVE-PLAINTEXT c.q",
        "V1.sql:4:30: error PIPL-28-SENSITIVE-PLAINTEXT d.sfzh (a copy of a.sfzh)"])
