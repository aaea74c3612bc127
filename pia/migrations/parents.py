"""The tables a PostgreSQL table takes its columns from as it is created: the parents of
``CREATE TABLE t (...) INHERITS (a, b)`` and the partitioned table of ``CREATE TABLE t
PARTITION OF a FOR VALUES ...`` (or ``DEFAULT``). A partition has exactly its parent's
columns, and a child of ``INHERITS`` has them beside its own: both hold the parent's
sensitive columns as a copy does (``parse.Parser.like``), the finding pointing at the
parent's name in the statement. A partition's own ``(c WITH OPTIONS ...)`` list only adds
constraints to those columns: it defines none.
"""

from __future__ import annotations

from pia.migrations.clauses import closing, split_top
from pia.migrations.sqltext import Tok


def parent_tables(toks: list[Tok], i: int) -> list[list[Tok]]:
    """The tokens naming each table ``CREATE TABLE name ...`` takes its columns from, where
    ``i`` is the index right after the new table's name; [] when it names none."""
    if i + 2 < len(toks) and toks[i].is_kw("PARTITION") and toks[i + 1].is_kw("OF"):
        return [toks[i + 2:]]
    if not (i < len(toks) and toks[i].is_punct and toks[i].value == "("):
        return []
    end = closing(toks, i)
    if end is None or not (end + 2 < len(toks) and toks[end + 1].is_kw("INHERITS")
                           and toks[end + 2].value == "("):
        return []
    last = closing(toks, end + 2) or len(toks)
    return split_top(toks[end + 3:last])
