"""Values PostgreSQL stores that psycopg cannot turn into Python objects, read as text instead.

A ``date`` or ``timestamp`` of ``'infinity'`` (the common "valid until further notice"), a BC
date, a year past 9999, a ``time`` of ``24:00:00`` or an interval beyond ``timedelta``'s range
is a valid value for the server and a ``DataError`` for the driver, raised with no SQLSTATE
while a row is loaded: one such value failed its table, and being no server error, the whole
source (qa-dbodd 2). Here the driver's own conversion is tried per value and a value it refuses
is kept as the server wrote it; pia never analyses dates, so nothing is lost.

A ``SQL_ASCII`` database stores bytes the server never checks (legacy GBK applications wrote
GBK into them): psycopg returns its text, catalogue names included, as ``bytes``, and names as
bytes crashed the scan (qa-dbodd 3). Its text is decoded here as UTF-8, else GB18030 where
that reads as Chinese text, else Latin-1, which never fails (``stats.legacy_text``, as MySQL's
latin1 columns are read), so a legacy value reaches the engine as the text it was written
as. The session stays SQL_ASCII (a UTF-8 session makes the server check every byte it sends,
and GBK fails that check), so a statement can name only ASCII identifiers: a table with a
non-ASCII name there is skipped with that reason (``unquotable``).

A ``json``/``jsonb`` value nested thousands deep (PostgreSQL takes it; anyone who can store a
string in such a column can write one) overflowed Python's stack in the driver's decoder,
and the scan died with a RecursionError traceback: such a value is kept as its text.
"""

from __future__ import annotations

import json
from typing import Any

import psycopg
from psycopg.adapt import Loader
from psycopg.pq import Format

from pia.connectors.db import stats

#: types whose text form the driver converts to objects Python's ranges may not hold
_TIMES = ("date", "time", "timetz", "timestamp", "timestamptz", "interval")
#: JSON types, whose decoder recurses once per level of nesting
_JSONS = ("json", "jsonb")
#: text types, whose bytes a SQL_ASCII database never checked
_TEXTS = ("text", "varchar", "bpchar", "name", '"char"')


def legacy_text(data: Any) -> str:
    """Bytes of a SQL_ASCII database as text: UTF-8, else GB18030 (GBK), else Latin-1."""
    return stats.legacy_text(bytes(data), "latin-1")


class _LegacyText(Loader):
    format = Format.TEXT

    def load(self, data: Any) -> str:
        return legacy_text(data)


class _LegacyJson(Loader):
    """JSON of a SQL_ASCII database: its text decoded as ``legacy_text``; text that is not
    JSON (the server checked its syntax, not its bytes) is kept as text."""

    format = Format.TEXT

    def load(self, data: Any) -> Any:
        text = legacy_text(data)
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            return text


def _tolerant(base: type[Loader]) -> type[Loader]:
    """A loader that converts as ``base`` does, but returns a value ``base`` refuses as the
    server's text. It holds a ``base`` rather than subclassing it: the C implementation
    calls a C loader's own conversion, whatever a Python subclass overrides."""

    class Tolerant(Loader):
        format = Format.TEXT

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self._base = base(oid, context)

        def load(self, data: Any) -> Any:
            try:
                return self._base.load(data)
            except (psycopg.DataError, ValueError, OverflowError, RecursionError):
                return legacy_text(data)

    Tolerant.__name__ = f"Tolerant{base.__name__}"
    return Tolerant


def adapt(conn: psycopg.Connection[Any]) -> None:
    """Register on ``conn`` the loaders that never fail a row (module docstring)."""
    adapters = conn.adapters
    for name in _TIMES + _JSONS:
        info = adapters.types.get(name)
        base = adapters.get_loader(info.oid, Format.TEXT) if info else None
        if info and base:
            adapters.register_loader(info.oid, _tolerant(base))
    if conn.info.encoding != "ascii":  # SQL_ASCII
        return
    for name in _TEXTS:
        adapters.register_loader(name, _LegacyText)
    adapters.register_loader(0, _LegacyText)  # unknown
    for name in ("json", "jsonb"):
        adapters.register_loader(name, _LegacyJson)


def unquotable(conn: psycopg.Connection[Any], names: list[str]) -> str | None:
    """Why a table cannot be read in a SQL_ASCII session: a name of it (schema, table or
    column) that is not ASCII, which such a session cannot send (module docstring)."""
    if conn.info.encoding != "ascii" or all(name.isascii() for name in names):
        return None
    return ("a name of the table or of a column is not ASCII in a SQL_ASCII database, whose"
            " session can send only ASCII names: not read")
