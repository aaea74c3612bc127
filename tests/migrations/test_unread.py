"""Identifiers proved by their own digits, outside the literals read as values: in comments,
function and routine bodies, and ``"double-quoted"`` names (strings in MySQL)."""

from __future__ import annotations

import pytest

from pia.migrations import check_files
from tests.migrations.conftest import every_finding

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
G51 = "warning PIPL-51-ENCRYPT-DEIDENT"
ID, CARD, MOBILE = "11010519491231002X", "6222021234567890128", "13912345678"


def found(out: str) -> list[str]:
    return [line.split(" in the migration holds")[0] for line in out.splitlines()]


CASES = [
    # comments: a data fix that names its customer
    (f"-- fix for 身份证 {ID}, 手机 {MOBILE}\nUPDATE users SET vip = true WHERE id = 42;\n", 1,
     [f"V.sql:1:16: {S28} a comment", f"V.sql:1:39: {G51} a comment"]),
    (f"/* card {CARD} */\nSELECT 1;\n", 1, [f"V.sql:1:9: {S28} a comment"]),
    (f"SELECT 1; # {ID}\n#{CARD}\n", 1,
     [f"V.sql:1:13: {S28} a comment", f"V.sql:2:2: {S28} a comment"]),
    # function bodies are not run as DDL, but what is written in them is in the repository
    (f"CREATE FUNCTION is_vip(c text) RETURNS boolean AS $$\n"
     f"  SELECT c IN ('{ID}', '{CARD}');\n$$ LANGUAGE sql;\n", 1,
     [f"V.sql:2:17: {S28} a function body", f"V.sql:2:39: {S28} a function body"]),
    (f"DELIMITER //\nCREATE PROCEDURE p() BEGIN UPDATE t SET x=1 WHERE sfz='{ID}'; END //\n"
     f"DELIMITER ;\n", 1, [f"V.sql:2:56: {S28} a routine body"]),
    # a MySQL seed file with "double quotes" and nothing else MySQL-like reads as PostgreSQL,
    # where they are names: the values are found all the same
    (f'CREATE TABLE t (id int, note varchar(50));\n'
     f'INSERT INTO t (id, note) VALUES (1, "{CARD}"), (2, "{MOBILE}");\n'
     f'DELETE FROM t WHERE note = "{ID}";\n', 1,
     [f'V.sql:2:38: {S28} a "double-quoted" name (a string in MySQL)',
      f'V.sql:2:66: {G51} a "double-quoted" name (a string in MySQL)',
      f'V.sql:3:29: {S28} a "double-quoted" name (a string in MySQL)']),
    # only what proves itself: a wrong check digit, an order number or a name in a comment
    # are not PI
    ("-- 身份证 11010519491231002Y, card 6222021234567890129, order 20240101123456\n"
     "-- 联系人：张三\nSELECT 1;\n", 0, []),
    # an email address proves itself by its shape, as a mobile number by its digits: a
    # warning wherever it is written, as in a literal (QA: it was missed in comments)
    ("-- 联系人：张三, mail zhang.wei@corp.cn\nSELECT 1;\n", 0, [f"V.sql:1:17: {G51} a comment"]),
    ("CREATE TABLE t (\n  note text -- owner li.si@acme-corp.cn\n);\n"
     "/* escalate to qian.qi@acme-corp.cn */\n", 0,
     [f"V.sql:2:22: {G51} a comment", f"V.sql:4:16: {G51} a comment"]),
    ("CREATE FUNCTION f() RETURNS text AS $$ SELECT 'ops.lead@acme-corp.cn' $$ LANGUAGE sql;\n",
     0, [f"V.sql:1:48: {G51} a function body"]),
    # reserved domains are fictitious (RFC 2606), as in literals; an SSH remote or a URL's
    # user is a login, not a mailbox
    ("-- contact admin: zhang.san@example.com, li@corp.test\n"
     "-- from git@github.com:acme/db.git and ftp://backup@files.acme.cn/dump\nSELECT 1;\n", 0, []),
    # DDL in a function body is still not a column the migration adds
    ("CREATE FUNCTION f() RETURNS void AS $$ ALTER TABLE u ADD COLUMN id_card text; $$ "
     "LANGUAGE sql;\n", 0, []),
]


@pytest.mark.parametrize(("sql", "code", "expected"), CASES)
def test_strong_values_outside_literals(sql: str, code: int, expected: list[str],
                                        pia_check) -> None:
    exit_code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    every = every_finding(check_files(["V.sql"])[0])  # each value, not one per column
    assert (exit_code, found(every)) == (code, expected)
    assert found(out) == list(dict.fromkeys(found(out)))
    for value in (ID, CARD, MOBILE, "zhang.wei@", "li.si@", "qian.qi@", "ops.lead@"):
        assert value not in out and value not in every


def test_a_literal_is_reported_once(pia_check) -> None:
    """A value inside a literal is the literal's finding, not a second one of its text."""
    sql = f"INSERT INTO t (n) VALUES ('{ID}'); -- {MOBILE}\n"
    _code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    assert [line.split(": ", 1)[0] for line in out.splitlines()] == ["V.sql:1:27", "V.sql:1:53"]
    assert "a literal in the migration looks like a resident ID" in out


def test_a_comment_finding_can_be_suppressed(pia_check) -> None:
    sql = (f"-- pia:ignore PIPL-28-SENSITIVE-PLAINTEXT synthetic test ID\n-- {ID}\nSELECT 1;\n")
    code, out, _err = pia_check("V.sql", "-f", "json", files={"V.sql": sql})
    assert code == 0 and '"status": "suppressed"' in out
