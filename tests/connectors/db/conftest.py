"""Real servers for the database connector tests: each session creates its own uniquely named
databases and drops them afterwards. DSNs of an administrative connection can be overridden
with PIA_TEST_PG_DSN and PIA_TEST_MYSQL_DSN (they must point at an existing database the
user may create databases from)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from db_estate import build
from db_servers import MYSQL_DSN, PG_DSN, make_ctx, mysql_connect, scratch_database

from pia.connectors.base import ScanContext


@pytest.fixture
def ctx() -> ScanContext:
    return make_ctx()


@pytest.fixture(scope="session")
def sqlite_estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("estate") / "estate.db"
    conn = sqlite3.connect(path)
    build("sqlite", conn)
    conn.close()
    return path


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[object]:
    psycopg = pytest.importorskip("psycopg")
    try:
        conn = psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as err:
        pytest.skip(f"PostgreSQL not reachable at {urlsplit(PG_DSN).hostname}: {err}")
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def pg_database(pg_admin: object) -> Iterator[str]:
    yield from scratch_database(pg_admin.execute, PG_DSN, '"', drop=" WITH (FORCE)")


@pytest.fixture(scope="module")
def pg_db(pg_admin: Any) -> Iterator[str]:
    """A PostgreSQL database of the test module's own (the estate's tables are not in it)."""
    yield from scratch_database(pg_admin.execute, PG_DSN, '"', drop=" WITH (FORCE)")


@pytest.fixture(scope="module")
def my_db(mysql_admin: Any) -> Iterator[str]:
    """``pg_db`` on MariaDB."""
    with mysql_admin.cursor() as cur:
        yield from scratch_database(cur.execute, MYSQL_DSN, "`",
                                    create=" CHARACTER SET utf8mb4")


@pytest.fixture(scope="session")
def pg_estate(pg_database: str) -> str:
    import psycopg

    with psycopg.connect(pg_database) as conn:
        build("postgresql", conn)
    return pg_database


@pytest.fixture(scope="session")
def mysql_admin() -> Iterator[object]:
    import pymysql

    try:
        conn = mysql_connect(MYSQL_DSN, autocommit=True)
    except pymysql.err.OperationalError as err:
        pytest.skip(f"MySQL/MariaDB not reachable at {urlsplit(MYSQL_DSN).hostname}: {err}")
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def mysql_database(mysql_admin: object) -> Iterator[str]:
    with mysql_admin.cursor() as cur:
        yield from scratch_database(cur.execute, MYSQL_DSN, "`", create=" CHARACTER SET utf8mb4")


@pytest.fixture(scope="session")
def mysql_estate(mysql_database: str) -> str:
    conn = mysql_connect(mysql_database)
    build("mysql", conn)
    conn.close()
    return mysql_database
