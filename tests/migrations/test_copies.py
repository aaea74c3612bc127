"""Tables made of another's columns: LIKE, AS SELECT *, SELECT ... INTO, materialized views."""

from __future__ import annotations

import pytest

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
G51 = "warning PIPL-51-ENCRYPT-DEIDENT"
MEMBER = ("CREATE TABLE `member` (`id` bigint, `xm` varchar(32) COMMENT '姓名', "
          "`sjh` varchar(11) COMMENT '手机号', `sfzh_enc` varbinary(64)) ENGINE=InnoDB;\n")


def found(out: str) -> list[str]:
    """The findings after the source table's own (on line 1)."""
    return [line.split(" holds")[0] for line in out.splitlines()
            if not line.startswith("V1.sql:1:")]


CASES = [
    (MEMBER + "CREATE TABLE `member_bak` LIKE `member`;\n",
     [f"V1.sql:2:32: {G51} member_bak.xm (a copy of member.xm)",
      f"V1.sql:2:32: {G51} member_bak.sjh (a copy of member.sjh)"]),
    (MEMBER + "CREATE TABLE member_copy AS SELECT * FROM `member`;\n",
     [f"V1.sql:2:36: {G51} member_copy.xm (a copy of member.xm)",
      f"V1.sql:2:36: {G51} member_copy.sjh (a copy of member.sjh)"]),
    (MEMBER + "CREATE TABLE m2 SELECT m.* FROM `member` m JOIN other o ON o.id = m.id;\n",
     [f"V1.sql:2:26: {G51} m2.xm (a copy of member.xm)",
      f"V1.sql:2:26: {G51} m2.sjh (a copy of member.sjh)"]),
    ("CREATE TABLE users (id int, id_card text);\nSELECT * INTO users_backup FROM users;\n"
     "CREATE TABLE u2 (LIKE users INCLUDING ALL);\n"
     "CREATE MATERIALIZED VIEW mv AS SELECT * FROM users;\nSELECT id INTO @v FROM users;\n",
     [f"V1.sql:2:8: {S28} users_backup.id_card (a copy of users.id_card)",
      f"V1.sql:3:23: {S28} u2.id_card (a copy of users.id_card)",
      f"V1.sql:4:39: {S28} mv.id_card (a copy of users.id_card)"]),
    # a copy of a chain of copies; a table the run does not define gives nothing to copy
    ("CREATE TABLE users (id_card text);\nCREATE TABLE a LIKE users;\nCREATE TABLE b LIKE a;\n"
     "CREATE TABLE c LIKE unknown_table;\n",
     [f"V1.sql:2:21: {S28} a.id_card (a copy of users.id_card)",
      f"V1.sql:3:21: {S28} b.id_card (a copy of a.id_card)"]),
    # a copy made before the column was added does not have it
    ("CREATE TABLE users (id int);\nCREATE TABLE a LIKE users;\n"
     "ALTER TABLE users ADD COLUMN nickname text;\n", []),
]


@pytest.mark.parametrize(("sql", "expected"), CASES)
def test_a_copy_has_its_sources_columns(sql: str, expected: list[str], pia_check) -> None:
    _code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    assert found(out) == expected


def test_a_copy_of_a_table_an_earlier_file_defines(pia_check) -> None:
    files = {"db/V1.sql": "CREATE TABLE users (id int, id_card text, phone_enc bytea);\n",
             "db/V2.sql": "CREATE TABLE users_bak AS SELECT * FROM users;\n"}
    code, out, _err = pia_check("db", files=files)
    assert code == 1
    assert [line.split(" holds")[0] for line in out.splitlines()] == [
        f"db/V1.sql:1:29: {S28} users.id_card",
        f"db/V2.sql:1:34: {S28} users_bak.id_card (a copy of users.id_card)"]


def test_a_copy_of_a_declared_protected_column_is_protected(pia_check, tmp_path) -> None:
    (tmp_path / "pia.yaml").write_text(
        "version: 1\nassets:\n  - id: a\n    source: postgresql://h/d\n"
        "    columns: [users.id_card, users_bak.id_card]\n"
        "    protection: {encrypted_columns: [users.id_card]}\n", "utf-8")
    sql = "CREATE TABLE users (id_card text);\nCREATE TABLE users_bak LIKE users;\n"
    code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    assert (code, out) == (0, "")
