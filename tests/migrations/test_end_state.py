"""The same end state gives the same verdict, whichever statements of one file reached it
(QA M5): a later ``MODIFY``/``CHANGE`` that comments the column as protected clears the error
as a later ``COMMENT ON`` does, and one that drops the protection is judged where it does."""

from __future__ import annotations

import pytest

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
CREATE = ("CREATE TABLE `t_a` (\n  `c2` varchar(64) DEFAULT NULL COMMENT '身份证号'\n"
          ") ENGINE=InnoDB;\n")


def found(out: str) -> list[str]:
    return [line.split(" holds")[0] for line in out.splitlines()]


@pytest.mark.parametrize("later", [
    "ALTER TABLE t_a MODIFY `c2` varchar(64) COMMENT '身份证号（已加密）';\n",
    "ALTER TABLE t_a MODIFY COLUMN `c2` varchar(64) COMMENT '身份证号（已加密）';\n",
    "ALTER TABLE t_a CHANGE `c2` `c2` varchar(64) COMMENT '身份证号（已加密）';\n",
    "ALTER TABLE t_a CHANGE COLUMN c2 sfzh varchar(64) COMMENT '身份证号 [pia:encrypted]';\n",
])
def test_a_later_redefinition_that_protects_clears_the_error(pia_check, later: str) -> None:
    code, out, _err = pia_check("a.sql", files={"a.sql": CREATE + later})
    assert (code, out) == (0, "")


def test_a_later_comment_on_clears_it_too(pia_check) -> None:
    sql = ("CREATE TABLE t_b (\n  c2 varchar(64)\n);\nCOMMENT ON COLUMN t_b.c2 IS '身份证号';\n"
           "COMMENT ON COLUMN t_b.c2 IS '身份证号（已加密）';\n")
    code, out, _err = pia_check("b.sql", files={"b.sql": sql})
    assert (code, out) == (0, "")


@pytest.mark.parametrize(("created", "commented"), [
    ("public.t_c", "t_c"), ("t_c", "public.t_c"), ('"public"."t_c"', "t_c"),
])
def test_a_later_comment_on_names_the_table_with_or_without_its_schema(
        pia_check, created: str, commented: str) -> None:
    """A hand-written migration that creates ``public.t_c`` and comments on ``t_c.sfzh``
    means one column: the comment that says it is encrypted clears the error, and one that
    only says what it holds is no second finding (QA: the schema made them two columns)."""
    sql = (f"CREATE TABLE {created} (sfzh text, real_name text);\n"
           f"COMMENT ON COLUMN {commented}.sfzh IS 'SM4 加密存储 [pia:encrypted]';\n"
           f"COMMENT ON COLUMN {commented}.real_name IS '真实姓名';\n")
    code, out, _err = pia_check("--lang", "en", "c.sql", files={"c.sql": sql})
    where = f"c.sql:1:{len(created) + 27}: warning PIPL-51-ENCRYPT-DEIDENT"
    assert (code, [line.split(" holds")[0].rsplit(" ", 1)[0] for line in out.splitlines()]
            ) == (0, [where])


def test_a_later_redefinition_that_drops_protection_is_the_error(pia_check) -> None:
    sql = ("CREATE TABLE `t_a` (\n  `c2` varchar(64) COMMENT '身份证号（已加密）'\n"
           ") ENGINE=InnoDB;\nALTER TABLE t_a MODIFY `c2` varchar(64) COMMENT '身份证号';\n")
    code, out, _err = pia_check("a.sql", files={"a.sql": sql})
    assert (code, found(out)) == (1, [f"a.sql:4:24: {S28} t_a.c2"])


def test_another_tables_column_of_that_name_is_not_redefined(pia_check) -> None:
    sql = CREATE + "CREATE TABLE t_z (c2 varchar(64) COMMENT '身份证号（已加密）');\n"
    code, out, _err = pia_check("a.sql", files={"a.sql": sql})
    assert (code, found(out)) == (1, [f"a.sql:2:3: {S28} t_a.c2"])


DROPPED_IN_THE_FILE = (
    "CREATE TABLE t (id int, sfzh varchar(18), mobile text, name text);\n"
    "INSERT INTO t (id, sfzh) VALUES (1, '11010519491231002X');\n"
    "CREATE TABLE t_bak AS SELECT * FROM t;\n"
    "ALTER TABLE t DROP COLUMN sfzh;\n"
    "ALTER TABLE t RENAME COLUMN mobile TO phone;\n"
    "ALTER TABLE t RENAME TO t2;\n"
    "DO $$ BEGIN EXECUTE 'ALTER TABLE t2 DROP COLUMN phone'; END $$;\n"
    "CREATE TABLE staging (id int, passport_no text);\n"
    "DROP TABLE staging;\n"
    "ALTER TABLE t2 ADD COLUMN sfzh varchar(18);\n")


def test_a_column_dropped_later_in_the_file_is_not_judged(pia_check) -> None:
    """A column the same file drops again (by name, renamed, its table renamed, in a DO
    block, with its table) is not in the schema the migration leaves: ``CREATE TABLE t
    (id int, sfzh varchar(18))`` then ``DROP COLUMN sfzh`` failed CI as a PIPL-28 error at
    the definition, where ``CREATE TABLE t (id int)`` passes. What it held still counts: the
    ID number written into it, the copy made before the drop, a column added again."""
    code, out, _err = pia_check("a.sql", files={"a.sql": DROPPED_IN_THE_FILE})
    assert (code, [" ".join(f.split()[:4]) for f in out.splitlines()]) == (1, [
        "a.sql:1:56: warning PIPL-51-ENCRYPT-DEIDENT t.name",
        f"a.sql:2:37: {S28} t.sfzh:",  # the literal
        f"a.sql:3:30: {S28} t_bak.sfzh",
        "a.sql:3:30: warning PIPL-51-ENCRYPT-DEIDENT t_bak.mobile",
        "a.sql:3:30: warning PIPL-51-ENCRYPT-DEIDENT t_bak.name",
        f"a.sql:10:27: {S28} t2.sfzh"])


def test_a_column_dropped_by_a_later_file_is_judged_where_it_is(pia_check) -> None:
    """Its values were stored from one migration to the next: V1's column stays V1's error."""
    files = {"db/V1.sql": "CREATE TABLE t (id int, sfzh varchar(18));\n",
             "db/V2.sql": "ALTER TABLE t DROP COLUMN sfzh;\n"}
    code, out, _err = pia_check("db", files=files)
    assert (code, found(out)) == (1, [f"db/V1.sql:1:25: {S28} t.sfzh"])
