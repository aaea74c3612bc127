"""Scanning never changes the source, and the connections could not change it if they tried."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from db_servers import mysql_connect

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, scan_serial


def scan_all_ways(uri: str, ctx: ScanContext) -> None:
    connector = connector_for(uri)
    for options in (ScanOptions(), ScanOptions(full=True), ScanOptions(sample=50, seed=3)):
        scan_serial(connector, uri, options, ctx)


def test_sqlite_file_is_byte_for_byte_unchanged(sqlite_estate: Path, ctx: ScanContext) -> None:
    before = hashlib.sha256(sqlite_estate.read_bytes()).hexdigest()
    mtime = sqlite_estate.stat().st_mtime_ns
    scan_all_ways(str(sqlite_estate), ctx)
    assert hashlib.sha256(sqlite_estate.read_bytes()).hexdigest() == before
    assert sqlite_estate.stat().st_mtime_ns == mtime
    assert not Path(str(sqlite_estate) + "-journal").exists()


def _small_db(path: Path, journal_mode: str) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal_mode}")
    conn.execute("CREATE TABLE members (sjh TEXT)")
    conn.executemany("INSERT INTO members VALUES (?)", [("13811112222",)] * 20)
    conn.commit()
    conn.close()  # the last connection checkpoints a WAL database and removes -wal, -shm


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_sqlite_scan_creates_no_file_beside_the_database(tmp_path: Path, ctx: ScanContext,
                                                         journal_mode: str) -> None:
    db = tmp_path / "m.db"
    _small_db(db, journal_mode)
    listing = sorted(p.name for p in tmp_path.iterdir())
    assert listing == ["m.db"]
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    result = scan_serial(connector_for(str(db)), str(db), ScanOptions(full=True), ctx)
    assert sorted(p.name for p in tmp_path.iterdir()) == listing
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert {i["entity_type"] for i in result.inventory} == {"CN_MOBILE"}  # the data was read


def test_live_wal_database_reads_rows_still_in_the_wal(tmp_path: Path, ctx: ScanContext) -> None:
    import sqlite3

    db = tmp_path / "live.db"
    _small_db(db, "wal")
    writer = sqlite3.connect(db)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("CREATE TABLE later (sfzh TEXT)")
        writer.execute("INSERT INTO later VALUES ('11010519491231002X')")
        writer.commit()
        assert (tmp_path / "live.db-wal").exists()
        result = scan_serial(connector_for(str(db)), str(db), ScanOptions(full=True), ctx)
    finally:
        writer.close()
    assert "CN_RESIDENT_ID" in {i["entity_type"] for i in result.inventory}


def _pg_state(dsn: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    import psycopg
    from psycopg import sql

    with psycopg.connect(dsn) as conn:
        counters = conn.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del, n_tup_hot_upd"
            " FROM pg_stat_user_tables ORDER BY relname").fetchall()
        tables = [r[0] for r in conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1")]
        digest = sql.SQL("SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM {} x")
        sums = [(t, conn.execute(digest.format(sql.Identifier(t))).fetchone()[0])
                for t in tables]
    return counters, sums


def test_postgres_tables_unchanged(pg_estate: str, ctx: ScanContext) -> None:
    before = _pg_state(pg_estate)
    scan_all_ways(pg_estate, ctx)
    assert _pg_state(pg_estate) == before


def test_mysql_tables_unchanged(mysql_estate: str, ctx: ScanContext) -> None:
    def checksums() -> list[tuple[object, ...]]:
        conn = mysql_connect(mysql_estate)
        with conn.cursor() as cur:
            cur.execute("SHOW TABLES")
            names = ", ".join("`" + r[0].replace("`", "``") + "`" for r in cur.fetchall())
            cur.execute(f"CHECKSUM TABLE {names}")
            out = sorted(cur.fetchall())
        conn.close()
        return out

    before = checksums()
    scan_all_ways(mysql_estate, ctx)
    assert checksums() == before


@pytest.mark.parametrize("fixture, statement", [
    ("sqlite_estate", "CREATE TABLE pia_write_probe (x INTEGER)"),
    ("pg_estate", "CREATE TABLE pia_write_probe (x INTEGER)"),
    ("mysql_estate", "INSERT INTO yh_xx (id) VALUES (999999)"),
])
def test_connections_refuse_writes(request: pytest.FixtureRequest, fixture: str,
                                   statement: str) -> None:
    uri = str(request.getfixturevalue(fixture))
    connector = connector_for(uri)
    conn = connector.connect(uri)
    try:
        with pytest.raises(Exception, match=r"(?i)read.?only|readonly"):
            cur = conn.cursor()
            cur.execute(statement)
    finally:
        conn.close()


def test_a_wal_database_copied_without_its_shm_is_read_whole_and_left_alone(
        tmp_path: Path, ctx: ScanContext) -> None:
    """A database copied with its -wal but not its -shm: reading it in place made SQLite
    create the -shm beside the source. The rows still only in the -wal are read all the same."""
    import hashlib
    import shutil
    import sqlite3

    live = tmp_path / "live"
    live.mkdir()
    _small_db(live / "w.db", "wal")
    writer = sqlite3.connect(live / "w.db")
    copied = tmp_path / "copied"
    copied.mkdir()
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("CREATE TABLE later (sfzh TEXT)")
        writer.execute("INSERT INTO later VALUES ('11010519491231002X')")
        writer.commit()
        for name in ("w.db", "w.db-wal"):
            shutil.copyfile(live / name, copied / name)
    finally:
        writer.close()
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in copied.iterdir()}
    db = str(copied / "w.db")
    result = scan_serial(connector_for(db), db, ScanOptions(full=True), ctx)
    import gc

    gc.collect()  # the private copy goes with its connection
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in copied.iterdir()} \
        == before
    assert "CN_RESIDENT_ID" in {i["entity_type"] for i in result.inventory}
