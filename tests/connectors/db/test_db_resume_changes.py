"""--resume reuses a table's journaled result only while the table is unchanged: rows updated
or deleted since the interrupted run (same row count, same key range) are rescanned, so the
resumed report is the one a fresh scan gives. Real SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from db_servers import make_ctx, mysql_connect, mysql_tables, pg_tables

from pia.connectors import connector_for
from pia.connectors.base import ScanOptions, SourceResult
from pia.executors import PartitionedExecutor, SerialRunner, StateOptions

IDS = ["11010519491231002X", "510107199001014561", "44030419850615202X"]


def scan(uri: str, state: Path, resume: bool) -> SourceResult:
    with PartitionedExecutor(SerialRunner(), state=StateOptions(str(state), resume)) as run:
        return run(connector_for(uri), uri, ScanOptions(full=True), make_ctx())


def found(result: SourceResult, table: str) -> set[tuple[str, str]]:
    return {(i["location"]["column"], i["entity_type"]) for i in result.inventory
            if i["location"]["table"] == table}


def rows() -> list[tuple[int, str, str]]:
    return [(i, f"note {i}", f"1391234{i:04d}") for i in range(1, 201)]


def test_sqlite_rows_updated_since_are_rescanned(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, note TEXT, phone TEXT)")
        db.executemany("INSERT INTO customer VALUES (?, ?, ?)", rows())
    db.close()
    state = tmp_path / "state"
    assert ("note", "CN_RESIDENT_ID") not in found(scan(str(path), state, False), "customer")
    with sqlite3.connect(path) as db:  # same rows, same rowids: only the values change
        db.executemany("UPDATE customer SET note = ? WHERE id = ?",
                       [(f"身份证号 {IDS[i % 3]}", i) for i in range(1, 201)])
    db.close()
    assert ("note", "CN_RESIDENT_ID") in found(scan(str(path), state, True), "customer")


@pytest.fixture
def pg_table(pg_estate: str) -> Iterator[str]:
    with pg_tables(pg_estate, "resume_pg",
                   "CREATE TABLE resume_pg (id int PRIMARY KEY, note text, phone text)",
                   ("INSERT INTO resume_pg VALUES (%s, %s, %s)", rows()),
                   "ANALYZE resume_pg") as dsn:
        yield dsn


def test_postgres_rows_deleted_since_are_rescanned(pg_table: str, tmp_path: Path) -> None:
    """A DELETE leaves the pages, and so the row estimate and page range, as they were."""
    import psycopg

    with psycopg.connect(pg_table, autocommit=True) as conn:
        conn.execute("UPDATE resume_pg SET note = '身份证号 ' || %s WHERE id > 100", (IDS[0],))
        conn.execute("VACUUM ANALYZE resume_pg")
    state = tmp_path / "state"
    assert ("note", "CN_RESIDENT_ID") in found(scan(pg_table, state, False), "resume_pg")
    with psycopg.connect(pg_table, autocommit=True) as conn:  # its statistics are flushed
        conn.execute("DELETE FROM resume_pg WHERE id > 100")
    assert ("note", "CN_RESIDENT_ID") not in found(scan(pg_table, state, True), "resume_pg")


def test_postgres_an_unchanged_table_is_taken_from_the_journal(pg_table: str,
                                                                tmp_path: Path) -> None:
    state = tmp_path / "state"
    scan(pg_table, state, False)
    parts = sorted((state / "parts").glob("*.json"))
    before = {p.name: p.stat().st_mtime_ns for p in parts}
    scan(pg_table, state, True)
    assert {p.name: p.stat().st_mtime_ns for p in sorted((state / "parts").glob("*.json"))
            } == before


@pytest.fixture
def my_table(mysql_estate: str) -> Iterator[str]:
    with mysql_tables(mysql_estate, "resume_my",
                      "CREATE TABLE resume_my (id int PRIMARY KEY, note text, phone text)",
                      ("INSERT INTO resume_my VALUES (%s, %s, %s)", rows())) as dsn:
        yield dsn


def test_mysql_rows_updated_since_are_rescanned(my_table: str, tmp_path: Path) -> None:
    state = tmp_path / "state"
    assert ("note", "CN_RESIDENT_ID") not in found(scan(my_table, state, False), "resume_my")
    conn: Any = mysql_connect(my_table, autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute("UPDATE resume_my SET note = CONCAT('身份证号 ', %s)", (IDS[0],))
    finally:
        conn.close()
    assert ("note", "CN_RESIDENT_ID") in found(scan(my_table, state, True), "resume_my")
