"""A JSON document read value by value from a bounded window of its text, however long.

An export (``users.json``: one array of objects) runs to hundreds of megabytes, minified
often on one line; parsed whole it took about twelve times its size in memory, so it was read
by its keys only up to 16 MiB and as text beyond, its keys no labels. Here the document's
top-level values are parsed one at a time (``json_document._Scanner``): each item of a
top-level array, each member of a top-level object (an array member's items one at a time,
each as ``{key: [item]}``, so that its leaves keep the key above them), each document of
several one after the other. Only the text from the value being parsed on is held; it is
refilled as the parse needs more, and the line of every offset is kept across refills, so
each value is counted on its own line as if the document were read whole.

Where the document stops being JSON (cut short: a sample of a compressed stream, a file
truncated; a ``NaN``; a value nested deeper than ``MAX_DEPTH``) or a single top-level value
is longer than ``MAX_VALUE_CHARS`` (parsed, it takes several times its size), the stream
stops and ``rest`` is the text from that value on: what was read by its keys stays read, and
the rest is read as text, line by line (``text.TextScan``). When it stops before its first
value, ``rest`` is the whole text: a log that opens with ``[`` is read as text.
"""

from __future__ import annotations

import json.decoder
from collections.abc import Callable, Iterator
from typing import Any

from pia.connectors.files.json_document import (
    LineCounter,
    Scanner,
    Unit,
    located_list,
    record_units,
)
from pia.connectors.files.structured import MAX_DEPTH

#: one top-level value (an item of the export's array) parsed at once at most, in characters:
#: a longer one, and the rest of the document, is read as text
MAX_VALUE_CHARS = 16 << 20
#: bytes read at a time (more while a long value is still incomplete: twice what is held)
READ_BYTES = 1 << 20
#: an error this close to the end of the text held may be the end of the text, not an error
_NEAR_END = 8

Reader = Callable[[int], bytes]
#: a value to read by its keys: (the value, where it starts in the window, its line, a
#: holder whose key was said with an earlier item and is not said again, or None)
Record = tuple[Any, int, int, Any]


class _Stop(Exception):
    """The document stops being read by its keys here (``why``)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class DocumentStream:
    """The units of one JSON document (``units``), read through ``decode`` from ``read``;
    once they are out, ``rest`` is the text not read by its keys (to read as text, its first
    line being line ``line``), ``why`` says why there is some, and ``lines``/``newlines``
    count what was read so far, as ``text.TextScan`` counts a blob's."""

    def __init__(self, read: Reader, decode: Callable[[bytes, bool], str],
                 newline: str) -> None:
        self._read, self._decode, self.newline = read, decode, newline
        self.text = ""  # the window: the text from ``pos``'s value on, and what is read on
        self.pos = 0
        self.line = 1  # the line ``pos`` stands on
        self.eof = False
        self.dropped = 0  # characters let go from the window's start
        self.newlines = 0  # newlines decoded so far
        self._ends_line = True  # the last text decoded ended a line
        self.records = 0  # values read by their keys
        self.rest = ""
        self.why: str | None = None
        self._scan = Scanner()

    @property
    def lines(self) -> int:
        """Lines decoded so far, a last one without a newline counted."""
        return self.newlines + (0 if self._ends_line else 1)

    def units(self, words: dict[str, str], types: frozenset[str]) -> Iterator[Unit]:
        """The document's leaves, as ``json_document.record_units`` renders a record's, value
        by value; ``rest`` is set once they are all out."""
        try:
            self._skip()
            if self.text.startswith("\ufeff", self.pos):
                self.pos += 1
            for record, start, line, said in self._records():
                lines = LineCounter(self.text, self.newline, start, line)
                yield from record_units(record, lines, words, types, said)
                self.records += 1
        except _Stop as stop:
            self.why = stop.why
            if not self.records and not self.dropped:  # nothing read by its keys: all text
                self.pos, self.line = 0, 1
            self.rest = self.text[self.pos:]

    # --- the document's grammar, its top level only ----------------------------------------

    def _records(self) -> Iterator[Record]:
        """The top-level values walked one by one as ``json_document`` walks a document
        read whole."""
        first = True
        while self._skip():
            opening = self.text[self.pos]
            if opening in "[{":
                self._advance(self.pos + 1)
                yield from (self._items(1, None) if opening == "[" else self._members())
            elif first:
                raise _Stop("no JSON array or object")
            else:  # a scalar after a document (``jq`` output)
                yield self._value(0)
            first = False

    def _items(self, depth: int, key: str | None,
               opened: tuple[int, int, int] | None = None) -> Iterator[Record]:
        """The items of an array whose ``[`` was read, at ``depth``; under an object's
        ``key``, each as ``{key: [item]}``, the key (when it is data, ``_pairs``) said with
        the first item only, on the line of the ``[`` (``opened``: its offset, line, and
        ``dropped`` then)."""
        if self._at("]"):
            return
        first = True
        while True:
            item, start, line, _ = self._value(depth)
            if key is None:
                yield item, start, line, None
            else:  # the holder stands where the list does, with the first item still held
                if first and opened is not None and opened[2] == self.dropped:
                    start, line = opened[0], opened[1]
                holder = located_list([item], start)
                yield {key: holder}, start, line, None if first else holder
            first = False
            if not self._after_value("]"):
                return

    def _members(self) -> Iterator[Record]:
        """The members of an object whose ``{`` was read, each as an object of its own."""
        if self._at("}"):
            return
        while True:
            if not self._skip() or self.text[self.pos] != '"':
                raise _Stop("an object's key expected")
            key = self._key()
            if not self._at(":"):
                raise _Stop("':' expected")
            if not self._skip():
                raise _Stop("a value expected")
            if self.text[self.pos] == "[":
                opened = (self.pos, self.line, self.dropped)
                self._advance(self.pos + 1)
                yield from self._items(2, key, opened)
            else:
                value, start, line, _ = self._value(1)
                yield {key: value}, start, line, None
            if not self._after_value("}"):
                return

    def _after_value(self, closing: str) -> bool:
        """Past a value in a container: True at a comma, False at ``closing``."""
        if not self._skip():
            raise _Stop("the document ends inside it")
        if self._at(","):
            return True
        if self._at(closing):
            return False
        raise _Stop(f"',' or '{closing}' expected")

    # --- reading the window ------------------------------------------------------------------

    def _value(self, depth: int) -> Record:
        """The value at ``pos`` parsed whole (more text read until it is), at ``depth``."""
        if not self._skip():
            raise _Stop("a value expected")
        while True:
            start, line = self.pos, self.line
            self._scan.depth, self._scan.too_deep = depth, False
            self._scan.memo.clear()
            try:
                value, end = self._scan(self.text, start)
            except (StopIteration, ValueError) as err:  # ValueError: JSONDecodeError too
                self._incomplete(err)
            except RecursionError:
                raise _Stop("nested too deep") from None
            else:
                if end - start > MAX_VALUE_CHARS:  # it came whole with one read
                    break
                if end < len(self.text) or self.eof:  # a number at the end may go on
                    self._advance(end)
                    return value, start, line, None
            if len(self.text) - self.pos > MAX_VALUE_CHARS:
                break
            self._more()
        raise _Stop(f"a value longer than {MAX_VALUE_CHARS} characters")

    def _incomplete(self, err: Exception) -> None:
        """Return when the text held may end before the value does (more is to be read);
        else stop, saying why."""
        if self._scan.too_deep:
            raise _Stop(f"nested deeper than {MAX_DEPTH} levels")
        at = err.pos if isinstance(err, json.JSONDecodeError) else err.value
        at_the_end = (str(err).startswith("Unterminated string")
                      or (isinstance(at, int) and at >= len(self.text) - _NEAR_END))
        if not at_the_end:
            raise _Stop("not JSON")
        if self.eof:
            raise _Stop("cut short")

    def _key(self) -> str:
        while True:
            try:
                key, end = json.decoder.scanstring(self.text, self.pos + 1, True)
            except ValueError as err:
                self._incomplete(err)
                if len(self.text) - self.pos > MAX_VALUE_CHARS:
                    raise _Stop("a key too long") from None
                self._more()
            else:
                self._advance(end)
                return key

    def _at(self, char: str) -> bool:
        """Whether ``char`` stands at ``pos`` (past whitespace); read past it when it does."""
        if self._skip() and self.text[self.pos] == char:
            self._advance(self.pos + 1)
            return True
        return False

    def _skip(self) -> bool:
        """Past whitespace; False at the end of the text."""
        while True:
            self._advance(json.decoder.WHITESPACE.match(self.text, self.pos).end())
            if self.pos < len(self.text):
                return True
            if self.eof:
                return False
            self._more()

    def _advance(self, to: int) -> None:
        if to > self.pos:
            self.line += self.text.count(self.newline, self.pos, to)
            self.pos = to

    def _more(self) -> None:
        """Read on: the window keeps the text from ``pos`` on, and gets at least one more
        character unless the text ends."""
        held = len(self.text) - self.pos
        self.dropped += self.pos
        parts = [self.text[self.pos:]]
        self.pos = 0
        want = max(READ_BYTES, min(held, MAX_VALUE_CHARS + 1))
        while not self.eof:
            data = self._read(want)
            self.eof = not data
            decoded = self._decode(data, self.eof)
            if decoded:
                self.newlines += decoded.count(self.newline)
                self._ends_line = decoded.endswith(self.newline)
                parts.append(decoded)
                break
        self.text = "".join(parts)
