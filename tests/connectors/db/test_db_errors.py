"""Unreachable hosts, bad credentials, missing databases fail the source with one clear line
(host and database named, password never); a table the user may not read is skipped with
its reason while the rest is scanned."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from db_servers import MYSQL_DSN, PG_DSN, mysql_connect, unique, with_database

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, scan_serial
from pia.errors import SourceError

SECRET = "s3cret-Pa55"


def _with(dsn: str, *, user: str | None = None, port: int | None = None,
          database: str | None = None) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(dsn)
    netloc = f"{user or parts.username}:{SECRET}@{parts.hostname}:{port or parts.port}"
    uri = urlunsplit(parts._replace(netloc=netloc))
    return with_database(uri, database) if database else uri


@pytest.mark.parametrize("uri, words", [
    (_with(PG_DSN, port=1), ("postgresql", "127.0.0.1:1/", "cannot connect")),
    (_with(PG_DSN, user="pia_no_such_role"), ("postgresql", "authentication failed")),
    (_with(PG_DSN, database="pia_no_such_db"), ("pia_no_such_db", "does not exist")),
    (_with(MYSQL_DSN, port=1), ("mysql", "127.0.0.1:1/", "cannot connect")),
    (_with(MYSQL_DSN, user="pia_no_such_user"), ("mysql", "authentication failed")),
    ("sqlite:///nonexistent/dir/pia.db", ("sqlite", "/nonexistent/dir/pia.db", "does not exist")),
])
def test_source_errors_name_host_and_db_never_the_password(uri: str, words: tuple[str, ...],
                                                           ctx: ScanContext) -> None:
    with pytest.raises(SourceError) as caught:
        scan_serial(connector_for(uri), uri, ScanOptions(), ctx)
    message = str(caught.value)
    assert "\n" not in message and SECRET not in message
    for word in words:
        assert word in message


def test_missing_mysql_database(mysql_admin: object, ctx: ScanContext) -> None:
    uri = with_database(MYSQL_DSN, "pia_no_such_db")
    with pytest.raises(SourceError, match="pia_no_such_db: database does not exist"):
        scan_serial(connector_for(uri), uri, ScanOptions(), ctx)


def test_not_a_database_file(tmp_path: Path, ctx: ScanContext) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite\n" * 100)
    with pytest.raises(SourceError, match="notes.db"):
        scan_serial(connector_for(str(path)), str(path), ScanOptions(), ctx)


def _damaged_db(path: Path, *tables: str) -> None:
    """A real SQLite database of ``kehu`` (its PI said by its column names) and ``other``
    (mobiles), then the root page of each of ``tables`` overwritten: the catalogue on page
    one stays intact, so the file opens and only those tables fail."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE kehu(id integer primary key, sfzh text, shouji text)")
    conn.execute("CREATE TABLE other(id integer primary key, mobile text)")
    conn.executemany("INSERT INTO kehu VALUES (?, ?, ?)", [(i, "x" * 20, "y") for i in range(300)])
    conn.executemany("INSERT INTO other VALUES (?, ?)",
                     [(i, f"1381234{i:04d}") for i in range(50)])
    conn.commit()
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    roots = [conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (t,)).fetchone()[0]
             for t in tables]
    conn.close()
    with path.open("r+b") as f:
        for root in roots:
            f.seek((root - 1) * size)
            f.write(b"\xff" * size)


def _pia_scan(path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pia", "scan", str(path), "-q", "--format",
                           "json", "-o", "r.json"], capture_output=True, text=True, timeout=300,
                          cwd=cwd)


def test_a_table_of_damaged_pages_says_so_and_the_rest_is_read(tmp_path: Path) -> None:
    """A damaged table was reported as "cannot open database file", of a file that opened:
    it says what SQLite found, with the table, and is handled as a locked or denied table is
    (skipped, its named columns kept, not sampled, the other tables read; no exit 2)."""
    path = tmp_path / "shop.db"
    _damaged_db(path, "kehu")
    run = _pia_scan(path, tmp_path)
    assert run.returncode in (0, 1) and "Traceback" not in run.stderr, run.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [s["reason"] for s in report["skipped"]] == [
        "main.kehu: database disk image is malformed"]
    items = {(i["location"]["table"], i["location"]["column"]): i for i in report["inventory"]}
    assert {c: i.get("not_sampled") for (t, c), i in items.items() if t == "kehu"} == {
        "sfzh": "database disk image is malformed", "shouji": "database disk image is malformed"}
    assert items[("other", "mobile")]["sampled"] == 50
    assert "cannot open" not in json.dumps(report)


def test_a_database_whose_every_table_is_damaged_fails_in_one_line(tmp_path: Path) -> None:
    """None of its tables read: the source fails (exit 2), its one error line saying why."""
    path = tmp_path / "shop.db"
    _damaged_db(path, "kehu", "other")
    run = _pia_scan(path, tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    [line] = [line for line in run.stderr.splitlines() if line.startswith("pia: error:")]
    assert "shop.db" in line and "database disk image is malformed" in line, line
    assert "cannot open" not in run.stderr


@pytest.fixture
def pg_limited(pg_admin: object, pg_estate: str) -> Iterator[str]:
    """A login role that may read every estate table but ``patients``."""
    import psycopg

    role = unique("pia_lim")
    pg_admin.execute(f'CREATE ROLE "{role}" LOGIN')
    with psycopg.connect(pg_estate, autocommit=True) as conn:
        conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"')
        conn.execute(f'REVOKE SELECT ON patients FROM "{role}"')
    yield _with(pg_estate, user=role)
    with psycopg.connect(pg_estate, autocommit=True) as conn:
        conn.execute(f'DROP OWNED BY "{role}"')
    pg_admin.execute(f'DROP ROLE "{role}"')


def test_postgres_permission_denied_skips_one_table(pg_limited: str, ctx: ScanContext) -> None:
    result = scan_serial(connector_for(pg_limited), pg_limited, ScanOptions(), ctx)
    assert [(s["location"]["table"], s["reason"]) for s in result.skipped] == [
        ("patients", "public.patients: permission denied")]
    assert SECRET not in str(result.skipped) and ":***@" in result.skipped[0]["source"]
    tables = {i["location"]["table"] for i in result.inventory if "not_sampled" not in i}
    assert "patients" not in tables and {"customers", "t_data", "yh_xx"} <= tables
    # patients' columns are known by their names alone, none of them sampled (qa-db L3)
    unread = [i for i in result.inventory if i["location"]["table"] == "patients"]
    assert unread and all((i["count"], i["not_sampled"]) == (0, "permission denied")
                          for i in unread)


@pytest.fixture
def mysql_limited(mysql_admin: object, mysql_estate: str) -> Iterator[str]:
    """A user that may read one column of ``patients`` and all of ``customers``."""
    user = unique("pia_lim")
    db = mysql_estate.rsplit("/", 1)[-1]
    with mysql_admin.cursor() as cur:
        cur.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{SECRET}'")
        cur.execute(f"GRANT SELECT ON `{db}`.customers TO '{user}'@'%'")
        cur.execute(f"GRANT SELECT (id) ON `{db}`.patients TO '{user}'@'%'")
    yield _with(mysql_estate, user=user)
    with mysql_admin.cursor() as cur:
        cur.execute(f"DROP USER '{user}'@'%'")


def test_mysql_grant_revoked_mid_scan_skips_that_table(
        mysql_limited: str, mysql_admin: object, ctx: ScanContext) -> None:
    """Only granted columns are visible (patients shows just ``id``); a table whose grant is
    revoked between planning and reading is skipped with its reason."""
    connector = connector_for(mysql_limited)
    options = ScanOptions()
    plan = connector.plan(mysql_limited, options, ctx)
    patients = [p for p in plan.partitions if p.spec["table"]["name"] == "patients"]
    assert [c["name"] for c in patients[0].spec["table"]["columns"]] == ["id"]
    user, db = mysql_limited.split("//")[1].split(":")[0], mysql_limited.rsplit("/", 1)[-1]
    with mysql_admin.cursor() as cur:
        cur.execute(f"REVOKE SELECT ON `{db}`.customers FROM '{user}'@'%'")
    partials = {p.key: connector.scan_partition(p, options, ctx) for p in plan.partitions}
    result = connector.merge(plan, partials, options, ctx)
    assert [(s["location"].get("table"), s["reason"]) for s in result.skipped] == [
        ("patients", f"{db}.patients: the account may read only some columns (column grants):"
                     " the others were not scanned"),
        (None, f"{db}: partial coverage: the account may read only the tables and columns "
               f"granted to it one by one in {db}; tables it holds no grant on are invisible "
               "to it and were not scanned"),
        ("customers", f"{db}.customers: permission denied")]
    # what the catalogue says of customers is kept, none of it sampled (qa-db L3)
    assert result.inventory
    assert {(i["location"]["table"], i["count"], i["sampled"], i["not_sampled"])
            for i in result.inventory} == {("customers", 0, 0, "permission denied")}
    assert SECRET not in repr(result)


def test_mysql_public_reader(mysql_limited: str, mysql_admin: object, mysql_estate: str,
                             ctx: ScanContext) -> None:
    """SELECT granted to PUBLIC makes a public read; a named account at host '%' is a
    reader, not the public (it still has to log in)."""
    db = mysql_estate.rsplit("/", 1)[-1]
    with mysql_admin.cursor() as cur:
        cur.execute(f"GRANT SELECT ON `{db}`.yh_xx TO PUBLIC")
    try:
        result = scan_serial(connector_for(mysql_estate), mysql_estate, ScanOptions(), ctx)
    finally:
        with mysql_admin.cursor() as cur:
            cur.execute(f"REVOKE SELECT ON `{db}`.yh_xx FROM PUBLIC")
    public = {(f["location"]["table"], f["location"].get("column")): f["attributes"]
              for f in result.facts if f["kind"] in ("table", "column")}
    assert public[("customers", None)]["public_read"] is False
    assert public[("customers", "mobile")]["public_read"] is False
    assert any(r.startswith("'pia_lim") for r in public[("customers", "mobile")]["readers"])
    assert public[("yh_xx", None)]["public_read"] is True
    assert public[("patients", "id_card_hash")]["public_read"] is False


def test_mysql_connection_works_for_the_limited_user(mysql_limited: str) -> None:
    conn = mysql_connect(mysql_limited)
    conn.close()


def test_a_damaged_wal_database_is_named_by_its_own_path(tmp_path: Path) -> None:
    """A database with a -wal and no -shm is read from a private copy; when that copy would
    not open, the error named the copy (/tmp/pia-sqlite-…/x.db), removed by then and unknown
    to the user, instead of the file they gave."""
    (tmp_path / "x.db").write_bytes(b"not a database at all, but long enough" * 4)
    (tmp_path / "x.db-wal").write_bytes(b"junk")
    run = _pia_scan(tmp_path / "x.db", tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.strip() == (f"pia: error: sqlite {tmp_path / 'x.db'}: cannot open "
                                  "database file (file is not a database)")
