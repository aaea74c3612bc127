"""What the migrations before a checked one say of the tables it copies, read cheaply.

A checked file that copies a table (``CREATE TABLE b LIKE a``, ``AS SELECT * FROM a``, a
materialized view) holds what ``a`` holds, and ``a`` may be defined by an earlier migration
the run does not check (pre-commit names only the staged file; ``--git-diff`` leaves out the
unchanged ones). Reading every earlier file in full made a one-line staged file beside 30 MB
of old seed data take minutes and a gigabyte, although it copied nothing. So:

- earlier files are read only when a checked file copies a table the run has not created,
  or renames, redefines or comments on a column of one (``Earlier.fill``), and then
- only their statements about the tables needed are read: the file is cut into statements
  by one regular expression per statement (strings, quoted names, comments and dollar
  bodies skipped whole; ``COPY ... FROM stdin`` data and ``DELIMITER`` routines jumped over),
  and only ``CREATE TABLE``/``MATERIALIZED VIEW``, ``ALTER TABLE``, ``COMMENT ON COLUMN``,
  ``SELECT ... INTO``, ``DROP TABLE``, ``UPDATE`` (for a rename's rewrite) and ``DO`` blocks
  naming a needed table are parsed. ``INSERT`` and
  ``COPY`` data are never analysed, and the detection engine never runs on these files.

A table copied from a copy (``b LIKE a`` where ``a LIKE users``) brings in its source too.
What the earlier files say goes under what the run already knows of a table (a later
``ALTER`` of a checked file wins over the old definition).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from pia.errors import InputError
from pia.migrations.check import read
from pia.migrations.columns import Tables, column_texts, derive
from pia.migrations.copydata import COPY_FROM_STDIN
from pia.migrations.files import migrations_under, run_order
from pia.migrations.identity import table_key
from pia.migrations.parsed import Parsed
from pia.migrations.sqltext import detect_dialect, read_sql

_SKIP = re.compile(r"(?:\s++|--[^\n]*+|#[^\n]*+|/\*.*?(?:\*/|\Z))*+", re.S)
_STANDARD = (r"(?:[^;'\"$/\-eE]++|[eE]'(?:[^'\\]|\\.|'')*+'|'(?:[^']|'')*+'"
             r"|\"(?:[^\"]|\"\")*+\"|--[^\n]*+|/\*.*?\*/|\$((?:[^\W\d]\w*)?)\$.*?\$\1\$"
             r"|[eE$/\-])*+")
_MYSQL = (r"(?:[^;'\"`#/\-]++|'(?:[^'\\]|\\.|'')*+'|\"(?:[^\"\\]|\\.|\"\")*+\""
          r"|`[^`]*+`|--[^\n]*+|#[^\n]*+|/\*.*?\*/|[/\-])*+")
_BODY = {"mysql": re.compile(_MYSQL, re.S)}
_BODY_STANDARD = re.compile(_STANDARD, re.S)
_NAME = r"(?:\"[^\"]+\"|`[^`]+`|\[[^\]]+\]|[^\s.,;()\"`\[]+)"
_QUALIFIED = rf"({_NAME}(?:\s*\.\s*{_NAME})*)"
_TARGET = re.compile(
    r"(?:CREATE\s+(?:(?:OR\s+REPLACE|GLOBAL|LOCAL|TEMP|TEMPORARY|UNLOGGED)\s+)*"
    r"(?:TABLE|MATERIALIZED\s+VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    r"|ALTER\s+TABLE\s+(?:(?:IF\s+EXISTS|ONLY|ONLINE|IGNORE)\s+)*)" + _QUALIFIED, re.I)
#: ``ALTER TABLE a RENAME TO b``: the statement is about ``b`` too
_RENAMED = re.compile(r"\s+RENAME\s+(?:TO|AS)\s+" + _QUALIFIED, re.I)
_RENAME_TABLE = re.compile(r"RENAME\s+TABLES?\b", re.I)
_COMMENT_ON = re.compile(r"COMMENT\s+ON\s+COLUMN\s+" + _QUALIFIED, re.I)
_INTO = re.compile(r"SELECT\b[^;]*?\bINTO\s+(?:(?:TEMP|TEMPORARY|UNLOGGED|TABLE)\s+)*"
                   + _QUALIFIED, re.I | re.S)
_DO = re.compile(r"DO\b", re.I)
#: ``UPDATE a SET c_enc = pgp_sym_encrypt(...)``: whether a rename of ``a.c`` to ``c_enc``
#: rewrote the values (``rewrites.rewritten``)
_UPDATE = re.compile(r"UPDATE\s+(?:ONLY\s+)?" + _QUALIFIED + r"\s", re.I)
#: ``DROP TABLE a, b``: a later copy of ``a`` copies nothing, a new ``a`` starts empty
_DROP = re.compile(r"DROP\s+(?:(?:TEMPORARY\s+)?TABLE|MATERIALIZED\s+VIEW)\s+"
                   r"(?:IF\s+EXISTS\s+)?", re.I)
#: its names read as the checker reads them (a quoted name may hold a ``;``)
_COPY = re.compile(COPY_FROM_STDIN, re.I)
_COPY_END = re.compile(r"^\\\.[ \t]*\r?$", re.M)
_DELIMITER = re.compile(r"DELIMITER[ \t]+(\S+)", re.I)
_DELIMITER_BACK = re.compile(r"^[ \t]*DELIMITER[ \t]+;[ \t]*\r?$", re.I | re.M)
#: how much of an earlier file its dialect is guessed from (a dump says so at its start)
_GUESS = 1 << 16
#: a DO block's statements name no table up front: it is read when it names one needed
_ANY = "*do*"
#: between the names of a statement that names several tables (a rename: old and new)
_AND = "\x00"


def short(table: str) -> str:
    """A table's name without schema or quotes, lowercased, as ``Tables`` keys it."""
    parts = re.findall(_NAME, table)
    return (parts[-1] if parts else table).strip("\"`[]").lower()


def ddl(text: str, dialect: str) -> Iterator[tuple[str, str]]:
    """``(table, statement)`` for each statement of ``text`` that may define or change a
    table's columns: its text from the end of the previous one (so the comments above a
    column go with it) to its ``;``."""
    body = _BODY.get(dialect, _BODY_STANDARD)
    i, n = 0, len(text)
    while i < n:
        start = i
        code = _SKIP.match(text, i).end()
        if code >= n:
            return
        delimiter = _DELIMITER.match(text, code)
        if delimiter and delimiter.group(1) != ";":  # a routine's body: not the migration's
            back = _DELIMITER_BACK.search(text, code)
            i = back.end() if back else n
            continue
        end = body.match(text, code).end()
        end = end + 1 if end < n and text[end] == ";" else n  # an unclosed string: the rest
        if _COPY.match(text, code):  # pg_dump data follows, up to a line "\."
            stop = _COPY_END.search(text, end)
            i = stop.end() if stop else n
            continue
        i = end
        target = _TARGET.match(text, code)
        if target:
            renamed = _RENAMED.match(text, target.end())
            new = f"{_AND}{short(renamed.group(1))}" if renamed else ""
            yield short(target.group(1)) + new, text[start:end]
        elif rename := _RENAME_TABLE.match(text, code):
            names = re.findall(rf"{_QUALIFIED}\s+TO\s+{_QUALIFIED}", text[rename.end():end], re.I)
            yield _AND.join(short(n) for pair in names for n in pair), text[start:end]
        elif comment := _COMMENT_ON.match(text, code):
            names = re.findall(_NAME, comment.group(1))
            if len(names) > 1:
                yield short(names[-2]), text[start:end]
        elif update := _UPDATE.match(text, code):
            yield short(update.group(1)), text[start:end]
        elif drop := _DROP.match(text, code):
            names = [short(n) for n in re.findall(_QUALIFIED, text[drop.end():end - 1])]
            kept = [n for n in names if n not in ("cascade", "restrict")]
            yield _AND.join(kept), text[start:end]
        elif (into := _INTO.match(text, code)) and into.end() <= end:
            yield short(into.group(1)), text[start:end]
        elif _DO.match(text, code):
            yield _ANY, text[start:end]


class Earlier:
    """The migrations that run before each checked one and that the run has not read yet,
    read for the tables it copies: beside it and the other files checked, and at any depth
    under the ``locations`` of the run (``pia.migrations.locations``: the folders given,
    Flyway's configured ones), in the order ``files.run_order`` gives (by name, versions
    as numbers, whatever the folder). A checked file counts until it has been checked
    itself: with two Flyway locations given, ``db/a/V2`` is checked before ``db/b/V1``,
    which defines what it copies."""

    def __init__(self, dialect: str, locations: list[str] | tuple[str, ...] = (),
                 beside: list[str] | tuple[str, ...] = (), exclude: Sequence[str] = ()) -> None:
        self.dialect = dialect
        self.exclude = exclude  # --exclude: a rollback file is no earlier migration
        self.locations = list(locations)  # read at any depth
        self.beside = list(beside)  # the folders of the files checked: read, not below
        self.done: set[str] = set()  # real paths of the files checked so far
        #: (real path, table): the earlier files already applied for a table
        self.applied: set[tuple[str, str]] = set()
        self.index: dict[str, tuple[str, list[tuple[str, str]]]] = {}
        self.found: dict[str, list[Path]] = {}  # location → its *.sql files, listed once

    def earlier(self, path: str) -> list[str]:
        """The ``*.sql`` files beside the checked ones and under the locations that run
        before ``path``, in the order they run."""
        rank = run_order(path)
        files: dict[str, Path] = {}
        folders = [(w, False) for w in [os.path.dirname(path) or ".", *self.beside]]
        for where, deep in [*folders, *((w, True) for w in self.locations)]:
            key = f"{deep}:{os.path.realpath(where)}"
            if key not in self.found:
                self.found[key] = migrations_under(where, deep, self.exclude)
            files.update((os.path.realpath(p), p) for p in self.found[key])
        return [str(p) for real, p in sorted(files.items(), key=lambda kv: run_order(kv[1]))
                if real not in self.done and run_order(p) < rank]

    def _statements(self, path: str) -> tuple[str, list[tuple[str, str]]]:
        """The dialect of an earlier file and its DDL statements, read once per run."""
        real = os.path.realpath(path)
        if real not in self.index:
            found: tuple[str, list[tuple[str, str]]] = (self.dialect, [])
            with contextlib.suppress(InputError, OSError):  # not the change's error
                text = read_sql(path)
                dialect = self.dialect
                if dialect == "auto":  # told by its start: guessing on 10 MB took seconds
                    dialect = detect_dialect(text[:text.rfind("\n", 0, _GUESS) + 1 or _GUESS])
                found = (dialect, list(ddl(text, dialect)))
            self.index[real] = found
        return self.index[real]

    def fill(self, path: str, parsed: Parsed, tables: Tables) -> None:
        """Before ``path`` is judged: apply to ``tables`` what the files before it (and not
        checked) say of the tables it copies or drops, or whose columns it renames, drops,
        redefines (``MODIFY``) or comments on (a marker goes with the column), each file
        once per table. The run may know such a table already (created by a checked
        file): an earlier file between them still renames or drops its columns, or the
        table, so the same migrations give the same findings whichever of them are
        checked; what a checked file says of a column wins over an unchecked file's older
        definition of it."""
        self.done.add(os.path.realpath(path))
        made = {table_key(c.table) for c in parsed.columns if c.action == "create"}
        wanted = ({table_key(d.source) for d in parsed.derived}  # copied or renamed
                  | {table_key(c.table) for c in parsed.columns if c.was}  # renamed
                  # redefined or described again: its markers go with the column
                  | {table_key(c.table) for c in parsed.columns
                     if c.action in ("modify", "retype", "comment")}
                  # written by INSERT INTO t VALUES (...) with no column list: t's columns
                  | {table_key(lit.table) for lit in parsed.literals if lit.position >= 0}
                  # dropped: known, so that the drop applies and a later checked file's
                  # copy does not read the earlier definition again (this file is done)
                  | {table_key(d.table) for d in parsed.dropped}
                  ) - made
        if not wanted:
            return
        files = [(os.path.realpath(f), f) for f in self.earlier(path)]
        while True:
            chunks = []
            for real, file in files:
                dialect, statements = self._statements(file)
                # the statements are chosen by names lowercased: a superset, read exactly
                need = {w.lower() for w in wanted if (real, w) not in self.applied}
                chosen = [s for names, s in statements if need.intersection(names.split(_AND))
                          or names == _ANY and any(w in s.lower() for w in need)]
                if chosen:
                    text = "\n".join(chosen)
                    chunks.append((text, *read(text, dialect)))
            sources = {table_key(d.source) for _t, _d, p in chunks for d in p.derived} - wanted
            if not sources:
                break
            wanted |= sources  # a copy of a copy, a renamed table: its source is needed too
        self.applied |= {(real, w) for real, _f in files for w in wanted}
        known = {t: dict(tables[t]) for t in wanted if t in tables}
        found: Tables = {t: dict(columns) for t, columns in known.items()}
        for text, _dialect, part in chunks:
            derive(part, column_texts(text, part), found, text)
        for table in known.keys() - found.keys():  # renamed away by an earlier file
            del tables[table]
        for table, columns in found.items():
            if table in known:  # what the run knows, changed: renames and drops apply
                tables[table] = {n: known[table].get(n, e) for n, e in columns.items()}
                continue
            current = tables.setdefault(table, {})
            for name, entry in columns.items():
                current.setdefault(name, entry)
