"""``INSERT INTO t VALUES (...)`` without a column list fills t's columns in their order:
a renamed column keeps its place (``RENAME COLUMN``, MySQL's ``CHANGE``), and PostgreSQL puts
the columns of ``INHERITS (a)`` before the child's own. QA: the renamed column went to the
end and the parent's columns after the child's, so a name was read against the wrong column
(a name is PI only in a name column) and passed."""

from __future__ import annotations

from pia.migrations.check import check_text

G51 = "PIPL-51-ENCRYPT-DEIDENT"
ROW = "INSERT INTO t VALUES ('王秀英', 'x');\n"


def _values(text: str, dialect: str = "postgres") -> list[tuple[int, str, str]]:
    """The findings of the INSERT (its line is the last): rule and the column it went to."""
    last = text.count("\n")
    return [(f.line, f.rule_id, f.column) for f in check_text("V1.sql", text, dialect)
            if f.line == last]


def test_a_renamed_column_keeps_its_place() -> None:
    text = "CREATE TABLE t (a varchar(20), note text);\nALTER TABLE t RENAME COLUMN a TO xm;\n"
    assert _values(text + ROW) == [(3, G51, "xm")]


def test_a_column_mysql_changes_keeps_its_place() -> None:
    text = ("CREATE TABLE t (a varchar(20), note text) ENGINE=InnoDB;\n"
            "ALTER TABLE t CHANGE a xm varchar(20);\n")
    assert _values(text + ROW, "mysql") == [(3, G51, "xm")]


def test_inherited_columns_come_before_the_childs_own() -> None:
    text = ("CREATE TABLE p1 (xm varchar(20));\nCREATE TABLE p2 (id int);\n"
            "CREATE TABLE t (note text) INHERITS (p1, p2);\n")
    row = "INSERT INTO t VALUES ('王秀英', 1, '张伟');\n"
    assert _values(text + row) == [(4, G51, "xm")]
    # a LIKE stays where it is written among the columns
    like = "CREATE TABLE p1 (xm varchar(20));\nCREATE TABLE t (note text, LIKE p1);\n"
    assert _values(like + "INSERT INTO t VALUES ('x', '王秀英');\n") == [(3, G51, "xm")]
