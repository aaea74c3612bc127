"""A database the account can read nothing of fails as a source that could not be opened
(qa-db H1): exit 2, an incomplete report, one line naming the source; partial access is a
scan with skips, as before."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from db_servers import unique

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, scan_serial
from pia.errors import SourceError

SECRET = "s3cret-Pa55"


@pytest.fixture
def pg_denied(pg_admin: Any, pg_db: str) -> Iterator[tuple[str, Any]]:
    """A login role (with a password in its URI) that holds no grant on ``kyc`` nor ``kh``;
    yields its URI and a superuser connection to the database."""
    import psycopg

    role = unique("pia_deny")
    pg_admin.execute(f'CREATE ROLE "{role}" LOGIN')
    parts = urlsplit(pg_db)
    uri = urlunsplit(parts._replace(netloc=f"{role}:{SECRET}@{parts.hostname}:{parts.port}"))
    with psycopg.connect(pg_db, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA deny")
        conn.execute("CREATE TABLE deny.kyc(sfzh varchar(18), shouji varchar(11))")
        conn.execute("CREATE TABLE deny.kh(lxdh varchar(11))")
        conn.execute("INSERT INTO deny.kyc VALUES ('11010519491231002X', '13800138000')")
        conn.execute(f'GRANT USAGE ON SCHEMA deny TO "{role}"')
        try:
            yield uri, conn
        finally:
            conn.execute("DROP SCHEMA deny CASCADE")
            conn.execute(f'DROP OWNED BY "{role}"')
    pg_admin.execute(f'DROP ROLE "{role}"')


def test_a_postgres_database_of_which_no_table_is_readable_fails(
        pg_denied: tuple[str, Any], ctx: ScanContext) -> None:
    uri, _ = pg_denied
    with pytest.raises(SourceError) as caught:
        scan_serial(connector_for(uri), uri, ScanOptions(include=["deny.*"]), ctx)
    message = str(caught.value)
    host = urlsplit(uri).hostname
    assert message.startswith(f"postgresql {host}:"), message
    assert message.endswith(": none of its 2 tables in scope could be read (permission "
                            "denied)"), message
    assert "\n" not in message and SECRET not in message
    kept = caught.value.result  # type: ignore[attr-defined]
    assert sorted(s["location"]["table"] for s in kept.skipped) == ["kh", "kyc"]


def test_partial_access_is_still_a_scan(pg_denied: tuple[str, Any], ctx: ScanContext) -> None:
    uri, conn = pg_denied
    role = urlsplit(uri).username
    conn.execute(f'GRANT SELECT ON deny.kh TO "{role}"')
    result = scan_serial(connector_for(uri), uri, ScanOptions(include=["deny.*"]), ctx)
    assert [(s["location"]["table"], s["reason"]) for s in result.skipped] == [
        ("kyc", "deny.kyc: permission denied")]


def test_the_cli_exits_2_with_an_incomplete_report(pg_denied: tuple[str, Any],
                                                   tmp_path: Path) -> None:
    uri, _ = pg_denied
    out = tmp_path / "r.json"
    run = subprocess.run([sys.executable, "-m", "pia", "scan", uri, "--include", "deny.*",
                          "--lang", "en", "-q", "-o", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert SECRET not in run.stderr + out.read_text()
    assert "none of its 2 tables in scope could be read" in run.stderr
    report = json.loads(out.read_text())
    assert report["scan"]["complete"] is False


def test_a_table_an_any_host_account_may_read_is_not_called_everyones(
        my_db: str, mysql_admin: Any, tmp_path: Path) -> None:
    """qa-db L1: a named account allowed from any host (``'app'@'%'``) triggers PIPL-51-ACCESS
    with ``public_read: false`` in its evidence; the title said "readable by everyone"."""
    from db_servers import mysql_tables

    user, db = unique("pia_any"), my_db.rsplit("/", 1)[-1]
    with mysql_tables(my_db, "kh", "CREATE TABLE kh(shouji varchar(11))",
                      ("INSERT INTO kh VALUES (%s)", [(f"138001380{n:02d}",) for n in range(20)])):
        with mysql_admin.cursor() as cur:
            cur.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{SECRET}'")
            cur.execute(f"GRANT SELECT ON `{db}`.kh TO '{user}'@'%'")
        try:
            out = tmp_path / "r.json"
            run = subprocess.run([sys.executable, "-m", "pia", "scan", my_db, "-q", "-o",
                                  str(out)], capture_output=True, text=True, timeout=120)
        finally:
            with mysql_admin.cursor() as cur:
                cur.execute(f"DROP USER '{user}'@'%'")
    assert run.returncode == 1, run.stderr
    access = [f for f in json.loads(out.read_text())["findings"]
              if f["rule_id"] == "PIPL-51-ACCESS"]
    assert len(access) == 1
    title = access[0]["title"]
    assert "everyone" not in title["en"] and "所有人" not in title["zh"]
    assert "any host" in title["en"] and "任意主机" in title["zh"]
