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


def _attributed(text: str, dialect: str) -> list[tuple[int, str, str]]:
    """Every literal finding: its line, entity type and the column it went to."""
    return [(f.line, f.kind.partition(":")[0], f.column) for f in check_text("V1.sql", text,
                                                                            dialect)
            if f.key in ("literal", "literal_at")]


def test_mysql_first_and_after_put_a_column_where_they_say() -> None:
    """QA: ``ADD ... AFTER id`` was taken as the last column, so the mobile number went to
    ``xm`` and the name to ``mobile``, each read against the wrong column."""
    text = ("CREATE TABLE t (id int, xm varchar(32)) ENGINE=InnoDB;\n"
            "ALTER TABLE t ADD COLUMN mobile varchar(11) AFTER id, ADD note text FIRST;\n"
            "INSERT INTO t VALUES ('x', 1, '13912345678', '王秀英');\n")
    assert _attributed(text, "mysql") == [(3, "CN_MOBILE", "mobile"), (3, "CN_NAME", "xm")]
    # MODIFY and CHANGE ... AFTER move the column they redefine
    moved = ("CREATE TABLE t (id int, xm varchar(32), shouji varchar(11)) ENGINE=InnoDB;\n"
             "ALTER TABLE t CHANGE shouji sjh varchar(11) AFTER id;\n"
             "ALTER TABLE t MODIFY COLUMN id int FIRST;\n"
             "INSERT INTO t VALUES (1, '13912345678', '王秀英');\n")
    assert _attributed(moved, "mysql") == [(4, "CN_MOBILE", "sjh"), (4, "CN_NAME", "xm")]


def test_a_row_goes_to_the_columns_its_table_has_when_it_is_inserted() -> None:
    """The columns a later statement of the file renames or drops are those the row filled
    (QA: a mysqldump row was named by the columns of the file's end: '张三' written into
    ``xm`` was said to be in ``huzhao``, renamed after it, and a dropped ID column shifted
    an ID number into the next column)."""
    text = ("CREATE TABLE kyc (id int, xm varchar(32), sfzh varchar(18), note text);\n"
            "INSERT INTO kyc VALUES (1, '王秀英', '11010519491231002X', 'x');\n"
            "ALTER TABLE kyc RENAME COLUMN xm TO huzhao;\n"
            "ALTER TABLE kyc DROP COLUMN sfzh;\n"
            "INSERT INTO kyc VALUES (2, '王秀英', '320102199003071239');\n")
    assert _attributed(text, "postgres") == [
        (2, "CN_NAME", "xm"), (2, "CN_RESIDENT_ID", "sfzh"),
        (5, "CN_RESIDENT_ID", "note")]  # the second row: huzhao, then note


def test_overriding_system_value_keeps_the_columns() -> None:
    """pg_dump writes ``OVERRIDING SYSTEM VALUE`` before the rows of a table with an identity
    column (``GENERATED ALWAYS AS IDENTITY``): its literals were read against no column, so a
    name (PI only in a name column) passed and a resident ID was the table's, not sfzh's."""
    table = ("CREATE TABLE public.members (id integer GENERATED ALWAYS AS IDENTITY,"
             " xm text, sfzh text);\n")
    for clause in ("OVERRIDING SYSTEM VALUE", "overriding user value"):
        row = (f"INSERT INTO public.members (id, xm, sfzh) {clause} VALUES"
               " (1, '王秀英', '11010519491231002X'), (2, '张伟', 'x');\n")
        assert _attributed(table + row, "postgres") == [
            (2, "CN_NAME", "xm"), (2, "CN_RESIDENT_ID", "sfzh"), (2, "CN_NAME", "xm")]
