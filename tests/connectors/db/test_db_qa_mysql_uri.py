"""A ``mysql://`` URI's query parameters are read or refused (qa-db H2): TLS is required when
asked for, the account is the one the URI names, an unknown parameter is a usage error; a
MySQL client pointed at a port that is no MySQL server's fails fast (qa-db L4)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from db_servers import MYSQL_DSN, PG_DSN, unique

from pia.connectors.mysql import MysqlConnector
from pia.errors import SourceError, UsageError

SECRET = "s3cret-Pa55"


def _uri(query: str, *, userinfo: str | None = None, port: int | None = None) -> str:
    parts = urlsplit(MYSQL_DSN)
    netloc = (f"{userinfo}@" if userinfo is not None else f"{parts.username}:{SECRET}@") \
        + f"{parts.hostname}:{port or parts.port or 3306}"
    return urlunsplit(parts._replace(netloc=netloc, query=query))


@pytest.fixture(scope="module")
def tls_off(mysql_admin: Any) -> None:
    with mysql_admin.cursor() as cur:
        cur.execute("SHOW VARIABLES LIKE 'have_ssl'")
        row = cur.fetchone()
    if row and row[1] == "YES":
        pytest.skip("this MariaDB offers TLS")


@pytest.mark.parametrize("query", ["ssl-mode=REQUIRED", "ssl_mode=required",
                                   "ssl-mode=VERIFY_CA", "ssl_mode=VERIFY_IDENTITY"])
def test_a_tls_mode_the_server_cannot_meet_fails(query: str, tls_off: None,
                                                 mysql_admin: Any) -> None:
    with pytest.raises(SourceError) as caught:
        MysqlConnector().connect(_uri(query, userinfo=urlsplit(MYSQL_DSN).username))
    message = str(caught.value)
    assert message.endswith(": cannot connect: the server does not support SSL, which "
                            "ssl-mode requires"), message
    assert message.startswith("mysql ") and "\n" not in message


@pytest.mark.parametrize("query", ["ssl-mode=DISABLED", "ssl-mode=preferred",
                                   "charset=utf8mb4&connect_timeout=5"])
def test_parameters_that_the_server_can_meet_connect(query: str, mysql_admin: Any) -> None:
    conn = MysqlConnector().connect(_uri(query, userinfo=urlsplit(MYSQL_DSN).username))
    conn.close()


@pytest.mark.parametrize(("query", "words"), [
    ("sslmode=require", "unknown URI parameter 'sslmode' (known: ssl-mode,"),
    ("ssl=true", "unknown URI parameter 'ssl' (known:"),
    (f"passwd={SECRET}", "unknown URI parameter 'passwd' (known:"),
    ("ssl-mode=ON", "ssl-mode 'ON' is not one of DISABLED, PREFERRED, REQUIRED"),
    ("ssl-mode=REQUIRED&ssl_mode=DISABLED", "URI parameter 'ssl_mode' given twice"),
    ("ssl-ca=/nonexistent/ca.pem", "cannot read the ssl-ca file (No such file or directory)"),
    ("ssl-mode=DISABLED&ssl-ca=/etc/ca.pem", "ssl-ca given with ssl-mode=DISABLED"),
    ("connect_timeout=soon", "'connect_timeout' must be a number of seconds"),
    ("user=someone_else", "the URI gives two users (before the @ and as ?user=): give one"),
    (f"password=x{SECRET}", "the URI gives two passwords"),
])
def test_a_parameter_it_cannot_honour_is_a_usage_error(query: str, words: str) -> None:
    with pytest.raises(UsageError) as caught:
        MysqlConnector().connect(_uri(query))
    message = str(caught.value)
    assert words in message, message
    assert SECRET not in message and "\n" not in message


@pytest.fixture
def reader(mysql_admin: Any) -> Any:
    user = unique("pia_q")
    with mysql_admin.cursor() as cur:
        cur.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{SECRET}'")
    yield user
    with mysql_admin.cursor() as cur:
        cur.execute(f"DROP USER '{user}'@'%'")


def test_user_and_password_as_parameters_are_the_account_used(reader: str) -> None:
    """libpq's reading, as for postgresql://: the account is the one the URI names, never a
    default ``root`` (the scan ran as root while the report named the other)."""
    parts = urlsplit(MYSQL_DSN)
    uri = urlunsplit(parts._replace(netloc=f"{parts.hostname}:{parts.port or 3306}", path="/",
                                    query=f"user={reader}&password={SECRET}"))
    conn = MysqlConnector().connect(uri)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT CURRENT_USER()")
            assert cur.fetchone()[0] == f"{reader}@%"
    finally:
        conn.close()
    with pytest.raises(SourceError, match="authentication failed"):
        MysqlConnector().connect(uri.replace(f"password={SECRET}", "password=wrong"))


def test_a_port_that_is_no_mysql_servers_fails_fast(mysql_admin: Any) -> None:
    pg = urlsplit(PG_DSN)
    uri = _uri("connect_timeout=2", userinfo="root", port=pg.port or 5432).replace(
        urlsplit(MYSQL_DSN).hostname or "", pg.hostname or "127.0.0.1", 1)
    began = time.monotonic()
    with pytest.raises(SourceError) as caught:
        MysqlConnector().connect(uri)
    took = time.monotonic() - began
    assert "cannot connect" in str(caught.value) and "(not a MySQL server?)" in str(caught.value)
    assert took < 10, took


def test_a_postgres_uri_with_a_space_is_said_to_be_invalid() -> None:
    """qa-db L4: libpq refuses it before connecting; it was 'the statement was refused'."""
    from pia.connectors.postgres import PostgresConnector

    with pytest.raises(SourceError) as caught:
        PostgresConnector().connect(f"postgresql://postgres:{SECRET}@bad host:5432/x")
    message = str(caught.value)
    assert message.endswith(": invalid connection string (a space in it: percent-encode it "
                            "as %20)"), message
    assert SECRET not in message


@pytest.mark.parametrize(("uri", "said"), [
    ("postgresql://postgres@nonexistent.invalid:5432/x", "invalid:5432/x: cannot connect: host"
                                                          " name not resolved"),
    ("mysql://root@nonexistent.invalid:3306/x", "/x: cannot connect: host name not resolved"),
    ("postgresql://postgres@127.0.0.1:1/x", "/x: cannot connect: connection refused"),
    ("mysql://root@127.0.0.1:1/x", "/x: cannot connect: connection refused"),
    # an IPv6 host in brackets, or its port reads as part of the address
    ("postgresql://postgres@[::1]:1/x", " [::1]:1/x: cannot connect"),
    ("mysql://root@[::1]:1/x", " [::1]:1/x: cannot connect"),
])
def test_cannot_connect_says_why_and_where(uri: str, said: str) -> None:
    """qa-db L4: 'cannot connect' alone did not tell a refused port from a wrong name."""
    from pia.connectors import connector_for

    with pytest.raises(SourceError) as caught:
        connector_for(uri).connect(uri)
    assert said in str(caught.value), str(caught.value)
