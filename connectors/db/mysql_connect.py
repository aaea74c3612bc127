"""How a ``mysql://`` URI becomes a PyMySQL connection: its query parameters, TLS, timeouts.

The query string used to be ignored, so ``?ssl-mode=REQUIRED`` connected in clear text and
``?user=app`` scanned as ``root`` while the report named ``app`` (qa-db H2). Every parameter
is now read or refused: the MySQL client's TLS options (``ssl-mode``, ``ssl-ca``,
``ssl-cert``, ``ssl-key``; ``-`` or ``_``), ``charset``, ``connect_timeout``, and ``user`` and
``password`` as libpq reads them (honoured, but refused when the userinfo names another).
An unknown one is a usage error: a misspelt ``sslmode=require`` must not pass as a secured
connection. With no ``ssl-mode`` PyMySQL uses TLS when the server offers it, like the MySQL
client's PREFERRED; an ``ssl-ca`` alone means VERIFY_CA, as it does for the MySQL client.

The TCP connection is opened here, not by the driver, so that a failure says why (refused,
timed out, no such host), and the handshake has a read timeout: a MySQL client pointed at
another server's port (PostgreSQL's, which waits for the client to speak first) failed after
68 s as "connection lost during the scan" (qa-db L4).
"""

from __future__ import annotations

import re
import socket
import ssl
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pymysql

from pia.connectors.db.dsn import Dsn
from pia.errors import SourceError, UsageError

#: seconds to open the TCP connection, and then to hear the server's handshake
CONNECT_TIMEOUT_S = 10
#: the parameters a ``mysql://`` URI may carry, as written in messages
KNOWN = ("ssl-mode", "ssl-ca", "ssl-cert", "ssl-key", "charset", "connect_timeout", "user",
         "password")
SSL_MODES = ("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY")
_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,40}")


@dataclass
class Settings:
    """What ``pymysql.connect`` is given, read from the URI."""

    user: str | None
    password: str
    charset: str = "utf8mb4"
    timeout: int = CONNECT_TIMEOUT_S
    ssl_mode: str = "PREFERRED"
    tls: dict[str, Any] = field(default_factory=dict)


def settings(uri: str, dsn: Dsn, engine: str = "mysql") -> Settings:
    """The URI's parameters checked and read; ``UsageError`` (one line, no value quoted but a
    mode's) for one it does not know, one given twice, or a user or password that differs
    from the userinfo's."""
    query: dict[str, str] = {}
    for raw, value in parse_qsl(urlsplit(uri).query, keep_blank_values=True):
        name = raw.lower().replace("-", "_")
        shown = raw if _NAME.fullmatch(raw) else "(unprintable)"
        if name.replace("_", "-") not in KNOWN and name not in KNOWN:
            raise UsageError(f"{engine} {dsn.where}: unknown URI parameter {shown!r} (known: "
                             f"{', '.join(KNOWN)})")
        if name in query:
            raise UsageError(f"{engine} {dsn.where}: URI parameter {shown!r} given twice")
        query[name] = value
    user, password = dsn.user, dsn.password
    for key, given in (("user", user), ("password", password)):
        if key in query and given is not None and query[key] != given:
            raise UsageError(f"{engine} {dsn.where}: the URI gives two {key}s (before the @"
                             f" and as ?{key}=): give one")
    out = Settings(user=user or query.get("user") or None,
                   password=password or query.get("password") or "")
    if "charset" in query:
        if not re.fullmatch(r"[A-Za-z0-9_]{1,32}", query["charset"]):
            raise UsageError(f"{engine} {dsn.where}: URI parameter 'charset' is no character"
                             " set name")
        out.charset = query["charset"]
    if "connect_timeout" in query:
        if not query["connect_timeout"].isdigit() or not 1 <= int(query["connect_timeout"]) <= 3600:
            raise UsageError(f"{engine} {dsn.where}: URI parameter 'connect_timeout' must be"
                             " a number of seconds from 1 to 3600")
        out.timeout = int(query["connect_timeout"])
    mode = query.get("ssl_mode", "").upper() or (
        "VERIFY_CA" if query.get("ssl_ca") else "PREFERRED")
    if mode not in SSL_MODES:
        shown = mode if _NAME.fullmatch(mode) else "(unprintable)"
        raise UsageError(f"{engine} {dsn.where}: ssl-mode {shown!r} is not one of "
                         f"{', '.join(SSL_MODES)}")
    files = {k: query[f"ssl_{k}"] for k in ("ca", "cert", "key") if query.get(f"ssl_{k}")}
    if mode in ("DISABLED", "PREFERRED") and files:
        raise UsageError(f"{engine} {dsn.where}: ssl-{', ssl-'.join(files)} given with "
                         f"ssl-mode={mode}, which does not use them")
    if "key" in files and "cert" not in files:
        raise UsageError(f"{engine} {dsn.where}: ssl-key needs ssl-cert")
    out.ssl_mode = mode
    if mode == "DISABLED":
        out.tls = {"ssl_disabled": True}
    elif mode != "PREFERRED":
        out.tls = {"ssl": _context(mode, files, engine, dsn)}
    return out


def _context(mode: str, files: dict[str, str], engine: str, dsn: Dsn) -> ssl.SSLContext:
    """The TLS context of a mode that requires TLS: REQUIRED encrypts without checking the
    certificate (as the MySQL client's does), VERIFY_CA checks it against ``ssl-ca`` (else
    the system's CAs), VERIFY_IDENTITY the host name too."""
    try:
        ctx = ssl.create_default_context(cafile=files.get("ca"))
        if files.get("cert"):
            ctx.load_cert_chain(files["cert"], files.get("key"))
    except (OSError, ssl.SSLError) as err:
        which = "ssl-cert/ssl-key" if files.get("cert") and not isinstance(
            err, FileNotFoundError | IsADirectoryError) else "ssl-ca"
        why = err.strerror if isinstance(err, OSError) and err.strerror else "not a PEM file"
        raise UsageError(f"{engine} {dsn.where}: cannot read the {which} file ({why})") from None
    ctx.verify_flags &= ~getattr(ssl, "VERIFY_X509_STRICT", 0)  # MySQL's own certificates
    ctx.check_hostname = mode == "VERIFY_IDENTITY"
    ctx.verify_mode = ssl.CERT_NONE if mode == "REQUIRED" else ssl.CERT_REQUIRED
    return ctx


def open_connection(dsn: Dsn, conf: Settings, engine: str = "mysql") -> Any:
    """A connection, or a ``SourceError`` that says why not: the TCP connection's failure in
    words, a server that sent no MySQL handshake, TLS a mode requires that was not set up."""
    where = f"{engine} {dsn.where}"
    port = dsn.port or 3306
    try:
        sock = socket.create_connection((dsn.host, port), conf.timeout)
    except socket.gaierror:
        raise SourceError(f"{where}: cannot connect: host name not resolved") from None
    except TimeoutError:
        raise SourceError(f"{where}: cannot connect: no answer within {conf.timeout} s"
                          " (timed out)") from None
    except OSError as err:
        why = (err.strerror or "network error").lower()
        raise SourceError(f"{where}: cannot connect: {why}") from None
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    conn = pymysql.connect(host=dsn.host, port=port, user=conf.user, password=conf.password,
                           database=dsn.database or None, charset=conf.charset,
                           connect_timeout=conf.timeout, read_timeout=conf.timeout,
                           autocommit=False, defer_connect=True, **conf.tls)
    try:
        conn.connect(sock)
    except pymysql.Error as err:
        original = getattr(err, "original_exception", None)
        if isinstance(original, TimeoutError) or "timed out" in str(err):
            raise SourceError(f"{where}: cannot connect: no MySQL handshake within "
                              f"{conf.timeout} s (not a MySQL server?)") from None
        if isinstance(original, ssl.SSLCertVerificationError):
            raise SourceError(f"{where}: cannot connect: the server's SSL certificate was not"
                              " verified") from None
        if isinstance(original, ssl.SSLError):
            raise SourceError(f"{where}: cannot connect: SSL error") from None
        if err.args and err.args[0] == 2026:  # PyMySQL 2: TLS required, none offered
            raise SourceError(f"{where}: cannot connect: the server does not support SSL,"
                              " which ssl-mode requires") from None
        if err.args and err.args[0] in (2006, 2013):
            raise SourceError(f"{where}: cannot connect: the server closed the connection "
                              "during the handshake (not a MySQL server?)") from None
        raise
    except (ValueError, IndexError, KeyError, UnicodeError):  # bytes of no MySQL handshake
        raise SourceError(f"{where}: cannot connect: the server's answer is no MySQL "
                          "handshake (not a MySQL server?)") from None
    # the handshake's read timeout off again: a statement's own timeout is the server's
    # (max_statement_time), and a stream of rows may pause longer than a handshake should
    conn._read_timeout = None
    if conf.tls.get("ssl") is not None:
        _check_tls(conn, where)
    return conn


def _check_tls(conn: Any, where: str) -> None:
    """Refuse a connection a TLS mode required that is not encrypted: PyMySQL 1.x went on in
    clear text when the server offered no TLS (2.x refuses, error 2026)."""
    with conn.cursor() as cur:
        cur.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
        row = cur.fetchone()
    if not row or not row[1]:
        conn.close()
        raise SourceError(f"{where}: cannot connect: the server does not support SSL, which "
                          "ssl-mode requires")
