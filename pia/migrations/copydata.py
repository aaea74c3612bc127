"""pg_dump seed data: ``COPY t (a, b) FROM stdin;`` and the rows after it, up to ``\\.``.

The rows are not SQL: ``sqltext`` blanks them out before lexing (``copy_blocks``), and
``copy_values`` gives their fields, each with the column it goes to. If a header is not
recognised, its rows are lexed as SQL and run into the next statements up to a ``;``, which
are then never checked (QA: ``COPY public."Customer Info" (id, note)`` hid the
``CREATE TABLE`` after it). So the header's names are read as identifiers are: a quoted name
may hold spaces, dots, parentheses and ``""`` (pg_dump quotes every such name), and the
header may run over lines and carry options (``WITH (FORMAT csv, HEADER)``, ``CSV``,
``DELIMITER ','``), which say how the rows are to be split: in text format at the delimiter
(a tab) with backslash escapes, ``\\N`` for NULL; in CSV at the delimiter (a comma) with
quoted fields that may hold the delimiter, doubled quotes and line breaks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlparse import tokens as T

from pia.migrations.identity import qualified
from pia.migrations.lexcopy import Edits, Walk
from pia.migrations.sqltext import Lines, Tok, string_value, unquote_identifier

#: a name: quoted (``""`` inside for a quote) or a run of what an unquoted name is made of
_IDENT = r'(?:"(?:[^"\n]|"")*"|[^\s"(),.;]+)'
_QUALIFIED = rf"{_IDENT}(?:\s*\.\s*{_IDENT})*"
#: the options after ``stdin``, strings whole (``DELIMITER ';'`` does not end the header)
_OPTIONS = r"(?:(?<![\w$])[Ee]'(?:[^'\\]|\\.|'')*'|'(?:[^']|'')*'|[^;'])*"
#: ``COPY t (a, b) FROM stdin``, the table and the columns in groups 1 and 2
COPY_FROM_STDIN = (rf"COPY\s+({_QUALIFIED})\s*(?:\((\s*{_IDENT}(?:\s*,\s*{_IDENT})*\s*)\))?"
                   r"\s+FROM\s+stdin\b")
_HEADER = re.compile(rf"^[ \t]*{COPY_FROM_STDIN}({_OPTIONS});[ \t]*\r?\n", re.I | re.M)
_END = re.compile(r"^\\\.[ \t]*\r?$", re.M)
#: a part of a qualified name: quoted (dots and all) or up to the next dot
_NAME_PART = re.compile(r'"(?:[^"]|"")*"|[^."\s]+')
#: an option's word or string (``E'\t'`` with its escapes)
_OPTION = re.compile(r"(?<![\w$])[Ee]'(?:[^'\\]|\\.|'')*'|'(?:[^']|'')*'|\w+|\S")
_FALSE = {"false", "off", "0"}
#: a backslash escape of the text format: octal, hex, or one character
_TEXT_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))", re.S)
_TEXT_CHARS = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


@dataclass(frozen=True, slots=True)
class CopyForm:
    """How a block's rows are written, as its header's options say."""

    csv: bool = False
    binary: bool = False
    delimiter: str = "\t"
    null: str = "\\N"
    quote: str = '"'
    escape: str = '"'
    header: bool = False


@dataclass(frozen=True, slots=True)
class CopyBlock:
    """A ``COPY ... FROM stdin`` header and its data: the data from ``start`` to ``stop``,
    the ``\\.`` line ending at ``after``; table and columns as written."""

    start: int
    stop: int
    after: int
    table: str
    columns: tuple[str, ...]
    form: CopyForm


@dataclass(frozen=True, slots=True)
class CopyValue:
    """One field of a data block: its token (its place and its text as written) and its
    value (quotes and escapes undone)."""

    table: str
    column: str | None
    tok: Tok
    text: str


def copy_blocks(text: str) -> list[CopyBlock]:
    """Every ``COPY t (a, b) FROM stdin;`` block in code: one in a comment or a string is
    text."""
    out = []
    walk, i = Walk(text, Edits(), "postgres"), 0
    for match in _HEADER.finditer(text):
        if match.start() < i:
            continue  # in an earlier block's data
        i = walk.until(i, match.start())
        if i != match.start():
            continue  # inside a comment or a string
        end = _END.search(text, match.end())
        stop, after = (end.start(), end.end()) if end else (len(text), len(text))
        i = after
        columns = tuple(re.findall(_IDENT, match.group(2) or ""))
        out.append(CopyBlock(match.end(), stop, after, match.group(1), columns,
                             _form(match.group(3))))
    return out


def _form(options: str) -> CopyForm:
    """The format the options name, new (``WITH (FORMAT csv, HEADER true)``) or old
    (``WITH CSV HEADER DELIMITER AS ','``) syntax alike; an option not understood is passed
    over."""
    words = _OPTION.findall(options)
    found: dict[str, Any] = {}
    for k, word in enumerate(words):
        key = word.lower()
        value, string = _value(words, k + 1)
        if key == "format" and value is not None:
            found["csv"] = value.lower() == "csv"
            found["binary"] = value.lower() == "binary"
        elif key in ("csv", "binary"):
            found[key] = True
        elif key == "header":
            found["header"] = (value or "true").lower() not in _FALSE
        elif key in ("delimiter", "null", "quote", "escape") and string:
            found[key] = value  # a string: FORCE NOT NULL a names columns, no NULL string
    if found.get("csv"):
        found = {"delimiter": ",", "null": "", **found}
        found.setdefault("escape", found.get("quote", '"'))
    return CopyForm(**found)


def _value(words: list[str], k: int) -> tuple[str | None, bool]:
    """The word or string an option's name is followed by (after an ``AS``), and whether
    it is a string."""
    if k < len(words) and words[k].lower() == "as":
        k += 1
    if k >= len(words) or words[k] in ",()":
        return None, False
    word = words[k]
    if word[:1] in "Ee" and word[1:2] == "'":
        return string_value(word), True
    if word[:1] == "'":
        return string_value(word, backslash_escapes=False), True
    return word, False


def copy_values(text: str) -> list[CopyValue]:
    """The fields of the data blocks, with their positions; NULL and empty fields are
    skipped, as is a CSV header line."""
    lines = Lines(text)
    out = []
    for block in copy_blocks(text):
        table = _table_named(block.table)
        columns = [unquote_identifier(c) for c in block.columns]
        form = block.form
        rows = _csv_rows(text, block) if form.csv else _text_rows(text, block)
        for n, row in enumerate(rows):
            if form.binary or (form.header and n == 0):
                continue
            for k, (offset, raw, value) in enumerate(row):
                if value:
                    column = columns[k] if k < len(columns) else None
                    tok = Tok(T.Literal.String.Single, raw, offset, *lines.at(offset))
                    out.append(CopyValue(table, column, tok, value))
    return out


def _table_named(written: str) -> str:
    """The table ``public."Member"`` names, as a definition's name is read: each part
    unquoted, a quoted PostgreSQL name case-kept (``identity.qualified``)."""
    return qualified([unquote_identifier(p) for p in _NAME_PART.findall(written)])


Field = tuple[int, str, str]  # offset, text as written, value ('' for NULL)


def _text_rows(text: str, block: CopyBlock) -> Iterator[list[Field]]:
    """Rows of the text format: a line a row, fields at the delimiter, backslash escapes."""
    delimiter, null = block.form.delimiter, block.form.null
    offset = block.start
    for row in text[block.start:block.stop].split("\n"):
        fields, field_offset = [], offset
        for raw in row.rstrip("\r").split(delimiter):
            value = _TEXT_ESCAPE.sub(_text_char, raw) if "\\" in raw else raw
            value = "" if raw == null else value
            fields.append((field_offset, raw, value))
            field_offset += len(raw) + len(delimiter)
        offset += len(row) + 1
        yield fields


def _text_char(match: re.Match[str]) -> str:
    octal, hexa, char = match.groups()
    if octal or hexa:
        return chr(int(octal, 8) if octal else int(hexa, 16))
    return _TEXT_CHARS.get(char, char)


def _csv_rows(text: str, block: CopyBlock) -> Iterator[list[Field]]:
    """Rows of the CSV format: a quoted field may hold the delimiter, a line break and its
    quote escaped (doubled, by default); an unquoted field equal to the NULL string is NULL."""
    form = block.form
    q, d = re.escape(form.quote), re.escape(form.delimiter)
    if form.escape == form.quote:
        inner = rf"(?:[^{q}]|{q}{q})*"
    else:
        e = re.escape(form.escape)
        inner = rf"(?:[^{q}{e}]|{e}[{q}{e}]|{e}(?![{q}{e}]))*"
    quoted = rf"{q}{inner}{q}"
    field = re.compile(rf"(?:[^{q}{d}\r\n]+|{quoted}|{q}[^\r\n]*)*", re.S)
    piece = re.compile(rf"{q}({inner}){q}|{q}([^\r\n]*)|[^{q}]+", re.S)
    pos, stop = block.start, block.stop
    quote, delimiter = form.quote, form.delimiter
    undo = _undoing(form)
    while pos < stop:
        fields = []
        while True:
            match = field.match(text, pos, stop)
            raw, start = match.group(), match.start()
            if quote not in raw:  # most fields: nothing to undo
                fields.append((start, raw, "" if raw == form.null else raw))
            elif (whole := piece.fullmatch(raw)) and whole.group(1) is not None:
                inner = whole.group(1)  # one quoted field: its place is inside the quotes
                fields.append((start + 1, inner, undo(inner)))
            else:
                fields.append((start, raw, "".join(_csv_piece(p, undo)
                                                   for p in piece.finditer(raw))))
            pos = match.end()
            if pos < stop and text.startswith(delimiter, pos):
                pos += len(delimiter)
                continue
            break
        pos += 2 if text.startswith("\r\n", pos) else 1
        yield fields


def _undoing(form: CopyForm) -> Callable[[str], str]:
    """What undoes the escapes inside a quoted field (at C speed where it can: a seed's
    fields are many)."""
    quote, escape = form.quote, form.escape
    if escape == quote:
        return lambda inner: inner.replace(quote + quote, quote)
    escaped = re.compile(f"{re.escape(escape)}([{re.escape(quote)}{re.escape(escape)}])")
    return lambda inner: escaped.sub(_first, inner) if escape in inner else inner


def _first(match: re.Match[str]) -> str:
    return match.group(1)


def _csv_piece(piece: re.Match[str], undo: Callable[[str], str]) -> str:
    """A quoted run of a field with its quotes and escapes undone, or an unquoted run."""
    if piece.group(1) is not None:
        return undo(piece.group(1))
    return piece.group(2) if piece.group(2) is not None else piece.group()
