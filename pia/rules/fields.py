"""The fields a rule's paths may name, so that the loader refuses a typo instead of running it.

A comparison on a missing value is unknown and never fires (``conditions``), so a path with a
typo (``item.entity_typo``, ``bucket.encryptoin``) would silently disable its rule: no finding
and nothing in ``not_evaluated``. The loader therefore checks every path, reference and
evidence path against the fields the evaluation context can hold.

Those fields are not listed here: they come from the schemas that define the data,
``report.schema.json`` (items, facts, locations), ``declaration.schema.json`` (assets, the
organisation, the whole declaration) and ``context.schema.json`` (each fact kind's attributes,
the connectors' contract, and what the engine computes: ``pi``, ``age``, ``policy``). An object
whose schema names its properties is closed; one that does not (a fact's ``attributes``, a
bucket's ``tags``, ``x-`` extensions) is open and anything below it is accepted.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from pia.rules.yamlsafe import schema

Schema = dict[str, Any]
OPEN: Schema = {}
STRING: Schema = {"type": "string"}
_SHOWN = 12  # known fields listed in a message


def _inline(node: Any, root: Schema, depth: int = 0) -> Any:
    """``node`` with every local ``$ref`` replaced by its target (the schemas have no cycles;
    the depth bound is a guard, not a feature)."""
    if depth > 20:
        return OPEN
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = root
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return _inline({**target, **rest}, root, depth + 1)
        return {k: _inline(v, root, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, root, depth + 1) for v in node]
    return node


def _merge(base: Schema, extra: Schema) -> Schema:
    """``base`` with the properties ``extra`` adds (recursively)."""
    out = dict(base)
    props = dict(base.get("properties", {}))
    for name, sub in extra.get("properties", {}).items():
        props[name] = _merge(props[name], sub) if name in props else sub
    out["properties"] = props
    return out


@cache
def namespaces() -> dict[str, Schema]:
    """Each top-level name of a context (``conditions.NAMESPACES`` but ``it``) → its schema."""
    report = schema("report.schema.json")
    declaration = schema("declaration.schema.json")
    context = schema("context.schema.json")

    def of(root: Schema, *path: str) -> Schema:
        node: Any = root
        for part in path:
            node = node[part]
        return _inline(node, root)

    out = {
        "item": _merge(of(report, "$defs", "item"), of(context, "$defs", "item_additions")),
        "fact": of(report, "$defs", "fact"),
        "location": of(report, "$defs", "location"),
        "asset": _merge(of(declaration, "$defs", "asset"),
                        of(context, "$defs", "asset_additions")),
        "org": of(declaration, "properties", "organisation"),
        "declaration": _inline(declaration, declaration),
        "pi": of(context, "$defs", "pi"),
        "age": of(context, "$defs", "age"),
        "policy": of(context, "$defs", "policy"),
        "scope": STRING, "source": STRING, "subject": STRING,
    }
    for kind, attributes in context["$defs"]["attributes"].items():
        out[kind] = _inline(attributes, context)
    return out


def _types(node: Schema) -> set[str] | None:
    kind = node.get("type")
    if kind is None:
        return None
    return set(kind) if isinstance(kind, list) else {kind}


def _step(node: Schema, part: str, walked: str) -> Schema | str:
    """The schema of field ``part`` of ``node``, or the reason there is none."""
    props = node.get("properties")
    if props is not None and part in props:
        return props[part]
    if part.startswith("x-") and node.get("patternProperties"):
        return OPEN
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        return extra
    types = _types(node)
    if props is not None:
        known = sorted(props)
        shown = ", ".join(known[:_SHOWN]) + (", …" if len(known) > _SHOWN else "")
        return f"unknown field {part!r} in {walked!r} (known: {shown or 'none'})"
    if types is not None and "object" not in types:
        if "array" in types:
            return f"{walked!r} is a list: reach its elements with some/every"
        return f"{walked!r} has no fields"
    return OPEN


def resolve(path: str, it: Schema | None) -> Schema | str:
    """The schema of the value a path names, or why the path names nothing. ``it`` is the
    element schema a quantifier bound (None outside one)."""
    head, *rest = path.split(".")
    if head == "it":
        if it is None:
            return "'it' is only bound inside some/every"
        node = it
    else:
        known = namespaces().get(head)
        if known is None:
            return OPEN  # an unknown namespace is reported by conditions.problems
        node = known
    walked = head
    for part in rest:
        step = _step(node, part, walked)
        if isinstance(step, str):
            return step
        node, walked = step, f"{walked}.{part}"
    return node


def element(node: Schema) -> Schema:
    """What ``it`` is when a quantifier runs over a value of this schema: a list's items, or
    ``{key, value}`` for a mapping's entries."""
    types = _types(node) or set()
    if "array" in types and isinstance(node.get("items"), dict):
        return node["items"]
    if "object" in types or "properties" in node or "additionalProperties" in node:
        value = node.get("additionalProperties")
        return {"type": "object", "properties": {
            "key": STRING, "value": value if isinstance(value, dict) else OPEN}}
    return OPEN


def problems(cond: Any, it: Schema | None = None,
             at: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Paths and references of a condition that name no known field, with where they are
    inside the ``when`` value (for line numbers)."""
    if not isinstance(cond, dict):
        return
    for key in ("all", "any"):
        for i, child in enumerate(cond.get(key, [])):
            yield from problems(child, it, (*at, key, i))
    if "not" in cond:
        yield from problems(cond["not"], it, (*at, "not"))
    for quantifier in ("some", "every"):
        if quantifier in cond:
            found = resolve(cond[quantifier], it)
            if isinstance(found, str):
                yield (*at, quantifier), f"path {cond[quantifier]!r}: {found}"
                found = OPEN
            yield from problems(cond["where"], element(found), (*at, "where"))
    if isinstance(cond.get("path"), str):
        found = resolve(cond["path"], it)
        if isinstance(found, str):
            yield (*at, "path"), f"path {cond['path']!r}: {found}"
    for op, value in cond.items():
        if isinstance(value, dict) and isinstance(value.get("ref"), str):
            found = resolve(value["ref"], it)
            if isinstance(found, str):
                yield (*at, op), f"reference {value['ref']!r}: {found}"
