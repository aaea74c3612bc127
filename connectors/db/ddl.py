"""Column comments written inline in a ``CREATE TABLE`` statement, as SQLite keeps them.

SQLite has no ``COMMENT ON``: a schema documents its columns with SQL comments in the DDL,
which ``sqlite_master.sql`` stores as written::

    CREATE TABLE users (
      id integer primary key,  -- 主键
      "phone" text,            -- 手机号 [class:L3]
      /* 身份证号 */
      sfzh text
    )

A comment on the line a column's definition ends on (before or after its comma) is that
column's; a comment on a line of its own describes the column defined next. The statement is
tokenised, so quoted identifiers (``"a,b"``, ```x```, ``[y]``), string literals, commas inside
comments and parentheses (``decimal(10,2)``, ``CHECK (x IN (1, 2))``) do not split a
definition. Table constraints (``PRIMARY KEY (...)``, ``CONSTRAINT ...``) are no columns.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"""
    (?P<line>--[^\n]*)
  | (?P<block>/\*.*?(?:\*/|\Z))
  | (?P<quoted>"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|'(?:[^']|'')*')
  | (?P<punct>[(),])
  | (?P<word>[^\s(),"'`\[/-]+|[/-])
  | (?P<space>\s+)
""", re.S | re.X)

#: words that open a table constraint rather than a column definition
_CONSTRAINTS = frozenset({"constraint", "primary", "unique", "check", "foreign"})


def _name(token: str) -> str:
    """An identifier as SQLite reads it: quotes removed, doubled quotes undone."""
    if token[:1] in "\"'`" and len(token) >= 2:
        return token[1:-1].replace(token[0] * 2, token[0])
    if token[:1] == "[":
        return token[1:-1]
    return token


def _text(comment: str) -> str:
    body = comment[2:-2] if comment.startswith("/*") and comment.endswith("*/") else comment[2:]
    return " ".join(body.split())


def column_comments(sql: str | None) -> dict[str, str]:
    """Column name (lowercased, as SQLite compares them) → its inline comment."""
    out: dict[str, list[str]] = {}
    depth, line = 0, 0
    column: str | None = None  # the definition being read, or the one a comma just ended
    words = 0  # tokens of the current definition so far
    last_line = -1  # line of the current (or just-ended) definition's last token
    pending: list[str] = []  # comments on lines of their own, for the next column
    opened = False
    for match in _TOKEN.finditer(sql or ""):
        kind, token = match.lastgroup, match.group()
        if kind == "space":
            line += token.count("\n")
            continue
        if kind in ("line", "block"):
            if depth >= 1 and (text := _text(token)):
                if column is not None and last_line == line:
                    out.setdefault(column, []).append(text)
                elif depth == 1 and not (column is None and last_line == line):
                    pending.append(text)  # (on the line that opens the list: the table's)
            line += token.count("\n")
            continue
        if token == "(":
            depth += 1
            if depth == 1:
                if opened:  # a second list at the top level: a CHECK or a SELECT, no columns
                    break
                opened, column, words, last_line = True, None, 0, line
                continue
        elif token == ")":
            depth -= 1
        elif token == "," and depth == 1:
            words = 0
            last_line = line
            continue
        if depth >= 1:
            if words == 0 and depth == 1:
                is_column = _name(token).lower() not in _CONSTRAINTS or kind == "quoted"
                column = _name(token).lower() if is_column else None
                if column is not None and pending:
                    out.setdefault(column, []).extend(pending)
                pending = []
            words += 1
            last_line = line
        elif depth == 0 and column is not None:
            last_line = line  # the closing parenthesis: a comment after it is the last column's
        elif depth == 0 and not opened and token.lower() == "as":
            break  # CREATE TABLE ... AS SELECT: no definitions to read
    return {name: " ".join(texts) for name, texts in out.items()}
