"""The SQL reader: which columns and literals a statement yields, and where they are."""

from __future__ import annotations

import pytest

from pia.migrations.parse import parse
from pia.migrations.sqltext import detect_dialect, statements, strip_delimiters


def columns(sql: str, dialect: str = "postgres") -> list[tuple]:
    parsed = parse(statements(sql, dialect), dialect, sql)
    return [(c.table, c.name, c.action, c.tok.line, c.tok.col, c.comment)
            for c in parsed.columns]


def literals(sql: str, dialect: str = "postgres") -> list[tuple]:
    parsed = parse(statements(sql, dialect), dialect, sql)
    return [(lit.table, lit.column, lit.text, lit.tok.line, lit.tok.col)
            for lit in parsed.literals]


def problems(sql: str) -> list[int]:
    return [p.line for p in parse(statements(sql, "postgres"), "postgres").problems]


COLUMN_CASES = [
    # plain CREATE TABLE, schema-qualified, constraints skipped
    ("CREATE TABLE s.t (id int PRIMARY KEY, a text NOT NULL,\n  CONSTRAINT pk UNIQUE (a));",
     [("s.t", "id", "create", 1, 19, None), ("s.t", "a", "create", 1, 39, None)]),
    # MySQL backticks and COMMENT, table options after the parenthesis
    ("CREATE TABLE `t` (\n  `c1` varchar(18) COMMENT '身份证号',\n  KEY `k` (`c1`)\n) "
     "ENGINE=InnoDB COMMENT='x';",
     [("t", "c1", "create", 2, 3, "身份证号")]),
    # "quoted" identifiers, Chinese names
    ('CREATE TABLE "客户" ("身份证号" TEXT, x int);',
     [("客户", "身份证号", "create", 1, 20, None), ("客户", "x", "create", 1, 33, None)]),
    # several ADD per ALTER, with and without COLUMN, IF NOT EXISTS; ADD INDEX ignored
    ("ALTER TABLE t ADD COLUMN a text, ADD b int, ADD COLUMN IF NOT EXISTS c int, "
     "ADD INDEX i (a);",
     [("t", "a", "add", 1, 26, None), ("t", "b", "add", 1, 38, None),
      ("t", "c", "add", 1, 70, None)]),
    # MySQL ADD (a, b), CHANGE old new, MODIFY
    ("ALTER TABLE t ADD (a int, b text COMMENT 'x'), CHANGE COLUMN o n int, MODIFY m text;",
     [("t", "a", "add", 1, 20, None), ("t", "b", "add", 1, 27, "x"),
      ("t", "n", "change", 1, 64, None), ("t", "m", "modify", 1, 78, None)]),
    # RENAME COLUMN (and PostgreSQL's RENAME a TO b); renaming the table is not a column
    ("ALTER TABLE t RENAME COLUMN a TO b;\nALTER TABLE t RENAME c TO d;\n"
     "ALTER TABLE t RENAME TO u;",
     [("t", "b", "rename", 1, 34, None), ("t", "d", "rename", 2, 27, None)]),
    # COMMENT ON COLUMN, schema-qualified
    ("COMMENT ON COLUMN public.t.c IS '手机号';",
     [("public.t", "c", "comment", 1, 28, "手机号")]),
    # a function's body is not run by the migration: nothing inside is DDL; a DO block is
    ("CREATE FUNCTION f() RETURNS void AS $$ CREATE TABLE x (id_card text); $$ LANGUAGE sql;"
     "\nDO $b$ BEGIN ALTER TABLE t ADD COLUMN phone text; END $b$;",
     [("t", "phone", "add", 2, 39, None)]),
    # DDL in a DO block after IF ... THEN, and in an EXECUTE string inside one
    ("DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM c WHERE x = 'id_card') THEN\n"
     "    ALTER TABLE users ADD COLUMN id_card varchar(18);\n  END IF;\n"
     "  EXECUTE 'ALTER TABLE users ADD COLUMN bank_card_no text';\nEND\n$$;",
     [("users", "id_card", "add", 4, 34, None), ("users", "bank_card_no", "add", 6, 41, None)]),
    # MySQL PREPARE ... FROM 'DDL' is run by EXECUTE
    ("PREPARE s FROM 'ALTER TABLE u ADD COLUMN passport text';",
     [("u", "passport", "add", 1, 42, None)]),
    # CREATE TABLE AS SELECT: the names the select list gives; views have no columns
    ("CREATE TABLE t2 AS SELECT id, u.id_card, lower(m) AS phone, upper(x) FROM t;\n"
     "CREATE VIEW v AS SELECT phone FROM t;",
     [("t2", "id", "create", 1, 27, None), ("t2", "id_card", "create", 1, 33, None),
      ("t2", "phone", "create", 1, 54, None)]),
    # a column named like a keyword
    ("CREATE TABLE t (name text, password text, comment text);",
     [("t", "name", "create", 1, 17, None), ("t", "password", "create", 1, 28, None),
      ("t", "comment", "create", 1, 43, None)]),
]


@pytest.mark.parametrize(("sql", "expected"), COLUMN_CASES)
def test_columns(sql: str, expected: list[tuple]) -> None:
    assert columns(sql, detect_dialect(sql)) == expected


LITERAL_CASES = [
    # INSERT with a column list: each value maps to its column, line and column of the quote
    ("INSERT INTO t (a, b) VALUES\n  ('x', 'y'),\n  ('z', 123456789);", "postgres",
     [("t", "a", "x", 2, 4), ("t", "b", "y", 2, 9), ("t", "a", "z", 3, 4),
      ("t", "b", "123456789", 3, 9)]),
    # UPDATE: the literal after `name =` goes to that column; short numbers are ignored
    ("UPDATE t SET a = 'v', n = 1 WHERE id = 'k';", "postgres",
     [("t", "a", "v", 1, 18), ("t", "id", "k", 1, 40)]),
    # MySQL: "double quotes" are strings there, and escapes are undone
    ('INSERT INTO t (a) VALUES ("it\\\'s");', "mysql", [("t", "a", "it's", 1, 27)]),
    # PostgreSQL: "double quotes" are identifiers, not literals
    ('INSERT INTO t ("a") VALUES (\'it\'\'s\');', "postgres", [("t", "a", "it's", 1, 29)]),
    # every statement's literals, with a table only when the statement names one table
    ("DELETE FROM users WHERE mobile = '1';\nSELECT f('2');\nCALL g('3');", "postgres",
     [("users", "mobile", "1", 1, 34), ("", None, "2", 2, 10), ("", None, "3", 3, 8)]),
    ("INSERT INTO vip (uid) SELECT id FROM users WHERE mobile = '4';\n"
     "UPDATE a SET x = '5' FROM b WHERE b.y = '6';", "postgres",
     [("", "mobile", "4", 1, 59), ("", "x", "5", 2, 18), ("", "y", "6", 2, 41)]),
    # a DEFAULT goes into its column; a dollar-quoted value is a value
    ("ALTER TABLE u ADD COLUMN tel text DEFAULT '7';\nINSERT INTO t (a) VALUES ($v$8$v$);",
     "postgres", [("u", "tel", "7", 1, 43), ("t", "a", "8", 2, 27)]),
    # a function's body is no value; a DO block's literals are
    ("CREATE FUNCTION f() RETURNS text AS $$ SELECT '9' $$ LANGUAGE sql;\n"
     "DO $$ BEGIN UPDATE t SET a = '10'; END $$;", "postgres", [("t", "a", "10", 2, 30)]),
    # a statement pia cannot read is kept whole, as written
    ("13812345678,张三;", "postgres", [("", None, "13812345678,张三", 1, 1)]),
]


@pytest.mark.parametrize(("sql", "dialect", "expected"), LITERAL_CASES)
def test_literals(sql: str, dialect: str, expected: list[tuple]) -> None:
    assert literals(sql, dialect) == expected


PROBLEM_CASES = [
    ("CREAT TABLE t (a int);\nCREATE TABLE u (id_card text);", [1]),
    ("CREATE TABLE t (a int;\n", [1]),
    ("SELECT 1;\nSELECT 'unterminated\n", [2]),
    ("PRAGMA foreign_keys = ON;\nBEGIN;\nCOMMIT;\nCREATE INDEX i ON t (a);", []),
]


@pytest.mark.parametrize(("sql", "lines"), PROBLEM_CASES)
def test_problems_name_their_line(sql: str, lines: list[int]) -> None:
    assert problems(sql) == lines


def test_statement_after_a_problem_is_still_read() -> None:
    assert [c[1] for c in columns("CREAT TABLE t (a int);\nCREATE TABLE u (id_card text);")] \
        == ["id_card"]


def test_delimiter_blocks_keep_offsets_and_blank_routines() -> None:
    sql = ("DELIMITER //\nCREATE PROCEDURE p() BEGIN ALTER TABLE t ADD COLUMN a int; END //\n"
           "ALTER TABLE t ADD COLUMN b int //\nDELIMITER ;\nALTER TABLE t ADD COLUMN c int;")
    stripped = strip_delimiters(sql)
    assert len(stripped) == len(sql)
    assert stripped.count("\n") == sql.count("\n")
    assert [(c[1], c[3]) for c in columns(sql, "mysql")] == [("b", 3), ("c", 5)]


@pytest.mark.parametrize(("sql", "dialect"), [
    ("CREATE TABLE `t` (a int) ENGINE=InnoDB;", "mysql"),
    ("CREATE TABLE t (id BIGSERIAL, d JSONB);", "postgres"),
    ("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);", "sqlite"),
    ("CREATE TABLE t (id int);", "postgres"),
])
def test_detect_dialect(sql: str, dialect: str) -> None:
    assert detect_dialect(sql) == dialect


def test_unbalanced_alter_is_a_problem_and_the_next_statement_is_read() -> None:
    sql = "ALTER TABLE t ADD COLUMN a varchar(10, ADD COLUMN b int;\nALTER TABLE t ADD c int;"
    parsed = parse(statements(sql), "postgres")
    assert [p.line for p in parsed.problems] == [1]
    assert [c.name for c in parsed.columns] == ["c"]
