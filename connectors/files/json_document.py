"""JSON documents (an export ``users.json``: one array of objects, or one object over many
lines) read by their keys, as JSON lines are.

Read line by line, a pretty-printed document is text: its keys were no labels, and a
guardian's object nested in a child's record (``"guardian": {"mobile": …}``) counted as the
child's, where a JSON-lines export or a JSON column already reads it as the adult's. So a
document is parsed, one top-level value at a time (``json_stream``: an item of its array, a
member of its object), and the leaves of each go through the same walk and rendering as a
JSON line's (``structured._pairs``, ``structured._render``): the same labels, the same
owner's path before a key (``guardian.mobile``), the same fields. Several documents one
after the other (``jq .`` output, a tool's records pretty-printed in turn) are read the
same way.

Where a value stands is kept: the parser here is the standard library's, with a value
scanner of its own that gives every string, number, object and list the offset it starts
at (``at``, on subclasses of the built-in types, which the walk reads as it reads these), so
each leaf is counted on the line of its value, and the leaves of one line are handed to the
engine together as that line. A minified document is one line; its leaves
are cut into pieces of about ``PIECE_CHARS`` at leaf boundaries, each keeping its key.

Bounded memory: parsed whole, a document took about twelve times its size (16 MiB of JSON
took about 200 MB more while parsed and walked, measured on a pupils export), so a longer
one was read as text; value by value, only one top-level value is held parsed, however
long the document (``json_stream.MAX_VALUE_CHARS`` bounds it). Text that is not JSON from its
first value on (a log that opens with ``[``, a document cut short in its first record), or
nested deeper than ``MAX_DEPTH`` as a JSON line may not be, is read as text, with no error;
where it stops being JSON further on, the rest is (``json_stream``).
"""

from __future__ import annotations

import json.decoder
from collections.abc import Iterator
from json.scanner import NUMBER_RE
from typing import Any

from pia.connectors.files.structured import MAX_DEPTH, SEPARATOR, Fields, _pairs, _render

#: the rendered leaves of one line handed to the engine at most at once (a minified document)
PIECE_CHARS = 1 << 16


class _Str(str):
    at: int


class _Int(int):
    at: int


class _Float(float):
    at: int


class _Dict(dict):  # type: ignore[type-arg]
    at: int


class _List(list):  # type: ignore[type-arg]
    at: int


def _located(cls: type, value: Any, at: int) -> Any:
    located = cls(value)
    located.at = at
    return located


def located_list(items: list[Any], at: int) -> list[Any]:
    """A list that says where it starts (``at``), as the scanner's do."""
    return _located(_List, items, at)


class Scanner:
    """``json``'s value scanner, but every string, number, object and list it makes knows
    the offset it starts at (``at``). Objects and lists are parsed by ``json.decoder``'s own
    functions, which call back here for each value."""

    def __init__(self) -> None:
        self.memo: dict[str, str] = {}
        self.depth = 0  # objects and lists open
        self.too_deep = False  # the last value refused was nested too deep

    def __call__(self, text: str, at: int) -> tuple[Any, int]:
        try:
            char = text[at]
        except IndexError:
            raise StopIteration(at) from None
        if char == '"':
            value, end = json.decoder.scanstring(text, at + 1, True)
            return _located(_Str, value, at), end
        if char not in "{[":
            return self._scalar(text, at)
        self.depth += 1
        if self.depth > MAX_DEPTH:  # as a JSON line nested so deep, read as text
            self.too_deep = True
            raise StopIteration(at)
        if char == "{":
            found, end = json.decoder.JSONObject((text, at + 1), True, self, None, _Dict,
                                                 self.memo)
        else:
            items, end = json.decoder.JSONArray((text, at + 1), self)
            found = _List(items)
        self.depth -= 1
        found.at = at
        return found, end

    @staticmethod
    def _scalar(text: str, at: int) -> tuple[Any, int]:
        for word, constant in (("null", None), ("true", True), ("false", False)):
            if text.startswith(word, at):
                return constant, at + len(word)
        number = NUMBER_RE.match(text, at)
        if number is None:  # NaN and Infinity are no JSON: the document is read as text
            raise StopIteration(at)
        integer, fraction, exponent = number.groups()
        if fraction or exponent:
            return _located(_Float, float(number.group()), at), number.end()
        return _located(_Int, int(integer), at), number.end()


#: a unit for the engine: (line number, its text, the values of fields on it)
Unit = tuple[int, str, Fields]


def record_units(record: Any, lines: LineCounter, words: dict[str, str],
                 types: frozenset[str], said: Any = None) -> Iterator[Unit]:
    """A record's leaves (an item of a document's list, a member of its object: one is
    walked at a time, as the lines of a JSON-lines file are), rendered as a JSON line's are
    (``structured``), grouped by the line their value stands on (``lines``). ``said``: a
    container whose key was said already (``json_stream``: a member list's holder), its
    key's pair left out."""
    values: list[Any] = []
    pairs = _pairs(record, limit=None, values=values)  # the scanner refused what is too deep
    if said is not None and values and values[0] is said:
        del pairs[0], values[0]
    line, start, size = 0, 0, 0
    for index, value in enumerate(values):
        at = getattr(value, "at", None)
        here = lines.line_of(at) if at is not None else line
        if index > start and (here != line or size >= PIECE_CHARS):
            yield _unit(line, pairs[start:index], words, types)
            start, size = index, 0
        line = here
        size += sum(map(len, pairs[index])) + len(SEPARATOR)
    if start < len(pairs):
        yield _unit(line, pairs[start:], words, types)


def _unit(line: int, pairs: list[Any], words: dict[str, str], types: frozenset[str]) -> Unit:
    rendered, fields = _render(pairs, words, types)
    return line, rendered, fields


class LineCounter:
    """The line of an offset of ``text`` at or after ``offset`` (on line ``line``), counted
    on from the last one asked (leaves come in document order; a key given twice keeps its
    first place and its last value, which is further on, so an offset before the last is
    counted again from the first)."""

    def __init__(self, text: str, newline: str, offset: int = 0, line: int = 1) -> None:
        self.text, self.newline = text, newline
        self.first = (offset, line)
        self.offset, self.line = offset, line

    def line_of(self, at: int) -> int:
        if at < self.offset:
            self.offset, self.line = self.first
        self.line += self.text.count(self.newline, self.offset, at)
        self.offset = at
        return self.line
