"""Whole values of PI in a minority of a column's rows are found, on real SQLite, PostgreSQL
and MariaDB scans (QA F1): a legacy ``ext_ref`` holding a resident ID in one row of five, a
``contact`` holding a mobile in one row of five (the rest ``ref-N`` and ``n/a``), and a
column with a validated ID in one row of 400 were reported as nothing, exit 0, though the
same rows as a CSV file were critical. Numbers that match by chance stay out: random
eleven-digit codes (one in thirteen has a mobile's shape) and ledger numbers (one in ten
passes Luhn), as before."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from db_estate import ledger_no, mobile, resident_id
from db_servers import mysql_tables, pg_tables, unique

ROWS = 2000
COLUMNS = ("ext_ref", "contact", "legacy_ref", "code", "ledger")
#: (column, entity type) the scan must report, and those it must not
FOUND = {("ext_ref", "CN_RESIDENT_ID"), ("contact", "CN_MOBILE"),
         ("legacy_ref", "CN_RESIDENT_ID")}
NOT_FOUND = {("code", "CN_MOBILE"), ("ledger", "BANK_CARD"), ("ledger", "CREDIT_CARD")}


def _rows(seed: int) -> list[tuple[str, ...]]:
    rng = random.Random(seed)
    return [(resident_id(rng) if i % 5 == 0 else f"ref-{i}",
             mobile(rng) if i % 5 == 0 else "n/a",
             resident_id(rng) if i % 400 == 0 else f"ref-{i:08d}",
             str(rng.randrange(10**10, 10**11)),
             ledger_no(rng))
            for i in range(ROWS)]


def _check(report: dict[str, Any], table: str) -> None:
    found = {(i["location"]["column"], i["entity_type"]) for i in report["inventory"]
             if i["location"].get("table") == table}
    assert found >= FOUND, FOUND - found
    assert not NOT_FOUND & found, NOT_FOUND & found
    critical = {loc.get("column") for f in report["findings"] if f["severity"] == "critical"
                for loc in f["locations"]}
    assert {"ext_ref", "legacy_ref"} <= critical, critical


def _scan(uri: str, tmp_path: Path) -> dict[str, Any]:
    """``pia scan --full`` (every row read); exit 1 for the plaintext IDs."""
    run = subprocess.run([sys.executable, "-m", "pia", "scan", uri, "--full", "-q", "--lang",
                          "en", "-o", str(tmp_path / "r.json")], capture_output=True,
                         text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    return json.loads((tmp_path / "r.json").read_text("utf-8"))


def test_sqlite_sparse_whole_values(tmp_path: Path) -> None:
    path = tmp_path / "legacy.db"
    conn = sqlite3.connect(path)
    conn.execute(f"CREATE TABLE mix (id integer, {', '.join(c + ' text' for c in COLUMNS)})")
    conn.executemany("INSERT INTO mix VALUES (?, ?, ?, ?, ?, ?)",
                     [(i, *row) for i, row in enumerate(_rows(1))])
    conn.commit()
    conn.close()
    _check(_scan(f"sqlite:///{path}", tmp_path), "mix")


@pytest.mark.parametrize(("server", "tables", "text_type"), [
    ("pg_db", pg_tables, "text"), ("my_db", mysql_tables, "varchar(32)")],
    ids=["postgres", "mariadb"])
def test_server_sparse_whole_values(server: str, tables: Any, text_type: str,
                                    request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """The same rows in a PostgreSQL and a MariaDB table (the module's own database)."""
    dsn = request.getfixturevalue(server)
    table = unique("mix")
    columns = ", ".join(f"{c} {text_type}" for c in COLUMNS)
    with tables(dsn, table, f"CREATE TABLE {table} (id integer, {columns})",
                (f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s, %s)",
                 [(i, *row) for i, row in enumerate(_rows(len(text_type)))])):
        report = _scan(dsn, tmp_path)
    _check(report, table)
