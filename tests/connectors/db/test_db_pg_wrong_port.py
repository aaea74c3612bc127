"""A ``postgresql://`` URI at a port where another server listens (QA D4): MariaDB's port
said "SSL error" (libpq's SSLRequest answered with a MySQL greeting), and without TLS
"authentication failed"; a server that reads and never answers (an HTTP server waiting for a
request line) said "statement or connection timed out" after 23 s. Each now says the server
did not answer as PostgreSQL. Real MariaDB, a real silent TCP server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from db_servers import MYSQL_DSN

import pia.connectors.postgres as postgres
from pia.cli import main
from pia.connectors.postgres import PostgresConnector
from pia.errors import SourceError

NOT_PG = "cannot connect: the server did not answer as PostgreSQL (not a PostgreSQL server?)"


def _at_mariadb(query: str = "") -> str:
    parts = urlsplit(MYSQL_DSN)
    return f"postgresql://postgres@{parts.hostname}:{parts.port or 3306}/test{query}"


@pytest.mark.parametrize("query", ["", "?sslmode=disable"])
def test_a_mariadb_port_is_no_postgresql_server(mysql_admin: Any, query: str) -> None:
    uri = _at_mariadb(query)
    with pytest.raises(SourceError) as caught:
        PostgresConnector().connect(uri)
    parts = urlsplit(uri)
    assert str(caught.value) == f"postgresql {parts.hostname}:{parts.port}/test: {NOT_PG}"


def test_the_cli_says_it_in_one_line_with_exit_2(mysql_admin: Any, tmp_path, monkeypatch,
                                                capsys) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    uri = _at_mariadb()
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", uri, "-q", "-o", str(tmp_path / "r.json")])
    assert exit_info.value.code == 2
    parts = urlsplit(uri)
    assert capsys.readouterr().err == (
        f"pia: error: postgresql {parts.hostname}:{parts.port}/test: {NOT_PG}\n")


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections, reads what it is sent and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []

    def hold() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=hold, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()
    for conn in held:
        conn.close()


def test_a_server_that_never_answers_is_named_within_the_connect_timeout(
        silent_server: int, monkeypatch) -> None:
    monkeypatch.setattr(postgres, "CONNECT_TIMEOUT_S", 2)
    began = time.monotonic()
    with pytest.raises(SourceError) as caught:
        PostgresConnector().connect(f"postgresql://postgres@127.0.0.1:{silent_server}/test")
    took = time.monotonic() - began
    assert str(caught.value) == (
        f"postgresql 127.0.0.1:{silent_server}/test: cannot connect: no answer as PostgreSQL "
        "within 2 s (not a PostgreSQL server, or a firewall dropping the connection?)")
    assert took < 8, took
