"""``COPY ... FROM stdin`` headers as pg_dump and psql users write them: quoted names with
spaces, parentheses or ``""``, and options that say the rows are CSV (QA A)."""

from __future__ import annotations

import pytest

from pia.migrations.copydata import copy_values
from pia.migrations.history import ddl

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
G51 = "warning PIPL-51-ENCRYPT-DEIDENT"
AFTER = "CREATE TABLE t2 (id int, sfzh text);\n"


def found(out: str) -> list[str]:
    return [line.split(" holds")[0].split(": a literal")[0] for line in out.splitlines()]


SWALLOWED = [
    # the rows were read as SQL up to the next ';': the CREATE TABLE after them unchecked
    ('COPY public."Customer Info" (id, note) FROM stdin;\n1\thello\n\\.\n\n' + AFTER,
     [f"V4.sql:5:26: {S28} t2.sfzh"]),
    ('COPY "客户(旧)" (id, note) FROM stdin;\n1\thello\n\\.\n' + AFTER,
     [f"V4.sql:4:26: {S28} t2.sfzh"]),
    ('COPY public."t(1)" (id) FROM stdin;\n1\n\\.\n' + AFTER, [f"V4.sql:4:26: {S28} t2.sfzh"]),
    ('COPY "a""b" ("x y", "c;d") FROM stdin;\n1\t2\n\\.\n' + AFTER,
     [f"V4.sql:4:26: {S28} t2.sfzh"]),
    # and the values lost their column: a name in a name column is a name
    ('COPY "客户(旧)" (id, "姓名(中文)", addr) FROM stdin;\n1\t王秀英\t-\n\\.\n' + AFTER,
     [f"V4.sql:2:3: {G51} 客户(旧).姓名(中文)", f"V4.sql:4:26: {S28} t2.sfzh"]),
    # a header over lines, and options: the rows are still data
    ("COPY users (\n  id,\n  note\n) FROM stdin WITH (FORMAT text, DELIMITER '|');\n"
     "1|x\n\\.\n" + AFTER, [f"V4.sql:7:26: {S28} t2.sfzh"]),
]


@pytest.mark.parametrize(("sql", "expected"), SWALLOWED)
def test_the_statements_after_a_copy_are_checked(sql: str, expected: list[str],
                                                 pia_check) -> None:
    code, out, _err = pia_check("V4.sql", files={"V4.sql": sql})
    assert (code, found(out)) == (1, expected)


CSV = "COPY users (id, name, address, note) FROM stdin "
VALUES = [
    # CSV rows: fields at commas, quoted ones holding commas, line breaks and "" for a quote
    (CSV + "WITH (FORMAT csv, HEADER true);\nid,name,address,note\n"
     '1,王秀英,"北京市朝阳区建国路88号, 3单元","he said ""hi"""\n2,"李建国",,\n\\.\n',
     [("name", "王秀英", 3, 3), ("address", "北京市朝阳区建国路88号, 3单元", 3, 8),
      ("note", 'he said "hi"', 3, 28), ("name", "李建国", 4, 4)]),
    # the old syntax; another delimiter; the header line is no row
    (CSV + "WITH CSV HEADER DELIMITER AS ';';\nid;name;address;note\n1;王秀英;;\n\\.\n",
     [("name", "王秀英", 3, 3)]),
    (CSV + "CSV;\n1,王秀英,\"a\nb\",x\n2,张三,,\n\\.\n",
     [("name", "王秀英", 2, 3), ("address", "a\nb", 2, 8), ("note", "x", 3, 4),
      ("name", "张三", 4, 3)]),
    # HEADER false reads the first line; an escape other than the quote; a NULL string
    (CSV + "WITH (FORMAT 'csv', HEADER false, ESCAPE '\\', NULL 'NA');\n"
     '1,NA,"x \\" y",NA\n\\.\n', [("address", 'x " y', 2, 7)]),
    # FORCE NOT NULL names columns, not a NULL string
    (CSV + "CSV FORCE NOT NULL name;\n1,name,,\n\\.\n", [("name", "name", 2, 3)]),
    # the text format: tabs, \N for NULL, backslash escapes; another delimiter
    ("COPY users (id, name, address) FROM stdin;\n1\t\\N\ta\\tb\\\\c\n\\.\n",
     [("address", "a\tb\\c", 2, 6)]),
    ("COPY users (id, name) FROM stdin WITH DELIMITER E'|' NULL AS '';\n1|王秀英\n2|\n\\.\n",
     [("name", "王秀英", 2, 3)]),
    # quoted names: a column list with parentheses, "" and commas inside the quotes
    ('COPY "客户(旧)" (id, "姓名(中文)", "a,""b""") FROM stdin;\n1\t王秀英\tx\n\\.\n',
     [("姓名(中文)", "王秀英", 2, 3), ('a,"b"', "x", 2, 7)]),
]


@pytest.mark.parametrize(("sql", "expected"), VALUES)
def test_each_field_goes_to_its_column(sql: str, expected: list[tuple]) -> None:
    values = [(v.column, v.text, v.tok.line, v.tok.col) for v in copy_values(sql)
              if v.column != "id"]
    assert values == expected


def test_a_copy_into_a_name_with_a_semicolon_hides_no_history() -> None:
    text = ('COPY public."a;b" (x) FROM stdin;\nCREATE TABLE fake (b int);\n\\.\n'
            "CREATE TABLE real1 (a int);\n")
    assert [t for t, _s in ddl(text, "postgres")] == ["real1"]
