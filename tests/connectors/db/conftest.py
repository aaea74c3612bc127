"""Real servers for the database connector tests: each session creates its own uniquely named
databases and drops them afterwards. DSNs of an administrative connection can be overridden
with PIA_TEST_PG_DSN and PIA_TEST_MYSQL_DSN (they must point at an existing database the
user may create databases from)."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from db_estate import build

from pia.connectors.base import ScanContext
from pia.detection.engine import default_engine
from pia.masking import Fingerprinter

PG_DSN = os.environ.get("PIA_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
MYSQL_DSN = os.environ.get("PIA_TEST_MYSQL_DSN", "mysql://root@127.0.0.1:3306/test")


def with_database(dsn: str, database: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path="/" + database))


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def make_ctx() -> ScanContext:
    return ScanContext(engine=default_engine(), fingerprint=Fingerprinter(b"k" * 32),
                       now=datetime.now(UTC))


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


def scratch_database(execute: Callable[[str], object], dsn: str, quote: str, create: str = "",
                     drop: str = "") -> Iterator[str]:
    """Create a uniquely named database, yield its DSN, drop it."""
    name = unique("pia_test")
    execute(f"CREATE DATABASE {quote}{name}{quote}{create}")
    try:
        yield with_database(dsn, name)
    finally:
        execute(f"DROP DATABASE IF EXISTS {quote}{name}{quote}{drop}")


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


#: one statement, or one statement with the rows it is run for (``executemany``)
Statement = str | tuple[str, list[tuple[object, ...]]]


@contextmanager
def pg_tables(dsn: str, tables: str, *statements: Statement) -> Iterator[str]:
    """Tables a test adds to an estate's PostgreSQL database: ``statements`` run first,
    ``DROP TABLE tables`` after; yields ``dsn``."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn, conn.cursor() as cur:
        _run(cur, statements)
    try:
        yield dsn
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP TABLE {tables}")


@contextmanager
def mysql_tables(dsn: str, tables: str, *statements: Statement) -> Iterator[str]:
    """``pg_tables`` for the estate's MariaDB database."""
    conn: Any = mysql_connect(dsn, autocommit=True)
    try:
        with conn.cursor() as cur:
            _run(cur, statements)
        yield dsn
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP TABLE {tables}")
        conn.close()


def _run(cur: Any, statements: tuple[Statement, ...]) -> None:
    for statement in statements:
        if isinstance(statement, str):
            cur.execute(statement)
        else:
            cur.executemany(*statement)


def mysql_connect(dsn: str, **kw: object) -> object:
    pymysql = pytest.importorskip("pymysql")
    parts = urlsplit(dsn)
    return pymysql.connect(host=parts.hostname, port=parts.port or 3306,
                           user=parts.username or "root", password=parts.password or "",
                           database=parts.path.lstrip("/") or None, charset="utf8mb4",
                           connect_timeout=5, **kw)


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
