"""A comment that admits plaintext for the time being (暂时明文, plaintext for now, still
plaintext, TODO encrypt) admits plaintext: a time word defers a protection, never the
admission, so a ``sfzh_enc`` column so commented is plaintext resident IDs (QA q2 M1: these
passed with exit 0, as the time word was read as naming something other than 身份证号 and
the name's pinyin initials were dropped; ``sfzh1_enc`` was flagged)."""

from __future__ import annotations

import pytest

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
ADMISSIONS = ["暂时明文", "plaintext for now", "明文 for now", "still plaintext, TODO encrypt",
              "目前仍是明文", "明文暂存"]


@pytest.mark.parametrize("comment", ADMISSIONS)
def test_a_deferred_plaintext_admission_outranks_the_suffix(pia_check, comment: str) -> None:
    sql = f"ALTER TABLE acct ADD COLUMN sfzh_enc varbinary(64); -- {comment}\n"
    code, out, _err = pia_check("W.sql", files={"W.sql": sql})
    assert code == 1 and f"W.sql:1:29: {S28} acct.sfzh_enc " in out


def test_inside_a_create_table_too_and_only_there(pia_check) -> None:
    """Only the admission: ``TODO pia:encrypted`` is still no marker (the name's suffix
    claims encryption), and a comment naming something else still outranks the initials
    (``xm`` commented 项目名称 holds no 姓名)."""
    sql = ("CREATE TABLE t (id int, sfzh_enc varbinary(64) -- 暂时明文\n);\n"
           "ALTER TABLE t ADD COLUMN zjhm_enc varbinary(64); -- TODO pia:encrypted\n"
           "ALTER TABLE t ADD COLUMN xm varchar(20); -- 项目名称，暂时明文\n")
    code, out, _err = pia_check("C.sql", files={"C.sql": sql})
    assert (code, out.splitlines()[0].split(" holds")[0]) == (1, f"C.sql:1:25: {S28} t.sfzh_enc")
    assert len(out.splitlines()) == 1, out
