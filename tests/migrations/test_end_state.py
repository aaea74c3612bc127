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


def test_a_later_redefinition_that_drops_protection_is_the_error(pia_check) -> None:
    sql = ("CREATE TABLE `t_a` (\n  `c2` varchar(64) COMMENT '身份证号（已加密）'\n"
           ") ENGINE=InnoDB;\nALTER TABLE t_a MODIFY `c2` varchar(64) COMMENT '身份证号';\n")
    code, out, _err = pia_check("a.sql", files={"a.sql": sql})
    assert (code, found(out)) == (1, [f"a.sql:4:24: {S28} t_a.c2"])


def test_another_tables_column_of_that_name_is_not_redefined(pia_check) -> None:
    sql = CREATE + "CREATE TABLE t_z (c2 varchar(64) COMMENT '身份证号（已加密）');\n"
    code, out, _err = pia_check("a.sql", files={"a.sql": sql})
    assert (code, found(out)) == (1, [f"a.sql:2:3: {S28} t_a.c2"])
