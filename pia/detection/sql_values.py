"""Which column of an INSERT's column list each quoted value of its VALUES is given for.

A log that prints SQL (a slow-query log, an ORM's debug log of the statements it runs, a
dump's extended INSERTs) labels its values by position only: ``INSERT INTO t_user (id, name,
mobile) VALUES (1001, '黄志明', '13812345678')``. A recognizer that counts a value only as a
label's (CN_NAME) finds the label here in the column list, however far back it stands.

Only statements that name their columns are read, and only a quoted value standing directly
in a row (not inside a function call such as ``CONCAT('a', 'b')``). Each line is read once,
left to right, whatever the number of rows of an extended INSERT.
"""

from __future__ import annotations

import re

#: an INSERT (or MySQL's REPLACE) that names its columns, up to the first row's parenthesis
_HEAD = re.compile(
    r"\b(?:insert|replace)\s+(?:(?:ignore|low_priority|delayed|high_priority)\s+)?"
    r"(?:into\s+)?[^\s(),;]+\s*\(([^()]*)\)\s*values?\s*(?=\()", re.IGNORECASE)
#: what the rows are made of, as far as columns go: quoted strings (with their escapes),
#: parentheses, commas and the end of the statement; anything else is skipped
_TOKEN = re.compile(r"'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.)*\"|[(),;]")
_QUOTING = "`\"[] \t"


def quoted_values(text: str, start: int, stop: int) -> dict[int, tuple[int, str]]:
    """For ``text[start:stop]`` (a line), each quoted value an INSERT gives for a named
    column: where its content starts → (where its content ends, the column's name)."""
    found: dict[int, tuple[int, str]] = {}
    position = start
    while (head := _HEAD.search(text, position, stop)) is not None:
        columns = [column.strip(_QUOTING) for column in head.group(1).split(",")]
        position = _rows(text, head.end(), stop, columns, found)
    return found


def _rows(text: str, start: int, stop: int, columns: list[str],
          found: dict[int, tuple[int, str]]) -> int:
    """Read the rows of one INSERT from ``start``; returns where they end."""
    depth = index = 0
    for token in _TOKEN.finditer(text, start, stop):
        mark = token.group()
        if mark == "(":
            depth += 1
            if depth == 1:
                index = 0
        elif mark == ")":
            depth -= 1
            if depth < 0:
                return token.end()
        elif mark == ",":
            index += depth == 1
        elif mark == ";" or depth == 0:  # the statement ended (or ON DUPLICATE KEY …)
            return token.end()
        elif depth == 1 and index < len(columns):
            found[token.start() + 1] = (token.end() - 1, columns[index])
    return stop
