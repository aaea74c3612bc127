"""The scalar leaves of a parsed JSON document, each with the object keys that lead to it.

Two readers look in JSON for what its keys say: a JSON log line (``files.structured``: each
leaf goes to the engine after its key) and a JSON column (``db.json_keys``: each leaf is
classified by its key). They walk a document alike, in document order, with list positions
no part of the way to a leaf, and no deeper than a limit; they differ only in which leaves
they keep and how they write them, so the walk is here once and each reader keeps its own.

The walk keeps its own stack: anyone who can put a string into a log can write a document
nested a thousand deep, which recursion would overflow. What stands past the limit is
handed back unread, for the reader to pass over (a column's keys) or to give up on the
whole document (a log line, then read as plain text). The walk is lazy: once a reader has
as many leaves as it keeps, the rest of the document is never walked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

#: a leaf: (keys, key, value, named, too_deep).
#: ``key``: the last object key on the way to it ("" at the top; a list's items take the
#: list's); ``keys``: the keys of the objects that hold it, outermost first, the top one's
#: left out (an object in a list takes the list's); ``value``: a scalar (string, number,
#: boolean, null), or past the limit whatever stands there, unread, or (when asked for) the
#: object or list a key holds, before its own leaves; ``named``: ``value`` is
#: ``key``'s own, not an item of a list under it; ``too_deep``: past the limit.
#: Plain tuples, and ``keys`` shared by siblings: a log's lines are walked by the million
Leaf = tuple[tuple[str, ...], str, Any, bool, bool]


def leaves(doc: Any, max_depth: int, keys_of_containers: bool = False) -> Iterator[Leaf]:
    """The leaves of ``doc`` in document order: its scalars, and each value that stands
    deeper than ``max_depth`` (the root stands at 0), unread (``too_deep``).

    With ``keys_of_containers``, an object's key that holds an object or a list is also
    handed out, as a leaf whose value is that container (``named``), before what it holds:
    such a key is often data, not a name (a session cache keyed by mobile number,
    ``{"13812345678": {...}}``), and a reader that searches keys for values must see it."""
    if max_depth < 0 or not isinstance(doc, dict | list):
        yield (), "", doc, False, max_depth < 0
        return
    # each open container: its items still to walk, the keys above them, the key of a
    # list's items, whether the items are an object's, and the items' depth
    stack: list[tuple[Iterator[Any], tuple[str, ...], str, bool, int]] = [
        (iter(doc.items()), (), "", True, 1) if isinstance(doc, dict)
        else (iter(doc), (), "", False, 1)]
    # a log's lines are walked by the million: the loop checks each value's type once
    # (``isinstance`` with one class, not a union), and an object's keys, mostly strings
    # already, are converted only when they are not
    while stack:
        items, keys, key, named, depth = stack[-1]
        deep = depth > max_depth
        for item in items:
            if named:
                key, value = item
                if type(key) is not str:
                    key = str(key)
            else:
                value = item
            if deep:
                yield keys, key, value, named, True
            elif isinstance(value, dict):
                if keys_of_containers and named:
                    yield keys, key, value, True, False
                stack.append((iter(value.items()), (*keys, key), "", True, depth + 1))
                break
            elif isinstance(value, list):
                if keys_of_containers and named:
                    yield keys, key, value, True, False
                stack.append((iter(value), keys, key, False, depth + 1))
                break
            else:
                yield keys, key, value, named, False
        else:
            stack.pop()
