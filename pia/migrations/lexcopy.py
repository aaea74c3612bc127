"""The copy of a migration that sqlparse lexes, so that its tokens end where the dialect's do.

sqlparse lexes every dialect like MySQL: a backslash escapes the next character in any
string, and a block comment ends at the first ``*/``. PostgreSQL and SQLite strings have no
backslash escapes (``standard_conforming_strings`` is on since PostgreSQL 9.1; only
``E'...'`` strings have them), so ``'C:\\'`` is a whole string there, while sqlparse reads on
into the next statements. PostgreSQL block comments nest: ``/* a /* b */ c */`` is one comment.

``lexer_copy`` returns a copy of the same length and the same line breaks in which, for
those dialects, the characters that would mislead sqlparse are neutral: a backslash in a
standard string or a ``"quoted"`` identifier becomes a space, an escaped quote in an
``E'...'`` string becomes ``''``, and the ``/*`` and ``*/`` of a nested comment become spaces.
Tokens are cut from this copy, but their values are read back from the original text by
offset, so comments, literals and suppression markers keep their real text.

The walk follows sqlparse's own order at each token start (``--``/``# `` comments,
``/* */`` comments, ``$tag$`` bodies, strings, quoted names), so both agree on what is code.
"""

from __future__ import annotations

import re

#: the dialects whose strings and comments sqlparse gets wrong
DIALECTS = ("postgres", "sqlite")

# the same patterns sqlparse uses (sqlparse/keywords.py), so the walk and the lexer agree
_LINE_COMMENT = re.compile(r"(--|# ).*?(\r\n|\r|\n|$)")
_DOLLAR = re.compile(r"(?<![\w\"$])\$(?:[_A-ZÀ-Ü]\w*)?\$", re.I)
_BRACKET_NAME = re.compile(r"(?<![\w\])])\[[^\]\[]+\]")
_E_PREFIX = re.compile(r"(?<![\w$#])[eE]'")


def lexer_copy(text: str, dialect: str) -> str:
    """``text`` as sqlparse should see it for ``dialect`` (same length, same line breaks)."""
    if dialect not in DIALECTS:
        return text
    out = list(text)
    nested = dialect == "postgres"
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in "-#" and (match := _LINE_COMMENT.match(text, i)):
            i = match.end()
        elif text.startswith("/*", i):
            i = _block_comment(text, i, out, nested)
        elif char == "$" and (match := _DOLLAR.match(text, i)):
            close = text.find(match.group(), match.end())
            i = close + len(match.group()) if close >= 0 else i + 1
        elif char == "'":
            escapes = dialect == "postgres" and i > 0 and _E_PREFIX.match(text, i - 1) is not None
            i = _quoted(text, i, out, "'", escapes)
        elif char in "\"`":
            i = _quoted(text, i, out, char, False)
        elif char == "[" and (match := _BRACKET_NAME.match(text, i)):
            i = match.end()
        else:
            i += 1
    return "".join(out)


def _quoted(text: str, start: int, out: list[str], quote: str, escapes: bool) -> int:
    """Walk a string or quoted name opened at ``start`` (a doubled quote is a quote); return
    the offset after it. Without ``escapes`` a backslash is plain text and is blanked;
    with them (``E'...'``) ``\\'`` becomes ``''`` and ``\\\\`` two spaces."""
    i, n = start + 1, len(text)
    while i < n:
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
                if nxt == "'":
                    out[i] = "'"
                elif nxt == "\\":
                    out[i + 1] = " "
                i += 1
        i += 1
    return n


def _block_comment(text: str, start: int, out: list[str], nested: bool) -> int:
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
