"""What a migration's DML writes: the values of ``INSERT``/``REPLACE``/``UPDATE`` statements,
each kept as a ``Literal`` with the column it is written to, and the code it runs (a ``DO``
block, an ``EXECUTE`` string), kept as a ``Body`` to read.

A mixin of ``pia.migrations.parse.Parser``, which reads the DDL: the two share the parser's
state (``out``, the literals already ``seen`` in a statement, whether it reads ``code``).
"""

from __future__ import annotations

from sqlparse import tokens as T

from pia.migrations.clauses import closing, name_at, split_top
from pia.migrations.executed import executed
from pia.migrations.parsed import Body, Literal, Parsed
from pia.migrations.sqltext import Tok, unquote_identifier

#: statements whose dollar-quoted bodies are code, not values
_CODE_STATEMENTS = frozenset({"DO", "CREATE"})


def _is_dollar(tok: Tok) -> bool:
    return tok.ttype in T.Literal and tok.value.startswith("$")


#: what may stand between ``INSERT`` and its table (MySQL's and SQLite's modifiers)
_INSERT_WORDS = ("INTO", "IGNORE", "OR", "REPLACE", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY")


def insert_head(toks: list[Tok]) -> tuple[str, Tok | None, list[list[Tok]] | None, int]:
    """An ``INSERT``'s table, its name's token, the parts of its column list (None without
    one) and the index after them and PostgreSQL's ``OVERRIDING SYSTEM VALUE`` (pg_dump
    writes it for an identity column's values, so its rows' literals keep their columns); a
    list never closed runs to the end, and the index is then past it. ``DmlReader.insert``
    and ``plaininsert`` read a head alike."""
    i = 1
    while i < len(toks) and toks[i].is_kw(*_INSERT_WORDS):
        i += 1
    table, tok, i = name_at(toks, i)
    parts = None
    if i < len(toks) and toks[i].is_punct and toks[i].value == "(":
        end = closing(toks, i)
        end = len(toks) if end is None else end
        parts = split_top(toks[i + 1:end])
        i = end + 1
    if (i + 2 < len(toks) and toks[i].is_kw("OVERRIDING") and toks[i + 1].is_kw("SYSTEM", "USER")
            and toks[i + 2].is_kw("VALUE")):
        i += 3
    return table, tok, parts, i


class DmlReader:
    """Reads ``INSERT`` rows and the literals of any statement into ``out``."""

    out: Parsed
    seen: set[int]
    code: bool

    def is_text(self, tok: Tok) -> bool:
        raise NotImplementedError

    def text(self, tok: Tok) -> str:
        raise NotImplementedError

    def insert(self, toks: list[Tok]) -> None:
        table, _tok, parts, i = insert_head(toks)
        names = [unquote_identifier(p[0].value) for p in parts or []]
        if i < len(toks) and toks[i].is_kw("VALUES", "VALUE"):
            i += 1
            while i < len(toks) and toks[i].is_punct and toks[i].value == "(":
                end = closing(toks, i) or len(toks)
                for pos, value in enumerate(split_top(toks[i + 1:end])):
                    column = names[pos] if pos < len(names) else None
                    # no column list (mysqldump's default): the table's columns in order,
                    # when the run knows them (``columns.derive``)
                    self.literals(table, value, column, -1 if names else pos)
                i = end + 1
                if i < len(toks) and toks[i].is_punct and toks[i].value == ",":
                    i += 1

    def literals(self, table: str, toks: list[Tok], column: str | None,
                 position: int = -1) -> None:
        """Record the string and long numeric literals not recorded yet; a literal right
        after ``name =`` is compared with that column. Code (a DO block or a function's
        dollar-quoted body, an ``EXECUTE`` string) is kept as a ``Body`` to read. A literal
        of the ``position``-th value of an INSERT without a column list keeps it."""
        code = self.code or toks and toks[0].upper.split()[0] in _CODE_STATEMENTS and not (
            len(toks) > 1 and toks[1].is_kw("TABLE"))
        for k, tok in enumerate(toks):
            if tok.offset in self.seen:
                continue
            dollar = _is_dollar(tok)
            # a word that starts with a long number (MySQL's 11010519491231002X) is one too
            long_number = len(tok.value) >= 6 and (
                tok.ttype in T.Literal.Number or tok.ttype in T.Name and tok.value[:6].isdigit())
            if not (self.is_text(tok) or long_number or dollar):
                continue
            self.seen.add(tok.offset)
            before = toks[k - 1].upper if k else ""
            if dollar and code:
                tag = tok.value.index("$", 1) + 1
                if toks[0].upper == "DO" or before == "EXECUTE":
                    self.out.bodies.append(Body(tok.offset + tag,
                                                tok.offset + len(tok.value) - tag))
                continue  # a function body: not run by the migration
            template = before == "(" and k >= 3 and toks[k - 2].upper == "FORMAT" and (
                toks[k - 3].upper == "EXECUTE")
            if tok.value.startswith("'") and (
                    (before == "EXECUTE" or template) and self.code
                    or before == "FROM" and k >= 2 and toks[0].upper == "PREPARE"
                    or toks[0].upper == "DO"):  # DO 'BEGIN ... END' is DO $$ ... $$
                self.out.bodies.append(executed(toks, k, self.seen, template))
                continue
            target = column
            if k >= 2 and toks[k - 1].value == "=" and not (
                    toks[k - 2].is_punct or toks[k - 2].is_kw("COMMENT")):
                target = unquote_identifier(toks[k - 2].value)
            self.out.literals.append(Literal(table, target, tok, self.text(tok),
                                             position=position if target is None else -1))
