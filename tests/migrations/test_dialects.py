"""Where dialects lex differently: backslashes in strings, nested comments (PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pia.cli import main
from pia.migrations import check_files
from pia.migrations.lexcopy import lexer_copy
from pia.migrations.parse import parse
from pia.migrations.sqltext import detect_dialect, statements
from tests.migrations.conftest import every_finding

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
G51 = "warning PIPL-51-ENCRYPT-DEIDENT"

BACKSLASH_PATH = ("INSERT INTO settings (k, v) VALUES ('path', 'C:\\');\n"
                  "CREATE TABLE kyc (id_card text);\n"
                  "INSERT INTO settings (k, v) VALUES ('x', 'y');\n")
NESTED_COMMENT = ("/* outer /* inner */ CREATE TABLE fp (id_card text); */\n"
                  "CREATE TABLE kyc2 (passport text);\n")


def check(tmp_path: Path, name: str, sql: str, dialect: str,
          capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
          ) -> tuple[int, list[str]]:
    """Exit code and the open findings as ``file:line:col: severity rule target``, each
    value on its own (the output lists a column's values once)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / name).write_text(sql, "utf-8")
    with pytest.raises(SystemExit) as done:
        main(["check-migrations", "--dialect", dialect, name])
    capsys.readouterr()
    out = every_finding(check_files([name], dialect)[0])
    return done.value.code, [line.split(" holds ")[0] for line in out.splitlines()]


CLI_CASES = [
    # PostgreSQL and SQLite: no backslash escapes, 'C:\' is a whole string
    (BACKSLASH_PATH, "postgres", 1, [f"q.sql:2:19: {S28} kyc.id_card"]),
    (BACKSLASH_PATH, "auto", 1, [f"q.sql:2:19: {S28} kyc.id_card"]),
    (BACKSLASH_PATH, "sqlite", 1, [f"q.sql:2:19: {S28} kyc.id_card"]),
    # MySQL: \' escapes the quote, so the string runs on: one unreadable statement, named at
    # its start, the unexpected quote where it is
    (BACKSLASH_PATH, "mysql", 0, [
        "q.sql:1:1: warning PIA-SQL-PARSE cannot parse the statement at line 1 (unexpected "
        "\"'\" at 3:44); it was not checked"]),
    # MySQL escapes keep working
    ("INSERT INTO t (a, b) VALUES ('it\\'s', 'C:\\\\');\nCREATE TABLE kyc (id_card text);\n",
     "mysql", 1, [f"q.sql:2:19: {S28} kyc.id_card"]),
    # PostgreSQL E'...' strings do have backslash escapes (\' and \\)
    ("INSERT INTO t (a, b) VALUES (E'it\\'s', e'C:\\\\');\nCREATE TABLE kyc (id_card text);\n",
     "postgres", 1, [f"q.sql:2:19: {S28} kyc.id_card"]),
    # a backslash ending a "quoted" identifier, and one in a -- comment
    ('CREATE TABLE "dir\\" (passport text); -- it\'s C:\\\nCREATE TABLE kyc (id_card text);\n',
     "postgres", 1, [f"q.sql:1:22: {S28} dir\\.passport", f"q.sql:2:19: {S28} kyc.id_card"]),
    # dollar-quoted bodies are untouched: a quote and a backslash in them end nothing
    ("DO $b$ BEGIN PERFORM 'C:\\'; END $b$;\nCREATE TABLE kyc (id_card text);\n",
     "postgres", 1, [f"q.sql:2:19: {S28} kyc.id_card"]),
    # PostgreSQL block comments nest: fp is commented out, kyc2 is not
    (NESTED_COMMENT, "postgres", 1, [f"q.sql:2:20: {S28} kyc2.passport"]),
    (NESTED_COMMENT, "auto", 1, [f"q.sql:2:20: {S28} kyc2.passport"]),
    ("/* a /* b /* c */ */ CREATE TABLE fp (id_card text); */ CREATE TABLE k (passport text);\n",
     "postgres", 1, [f"q.sql:1:73: {S28} k.passport"]),
    # SQLite and MySQL comments do not nest: the first */ ends it, the stray */ is no SQL
    (NESTED_COMMENT, "sqlite", 1, [
        f"q.sql:1:39: {S28} fp.id_card",
        "q.sql:1:54: warning PIA-SQL-PARSE statement at line 1 is not SQL pia understands "
        "(starts with '*'); it was not checked"]),
    (NESTED_COMMENT, "mysql", 1, [
        f"q.sql:1:39: {S28} fp.id_card",
        "q.sql:1:54: warning PIA-SQL-PARSE statement at line 1 is not SQL pia understands "
        "(starts with '*'); it was not checked"]),
]


@pytest.mark.parametrize(("sql", "dialect", "code", "expected"), CLI_CASES)
def test_dialect_lexing(sql: str, dialect: str, code: int, expected: list[str], tmp_path,
                        capsys, monkeypatch) -> None:
    assert check(tmp_path, "q.sql", sql, dialect, capsys, monkeypatch) == (code, expected)


COPY_CASES = [
    # (text, dialect, what sqlparse is given)
    ("'C:\\' x", "postgres", "'C: ' x"),
    ("'C:\\' x", "sqlite", "'C: ' x"),
    ("E'a\\'b\\\\' 'c\\'", "postgres", "E'a''b  ' 'c '"),
    ("'it''s \\' \"a\\\"", "postgres", "'it''s  ' \"a \""),
    ("/* a /* b */ c */ d", "postgres", "/* a    b    c */ d"),
    ("/* a /* b */ c */ d", "sqlite", "/* a /* b */ c */ d"),
    ("/* never closed /* */", "postgres", "/* never closed /* */"),
    ("-- it's /* \\\n'\\'", "postgres", "-- it's /* \\\n' '"),
    ("$t$ '\\' /* $t$ '\\'", "postgres", "$t$ '\\' /* $t$ ' '"),
    ("`a\\` '\\'", "sqlite", "`a\\` ' '"),
    # MySQL: escape pairs are neutralised, so sqlparse does not misread '\\' before a quote
    ("'C:\\' x", "mysql", "'C:'' x"),
    ("'C:\\\\' \"a\\\"b\" `c\\`", "mysql", "'C:  ' \"a\"\"b\" `c\\`"),
]


@pytest.mark.parametrize(("text", "dialect", "expected"), COPY_CASES)
def test_lexer_copy(text: str, dialect: str, expected: str) -> None:
    assert lexer_copy(text, dialect) == expected
    assert len(expected) == len(text)


def test_token_values_come_from_the_original_text() -> None:
    sql = "/* a /* pia:ignore X why */ b */ INSERT INTO t (a) VALUES ('C:\\dir\\');"
    (stmt,) = statements(sql, "postgres")
    assert [c.value for c in stmt.comments] == ["/* a /* pia:ignore X why */ b */"]
    assert [lit.text for lit in parse([stmt], "postgres").literals] == ["C:\\dir\\"]


MYSQL_UNMARKED = ("INSERT INTO notes (body) VALUES ('it\\'s fine');\n"
                  "ALTER TABLE users ADD COLUMN id_card VARCHAR(18);\n"
                  "INSERT INTO notes (body) VALUES ('ok');\n")
GUESS_CASES = [
    # \' before a letter in a string: MySQL (a standard string would end there)
    (MYSQL_UNMARKED, "auto", 1, [f"q.sql:2:30: {S28} users.id_card"]),
    # no hint at all, but the PostgreSQL reading leaves a stray quote and MySQL's does not
    ("INSERT INTO t (a) VALUES ('\\'');\nALTER TABLE users ADD COLUMN id_card VARCHAR(18);\n"
     "INSERT INTO t (a) VALUES ('ok');\n", "auto", 1, [f"q.sql:2:30: {S28} users.id_card"]),
    # hints in comments and strings do not count: still PostgreSQL, 'C:\' a whole string
    ("-- `backticks`, ENGINE=InnoDB\n/* `x` */ " + BACKSLASH_PATH, "auto", 1,
     [f"q.sql:3:19: {S28} kyc.id_card"]),
    ("INSERT INTO t (a) VALUES ('`a` ENGINE=x');\n" + BACKSLASH_PATH, "auto", 1,
     [f"q.sql:3:19: {S28} kyc.id_card"]),
]


@pytest.mark.parametrize(("sql", "dialect", "code", "expected"), GUESS_CASES)
def test_dialect_guess(sql: str, dialect: str, code: int, expected: list[str], tmp_path,
                       capsys, monkeypatch) -> None:
    assert check(tmp_path, "q.sql", sql, dialect, capsys, monkeypatch) == (code, expected)


def test_delimiter_dollars_are_no_postgres_hint() -> None:
    sql = ("DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\n"
           "INSERT INTO notes (body) VALUES ('a');\n")
    assert detect_dialect(sql) == "mysql"
    assert detect_dialect("-- `x`\nSELECT '`y`', $$ `z` $$;") == "postgres"


LEXING_CASES = [
    # SET standard_conforming_strings = off: from there on strings take backslash escapes
    ("SET standard_conforming_strings = off;\n" + MYSQL_UNMARKED, "postgres", 1,
     [f"q.sql:3:30: {S28} users.id_card"]),
    ("SET standard_conforming_strings = off;\n" + MYSQL_UNMARKED, "auto", 1,
     [f"q.sql:3:30: {S28} users.id_card"]),
    # ... and = on turns them off again: 'C:\' is a whole string
    ("SET standard_conforming_strings = off;\nSET standard_conforming_strings TO 'on';\n"
     + BACKSLASH_PATH, "postgres", 1, [f"q.sql:4:19: {S28} kyc.id_card"]),
    # a MySQL string ending in an escaped backslash
    ("ALTER TABLE `settings` ADD COLUMN `export_dir` varchar(64) DEFAULT 'C:\\\\exports\\\\';\n"
     "ALTER TABLE `users` ADD COLUMN `id_card` varchar(18) COMMENT 'legacy';\n", "auto", 1,
     [f"q.sql:2:32: {S28} users.id_card"]),
    # MySQL #comment after code, no space after #
    ("ALTER TABLE `users` ADD COLUMN `nickname` VARCHAR(20); #it's the display name\n"
     "ALTER TABLE `users` ADD COLUMN `id_card` VARCHAR(18);\n", "auto", 1,
     [f"q.sql:2:32: {S28} users.id_card"]),
    ("ALTER TABLE `users` ADD COLUMN `nickname` VARCHAR(20); #\n"
     "ALTER TABLE `users` ADD COLUMN `id_card` VARCHAR(18);\n", "mysql", 1,
     [f"q.sql:2:32: {S28} users.id_card"]),
    # MySQL runs what a version comment holds; other comments stay comments
    ("/*!50100 ALTER TABLE users ADD COLUMN id_card VARCHAR(18) */;\n"
     "/* ALTER TABLE users ADD COLUMN passport VARCHAR(18) */\n", "mysql", 1,
     [f"q.sql:1:39: {S28} users.id_card"]),
    ("/*!50100 ALTER TABLE users ADD COLUMN id_card VARCHAR(18) */;\n", "auto", 1,
     [f"q.sql:1:39: {S28} users.id_card"]),
]


@pytest.mark.parametrize(("sql", "dialect", "code", "expected"), LEXING_CASES)
def test_dialect_strings_and_comments(sql: str, dialect: str, code: int, expected: list[str],
                                      tmp_path, capsys, monkeypatch) -> None:
    assert check(tmp_path, "q.sql", sql, dialect, capsys, monkeypatch) == (code, expected)


def literal_lines(out: list[str]) -> list[str]:
    return [line.split(": a literal")[0] for line in out]


ESCAPE_CASES = [
    # MySQL \n is a line break: the digits after it are not glued to an 'n'
    ("INSERT INTO `notes` VALUES (2,'备注\\n11010519491231002X');\n"
     "INSERT INTO `notes` VALUES (4,'tel\\n13812345678');\n"
     "INSERT INTO `notes` VALUES (5,'tel\\t13912345678\\\\');\n", "auto", 1,
     [f"q.sql:1:31: {S28} notes", f"q.sql:2:31: {G51} notes", f"q.sql:3:31: {G51} notes"]),
    # PostgreSQL E'...' is one string, with escapes: a COMMENT ON text, a col = E'...' target
    ("CREATE TABLE users (id BIGSERIAL PRIMARY KEY, c1 VARCHAR(18));\n"
     "COMMENT ON COLUMN users.c1 IS E'身份证号\\n(legacy)';\n", "auto", 1,
     [f"q.sql:1:47: {S28} users.c1"]),
    # an address is general PI: a warning, as an address column is
    ("UPDATE users SET home_address = E'北京市朝阳区建国路88号\\n3单元' WHERE id = 1;\n",
     "postgres", 0, [f"q.sql:1:33: {G51} users.home_address"]),
]


@pytest.mark.parametrize(("sql", "dialect", "code", "expected"), ESCAPE_CASES)
def test_escaped_strings(sql: str, dialect: str, code: int, expected: list[str], tmp_path,
                         capsys, monkeypatch) -> None:
    code_, out = check(tmp_path, "q.sql", sql, dialect, capsys, monkeypatch)
    assert (code_, literal_lines(out)) == (code, expected)


@pytest.mark.parametrize(("value", "dialect", "text"), [
    ("'a\\nb\\tc\\rd\\0e\\Zf'", "mysql", "a\nb\tc\rd\0e\x1af"),
    ("'\\\\ \\' \\\" \\x'", "mysql", "\\ ' \" x"),
    ("'100\\% \\_'", "mysql", "100\\% \\_"),
    ("'C:\\n'", "postgres", "C:\\n"),
    ("E'a\\nb\\\\'", "postgres", "a\nb\\"),
    ("N'身份证'", "postgres", "身份证"),
])
def test_string_values(value: str, dialect: str, text: str) -> None:
    (stmt,) = statements(f"UPDATE t SET a = {value};", dialect)
    assert [lit.text for lit in parse([stmt], dialect).literals] == [text]


COPY_IN_TEXT_CASES = [
    # a COPY line in a block comment, a -- comment or a string is text: it starts no data
    ("/*\nTo reload:\nCOPY users (id, name) FROM stdin;\n*/\n"
     "ALTER TABLE users ADD COLUMN id_card text;\n", [f"q.sql:5:30: {S28} users.id_card"]),
    ("INSERT INTO notes (body) VALUES ('\nCOPY users (id) FROM stdin;\n');\n"
     "ALTER TABLE users ADD COLUMN id_card text;\n", [f"q.sql:4:30: {S28} users.id_card"]),
    # a real block still is data, and its rows are still read
    ("/* COPY a (b) FROM stdin; */\nCOPY users (id, note) FROM stdin;\n"
     "1\t11010519491231002X\n\\.\nALTER TABLE users ADD COLUMN id_card text;\n",
     [f"q.sql:3:3: {S28} users.note", f"q.sql:5:30: {S28} users.id_card"]),
]


@pytest.mark.parametrize(("sql", "expected"), COPY_IN_TEXT_CASES)
def test_copy_only_in_code(sql: str, expected: list[str], tmp_path, capsys,
                           monkeypatch) -> None:
    code, out = check(tmp_path, "q.sql", sql, "postgres", capsys, monkeypatch)
    assert (code, literal_lines(out)) == (1, expected)
