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

A column grant on a view (``GRANT SELECT (tel) ON v_contact TO analyst``) reaches the base
columns those view columns are computed from (their ``Lineage``), through views over views
column by column; a view column whose lineage is not known stands for every column the view
reads, as a grant on the whole view does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

#: a relation: (schema, name)
Relation = tuple[str, str]
#: a view's edges: the (relation, column) pairs its query uses
Uses = Mapping[Relation, set[tuple[Relation, str]]]
#: a view's columns → the (relation, column) pairs each is computed from; a column missing
#: (or None) could not be followed
Lineage = Mapping[Relation, Mapping[str, set[tuple[Relation, str]] | None]]
#: grantee and privilege
Pair = tuple[str, str]


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


def column_bases(view: Relation, column: str, uses: Uses,
                 lineage: Lineage) -> dict[Relation, set[str]]:
    """The columns of relations that are not views which ``column`` of ``view`` is computed
    from, following views over views column by column; where a column's lineage is not
    known, every column its view reads (``base_columns``)."""
    out: dict[Relation, set[str]] = {}
    seen: set[tuple[Relation, str]] = set()
    todo = [(view, column)]
    while todo:
        here = todo.pop()
        if here in seen:
            continue
        seen.add(here)
        sources = lineage.get(here[0], {}).get(here[1])
        if sources is None:
            for table, columns in base_columns(here[0], uses).items():
                out.setdefault(table, set()).update(columns)
            continue
        for relation, name in sources:
            if relation in uses:
                todo.append((relation, name))
            else:
                out.setdefault(relation, set()).add(name)
    return out


def through_views(uses: Uses, view_grants: Mapping[Relation, Iterable[Pair]],
                  lineage: Lineage | None = None,
                  view_column_grants: Mapping[Relation, Mapping[str, Iterable[Pair]]]
                  | None = None) -> dict[Relation, list[dict[str, Any]]]:
    """Each base table's ``column_grants`` entries through the views granted on it:
    ``view_grants`` holds each view's (grantee, privilege) pairs, ``view_column_grants``
    those of each of its columns (traced by ``lineage``)."""
    out: dict[Relation, list[dict[str, Any]]] = {}
    for view, pairs in sorted(view_grants.items()):
        pairs = set(pairs)
        if not pairs:
            continue
        name = f"{view[0]}.{view[1]}"
        for table, columns in sorted(base_columns(view, uses).items()):
            out.setdefault(table, []).extend(
                column_grants({c: pairs for c in columns}, view=name))
    for view, by_column in sorted((view_column_grants or {}).items()):
        reached: dict[Relation, dict[str, set[Pair]]] = {}
        for column, pairs in by_column.items():
            for table, columns in column_bases(view, column, uses, lineage or {}).items():
                for base in columns:
                    reached.setdefault(table, {}).setdefault(base, set()).update(pairs)
        for table, by_base in sorted(reached.items()):
            out.setdefault(table, []).extend(
                column_grants(by_base, view=f"{view[0]}.{view[1]}"))
    return out


_NAME = r"`((?:[^`]|``)+)`"
#: a run of backquoted names joined by dots, and a backquoted alias after it
_REF = re.compile(rf"{_NAME}\.{_NAME}(?:\.{_NAME})?(?:\s+{_NAME}(?!\s*\.))?")


def _name(text: str | None) -> str:
    return (text or "").replace("``", "`")


def _refs(text: str, relations: set[Relation],
          ) -> tuple[dict[str, Relation], list[tuple[str, str, str | None]]]:
    """The FROM clause's relations by alias (or bare name), and the column references, of
    a stored MySQL/MariaDB view definition or a piece of one."""
    aliases: dict[str, Relation] = {}
    refs: list[tuple[str, str, str | None]] = []
    for m in _REF.finditer(text):
        first, second, third, alias = (_name(m.group(i)) if m.group(i) is not None else None
                                       for i in range(1, 5))
        if third is not None:
            refs.append((first or "", second or "", third))
        elif (first, second) in relations:
            relation = (first or "", second or "")
            aliases[alias or relation[1]] = relation
        else:
            refs.append(("", first or "", second))
    return aliases, refs


def _resolved(refs: list[tuple[str, str, str | None]], aliases: dict[str, Relation],
              schema: str, relations: set[Relation]) -> set[tuple[Relation, str]]:
    out = set()
    for owner, qualifier, column in refs:
        relation = (owner, qualifier) if owner else aliases.get(qualifier)
        if relation is None and (schema, qualifier) in relations:
            relation = (schema, qualifier)
        if relation is not None and relation in relations and column is not None:
            out.add((relation, column))
    return out


def mysql_view_uses(definition: str, schema: str,
                    relations: set[Relation]) -> set[tuple[Relation, str]]:
    """The (relation, column) pairs a MySQL/MariaDB view's stored definition names. The
    server stores it with every name backquoted and every column qualified, by its table
    (``test``.``kyc``.``sfzh``, MySQL) or by the table's name or alias in the FROM clause
    (``t``.``sfzh`` with ``from test.kyc t``, MariaDB). Columns of a derived table or of a
    relation the scan does not know (``relations``) are not traced."""
    aliases, refs = _refs(definition, relations)
    return _resolved(refs, aliases, schema, relations)


#: a quoted name or string, with its doubled or backslash-escaped quotes
_QUOTED = re.compile(r"`(?:[^`]|``)*`|'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.|\"\")*\"", re.S)
_SELECT = re.compile(r"\s*select\s+(?:(?:distinct|distinctrow|all|straight_join|high_priority"
                     r"|sql_\w+)\s+)*", re.I)
_ALIAS = re.compile(r"\s+AS\s+(_+)\s*$", re.I)


def _masked(text: str) -> str:
    """``text`` with what is quoted, and what is inside brackets, overwritten by ``_`` (the
    same length): its commas and words are then the statement's own, at its top level."""
    out = list(_QUOTED.sub(lambda m: "_" * len(m.group(0)), text))
    depth = 0
    for i, char in enumerate(out):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
            out[i] = "_" if depth else char
        if depth:
            out[i] = "_"
    return "".join(out)


def mysql_view_columns(definition: str, schema: str,
                       relations: set[Relation]) -> dict[str, set[tuple[Relation, str]] | None]:
    """Each column of a MySQL/MariaDB view → the (relation, column) pairs its stored
    definition computes it from: the server stores one ``expression AS `name``` per column.
    Empty (nothing known: every column stands for what the whole view reads) for a union,
    or a definition not read so."""
    masked = _masked(definition)
    start = _SELECT.match(masked)
    if start is None or re.search(r"\s(?:union|except|intersect)\s", masked, re.I):
        return {}
    end = re.search(r"\sfrom\s", masked[start.end():], re.I)
    stop = start.end() + end.start() if end else len(masked)
    aliases, _refs_all = _refs(definition, relations)
    out: dict[str, set[tuple[Relation, str]] | None] = {}
    at = start.end()
    for piece in masked[start.end():stop].split(","):
        item, shown = definition[at:at + len(piece)], piece
        at += len(piece) + 1
        alias = _ALIAS.search(shown)
        if alias is None:
            return {}
        name = item[alias.start(1):alias.end(1)]
        expression = item[:alias.start()]
        out[_name(name[1:-1])] = _resolved(_refs(expression, relations)[1], aliases, schema,
                                           relations)
    return out
