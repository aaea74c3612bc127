"""A plain INSERT read whole (``pia.migrations.plaininsert``) gives the parser exactly what
sqlparse's tokens give it, and ``Splitter`` cuts statements where sqlparse's own splitter
does (QA ci 2: a 6 MB seed file took 34 s, almost all of it lexing rows a token at a
time)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlparse import tokens as T
from sqlparse.engine import StatementSplitter

from pia.migrations.check import check_text, read
from pia.migrations.fastlex import tokenize
from pia.migrations.identity import CaseKept
from pia.migrations.lexcopy import lexer_copy
from pia.migrations.parse import Parsed, parse
from pia.migrations.plaininsert import PlainInsert
from pia.migrations.splitter import Splitter
from pia.migrations.sqltext import iter_statements, strip_delimiters

CASES = sorted(p for p in (Path(__file__).parent / "cases").glob("*.sql")
               if p.name not in ("binary.sql", "gbk_encoded.sql"))

#: statements the fast reader must read as sqlparse does, or leave to it
TRICKY = r"""CREATE TABLE kyc (id int, id_card varchar(18), mobile varchar(11), note text);
-- seed: the first rows
INSERT INTO kyc (id, id_card, mobile, note) VALUES (1,'11010519491231002X','13812345678','it''s');
INSERT INTO kyc (id, id_card, mobile, note) VALUES
  (2, '11010519491231002X', '13812345679', 'C:\'),
  (-1234567, '11010519491231002X', 13812345670, 'O''Brien, 13812345671'),
  (3, NULL, DEFAULT, true), (4.5, .5, 1234567.25, FALSE);  -- pia:ignore PIPL-28 test data
INSERT INTO public.kyc VALUES (5, '11010519491231002X', '１３８１２３４５６７８', 'x');
INSERT INTO kyc VALUES (6, '11010519491231002X', now(), 'a function: left to sqlparse');
INSERT INTO kyc (id, note) VALUES (7, E'\x31\n13812345672');
INSERT INTO kyc (id, note) VALUES (8, 'a' 'b'), (9, '13812345673');
INSERT INTO kyc (id, note) VALUES (10, '13812345674') ON CONFLICT DO NOTHING;
INSERT INTO kyc (id, note) VALUES (11, /* a comment */ '13812345675');
insert into kyc (id, "note") values (12, '13812345676');
INSERT INTO kyc (id, begin) VALUES (13, '13812345677');
INSERT INTO kyc (id, end) VALUES (14, '13812345678');
INSERT INTO `kyc` (`id`, `note`) VALUES (15,'13812345679'),(16,"13812345680");
INSERT IGNORE INTO kyc VALUE (17, '11010519491231002X', '13812345681', '');
INSERT INTO kyc (id, note) VALUES (18, 0x3133383132333435363832), (19, 1E12);
SELECT 'INSERT INTO kyc VALUES (20, ''13812345683'');' AS text;
/* INSERT INTO kyc VALUES (21, '13812345684'); */
DO $$ BEGIN INSERT INTO kyc VALUES (22, '11010519491231002X', '13812345685', 'x'); END $$;
CREATE FUNCTION f() RETURNS void AS $$ INSERT INTO kyc VALUES (23, '13812345686'); $$ LANGUAGE sql;
INSERT INTO kyc (id) VALUES (24);INSERT INTO kyc (id, note) VALUES (25, '13812345688');
INSERT INTO kyc (id, id_card) VALUES (26, '11010519491231002X'),
INSERT INTO kyc (id, note) VALUES (27, '13812345689')
"""

#: a MySQL dump's rows: backslash escapes (in PostgreSQL, the first string ends at \')
DUMP = (r"INSERT INTO `kyc` VALUES (1,'O\'Brien','13812345671'),(2,'C:\\','x\n13812345672'),"
        r"(3,'a\\'' b','13812345673');" "\n")

_NOT_MYSQL = ("postgres", "sqlite")
_ALL = ("postgres", "mysql", "sqlite")
#: what dump tools write (pg_dump's mixed-case names, SQLite's ``.dump``, mysqldump's
#: introducers and blobs), with the dialects that read each whole: a ``"quoted"`` name is a
#: string in MySQL (the parser records it), so MySQL leaves those heads to sqlparse; in
#: SQLite, the ``\'`` of the last one ends its first string
DUMPS = [
    (r"""INSERT INTO public."Members" ("Name", "Mobile", id) VALUES ('张三', '13812345678', 1);""",
     _NOT_MYSQL),
    (r"""INSERT INTO "members" VALUES(1,'13812345679',X'89504e47',NULL,x'',B'0101');""",
     _NOT_MYSQL),
    (r"""INSERT INTO `kyc` VALUES (1,_binary '\0\Z\n~',0x3133383132333435363830,"""
     r"""_utf8mb4'13812345681',-1.5e-05,1e5,-0x12,2E-3,123456e7),"""
     r"""(2,_latin1 'x', N'13812345682',X'3133');""", _ALL),
    (r"""INSERT INTO "we""ird" ("a""b", "", "Id") VALUES (1, '13812345683', 2);""", _NOT_MYSQL),
    (r"""INSERT INTO "my values" ("values (x", "b") VALUES ('13812345684', 'x');""",
     _NOT_MYSQL),
    (r"""INSERT INTO "T"."U"VALUES('13812345685');""", _NOT_MYSQL),
    (r"""INSERT INTO `kv``x` (`a``b`, `values`) VALUES ('13812345686', 0X1F2E3D);""", _ALL),
    (r"""INSERT INTO kyc (note, remark) VALUES (E'it\'s 13812345687', N '13812345688'), """
     r"""(e'\\', E '1');""", ("postgres", "mysql")),
    (r"""REPLACE INTO `kyc` VALUES (1,'13812345689');""", _ALL),
    (r"""INSERT OR REPLACE INTO "kyc" VALUES(2,'13812345690');""", _NOT_MYSQL),
    (r"""insert or ignore into kyc values(3,'13812345691');""", _ALL),
    ('INSERT INTO "Kyc"\n  ("Name",\n   "Mobile") VALUES (\'x\', \'13812345692\');', _NOT_MYSQL),
    # pg_dump's rows of a table with an identity column (GENERATED ALWAYS AS IDENTITY)
    (r"""INSERT INTO public.members (id, "Mobile") OVERRIDING SYSTEM VALUE VALUES """
     r"""(1, '13812345693'), (2, '13812345694');""", _NOT_MYSQL),
    (r"""insert into members overriding user value values (3, '13812345695');""", _ALL),
    # pg_dump --on-conflict-do-nothing
    (r"""INSERT INTO public.members VALUES (1, '13812345696'), (2, 'x') ON CONFLICT DO NOTHING;""",
     _ALL),
    ("insert into members (id, m) values (1, '13812345697')\n  on conflict  do nothing ;", _ALL),
]
#: near misses, read by sqlparse in every dialect: a comment in the head, a backslash in a
#: quoted name (a space in the copy sqlparse lexes), an exponent with a sign or without
#: digits before it, a cast after a blob, an introducer before NULL, a list never closed
SLOW = r"""INSERT INTO "t" /* c */ ("a") VALUES ('13812345678');
INSERT INTO "t" ("a") -- c
 VALUES ('13812345678');
INSERT INTO "a\b" ("c\") VALUES ('13812345678');
INSERT INTO t VALUES (1E+5, '13812345678');
INSERT INTO t VALUES (.5e3, '13812345678');
INSERT INTO t VALUES (1.e3, '13812345678');
INSERT INTO t VALUES (X'0A'::bytea, '13812345678');
INSERT INTO t VALUES (_binary NULL, '13812345678');
INSERT INTO "t" ("a" "b") VALUES ('13812345678');
INSERT INTO "unclosed ("a") VALUES ('13812345678');
INSERT INTO t VALUES ('13812345678') ON CONFLICT (id) DO NOTHING;
INSERT INTO t VALUES ('13812345678') ON CONFLICT DO NOTHING, ('13812345679');
"""

_DUMPS = "".join(sql + "\n" for sql, _ in DUMPS)
SEED = "".join(f"INSERT INTO kyc (id, id_card, mobile, note) VALUES ({i}, "
               f"'11010519491231002X', '1381234{i:04d}', 'row {i}');\n" for i in range(200))


def _texts() -> list[tuple[str, str]]:
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in CASES]
    texts += [("tricky", TRICKY), ("tricky-crlf", TRICKY.replace("\n", "\r\n")),
              ("seed", SEED), ("dump", DUMP), ("seed-after-set",
                               "SET standard_conforming_strings = off;\n" + TRICKY),
              ("dumps", _DUMPS), ("dumps-crlf", _DUMPS.replace("\n", "\r\n")),
              ("slow", SLOW)]
    return texts


def _kinds(parsed: Parsed) -> list[tuple[type, type]]:
    """The types of the literals' names: ``"Members"`` is a ``CaseKept`` name in PostgreSQL,
    which equality of strings does not see."""
    return [(type(lit.table), type(lit.column)) for lit in parsed.literals]


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
@pytest.mark.parametrize(("name", "text"), _texts(), ids=[n for n, _ in _texts()])
def test_plain_inserts_read_whole_parse_as_sqlparse_reads_them(name: str, text: str,
                                                               dialect: str) -> None:
    fast = parse(iter_statements(text, dialect, plain=True), dialect, text)
    slow = parse(iter_statements(text, dialect), dialect, text)
    assert fast == slow and _kinds(fast) == _kinds(slow)


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
@pytest.mark.parametrize(("name", "text"), _texts(), ids=[n for n, _ in _texts()])
def test_the_splitter_cuts_where_sqlparse_cuts(name: str, text: str, dialect: str) -> None:
    lexed = lexer_copy(strip_delimiters(text, dialect), dialect)
    ours = [list(pairs) for pairs in Splitter().split(tokenize(lexed))]
    theirs = [[(t.ttype, t.value) for t in stmt.tokens]
              for stmt in StatementSplitter().process(tokenize(lexed))]
    assert ours == theirs


def test_a_seed_files_rows_are_read_whole() -> None:
    statements = list(iter_statements(SEED, "postgres", plain=True))
    assert len(statements) == 200 and all(isinstance(s, PlainInsert) for s in statements)
    line = SEED.splitlines()[7]
    assert [(lit.table, lit.column, lit.text, lit.tok.line, lit.tok.col)
            for lit in statements[7].literals] == [
        ("kyc", "id_card", "11010519491231002X", 8, line.index("'1101") + 1),
        ("kyc", "mobile", "13812340007", 8, line.index("'1381") + 1),
        ("kyc", "note", "row 7", 8, line.index("'row") + 1)]


def test_what_the_fast_reader_leaves_to_sqlparse_is_read_all_the_same() -> None:
    """The statements of ``TRICKY`` it may not read whole are read by sqlparse: a function
    call, a comment between values, ``ON CONFLICT``, a ``begin`` column, hex and E-notation
    numbers, an INSERT without its ``;``."""
    whole = [s for s in iter_statements(TRICKY, "postgres", plain=True)
             if isinstance(s, PlainInsert)]
    assert 0 < len(whole) < TRICKY.count("INSERT INTO") + TRICKY.count("insert into")
    dialect, parsed = read(TRICKY, "postgres")
    texts = [lit.text for lit in parsed.literals]
    assert "13812345675" in texts and "13812345677" in texts and "13812345688" in texts


@pytest.mark.parametrize("table", ["attr_values", "attr_value", "`kv_values`", "s.values_log"])
def test_a_table_named_with_values_is_read_whole(table: str) -> None:
    """QA: a head read lazily stopped at the name's own ``values`` (``INSERT INTO
    attr_values (`` and no column list), and sqlparse read every such seed."""
    sql = f"INSERT INTO {table} (id, v) VALUES (1, '13812345678');\n"
    statements = list(iter_statements(sql, "mysql", plain=True))
    assert len(statements) == 1 and isinstance(statements[0], PlainInsert)
    assert [(lit.column, lit.text) for lit in statements[0].literals] == [("v", "13812345678")]
    assert parse(statements, "mysql", sql) == parse(iter_statements(sql, "mysql"), "mysql", sql)


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
@pytest.mark.parametrize("k", range(len(DUMPS)))
def test_dump_shapes_are_read_whole(k: int, dialect: str) -> None:
    """Each shape of ``DUMPS`` is taken by the fast reader (not silently left to sqlparse)
    in the dialects it lists, and read as sqlparse reads it, marks and name types too."""
    sql = DUMPS[k][0] + "\n"
    statements = list(iter_statements(sql, dialect, plain=True))
    whole = dialect in DUMPS[k][1]
    assert [isinstance(s, PlainInsert) for s in statements] == [whole]
    fast = parse(statements, dialect, sql)
    slow = parse(iter_statements(sql, dialect), dialect, sql)
    assert fast == slow and _kinds(fast) == _kinds(slow) and fast.literals


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
def test_near_misses_are_left_to_sqlparse(dialect: str) -> None:
    assert not any(isinstance(s, PlainInsert) for s in iter_statements(SLOW, dialect, plain=True))


def test_a_pg_dump_heads_quoted_names_are_read_as_sqlparse_reads_them() -> None:
    """``public."Members"`` keeps its case (a table of its own in PostgreSQL), and its quoted
    names are marks, where a value found in them is said to be (``literals.holders``)."""
    sql = DUMPS[0][0] + "\n"
    parsed = parse(iter_statements(sql, "postgres", plain=True), "postgres", sql)
    assert [(lit.table, lit.column, lit.text) for lit in parsed.literals] == [
        ("public.Members", "Name", "张三"), ("public.Members", "Mobile", "13812345678")]
    assert isinstance(parsed.literals[0].table, CaseKept)
    assert isinstance(parsed.literals[0].column, CaseKept)
    assert [(m.value, m.col) for m in parsed.marks] == [
        ('"Members"', sql.index('"Members"') + 1), ('"Name"', sql.index('"Name"') + 1),
        ('"Mobile"', sql.index('"Mobile"') + 1)]


def test_mysqldump_values_are_read_as_sqlparse_reads_them() -> None:
    """An introducer (``_binary``, ``_utf8mb4``) and ``X`` are names of their own, the
    string after them the literal; ``N'...'`` is one string; a hex blob and a long number
    keep sqlparse's types."""
    sql = DUMPS[2][0] + "\n"
    [statement] = iter_statements(sql, "mysql", plain=True)
    assert isinstance(statement, PlainInsert)
    assert [(lit.position, lit.tok.ttype, lit.tok.value, lit.text)
            for lit in statement.literals] == [
        (1, T.String.Single, r"'\0\Z\n~'", "\0\x1a\n~"),
        (2, T.Number.Hexadecimal, "0x3133383132333435363830", "0x3133383132333435363830"),
        (3, T.String.Single, "'13812345681'", "13812345681"),
        (4, T.Number.Float, "-1.5e-05", "-1.5e-05"),
        (8, T.Number.Float, "123456e7", "123456e7"),
        (1, T.String.Single, "'x'", "x"),
        (2, T.String.Single, "N'13812345682'", "13812345682"),
        (3, T.String.Single, "'3133'", "3133")]


def test_a_mysql_dumps_escaped_strings_are_read_as_mysql_reads_them() -> None:
    statements = list(iter_statements(DUMP, "mysql", plain=True))
    assert len(statements) == 1 and isinstance(statements[0], PlainInsert)
    assert [lit.text for lit in statements[0].literals] == [
        "O'Brien", "13812345671", "C:\\", "x\n13812345672", "a\\' b", "13812345673"]


def test_a_seed_files_findings_are_those_of_sqlparse(monkeypatch) -> None:
    fast = check_text("V1__seed.sql", SEED + TRICKY)
    import pia.migrations.check as check

    slow_statements = check.iter_statements
    monkeypatch.setattr(check, "iter_statements",
                        lambda text, dialect, plain=False: slow_statements(text, dialect))
    slow = check_text("V1__seed.sql", SEED + TRICKY)
    assert fast == slow and len(fast) > 0
