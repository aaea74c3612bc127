"""Code a migration runs from inside a literal: DO blocks, EXECUTE and PREPARE strings.

``DO $$ BEGIN IF NOT EXISTS (...) THEN ALTER TABLE users ADD COLUMN id_card ...; END IF;
END $$`` and ``EXECUTE 'ALTER TABLE users ADD COLUMN bank_card_no text'`` add columns as
surely as a plain ``ALTER TABLE``, and their literals are values like any other. A function's
body (``CREATE FUNCTION ... AS $$ ... $$``) runs only when the function is called: it is not
read as SQL (``pia.migrations.parse.Parser``), only as text for identifiers
(``pia.migrations.literals.unread_findings``).

Each body is read in place: a copy of the file with everything but the bodies blanked (line
breaks kept) is lexed, so every token keeps its line and column in the file. Bodies nest
(an ``EXECUTE`` string in a DO block), a few levels deep at most.
"""

from __future__ import annotations

import re

from pia.migrations.parse import Parser
from pia.migrations.parsed import Body, Parsed
from pia.migrations.sqltext import statements

#: a ``format()`` placeholder (``%I``, ``%s``, ``%L``, ``%1$I``)
_PLACEHOLDER = re.compile(r"%(?:\d+\$)?-?\d*[IsL]")
#: a table named by a placeholder, as ``only_bodies`` leaves it
_PLACED = re.compile(r"(?:^|(?<=\.))_{2,}$")

#: how deep bodies in bodies are read (a DO block's EXECUTE string is depth 2)
MAX_DEPTH = 4


def only_bodies(text: str, bodies: list[Body]) -> str:
    """``text`` blanked but for ``bodies`` (same length and line ends), each body ended
    by a ``;`` where its closing quote was, and a doubled quote in a string body read as
    one (``''x''`` → ``' x' ``: still one string, at the same place)."""
    out = [c if c in "\r\n" else " " for c in text]
    for body in bodies:
        code = text[body.start:body.end]
        quote = text[body.start - 1] if body.start else ""
        if quote in "'\"":
            code = code.replace(quote * 2, quote + " ")
        if body.template:  # format('ALTER TABLE %I ...'): %I is a name, of the same length
            code = _PLACEHOLDER.sub(lambda m: "_" * len(m.group()), code)
        out[body.start:body.end] = code
        for start, end, named in body.joints:  # ' || ' between joined strings, or a
            # name an expression gives (' || quote_ident(t) || '), said as format's %I is
            out[start:end] = f" {'_' * (end - start - 2)} " if named else " " * (end - start)
        if body.end < len(out):
            out[body.end] = ";"
    return "".join(out)


def read_bodies(parsed: Parsed, text: str, dialect: str, depth: int = 1) -> None:
    """Add the columns, literals and drops of the bodies of ``parsed`` to it: a column a
    DO block drops is gone for what follows it as surely as after a plain ``DROP``."""
    if depth > MAX_DEPTH or not parsed.bodies:
        return
    parser = Parser(dialect, text, code=True)
    for stmt in statements(only_bodies(text, parsed.bodies), dialect):
        parser.statement(stmt)
    read_bodies(parser.out, text, dialect, depth + 1)
    for made in [*parser.out.columns, *parser.out.dropped]:  # a table ``format`` fills in:
        made.table = _PLACED.sub("%I", made.table)  # said as it is written
    parsed.columns += parser.out.columns
    parsed.literals += parser.out.literals
    parsed.dropped += parser.out.dropped  # at their places in the file: derive orders them
