"""A ``-- pia:`` marker on a line that defines several columns (Django's sqlmigrate writes a
table on one line) marks the columns it names, and none when it names none, saying so: it
marked the last column in silence (QA 18)."""

from __future__ import annotations

from pia.migrations.check import check_text

S28, G51, PARSE = "PIPL-28-SENSITIVE-PLAINTEXT", "PIPL-51-ENCRYPT-DEIDENT", "PIA-SQL-PARSE"
DJANGO = ('CREATE TABLE "c" ("id" bigint, "xingming" varchar(50), "sfzh" varchar(18), '
          '"shouji" varchar(11)); -- pia:encrypted {}\n')


def verdicts(text: str) -> list[tuple[int, str, str]]:
    return [(f.line, f.rule_id, f.column) for f in check_text("V1__m.sql", text)]


def test_a_marker_after_several_columns_marks_the_one_it_names() -> None:
    assert verdicts(DJANGO.format("sfzh via django-fernet")) == [
        (1, G51, "xingming"), (1, G51, "shouji")]


def test_a_marker_may_name_several_columns() -> None:
    assert verdicts(DJANGO.format("sfzh, shouji (fernet)")) == [(1, G51, "xingming")]


def test_a_marker_naming_no_column_marks_none_and_says_so() -> None:
    assert verdicts(DJANGO.format("via django-fernet")) == [
        (1, G51, "xingming"), (1, S28, "sfzh"), (1, G51, "shouji"), (1, PARSE, "")]


def test_a_marker_above_a_line_of_several_columns_follows_the_same_rule() -> None:
    text = "-- pia:encrypted sfzh\nCREATE TABLE e (id bigint, sfzh varchar(18), phone text);\n"
    assert verdicts(text) == [(2, G51, "phone")]
    text = "-- pia:encrypted\nCREATE TABLE e (id bigint, sfzh varchar(18), phone text);\n"
    assert verdicts(text) == [(1, PARSE, ""), (2, S28, "sfzh"), (2, G51, "phone")]


def test_a_marker_on_the_line_of_one_column_still_marks_it() -> None:
    text = ("ALTER TABLE users\n    ADD COLUMN phone VARCHAR(64),  -- pia:encrypted (KMS)\n"
            "    ADD COLUMN sfzh VARCHAR(18);\n")
    assert verdicts(text) == [(3, S28, "sfzh")]
