"""What ``DROP`` statements drop: a column (``ALTER TABLE t DROP [COLUMN] c``) or tables
(``DROP TABLE a, b``). The run's history of tables (``columns.derive``) forgets them, so a
later copy does not hold them and a table created again under the name starts empty (QA:
encrypt into ``id_card_enc``, drop ``id_card``, then back the table up failed CI for a
column that no longer existed). A column dropped later in the same file is not in the
schema the migration leaves, and is not judged (``gone_by_the_end``).
"""

from __future__ import annotations

from collections.abc import Iterable

from pia.migrations.clauses import name_at, split_top
from pia.migrations.identity import name_key, table_key
from pia.migrations.parsed import Dropped, Parsed
from pia.migrations.sqltext import Tok, unquote_identifier

#: what ``ALTER TABLE t DROP ...`` drops when it is not a column
_DROPPED_NOT_COLUMN = frozenset({
    "CONSTRAINT", "PRIMARY KEY", "PRIMARY", "UNIQUE", "UNIQUE KEY", "UNIQUE INDEX",
    "FOREIGN KEY", "FOREIGN", "CHECK", "INDEX", "KEY", "FULLTEXT", "SPATIAL", "PARTITION",
    "DEFAULT", "SYSTEM VERSIONING", "PERIOD", "IDENTITY", "EXPRESSION", "NOT NULL",
})
_IF_EXISTS = ("IF EXISTS", "IF", "EXISTS")


def dropped_column(table: str, rest: list[Tok]) -> list[Dropped]:
    """The column an ``ALTER TABLE t DROP [COLUMN] [IF EXISTS] c [CASCADE]`` action drops
    (``rest``: what follows ``DROP [COLUMN]``); none for an index, a key, a constraint."""
    while rest and rest[0].is_kw(*_IF_EXISTS):
        rest = rest[1:]
    if not rest or rest[0].upper in _DROPPED_NOT_COLUMN or rest[0].is_punct:
        return []
    return [Dropped(table, unquote_identifier(rest[0].value), rest[0])]


def dropped_tables(toks: list[Tok]) -> list[Dropped]:
    """The tables ``DROP TABLE [IF EXISTS] a, b [CASCADE]`` (or ``DROP MATERIALIZED VIEW``)
    drops; none for another kind of object (an index, a view, a function)."""
    i = 1
    if i + 1 < len(toks) and toks[i].is_kw("MATERIALIZED") and toks[i + 1].is_kw("VIEW"):
        i += 2
    else:
        if i < len(toks) and toks[i].is_kw("TEMPORARY", "TEMP"):  # DROP TEMPORARY TABLE
            i += 1
        if i >= len(toks) or not toks[i].is_kw("TABLE"):
            return []
        i += 1
    while i < len(toks) and toks[i].is_kw(*_IF_EXISTS):
        i += 1
    out = []
    for part in split_top(toks[i:]):
        table, tok, _j = name_at(part, 0)
        if tok is not None:
            out.append(Dropped(table, "", tok))
    return out


def gone_by_the_end(parsed: Parsed, judged: Iterable[int]) -> set[int]:
    """The columns of ``parsed`` (indexes among ``judged``) that a later ``DROP [COLUMN]``
    or ``DROP TABLE`` of the same file drops, followed through renames of the column and of
    its table: they are not in the schema the migration leaves, so they are not judged
    (the same end state, the same verdict: ``CREATE TABLE t (sfzh ...)`` then ``DROP COLUMN
    sfzh`` is ``CREATE TABLE t ()``). What they held before the drop still counts: a copy
    made before it is a column of its own table, and a literal written into them is one."""
    def short(table: str) -> str:
        return table_key(table)

    events = sorted([(parsed.columns[k].tok.offset, 0, k) for k in judged]
                    + [(d.tok.offset, 1, n) for n, d in enumerate(parsed.derived) if d.moved]
                    + [(d.tok.offset, 2, n) for n, d in enumerate(parsed.dropped)])
    live: dict[tuple[str, str], list[int]] = {}  # (table, column) → its definitions so far
    out: set[int] = set()
    for _offset, kind, k in events:
        if kind == 0:
            col = parsed.columns[k]
            table = short(col.table)
            was = live.pop((table, name_key(col.was or col.name)), [])
            live.setdefault((table, name_key(col.name)), []).extend([*was, k])
        elif kind == 1:  # ALTER TABLE a RENAME TO b: its columns go with it
            old, new = short(parsed.derived[k].source), short(parsed.derived[k].table)
            for key in [key for key in live if key[0] == old]:
                live.setdefault((new, key[1]), []).extend(live.pop(key))
        else:
            gone = parsed.dropped[k]
            keys = ([(short(gone.table), name_key(gone.column))] if gone.column
                    else [key for key in live if key[0] == short(gone.table)])
            for key in keys:
                out.update(live.pop(key, []))
    return out
