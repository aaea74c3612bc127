"""Which names are one table or column, by the dialect's rule (``pia.migrations.identity``):
in PostgreSQL ``Users`` and ``"users"`` are ``users``, ``"Users"`` another table; MySQL and
SQLite compare names without regard to case. QA: every name was compared by its lower case,
so a quoted PostgreSQL table lent its ID number column to the unquoted one of the same
spelling, and a drop of one column dropped the other."""

from __future__ import annotations

import json

from pia.migrations.check import check_text


def _found(text: str, dialect: str) -> list[tuple[int, str, str]]:
    return [(f.line, f.rule_id, f"{f.table}.{f.column}" if f.column else "")
            for f in check_text("V1.sql", text, dialect)]


S28 = "PIPL-28-SENSITIVE-PLAINTEXT"
PARSE = "PIA-SQL-PARSE"


def test_a_quoted_capitalised_postgres_table_is_not_the_unquoted_one() -> None:
    text = ('CREATE TABLE "Users" (id int, sfzh varchar(18));\n'
            "CREATE TABLE users (id int);\n"
            "CREATE TABLE users_bak (LIKE users);\n"
            'CREATE TABLE users_bak2 (LIKE "Users");\n')
    assert _found(text, "postgres") == [(1, S28, "Users.sfzh"), (4, S28, "users_bak2.sfzh")]


def test_unquoted_names_fold_to_the_quoted_lower_case_one_and_keep_their_spelling() -> None:
    """``Users`` is ``users`` and ``"users"``; ``"Users"`` names no table the run knows."""
    text = ("CREATE TABLE Users (id int, IdCard varchar(18));\n"
            'CREATE TABLE a AS SELECT * FROM "users";\n'
            'CREATE TABLE b (LIKE "Users");\n')
    assert _found(text, "postgres") == [(1, S28, "Users.IdCard"), (2, S28, "a.IdCard"),
                                        (3, PARSE, "")]


def test_dropping_a_column_leaves_the_quoted_one_of_another_case() -> None:
    text = ('CREATE TABLE t ("IdCard" varchar(18), idcard varchar(18));\n'
            "ALTER TABLE t DROP COLUMN idcard;\n")
    assert _found(text, "postgres") == [(1, S28, "t.IdCard")]
    mysql = text.replace('"', "`") + "-- ENGINE=InnoDB\n"
    assert _found(mysql, "mysql") == []  # one column in MySQL: a duplicate, dropped


def test_a_comment_on_goes_to_the_table_it_names_in_its_case() -> None:
    text = ('CREATE TABLE "Kyc" (note text);\nCREATE TABLE kyc (note text);\n'
            "COMMENT ON COLUMN kyc.note IS '身份证号';\n")
    assert _found(text, "postgres") == [(2, S28, "kyc.note")]
    quoted = text.replace("ON COLUMN kyc.note", 'ON COLUMN "Kyc".note')
    assert _found(quoted, "postgres") == [(1, S28, "Kyc.note")]


def test_mysql_and_sqlite_compare_names_without_regard_to_case() -> None:
    """The same statements as the first test: one table in MySQL (backticks) and SQLite."""
    text = ('CREATE TABLE "Users" (id int, sfzh varchar(18));\n'
            "CREATE TABLE users_bak AS SELECT * FROM users;\n")
    mysql = text.replace('"', "`")
    assert _found(mysql, "mysql") == [(1, S28, "Users.sfzh"), (2, S28, "users_bak.sfzh")]
    assert _found(text, "sqlite") == [(1, S28, "Users.sfzh"), (2, S28, "users_bak.sfzh")]
    assert _found(text, "postgres") == [(1, S28, "Users.sfzh"), (2, PARSE, "")]


def test_an_earlier_files_tables_are_told_apart_by_case_too(pia_check) -> None:
    """The migration before a file checked alone (pre-commit) is read by the same rule."""
    earlier = ('CREATE TABLE "Users" (id int, sfzh varchar(18));\n'
               "CREATE TABLE users (id int);\n")
    checked = 'CREATE TABLE a (LIKE users);\nCREATE TABLE b (LIKE "Users");\n'
    code, out, _err = pia_check("--lang", "en", "db/V2.sql",
                                files={"db/V1.sql": earlier, "db/V2.sql": checked})
    copies = [line.split(" holds")[0] for line in out.splitlines()]
    assert (code, copies) == (1, [
        "db/V2.sql:2:22: error PIPL-28-SENSITIVE-PLAINTEXT b.sfzh (a copy of Users.sfzh)"])


def _accepted_after(pia_check, accepted: str, then: str, dialect: str) -> tuple[int, str]:
    """Accept V1.sql's findings in a baseline, put ``then`` in its place, check it again:
    (exit code, the text of what is left open)."""
    pia_check("--dialect", dialect, "--baseline", "b.json", "--update-baseline", "V1.sql",
              files={"V1.sql": accepted})
    code, out, _err = pia_check("--dialect", dialect, "--lang", "en", "--baseline", "b.json",
                                "V1.sql", files={"V1.sql": then})
    return code, out


def test_a_baseline_tells_apart_postgres_tables_that_differ_only_by_quoted_case(
        pia_check) -> None:
    """A baseline entry is one table's: accepting ``users.sfzh`` must not accept
    ``"Users".sfzh``, a table of its own in PostgreSQL (QA: both had one fingerprint)."""
    code, out = _accepted_after(pia_check, "CREATE TABLE users (id int, sfzh text);\n",
                                'CREATE TABLE "Users" (id int, sfzh text);\n', "postgres")
    assert (code, out.split(" holds")[0]) == (
        1, "V1.sql:1:31: error PIPL-28-SENSITIVE-PLAINTEXT Users.sfzh")
    # and a quoted column of another case is another column
    code, out = _accepted_after(pia_check, "CREATE TABLE t (idcard text);\n",
                                'CREATE TABLE t ("IdCard" text);\n', "postgres")
    assert (code, out.split(" holds")[0]) == (
        1, "V1.sql:1:17: error PIPL-28-SENSITIVE-PLAINTEXT t.IdCard")


def test_a_baseline_takes_unquoted_postgres_names_and_mysql_names_by_their_folded_case(
        pia_check) -> None:
    """``USERS`` is ``users`` in PostgreSQL (shown as written, accepted as one); MySQL's
    names are compared without regard to case, backticked or not."""
    assert _accepted_after(pia_check, "CREATE TABLE users (id int, sfzh text);\n",
                           "CREATE TABLE USERS (id int, SFZH text);\n", "postgres") == (0, "")
    assert _accepted_after(pia_check, 'CREATE TABLE "users" (id int, sfzh text);\n',
                           "CREATE TABLE Users (id int, sfzh text);\n", "postgres") == (0, "")
    assert _accepted_after(pia_check, "CREATE TABLE `users` (id int, sfzh text);\n",
                           "CREATE TABLE `Users` (id int, `SFZH` text);\n", "mysql") == (0, "")


def test_copy_data_names_a_quoted_table_and_column_as_a_definition_does(pia_check) -> None:
    """pg_dump writes ``COPY public."Member" ("IdCard") FROM stdin``: its values were said
    to be in ``public."Member".IdCard``, quotes and all, and compared by lower case, so they
    were not listed with the values ``INSERT INTO public."Member"`` wrote into the column."""
    sql = ('CREATE TABLE public."Member" (id int, "IdCard" varchar(18));\n'
           'INSERT INTO public."Member" (id, "IdCard") VALUES (1, \'11010519491231002X\');\n'
           'COPY public."Member" (id, "IdCard") FROM stdin;\n'
           "2\t320102199003071239\n\\.\n")
    code, out, _err = pia_check("-f", "json", "V1.sql", files={"V1.sql": sql})
    values = [(f["table"], f["column"], f["line"], f.get("more"))
              for f in json.loads(out)["findings"] if f["line"] > 1]
    assert (code, values) == (1, [("public.Member", "IdCard", 2, 1)])
