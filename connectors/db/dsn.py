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
        """``host:port/database``: safe to print."""
        port = f":{self.port}" if self.port else ""
        return f"{self.host}{port}/{self.database}"


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


#: (pattern in the driver's message, what to say): first match wins
_REASONS = (
    (re.compile(r"password|authentication|access denied for user|auth|role \S+ does not exist",
                re.I),
     "authentication failed"),
    (re.compile(r"unknown database|database \S+ does not exist|does not exist", re.I),
     "database does not exist"),
    (re.compile(r"permission denied|command denied|access denied|not authorized", re.I),
     "permission denied"),
    (re.compile(r"timeout|timed out|canceling statement|max_statement_time|max_execution_time",
                re.I), "statement or connection timed out"),
    # before "cannot connect": these name a connection that was open and went away
    (re.compile(r"terminating connection|server closed the connection|connection (?:was )?"
                r"(?:lost|reset|closed)|lost connection|gone away|broken pipe|consuming input "
                r"failed|EOF detected", re.I), "connection lost during the scan"),
    (re.compile(r"refused|unreachable|could not connect|can't connect|no route|name or service"
                r"|could not translate|nodename|connection", re.I), "cannot connect"),
    (re.compile(r"unable to open|not a database|file is not a database|malformed", re.I),
     "cannot open database file"),
)


def reason(err: BaseException) -> str:
    """A short, value-free reason for a driver error (never the driver's full text)."""
    text = str(err)
    for pattern, words in _REASONS:
        if pattern.search(text):
            return words
    return type(err).__name__


def source_error(engine: str, where: str, err: BaseException,
                 table: str | None = None) -> SourceError:
    """One line: ``postgresql 10.0.0.5:5432/crm: authentication failed``."""
    target = f"{where} table {table}" if table else where
    return SourceError(f"{engine} {target}: {reason(err)}")
