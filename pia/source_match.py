"""Which scanned sources a declared ``source`` names (``pia.yaml``'s assets and accept entries).

Assets are matched to scanned sources by meaning, not by string: scheme, host, port and
database of a URI (credentials, query and letter case of the host ignored, compared after
redaction), and shell-style globs for file paths (``/var/log/app/**``) and buckets
(``s3://logs-*``). Local paths (plain, ``file://`` and ``sqlite://``) are compared as absolute,
normalised paths: a relative declared path is relative to the declaration file's directory, a
relative scanned path to the current directory, so ``shop.db``, ``./shop.db`` and
``pia-demo/shop.db`` (scanned from the parent directory) are the same asset.
"""

from __future__ import annotations

import fnmatch
import os
import re
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from pia.globs import glob_matches
from pia.uri import redact, scheme

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*)://")
_FAMILIES = {"postgres": "postgresql", "postgresql": "postgresql", "pgsql": "postgresql",
             "mysql": "mysql", "mariadb": "mysql", "file": "file", "s3": "s3",
             "sqlite": "sqlite", "sqlite3": "sqlite"}
_PORTS = {"postgresql": 5432, "mysql": 3306}


@lru_cache(maxsize=4096)
def _family(uri: str) -> str:
    match = _SCHEME.match(uri)
    if not match:
        return "file"
    scheme = match.group(1).lower().split("+")[0]
    return _FAMILIES.get(scheme, scheme)


def _path_matches(pattern: str, path: str) -> bool:
    if not any(c in pattern for c in "*?["):
        base = pattern.rstrip("/") or "/"
        return path == base or path.startswith(base.rstrip("/") + "/")
    if pattern.endswith("/**") and path == pattern[:-3]:
        return True
    return glob_matches(pattern, path)


def _local_path(uri: str, base: str | None) -> str | None:
    """The absolute, normalised local path of a plain path, ``file://`` or ``sqlite://`` URI
    (globs kept), relative paths taken from ``base`` (the current directory when None); None
    for anything else, and for a file URI naming another host."""
    family = _family(uri)
    if family == "file" and scheme(uri) == "file" and _SCHEME.match(uri):
        try:
            parts = urlsplit(uri)
        except ValueError:
            return None
        if parts.netloc.lower() not in ("", "localhost"):
            return None
        path = unquote(parts.path)
    elif family == "file" and not _SCHEME.match(uri):
        path = uri
    elif family == "sqlite":  # sqlite:///abs/x.db is absolute, sqlite://rel/x.db relative
        rest = uri.split("://", 1)[1].split("?", 1)[0]
        path = unquote(rest)
    else:
        return None
    trailing = "/" if path.endswith("/") and len(path) > 1 else ""
    resolved = os.path.normpath(os.path.join(base or os.getcwd(), path))
    return "/" + resolved.lstrip("/") + trailing  # POSIX keeps a leading //: one root


def _candidates(source: str, location: dict[str, Any] | None) -> list[str]:
    """The URIs a scanned item can be known by: its source, and its file or object (a
    relative file path in a location is relative to the current directory, like the
    source)."""
    out = [source]
    location = location or {}
    if location.get("path"):
        out.append(str(location["path"]))
    if location.get("bucket"):
        out.append(f"s3://{location['bucket']}/{location.get('key', '')}")
    return out


@lru_cache(maxsize=4096)
def _split_netloc(uri: str) -> tuple[str, int | None, tuple[str, ...]]:
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:  # malformed netloc ("[::1", port "x"): matches nothing
        return "\x00", None, ()
    segments = tuple(s for s in parts.path.split("/") if s)
    return (parts.hostname or "").lower(), port, segments


def _uri_matches(pattern: str, candidate: str, location: dict[str, Any],
                 base: str | None, cwd: str | None) -> bool:
    local_p = _local_path(pattern, base or cwd)
    if local_p is not None or _family(pattern) in ("file", "sqlite"):
        # a file or an SQLite database: the whole path names it, however it was written
        local_c = _local_path(candidate, cwd)
        return local_p is not None and local_c is not None and _path_matches(local_p, local_c)
    pattern, candidate = redact(pattern), redact(candidate)
    family = _family(pattern)
    if family != _family(candidate):
        return False
    if family == "s3":
        bucket_p, _, key_p = pattern[5:].partition("/")
        bucket_c, _, key_c = candidate[5:].partition("/")
        if not fnmatch.fnmatchcase(bucket_c, bucket_p):
            return False
        return not key_p or _path_matches(key_p, key_c)
    host_p, port_p, path_p = _split_netloc(pattern)
    host_c, port_c, path_c = _split_netloc(candidate)
    default = _PORTS.get(family)
    if not fnmatch.fnmatchcase(host_c, host_p) or (port_p or default) != (port_c or default):
        return False
    if not path_p:
        return True
    database = path_c[0] if path_c else location.get("database")
    return database is not None and fnmatch.fnmatchcase(str(database), path_p[0])


def source_matches(pattern: str, source: str, location: dict[str, Any] | None = None,
                   base: str | None = None, cwd: str | None = None) -> bool:
    """Does a declared ``source`` pattern cover this scanned source (and location)? A
    relative local ``pattern`` is relative to ``base`` (the declaration's directory), a
    relative scanned path to ``cwd`` (the scan's directory); both default to the current
    directory."""
    return any(_uri_matches(pattern, c, location or {}, base, cwd)
               for c in _candidates(source, location))
