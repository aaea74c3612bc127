"""The code an ``EXECUTE`` in a DO block runs, when a literal says it: the string after
it, and the strings ``||`` joins to it, with an expression between two of them read as the
name it gives (``'ALTER TABLE ' || quote_ident(t) || ' ADD COLUMN sfzh text'``: plpgsql's
way of naming a table it is given). ``pia.migrations.bodies`` reads the ``Body`` in place.
"""

from __future__ import annotations

from pia.migrations.parsed import Body
from pia.migrations.sqltext import Tok


def executed(toks: list[Tok], k: int, seen: set[int], template: bool) -> Body:
    """The code of the string at ``k`` that a DO block ``EXECUTE``s, with the strings
    ``||`` joins to it (``'ALTER TABLE u ADD COLUMN ' || 'id_number TEXT'``); between two
    of them, an expression (``' || quote_ident(t) || '``) is a name (``_joined_name``). A
    string of another kind, or an expression no string follows, ends it."""
    first, last, joints = k, toks[k], []
    while k + 2 < len(toks) and toks[k + 1].value == "||":
        after, named = k + 2, not _single_quoted(toks[k + 2])
        if named and (after := _joined_name(toks, k + 2)) is None:
            break
        joints.append((last.offset + len(last.value) - 1, toks[after].offset + 1, named))
        k = after
        last = toks[k]
        seen.add(last.offset)
    return Body(toks[first].offset + 1, last.offset + len(last.value) - 1, tuple(joints),
                template)


def _single_quoted(tok: Tok) -> bool:
    return tok.is_string and tok.value.startswith("'")


def _joined_name(toks: list[Tok], k: int) -> int | None:
    """Where the string after the expression at ``k`` starts (``quote_ident(t) || ' ADD
    ...'``), or None when no string follows it: the expression is then not part of the
    code read."""
    depth = 0
    for j in range(k, len(toks) - 1):
        depth += (toks[j].value == "(") - (toks[j].value == ")")
        if depth == 0 and toks[j].value == "||" and _single_quoted(toks[j + 1]):
            return j + 1
        if depth < 0 or toks[j].value == ";":
            return None
    return None
