"""The condition language: data, not code, evaluated with three-valued logic.

A condition is one of

- a named predicate, written as a bare string (``sensitive``, ``declared``...; see
  ``pia.rules.predicates.PREDICATES``);
- ``{all: [...]}``, ``{any: [...]}``, ``{not: c}``;
- ``{some: PATH, where: c}`` / ``{every: PATH, where: c}`` over a list, with ``it`` bound to
  each element;
- a comparison ``{path: PATH, OP: VALUE}`` with OP one of eq, ne, lt, le, gt, ge, in, not_in,
  contains, glob (case-insensitive shell patterns), empty, exists. VALUE may be ``{ref: PATH}``.

Facts come from connectors that may not know everything (an access-denied bucket has no
encryption setting). A missing value is *unknown*, not false: comparisons on it are unknown,
``not`` of unknown stays unknown, and a rule fires only when its condition is definitely true.
So a rule never guesses from missing data. Only ``exists`` answers a definite yes/no.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator
from typing import Any

Truth = bool | None  # None: unknown


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

#: Top-level names a path may start with; the engine fills them per subject.
NAMESPACES = frozenset({
    "item", "fact", "asset", "org", "policy", "age", "pi", "declaration", "scope", "source",
    "location", "it", "database", "table", "column", "file", "log_dir", "bucket", "object",
    "migration", "subject",
})

#: how an error says a path's first name is none of ``NAMESPACES`` (and which are)
UNKNOWN_NAME = f"starts with an unknown name (known: {', '.join(sorted(NAMESPACES))})"

#: where a context collects why a predicate could not answer (a list of (what, hint) the
#: engine puts in each context; no rule path can name it): an unknown that would otherwise
#: pass in silence, as a self-hosted bucket's region did for the localisation rules
UNDECIDED = "_undecided"


def note_undecided(ctx: dict[str, Any], what: str, hint: str) -> None:
    """Say why a predicate answers unknown, and how the user can let it decide."""
    notes = ctx.get(UNDECIDED)
    if isinstance(notes, list):
        notes.append((what, hint))


COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "contains", "glob", "empty",
               "exists")


def resolve(ctx: dict[str, Any], path: str) -> Any:
    """Follow a dotted path through dicts; MISSING when any step is absent."""
    value: Any = ctx
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return MISSING
    return value


def all3(values: Iterator[Truth]) -> Truth:
    result: Truth = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def any3(values: Iterator[Truth]) -> Truth:
    result: Truth = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


def _order(op: str, left: Any, right: Any) -> Truth:
    numbers = (int, float)
    if isinstance(left, bool) or isinstance(right, bool):
        return None
    if not (isinstance(left, numbers) and isinstance(right, numbers)) and not (
        isinstance(left, str) and isinstance(right, str)
    ):
        return None
    return {"lt": left < right, "le": left <= right, "gt": left > right, "ge": left >= right}[op]


def _compare(op: str, left: Any, right: Any) -> Truth:
    if op == "exists":
        return (left is not MISSING) == bool(right)
    if left is MISSING or right is MISSING:
        return None
    if op == "empty":
        return (left in (None, "") or left == [] or left == {}) == bool(right)
    if op in ("eq", "ne"):
        same = left == right and isinstance(left, bool) == isinstance(right, bool)  # 1 ≠ true
        return same if op == "eq" else not same
    if op in ("lt", "le", "gt", "ge"):
        return None if left is None or right is None else _order(op, left, right)
    if op in ("in", "not_in"):
        if not isinstance(right, list):
            return None
        found = left in right
        return found if op == "in" else not found
    if op == "contains":
        if isinstance(left, list | dict):
            try:
                return right in left
            except TypeError:  # an unhashable value asked of a dict's keys
                return None
        if isinstance(left, str) and isinstance(right, str):
            return right in left
        return None
    if op == "glob":
        if not isinstance(left, str):
            return None
        return any(fnmatch.fnmatchcase(left.lower(), p.lower()) for p in right)
    raise ValueError(f"unknown comparison {op}")


Predicate = Callable[[dict[str, Any]], Truth]


#: list elements the quantifiers of one condition may visit, for one subject. A ruleset may
#: come from a bundle nobody trusts: quantifiers nested over long lists (a file's line
#: numbers) multiply, and depth 7 ran for minutes. Real rules visit a few hundred.
MAX_VISITS = 1_000_000
#: how deep quantifiers may nest (``some`` inside ``every``...); real rules use one
MAX_QUANTIFIER_DEPTH = 3


class TooCostly(ValueError):
    """A condition's quantifiers would visit more than ``MAX_VISITS`` elements."""


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_VISITS

    def spend(self, visits: int) -> None:
        self.left -= visits
        if self.left < 0:
            raise TooCostly(f"its quantifiers visit more than {MAX_VISITS:,} elements")


def evaluate(cond: Any, ctx: dict[str, Any], predicates: dict[str, Predicate],
             budget: _Budget | None = None) -> Truth:
    """Evaluate a validated condition against a context (namespace → data); raises
    ``TooCostly`` past ``MAX_VISITS``."""
    budget = budget or _Budget()
    if isinstance(cond, str):
        return predicates[cond](ctx)
    if "all" in cond:
        return all3(evaluate(c, ctx, predicates, budget) for c in cond["all"])
    if "any" in cond:
        return any3(evaluate(c, ctx, predicates, budget) for c in cond["any"])
    if "not" in cond:
        inner = evaluate(cond["not"], ctx, predicates, budget)
        return None if inner is None else not inner
    for quantifier in ("some", "every"):
        if quantifier in cond:
            values = resolve(ctx, cond[quantifier])
            if not isinstance(values, list | dict):
                return None
            elements = list(values.items()) if isinstance(values, dict) else values
            budget.spend(len(elements))
            results = (evaluate(cond["where"], {**ctx, "it": _element(e)}, predicates, budget)
                       for e in elements)
            return any3(results) if quantifier == "some" else all3(results)
    op = next(k for k in cond if k != "path")
    right = cond[op]
    if isinstance(right, dict):
        right = resolve(ctx, right["ref"])
    return _compare(op, resolve(ctx, cond["path"]), right)


def _element(element: Any) -> Any:
    """Dict entries iterate as ``{key, value}`` so tags and grants read alike."""
    if isinstance(element, tuple):
        return {"key": element[0], "value": element[1]}
    return element


def walk(cond: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every sub-condition with its path inside the ``when`` value (for line numbers)."""
    yield path, cond
    if isinstance(cond, dict):
        for key in ("all", "any"):
            for i, child in enumerate(cond.get(key, [])):
                yield from walk(child, (*path, key, i))
        if "not" in cond:
            yield from walk(cond["not"], (*path, "not"))
        if "where" in cond:
            yield from walk(cond["where"], (*path, "where"))


def problems(cond: Any, predicates: dict[str, Predicate]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Static checks the schema cannot express: predicate names, path namespaces, how deep
    quantifiers nest, and comparisons that can never hold (``never_holds``)."""
    for path, node in walk(cond):
        quantifier = isinstance(node, dict) and ("some" in node or "every" in node)
        if quantifier and sum(key == "where" for key in path) >= MAX_QUANTIFIER_DEPTH:
            yield path, f"quantifiers nested deeper than {MAX_QUANTIFIER_DEPTH}"
            continue
        if isinstance(node, str):
            if node not in predicates:
                yield path, f"unknown predicate {node!r}"
            continue
        for key in ("path", "some", "every"):
            if key in node and node[key].split(".")[0] not in NAMESPACES:
                yield (*path, key), f"path {node[key]!r} {UNKNOWN_NAME}"
        for op in COMPARISONS:
            value = node.get(op)
            if isinstance(value, dict) and value["ref"].split(".")[0] not in NAMESPACES:
                yield (*path, op), f"reference {value['ref']!r} {UNKNOWN_NAME}"
            elif op in node and not isinstance(value, dict):
                reason = never_holds(op, value)
                if reason:
                    yield (*path, op), reason


def _quoted_number(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


def never_holds(op: str, value: Any) -> str | None:
    """Why a comparison with this literal value can never be true, whatever the data (the
    rule would be silently dead: every subject unknown, no finding), or None. The value is
    not quoted back: a ruleset is user text and could hold PI."""
    if op in ("in", "not_in") and not isinstance(value, list):
        return f"{op} takes a list of values (write {op}: [...]); a single value never matches"
    dead = isinstance(value, bool) or value is None or isinstance(value, list | dict)
    if op in ("lt", "le", "gt", "ge") and dead:
        return f"{op} compares with a number or a text, not {_kind(value)}"
    return None


def mismatch(op: str, value: Any, types: set[str] | None) -> str | None:
    """Why comparing a field of these JSON-schema ``types`` (None: not known) with a literal
    can never hold, as ``_compare`` evaluates it: a number against text (``gt: "0"`` on a
    count) is unknown, never true, and ``ne`` of them always true."""
    if op not in ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in"):
        return None
    values = value if op in ("in", "not_in") and isinstance(value, list) else [value]
    kinds = (types or set()) - {"null"}
    numeric = bool(kinds) and kinds <= {"integer", "number"}
    textual = kinds == {"string"}
    for one in values:
        if numeric and isinstance(one, str):
            return (f"{op} compares a number with a text (quoted): it never holds; write the "
                    "number without quotes")
        if textual and isinstance(one, int | float) and not isinstance(one, bool):
            return (f"{op} compares a text with a number: it never holds; quote the value")
        if not kinds and op in ("lt", "le", "gt", "ge") and _quoted_number(one):
            return (f"{op} has a quoted number, which orders only among texts, never with a "
                    "count or a share: write the number without quotes")
    return None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a list" if isinstance(value, list) else "a mapping"
