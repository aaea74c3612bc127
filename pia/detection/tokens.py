"""Token patterns: where Hyperscan's span already is the regex's match, without ``re.match``.

Confirming a span costs one anchored ``re.match`` (about half a microsecond): a fifth of the
engine's time on dense logs. For one shape of pattern the match can be read off Hyperscan's
report instead, and this module recognises that shape from the regex's parse tree:

    (?<![X])  (?<!refusal)*  BODY  (?![X])

* ``X`` is a class of ASCII characters without the newline; ``BODY`` is built from ASCII
  literals and ASCII classes (groups, alternatives, greedy repeats) and every character it
  can match lies in ``X``. A match is then a whole run of ``X`` characters, one
  ``[0-9A-Za-z]`` "token": it starts where the run starts (the guard), ends where it ends
  (the other guard), and there is at most one per run, so runs never overlap;
* each refusal is a fixed sequence of ASCII literals or classes (``(?<![0-9]\\.)``);
* Hyperscan runs ``(?:^|[^X])BODY(?:[^X]|$)`` exactly (not widened): BODY's syntax means the
  same to both engines (ASCII only, no ``\\d``-style escapes, no ``{,n}``), so its language is
  the regex's with the refusals left out, and each run that matches is reported.

A report (start, end) then carries at most one consumed guard character at each side. The
byte at ``start`` tells which: in ``X`` means BODY starts there (``^``), anything else is the
guard (a multi-byte character's lead byte is no ASCII member either); likewise the byte before
``end``. The refusals are read off the bytes before the body, and a refused report is no
match at all: it is dropped, as ``finditer`` finds nothing there. Every other report is the
run ``finditer`` would find, so the engine needs no ``re.match`` and no fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from re import _parser as sre_parse  # the parser ``re`` itself uses, for the exact tree

import numpy as np

_ASSERT_NOT = sre_parse.ASSERT_NOT
_IN, _LITERAL, _RANGE = sre_parse.IN, sre_parse.LITERAL, sre_parse.RANGE
_MAX_REPEAT, _SUBPATTERN, _BRANCH = sre_parse.MAX_REPEAT, sre_parse.SUBPATTERN, sre_parse.BRANCH
#: flags under which BODY could mean something else to Hyperscan
_UNSAFE_FLAGS = re.IGNORECASE | re.VERBOSE | re.LOCALE
#: an escape that is not a punctuation character (``\\d``, ``\\x41``, ``\\101``, ``\\u0041``)
_WORD_ESCAPE = re.compile(r"\\[0-9A-Za-z]")


@dataclass(frozen=True, eq=False)
class TokenShape:
    """How to read a token pattern's match off a Hyperscan report (byte tables, 256 each)."""

    guard: np.ndarray  # bytes of the class X
    refusals: tuple[tuple[np.ndarray, ...], ...]  # per refusal, one table per character


def token_shape(regex: str, flags: int, hyperscan_expression: str,
                body_text: str) -> TokenShape | None:
    """The shape of ``regex`` if it is a token pattern that Hyperscan runs as
    ``hyperscan_expression`` (``to_hyperscan`` then ``drop_lookarounds``), else None.
    ``body_text`` is ``regex`` without its lookarounds (``drop_lookarounds``)."""
    if flags & _UNSAFE_FLAGS or "{," in regex or "[:" in regex or _WORD_ESCAPE.search(regex):
        return None
    try:
        tree = sre_parse.parse(regex, flags)
    except re.error:  # pragma: no cover - the recognizer compiled it
        return None
    if tree.state.flags & _UNSAFE_FLAGS:  # inline (?i) and the like
        return None
    items = list(tree)
    if len(items) < 3 or not _is_assertion(items[0], -1) or not _is_assertion(items[-1], 1):
        return None
    guard = _single_class(items[0][1][1])
    if guard is None or guard != _single_class(items[-1][1][1]) or 10 in guard:
        return None
    refusals: list[tuple[np.ndarray, ...]] = []
    position = 1
    while _is_assertion(items[position], -1):
        sequence = [_single_class([item]) for item in items[position][1][1]]
        if not sequence or any(chars is None for chars in sequence):
            return None
        refusals.append(tuple(_table(chars) for chars in sequence if chars is not None))
        position += 1
    body = items[position:-1]
    alphabet = _alphabet(body)
    if not body or alphabet is None or not alphabet <= guard:
        return None
    if sre_parse.SubPattern(tree.state, body).getwidth()[0] < 1:
        return None
    guard_text = _guard_text(regex)
    if guard_text is None or hyperscan_expression != (
            "(?:^|[^" + guard_text + "])" + body_text + "(?:[^" + guard_text + "]|$)"):
        return None
    return TokenShape(_table(guard), tuple(refusals))


class TokenReader:
    """Reads the matches of all token patterns off a scan's reports at once (numpy columns:
    a loop per pattern cost more than the ``re.match`` calls it saves)."""

    def __init__(self, shapes: list[TokenShape | None]) -> None:
        #: one row per pattern id (and one for every other id): its guard class as bytes
        self._guards = np.zeros((len(shapes) + 1, 256), dtype=bool)
        self._is_token = np.zeros(len(shapes) + 1, dtype=bool)
        #: patterns with the same refusals, together: (pattern ids, refusals)
        groups: dict[tuple, tuple[list[int], tuple[tuple[np.ndarray, ...], ...]]] = {}
        for index, shape in enumerate(shapes):
            if shape is None:
                continue
            self._guards[index] = shape.guard
            self._is_token[index] = True
            if shape.refusals:
                key = tuple(tuple(table.tobytes() for table in refusal)
                            for refusal in shape.refusals)
                groups.setdefault(key, ([], shape.refusals))[0].append(index)
        self._refusals = [(np.array(ids, dtype=np.int64), refusals)
                          for ids, refusals in groups.values()]

    @property
    def has_tokens(self) -> bool:
        return bool(self._is_token.any())

    def read(self, data: np.ndarray, ids: np.ndarray, starts: np.ndarray, ends: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        """For reports (pattern ids, byte offsets into ``data``; other ids are words): the
        token patterns' rows, whether each consumed a leading and a trailing guard (one
        character each), and which rows stand (all but the refused); None if no token."""
        pattern_ids = np.minimum(ids, len(self._is_token) - 1)
        rows = np.flatnonzero(self._is_token[pattern_ids])
        if not len(rows):
            return None
        token_ids, first, last = ids[rows], starts[rows], ends[rows]
        leading = ~self._guards[token_ids, data[first]]
        trailing = ~self._guards[token_ids, data[last - 1]]
        stand = np.ones(len(ids), dtype=bool)
        for group_ids, refusals in self._refusals:
            mine = np.flatnonzero(np.isin(token_ids, group_ids))
            # a byte after an ASCII guard; after any other, no ASCII refusal can hold
            refused = _refused(data, first[mine] + leading[mine], refusals)
            stand[rows[mine[refused]]] = False
        return rows, leading, trailing, stand


def _refused(data: np.ndarray, body_starts: np.ndarray,
             refusals: tuple[tuple[np.ndarray, ...], ...]) -> np.ndarray:
    """Whether one of the refusals holds just before each body start (byte offsets)."""
    refused = np.zeros(len(body_starts), dtype=bool)
    for sequence in refusals:
        width = len(sequence)
        holds = body_starts >= width
        for back, table in enumerate(sequence):
            holds &= table[data[np.where(holds, body_starts - width + back, 0)]]
        refused |= holds
    return refused


def _is_assertion(item: tuple, direction: int) -> bool:
    return item[0] is _ASSERT_NOT and item[1][0] == direction


def _single_class(items: list) -> frozenset[int] | None:
    """The ASCII code points of one literal or one plain (not negated) class, else None."""
    if len(items) != 1:
        return None
    op, value = items[0]
    if op is _LITERAL:
        return frozenset([value]) if value < 128 else None
    if op is not _IN:
        return None
    chars: set[int] = set()
    for member_op, member in value:
        if member_op is _LITERAL and member < 128:
            chars.add(member)
        elif member_op is _RANGE and member[1] < 128:
            chars.update(range(member[0], member[1] + 1))
        else:  # NEGATE, CATEGORY, non-ASCII
            return None
    return frozenset(chars)


def _alphabet(items: list) -> set[int] | None:
    """Every code point BODY can match, or None if it uses anything but ASCII literals and
    classes, greedy repeats, plain groups and alternatives (no assertion, anchor or escape
    class: those could mean something else to Hyperscan, or break the token argument)."""
    chars: set[int] = set()
    for op, value in items:
        if op is _LITERAL or op is _IN:
            single = _single_class([(op, value)])
            if single is None:
                return None
            chars |= single
        elif op is _MAX_REPEAT:
            inner = _alphabet(list(value[2]))
            if inner is None:
                return None
            chars |= inner
        elif op is _SUBPATTERN:
            if value[1] or value[2]:  # flags set or cleared inside the group
                return None
            inner = _alphabet(list(value[3]))
            if inner is None:
                return None
            chars |= inner
        elif op is _BRANCH:
            for branch in value[1]:
                inner = _alphabet(list(branch))
                if inner is None:
                    return None
                chars |= inner
        else:
            return None
    return chars


def _guard_text(regex: str) -> str | None:
    """The text of X in the leading ``(?<![X])``."""
    match = re.match(r"\(\?<!\[([^\]]+)\]\)", regex)
    return match.group(1) if match else None


def _table(chars: frozenset[int]) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(chars)] = True
    return table
