"""Which names are the same table or column: the dialect's rule, in one place.

PostgreSQL folds an unquoted name to lower case and keeps a quoted one as written:
``Users``, ``USERS`` and ``"users"`` are one table, ``"Users"`` another. So, while a
PostgreSQL migration is parsed (``reading_names_of``), a ``"quoted"`` name with a capital
letter is read as a ``CaseKept`` name, compared as written; every other name is compared by
its lower case (``name_key``, ``table_key``). Names are reported as written either way
(``userPhone`` stays ``userPhone``: what the author wrote says what the column holds).

MySQL and MariaDB compare column names without regard to case, quoted or not; their table
names follow the server's ``lower_case_table_names`` (case-sensitive on Linux by default),
which a migration does not tell, so pia compares them without regard to case as well, as
SQLite compares both. A declaration's columns (``pia.yaml``) are matched without regard to
case in every dialect.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: the dialect whose names are being read (``reading_names_of``); '' outside a parse
_READING: ContextVar[str] = ContextVar("pia_migration_names", default="")


class CaseKept(str):
    """A name PostgreSQL keeps in its case: ``"Users"`` as written, a name of its own.
    ``name_at`` gives a qualified name ending in one (``public."Users"``) this type too."""

    __slots__ = ()


@contextmanager
def reading_names_of(dialect: str) -> Iterator[None]:
    """While the statements of a ``dialect`` migration are parsed, its double-quoted names
    are read by the dialect's rule (``quoted_name``)."""
    token = _READING.set(dialect)
    try:
        yield
    finally:
        _READING.reset(token)


def quoted_name(inner: str, quote: str) -> str:
    """The name a quoted identifier names: in PostgreSQL, a ``"double-quoted"`` one with a
    capital letter keeps its case (``CaseKept``); any other as a plain name."""
    if quote == '"' and _READING.get() == "postgres" and inner != inner.lower():
        return CaseKept(inner)
    return inner


def qualified(parts: list[str]) -> str:
    """``schema.table`` from its parts, case-kept when its last part is."""
    joined = ".".join(parts)
    return CaseKept(joined) if parts and isinstance(parts[-1], CaseKept) else joined


def name_key(name: str) -> str:
    """What a column (or table) name is compared by: a case-kept name as written, any
    other by its lower case (PostgreSQL's folding of unquoted names; MySQL's and SQLite's
    comparison without regard to case)."""
    return str(name) if isinstance(name, CaseKept) else name.lower()


def compared(name: str) -> str:
    """A (possibly schema-qualified) name as a finding's identity compares it: a case-kept
    name's last part as written and its schema by its lower case, any other name by its
    lower case. A baseline entry is then one table's: ``users.sfzh`` accepts neither
    ``"Users".sfzh`` nor ``t."IdCard"`` (QA: they shared a fingerprint), while ``USERS``,
    ``Users`` and ``"users"`` remain one table, as PostgreSQL folds them."""
    if not isinstance(name, CaseKept):
        return name.lower()
    schema, dot, last = name.rpartition(".")
    return f"{schema.lower()}{dot}{last}"


def kept_as(original: str, shown: str) -> str:
    """``shown`` (``original`` masked, say) of ``original``'s kind: a case-kept name stays
    one, so what compares it later still keeps its case."""
    return CaseKept(shown) if isinstance(original, CaseKept) else shown


def table_key(table: str) -> str:
    """A table's key, without its schema (a migration seldom says which one it means)."""
    last = table.rpartition(".")[2]
    return last if isinstance(table, CaseKept) else last.lower()
