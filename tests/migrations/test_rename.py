"""A renamed column holds the same values: it keeps what said they are protected."""

from __future__ import annotations

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
G51 = "warning PIPL-51-ENCRYPT-DEIDENT"
USERS = ("CREATE TABLE u (\n  id bigint,\n  id_card varchar(64), -- pia:encrypted\n"
         "  mobile_enc bytea,\n  email varchar(128)\n);\n"
         "COMMENT ON COLUMN u.email IS 'email [pia:hashed]';\n")


def found(out: str) -> list[str]:
    return [line.split(" holds")[0] for line in out.splitlines()]


def test_a_rename_keeps_the_marker_and_comment(pia_check) -> None:
    """RENAME COLUMN id_card TO sfzh of a column marked -- pia:encrypted was a PIPL-28
    error (exit 1): the marker stayed with the old name."""
    sql = USERS + ("ALTER TABLE u RENAME COLUMN id_card TO sfzh;\n"
                   "ALTER TABLE u RENAME COLUMN email TO contact_email;\n"
                   "ALTER TABLE u RENAME COLUMN mobile_enc TO mobile;\n"
                   "CREATE TABLE u_bak LIKE u;\n")
    code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    # dropping the _enc suffix says the values are no longer encrypted (a decryption)
    assert (code, found(out)) == (0, [f"V1.sql:10:43: {G51} u.mobile",
                                      f"V1.sql:11:25: {G51} u_bak.mobile (a copy of u.mobile)"])


def test_a_rename_in_a_later_file_keeps_the_marker(pia_check) -> None:
    files = {"db/V1.sql": USERS,
             "db/V2.sql": "ALTER TABLE u RENAME COLUMN id_card TO sfzh;\n"}
    for target in ("db", "db/V2.sql"):
        code, out, _err = pia_check(target, files=files)
        assert (code, [f for f in found(out) if "sfzh" in f]) == (0, []), target


def test_mysql_change_keeps_the_line_marker_not_the_comment(pia_check) -> None:
    """CHANGE redefines the column: its COMMENT is the new one, but a -- pia: marker is
    about the values, which are the same."""
    sql = ("CREATE TABLE `u` (\n  `id_card` varchar(64), -- pia:encrypted\n"
           "  `phone` varchar(64) COMMENT '[pia:encrypted]'\n) ENGINE=InnoDB;\n"
           "ALTER TABLE `u` CHANGE `id_card` `sfzh` varchar(64) NOT NULL;\n"
           "ALTER TABLE `u` CHANGE COLUMN `phone` `mobile` varchar(64);\n")
    code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    assert (code, found(out)) == (0, [f"V1.sql:6:39: {G51} u.mobile"])


def test_a_rename_keeps_the_declared_protection(pia_check, tmp_path) -> None:
    (tmp_path / "pia.yaml").write_text(
        "version: 1\nassets:\n  - id: a\n    source: postgresql://h/d\n"
        "    columns: [u.sfzh]\n    protection: {encrypted_columns: [u.id_card]}\n", "utf-8")
    sql = "CREATE TABLE u (id_card text);\nALTER TABLE u RENAME COLUMN id_card TO sfzh;\n"
    code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    assert (code, found(out)) == (0, [])


def test_modify_and_comment_on_keep_the_line_marker(pia_check) -> None:
    """MODIFY widening a marked column and COMMENT ON describing it, in the same file or a
    later one checked alone, were PIPL-28 errors: the new definition lost the marker. A
    column never marked is still one."""
    files = {"db/V1.sql": ("CREATE TABLE u (\n  id bigint,\n  -- pia:encrypted\n"
                           "  id_card varchar(64),\n  passport varchar(32)\n);\n"),
             "db/V2.sql": "ALTER TABLE u MODIFY id_card varchar(128);\n",
             "db/V3.sql": ("COMMENT ON COLUMN u.id_card IS '身份证号';\n"
                           "COMMENT ON COLUMN u.passport IS '护照号';\n")}
    for target in ("db", "db/V2.sql", "db/V3.sql"):
        code, out, _err = pia_check(target, files=files)
        assert (code, [f for f in found(out) if "id_card" in f]) == (0 if target == "db/V2.sql"
                                                                     else 1, []), target
    code, out, _err = pia_check("db/V3.sql")
    assert found(out) == [f"db/V3.sql:2:21: {S28} u.passport"]
    same_file = ("CREATE TABLE `u` (\n  `sfzh` varchar(18) -- pia:encrypted\n);\n"
                 "ALTER TABLE `u` MODIFY COLUMN `sfzh` varchar(64) NOT NULL;\n")
    assert pia_check("V9.sql", files={"V9.sql": same_file})[:2] == (0, "")
    unmarked = "CREATE TABLE `u` (`sfzh` varchar(18));\nALTER TABLE `u` MODIFY `sfzh` text;\n"
    code, out, _err = pia_check("V8.sql", files={"V8.sql": unmarked})
    # one column, judged once: where the file leaves it (its MODIFY)
    assert (code, found(out)) == (1, [f"V8.sql:2:24: {S28} u.sfzh"])
