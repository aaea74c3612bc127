"""A database connection killed mid-scan costs the table being read, not the scan (qa-scale
D1), on the real PostgreSQL (``pg_terminate_backend``) and MariaDB (``KILL CONNECTION``).

The hook is deterministic: right after planning, another session locks the middle table, so
pia's read of it waits on the lock; the test finds that waiting backend and kills it. The
tables read before are kept, the killed one is listed as not read with why (connection
lost, not "cannot connect"), the next table is read on a new connection; when no new
connection can be made, the remaining tables are not read either, said once each, and not
waited for per table. The report is written, marked incomplete."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from db_servers import mysql_connect, mysql_tables, pg_role, pg_tables, unique

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, SourceResult, scan_serial
from pia.connectors.db import reconnect

MOBILES = [(i, f"1381234{i:04d}") for i in range(30)]


def tables() -> tuple[str, str, str]:
    """Three tables scanned in this order (partitions of equal weight go by key)."""
    tag = unique("")
    return f"a{tag}", f"b{tag}", f"c{tag}"


@contextmanager
def killed_while_reading(connector: Any, lock: Callable[[], None],
                         kill: Callable[[], bool]) -> Iterator[None]:
    """``lock`` runs right after ``connector`` planned; a thread runs ``kill`` until it
    reports having killed pia's waiting session (within the 5 s lock timeout)."""
    planned = connector.plan

    def plan_then_lock(*args: Any) -> Any:
        plan = planned(*args)
        lock()
        return plan

    def killer() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not kill():
            time.sleep(0.05)

    connector.plan = plan_then_lock
    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join(35)


def read(result: SourceResult, table: str) -> dict[str, tuple[int, str | None]]:
    return {i["location"]["column"]: (i["count"], i.get("not_sampled"))
            for i in result.inventory if i["location"]["table"] == table}


def reasons(result: SourceResult) -> dict[str, str]:
    """Why each table was not read (its qualified name left out)."""
    return {s["location"]["table"]: s["reason"].split(": ", 1)[1] for s in result.skipped}


# --- PostgreSQL ------------------------------------------------------------------------------

def pg_killer(admin: Any, table: str,
              first: Callable[[], object] = lambda: None) -> Callable[[], bool]:
    """Terminates the session waiting on ``table``'s lock, once there is one; ``first``
    runs just before (while pia's next connection cannot yet have been tried)."""
    def kill() -> bool:
        waiting = admin.execute("SELECT pid FROM pg_stat_activity WHERE wait_event_type ="
                                " 'Lock' AND query LIKE %s AND pid <> pg_backend_pid()",
                                (f"%{table}%",)).fetchone()
        if waiting is None:
            return False
        first()
        admin.execute("SELECT pg_terminate_backend(%s)", (waiting[0],))
        return True
    return kill


@contextmanager
def pg_estate(dsn: str) -> Iterator[tuple[str, str, str]]:
    first, victim, after = tables()
    statements = [f"CREATE TABLE {t}(id int primary key, shouji text)"
                  for t in (first, victim, after)]
    rows = [(f"INSERT INTO {t} VALUES (%s, %s)", MOBILES) for t in (first, victim, after)]
    with pg_tables(dsn, f"{first}, {victim}, {after}", *statements, *rows):
        yield first, victim, after


def pg_scan_killing(dsn: str, admin_dsn: str, victim: str, ctx: ScanContext,
                    before_kill: Callable[[], object] = lambda: None,
                    scan: Callable[..., SourceResult] = scan_serial) -> SourceResult:
    import psycopg

    connector = connector_for(dsn)
    with psycopg.connect(admin_dsn, autocommit=True) as admin, \
            psycopg.connect(admin_dsn) as locker:
        with killed_while_reading(
                connector, lambda: locker.execute(f"LOCK TABLE {victim} IN ACCESS EXCLUSIVE MODE"),
                pg_killer(admin, victim, before_kill)):
            result = scan(connector, dsn, ScanOptions(), ctx)
        locker.rollback()
    return result


def test_a_postgres_connection_terminated_mid_scan_costs_only_the_table_being_read(
        pg_db: str, ctx: ScanContext) -> None:
    with pg_estate(pg_db) as (first, victim, after):
        result = pg_scan_killing(pg_db, pg_db, victim, ctx)
    assert read(result, first) == {"shouji": (30, None)}
    assert read(result, after) == {"shouji": (30, None)}  # read on a new connection
    why = reasons(result)[victim]
    assert why == ("connection lost: terminated by an administrator (pg_terminate_backend)"
                   " or a server shutdown"), why
    assert read(result, victim) == {"shouji": (0, why)}
    [line] = result.incomplete
    assert line.startswith("postgresql 127.0.0.1:5432/") and "1 table(s) not read" in line


def test_a_table_its_connection_was_lost_for_is_not_journaled_so_resume_reads_it(
        pg_db: str, ctx: ScanContext, tmp_path: Path) -> None:
    from pia.executors.core import PartitionedExecutor, SerialRunner, StateOptions

    state = tmp_path / "state"
    executor = PartitionedExecutor(SerialRunner(), state=StateOptions(str(state)))
    with pg_estate(pg_db) as (_first, victim, _after):
        result = pg_scan_killing(pg_db, pg_db, victim, ctx, scan=executor)
    assert reasons(result)[victim].startswith("connection lost")
    # a line per partition recorded after the header: the two tables read, not the lost one
    assert len((state / "journal.log").read_bytes().splitlines()) == 1 + 2


def test_a_postgres_connection_terminated_while_planning_is_planned_again(
        pg_db: str, ctx: ScanContext) -> None:
    import psycopg

    killed: list[int] = []
    connector = connector_for(pg_db)
    reflect = connector.reflect

    def killed_first(conn: Any, *args: Any) -> Any:
        # planning reads the catalogue without waiting on any lock: its first session is
        # terminated from another one as it starts reading, and the reading fails
        if not killed:
            killed.append(conn.info.backend_pid)
            admin.execute("SELECT pg_terminate_backend(%s)", (killed[0],))
        return reflect(conn, *args)

    connector.reflect = killed_first
    with pg_estate(pg_db) as (first, victim, after), \
            psycopg.connect(pg_db, autocommit=True) as admin:
        result = scan_serial(connector, pg_db, ScanOptions(), ctx)
    assert len(killed) == 1
    assert [read(result, t) for t in (first, victim, after)] == [{"shouji": (30, None)}] * 3
    assert (result.skipped, result.incomplete) == ([], [])


def test_a_postgres_source_that_cannot_be_reconnected_to_marks_the_rest_not_read(
        pg_admin: Any, pg_db: str, ctx: ScanContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reconnect, "RECONNECT_PAUSES", (0.0, 0.0))
    attempts = []
    connect = type(connector_for(pg_db)).connect
    monkeypatch.setattr(type(connector_for(pg_db)), "connect",
                        lambda self, uri: attempts.append(uri) or connect(self, uri))
    with pg_estate(pg_db) as (first, victim, after), pg_role(pg_admin, pg_db) as role:
        import psycopg

        with psycopg.connect(pg_db, autocommit=True) as conn:
            conn.execute(f"GRANT SELECT ON {first}, {victim}, {after} TO {role}")
        dsn = pg_db.replace("postgres@", f"{role}@", 1)
        result = pg_scan_killing(dsn, pg_db, victim, ctx,
                                 lambda: pg_admin.execute(f"ALTER ROLE {role} NOLOGIN"))
    assert read(result, first) == {"shouji": (30, None)}
    assert reasons(result)[victim].startswith("connection lost: terminated")
    why = reasons(result)[after]
    assert why == ("cannot connect again (3 attempts): authentication failed (the role may not"
                   " log in)"), why
    assert read(result, after) == {"shouji": (0, why)}
    # plan, first, victim, then three attempts for the last table: never one more
    assert len(attempts) == 6


# --- MariaDB ---------------------------------------------------------------------------------

def test_a_mariadb_connection_killed_mid_scan_costs_only_the_table_being_read(
        mysql_admin: Any, my_db: str, ctx: ScanContext) -> None:
    first, victim, after = tables()
    statements = [f"CREATE TABLE {t}(id int primary key, shouji varchar(11))"
                  for t in (first, victim, after)]
    rows = [(f"INSERT INTO {t} VALUES (%s, %s)", MOBILES) for t in (first, victim, after)]
    connector = connector_for(my_db)
    with mysql_tables(my_db, f"{first}, {victim}, {after}", *statements, *rows):
        locker: Any = mysql_connect(my_db, autocommit=True)
        killer: Any = mysql_connect(my_db, autocommit=True)

        def kill() -> bool:
            with killer.cursor() as cur:
                cur.execute("SELECT id FROM information_schema.processlist WHERE info LIKE %s"
                            " AND state LIKE '%%lock%%' AND id <> CONNECTION_ID()",
                            (f"%{victim}%",))
                row = cur.fetchone()
                if row:
                    cur.execute(f"KILL CONNECTION {int(row[0])}")
            return bool(row)

        try:
            with killed_while_reading(
                    connector, lambda: locker.cursor().execute(f"LOCK TABLES {victim} WRITE"),
                    kill):
                result = scan_serial(connector, my_db, ScanOptions(), ctx)
            locker.cursor().execute("UNLOCK TABLES")
        finally:
            locker.close()
            killer.close()
    assert read(result, first) == {"shouji": (30, None)}
    assert read(result, after) == {"shouji": (30, None)}
    why = reasons(result)[victim]
    assert why.startswith("connection lost"), why
    assert read(result, victim) == {"shouji": (0, why)}
    assert len(result.incomplete) == 1


# --- the command line: the report is written, incomplete, and the exit code is kept --------

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_cli_writes_the_report_of_a_scan_whose_connection_was_killed(
        pg_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], lang: str) -> None:
    import psycopg

    from pia.cli import main
    from pia.connectors.postgres import PostgresConnector

    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    monkeypatch.chdir(tmp_path)
    with pg_estate(pg_db) as (first, victim, after), \
            psycopg.connect(pg_db, autocommit=True) as admin, \
            psycopg.connect(pg_db) as locker:
        planned = PostgresConnector.plan

        def plan_then_lock(self: Any, *args: Any) -> Any:
            plan = planned(self, *args)
            locker.execute(f"LOCK TABLE {victim} IN ACCESS EXCLUSIVE MODE")
            return plan

        monkeypatch.setattr(PostgresConnector, "plan", plan_then_lock)
        with killed_while_reading(PostgresConnector(), lambda: None, pg_killer(admin, victim)), \
                pytest.raises(SystemExit) as exited:
            main(["scan", pg_db, "--include", f"*{first[1:]}", "-o", "r.json", "-q", "--lang",
                  lang])
        locker.rollback()
    _, err = capsys.readouterr()
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["scan"]["complete"] is False
    assert exited.value.code in (0, 1)  # by the findings, as when a table is denied
    [line] = [x for x in err.splitlines() if "connection lost" in x]
    if lang == "en":
        assert line.startswith("pia: warning: postgresql 127.0.0.1:5432/"), line
        assert "1 table(s) not read" in line and line.endswith("(complete: false)")
    else:  # the line is Chinese; what the driver said of the loss stays as it said it
        assert line.startswith("pia：警告：数据源未读完：postgresql 127.0.0.1:5432/"), line
        assert "：1 个表未读取：扫描中途连接断开（" in line, line
        assert line.endswith("已读取的表予以保留（complete: false）"), line
    assert {i["location"]["table"] for i in report["inventory"]
            if i.get("count")} == {first, after}
