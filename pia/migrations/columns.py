"""What describes each column a migration defines, and what the run knows of its tables.

A column's text is its ``COMMENT``/``COMMENT ON COLUMN`` text, the ``--`` comments trailing its
definition on its own lines (SQLite has no other place for one) and a ``-- pia:encrypted``
marker alone on the line above; ``COMMENT ON`` a column defined earlier in the file adds to
that column's text. The verdicts on that text are ``pia.migrations.check``'s.

A copy of a table (``parsed.Derived``: ``CREATE TABLE b LIKE a``, ``AS SELECT * FROM a``)
holds the columns its source has at that point, and a renamed table keeps its own, so the
run keeps the columns each table has (``Tables``), file after file: the files checked, and
the earlier migrations read only for their definitions, when a checked one copies their
tables (``pia.migrations.history``).
"""

from __future__ import annotations

import re

from pia.detection.affirmed import affirmed_protection
from pia.detection.lexicon import vocabulary_data
from pia.detection.metadata import classify_column, protection_hint
from pia.detection.protection import hint as protection_claim
from pia.entities import is_sensitive
from pia.migrations.identity import name_key, table_key
from pia.migrations.ignores import without_directive
from pia.migrations.parsed import Column, Literal, Parsed, Problem
from pia.migrations.rewrites import DECRYPTED, SAID, rewritten
from pia.migrations.sqltext import Tok, split_lines

_COMMENT_MARKS = re.compile(r"^\s*(--|#|/\*)|\*/\s*$")
#: what a column renamed to a protected-sounding name without a rewrite still holds
RELABELLED = "(renamed from {}, which held plaintext: plaintext)"
#: what a plaintext column copied under a protected-sounding name holds (``_lend_pi``)
COPIED_PLAINTEXT = "(copied as it was: plaintext)"
_LINE_MARKER = re.compile(r"pia:(encrypted|hashed_keyed|hashed|masked|tokenized)\b", re.I)
#: what lies between a definition's last token and a comment that trails that column: the
#: token (a word, a string, a closing parenthesis), blanks and a comma
_AFTER_DEFINITION = re.compile(r"""(?:'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\)|[^\s,;()'"`]+)"""
                               r"[\s,]*")
#: the words after a marker, where it may name its column
_WORDS = re.compile(r"[^\s,;:()\[\]`\"'.]+")


def _comment_text(tok: Tok) -> str:
    """What a comment says of the code beside it: its text, without its comment marks nor a
    ``pia:ignore`` directive (``ignores.without_directive``)."""
    return without_directive(_COMMENT_MARKS.sub("", tok.value.strip()).strip())


def _trailing_comments(text: str, columns: list[Column], comments: list[Tok],
                       problems: list[Problem]) -> dict[int, list[str]]:
    """Comments that trail a column definition on its own lines, by column index: the
    nearest column starting before the comment whose definition spans the comment's line.
    A ``-- pia:`` marker after the end of several columns (``...); -- pia:encrypted``: a
    table on one line, as Django's sqlmigrate writes it) goes to the columns it names
    (``-- pia:encrypted sfzh via fernet``); right after a column's definition, to it."""
    owned: dict[int, list[str]] = {}
    order = sorted(range(len(columns)), key=lambda k: columns[k].tok.offset)
    for comment in comments:
        spanning = [k for k in order if columns[k].tok.offset < comment.offset
                    and columns[k].lines[0] <= comment.line <= columns[k].lines[1]]
        said = _comment_text(comment)
        if not said:  # only a pia:ignore: it describes nothing
            continue
        if len(spanning) > 1 and not _AFTER_DEFINITION.fullmatch(
                text, columns[spanning[-1]].end_offset, comment.offset):
            chosen = _marked(columns, spanning, said, comment, problems)
        else:
            chosen = spanning[-1:]
        for owner in chosen:
            owned.setdefault(owner, []).append(said)
    return owned


def _marked(columns: list[Column], candidates: list[int], text: str, comment: Tok,
            problems: list[Problem]) -> list[int]:
    """Which of ``candidates`` (columns on the comment's line) a comment describes: the one
    there is; of several, those a ``pia:`` marker names, and none when it names none (a
    ``PIA-SQL-PARSE`` warning: marking them all, or the last, would guess, QA)."""
    marker = _LINE_MARKER.search(text)
    if not marker or not _markers(text):  # not TODO pia:encrypted
        return candidates[-1:]
    words = {w.lower() for w in _WORDS.findall(text[marker.end():])}
    named = [k for k in candidates if columns[k].name.lower() in words]
    if not named:
        problems.append(Problem(comment.line, comment.col, "marker_ambiguous",
                                {"line": comment.line, "marker": marker.group(1).lower()}))
    return named


def _markers_above(text: str, comments: list[Tok]) -> dict[int, tuple[str, Tok]]:
    """``-- pia:encrypted`` standing alone on its line marks the definition on the next line:
    {next line: ("[pia:encrypted]", the comment)}; not when the line defers it
    (``-- TODO pia:encrypted``). ``-- pia:hashed (HMAC-SHA256, key in KMS)`` is a keyed
    digest, ``[pia:hashed_keyed]``, as that comment on the column's own line would be: a
    bare ``hashed`` of an enumerable identifier is warned of (``check``)."""
    lines = split_lines(text)
    out = {}
    for comment in comments:
        said = affirmed_protection(_comment_text(comment)) or ""
        marker = _LINE_MARKER.search(said)
        if marker and not lines[comment.line - 1][:comment.col - 1].strip():
            how = marker.group(1).lower()
            if how == "hashed" and protection_claim("", said) == "hashed_keyed":
                how = "hashed_keyed"
            out[comment.line + len(split_lines(comment.value.rstrip("\r\n")))] = (
                f"[pia:{how}]", comment)
    return out


def column_texts(text: str, parsed: Parsed) -> dict[int, list[str]]:
    """The texts that describe each column of ``parsed`` (by index), a ``COMMENT ON`` of a
    column defined above going to that column; a column it describes has no entry."""
    trailing = _trailing_comments(text, parsed.columns, parsed.comments, parsed.problems)
    above: dict[int, str] = {}  # column index → the marker above its line
    for line, (marker, comment) in _markers_above(text, parsed.comments).items():
        starting = [k for k, col in enumerate(parsed.columns)
                    if col.lines[0] == line and col.action != "comment"]
        for k in _marked(parsed.columns, starting, _comment_text(comment), comment,
                         parsed.problems) if len(starting) > 1 else starting:
            above[k] = marker
    defined: dict[tuple[str, str], int] = {}
    texts: dict[int, list[str]] = {}
    for k, col in enumerate(parsed.columns):
        key = (table_key(col.table), name_key(col.name))  # t is public.t
        parts = [p for p in [col.comment, *trailing.get(k, []), above.get(k)] if p]
        if col.action == "comment" and key in defined:  # describes a column defined above
            texts[defined[key]].extend(parts)
            continue
        defined.setdefault(key, k)
        texts[k] = parts
    return texts


#: the columns the run has defined so far: table (its ``identity.table_key``) → column (its
#: ``identity.name_key``) → (the column, its comment)
Tables = dict[str, dict[str, tuple[Column, str | None]]]


def _kept(col: Column, old: Column, comment: str | None) -> list[str]:
    """What a renamed or redefined column keeps of what described it: all of it after
    ``RENAME COLUMN`` (the database keeps its comment), only its ``-- pia:`` markers after
    MySQL's ``CHANGE a b ...``/``MODIFY a ...``, which redefine the column and its
    ``COMMENT``, and after ``COMMENT ON COLUMN``, which replaces the comment. A marker says what
    the stored values are, and renaming does not change them; a name suffix (``_enc``) is
    not kept: dropping it says the values are no longer encrypted."""
    if col.rewritten:  # ALTER ... TYPE ... USING decrypt/encrypt(...): what it said is no more
        return [SAID[col.rewritten]]
    if not comment:
        return []
    if col.action in ("rename", "retype"):  # the database keeps the comment
        return [comment]
    own = {m.lower() for m in _markers(old.comment)}
    return [f"[pia:{m.lower()}]" for m in dict.fromkeys(_markers(comment)) if m.lower() not in own]


def _decryption_of(source: tuple[str, str], tables: Tables) -> str:
    """What a column that stores the decrypted values of ``source`` holds: plaintext, of the
    PI ``source`` holds, said in the vocabulary's word for it (``身份证号码``) so that the
    verdicts read it as they read a comment, for the column and its copies."""
    table, column = source
    known = tables.get(table_key(table), {}).get(name_key(column))
    word = _pi_word(table, *known) if known else None
    return f"{word} ({table}.{column} {DECRYPTED})" if word else f"({table}.{column} {DECRYPTED})"


def _pi_word(table: str, col: Column, comment: str | None) -> str | None:
    """The vocabulary's word (``身份证号码``) for the PI column ``col`` holds, the sensitive
    first, so that a verdict reads it in a comment as it reads the column; None when none."""
    matches = classify_column(col.name, comment, table)
    if not matches:
        return None
    entity = sorted(matches, key=lambda m: (not is_sensitive(m.entity_type), -m.score))[0]
    concept = vocabulary_data()["concepts"].get(entity.entity_type, {})
    return str((concept.get("zh") or concept.get("en") or [entity.term])[0])


def _lend_pi(col: Column, texts: list[str], source: tuple[Column, str | None]) -> None:
    """A named copy (``AS SELECT u.id_card AS c2``) holds its source's values: when its own
    name and comment say no PI and the source is plaintext PI, it is described by the
    source's (QA: an export table's ``c2`` passed, a ``*`` copy failed); when only its name
    says they are protected (``id_card AS id_card_enc``), as plaintext, which outranks the
    name, as a rename to such a name is judged. A protected source's copy holds
    ciphertext, digests or tokens, and keeps its markers; a comment of the copy's own that
    protects it is the author's word, as on any column."""
    own = " ".join(texts) or None
    if protection_claim(source[0].name, source[1]) is not None:
        return
    named_protected = protection_claim(col.name, own) is not None
    if named_protected and protection_claim("", own) is not None:
        return  # its own comment says so
    if not named_protected and classify_column(col.name, own, col.table):
        return  # judged by its own name, as any column
    word = _pi_word(col.copied[0], *source)
    if word:
        relabelled = f" {COPIED_PLAINTEXT}" if named_protected else ""
        texts[:0] = [f"{word} ({'.'.join(col.copied)}){relabelled}"]
        col.holds = col.copied


def _markers(comment: str | None) -> list[str]:
    """The ``pia:`` markers a comment affirms (not ``TODO pia:encrypted``)."""
    return _LINE_MARKER.findall(affirmed_protection(comment) or "")


def _relabels(col: Column, old: Column, comment: str | None, text: str) -> bool:
    """Is ``col`` a plaintext PI column renamed to a protected-sounding name (``id_card`` →
    ``id_card_enc``) by a migration (``text``) that does not encrypt its values? Its values
    are still plaintext, whatever later copies of it are called."""
    if protection_hint(col.name) is None or not classify_column(old.name, comment, old.table):
        return False
    if protection_claim(old.name, comment):  # as the scan and ``check`` read them
        return False
    return not rewritten(text, col.table, (col.name, col.was))


def derive(parsed: Parsed, texts: dict[int, list[str]], tables: Tables, text: str = "") -> None:
    """Give each table made of another's columns (``parsed.Derived``) copies of the columns
    its source has at that point: defined by an earlier file of the run (``tables``) or
    earlier in this one; then record this file's columns in ``tables`` for the next. A column
    the migration (``text``) relabels (``_relabels``) is recorded as plaintext: its renaming
    is judged where it is (``check``), and its copies as the plaintext they hold. Names are
    compared by their dialect's rule (``identity``). A value of ``INSERT INTO t VALUES
    (...)`` without a column list goes to the column at its place among those ``t`` has
    when the row is written (``_Rows``)."""
    events = sorted([(parsed.columns[k].tok.offset, 0, k) for k in texts]
                    + [(d.tok.offset, 1, n) for n, d in enumerate(parsed.derived)]
                    + [(d.tok.offset, 2, n) for n, d in enumerate(parsed.dropped)]
                    + [(lit.tok.offset, 3, n) for n, lit in enumerate(parsed.literals)
                       if lit.position >= 0 and lit.column is None])
    rows = _Rows(tables)
    for _offset, is_derived, k in events:
        if is_derived == 3:
            rows.fill(parsed.literals[k])
            continue
        rows.changed()
        if is_derived == 2:  # DROP COLUMN, DROP TABLE: gone for what follows
            gone = parsed.dropped[k]
            if gone.column:
                tables.get(table_key(gone.table), {}).pop(name_key(gone.column), None)
            else:
                tables.pop(table_key(gone.table), None)
            continue
        if not is_derived:
            col = parsed.columns[k]
            known = tables.setdefault(table_key(col.table), {})
            if col.was and name_key(col.was) in known:
                old = known[name_key(col.was)]
                _rename_in_place(known, name_key(col.was), name_key(col.name))
                if col.action == "rename":  # the same column: its type too (c1 boolean)
                    col.type = col.type or old[0].type
                texts[k][:0] = _kept(col, *old)
                if col.action == "rename" and not any(c is old[0] for c in parsed.columns):
                    col.previous = old  # its values were written before this file
            elif col.action in ("modify", "retype", "comment") and name_key(col.name) in known:
                # MODIFY redefines a column and COMMENT ON replaces its comment; neither
                # changes the stored values its markers speak of
                texts[k][:0] = _kept(col, *known[name_key(col.name)])
                if col.action == "comment":  # nor its type: yhkh char(4) holds no card
                    col.type = col.type or known[name_key(col.name)][0].type
            elif col.rewritten:
                texts[k][:0] = [SAID[col.rewritten]]
            if col.decrypts:  # a STORED AES_DECRYPT(c): c's PI, as plaintext
                texts[k][:0] = [_decryption_of(col.decrypts, tables)]
            if col.copied:  # AS SELECT u.id_card AS sfzh: the same values, the same markers
                source = tables.get(table_key(col.copied[0]), {}).get(name_key(col.copied[1]))
                if source and source[1]:
                    texts[k][:0] = [f"[pia:{m.lower()}]" for m in
                                    dict.fromkeys(_markers(source[1]))]
                if source:
                    _lend_pi(col, texts[k], source)
            comment = " ".join(texts[k]) or None
            if col.action == "comment" and name_key(col.name) in known:
                known[name_key(col.name)] = (known[name_key(col.name)][0], comment)
            elif col.previous and _relabels(col, *col.previous, text):
                known[name_key(col.name)] = (col, f"{comment or ''} {RELABELLED.format(col.was)}")
            else:
                known[name_key(col.name)] = (col, comment)
            if col.after is not None:  # MySQL's FIRST, AFTER c
                _place(known, name_key(col.name), col.after)
            continue
        made = parsed.derived[k]
        if made.moved:
            if table_key(made.source) in tables:
                tables[table_key(made.table)] = tables.pop(table_key(made.source))
            continue
        if table_key(made.source) not in tables:  # copied, but from what? say so: a copy of
            # an unknown table passing in silence is a gate open (pre-commit on one file)
            parsed.problems.append(Problem(made.tok.line, made.tok.col, "copy_unresolved",
                                           {"copy": made.table, "source": made.source}))
            continue
        copies: dict[str, tuple[Column, str | None]] = {}
        for source, comment in list(tables[table_key(made.source)].values()):
            copy = Column(made.table, source.name, made.tok, "create", type=source.type,
                          lines=(made.tok.line, made.tok.line), end_offset=made.tok.offset,
                          origin=made.source, holds=source.holds)
            parsed.columns.append(copy)
            texts[len(parsed.columns) - 1] = [comment] if comment else []
            copies[name_key(source.name)] = (copy, comment)
        _add_copies(tables.setdefault(table_key(made.table), {}), copies, made.inherited)


class _Rows:
    """The column a value of ``INSERT INTO t VALUES (...)`` without a column list (what
    mysqldump writes) goes to: the one at its place among ``t``'s columns at that point of
    the run, not at its end (QA: a row written before ``RENAME COLUMN xm TO huzhao`` was
    said to fill ``huzhao``, one before a ``DROP COLUMN`` the column after the dropped one).
    A table's order is kept until a column or a table changes: a dump's rows are many."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.orders: dict[str, list[str]] = {}

    def changed(self) -> None:
        self.orders.clear()

    def fill(self, lit: Literal) -> None:
        table = table_key(lit.table)
        if table not in self.orders:
            self.orders[table] = [col.name for col, _comment in
                                  self.tables.get(table, {}).values()]
        if lit.position < len(self.orders[table]):
            lit.column = self.orders[table][lit.position]


def _place(known: dict[str, tuple[Column, str | None]], key: str, after: str) -> None:
    """Move column ``key`` first (``after`` '') or after column ``after``, as MySQL's
    ``FIRST`` and ``AFTER c`` do; after a column the table does not have, it stays."""
    entries = [(k, entry) for k, entry in known.items() if k != key]
    keys = [k for k, _entry in entries]
    if after and name_key(after) not in keys:
        return
    at = keys.index(name_key(after)) + 1 if after else 0
    entries.insert(at, (key, known[key]))
    known.clear()
    known.update(entries)


def _rename_in_place(known: dict[str, tuple[Column, str | None]], old: str, new: str) -> None:
    """Rename a column's key where it is: ``RENAME COLUMN`` and MySQL's ``CHANGE`` keep the
    column's place, which ``INSERT INTO t VALUES (...)`` without a column list fills."""
    entries = list(known.items())
    known.clear()
    known.update((new if key == old else key, entry) for key, entry in entries)


def _add_copies(known: dict[str, tuple[Column, str | None]],
                copies: dict[str, tuple[Column, str | None]], inherited: bool) -> None:
    """Add a table's copies of another's columns: after its columns so far (``LIKE a`` in
    its place among them), or, for PostgreSQL's ``INHERITS``/``PARTITION OF``, after the
    columns of its earlier parents and before its own, as PostgreSQL orders them; a copy
    replaces a column of the same name (PostgreSQL merges them)."""
    if not inherited:
        known.update(copies)
        return
    entries = list(known.items())
    known.clear()
    known.update((key, entry) for key, entry in entries if entry[0].origin)
    known.update(copies)
    known.update((key, entry) for key, entry in entries
                 if not entry[0].origin and key not in copies)
