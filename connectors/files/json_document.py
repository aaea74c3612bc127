"""Whole JSON documents (an export ``users.json``: one array of objects, or one object over
many lines) read by their keys, as JSON lines are.

Read line by line, a pretty-printed document is text: its keys were no labels, and a
guardian's object nested in a child's record (``"guardian": {"mobile": …}``) counted as the
child's, where a JSON-lines export or a JSON column already reads it as the adult's. So a
document is parsed whole and its leaves go through the same walk and rendering as a JSON
line's (``structured._pairs``, ``structured._render``): the same labels, the same owner's
path before a key (``guardian.mobile``), the same fields. Several documents one after the
other (``jq .`` output, a tool's records pretty-printed in turn) are read the same way.

Where a value stands is kept: the parser here is the standard library's, with a value
scanner of its own that gives every string, number, object and list the offset it starts
at (``at``, on subclasses of the built-in types, which the walk reads as it reads these), so
each leaf is counted on the line of its value, and the leaves of one line are handed to the
engine together as that line. A minified document is one line; its leaves
are cut into pieces of about ``PIECE_CHARS`` at leaf boundaries, each keeping its key.

Bounded memory: a document is read whole, so only up to ``MAX_DOCUMENT_BYTES`` (16 MiB of
JSON took about 200 MB more while parsed and walked, measured on a pupils export); a longer
one is read as text, line by line, as before (the connector does not even try: its size is
known; a compressed or archived one is found too long as it is read). Text that is not JSON
(a log that opens with ``[``, a document cut short), or nested deeper than ``MAX_DEPTH`` as
a JSON line may not be, is read as text too, with no error.
"""

from __future__ import annotations

import io
import json.decoder
from collections.abc import Callable, Iterator
from json.scanner import NUMBER_RE
from typing import Any

from pia.connectors.files.structured import MAX_DEPTH, SEPARATOR, Fields, _pairs, _render

#: a document longer than this is read as text, line by line (parsed, its text and values
#: take several times its size in memory)
MAX_DOCUMENT_BYTES = 16 << 20
#: the rendered leaves of one line handed to the engine at most at once (a minified document)
PIECE_CHARS = 1 << 16

Reader = Callable[[int], bytes]


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


class _Scanner:
    """``json``'s value scanner, but every string, number, object and list it makes knows
    the offset it starts at (``at``). Objects and lists are parsed by ``json.decoder``'s own
    functions, which call back here for each value."""

    def __init__(self) -> None:
        self.memo: dict[str, str] = {}
        self.depth = 0  # objects and lists open


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


def parse(text: str) -> list[Any] | None:
    """The JSON documents ``text`` holds one after the other (whitespace between them, a BOM
    before), or None when it is not such a sequence or holds no object or list."""
    scan = _Scanner()
    documents: list[Any] = []
    at = _skip(text, 1 if text.startswith("\ufeff") else 0)
    try:
        while at < len(text):
            document, at = scan(text, at)
            scan.memo.clear()
            documents.append(document)
            at = _skip(text, at)
    except (StopIteration, ValueError, RecursionError):  # ValueError: JSONDecodeError too
        return None
    if not any(isinstance(document, dict | list) for document in documents):
        return None
    return documents


def _skip(text: str, at: int) -> int:
    return json.decoder.WHITESPACE.match(text, at).end()


#: a unit for the engine: (line number, its text, the values of fields on it)
Unit = tuple[int, str, Fields]


def units(documents: list[Any], text: str, newline: str, words: dict[str, str],
          types: frozenset[str]) -> Iterator[Unit]:
    """The documents' leaves, rendered as a JSON line's are (``structured``), grouped by the
    line their value stands on (1-based, lines ending at ``newline``). A list's items are
    walked one by one, as the lines of a JSON-lines file are, and an object's members: what
    their leaves say (the keys above them) is the same, and only one at a time is held
    rendered."""
    lines = _LineCounter(text, newline)
    for record in _records(documents):
        values: list[Any] = []
        pairs = _pairs(record, limit=None, values=values)  # parse refused what is too deep
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


def _records(documents: list[Any]) -> Iterator[Any]:
    """The parts of the documents walked one at a time: a list's items, an object's members
    (each as an object of its own, its key kept), a scalar as it is."""
    for document in documents:
        if isinstance(document, list):
            yield from document
        elif isinstance(document, dict):
            for key, value in document.items():
                member = _Dict({key: value})
                member.at = document.at
                yield member
        else:
            yield document


def _unit(line: int, pairs: list[Any], words: dict[str, str], types: frozenset[str]) -> Unit:
    rendered, fields = _render(pairs, words, types)
    return line, rendered, fields


class _LineCounter:
    """The line of an offset, counted on from the last one asked (leaves come in document
    order; a key given twice keeps its first place and its last value, which is further on,
    so an offset before the last is counted again from the start)."""

    def __init__(self, text: str, newline: str) -> None:
        self.text, self.newline = text, newline
        self.offset, self.line = 0, 1

    def line_of(self, at: int) -> int:
        if at < self.offset:
            self.offset, self.line = 0, 1
        self.line += self.text.count(self.newline, self.offset, at)
        self.offset = at
        return self.line


def read_whole(read: Reader, limit: int | None = None) -> tuple[bytes | None, Reader]:
    """All the bytes ``read`` gives when they are no more than ``limit`` (by default
    ``MAX_DOCUMENT_BYTES``), else None; and a reader that gives them again from the start,
    then the rest (read as text then)."""
    limit = MAX_DOCUMENT_BYTES if limit is None else limit
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        data = read(min(1 << 20, limit + 1 - size))
        if not data:
            whole = b"".join(chunks)
            return whole, io.BytesIO(whole).read
        chunks.append(data)
        size += len(data)
    replay = io.BytesIO(b"".join(chunks))

    def again(n: int) -> bytes:
        return replay.read(n) or read(n)

    return None, again


def lines_of(text: str, newline: str) -> tuple[int, int]:
    """(lines, line ends) of a text, counted as ``text.TextScan`` counts a blob's: a last
    line without an end is a line."""
    ends = text.count(newline)
    return ends + (1 if text and not text.endswith(newline) else 0), ends

