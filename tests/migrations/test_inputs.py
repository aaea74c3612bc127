"""Paths that name no migration, and output that a column's name cannot forge."""

from __future__ import annotations

import json
import os
from pathlib import Path


def test_a_directory_without_migrations_is_an_error(pia_check, tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "README.md").write_text("x", "utf-8")
    code, _out, err = pia_check("db")
    assert code == 2 and err.splitlines()[-1].endswith("db: no .sql files under this directory")


def test_a_quoted_glob_and_a_link_loop_say_so(pia_check, tmp_path: Path) -> None:
    code, _out, err = pia_check("db/*.sql")
    assert code == 2 and "a glob is not expanded by pia" in err
    os.symlink("loop2.sql", tmp_path / "loop1.sql")
    os.symlink("loop1.sql", tmp_path / "loop2.sql")
    code, _out, err = pia_check("loop1.sql")
    assert code == 2 and err.splitlines()[-1].endswith("loop1.sql: a symbolic link loop")


def test_text_output_escapes_a_line_break_in_a_name(pia_check) -> None:
    sql = 'CREATE TABLE t ("id_card\n::warning file=x.sql,line=1::injected" text);\n'
    _code, out, _err = pia_check("V.sql", files={"V.sql": sql})
    assert len(out.splitlines()) == 1
    assert not any(line.startswith("::") for line in out.splitlines())
    assert "id_card\\n::warning" in out


def test_sarif_says_columns_are_code_points(pia_check) -> None:
    sql = "-- 😀\nCREATE TABLE t (id_card text); -- 😀\n"
    _code, out, _err = pia_check("V.sql", "-f", "sarif", files={"V.sql": sql})
    assert json.loads(out)["runs"][0]["columnKind"] == "unicodeCodePoints"


LINE_ENDS_SQL = (
    "-- V1: a fix for 11010519491231002X\n"
    "CREATE TABLE t (\n"
    "  a int,\n"
    "  -- pia:encrypted\n"
    "  phone text,\n"
    "  id_card text\n"
    ");\n"
    "-- pia:ignore PIPL-51-ENCRYPT-DEIDENT synthetic\n"
    "ALTER TABLE t ADD COLUMN email text;\n"
    "DO $$ BEGIN\n  UPDATE t SET a = 1 WHERE id_card = '11010519491231002X';\nEND $$;\n"
    "13812345678,张三\n"
)


def test_lone_cr_and_crlf_line_ends_give_the_places_lf_does(pia_check) -> None:
    """A line ends at CRLF, LF or a lone CR, as editors, GitHub and str.splitlines say."""
    places = []
    for end in ("\n", "\r\n", "\r"):
        _code, out, _err = pia_check("V.sql", "-f", "json",
                                     files={"V.sql": LINE_ENDS_SQL.replace("\n", end)})
        places.append([(f["line"], f["col"], f["rule_id"], f["status"])
                       for f in json.loads(out)["findings"]])
    assert places[0] == [(1, 18, "PIPL-28-SENSITIVE-PLAINTEXT", "open"),
                         (6, 3, "PIPL-28-SENSITIVE-PLAINTEXT", "open"),
                         (9, 26, "PIPL-51-ENCRYPT-DEIDENT", "suppressed"),
                         (11, 38, "PIPL-28-SENSITIVE-PLAINTEXT", "open"),
                         (13, 1, "PIA-SQL-PARSE", "open"),
                         (13, 1, "PIPL-51-ENCRYPT-DEIDENT", "open")]
    assert places[1] == places[0] and places[2] == places[0]


def test_a_link_is_named_by_its_own_path(pia_check, tmp_path: Path) -> None:
    """Wherever its target lives, a link's findings name the link, as given."""
    (tmp_path / "misc").mkdir()
    (tmp_path / "ext").mkdir()
    (tmp_path / "misc" / "ren.sql").write_text("ALTER TABLE u ADD COLUMN id_card text;\n",
                                               "utf-8")
    os.symlink(tmp_path / "misc" / "ren.sql", tmp_path / "ext" / "link.sql")
    for args in (["ext"], ["ext/link.sql"], [str(tmp_path / "ext" / "link.sql")]):
        code, out, _err = pia_check(*args)
        assert code == 1 and out.startswith("ext/link.sql:1:26: "), args


def test_a_dangling_link_under_a_directory_is_an_error(pia_check, tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "V1.sql").write_text("ALTER TABLE u ADD COLUMN id_card text;\n", "utf-8")
    os.symlink(tmp_path / "nonexistent.sql", tmp_path / "db" / "V2.sql")
    code, out, err = pia_check("db")
    assert code == 2 and out.startswith("db/V1.sql:1:26: ")
    assert err.splitlines()[-1] == ("pia: error: db/V2.sql: a symbolic link to a file that "
                                    "does not exist")
