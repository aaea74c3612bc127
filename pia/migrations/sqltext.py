"""SQL text as positioned tokens: what the migration checker reads instead of raw lines.

sqlparse does the hard lexing (dollar-quoted bodies become one literal, comments and strings
are single tokens, backticks and ``"quoted"`` identifiers are recognised) and splits
statements; here every token gets its 1-based line and column in the original file, so a
finding points at the column name or literal it is about. Grouping is left to ``statements``:
sqlparse's grouping of DDL is too loose to trust for column lists.

pg_dump seed data (``COPY t (a, b) FROM stdin;`` then rows, tab-separated or CSV, up to ``\\.``) is
not SQL: it is blanked out before lexing and its fields are read by ``copydata``.
MySQL dumps use ``DELIMITER //`` around routines; sqlparse knows nothing of it, so routine
bodies between such delimiters are blanked out before lexing (offsets kept), and other
statements there get their delimiter turned back into ``;``.

PostgreSQL and SQLite strings have no backslash escapes, and PostgreSQL block comments nest;
sqlparse knows neither, so it lexes a neutralised copy of the text (``lexcopy``) and token
values are read back from the text by offset.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlparse import tokens as T
from sqlparse.exceptions import SQLParseError

from pia.errors import InputError
from pia.migrations.fastlex import tokenize
from pia.migrations.files import missing
from pia.migrations.identity import quoted_name
from pia.migrations.lexcopy import QUOTE_STOPS, lexer_copy, line_end
from pia.migrations.scriptlines import client_lines
from pia.migrations.splitter import PLAIN, Splitter

DIALECTS = ("auto", "postgres", "mysql", "sqlite")

_HASH_LINE = re.compile(r"^[ \t]*#(?![ \t]).*$", re.M)
_DELIMITER = re.compile(r"^[ \t]*DELIMITER[ \t]+(\S+)[ \t]*$", re.I | re.M)
_ROUTINE = re.compile(
    r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?"
    r"(?:PROCEDURE|FUNCTION|TRIGGER|EVENT)\b", re.I)
# Each hint pattern starts with a lookahead for the first characters its alternatives can
# start with: without it ``re`` tries every alternative at every position of a seed file's
# code (0.7 s for 6 MB; 0.15 s with it). ``DELIMITER`` may follow white space at a line start.
_MYSQL_HINTS = re.compile(
    r"(?=[`eaudcm\s])(?:`|\bENGINE\s*=|\bAUTO_INCREMENT\b|\bUNSIGNED\b"
    r"|\bDEFAULT\s+CHARSET\b|\bCOMMENT\s+['\"]|\bMODIFY\s+COLUMN\b|\bCHANGE\s+COLUMN\b"
    r"|^\s*DELIMITER\b)", re.I | re.M)
_POSTGRES_HINTS = re.compile(
    r"(?=[$cbs:jtle])(?:\$\w*\$|\bCOMMENT\s+ON\b|\bBIGSERIAL\b|\bSERIAL\b|::|\bBYTEA\b"
    r"|\bJSONB\b|\bTIMESTAMPTZ\b|\bLANGUAGE\s+plpgsql\b|(?<![\w$#])E'"
    r"|\bstandard_conforming_strings\b)", re.I)
_SQLITE_HINTS = re.compile(r"\bAUTOINCREMENT\b|\bPRAGMA\b|\bWITHOUT\s+ROWID\b", re.I)


@dataclass(frozen=True, slots=True)
class Tok:
    """One lexical token with its place in the file (1-based line and column)."""

    ttype: object
    value: str
    offset: int
    line: int
    col: int

    @property
    def upper(self) -> str:
        return " ".join(self.value.upper().split())

    def is_kw(self, *words: str) -> bool:
        return self.upper in words and not self.is_string

    @property
    def is_string(self) -> bool:
        return self.ttype in T.Literal.String.Single

    @property
    def is_punct(self) -> bool:
        return self.ttype in T.Punctuation


@dataclass
class Statement:
    """A statement's significant tokens, and the comments that appear within it."""

    tokens: list[Tok]
    comments: list[Tok]
    errors: list[Tok]
    #: offsets of the semicolons inside it: sqlparse keeps a ``BEGIN ... END`` block (a
    #: DO body's code) one statement, and its parts are read one by one
    breaks: tuple[int, ...] = ()

    @property
    def line(self) -> int:
        return self.tokens[0].line if self.tokens else 0


def read_sql(path: str | Path) -> str:
    """The text of a migration file; binary content or a non-UTF-8 encoding is an
    ``InputError`` (exit 2): guessing an encoding could hide the very columns we look for."""
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        if os.path.islink(path) and not os.path.exists(path):
            raise InputError(missing(str(path))) from None
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: not a SQL file in UTF-8 (it is UTF-16)")
    if b"\x00" in raw:
        raise InputError(f"{path}: not a SQL file (binary content)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not a SQL file in UTF-8 (invalid byte at offset "
                         f"{err.start}){_gbk_hint(raw)}") from None


def _gbk_hint(raw: bytes) -> str:
    """How to convert a file that reads as GBK, the legacy Chinese encoding of many older
    repositories (QA): still refused, since guessing could hide a column's comment."""
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return ""
    return "; it reads as GBK: convert it with iconv -f GB18030 -t UTF-8"


def detect_dialect(text: str) -> str:
    """Guess postgres, mysql or sqlite from tell-tale syntax in code (not in comments or
    strings); postgres when nothing tells, and on a tie with it. ``\\'`` before a letter
    inside a string (``'it\\'s'``) is a strong MySQL hint: in a standard string it would end
    the string and leave a stray quote. A MySQL version comment (``/*!50100``) is another."""
    code, escapes, versions = _code_only(text)
    code = _SPACES.sub(" ", code)  # a blanked literal: the hints try every position
    for match in _DELIMITER.finditer(code):  # DELIMITER $$ ... END$$ is no dollar quote
        delimiter = re.escape(match.group(1))
        code = re.sub(delimiter, lambda m: " " * len(m.group()), code)
    scores = {
        "mysql": len(_MYSQL_HINTS.findall(code)) + 2 * escapes + versions,
        "postgres": len(_POSTGRES_HINTS.findall(code)),
        "sqlite": len(_SQLITE_HINTS.findall(code)),
    }
    best = max(scores, key=lambda d: (scores[d], d == "postgres"))
    return best if scores[best] else "postgres"


_NOT_LINE_BREAK = re.compile(r"[^\r\n]")
_CODE_STOP = re.compile(r"--|#|/\*|['\"`]")
_SPACES = re.compile(r" {2,}")


def _code_only(text: str) -> tuple[str, int, int]:
    """``text`` with comments and the insides of strings and quoted names blanked (quotes
    kept), the number of ``\\'`` escapes before a letter or digit inside strings, and of
    MySQL version comments. Read neutrally: a doubled quote or ``\\\\`` stays inside."""
    pieces: list[str] = []  # the text up to ``last``, blanked where it must be
    last = 0
    escapes = versions = 0
    i, n = 0, len(text)

    def blank(a: int, b: int) -> None:  # at C speed: a seed's literal may be megabytes
        nonlocal last
        piece = text[a:b]
        pieces.append(text[last:a])
        pieces.append(_NOT_LINE_BREAK.sub(" ", piece) if "\n" in piece or "\r" in piece
                      else " " * len(piece))
        last = max(last, b)

    while i < n:
        char = text[i]
        if text.startswith("--", i) or char == "#":
            end = line_end(text, i)
            blank(i, end)
            i = end
        elif text.startswith("/*", i):
            versions += text.startswith("/*!", i)
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            blank(i, end)
            i = end
        elif char in "'\"`":
            k, stop = i + 1, QUOTE_STOPS[char]
            while k < n:
                found = stop.search(text, k)  # over the plain characters of a long string
                if found is None:
                    k = n
                    break
                k = found.start()
                if text[k] == char:
                    if text.startswith(char * 2, k):
                        k += 2
                        continue
                    break
                if text[k] == "\\" and char != "`" and k + 1 < n:
                    if text[k + 1] == char and k + 2 < n and text[k + 2].isalnum():
                        escapes += 1
                        k += 2
                        continue
                    if text[k + 1] == "\\":
                        k += 2
                        continue
                k += 1
            blank(i + 1, min(k, n))  # the quotes kept: a backtick is itself a MySQL hint
            i = k + 1
        else:  # to where a comment, string or quoted name may start (the cases above)
            found = _CODE_STOP.search(text, i + 1)
            i = found.start() if found else n
    pieces.append(text[last:])
    return "".join(pieces), escapes, versions


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def strip_delimiters(text: str, dialect: str = "postgres") -> str:
    """Undo MySQL ``DELIMITER`` blocks in place (same length, same line breaks), blank
    MySQL ``#comment`` lines that sqlparse only knows as ``# comment``, and read the lines
    a client or tool reads (``/``, ``GO``, psql's ``\\set``: ``scriptlines``)."""
    from pia.migrations.copydata import copy_blocks  # which imports this module

    text = _HASH_LINE.sub(lambda m: _blank(m.group(0)), text)
    for block in copy_blocks(text):
        text = text[:block.start] + _blank(text[block.start:block.after]) + text[block.after:]
    text = client_lines(text, dialect)
    out, pos, delimiter = [], 0, ";"
    for match in _DELIMITER.finditer(text):
        out.append(_rewrite(text[pos:match.start()], delimiter))
        out.append(_blank(match.group(0)))
        delimiter, pos = match.group(1), match.end()
    out.append(_rewrite(text[pos:], delimiter))
    return "".join(out)


def _rewrite(chunk: str, delimiter: str) -> str:
    if delimiter == ";":
        return chunk
    parts = chunk.split(delimiter)
    done = []
    for i, part in enumerate(parts):
        done.append(_blank(part) if _ROUTINE.match(part) else part)
        if i < len(parts) - 1:
            done.append(";" + " " * (len(delimiter) - 1))
    return "".join(done)


def unquote_identifier(value: str) -> str:
    """```a``b``` → a`b, ``"x"`` → x, ``[x]`` → x; other names as written; a
    PostgreSQL ``"Quoted"`` name keeps its case (``identity.quoted_name``)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "`\"":
        q = value[0]
        return quoted_name(value[1:-1].replace(q + q, q), q)
    if len(value) >= 2 and value[0] == "[" and value[-1] == "]":
        return value[1:-1]
    return value


#: what a backslash escape stands for in MySQL strings and PostgreSQL E'...' strings; any
#: other escaped character stands for itself (MySQL keeps \\% and \\_ as written: LIKE needs them)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "0": "\0", "Z": "\x1a"}


def _unescape(body: str) -> str:
    def one(match: re.Match[str]) -> str:
        char = match.group(1)
        return "\\" + char if char in "%_" else _ESCAPES.get(char, char)

    return re.sub(r"\\(.)", one, body, flags=re.S)


def string_value(value: str, backslash_escapes: bool = True) -> str:
    """The text of a string literal token (``'it''s'``, ``"x"`` in MySQL, ``$$...$$``,
    ``E'a\\nb'``, ``N'x'``); backslash escapes are undone only where they exist (MySQL and
    ``E'...'``): ``\\n`` is a line break, not an ``n`` glued to the next word."""
    if value.startswith("$"):
        end = value.index("$", 1) + 1
        return value[end:len(value) - end]
    if len(value) >= 3 and value[0] in "EeNn" and value[1] == "'":
        backslash_escapes = value[0] in "Ee"
        value = value[1:]
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        q = value[0]
        body = value[1:-1].replace(q + q, q)
        return _unescape(body) if backslash_escapes else body
    return value


#: where a line ends: CRLF, LF, or a lone CR (classic Mac OS), as editors, GitHub and
#: ``str.splitlines`` count lines
_LINE_END = re.compile(r"\r\n?|\n")


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, as ``Lines`` numbers them."""
    return _LINE_END.split(text)


class Lines:
    """Offset → (line, column), both 1-based, columns in characters."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _LINE_END.finditer(text)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


def _unbalanced(tokens: list[Tok]) -> bool:
    depth = 0
    for tok in tokens:
        if tok.is_punct and tok.value in "()":
            depth += 1 if tok.value == "(" else -1
    return depth != 0


def _cut(tokens: list[Tok]) -> list[list[Tok]]:
    """sqlparse does not end a statement inside an open parenthesis, so one missing ``)``
    swallows the rest of the file; such a statement is cut at its semicolons instead, and
    only the broken part is lost."""
    if not _unbalanced(tokens):
        return [[t for t in tokens if not (t.is_punct and t.value == ";")]]
    parts: list[list[Tok]] = [[]]
    for tok in tokens:
        if tok.is_punct and tok.value == ";":
            parts.append([])
        else:
            parts[-1].append(tok)
    return [p for p in parts if p]


def glued_prefixes(dialect: str) -> frozenset[str]:
    """The letters sqlparse splits off a string they are glued to, which are one string
    with it: ``E'...'`` (PostgreSQL) and ``N'...'``."""
    return frozenset("NnEe" if dialect == "postgres" else "Nn")


def _prefixed(tokens: list[Tok], tok: Tok, dialect: str) -> bool:
    """Is ``tok`` a string glued to a ``E`` (PostgreSQL) or ``N`` prefix sqlparse split off?"""
    if not tokens or not tok.is_string or not tok.value.startswith("'"):
        return False
    prefix = tokens[-1]
    return (prefix.value in glued_prefixes(dialect) and prefix.offset + 1 == tok.offset
            and prefix.ttype in T.Name)


def _run_on(tokens: list[Tok], tok: Tok) -> bool:
    """Is ``tok`` a name glued to the number before it (``11010519491231002X``, ``12张三``),
    which sqlparse lexes as two tokens (``1101051949123100``, ``2X``)? In MySQL such a word is
    an identifier (a name may start with digits: ``20240101_users``); PostgreSQL ("trailing
    junk after numeric literal") and SQLite ("unrecognized token") reject it."""
    if not tokens or not (tok.ttype in T.Name or tok.ttype in T.Keyword):
        return False
    number = tokens[-1]
    return (number.ttype in T.Literal.Number and number.ttype not in T.Literal.Number.Hexadecimal
            and number.offset + len(number.value) == tok.offset and tok.value[:1].isalnum())


def statements(text: str, dialect: str = "auto") -> list[Statement]:
    """Split and lex ``text`` as ``dialect`` reads it; every token keeps its position and
    its value in the original text (only blanked-out regions read as blanks)."""
    return list(iter_statements(text, dialect))


def iter_statements(text: str, dialect: str = "auto", plain: bool = False
                    ) -> Iterator[Statement]:
    """``statements``, one at a time: a seed file's tokens are not all held at once. With
    ``plain``, a plain ``INSERT ... VALUES`` is read whole and given as a
    ``plaininsert.PlainInsert`` holding its literals (what the parser reads of it), not its
    tokens."""
    if dialect == "auto":
        dialect = detect_dialect(text)
    stripped = strip_delimiters(text, dialect)
    lexed = lexer_copy(stripped, dialect)
    lines = Lines(text)
    splitter = Splitter()
    jump = None
    if plain:
        from pia.migrations.plaininsert import PlainReader

        reader = PlainReader(lexed, stripped, lines, dialect)

        def jump(pos: int) -> Any:
            return reader(pos) if splitter.at_start else None
    try:
        # lex (one pattern per position: pia.migrations.fastlex) and split only: no
        # grouping, no limits
        yield from _split(splitter.split(tokenize(lexed, jump)), stripped, lines, dialect)
    except (SQLParseError, RecursionError) as err:
        raise InputError(f"cannot be parsed as SQL ({err})") from None


def _split(split: Iterable[list[tuple[Any, Any]]], stripped: str, lines: Lines,
           dialect: str) -> Iterator[Statement]:
    offset = 0
    for stmt in split:
        tokens, comments, errors, breaks = [], [], [], []
        whole = None
        for ttype, value in stmt:
            if ttype is PLAIN:  # a plain INSERT read whole (pia.migrations.plaininsert)
                whole, offset = value, value.end
                continue
            size = len(value)
            if ttype in T.Whitespace:  # half the tokens: no Tok for them
                offset += size
                continue
            tok = Tok(ttype, stripped[offset:offset + size], offset, *lines.at(offset))
            if ttype in T.Comment:
                comments.append(tok)
            elif ttype is T.Error:
                errors.append(tok)
            elif _run_on(tokens, tok):  # 11010519491231002X: one word, not a number and a name
                number = tokens.pop()
                word = Tok(T.Name if dialect == "mysql" else T.Error, number.value + tok.value,
                           number.offset, number.line, number.col)
                (tokens if dialect == "mysql" else errors).append(word)
            else:
                if _prefixed(tokens, tok, dialect):  # E'...' and N'...' are one string
                    prefix = tokens.pop()
                    tok = Tok(tok.ttype, prefix.value + tok.value, prefix.offset,
                              prefix.line, prefix.col)
                tokens.append(tok)
            if tok.is_punct and value == ";":
                breaks.append(offset)
            offset += size
        if whole is not None:  # only white space and comments beside it
            from pia.migrations.plaininsert import PlainInsert

            yield PlainInsert([], comments, [], (whole.end - 1,), whole.literals,
                              whole.marks)
            continue
        parts = _cut(tokens) or [[]]
        for k, part in enumerate(parts):
            first = part[0].offset if part and k else -1
            last = parts[k + 1][0].offset if k + 1 < len(parts) else offset
            current = Statement(part, [c for c in comments if first <= c.offset < last],
                                [e for e in errors if first <= e.offset < last],
                                tuple(b for b in breaks if first <= b < last))
            if current.tokens or current.comments:
                yield current
