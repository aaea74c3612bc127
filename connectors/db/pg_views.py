"""Which base columns each column of a PostgreSQL view is computed from.

A column grant on a view (``GRANT SELECT (tel) ON v_contact TO analyst``) lets its grantee
read those view columns only, and so only the table columns they are computed from: not every
column the view's query names (``pg_depend`` records the view's uses as a whole, not per
column). The catalogue keeps the view's query as a parse tree (``pg_rewrite.ev_action``, a
``pg_node_tree``); its target list says what each view column is: the columns (``VAR``) of its
expression, each resolved through the query's range table to a relation and attribute, through
joins and subqueries in FROM to the relations below them.

What cannot be followed (a set operation, a subquery in the select list, a CTE, a whole-row
reference, a column of an outer query) is ``None``: the caller then takes every column the view
reads, the safe mistake for an audit of who may read PI.
"""

from __future__ import annotations

import re
from typing import Any

from pia.connectors.db.grants import Relation

#: one token of a node tree: a bracket, or a run of anything else (backslash escapes a
#: character, ``\ `` a space in a name)
_TOKEN = re.compile(r"[(){}]|(?:\\.|[^\s(){}\\])+", re.S)
_ESCAPE = re.compile(r"\\(.)", re.S)
#: range table entry kinds (``RTEKind``): a relation, a subquery in FROM, a join
_RELATION, _SUBQUERY, _JOIN = "0", "1", "2"

#: an attribute of a relation: (pg_class oid, attnum)
Attribute = tuple[int, int]


def parse_node_tree(text: str) -> Any:
    """A ``pg_node_tree`` as Python values: a node ``{NAME :field value ...}`` is a dict
    (``"node"`` its name, ``:field`` keys), a list ``( ... )`` a list, ``<>`` None, anything
    else its token's text (a field's value of several tokens, a Datum's bytes, a list)."""
    raw = _TOKEN.findall(text)
    tokens = [_ESCAPE.sub(r"\1", t) for t in raw]
    value, _end = _value(tokens, raw, 0)
    return value


def _value(tokens: list[str], raw: list[str], i: int) -> tuple[Any, int]:
    token = tokens[i]
    if token == "{":
        node: dict[str, Any] = {"node": tokens[i + 1]}
        i += 2
        while tokens[i] != "}":
            field = tokens[i]
            i += 1
            parts = []
            while raw[i] != "}" and not raw[i].startswith(":"):
                part, i = _value(tokens, raw, i)
                parts.append(part)
            node[field] = parts[0] if len(parts) == 1 else parts or None
        return node, i + 1
    if token == "(":
        items = []
        i += 1
        while tokens[i] != ")":
            item, i = _value(tokens, raw, i)
            items.append(item)
        return items, i + 1
    return (None if raw[i] == "<>" else token), i + 1


def view_column_sources(tree: Any) -> dict[int, set[Attribute] | None]:
    """Each column of a view (its ``_RETURN`` rule's parse tree), by its attnum (a target
    entry's ``resno``: its name is a token a ``:`` may begin, which no reader can tell from a
    field's) → the attributes it is computed from (none for a constant), None where that
    cannot be followed."""
    query = tree[0] if isinstance(tree, list) and tree else tree
    if not _is_node(query, "QUERY"):
        return {}
    out: dict[int, set[Attribute] | None] = {}
    for entry in query.get(":targetList") or []:
        if not _is_node(entry, "TARGETENTRY") or entry.get(":resjunk") == "true":
            continue
        try:
            attnum = int(entry[":resno"])
        except (KeyError, TypeError, ValueError):
            continue
        out[attnum] = (None if query.get(":setOperations") is not None
                       else _sources(entry.get(":expr"), query))
    return out


def _is_node(value: Any, name: str) -> bool:
    return isinstance(value, dict) and value.get("node") == name


def _sources(expr: Any, query: dict[str, Any]) -> set[Attribute] | None:
    """The attributes the columns (``VAR``) in ``expr`` stand for, in ``query``'s range
    table; None at anything this does not follow."""
    out: set[Attribute] = set()
    todo = [expr]
    while todo:
        value = todo.pop()
        if isinstance(value, list):
            todo.extend(value)
        elif isinstance(value, dict):
            if value["node"] in ("SUBLINK", "QUERY"):
                return None
            if value["node"] != "VAR":
                todo.extend(v for k, v in value.items() if k != "node")
                continue
            found = _var(value, query)
            if found is None:
                return None
            out |= found
    return out


def _var(var: dict[str, Any], query: dict[str, Any]) -> set[Attribute] | None:
    try:
        varno, attno = int(var[":varno"]), int(var[":varattno"])
        table = query[":rtable"] or []
        entry = table[varno - 1] if 0 < varno <= len(table) else None
    except (KeyError, TypeError, ValueError):
        return None
    if var.get(":varlevelsup") != "0" or attno <= 0 or not isinstance(entry, dict):
        return None
    kind = entry.get(":rtekind")
    if kind == _RELATION:
        return {(int(entry[":relid"]), attno)}
    if kind == _JOIN:
        aliases = entry.get(":joinaliasvars") or []
        return _sources(aliases[attno - 1], query) if attno <= len(aliases) else None
    if kind == _SUBQUERY and _is_node(entry.get(":subquery"), "QUERY"):
        inner = entry[":subquery"]
        if inner.get(":setOperations") is not None:
            return None
        entries = [e for e in inner.get(":targetList") or [] if _is_node(e, "TARGETENTRY")]
        return _sources(entries[attno - 1].get(":expr"), inner) if attno <= len(entries) else None
    return None


#: the query tree of each view of ``%s`` (a table has none)
_RULES = """
SELECT ev_class, ev_action::text FROM pg_rewrite
WHERE ev_class = ANY(%s) AND rulename = '_RETURN'
"""
_ATTRIBUTES = """
SELECT c.oid, n.nspname, c.relname, a.attnum, a.attname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.oid = ANY(%s)
"""

def view_lineage(cur: Any, views: set[int],
                 ) -> dict[Relation, dict[str, set[tuple[Relation, str]] | None]]:
    """``db.grants.Lineage`` of ``views`` (oids) and of the views they read, column by
    column, by name. A tree this does not read leaves its view's columns unknown."""
    sources: dict[int, dict[int, set[Attribute] | None]] = {}
    asked: set[int] = set()
    todo = set(views)
    while todo:
        asked |= todo
        for oid, text in cur.execute(_RULES, (sorted(todo),)).fetchall():
            try:
                sources[oid] = view_column_sources(parse_node_tree(text))
            except (IndexError, KeyError, ValueError):
                sources[oid] = {}
        todo = {oid for by_column in sources.values() for found in by_column.values()
                for oid, _attnum in found or ()} - asked
    names: dict[Attribute, tuple[Relation, str]] = {}
    for oid, schema, relation, attnum, column in cur.execute(_ATTRIBUTES, (sorted(asked),)):
        names[(oid, attnum)] = ((schema, relation), column)
    out: dict[Relation, dict[str, set[tuple[Relation, str]] | None]] = {}
    for oid, by_attnum in sources.items():
        for attnum, found in by_attnum.items():
            if (oid, attnum) not in names:
                continue
            view, column = names[(oid, attnum)]
            out.setdefault(view, {})[column] = (
                None if found is None else {names[a] for a in found if a in names})
    return out
