"""The reflected catalogue: tables and columns as plain data that travels inside partitions.

A partition must be JSON-serialisable and secret-free, and ``scan_partition`` must not have to
reflect the catalogue again on a worker, so a table's description (columns, comments, types,
grants, its key) is carried in the partition's ``spec`` as a dict.
"""

from __future__ import annotations

import fnmatch
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Column:
    name: str
    data_type: str
    comment: str | None = None
    readers: list[str] = field(default_factory=list)
    public_read: bool = False


@dataclass
class Table:
    database: str
    schema: str | None
    name: str
    columns: list[Column]
    row_estimate: int = 0
    #: how rows are addressed for ranges and samples: "rowid" (SQLite), "ctid"
    #: (PostgreSQL pages), "pk" (an integer primary key), "pages" (PostgreSQL with column
    #: grants only: TABLESAMPLE, no ctid ranges), "tree" (a PostgreSQL partitioned table,
    #: read through its parent: TABLESAMPLE, no ctid ranges), or "" (read whole, hash-sample)
    key_kind: str = ""
    key: str | None = None
    key_min: int | None = None
    key_max: int | None = None
    grants: list[dict[str, str]] = field(default_factory=list)
    #: grants that reach some of its columns only: column grants, and grants on views over
    #: it (``{grantee, privilege, columns}``, plus ``view``; see ``db.grants``)
    column_grants: list[dict[str, Any]] = field(default_factory=list)
    public_read: bool = False
    #: what changes whenever the table's rows do, as far as the engine can tell (SQLite: the
    #: file's size and mtime; PostgreSQL: the relation's file and its insert/update/delete
    #: counters; MySQL: UPDATE_TIME); None when it cannot, and then --resume rescans it
    version: str | None = None
    #: why the table is not read at all, found while planning (a lock held by another
    #: session, a materialized view never populated, no column the account may read)
    skipped: str | None = None
    #: what of a read table was not readable (columns the account holds no grant on)
    partial: str | None = None
    #: a system-versioned table (MariaDB): its rows are read with their history
    history: bool = False
    #: columns the catalogue shows and the account may not read (PostgreSQL column
    #: privileges): their names and comments still say what they hold
    unread: list[Column] = field(default_factory=list)

    @property
    def qualified(self) -> str:
        """``schema.table``: what --include/--exclude globs are matched against."""
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def location(self) -> dict[str, Any]:
        return {"database": self.database, "schema": self.schema, "table": self.name}

    def to_spec(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Table:
        data = dict(spec)
        data["columns"] = [Column(**c) for c in data["columns"]]
        data["unread"] = [Column(**c) for c in data.get("unread", [])]
        return cls(**data)


def selected(schema: str | None, name: str, include: list[str], exclude: list[str]) -> bool:
    """Globs over ``schema.table``; a glob is also matched against the bare table name, as it
    is (a table named ``a.b`` is not split at its dot)."""
    qualified = f"{schema}.{name}" if schema else name

    def hit(pattern: str) -> bool:
        return fnmatch.fnmatchcase(qualified, pattern) or fnmatch.fnmatchcase(name, pattern)

    if include and not any(hit(p) for p in include):
        return False
    return not any(hit(p) for p in exclude)
