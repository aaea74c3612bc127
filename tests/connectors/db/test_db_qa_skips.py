"""What a scan says of what it could not read, on the real servers (qa-db findings 4, 5): a
locked table costs one lock timeout, not several; the skips of an interrupted scan are
located; a connection refused over SSL says why."""

from __future__ import annotations

import time
from typing import Any

import pytest
from db_servers import pg_tables

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, SourceResult, scan_serial

LOCK_S = 2


def scan(uri: str, ctx: ScanContext, **options: Any) -> SourceResult:
    return scan_serial(connector_for(uri), uri, ScanOptions(**options), ctx)


def test_a_locked_postgres_table_is_waited_for_once(pg_db: str, ctx: ScanContext,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import psycopg

    from pia.connectors import postgres

    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_S", LOCK_S)
    with pg_tables(pg_db, "hy, kehu", "CREATE TABLE hy(sjh text)", "CREATE TABLE kehu(shouji text)",
                   "INSERT INTO kehu SELECT '1381234' || lpad(g::text, 4, '0')"
                   " FROM generate_series(1, 50) g"), psycopg.connect(pg_db) as locker:
        locker.execute("LOCK TABLE hy IN ACCESS EXCLUSIVE MODE")
        began = time.monotonic()
        result = scan(pg_db, ctx)
        took = time.monotonic() - began
        locker.rollback()
    assert [s["location"]["table"] for s in result.skipped] == ["hy"]
    assert {i["location"]["table"] for i in result.inventory if "not_sampled" not in i} == {"kehu"}
    # hy's sjh is still known by its name, not sampled (qa-db L3)
    assert {(i["location"]["table"], i["location"]["column"], i["count"])
            for i in result.inventory if "not_sampled" in i} == {("hy", "sjh", 0)}
    assert LOCK_S <= took < 2 * LOCK_S, took  # it was waited for twice: 2 x LOCK_S and more


def test_sslmode_require_without_ssl_says_so(pg_db: str) -> None:
    from pia.connectors.postgres import PostgresConnector
    from pia.errors import SourceError

    uri = pg_db.replace("postgresql://postgres@", "postgresql://postgres:s3cr3t-pw@")
    with pytest.raises(SourceError) as err:
        PostgresConnector().connect(uri + "?sslmode=require")
    message = str(err.value)
    assert message.endswith(": cannot connect: the server does not support SSL, which sslmode"
                            " requires"), message
    assert "s3cr3t" not in message and "\n" not in message


@pytest.mark.parametrize(("text", "said"), [
    ('connection to server at "db", port 5432 failed: root certificate file'
     ' "/root/.postgresql/root.crt" does not exist\nEither provide the file or change sslmode',
     "root certificate file not found (sslrootcert)"),
    ('connection to server at "db", port 5432 failed: SSL error: certificate verify failed',
     "the server's SSL certificate was not verified"),
    ('connection to server at "db", port 5432 failed: server certificate for "a.example" does'
     ' not match host name "db"', "the server's SSL certificate was not verified"),
    ('connection to server at "db", port 5432 failed: FATAL:  no pg_hba.conf entry for host'
     ' "10.0.0.9", user "app", database "crm", no encryption',
     "the server's pg_hba.conf admits no connection of this host, user, database and sslmode"),
    ('connection to server at "db", port 5432 failed: SSL error: unsupported protocol',
     "SSL error"),
])
def test_connection_refusals_say_why(text: str, said: str) -> None:
    import psycopg

    from pia.connectors.db.dsn import reason

    assert reason(psycopg.OperationalError(text)) == f"cannot connect: {said}"
