"""Values written in a migration: every statement's, and those of statements pia cannot read."""

from __future__ import annotations

import pytest

from pia.migrations import check_files
from tests.migrations.conftest import every_finding

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
G51 = "warning PIPL-51-ENCRYPT-DEIDENT"


def literal_lines(out: str) -> list[str]:
    return [line.split(" a literal")[0] for line in out.splitlines() if " a literal" in line]


CASES = [
    # a pasted CSV row: not SQL, its values are checked all the same, where they are
    ("13812345678,11010519491231002X,张三\n", 1,
     [f"V.sql:1:1: {G51}", f"V.sql:1:13: {S28}"]),
    ("CREAT TABLE x (id_card text DEFAULT '11010519491231002X');\n", 1,
     [f"V.sql:1:38: {S28}"]),
    # a statement with a stray parenthesis still has its literals read
    ("CREATE TABLE t (a text)) '11010519491231002X';\n", 1, [f"V.sql:1:26: {S28}"]),
    # DML other than INSERT/UPDATE, and DDL defaults and views
    ("DELETE FROM users WHERE mobile = '13812345678';\n", 0, [f"V.sql:1:34: {G51} users.mobile:"]),
    ("DELETE FROM users WHERE id_card IN ('11010119800103002X');\n", 1,
     [f"V.sql:1:37: {S28} users:"]),
    ("SELECT set_vip('11010519491231002X');\nCALL f('11010519491231002X');\n", 1,
     [f"V.sql:1:16: {S28}", f"V.sql:2:8: {S28}"]),
    ("WITH v(m) AS (VALUES ('11010519491231002X')) INSERT INTO vip2 SELECT m FROM v;\n", 1,
     [f"V.sql:1:23: {S28}"]),
    ("CREATE VIEW b AS SELECT * FROM users WHERE id_card = '11010519491231002X';\n", 1,
     [f"V.sql:1:54: {S28} id_card:"]),
    ("ALTER TABLE users ADD COLUMN n varchar(18) DEFAULT '11010519491231002X';\n", 1,
     [f"V.sql:1:52: {S28} users.n:"]),
    # the literal is compared with users.mobile, not written to vip: no table is invented
    ("INSERT INTO vip (uid) SELECT id FROM users WHERE mobile = '13612345678';\n", 0,
     [f"V.sql:1:59: {G51} mobile:"]),
    # dollar-quoted values are values
    ("INSERT INTO t (x) VALUES ($$11010519491231002X$$);\n", 1, [f"V.sql:1:27: {S28} t.x:"]),
    ("INSERT INTO t (x) VALUES ($v$11010519491231002X$v$);\n", 1, [f"V.sql:1:27: {S28} t.x:"]),
    # a DO block's body is run: its literals are values
    ("DO $$ BEGIN UPDATE t SET n = '11010519491231002X'; END $$;\n", 1,
     [f"V.sql:1:30: {S28} t.n:"]),
    # general PI is a warning, as a column holding it is; sensitive PI an error
    ("INSERT INTO staff (email) VALUES ('ops@mycompany.cn'), ('13800000000');\n", 0,
     [f"V.sql:1:35: {G51} staff.email:", f"V.sql:1:57: {G51} staff.email:"]),
    # an SSH remote's or a URL's user is a login, not a mailbox (as in a comment)
    ("INSERT INTO repos (url, mirror) VALUES ('git@github.com:acme/db.git', "
     "'ftp://backup@files.acme.cn/dump');\n", 0, []),
]


@pytest.mark.parametrize(("sql", "code", "expected"), CASES)
def test_every_literal_is_checked(sql: str, code: int, expected: list[str], pia_check) -> None:
    exit_code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    every = every_finding(check_files(["V.sql"])[0])  # each value, not one per column
    assert (exit_code, literal_lines(every)) == (code, expected)
    assert "11010519491231002X" not in out and "13812345678" not in out


def test_ddl_a_do_block_or_execute_runs_is_read(pia_check) -> None:
    sql = ("DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM c WHERE column_name='id_card') THEN\n"
           "    ALTER TABLE users ADD COLUMN id_card varchar(18);\n  END IF;\nEND\n$$;\n"
           "DO $$ BEGIN EXECUTE 'ALTER TABLE users ADD COLUMN bank_card_no text'; END $$;\n"
           "CREATE TABLE users_bak AS SELECT id, id_card FROM users;\n")
    code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    assert code == 1
    assert [line.split(" holds")[0] for line in out.splitlines()] == [
        f"V.sql:4:34: {S28} users.id_card", f"V.sql:8:51: {S28} users.bank_card_no",
        f"V.sql:9:38: {S28} users_bak.id_card"]


ARTICLES = [
    ("INSERT INTO t (note) VALUES ('mail zhang.wei@qq.com');\n", "looks like an email address "),
    ("INSERT INTO t (note) VALUES ('13812345678');\n", "looks like a mobile number "),
    ("ALTER TABLE staff ADD COLUMN face_img IMAGE COMMENT '人脸照片';\n", "in an IMAGE column"),
    ("ALTER TABLE staff ADD COLUMN face_img LONGBLOB COMMENT '人脸照片';\n",
     "in a LONGBLOB column"),
]


@pytest.mark.parametrize(("sql", "wording"), ARTICLES)
def test_messages_use_the_right_article(sql: str, wording: str, pia_check) -> None:
    _code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    assert wording in out
    assert " a Email" not in out and " a IMAGE" not in out


NAMES = [
    # a bare name is a name in a name column, by its name or its comment, as pia scan reads it
    ("INSERT INTO users (id, name, real_name) VALUES (1, '王秀英', '欧阳娜娜');\n",
     [f"V.sql:1:52: {G51} users.name:", f"V.sql:1:59: {G51} users.real_name:"]),
    ("CREATE TABLE m (c1 varchar(32) COMMENT '姓名');\nINSERT INTO m (c1) VALUES ('王秀英');\n",
     [f"V.sql:2:28: {G51} m.c1:"]),
    ("COPY users (id, xingming) FROM stdin;\n1\t王秀英\n\\.\n",
     [f"V.sql:2:3: {G51} users.xingming:"]),
    ("UPDATE users SET contact_name = '李建国' WHERE id = 1;\n",
     [f"V.sql:1:33: {G51} users.contact_name:"]),
    # not in a name column, or not a name
    ("INSERT INTO users (id, note) VALUES (1, '王秀英');\n", []),
    ("INSERT INTO users (id, name) VALUES (1, '测试'), (2, 'iPhone 3');\n", []),
]


@pytest.mark.parametrize(("sql", "expected"), NAMES)
def test_a_name_going_into_a_name_column(sql: str, expected: list[str], pia_check) -> None:
    _code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    assert literal_lines(out) == expected
    assert "王秀英" not in out


RUN_ON = [
    # PostgreSQL and SQLite reject a number run into a name: unreadable, its text checked
    ("postgres", "UPDATE t SET x = 1 WHERE id_card = 11010519491231002X;\n",
     ["V.sql:1:1: warning PIA-SQL-PARSE", f"V.sql:1:36: {S28}"]),
    ("sqlite", "INSERT INTO t VALUES (1, 张三丰 11010519491231002X);\n",
     ["V.sql:1:1: warning PIA-SQL-PARSE", f"V.sql:1:30: {S28}"]),
    # MySQL reads it as one word (a name may start with digits), a value where it stands
    ("mysql", "UPDATE t SET x = 1 WHERE id_card = 11010519491231002X;\n",
     [f"V.sql:1:36: {S28} t.id_card:"]),
    ("auto", "UPDATE t SET x = 1 WHERE id_card = 11010519491231002X;\n",
     [f"V.sql:1:36: {S28} t.id_card:"]),
    ("mysql", "CREATE TABLE 20240101_users (sfzh varchar(18)) ENGINE=InnoDB;\n",
     [f"V.sql:1:30: {S28} 20240101_users.sfzh"]),
]


@pytest.mark.parametrize(("dialect", "sql", "expected"), RUN_ON)
def test_a_number_run_into_a_name(dialect: str, sql: str, expected: list[str],
                                  pia_check) -> None:
    code, out, _err = pia_check("V.sql", "--dialect", dialect, files={"V.sql": sql})
    assert code == 1
    assert [line.split(" holds")[0].split(" a literal")[0].split(" cannot")[0]
            for line in out.splitlines()] == expected
    assert "11010519491231002X" not in out
