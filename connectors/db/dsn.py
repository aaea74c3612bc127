"""Connection strings: parsing, the safe ``host:port/db`` name used in messages, error mapping.

Driver errors are turned into one ``SourceError`` line that names the engine, host and
database (and table, when one table failed) and says what went wrong in words a DBA can act
on. The password never appears: messages are built from the parsed parts, and any driver text
that is quoted is scrubbed of the password first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from pia.errors import SourceError
from pia.uri import scheme


@dataclass(frozen=True)
class Dsn:
    scheme: str
    user: str | None
    password: str | None
    host: str
    port: int | None
    database: str
    query: dict[str, str]

    @property
    def where(self) -> str:
        """``host:port/database``: safe to print; an IPv6 host in brackets (``[::1]:5432``),
        as a URI writes it, or its port reads as part of the address."""
        port = f":{self.port}" if self.port else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}{port}/{self.database}"


def parse(uri: str, default_port: int | None = None) -> Dsn:
    try:
        parts = urlsplit(uri)
        port = parts.port or default_port
    except ValueError as err:  # the text of a ValueError is safe, the URI is not quoted
        what = "bad IPv6 address brackets" if "IPv6" in str(err) else "invalid port"
        raise SourceError(f"{scheme(uri)}: {what} in source URI") from None
    return Dsn(
        scheme=parts.scheme.lower(),
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        host=parts.hostname or "localhost",
        port=port,
        database=unquote(parts.path.lstrip("/")),
        query=dict(parse_qsl(parts.query)),
    )


#: SQLSTATE (PostgreSQL) → what to say; five-character codes first, then their class
_SQLSTATES = {
    "42P01": "table does not exist", "42703": "column does not exist",
    "42501": "permission denied", "55P03": "locked by another session (lock timeout)",
    "55000": "not readable in its current state (e.g. a materialized view never refreshed)",
    "57014": "statement timed out", "3D000": "database does not exist",
    "28000": "authentication failed", "28P01": "authentication failed",
    "53100": "server out of disk space", "53200": "server out of memory",
    "0A000": "feature not supported for this object",
    "P0001": "a stored function it calls raised an error (RAISE)",
    # a connection that was open and went away: said apart from "cannot connect"
    "57P01": "connection lost: terminated by an administrator (pg_terminate_backend) or a"
    " server shutdown", "57P02": "connection lost: the server crashed",
    "57P05": "connection lost: closed by the server's idle session timeout",
    "22": "a value the server cannot convert "
    "(data exception)", "42": "invalid object (e.g. a view over a dropped table or column)",
    "53": "server out of resources", "54": "server limit exceeded",
    "57": "server shut down or cancelled the statement", "58": "server file or I/O error",
    "XX": "server internal error (possibly corrupted data)",
}
#: MySQL/MariaDB error numbers → what to say
_ERRNOS = {
    1044: "permission denied", 1045: "authentication failed", 1049: "database does not exist",
    1142: "permission denied", 1143: "permission denied", 1146: "table does not exist",
    1205: "locked by another session (lock wait timeout)", 1356: "invalid view (it refers "
    "to a table, column or function that is gone or not readable)",
    1449: "invalid view (its definer does not exist)", 1054: "column does not exist",
    1030: "storage engine error", 1194: "table is marked as crashed",
    1195: "table is marked as crashed", 1017: "table file is missing",
    1812: "tablespace is missing", 1932: "table does not exist in the storage engine",
    3024: "statement timed out", 1969: "statement timed out",
    2003: "cannot connect", 2005: "cannot connect", 2006: "connection lost during the scan",
    2013: "connection lost during the scan", 1927: "connection lost: killed by an administrator"
    " (KILL)",
    # the text of a SIGNAL is the function's own, and may quote a value: never shown
    1644: "a stored function it calls raised an error (SIGNAL)",
}
#: what a PostgreSQL URI at a port where another server listens is told
NOT_POSTGRESQL = ("cannot connect: the server did not answer as PostgreSQL (not a PostgreSQL"
                  " server?)")
#: (pattern in the driver's message, what to say): first match wins
_REASONS = (
    # the URI's own mistakes first: "invalid URI query parameter: \"PASSWORD\"" names no
    # failed authentication, and a misspelt ?sslmod= no password to percent-encode
    (re.compile(r"invalid URI query parameter|invalid connection option", re.I),
     "invalid connection string: a URI parameter the driver does not know (check its"
     " spelling, e.g. sslmode, connect_timeout)"),
    (re.compile(r"invalid percent-encoded", re.I),
     "invalid connection string (percent-encode @ : / ? # % in a password)"),
    # libpq's "unexpected spaces found in "bad host"": the URI, not the server, is wrong
    (re.compile(r"unexpected spaces found", re.I),
     "invalid connection string (a space in it: percent-encode it as %20)"),
    (re.compile(r"invalid URI|missing \"=\"|invalid dsn|invalid integer value|bad value for"
                r"|invalid (?:sslmode|target_session_attrs|gssencmode) value", re.I),
     "invalid connection string"),
    # before "authentication": libpq's SSLRequest or startup packet answered with bytes of
    # another protocol (a MariaDB greeting, an HTTP error): a wrong port, not a TLS problem
    # ("SSL error" sent the user through certificates)
    (re.compile(r"received invalid response to (?:SSL|GSSAPI) negotiation|expected "
                r"authentication request from server", re.I), NOT_POSTGRESQL),
    (re.compile(r"is not permitted to log in", re.I),
     "authentication failed (the role may not log in)"),
    (re.compile(r"password|authentication|access denied for user|auth|role \S+ does not exist",
                re.I),
     "authentication failed"),
    (re.compile(r"relation \S+ does not exist|table \S+ doesn't exist", re.I),
     "table does not exist"),
    (re.compile(r"unknown database|database \S+ does not exist", re.I),
     "database does not exist"),
    (re.compile(r"permission denied|command denied|access denied|not authorized", re.I),
     "permission denied"),
    (re.compile(r"lock timeout|lock wait timeout", re.I),
     "locked by another session (lock timeout)"),
    (re.compile(r"timeout|timed out|canceling statement|max_statement_time|max_execution_time",
                re.I), "statement or connection timed out"),
    # why a connection was refused before it opened (libpq's words: the server's reason
    # helps where "cannot connect" alone sends a DBA to the network)
    (re.compile(r"does not support SSL", re.I),
     "cannot connect: the server does not support SSL, which sslmode requires"),
    (re.compile(r"root certificate file .* does not exist", re.I),
     "cannot connect: root certificate file not found (sslrootcert)"),
    (re.compile(r"certificate verify failed|does not match host name", re.I),
     "cannot connect: the server's SSL certificate was not verified"),
    (re.compile(r"no pg_hba\.conf entry", re.I),
     "cannot connect: the server's pg_hba.conf admits no connection of this host, user,"
     " database and sslmode"),
    # before "cannot connect": these name a connection that was open and went away
    (re.compile(r"terminating connection|server closed the connection|connection (?:was |is )?"
                r"(?:lost|reset|closed)|lost connection|gone away|broken pipe|consuming input "
                r"failed|EOF detected", re.I), "connection lost during the scan"),
    (re.compile(r"\bSSL\b"), "cannot connect: SSL error"),
    # why the network refused, where the driver says (qa-db L4: a bare "cannot connect"
    # sent a DBA looking at credentials, DNS and firewalls alike)
    (re.compile(r"could not translate host name|name or service not known|nodename nor "
                r"servname|name resolution", re.I), "cannot connect: host name not resolved"),
    (re.compile(r"connection refused", re.I), "cannot connect: connection refused"),
    (re.compile(r"refused|unreachable|could not connect|can't connect|no route|name or service"
                r"|could not translate|nodename|connection", re.I), "cannot connect"),
    # SQLite's own words for a damaged file and for a file of another kind: "cannot open"
    # said of a table whose pages are damaged, in a file that opened, sent a DBA to the
    # file's permissions
    (re.compile(r"disk image is malformed|SQLITE_CORRUPT", re.I),
     "database disk image is malformed"),
    (re.compile(r"not a database", re.I), "file is not a database"),
    (re.compile(r"unable to open", re.I), "cannot open database file"),
    (re.compile(r"does not exist", re.I), "object does not exist"),
)
#: libpq's parameters whose value is a mode, never a secret: the values they take
_MODES = {
    "sslmode": "disable, allow, prefer, require, verify-ca, verify-full",
    "gssencmode": "disable, prefer, require", "channel_binding": "disable, prefer, require",
    "sslcertmode": "disable, allow, require", "sslnegotiation": "postgres, direct",
    "load_balance_hosts": "disable, random",
    "target_session_attrs": "any, read-write, read-only, primary, standby, prefer-standby",
    "require_auth": "password, md5, gss, sspi, scram-sha-256, oauth or none, maybe after !",
}
#: a name or a mode as the URI may write it; anything else is not quoted
_PRINTABLE = re.compile(r"[A-Za-z0-9_.,!\-]{1,40}")
#: libpq's words for a URI parameter it refused, the parameter (and a mode's value) in quotes
_UNKNOWN = re.compile(r'invalid URI query parameter: "(.*)"', re.S)
_NO_VALUE = re.compile(r'missing key/value separator "=" in URI query parameter: "(.*)"', re.S)
_NOT_INTEGER = re.compile(r'invalid integer value ".*" for connection option "(.*)"', re.S)
_BAD_MODE = re.compile(r'invalid ([a-z_]+) value: "(.*)"', re.S)
_BAD_PORT = re.compile(r"invalid port number")


def _shown(name: str) -> str:
    """A name or mode as typed, quoted, when it is plainly one; else ``(unprintable)``."""
    return repr(name) if _PRINTABLE.fullmatch(name) else "(unprintable)"


def parameter_mistake(text: str) -> str | None:
    """What libpq said of a URI parameter it refused, naming the parameter, as the MySQL
    path does (``invalid connection string`` alone sent the user through every parameter).
    A mode's value (``sslmode=bogus``) is quoted, being no secret; any other value (an
    integer option's, which may be a misplaced password) is not."""
    if match := _UNKNOWN.search(text):
        return (f"invalid connection string: a URI parameter the driver does not know,"
                f" {_shown(match.group(1))} (check its spelling, e.g. sslmode,"
                " connect_timeout)")
    if match := _NO_VALUE.search(text):
        return (f"invalid connection string: URI parameter {_shown(match.group(1))} has no"
                " value (write name=value)")
    if match := _NOT_INTEGER.search(text):
        return (f"invalid connection string: URI parameter {_shown(match.group(1))} must be"
                " a whole number")
    if _BAD_PORT.search(text):
        return "invalid connection string: URI parameter 'port' must be from 1 to 65535"
    match = _BAD_MODE.search(text)
    if match is None:
        return None
    name, value = match.groups()
    if name not in _MODES:  # a parameter whose value might be anything: name it only
        return f"invalid connection string: URI parameter {_shown(name)} has an invalid value"
    given = f"is {_shown(value)}" if value else "is empty"
    return (f"invalid connection string: URI parameter {name!r} {given}, not one of"
            f" {_MODES[name]}")


#: what the driver's exception class means when nothing more specific is known
_CLASSES = {
    "ProgrammingError": "the statement was refused (by the server or the driver)",
    "OperationalError": "the server could not run the statement",
    "InternalError": "server internal error", "DataError": "a value the server cannot convert",
    "IntegrityError": "integrity error", "NotSupportedError": "not supported by the server",
    "InterfaceError": "connection error",
}


def reason(err: BaseException) -> str:
    """A short, value-free reason for a driver error (never the driver's full text, which
    may quote values)."""
    errno = err.args[0] if err.args and isinstance(err.args[0], int) else None
    if errno in _ERRNOS:
        return _ERRNOS[errno]
    state = getattr(err, "sqlstate", None) if errno is None else None
    if isinstance(state, str) and state:
        words = _SQLSTATES.get(state)
        if words is None and state[:2] not in ("08", "28", "3D"):
            words = _SQLSTATES.get(state[:2])
        if words:
            return words
    text = str(err)
    named = parameter_mistake(text)
    if named:
        return named
    for pattern, words in _REASONS:
        if pattern.search(text):
            return words
    for cls in type(err).__mro__:
        if cls.__name__ in _CLASSES:
            return _CLASSES[cls.__name__]
    return "database error"


def source_error(engine: str, where: str, err: BaseException,
                 table: str | None = None) -> SourceError:
    """One line: ``postgresql 10.0.0.5:5432/crm: authentication failed``."""
    target = f"{where} table {table}" if table else where
    return SourceError(f"{engine} {target}: {reason(err)}")
