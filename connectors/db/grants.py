"""Grants that reach a table's columns other than through a grant on the table itself.

A table-level grant is one ``grants`` entry of the table fact. Two other routes reach its
columns and were not reported (QA M6): a column-level grant (``GRANT SELECT (sfzh) ON kyc TO
analyst``) and a grant on a view that selects the table's columns (``GRANT SELECT ON v_kyc TO
PUBLIC``: the view runs with its owner's rights, so whoever may read the view reads those
columns). Both become ``column_grants`` entries of the table fact, ``{grantee, privilege,
columns}`` plus ``view`` (``schema.view``) for the second, so the rules that judge table grants
judge them too, against the table's PI columns (``pia.rules.access``).

A view's columns are traced to the base columns its query uses: every column it names, in its
select list or elsewhere (a ``WHERE sfzh IS NOT NULL`` reveals something of ``sfzh`` too). A
view over a view is traced through it to the base columns the inner view uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

#: a relation: (schema, name)
Relation = tuple[str, str]
#: a view's edges: the (relation, column) pairs its query uses
Uses = Mapping[Relation, set[tuple[Relation, str]]]


def column_grants(by_column: Mapping[str, Iterable[tuple[str, str]]],
                  view: str | None = None) -> list[dict[str, Any]]:
    """``{column: {(grantee, privilege)}}`` as one entry per grantee and privilege, with the
    columns it covers (sorted, for a stable report)."""
    grouped: dict[tuple[str, str], set[str]] = {}
    for column, pairs in by_column.items():
        for grantee, privilege in pairs:
            grouped.setdefault((grantee, privilege), set()).add(column)
    out = []
    for (grantee, privilege), columns in sorted(grouped.items()):
        entry: dict[str, Any] = {"grantee": grantee, "privilege": privilege,
                                 "columns": sorted(columns)}
        if view is not None:
            entry["view"] = view
        out.append(entry)
    return out


def base_columns(view: Relation, uses: Uses) -> dict[Relation, set[str]]:
    """The columns of relations that are not views which ``view`` reads, following views
    over views (a column of an inner view stands for every column the inner view uses: which
    of them it is computed from is not recorded)."""
    out: dict[Relation, set[str]] = {}
    seen = {view}
    todo = [view]
    while todo:
        for relation, column in uses.get(todo.pop(), ()):
            if relation in uses:
                if relation not in seen:
                    seen.add(relation)
                    todo.append(relation)
            else:
                out.setdefault(relation, set()).add(column)
    return out


def through_views(uses: Uses, view_grants: Mapping[Relation, Iterable[tuple[str, str]]],
                  ) -> dict[Relation, list[dict[str, Any]]]:
    """Each base table's ``column_grants`` entries through the views granted on it:
    ``view_grants`` holds each view's (grantee, privilege) pairs."""
    out: dict[Relation, list[dict[str, Any]]] = {}
    for view, pairs in sorted(view_grants.items()):
        pairs = set(pairs)
        if not pairs:
            continue
        name = f"{view[0]}.{view[1]}"
        for table, columns in sorted(base_columns(view, uses).items()):
            out.setdefault(table, []).extend(
                column_grants({c: pairs for c in columns}, view=name))
    return out


_NAME = r"`((?:[^`]|``)+)`"
#: a run of backquoted names joined by dots, and a backquoted alias after it
_REF = re.compile(rf"{_NAME}\.{_NAME}(?:\.{_NAME})?(?:\s+{_NAME}(?!\s*\.))?")


def _name(text: str | None) -> str:
    return (text or "").replace("``", "`")


def mysql_view_uses(definition: str, schema: str,
                    relations: set[Relation]) -> set[tuple[Relation, str]]:
    """The (relation, column) pairs a MySQL/MariaDB view's stored definition names. The
    server stores it with every name backquoted and every column qualified, by its table
    (``test``.``kyc``.``sfzh``, MySQL) or by the table's name or alias in the FROM clause
    (``t``.``sfzh`` with ``from test.kyc t``, MariaDB). Columns of a derived table or of a
    relation the scan does not know (``relations``) are not traced."""
    aliases: dict[str, Relation] = {}
    refs: list[tuple[str, str, str | None]] = []
    for m in _REF.finditer(definition):
        first, second, third, alias = (_name(m.group(i)) if m.group(i) is not None else None
                                       for i in range(1, 5))
        if third is not None:
            refs.append((first or "", second or "", third))
        elif (first, second) in relations:
            relation = (first or "", second or "")
            aliases[alias or relation[1]] = relation
        else:
            refs.append(("", first or "", second))
    out = set()
    for owner, qualifier, column in refs:
        relation = (owner, qualifier) if owner else aliases.get(qualifier)
        if relation is None and (schema, qualifier) in relations:
            relation = (schema, qualifier)
        if relation is not None and relation in relations and column is not None:
            out.add((relation, column))
    return out
