"""The copy of a migration that sqlparse lexes, so that its tokens end where the dialect's do.

sqlparse lexes every dialect like MySQL: a backslash escapes the next character in any
string, and a block comment ends at the first ``*/``. PostgreSQL and SQLite strings have no
backslash escapes (``standard_conforming_strings`` is on since PostgreSQL 9.1; only
``E'...'`` strings have them, and plain ones after ``SET standard_conforming_strings = off``),
so ``'C:\\'`` is a whole string there, while sqlparse reads on into the next statements.
PostgreSQL block comments nest: ``/* a /* b */ c */`` is one comment. Even MySQL is misread:
sqlparse takes the quote of ``'C:\\\\'`` as escaped, knows ``#comment`` only as ``# comment``,
and skips ``/*!50100 ... */`` version comments, which MySQL runs.

``lexer_copy`` returns a copy of the same length and the same line breaks in which, for
the dialect, the characters that would mislead sqlparse are neutral: a backslash in a
standard string or a ``"quoted"`` identifier becomes a space, an escaped quote in a string
with escapes becomes ``''`` and an escaped backslash two spaces, the ``/*`` and ``*/`` of a
nested comment become spaces, the character after a MySQL ``#`` a space, and the
``/*!50100`` and ``*/`` of a version comment spaces.
Tokens are cut from this copy, but their values are read back from the original text by
offset, so comments, literals and suppression markers keep their real text.

The walk follows sqlparse's own order at each token start (``--``/``# `` comments,
``/* */`` comments, ``$tag$`` bodies, strings, quoted names), so both agree on what is code.
"""

from __future__ import annotations

import re

#: the dialects whose strings and comments sqlparse gets wrong
DIALECTS = ("postgres", "sqlite", "mysql")

# the same patterns sqlparse uses (sqlparse/keywords.py), so the walk and the lexer agree
_LINE_COMMENT = re.compile(r"(--|# ).*?(\r\n|\r|\n|$)")
_DOLLAR = re.compile(r"(?<![\w\"$])\$(?:[_A-ZÀ-Ü]\w*)?\$", re.I)
_BRACKET_NAME = re.compile(r"(?<![\w\])])\[[^\]\[]+\]")
_E_PREFIX = re.compile(r"(?<![\w$#])[eE]'")
#: ``SET standard_conforming_strings = off`` gives plain strings backslash escapes
_SCS = re.compile(r"(?<![\w$])SET\s+(?:SESSION\s+|LOCAL\s+)?standard_conforming_strings\s*"
                  r"(?:=|\bTO\b)\s*'?(on|off|true|false|yes|no|1|0)\b'?", re.I)
#: ``${name}``, ``${flyway:defaultSchema}``: Flyway placeholders, Liquibase properties
_PLACEHOLDER = re.compile(r"\$\{[\w:.\-]+\}")
#: psql's ``:"name"`` (an identifier) and ``:'name'`` (a string); ``:name`` lexes as a name
_PSQL_VARIABLE = re.compile(r":(?:\"\w+\"|'\w+')")
_BEFORE_VARIABLE = frozenset(":\\")
#: the characters ``Walk.step`` reads more than one character from
_TOKEN_START = re.compile(r"[-#/$sS'\"`\[:]")
#: a MySQL version comment, ``/*!50100 ... */``: MySQL runs what it holds
_VERSION_COMMENT = re.compile(r"/\*!\d*")


def lexer_copy(text: str, dialect: str) -> str:
    """``text`` as sqlparse should see it for ``dialect`` (same length, same line breaks)."""
    if dialect not in DIALECTS:
        return text
    out = Edits()
    Walk(text, out, dialect).until(0, len(text))  # over code, a token start at a time
    return out.applied(text)


class Edits:
    """The characters a walk neutralises, by offset (``edits[i] = " "``, or a slice and a
    string as long). A seed file's copy is its text with a few changes: a list of its
    characters took 8 bytes each, and about 80 for each Chinese one."""

    def __init__(self) -> None:
        self.at: dict[int, str] = {}

    def __setitem__(self, key: int | slice, value: str) -> None:
        if isinstance(key, slice):
            self.at.update(zip(range(key.start, key.stop), value, strict=True))
        else:
            self.at[key] = value

    def applied(self, text: str) -> str:
        if not self.at:
            return text
        pieces, last = [], 0
        for k in sorted(self.at):
            pieces += (text[last:k], self.at[k])
            last = k + 1
        pieces.append(text[last:])
        return "".join(pieces)


class Walk:
    """One token at a time, as ``dialect`` reads ``text``; neutralising writes go to ``out``
    (``Edits``, or a list of the text's characters)."""

    def __init__(self, text: str, out: Edits | list[str], dialect: str) -> None:
        self.text, self.out, self.dialect = text, out, dialect
        self.standard = True  # standard_conforming_strings (PostgreSQL)

    def step(self, i: int) -> int:
        """The offset after the token (comment, string, name) or code character at ``i``."""
        text, out, dialect = self.text, self.out, self.dialect
        char = text[i]
        if char in "-#" and (match := _LINE_COMMENT.match(text, i)):
            return match.end()
        if char == "#" and dialect == "mysql":  # #comment: no space needed in MySQL
            end = line_end(text, i)
            if end == i + 1:
                out[i] = " "
            else:
                out[i + 1] = " "
            return end
        if text.startswith("/*", i):
            if dialect == "mysql" and (match := _VERSION_COMMENT.match(text, i)):
                close = text.find("*/", match.end())
                if close >= 0:
                    out[i:match.end()] = " " * (match.end() - i)
                    out[close] = out[close + 1] = " "
                    return match.end()
            return _block_comment(text, i, out, dialect == "postgres")
        if char in "$:" and (match := self.placeholder(i)):
            for k in range(match.start(), match.end()):
                if not text[k].isalnum():
                    out[k] = "_"
            return match.end()
        if char == "$" and (match := _DOLLAR.match(text, i)):
            close = text.find(match.group(), match.end())
            return close + len(match.group()) if close >= 0 else i + 1
        if char in "sS" and dialect == "postgres" and (match := _SCS.match(text, i)):
            self.standard = match.group(1).lower() in ("on", "true", "yes", "1")
            return match.end()
        if char == "'":
            if dialect == "postgres":
                escapes = not self.standard or (
                    i > 0 and _E_PREFIX.match(text, i - 1) is not None)
            else:
                escapes = dialect == "mysql"
            return _quoted(text, i, out, "'", escapes)
        if char in "\"`":
            return _quoted(text, i, out, char, dialect == "mysql" and char == '"')
        if char == "[" and (match := _BRACKET_NAME.match(text, i)):
            return match.end()
        return i + 1


    def until(self, i: int, stop: int) -> int:
        """Walk from ``i`` to ``stop`` (or past it, when a token spans it), jumping over the
        code characters no token starts with."""
        while i < stop:
            found = _TOKEN_START.search(self.text, i, stop)
            if found is None:
                return stop
            i = self.step(found.start())
        return i

    def placeholder(self, i: int) -> re.Match[str] | None:
        """A Flyway placeholder or Liquibase property (``${schema}``, ``${flyway:user}``)
        or a psql variable interpolated as a name or a string (``:"schema"``, ``:'v'``) at
        ``i``: the tool replaces it before the database reads the SQL."""
        if self.text.startswith("${", i):
            return _PLACEHOLDER.match(self.text, i)
        if self.dialect == "postgres" and (i == 0 or self.text[i - 1] not in _BEFORE_VARIABLE):
            return _PSQL_VARIABLE.match(self.text, i)
        return None


def line_end(text: str, i: int) -> int:
    ends = [k for k in (text.find("\n", i), text.find("\r", i)) if k >= 0]
    return min(ends) if ends else len(text)


#: what can end or escape inside a string or quoted name: its quote, or a backslash
QUOTE_STOPS = {q: re.compile("[" + re.escape(q) + "\\\\]") for q in "'\"`"}


def _quoted(text: str, start: int, out: Edits | list[str], quote: str,
            escapes: bool) -> int:
    """Walk a string or quoted name opened at ``start`` (a doubled quote is a quote); return
    the offset after it. Without ``escapes`` a backslash is plain text and is blanked;
    with them (MySQL, ``E'...'``) ``\\'`` becomes ``''``, ``\\\\`` two spaces and any other
    ``\\x`` `` x``."""
    i, n = start + 1, len(text)
    stop = QUOTE_STOPS[quote]
    while i < n:
        found = stop.search(text, i)  # jump over the plain characters of a long literal
        if found is None:
            return n
        i = found.start()
        char = text[i]
        if char == quote:
            if text.startswith(quote * 2, i):
                i += 2
                continue
            return i + 1
        if char == "\\" and quote != "`":
            out[i] = " "
            if escapes and i + 1 < n:
                nxt = text[i + 1]
                if nxt == quote:
                    out[i] = quote
                elif nxt == "\\":
                    out[i + 1] = " "
                i += 1
        i += 1
    return n


def _block_comment(text: str, start: int, out: Edits | list[str], nested: bool) -> int:
    """Walk the comment opened at ``start``; return the offset after it. Nested ``/*`` and
    ``*/`` markers are blanked so sqlparse ends the comment where PostgreSQL does."""
    depth, i, inner = 1, start + 2, []
    while nested and depth:
        close = text.find("*/", i)
        opening = text.find("/*", i)
        if close < 0:
            break
        if 0 <= opening < close:
            depth, i = depth + 1, opening + 2
            inner.append(opening)
        else:
            depth, i = depth - 1, close + 2
            if depth:
                inner.append(close)
    if nested and depth == 0:
        for at in inner:
            out[at] = out[at + 1] = " "
        return i
    close = text.find("*/", start + 2)  # not nested, or never closed: as sqlparse reads it
    return close + 2 if close >= 0 else len(text)
