"""Who may reach a table's PI columns, by any route its fact records (``pi.grants``).

A table fact lists grants on the table (``grants``: every column) and grants that reach only
some columns (``column_grants``: column grants, grants on views over the table or on some of
their columns; see ``pia.connectors.db.grants``). Whether a grant exposes PI depends on which
columns hold PI, which only the inventory knows: a column grant of ``id`` and ``created_at``
to an analyst exposes nothing, one of ``sfzh`` does. So the rules judge ``pi.grants``, each
grant that reaches a PI column, naming the PI columns it reaches (and the view it goes
through), never values.
"""

from __future__ import annotations

from typing import Any

from pia.entities import NOT_PERSONAL


def pi_columns(items: list[dict[str, Any]]) -> list[str]:
    """The columns of a table's inventory items that hold PI."""
    return sorted({str(i["location"]["column"]) for i in items
                   if i.get("entity_type") not in NOT_PERSONAL
                   and i["location"].get("column") is not None})


def pi_grants(table: dict[str, Any], columns: list[str]) -> list[dict[str, Any]] | None:
    """The table's grants that reach any of ``columns`` (its PI columns), each as
    ``{grantee, privilege, columns}`` (plus ``view`` when through one); None when the fact
    records no grants (unknown, not none). A grant on the table reaches whatever PI it holds,
    whether or not the inventory names its columns."""
    grants = table.get("grants")
    if not isinstance(grants, list):
        return None
    wanted = set(columns)
    out = [{"grantee": g.get("grantee"), "privilege": g.get("privilege"), "columns": columns}
           for g in grants if isinstance(g, dict)]
    for grant in table.get("column_grants") or []:
        if not isinstance(grant, dict):
            continue
        reached = sorted(wanted.intersection(grant.get("columns") or []))
        if reached:
            out.append({**grant, "columns": reached})
    return out
