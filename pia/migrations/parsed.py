"""What a migration's statements are read as: the columns they define, the literals they
write, the code they run from inside a literal, the copies of tables they make, and what
could not be read (``pia.migrations.parse`` fills them in; the verdicts are
``pia.migrations.check``'s and ``pia.migrations.literals``').
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pia.migrations.messages import message
from pia.migrations.sqltext import Tok


@dataclass
class Column:
    """A column a migration creates, changes, renames or comments on."""

    table: str
    name: str
    tok: Tok  # the column name token: where findings point
    action: str  # create | add | change | modify | retype | rename | comment
    type: str = ""
    comment: str | None = None
    lines: tuple[int, int] = (0, 0)  # first and last line of the definition
    end_offset: int = 0
    #: the table a copied column comes from (``CREATE TABLE b LIKE a``), else ''
    origin: str = ""
    #: the name a renamed column had (``RENAME COLUMN a TO b``, MySQL's ``CHANGE a b``)
    was: str = ""
    #: the table and column a named column of ``CREATE TABLE b AS SELECT u.id_card AS sfzh
    #: FROM u`` copies (``("u", "id_card")``), else ()
    copied: tuple[str, str] | tuple[()] = ()
    #: ``ALTER COLUMN c TYPE t USING f(c)``: what ``f`` made of its values (decrypted,
    #: encrypted, hashed_keyed, hashed, digest: ``rewrites.rewrite_of``), else ''
    rewritten: str = ""
    #: the (table, column) whose decrypted values it stores: a STORED generated column or
    #: an ``AS SELECT`` expression computed with ``AES_DECRYPT(c)`` (``rewrites``), else ()
    decrypts: tuple[str, str] | tuple[()] = ()
    #: the (table, column) whose plaintext PI a named copy holds when its own name and
    #: comment say none (``AS SELECT u.id_card AS c2``: ``columns.derive``), else ()
    holds: tuple[str, str] | tuple[()] = ()
    #: a column renamed that an earlier file defined: that column and what described it
    previous: tuple[Column, str | None] | None = None
    #: MySQL's ``FIRST`` ('') or ``AFTER c`` (``c``) at the end of an ``ADD``, ``MODIFY`` or
    #: ``CHANGE``: where the column now stands among its table's; None, at the end (or where
    #: it was), as every other dialect adds one
    after: str | None = None


@dataclass
class Derived:
    """A table made of another's columns: ``CREATE TABLE b LIKE a``, ``CREATE TABLE b AS
    SELECT * FROM a``, ``SELECT a.* INTO b FROM a``, a materialized view of ``*``. Its columns
    are the source's, when the run defines the source (``check.derive``)."""

    table: str
    source: str
    tok: Tok  # where the copies' findings point: the source's name, or the ``*``
    #: a rename (``ALTER TABLE a RENAME TO b``, MySQL's ``RENAME TABLE a TO b``): the
    #: columns move to the new name and are not judged again, as nothing new is stored
    moved: bool = False
    #: PostgreSQL's ``INHERITS (a)`` or ``PARTITION OF a``: a's columns come first in the
    #: table's order (what ``INSERT INTO t VALUES (...)`` without a column list fills)
    inherited: bool = False


@dataclass
class Dropped:
    """``ALTER TABLE t DROP [COLUMN] c`` (``column``) or ``DROP TABLE t`` (``column`` ''):
    from then on the column, or the table, is gone, and a later copy does not hold it; a
    table created again under the name starts with no columns."""

    table: str
    column: str
    tok: Tok  # the dropped name: where it happens, in the order of the file


@dataclass(slots=True)  # a seed file makes hundreds of thousands
class Literal:
    """A constant a statement writes or compares with, and the table and column it goes to
    when the statement says so without doubt ('' and None otherwise)."""

    table: str
    column: str | None
    tok: Tok
    text: str
    #: ``text`` is the source of a statement pia could not read, starting at ``tok.offset``
    raw: bool = False
    #: the place of its value in a row of ``INSERT INTO t VALUES (...)`` without a column
    #: list, for the column of ``t`` at that place (``columns.derive``); else -1
    position: int = -1


@dataclass
class Body:
    """Code the migration runs from inside a literal, a ``DO`` block's dollar-quoted body
    or an ``EXECUTE``/``PREPARE`` string: the offsets of what lies between the quotes."""

    start: int
    end: int
    #: the text between the pieces of ``'ALTER ...' || 'id_number TEXT'``: quotes and
    #: ``||``, and whether an expression between them stands for a name (``|| t ||``)
    joints: tuple[tuple[int, int, bool], ...] = ()
    #: a ``format('ALTER TABLE %I ...', ...)`` template: its ``%I`` is a name
    template: bool = False


@dataclass
class Problem:
    """A statement the checker could not make sense of: why, as a message of
    ``pia.migrations.messages`` (``key`` and ``params``)."""

    line: int
    col: int
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    #: an error where the statement adds a table or columns (``parse._severity``)
    severity: str = "warning"

    @property
    def reason(self) -> str:
        return message(self.key, self.params, "en")


@dataclass
class Parsed:
    columns: list[Column] = field(default_factory=list)
    literals: list[Literal] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    bodies: list[Body] = field(default_factory=list)
    derived: list[Derived] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    #: the comments of the statements read, and their ``"quoted"`` names and dollar-quoted
    #: literals: where a value outside the literals may be (``literals.holders``)
    comments: list[Tok] = field(default_factory=list)
    marks: list[Tok] = field(default_factory=list)
