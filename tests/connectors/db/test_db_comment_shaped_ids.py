"""QA D1: a column comment that gives a resident ID as its example, written with a wrong
check digit (as legacy and hand-typed IDs are), went raw into report.json while the name
beside it was masked. ``pia scan`` of a real SQLite file and a real PostgreSQL database
now writes that ID masked as the column values' samples are (``4403**********1235``)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from db_servers import pg_tables

from pia.detection.checksums import resident_id_check_valid

SQLITE_ID = "440301198801011235"  # check digit should be 8
PG_ID = "110105199003071234"  # check digit should be 9
assert not resident_id_check_valid(SQLITE_ID) and not resident_id_check_valid(PG_ID)


def _scan(uri: str, cwd: Path, *options: str) -> str:
    """``pia scan`` as a user runs it; the report JSON as written."""
    run = subprocess.run([sys.executable, "-m", "pia", "scan", uri, "-o", "r.json", "-q",
                          *options], cwd=cwd, text=True, capture_output=True, timeout=300,
                         env=dict(os.environ, PIA_FINGERPRINT_KEY="k" * 32))
    assert run.returncode in (0, 1), run.stderr
    assert SQLITE_ID not in run.stderr and PG_ID not in run.stderr
    return (cwd / "r.json").read_text("utf-8")


def _comments(report: str) -> list[str]:
    return [f["attributes"]["comment"] for f in json.loads(report)["facts"]
            if f["kind"] == "column" and f["attributes"].get("comment")]


def test_sqlite_comment_with_a_bad_check_digit_id_is_masked(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "legacy.db")
    conn.execute(f"""CREATE TABLE laoke (xm TEXT, -- 姓名, e.g. 王小明 {SQLITE_ID}
                     dh TEXT)""")
    conn.executemany("INSERT INTO laoke VALUES (?, ?)",
                     [(f"王{n}", f"1381234{n:04d}") for n in range(30)])
    conn.commit()
    conn.close()
    report = _scan(str(tmp_path / "legacy.db"), tmp_path)
    assert SQLITE_ID not in report and "王小明" not in report
    assert "姓名, e.g. 王** 4403**********1235" in _comments(report)


def test_postgres_comment_on_column_with_a_bad_check_digit_id_is_masked(
        pg_db: str, tmp_path: Path) -> None:
    with pg_tables(pg_db, "kehu", "CREATE TABLE kehu(sfzh text, bz text)",
                   f"COMMENT ON COLUMN kehu.sfzh IS '身份证号 {PG_ID}'",
                   f"COMMENT ON COLUMN kehu.bz IS '编号 {PG_ID[:-1]}9 订单 202401011234567890'",
                   "INSERT INTO kehu SELECT '4403011988010' || (10000 + g), "
                   "'1381234' || (1000 + g) FROM generate_series(1, 30) g"):
        report = _scan(pg_db, tmp_path, "--include", "public.kehu")
    assert PG_ID not in report and PG_ID[:-1] + "9" not in report
    # a valid ID next to a word that makes the engine drop it (编号) is masked too; an
    # order number starting with a date is no ID and stays readable
    assert sorted(_comments(report)) == sorted(["身份证号 1101**********1234",
                                                "编号 1101**********1239 订单 202401011234567890"])
