"""Verdicts on migrations: which columns and literals add unprotected personal information.

A column is PI when its name or comment says so (``pia.detection.metadata``: English, Chinese,
pinyin, initials — the database connector's vocabulary). The comment is the column's
``COMMENT``/``COMMENT ON COLUMN`` text plus a ``--`` comment trailing its definition on the same
line (SQLite has no other place for one); stand-alone comment lines are prose, not columns.

It is protected when marked, as ``pia scan`` hears the claim (``protection.hint``): a name
suffix (``_enc``, ``_hmac``...), an algorithm in its comment (``国密SM4``, ``HMAC-SHA256``), a
``pia:encrypted`` (hashed, masked, tokenized) marker in its comment, in a ``--`` comment on
its line or alone on the line above, or a ``protection`` list of the declaration. A comment
protects only when it says the values ARE protected: a clause that negates, wants, plans or
defers protection (未加密, 需要加密, 计划…加密, TODO, 未使用SM4) does not
(``pia.detection.affirmed``).
A comment that says the values are plaintext (明文, 原始值) outranks a protective name, and
so does a decryption in place (``ALTER ... TYPE ... USING decrypt(...)``) or a stored one
(``AES_DECRYPT`` in a STORED generated column or an ``AS SELECT``: ``pia.migrations.rewrites``),
as an encryption in place (``USING pgp_sym_encrypt(...)``) protects; renaming a column an
earlier file stored as plaintext to a protected-sounding name is an error for sensitive PI (a
rename encrypts nothing), unless an UPDATE encrypts the values.
A binary type alone is not protection. Mentions are not descriptions: a negated term, or a
term past the first clause of a column that refers to something else (``user_id``), does not
make a column PI; nor does a name the column's type cannot hold (``has_id_card BOOLEAN``).

Verdicts (rule ids from the control catalogue):

- sensitive PI without protection → PIPL-28-SENSITIVE-PLAINTEXT, error (raw biometric in a
  binary column → GB35273-6.3-RAW-BIOMETRIC, error);
- general PI without protection → PIPL-51-ENCRYPT-DEIDENT, warning;
- an enumerable identifier (resident ID, mobile, bank card...) whose only protection is a
  name or a comment that says it is an unsalted digest (``sfzh_md5``, ``card_sha256``,
  ``COMMENT '身份证号SHA256'``: ``protection.says_unsalted``) →
  PIPL-73-PSEUDONYM-REVERSIBLE, error: enumerating the identifiers reverses it, and the scan
  of the same column says so (``hashed_unsalted``); one whose name or comment says only that
  it is a digest (``mobile_hash``) → the same rule, warning: with no word of a key the scan
  reads its digests as unsalted too;
- a PI literal in any statement, a pg_dump COPY row, or the text of a statement pia cannot
  read → as for a column: sensitive PI an error, general PI a warning
  (``pia.migrations.literals``);
- with a declaration, a PI column no asset lists → PIPL-6-MINIMISATION, warning.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pia.detection.metadata import (
    MetadataMatch,
    classify_column,
    classify_name,
    names_a_document_image,
    protection_hint,
    tokens,
)
from pia.detection.protection import hint as protection_claim
from pia.detection.protection import says_unsalted
from pia.entities import ENUMERABLE, is_sensitive
from pia.masking import Fingerprinter
from pia.migrations.columns import Tables, column_texts, derive
from pia.migrations.copydata import copy_values
from pia.migrations.drops import gone_by_the_end
from pia.migrations.finding import (
    BIOMETRIC_RULE,
    GENERAL_RULE,
    PARSE_RULE,
    REVERSIBLE_RULE,
    SENSITIVE_RULE,
    UNDECLARED_RULE,
    Finding,
)
from pia.migrations.identity import name_key, reading_names_of, table_key
from pia.migrations.ignores import suppressions
from pia.migrations.literals import (
    each_literal,
    holders,
    organisation_fingerprinter,
    unread_findings,
)
from pia.migrations.ordered import COLUMNS, PROBLEMS, UNREAD, finished, in_order
from pia.migrations.parse import parse
from pia.migrations.parsed import Column, Literal, Parsed, Problem
from pia.migrations.rewrites import UNSALTED, rewritten
from pia.migrations.sqltext import Lines, detect_dialect, iter_statements, split_lines

_BINARY = re.compile(r"\b(bytea|\w*blob|\w*binary|image|raw|long raw)\b", re.I)
_NEGATION = re.compile(r"(不|无|非|未|禁止|勿|没有|不得|不含|不再|\bno\b|\bnot\b|\bnever\b|"
                       r"\bwithout\b|\bdon't\b)", re.I)
#: last name tokens of a column that refers to another thing (a key, a code, a state)
_REFERENCE_WORDS = frozenset({"id", "ids", "uuid", "guid", "fk", "ref", "type", "status",
                              "flag", "count"})
#: what a biometric template is called: derived features, not the raw sample
_TEMPLATE_WORDS = frozenset({"template", "templates", "feature", "features", "embedding",
                             "embeddings", "vector", "minutiae", "descriptor"})
_TEMPLATE_TEXT = re.compile(r"模板|特征|\b(?:template|feature|embedding|vector|minutiae)", re.I)
_CLAUSE_BREAK = re.compile(r"[，,;；。:：(（/、]")
#: what a column's type can hold: a flag holds no identifier, a date no phone number
_BOOL_TYPE = re.compile(r"^(bool|boolean|bit|tinyint\s*\(\s*1\s*\))\b", re.I)
_TIME_TYPE = re.compile(r"^(date|time|timestamp|timestamptz|datetime|interval|year)\b", re.I)
_SMALL_INT_TYPE = re.compile(r"^(int|int2|int4|integer|smallint|tinyint|mediumint|serial|"
                             r"smallserial)\b", re.I)
#: a declared length: of a string type (in characters) or of a number (in digits)
_DECLARED_LENGTH = re.compile(
    r"^(?:national\s+)?(?:n?var)?char(?:acter)?2?(?:\s+varying)?\s*\(\s*(\d+)"
    r"|^(?:bpchar|string|numeric|decimal|dec|number)\s*\(\s*(\d+)", re.I)
#: the shortest value of an identifier: a column declared shorter cannot hold one
#: (``id_card_status VARCHAR(8)``, ``bank_card_tail CHAR(4)``); nor can one character hold
#: a name (``xm CHAR(1)`` is a flag). A resident ID has 15 or 18
#: characters, a passport and a Hong Kong/Macao permit 9, a Taiwan permit 8; bank card
#: numbers have 16 to 19 digits, but the same names (银行账号, account_no) hold account
#: numbers too, so 12 (a card number's shortest, ISO/IEC 7812); a mobile number has 11
#: digits, but phone and 联系电话 may hold a landline number without its area code (7).
_SHORTEST = {"CN_RESIDENT_ID": 15, "CN_PASSPORT": 9, "CN_HK_MACAO_PERMIT": 9,
             "CN_TAIWAN_PERMIT": 8, "CN_BANK_CARD": 12, "CREDIT_CARD": 12, "CN_MOBILE": 7,
             "CN_LANDLINE": 7, "CN_NAME": 2, "PERSON": 2}
#: a type of listed values (``ENUM('a','b')``, ``SET(...)``): it holds a category, never an
#: identifier, a name, an address or a phone number
_LISTED_TYPE = re.compile(r"^(enum|set)\s*\(", re.I)
_FITS_TIME = frozenset({"DATE_OF_BIRTH", "HEALTH", "PRECISE_LOCATION"})
_FITS_SMALL_INT = frozenset({"HEALTH", "RELIGION", "BIOMETRIC", "PRECISE_LOCATION",
                             "DATE_OF_BIRTH"})


@dataclass
class Declared:
    """What a declaration (``pia.yaml``) says about columns, by ``table.column``."""

    protected: frozenset[str] = frozenset()
    listed: frozenset[str] = frozenset()
    present: bool = False

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> Declared:
        if data is None:
            return cls()
        protected, listed = set(), set()
        for asset in data.get("assets", []) or []:
            for entries in (asset.get("protection") or {}).values():
                protected.update(str(c).lower() for c in entries or [])
            listed.update(str(c).lower() for c in asset.get("columns") or [])
        return cls(frozenset(protected), frozenset(listed | protected), True)

    @staticmethod
    def _has(entries: frozenset[str], table: str, column: str) -> bool:
        """Is ``table.column`` listed? Schemas are compared only when both sides name one:
        ``app.users.passport_no`` covers ``users`` (the migration does not say which schema)
        and ``app.users``, not ``other.users``."""
        *schema, name = table.lower().split(".")
        for entry in entries:
            *entry_schema, entry_table, entry_column = ["", *entry.split(".")][-3:]
            if (entry_column, entry_table) != (column.lower(), name):
                continue
            if not schema or not entry_schema[-1] or entry_schema[-1] == schema[-1]:
                return True
        return False

    def is_protected(self, table: str, column: str) -> bool:
        return self._has(self.protected, table, column)

    def is_listed(self, table: str, column: str) -> bool:
        return self._has(self.listed, table, column)


def _affirmative(matches: list[MetadataMatch], comment: str | None, name: str,
                 table: str | None = None) -> list[MetadataMatch]:
    """Drop comment-only matches that are mentions, not descriptions: negated
    (``不再存储身份证``), or past the first clause of a column whose name says it refers to
    something else (``user_id``: '用户ID，身份证号存于 kyc 表')."""
    by_name = {m.entity_type for m in classify_name(name, table)}
    parts = tokens(name)
    reference = bool(parts) and parts[-1] in _REFERENCE_WORDS
    kept = []
    for m in matches:
        if m.signal == "comment" and m.entity_type not in by_name and comment:
            at = comment.lower().find(m.term.lower())
            before = comment[max(0, at - 12):at] if at >= 0 else comment
            if _NEGATION.search(before):
                continue
            if reference and at > 0 and _CLAUSE_BREAK.search(comment[:at]):
                continue
        kept.append(m)
    return kept


def fits_type(entity: str, sql_type: str, dialect: str) -> bool:
    """Can a column of this type hold this kind of PI? ``is_id_card_verified BOOLEAN``,
    ``id_card_type INT``, ``id_card_flag CHAR(1)`` and ``phone_kind ENUM('home','work')``
    name an identifier but cannot store one. SQLite's INTEGER is 64-bit and its declared
    lengths are not enforced, so there only flags rule anything out."""
    sql_type = sql_type.strip()
    if _BOOL_TYPE.match(sql_type):
        return False
    length = _DECLARED_LENGTH.match(sql_type)
    if length and dialect != "sqlite" and entity in _SHORTEST:
        return int(length.group(1) or length.group(2)) >= _SHORTEST[entity]
    if _TIME_TYPE.match(sql_type):
        return entity in _FITS_TIME
    if _LISTED_TYPE.match(sql_type):
        return entity in _FITS_SMALL_INT
    if _SMALL_INT_TYPE.match(sql_type) and dialect != "sqlite":
        return entity in _FITS_SMALL_INT
    return True


def _is_template(name: str, comment: str | None) -> bool:
    """Does the name or comment say the column holds a template (features, an embedding)
    derived from a biometric sample, not the sample?"""
    return bool(_TEMPLATE_WORDS.intersection(tokens(name))
                or comment and _TEMPLATE_TEXT.search(comment))


def _worst(matches: list[MetadataMatch]) -> MetadataMatch:
    return sorted(matches, key=lambda m: (not is_sensitive(m.entity_type), -m.score))[0]


def column_findings(path: str, col: Column, comment: str | None, declared: Declared,
                    dialect: str = "postgres") -> list[Finding]:
    """Verdicts on one column; no finding means not PI, or PI that is protected."""
    # the table too, as the scan reads it: product.name names a product, not a person
    matches = [m for m in _affirmative(classify_column(col.name, comment, col.table), comment,
                                       col.name, col.table)
               if fits_type(m.entity_type, col.type, dialect)]
    if not matches:
        return []
    best = _worst(matches)
    entity = best.entity_type
    where = dict(table=col.table, column=col.name, origin=col.origin or "")
    # the claim the scan hears in the same name and comment (``protection.hint``): a comment
    # that says plaintext outranks a protective name (id_card_enc '（明文）'), 病历摘要 is a
    # summary, 国密SM4 and AES-256-GCM say ciphertext, HMAC-SHA256 a keyed digest
    hint = protection_claim(col.name, comment)
    if hint is None and (declared.is_protected(col.table, col.name)
                         or col.origin and declared.is_protected(col.origin, col.name)
                         or col.was and declared.is_protected(col.table, col.was)
                         or col.copied and declared.is_protected(*col.copied)):
        hint = "declared"  # a copy holds what its source holds
    base = dict(file=path, line=col.tok.line, col=col.tok.col, table=col.table,
                column=col.name, kind=entity)
    what = dict(where, entity=entity, signal=best.signal, term=best.term)
    if col.decrypts and best.signal == "comment":  # c9 ... AS (AES_DECRYPT(id_no_enc)) STORED
        what.update(signal="decrypted", term=".".join(col.decrypts))
    if col.holds:  # AS SELECT u.id_card AS c2 (or AS id_card_enc): what it holds says
        what.update(signal="copied", term=".".join(col.holds))
    if names_a_document_image(col.name, entity, comment):
        what["document"] = True
    out = []
    reversible = [m for m in matches if m.entity_type in ENUMERABLE]
    # an unsalted digest, as the name (sfzh_sha256) or the comment (身份证号SHA256) names it
    unsalted = hint == "hashed_unsalted" or hint == "hashed" and (
        says_unsalted(col.name, comment) or bool(comment) and UNSALTED in comment)
    if unsalted and reversible:
        digested = _worst(reversible).entity_type
        out.append(Finding(rule_id=REVERSIBLE_RULE, severity="error", key="reversible",
                           params=dict(where, entity=digested), **{**base, "kind": digested}))
    elif hint == "hashed" and reversible:
        # mobile_hash, 手机号哈希, [pia:hashed]: no word of a key, so the scan, which cannot
        # tell HMAC-SHA256 from SHA-256 by the values, reports its digests hashed_unsalted,
        # PIPL-73 high (QA F6); a warning here asks for the word (_hmac, _bidx, HMAC)
        digested = _worst(reversible).entity_type
        out.append(Finding(rule_id=REVERSIBLE_RULE, severity="warning",
                           key="reversible_unkeyed", params=dict(where, entity=digested),
                           **{**base, "kind": digested}))
    elif hint is None and is_sensitive(entity):
        if entity == "BIOMETRIC" and _is_template(col.name, comment):
            out.append(Finding(rule_id=SENSITIVE_RULE, severity="error",
                               key="biometric_template", params=what, **base))
        elif entity == "BIOMETRIC" and _BINARY.search(col.type or ""):
            out.append(Finding(rule_id=BIOMETRIC_RULE, severity="error", key="biometric_raw",
                               params=dict(where, type=col.type.upper()), **base))
        else:
            out.append(Finding(rule_id=SENSITIVE_RULE, severity="error",
                               key="sensitive_column", params=what, **base))
    elif hint is None:
        out.append(Finding(rule_id=GENERAL_RULE, severity="warning", key="general_column",
                           params=what, **base))
    if declared.present and not declared.is_listed(col.table, col.name):
        out.append(Finding(rule_id=UNDECLARED_RULE, severity="warning", key="undeclared",
                           params=dict(where, entity=entity), **base))
    return out


#: what a line's hash leaves out: quoted text and numbers, where seed data's PI would be
_LITERALS = re.compile(r"'(?:[^']|'')*'?|\"(?:[^\"]|\"\")*\"?|\d+")


def _problem_finding(path: str, problem: Problem, lines: list[str]) -> Finding:
    """A statement pia could not read; its kind carries a hash of the shape of the line the
    statement starts on, so that each unreadable statement has its own fingerprint (one
    accepted parse warning must not hide a new one), still without a line number. Literals
    are left out of the hash: unkeyed, a hash of ``VALUES ('13812345678', 'O'Brien')`` gave
    the mobile number back to anyone who tried the 10^8 candidates (18 s)."""
    where = lines[problem.line - 1].strip() if 0 < problem.line <= len(lines) else ""
    shape = _LITERALS.sub("_", where)
    digest = hashlib.sha256(shape.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return Finding(file=path, line=problem.line, col=problem.col, rule_id=PARSE_RULE,
                   severity=problem.severity, key=problem.key, params=problem.params,
                   kind=f"parse:{digest}")


def read(text: str, dialect: str = "auto") -> tuple[str, Parsed]:
    """The dialect and parse of a migration, its statements read one at a time. With
    ``auto``, the guessed dialect is checked: when its reading leaves statements pia cannot
    read (a string that swallows the next statements) and the other reading of strings
    (MySQL's backslash escapes, or PostgreSQL's standard strings) leaves fewer, the other
    one is used; a reading that leaves none is not read again."""
    if dialect != "auto":
        return dialect, parse(iter_statements(text, dialect, plain=True), dialect, text)
    guess = read(text, detect_dialect(text))
    if guess[1].problems:
        other = read(text, "postgres" if guess[0] == "mysql" else "mysql")
        if len(other[1].problems) < len(guess[1].problems):
            return other
    return guess


def _relabelled(path: str, col: Column, comment: str | None, declared: Declared,
                dialect: str) -> list[Finding]:
    """A column renamed to a name that says it is protected (``id_card`` → ``id_card_enc``),
    whose values an earlier file stored as plaintext: a rename encrypts nothing (QA), so it
    is a finding of the rule the old column broke, where the rename is: an error for
    sensitive PI (the plaintext ID numbers an error under ``id_card`` must not pass CI
    under ``id_card_enc``), a warning for general PI, as for the column itself."""
    old, old_comment = col.previous or (None, None)
    unprotected = (SENSITIVE_RULE, GENERAL_RULE, BIOMETRIC_RULE, REVERSIBLE_RULE)
    if old is None or any(f.rule_id in unprotected
                          for f in column_findings(path, col, comment, declared, dialect)):
        return []  # judged already; a declaration's listing is another matter
    broken = [f for f in column_findings(path, old, old_comment, declared, dialect)
              if f.rule_id in (SENSITIVE_RULE, GENERAL_RULE)]
    if not broken or protection_hint(col.name) is None:
        return []
    entity = broken[0].kind
    return [Finding(rule_id=broken[0].rule_id, severity=broken[0].severity,
                    key="renamed_protected",
                    params=dict(table=col.table, column=col.name, was=col.was, entity=entity),
                    file=path, line=col.tok.line, col=col.tok.col, table=col.table,
                    column=col.name, kind=entity)]


def _redefined(parsed: Parsed, texts: dict[int, list[str]]) -> set[int]:
    """The columns a later ``MODIFY``/``CHANGE`` of the same file redefines: the later
    definition is what the migration leaves, and is judged, as a later ``COMMENT ON`` is
    (QA: the same end state reached by ``MODIFY ... COMMENT '（已加密）'`` failed CI, by
    ``COMMENT ON`` it passed)."""
    out: set[int] = set()
    current: dict[tuple[str, str], int] = {}
    for k in sorted(texts, key=lambda k: parsed.columns[k].tok.offset):
        col = parsed.columns[k]
        if col.origin:  # a copy: a table of its own
            continue
        table = table_key(col.table)
        old = (table, name_key(col.was or col.name))
        if col.action in ("modify", "change", "retype") and old in current:
            out.add(current.pop(old))
        current[(table, name_key(col.name))] = k
    return out


def check_text(path: str, text: str, dialect: str = "auto", declared: Declared | None = None,
               fingerprint: Fingerprinter | None = None,
               notes: list[str] | None = None, tables: Tables | None = None,
               lookup: Callable[[Parsed, Tables], None] | None = None) -> list[Finding]:
    """All findings for one migration's text, suppressions applied (status ``suppressed``);
    literal values are fingerprinted with ``fingerprint`` (a baseline's key), else with the
    organisation's key, else identified by their place (``literals.Unkeyed``).
    Suppressions that were not applied, and why, are added to ``notes``. ``tables`` holds
    the columns of the files checked before (``derive``), and gets this file's; ``lookup``
    adds to it, before the copies are made, what the migrations the run does not check say
    of the tables this one copies (``history.Earlier.fill``)."""
    return list(check_findings(path, text, dialect, declared, fingerprint, notes, tables,
                               lookup))


def check_findings(path: str, text: str, dialect: str = "auto",
                   declared: Declared | None = None, fingerprint: Fingerprinter | None = None,
                   notes: list[str] | None = None, tables: Tables | None = None,
                   lookup: Callable[[Parsed, Tables], None] | None = None
                   ) -> Iterator[Finding]:
    """``check_text``'s findings one at a time, in its order: a seed file's values are
    analysed and given as they come (``ordered``), so what takes them can count them
    rather than hold them (``pia.migrations.grouped``)."""
    declared = declared or Declared()
    fingerprint = fingerprint or organisation_fingerprinter()
    dialect, parsed = read(text, dialect)
    comments = parsed.comments
    texts = column_texts(text, parsed)
    tables = {} if tables is None else tables
    if lookup is not None:
        lookup(parsed, tables)
    derive(parsed, texts, tables, text)
    findings: list[Finding] = []
    pi_columns: dict[str, str] = {}
    later = _redefined(parsed, texts)
    gone = gone_by_the_end(parsed, texts)  # dropped later in the file: not in its end state
    for k, parts in texts.items():
        col = parsed.columns[k]
        comment = " ".join(parts) or None
        matches = classify_column(col.name, comment, col.table)
        if matches:  # a literal written into it before a drop is still judged as its PI
            pi_columns.setdefault(col.name.lower(), matches[0].term)
        if k in gone:
            continue
        if k not in later:
            findings += column_findings(path, col, comment, declared, dialect)
        if col.previous and not rewritten(text, col.table, (col.name, col.was)):
            findings += _relabelled(path, col, comment, declared, dialect)
    with reading_names_of(dialect):  # COPY "Member" ("IdCard"): names as parse reads them
        copied = [Literal(v.table, v.column, v.tok, v.text) for v in copy_values(text)]
    lines = Lines(text)
    literals = parsed.literals + copied
    ignores = suppressions(text, comments, path, notes)
    unread = unread_findings(path, text, _covered(literals),
                             holders(text, comments, parsed.marks), lines, fingerprint,
                             ignores.values)
    problems = []
    if parsed.problems:  # every line of the file, held only for them
        source_lines = split_lines(text)
        problems = [_problem_finding(path, p, source_lines) for p in parsed.problems]
    others = [*((COLUMNS, f) for f in findings), *((UNREAD, f) for f in unread),
              *((PROBLEMS, f) for f in problems)]
    made = each_literal(path, literals, pi_columns, lines, fingerprint)
    yield from finished(in_order(made, literals, lines, others), ignores)


def _covered(literals: list[Literal]) -> Iterable[tuple[int, int]]:
    """Where the literals are in the text, in order: as they come when they come in order
    (a seed file's), else sorted."""
    spans = map(_span, literals)
    last = (-1, -1)
    for span in map(_span, literals):
        if span < last:
            return sorted(spans)
        last = span
    return spans


def _span(lit: Literal) -> tuple[int, int]:
    """Where a literal is in the text: a raw one's text from its token on, else its token."""
    return lit.tok.offset, lit.tok.offset + len(lit.text if lit.raw else lit.tok.value)
