"""A comment that claims protection the data does not show is called out (qa-db L2), on the
real PostgreSQL and MariaDB and on SQLite (whose comments are the DDL's).

``sfzh`` commented 身份证号（AES加密） holding valid resident IDs in plain text is plaintext,
whatever the comment says, and its item and its PIPL-28 finding say what the comment claims
(``claimed_protection``, ``claimed_by``) with masked samples only; the same comment over real
ciphertext claims nothing the values contradict, and a comment saying 明文 claims nothing."""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from db_estate import mobile, resident_id
from db_servers import mysql_tables, pg_tables, unique

from pia.report import validation_errors

ROWS = 60
CLAIM = "身份证号（AES加密）"


def _rows(seed: int) -> list[tuple[int, str, str, str, str]]:
    """Adults' rows: a child's ID would make every column of the table sensitive (PIPL 28),
    and the mobiles' finding PIPL-28's instead of PIPL-51's."""
    rng = random.Random(seed)
    return [(i, resident_id(rng, dt.date(1960 + rng.randrange(40), 1 + rng.randrange(12),
                                         1 + rng.randrange(28))),
             mobile(rng), base64.b64encode(rng.randbytes(32)).decode(), mobile(rng))
            for i in range(ROWS)]


def _scan(uri: str, tmp_path: Path) -> tuple[dict[str, Any], str, str]:
    out, md = tmp_path / "r.json", tmp_path / "r.md"
    run = subprocess.run([sys.executable, "-m", "pia", "scan", uri, "-q", "--lang", "en",
                          "-o", str(out), "-o", str(md)], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path)
    assert run.returncode == 1, run.stderr  # plaintext resident IDs: a critical finding
    text = out.read_text(encoding="utf-8")
    return json.loads(text), text, md.read_text(encoding="utf-8")


def _check(report: dict[str, Any], text: str, md: str, table: str,
           rows: list[tuple[int, str, str, str, str]]) -> None:
    assert validation_errors(report) == []
    items = {i["location"]["column"]: i for i in report["inventory"]
             if i["location"]["table"] == table}
    sfzh, phone = items["sfzh"], items["phone"]
    assert (sfzh["entity_type"], sfzh["protection"], sfzh["protected"]) == (
        "CN_RESIDENT_ID", "plaintext", False)
    assert (sfzh["evidence"]["claimed_protection"], sfzh["evidence"]["claimed_by"]) == (
        "encrypted", "comment")
    assert (phone["protection"], phone["evidence"]["claimed_protection"],
            phone["evidence"]["claimed_by"]) == ("plaintext", "encrypted", "comment")
    assert sfzh["evidence"]["samples"] and all("*" in s for s in sfzh["evidence"]["samples"])
    # ciphertext under the same comment: encrypted, no claim contradicted
    assert items["sfzh_cipher"]["protection"] == "encrypted"
    assert "claimed_protection" not in items["sfzh_cipher"]["evidence"]
    # a comment that says plaintext claims nothing
    assert items["mobile_plain"]["protection"] == "plaintext"
    assert "claimed_protection" not in items["mobile_plain"]["evidence"]
    findings = {(f["rule_id"], loc["column"]): f["evidence"] for f in report["findings"]
                for loc in f["locations"] if loc.get("table") == table}
    assert findings[("PIPL-28-SENSITIVE-PLAINTEXT", "sfzh")]["claimed_protection"] == "encrypted"
    assert findings[("PIPL-28-SENSITIVE-PLAINTEXT", "sfzh")]["claimed_by"] == "comment"
    assert findings[("PIPL-51-ENCRYPT-DEIDENT", "phone")]["claimed_by"] == "comment"
    assert "claimed_by" not in findings[("PIPL-51-ENCRYPT-DEIDENT", "mobile_plain")]
    assert ("PIPL-28-SENSITIVE-PLAINTEXT", "sfzh_cipher") not in findings
    assert "plaintext (the comment claims encrypted: the samples contradict it)" in md
    for row in rows[:10]:
        assert row[1] not in text and row[1] not in md and row[2] not in text


def test_postgres_comment_claiming_encryption_over_plaintext(pg_db: str, tmp_path: Path) -> None:
    table, rows = unique("claims"), _rows(1)
    with pg_tables(pg_db, table,
                   f"CREATE TABLE {table}(id int, sfzh text, phone text, sfzh_cipher text,"
                   " mobile_plain text)",
                   f"COMMENT ON COLUMN {table}.sfzh IS '{CLAIM}'",
                   f"COMMENT ON COLUMN {table}.phone IS '手机号，加密存储'",
                   f"COMMENT ON COLUMN {table}.sfzh_cipher IS '{CLAIM}'",
                   f"COMMENT ON COLUMN {table}.mobile_plain IS '手机号（明文）'",
                   (f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s)", rows)):
        report, text, md = _scan(pg_db, tmp_path)
    _check(report, text, md, table, rows)


def test_mariadb_comment_claiming_encryption_over_plaintext(my_db: str, tmp_path: Path) -> None:
    table, rows = unique("claims"), _rows(2)
    with mysql_tables(my_db, table,
                      f"CREATE TABLE {table}(id int primary key,"
                      f" sfzh varchar(18) COMMENT '{CLAIM}',"
                      " phone varchar(11) COMMENT '手机号，加密存储',"
                      f" sfzh_cipher varchar(64) COMMENT '{CLAIM}',"
                      " mobile_plain varchar(11) COMMENT '手机号（明文）')",
                      (f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s)", rows)):
        report, text, md = _scan(my_db, tmp_path)
    _check(report, text, md, table, rows)


def test_sqlite_ddl_comment_claiming_encryption_over_plaintext(tmp_path: Path) -> None:
    rows, path = _rows(3), tmp_path / "claims.db"
    conn = sqlite3.connect(path)
    conn.execute(f"CREATE TABLE claims (\n  id integer primary key,\n  sfzh text, -- {CLAIM}\n"
                 "  phone text, -- 手机号，加密存储\n"
                 f"  sfzh_cipher text, -- {CLAIM}\n  mobile_plain text -- 手机号（明文）\n)")
    conn.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()
    report, text, md = _scan(f"sqlite:///{path}", tmp_path)
    _check(report, text, md, "claims", rows)
