"""The database servers the connector tests talk to, and helpers to use them: DSNs (override
with PIA_TEST_PG_DSN and PIA_TEST_MYSQL_DSN), scratch databases and tables, a scan context.

Apart from ``conftest.py`` (which holds the fixtures) so that tests import these by a name
no other directory's module has: ``from conftest import`` found whichever conftest was
imported first, and failed when tests/connectors/files ran in the same session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

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


def scan_json(uri: str, tmp_path: Path) -> dict[str, Any]:
    """The JSON report of ``pia scan uri`` run as a user runs it (exit 0 or 1, in English),
    checked against the report schema."""
    from pia.report import validation_errors

    out = tmp_path / "r.json"
    run = subprocess.run([sys.executable, "-m", "pia", "scan", uri, "-q", "--lang", "en",
                          "-o", str(out)], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert validation_errors(report) == []
    return report


def make_ctx() -> ScanContext:
    return ScanContext(engine=default_engine(), fingerprint=Fingerprinter(b"k" * 32),
                       now=datetime.now(UTC))


def scratch_database(execute: Callable[[str], object], dsn: str, quote: str, create: str = "",
                     drop: str = "") -> Iterator[str]:
    """Create a uniquely named database, yield its DSN, drop it."""
    name = unique("pia_test")
    execute(f"CREATE DATABASE {quote}{name}{quote}{create}")
    try:
        yield with_database(dsn, name)
    finally:
        execute(f"DROP DATABASE IF EXISTS {quote}{name}{quote}{drop}")


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
def pg_role(pg_admin: Any, dsn: str) -> Iterator[str]:
    """A login role of the test's own (its name); what it was granted in ``dsn``'s database
    and the role dropped afterwards."""
    import psycopg

    role = unique("pia_ro")
    pg_admin.execute(f"CREATE ROLE {role} LOGIN")
    try:
        yield role
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}")
        pg_admin.execute(f"DROP ROLE {role}")


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
