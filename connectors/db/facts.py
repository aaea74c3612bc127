"""Metadata facts for the rules: the database, its tables (grants) and its PI columns.

Attribute names are a contract with the rulesets (``public_read``, ``readers``,
``minors_count``, ``birth_years``, ``oldest``/``newest``...): change them only together.
"""

from __future__ import annotations

import re
from typing import Any

from pia.connectors.db.classify import distinct_estimate
from pia.connectors.db.model import Column, Table
from pia.masking import mask

_LABEL = re.compile(r"\[class:([^\]\s]+)\]", re.I)


def database_fact(source: str, engine: str, host: str | None, database: str) -> dict[str, Any]:
    return {"kind": "database", "source": source, "location": {"database": database},
            "attributes": {"engine": engine, "host": host, "database": database}}


def table_fact(source: str, table: Table) -> dict[str, Any]:
    return {"kind": "table", "source": source, "location": table.location(),
            "attributes": {"row_estimate": table.row_estimate, "grants": table.grants,
                           "column_grants": table.column_grants,
                           "public_read": table.public_read}}


def classification_label(comment: str | None) -> str | None:
    """A classification tag in a column comment, e.g. ``[class:L3]`` → ``L3``."""
    match = _LABEL.search(comment or "")
    return match.group(1) if match else None


def column_fact(source: str, table: Table, column: Column, col: dict[str, Any] | None,
                times: tuple[str | None, str | None] | None,
                comment: str | None, holds: str | None = None) -> dict[str, Any]:
    """``comment`` is the column's comment as a report may show it (values masked); the
    classification label is read from it. ``holds`` is the entity type of a column that is
    itself PI (a birth date declared as the retention timestamp): its oldest and newest
    values are masked as that type, since a report must not quote them."""
    col = col or {}
    if times and holds:
        times = (None if times[0] is None else mask(holds, str(times[0])),
                 None if times[1] is None else mask(holds, str(times[1])))
    sketches = [ev["kmv"] for kind in ("entities", "meta", "shaped")
                for ev in col.get(kind, {}).values()]
    births = col.get("births") or {}
    dob = col.get("dob") or {}
    years = [y for b in (births, dob) for y in (b.get("min"), b.get("max")) if y is not None]
    return {
        "kind": "column", "source": source, "location": {**table.location(),
                                                         "column": column.name},
        "attributes": {
            "data_type": column.data_type,
            "comment": comment,
            "readers": column.readers,
            "public_read": column.public_read,
            "distinct_estimate": max((distinct_estimate(k) for k in sketches), default=None),
            "birth_years": {"min": min(years), "max": max(years)} if years else None,
            "minors_count": births.get("minors", 0) + dob.get("minors", 0),
            "oldest": times[0] if times else None,
            "newest": times[1] if times else None,
            "classification_label": classification_label(comment),
        },
    }
