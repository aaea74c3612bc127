"""Seed rows read without sqlparse: a plain ``INSERT ... VALUES`` statement, whole.

A seed migration is mostly ``INSERT INTO t (a, b) VALUES ('x', 1), (...);``. sqlparse lexes
and splits it a token at a time in Python, about 15 µs a token with what the checker does with
each: a 6 MB seed file took 34 s and 380 MB, a 139 MB one over half an hour (QA ci 2), for
values the checker only collects. Here a statement that is nothing but such rows is read by
one regular expression per value, and gives the parser what sqlparse's tokens would have
made it record (``DmlReader.insert``): each string, and each number of six characters or
more, as a ``Literal`` of its column (or of its place in the row, without a column list), with
its token's type, text, offset, line and column.

The reader is asked only where the splitter stands at the start of a statement
(``Splitter.at_start``), in the copy sqlparse lexes (``lexcopy``: strings end where the
dialect ends them), so a statement inside a string, a comment, a dollar body or a
``BEGIN ... END`` block is never taken for one. Its head (``INSERT INTO t (a, b) VALUES (``;
mysqldump's ``--replace`` writes ``REPLACE INTO``, SQLite seeds ``INSERT OR REPLACE INTO``,
pg_dump ``OVERRIDING SYSTEM VALUE`` before ``VALUES``)
is lexed by sqlparse's own rules (``fastlex``) and must be names and keywords only, that leave
the splitter where a ``;`` ends the statement (a column named ``begin`` opens a block for
sqlparse: such a head is left to it). A ``"quoted"`` name (pg_dump's ``public."Members"``,
SQLite's ``.dump``) is one, except in MySQL, where sqlparse's reading makes it a string
the parser records; it is kept as a mark, as the parser keeps it (``literals.holders``).
Its values must be quoted strings, numbers as sqlparse lexes them whole (``-1.5e-05``,
``0x3F2A``), ``NULL``, ``TRUE``, ``FALSE`` or ``DEFAULT``, and the statement must end with
``;`` (or ``ON CONFLICT DO NOTHING;``, as pg_dump ``--on-conflict-do-nothing`` writes it). A
string may follow a word that sqlparse lexes as a name of its own, which the parser
passes over: mysqldump's ``_binary '...'`` and ``_utf8mb4'...'``, ``X'...'``, ``B'...'``;
the ``N'...'`` (and in PostgreSQL ``E'...'``) glued to it is part of the string, as
``sqltext`` joins it. Anything else (a function call, a cast, ``"text"``, a comment between
values, ``ON CONFLICT (id) ...``, ``1E+5``) leaves the whole statement to sqlparse.
``tests/migrations/test_plain_insert.py`` holds the two readings equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from sqlparse import lexer
from sqlparse import tokens as T

from pia.migrations.dml import insert_head
from pia.migrations.fastlex import tokenize
from pia.migrations.identity import reading_names_of
from pia.migrations.parsed import Literal
from pia.migrations.sqltext import (
    Lines,
    Statement,
    Tok,
    glued_prefixes,
    string_value,
    unquote_identifier,
)

#: a quoted name, possessive: it is read whole or not at all, so a head cannot end inside one
#: (``"my values"``); what is inside is left to sqlparse's rules (``_read_head``)
_QUOTED_NAME = r'"[^"]*+"|`[^`]*+`'
#: where a plain INSERT may start: its head up to the first row's parenthesis. No string,
#: comment, dollar or expression in it; names bare or quoted.
_HEAD = re.compile(r"(?:INSERT\s+(?:IGNORE\s+|OR\s+(?:REPLACE|IGNORE)\s+)?|REPLACE\s+)INTO\s+"
                   rf"(?:[\w.\s]|{_QUOTED_NAME})+?"
                   rf"(?:\((?:[\w,\s]|{_QUOTED_NAME})*+\)\s*)?"
                   # pg_dump's, before the rows of a table with an identity column
                   r"(?:OVERRIDING\s+(?:SYSTEM|USER)\s+VALUE\s+)?"
                   r"(?<!\w)VALUES?\s*\(", re.I)  # not the end of a name: attr_values
#: a value: a string (``fastlex._QUOTED``) after a word sqlparse lexes apart (``_binary``,
#: ``X``) or glued to it (``N``, ``E``); a number as sqlparse's Hexadecimal, Float and Integer
#: rules take it (in their order) when a comma or parenthesis follows; or a keyword that
#: writes no literal
_VALUE = re.compile(r"\s*+(?:(?:(_\w+|[xbne])(\s*+))?('(?:''|\\'|[^'])*+')"
                    r"|(-?0x[\da-f]+|-?\d+(?:\.\d+)?e-?\d+|-?(?:\d+(?:\.\d*)?|\.\d+))"
                    r"(?=\s*+[,)])|(?:NULL|TRUE|FALSE|DEFAULT)\b)", re.I)
_AFTER_VALUE = re.compile(r"\s*+([,)])")
#: after a row: the next one, or the end, where pg_dump --on-conflict-do-nothing writes its
#: clause (no literal in it)
_AFTER_ROW = re.compile(r"\s*+(,|(?:ON\s++CONFLICT\s++DO\s++NOTHING\s*+)?;)", re.I)
_ROW = re.compile(r"\s*+\(")
#: what sqlparse's splitter does with a head's keywords: these change its level or end it
_SPLIT_WORDS = frozenset({"BEGIN", "END", "DECLARE", "CASE", "IF", "LOOP", "FOR", "WHILE",
                          "DO", "GO", "CREATE"})


@dataclass
class PlainInsert(Statement):
    """A plain INSERT's literals and marks, read without its tokens (which it does not
    keep)."""

    literals: list[Literal] = field(default_factory=list)
    marks: list[Tok] = field(default_factory=list)


@dataclass(frozen=True)
class Rows:
    """What ``PlainReader`` read at ``start``: the statement up to its ``;`` at ``end - 1``."""

    start: int
    end: int
    literals: list[Literal]
    marks: list[Tok]


@dataclass(frozen=True)
class _Head:
    table: str
    names: list[str]
    #: the ``"quoted"`` names' tokens, at their offsets in the head
    marks: tuple[Tok, ...]


def _number_type(number: str) -> object:
    if "x" in number or "X" in number:
        return T.Number.Hexadecimal
    if "." in number or "e" in number or "E" in number:
        return T.Number.Float
    return T.Number.Integer


@cache
def _apart(word: str) -> bool:
    """Does sqlparse lex ``word`` as a name (not a keyword) the parser passes over?"""
    return lexer.Lexer.get_default_instance().is_keyword(word)[0] in T.Name


class PlainReader:
    """Reads plain INSERTs of one file: ``lexed`` is the copy sqlparse lexes, ``stripped`` the
    text token values are read from (``sqltext.iter_statements``)."""

    def __init__(self, lexed: str, stripped: str, lines: Lines, dialect: str) -> None:
        self.lexed, self.stripped, self.lines = lexed, stripped, lines
        self.dialect, self.mysql = dialect, dialect == "mysql"
        self.glued = glued_prefixes(dialect)
        self.heads: dict[str, _Head | None] = {}

    def __call__(self, pos: int) -> Rows | None:
        """The rows of the plain INSERT starting at ``pos``, or None to leave it to sqlparse."""
        head = _HEAD.match(self.lexed, pos)
        if head is None:
            return None
        key = head.group()
        if not self.stripped.startswith(key, pos):
            return None  # a backslash in a "quoted" name: not the name's text (lexcopy)
        if key not in self.heads:  # its names as the parser reads them, wherever it is read
            with reading_names_of(self.dialect):  # (``"Members"`` keeps its case)
                self.heads[key] = _read_head(key, quoted=not self.mysql)
        known = self.heads[key]
        if known is None:
            return None
        return self._rows(known, pos, head.end(), self._marks(known, pos, key))

    def _marks(self, head: _Head, pos: int, key: str) -> list[Tok]:
        """The head's marks in the file; on one line (pg_dump's), placed from its start: a
        search of the line for each was a tenth of reading such a dump."""
        if not head.marks:
            return []
        if "\n" in key or "\r" in key:
            return [Tok(m.ttype, m.value, pos + m.offset, *self.lines.at(pos + m.offset))
                    for m in head.marks]
        line, col = self.lines.at(pos)
        return [Tok(m.ttype, m.value, pos + m.offset, line, col + m.offset)
                for m in head.marks]

    def _rows(self, head: _Head, start: int, at: int, marks: list[Tok]) -> Rows | None:
        lexed, stripped, lines, mysql = self.lexed, self.stripped, self.lines, self.mysql
        names, table = head.names, head.table
        literals: list[Literal] = []
        while True:  # at: just after a row's "("
            place = 0
            while True:
                value = _VALUE.match(lexed, at)
                if value is None:
                    return None
                prefix, gap, text, number = value.group(1, 2, 3, 4)
                found = text or number
                if found is not None and (text is not None or len(number) >= 6):
                    offset = value.end() - len(found)
                    if prefix is not None:
                        if not _apart(prefix):
                            return None
                        if not gap and prefix in self.glued:
                            offset -= 1  # N'...': one string (sqltext._prefixed)
                    raw = stripped[offset:value.end()]
                    ttype = T.String.Single if text is not None else _number_type(number)
                    tok = Tok(ttype, raw, offset, *lines.at(offset))
                    column = names[place] if place < len(names) else None
                    literals.append(Literal(table, column, tok, string_value(raw, mysql),
                                            position=-1 if names else place))
                after = _AFTER_VALUE.match(lexed, value.end())
                if after is None:
                    return None
                at = after.end()
                if after.group(1) == ")":
                    break
                place += 1
            after = _AFTER_ROW.match(lexed, at)
            if after is None:
                return None
            at = after.end()
            if after.group(1)[-1] == ";":
                return Rows(start, at, literals, marks)
            row = _ROW.match(lexed, at)
            if row is None:
                return None
            at = row.end()


def _read_head(head: str, quoted: bool) -> _Head | None:
    """The table and column list of ``INSERT INTO t (a, b) VALUES (``, as
    ``DmlReader.insert`` reads them from sqlparse's tokens; None when sqlparse would read
    anything else than names and keywords (and, with ``quoted``, ``"quoted"`` names), or
    when a keyword of it moves the splitter."""
    toks: list[Tok] = []
    offset = 0
    for ttype, value in tokenize(head):
        if ttype not in T.Whitespace:
            if not (ttype in T.Keyword or ttype in T.Name or ttype in T.Punctuation
                    or quoted and ttype in T.String.Symbol and value[:1] == '"'):
                return None
            if ttype in T.Keyword and value.upper().split()[0] in _SPLIT_WORDS:
                return None
            toks.append(Tok(ttype, value, offset, 0, 0))
        offset += len(value)
    if not toks or toks[0].upper not in ("INSERT", "REPLACE") or toks[0].ttype not in T.Keyword:
        return None
    table, name_tok, parts, i = insert_head(toks)
    if name_tok is None or any(len(p) != 1 for p in parts or []):
        return None  # a list never closed leaves i past the end: refused below
    names = [unquote_identifier(p[0].value) for p in parts or []]
    if i != len(toks) - 2 or not toks[i].is_kw("VALUES", "VALUE"):
        return None
    return _Head(table, names, tuple(t for t in toks if t.value[:1] == '"'))
