"""Source URIs: parsing, classification by scheme, validation and credential redaction.

Every place that prints or stores a source URI goes through ``redact`` first (free text that
may quote URIs goes through ``scrub``): a password, an access key or a token in a URI never
reaches a report, a bundle, a log line or a message.

A password may hold characters that should have been percent-encoded (``@``, ``/``, ``#``,
``:``). ``redact`` therefore reads everything up to the *last* ``@`` as userinfo, and when
what follows that ``@`` does not look like a host it hides the whole userinfo. ``check``
rejects, before any connection, a URI that cannot be parsed unambiguously.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from pia.errors import UsageError

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*)://")
#: a plain path (no scheme) ending so is a SQLite database, not a file to read as text: the
#: SQLite connector takes it, and a report's reader tells the source's kind by it too
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
_SECRET_QUERY_KEYS = re.compile(
    r"(pass|pwd|secret|token|key|signature|credential|auth|sig)", re.IGNORECASE
)
#: what may follow the userinfo's ``@``: a host (name, IPv4 or bracketed IPv6), an optional
#: port, then the end or the path, query or fragment
_HOST = re.compile(r"(\[[0-9A-Za-z:.%\-]*\]|[A-Za-z0-9\-._~%!$&'()*+,;=]*)(:[0-9]*)?(?=[/?#]|\Z)")
#: a URI inside free text (error messages quote them): up to the next white space
_URI_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://\S+")
#: userinfo with a password that holds white space (a URI in free text ends at the first)
#: (nor another URI: ``s3://bkt: cannot reach http://key:secret@host`` is two, QA)
_USERINFO_IN_TEXT = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://)([^\s:@/]*):(?:(?!://)[^\n@]){0,200}@")
#: ``password=…`` and its kin in a libpq, JDBC or ODBC connection string: a quoted secret
#: whole (``password='two words'``), else up to a space or separator (a ``)`` after it goes
#: too: a password may hold one, and hiding a bracket is the safe mistake); with a prefix
#: or a suffix too (QA: ``aws_secret_access_key=…`` in an s3:// URI's query was echoed)
_KEYWORD_SECRET = re.compile(r"\b((?:[a-z0-9]+_)*(?:password|passwd|pwd|secret|token)"
                             r"(?:_[a-z0-9]+)*\s*=\s*)"
                             r"(?!\*\*\*)(?:'[^'\n]*'?|\"[^\"\n]*\"?|[^\s;&,'\"]+)",
                             re.IGNORECASE)
#: ``user:password@host`` without a scheme (a URI already redacted shows ``:***@``)
_BARE_USERINFO = re.compile(r"(?<![\w/:@.])([\w.\-]+):(?!\*\*\*@)[^\s:@/]+@(?=[\w\[])")
#: schemes whose user name in a URI is an access key id, as secret as the password to many
_KEY_USER_SCHEMES = {"s3", "http", "https"}
#: URI scheme → the kind of source it names. Said once: the connectors' dispatch asks only
#: the connector of that kind, and a report's reader (which loads no connector) tells from it
#: how a source was read. A plain path is ``file``, or ``sqlite`` when it ends in one of
#: ``SQLITE_SUFFIXES`` (``source_kind``).
SOURCE_KINDS: dict[str, str] = {
    "sqlite": "sqlite",
    "postgresql": "postgres", "postgres": "postgres",
    "mysql": "mysql", "mariadb": "mysql",
    "s3": "s3",
    "file": "file",
}
#: the kinds of source that are databases (read by rows: sampled, or read in full)
DATABASE_KINDS = frozenset({"sqlite", "postgres", "mysql"})
#: schemes whose authority is a server (checked for host and port)
_DB_SCHEMES = {name for name, kind in SOURCE_KINDS.items() if kind in ("postgres", "mysql")}
_SERVER_SCHEMES = _DB_SCHEMES | {"s3", "http", "https"}


def _redact_query(rest: str) -> str:
    """Secret-looking query values → ``***``; everything else kept byte for byte."""
    head, sep, tail = rest.partition("?")
    if not sep:
        return rest
    query, hash_, fragment = tail.partition("#")
    pairs = []
    for pair in query.split("&"):
        key, eq, _value = pair.partition("=")
        if eq and _SECRET_QUERY_KEYS.search(unquote(key)):
            pair = key + "=***"
        pairs.append(pair)
    return head + "?" + "&".join(pairs) + hash_ + fragment


def redact(uri: str) -> str:
    """The URI with its password (and secret-looking query values) replaced by ``***``.

    Never raises. ``postgresql://u:p@ss/w#rd@h/db`` → ``postgresql://u:***@h/db``; userinfo
    followed by no recognisable host (``u:pw@[::1/db``) → ``postgresql://***@[::1/db``.
    """
    match = _SCHEME.match(uri)
    if not match:
        return uri  # a plain path
    body = uri[match.end():]
    at = body.rfind("@")
    if at < 0 or body.startswith("/"):  # no userinfo, or an empty authority (file:///…)
        return match.group(0) + _redact_query(body)
    userinfo, rest = body[:at], body[at + 1:]
    if match.group(1).lower() in _KEY_USER_SCHEMES and (":" in userinfo or "/" not in userinfo):
        shown = "***"  # the user is an access key id (an @ after a / is in the path)
    elif ":" not in userinfo:  # a user name only: nothing secret
        shown = userinfo
    elif _HOST.match(rest):
        shown = userinfo.partition(":")[0] + ":***"
    else:  # cannot tell where the password ends: hide the whole userinfo
        shown = "***"
    return match.group(0) + shown + "@" + _redact_query(rest)


def scrub(text: str) -> str:
    """Free text (a driver or validator message, a reason someone wrote) with every URI in
    it redacted, and credentials in the forms a connection string takes without a scheme:
    ``password=…`` (libpq, JDBC, ODBC) and ``user:password@host``."""
    text = _USERINFO_IN_TEXT.sub(lambda m: m.group(1) + m.group(2) + ":***@", text)
    text = _URI_IN_TEXT.sub(lambda m: redact(m.group(0)), text)
    text = _KEYWORD_SECRET.sub(lambda m: m.group(1) + "***", text)
    return _BARE_USERINFO.sub(lambda m: m.group(1) + ":***@", text)


def scheme(uri: str) -> str:
    """The scheme of a source, ``file`` for plain paths."""
    match = _SCHEME.match(uri)
    return match.group(1).lower() if match else "file"


def source_kind(uri: str) -> str | None:
    """The kind of source a URI names (a value of ``SOURCE_KINDS``), ``None`` for a scheme no
    built-in connector reads. ``sqlite:rel.db`` and a plain path ending ``.db``, ``.sqlite``
    or ``.sqlite3`` are ``sqlite``; ``file:///x.db`` is a file, read as such."""
    name = scheme(uri)
    if name == "file" and not _SCHEME.match(uri):
        low = uri.lower()
        if low.startswith("sqlite:") or low.endswith(SQLITE_SUFFIXES):
            return "sqlite"
    return SOURCE_KINDS.get(name)


def file_path(uri: str) -> str:
    """The local path of a ``file://`` URI (or a plain path, returned as is).

    ``file:///abs/path`` and ``file://localhost/abs/path`` name this machine; any other host
    (``file://evilhost/tmp/x``) or a relative form (``file://logs``) is a usage error.
    """
    if scheme(uri) != "file" or not _SCHEME.match(uri):
        return uri
    try:
        parts = urlsplit(uri)
    except ValueError:
        raise UsageError(f"source {redact(uri)!r}: not a valid file URI") from None
    host = parts.netloc.rpartition("@")[2]
    if host and host.lower() != "localhost":
        raise UsageError(
            f"source {redact(uri)!r}: a file URI names a path on this machine "
            f"(file:///abs/path or file://localhost/abs/path); for a relative path drop "
            f"'file://'") from None
    path = unquote(parts.path)
    if not path.startswith("/"):
        raise UsageError(f"source {redact(uri)!r}: a file URI needs an absolute path "
                         f"(file:///abs/path)")
    return path


def check(uri: str) -> None:
    """Reject a source URI that cannot be parsed unambiguously: bad IPv6 brackets, a port that
    is not a number from 1 to 65535, a user name or password with an unencoded ``@``, ``/``,
    ``?`` or ``#`` or a ``%`` that starts no escape, a file URI naming another host. The
    message shows the redacted URI only, and nothing of an ambiguous userinfo."""
    name = scheme(uri)
    if not _SCHEME.match(uri):
        return
    if name == "file":
        file_path(uri)
        return
    if name == "sqlite" and "@" in uri[_SCHEME.match(uri).end():].partition("/")[0]:  # type: ignore[union-attr]
        raise UsageError(f"source {redact(uri)!r}: a sqlite URI names a file and takes no user"
                         " or password (sqlite:///abs/path.db)")
    if name not in _SERVER_SCHEMES:
        return
    shown = redact(uri)
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as err:
        what = "bad IPv6 address brackets" if "IPv6" in str(err) else "invalid port"
        raise UsageError(f"source {shown!r}: {what}{_encode_hint(uri)}") from None
    if port == 0:
        raise UsageError(f"source {shown!r}: invalid port (0)")
    body = uri[_SCHEME.match(uri).end():]  # type: ignore[union-attr]
    at = body.rfind("@")
    if at < 0:
        return
    userinfo = parts.netloc.rpartition("@")[0]
    # an @ past the authority, or a second @ inside it: a password (or user) holding an
    # unencoded @ / ? # — the driver would read pieces of it as host and database, print
    # them and look them up in DNS; so nothing of the userinfo is shown
    past = at > len(parts.netloc) and (name in _DB_SCHEMES or ":" in body[:at])
    if past or "@" in userinfo:
        hidden = match_scheme(uri) + "***@" + _redact_query(body[at + 1:])
        raise UsageError(f"source {hidden!r}: cannot tell where the password ends{_HINT}")
    if _BAD_PERCENT.search(userinfo):
        hidden = match_scheme(uri) + "***@" + _redact_query(body[at + 1:])
        raise UsageError(f"source {hidden!r}: invalid percent-encoding in the user name or "
                         f"password{_HINT}")


_HINT = " (percent-encode @ : / ? # % in a password: %40 %3A %2F %3F %23 %25)"
#: a % that does not start a percent-escape
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def match_scheme(uri: str) -> str:
    """``scheme://`` of a URI, as written."""
    match = _SCHEME.match(uri)
    return match.group(0) if match else ""


def _encode_hint(uri: str) -> str:
    body = uri.split("://", 1)[1]
    userinfo = body[:body.rfind("@")] if "@" in body else ""
    if ":" in userinfo and any(c in userinfo for c in "@/?#"):
        return _HINT
    return ""
