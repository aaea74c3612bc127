"""Lines of a migration script that its client or tool reads, not the database.

A statement of a Liquibase formatted SQL changeset with ``endDelimiter:/``, of an Oracle
script (``END;`` then ``/``) or of a T-SQL script (``GO``) ends at a line holding only its
delimiter, not at a semicolon; a psql script has meta-commands (``\\set ON_ERROR_STOP on``,
``\\connect db``, ``\\i file.sql``) on lines of their own, with no semicolon. Read as SQL,
such a line glues the next statement to the one before it, and the next statement's
columns were never checked (QA: the ``id_card`` of the next changeset, exit 0).

``client_lines`` rewrites them in place (same length, same line breaks) before lexing: a
delimiter line becomes ``;``, a meta-command line blanks; only lines in code (not in a
string, a comment or a dollar-quoted body) are read so.
"""

from __future__ import annotations

import re

from pia.migrations.lexcopy import Edits, Walk

#: a line that ends a statement (``/``, ``GO``, ``GO 3``), a psql meta-command line, or a
#: Liquibase changeset header (it may name its own delimiter)
_CLIENT_LINE = re.compile(
    r"^[ \t]*(?:(?P<end>/|GO(?:[ \t]+\d+)?)|(?P<meta>\\[A-Za-z!?][^\r\n]*)"
    r"|--[ \t]*changeset\b(?P<changeset>[^\r\n]*))[ \t]*(?=[\r\n]|\Z)", re.M | re.I)
#: ``--changeset author:id endDelimiter:X``: X on a line of its own ends a statement
_END_DELIMITER = re.compile(r"\bendDelimiter:(\S+)", re.I)


def _delimiter_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of the lines holding only a changeset's own ``endDelimiter`` (one that is
    not ``/``, ``GO`` or ``;``), up to the next changeset."""
    headers = [m for m in _CLIENT_LINE.finditer(text) if m.group("changeset") is not None]
    out = []
    for k, header in enumerate(headers):
        named = _END_DELIMITER.search(header.group("changeset"))
        if not named or named.group(1).upper() in ("/", "GO", ";"):
            continue
        stop = headers[k + 1].start() if k + 1 < len(headers) else len(text)
        line = re.compile(rf"^[ \t]*{re.escape(named.group(1))}[ \t]*(?=[\r\n]|\Z)", re.M)
        out += [(m.start(), m.end()) for m in line.finditer(text, header.end(), stop)]
    return out


def client_lines(text: str, dialect: str = "postgres") -> str:
    """``text`` with each statement-ending line (``/``, ``GO``, a changeset's
    ``endDelimiter``) turned into ``;`` and each psql meta-command line blanked."""
    found = [(m.start(), m.end(), m.group("meta") is not None)
             for m in _CLIENT_LINE.finditer(text) if m.group("changeset") is None]
    found += [(start, end, False) for start, end in _delimiter_lines(text)]
    if not found:
        return text
    out = list(text)
    walk, i = Walk(text, Edits(), dialect), 0
    for start, end, meta in sorted(found):
        i = walk.until(i, start)
        if i != start:
            continue  # inside a string, a comment or a body
        out[start:end] = " " * (end - start)
        if not meta:
            out[start] = ";"
        i = end
    return "".join(out)
