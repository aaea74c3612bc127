"""Values a migration writes into the repository: which of them are personal information.

Every string (and long number) of every statement is a candidate — seed data in ``INSERT``,
a ``DELETE ... WHERE mobile = '...'``, a ``DEFAULT``, a ``CALL`` argument, a dollar-quoted
value — and so is the whole text of a statement pia cannot read (a pasted CSV row). The
detection engine decides; the verdict follows what it found: sensitive PI (a resident ID, a
bank card) is an error under PIPL 28, general PI (a mobile number, an email) a warning
under PIPL 51, as a column holding it would be. Values are shown masked, never as written.

The rest of the file — comments, function and procedure bodies, ``"quoted"`` names (strings
in MySQL) — is read for what proves itself (``UNREAD``): the identifiers whose digits prove
what they are (``STRONG``: a resident ID or a card number with a valid check digit, a mobile
number) and an email address, whose shape does (not at a reserved domain, nor the user of a
URL or an SSH remote); each is a leak wherever it is written (``unread_findings``), as
``pia scan`` of the same file says. A name or an address in prose proves nothing and is not.
"""

from __future__ import annotations

import bisect
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING

from sqlparse import tokens as T

from pia.detection.metadata import classify_name
from pia.entities import NOT_PERSONAL, is_sensitive
from pia.masking import (
    FINGERPRINT_KEY_ENV,
    FINGERPRINT_KEY_FILE_ENV,
    Fingerprinter,
    load_fingerprint_key,
    mask,
)
from pia.migrations.finding import GENERAL_RULE, SENSITIVE_RULE, Finding
from pia.migrations.parsed import Literal
from pia.migrations.sqltext import Lines, Tok

if TYPE_CHECKING:
    from pia.detection.engine import Match

#: weak literal detections count only when they go into a PI column
_WEAK_LITERALS = frozenset({"CN_ADDRESS", "CN_NAME", "PERSON", "CN_LICENSE_PLATE",
                            "CN_LANDLINE", "CN_PASSPORT"})
_SKIP_LITERALS = frozenset({"IP_ADDRESS", *NOT_PERSONAL})
_RESERVED_EMAIL = re.compile(r"@([\w.-]+\.)?(example\.(com|org|net)|test|invalid|localhost)$",
                             re.I)
MIN_LITERAL_SCORE = 0.5
#: what is PI by its own digits (a check digit, a mobile number's numbering plan), with no
#: column to say so: found outside the literals pia reads as values, these are still leaks
STRONG = frozenset({"CN_RESIDENT_ID", "CN_BANK_CARD", "CREDIT_CARD", "CN_MOBILE"})
#: what counts outside the literals: ``STRONG``, and an email address (its shape proves it
#: as a mobile number's digits do: a general PI warning, as in a literal)
UNREAD = STRONG | {"EMAIL_ADDRESS"}
#: a literal finding's value id until ``Unkeyed`` gives it its place
UNKEYED = "unkeyed"


def organisation_fingerprinter() -> Fingerprinter | None:
    """The organisation's key when one is configured (``PIA_FINGERPRINT_KEY`` or
    ``PIA_FINGERPRINT_KEY_FILE``), so literal fingerprints are the same on every run and
    every machine; None otherwise. The per-user key file ``pia scan`` creates is not used:
    a CI runner would make a new one each run."""
    if os.environ.get(FINGERPRINT_KEY_ENV) or os.environ.get(FINGERPRINT_KEY_FILE_ENV):
        return Fingerprinter(load_fingerprint_key())
    return None


@cache
def _term(column: str) -> str | None:
    """The vocabulary term that makes a column PI by its name, or None."""
    matches = classify_name(column) if column else []
    return matches[0].term if matches else None


#: values analysed in one pass of the engine: its cost per call is amortised long before
#: this, and what it holds while it works grows with the batch (half a GB for 200,000)
_BATCH = 20_000


def each_literal(path: str, lits: list[Literal], pi_columns: dict[str, str],
                 lines: Lines | None = None, fingerprint: Fingerprinter | None = None
                 ) -> Iterator[tuple[int, list[Finding]]]:
    """Each literal is a leak when detection finds PI in it (a weak match — an address, a
    name — only when it goes into a PI column: one of ``pi_columns``, lowercased name → the
    term its name or comment matched, or one whose name says it is PI). A raw literal (an
    unreadable statement's text) is pointed at where the value is, with ``lines``; a token
    at its start. The finding's kind holds the value's keyed ``fingerprint`` (a baseline's
    or the organisation's); without a key, ``UNKEYED`` in its place, which ``Unkeyed``
    turns into the literal's place among its file's findings.

    Given a literal at a time, as (its index in ``lits``, its findings), in the order of
    ``lits``: a seed file's findings are counted as they come (``pia.migrations.grouped``),
    and only a batch of values is held at once."""
    if not lits:
        return
    # imported here: Presidio takes most of a second to import, and a migration without
    # literals (most of them) never needs the engine; CI hooks run this on every commit
    from pia.detection.engine import default_engine

    engine = default_engine()
    at = 0
    while at < len(lits):
        # one pass of the engine over ``_BATCH`` one-line values: a seed file has tens of
        # thousands, and each call of its own costs more than the value's analysis; what
        # the engine holds while it works grows with the batch. A value of several lines
        # is analysed on its own.
        terms, texts, one_line = [], [], []
        end = at
        while end < len(lits) and len(one_line) < _BATCH:
            column = (lits[end].column or "").lower()
            terms.append(pi_columns[column] if column in pi_columns else _term(column))
            # a PI column's value is read after the column's term as its label, as a form
            # shows it and as ``pia scan`` reads a column's values: a bare name (王秀英)
            # is a name only there
            texts.append(f"{terms[-1]}: {lits[end].text}" if terms[-1] else lits[end].text)
            if "\n" not in texts[-1]:
                one_line.append(end - at)
            end += 1
        found: list[list[Match] | None] = [None] * (end - at)
        for k, matches in zip(one_line, engine.analyze_lines([texts[k] for k in one_line]),
                              strict=True):
            found[k] = matches
        for k in range(end - at):
            lit, text, matches = lits[at + k], texts[k], found[k]
            yield at + k, _literal_findings(
                path, lit, terms[k], len(text) - len(lit.text),
                engine.analyze(text) if matches is None else matches, lines, fingerprint)
        at = end


def _literal_findings(path: str, lit: Literal, term: str | None, label: int,
                      matches: list[Match], lines: Lines | None,
                      fingerprint: Fingerprinter | None) -> list[Finding]:
    """The findings of one literal, from the matches in its text after a label of ``label``
    characters (the term of the PI column it goes into)."""
    out = []
    for match in matches:
        entity = match.entity_type
        if (match.score < MIN_LITERAL_SCORE or entity in _SKIP_LITERALS
                or match.start < label):
            continue
        start, end = match.start - label, match.end - label
        value = lit.text[start:end]
        if entity == "EMAIL_ADDRESS" and not is_address(lit.text, start, end):
            continue
        if entity in _WEAK_LITERALS and term is None:
            continue
        line, col = lit.tok.line, lit.tok.col
        if lit.raw and lines is not None:
            line, col = lines.at(lit.tok.offset + start)
        out.append(_finding(path, lit, entity, mask(entity, value), line, col,
                            fingerprint(entity, value) if fingerprint else UNKEYED))
    return out


def unread_findings(path: str, text: str, covered: Iterable[tuple[int, int]],
                    place: Callable[[int], str], lines: Lines,
                    fingerprint: Fingerprinter | None = None,
                    vouched: list[tuple[str, int, int]] | None = None) -> list[Finding]:
    """``UNREAD`` PI in the text of a file outside the spans ``covered`` (the literals
    already read as values, in order): in a comment, a function's body, a ``"quoted"``
    name. The covered spans are blanked (line breaks kept), so offsets stay the file's (a
    seed file's text is put together a few thousand pieces at a time: one list of two
    pieces a literal held more than the text); ``place`` says
    what holds the value at an offset (``comment``). ``vouched`` values, as (entity type,
    start, end), are reported too where the engine finds nothing: a ``pia:ignore`` reason's
    (``ignores.Suppressions.values``), which the masker takes for a value whatever its check
    digit, so the refused comment is told of as the leak it is."""
    done: list[str] = []
    parts: list[str] = []
    at = 0
    for start, end in covered:
        if end <= at:
            continue
        start = max(start, at)
        parts += [text[at:start], _BLANK.sub(" ", text[start:end])]
        at = end
        if len(parts) >= 8192:
            done.append("".join(parts))
            parts.clear()
    unread = "".join([*done, *parts, text[at:]])
    del done, parts
    spans = []
    for match in _engine_matches(unread):
        entity = match.entity_type
        if entity not in UNREAD or match.score < MIN_LITERAL_SCORE:
            continue
        if entity == "EMAIL_ADDRESS" and not is_address(unread, match.start, match.end):
            continue
        spans.append((entity, match.start, match.end))
    spans += [(entity, start, end) for entity, start, end in vouched or []
              if not any(a < end and start < b for _e, a, b in spans)]
    out = []
    for entity, start, end in spans:
        value = unread[start:end]
        line, col = lines.at(start)
        tok = Tok(None, value, start, line, col)
        out.append(_finding(path, Literal("", None, tok, value, raw=True), entity,
                            mask(entity, value), line, col,
                            fingerprint(entity, value) if fingerprint else UNKEYED,
                            holder=place(start)))
    return out


def _engine_matches(text: str) -> list:
    """What the engine finds in ``text``: nothing in DDL without such a number or an address,
    which never loads Presidio (imported here for the same reason as in
    ``each_literal``). A vouched value is reported whatever this finds: a passport's
    number in a ``pia:ignore`` reason has eight digits, and was told of in a note only."""
    if not (_DIGITS.search(text) or _EMAIL.search(text)):
        return []
    from pia.detection.engine import default_engine

    return default_engine().analyze(text)


_BLANK = re.compile(r"[^\r\n]")
#: eleven digits or more, single separators allowed: the least any ``STRONG`` value has (a
#: mobile, 138 1234 5678)
_DIGITS = re.compile(r"\d(?:[ .\-]?\d){10,}")
#: what any email address the engine finds has: a local part, @, a dotted domain
_EMAIL = re.compile(r"[\w.%+\-]@[\w\-]+\.[\w.\-]*[A-Za-z]")
#: ``user@host:path``: an SSH remote (``git@github.com:org/repo.git``), not a mailbox
_REMOTE = re.compile(r":[^\s:]")


def is_address(text: str, start: int, end: int) -> bool:
    """Is the email match ``text[start:end]`` someone's address? Not at a reserved domain
    (``example.com``, ``.test``: fictitious by RFC 2606), nor the user of a URL
    (``ftp://backup@files.acme.cn/``) or of an SSH remote (``git@github.com:org/repo``)."""
    return not (_RESERVED_EMAIL.search(text[start:end])
                or text[max(0, start - 3):start] == "://"
                or _REMOTE.match(text, end))
_MYSQL_DELIMITER = re.compile(r"^[ \t]*DELIMITER[ \t]+(\S+)[ \t]*$", re.I | re.M)


def holders(text: str, comments: list[Tok], marks: list[Tok]) -> Callable[[int], str]:
    """What holds the text at an offset, as a finding's message names it (the ``holder`` of
    ``pia.migrations.messages``): ``comment``, ``quoted`` (a ``"quoted"`` name), ``function``
    (a function's dollar-quoted body, of ``marks``), ``routine`` (a MySQL routine's body,
    between ``DELIMITER`` lines: no token, since it is blanked before lexing), else ``text``."""
    spans = [(c.offset, c.offset + len(c.value), "comment") for c in comments]
    for tok in marks:
        if tok.value.startswith('"') and not tok.is_string:
            spans.append((tok.offset, tok.offset + len(tok.value), "quoted"))
        elif tok.value.startswith("$") and tok.ttype in T.Literal:
            spans.append((tok.offset, tok.offset + len(tok.value), "function"))
    spans.sort()
    starts = [s[0] for s in spans]
    blocks, opened = [], None
    for match in _MYSQL_DELIMITER.finditer(text):
        if opened is not None:
            blocks.append((opened, match.start()))
        opened = match.end() if match.group(1) != ";" else None
    if opened is not None:
        blocks.append((opened, len(text)))

    def place(offset: int) -> str:
        k = bisect.bisect_right(starts, offset) - 1
        if k >= 0 and offset < spans[k][1]:
            return spans[k][2]
        line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
        if text[line_start:offset].lstrip().startswith("#"):
            return "comment"
        if any(a <= offset < b for a, b in blocks):
            return "routine"
        return "text"

    return place


def _finding(path: str, lit: Literal, entity: str, masked: str, line: int, col: int,
             value_id: str, holder: str | None = None) -> Finding:
    """A literal's finding; with ``holder``, of a value outside any literal (``comment``,
    see ``holders``)."""
    sensitive = is_sensitive(entity)
    rule, severity = (SENSITIVE_RULE, "error") if sensitive else (GENERAL_RULE, "warning")
    params = dict(table=lit.table, column=lit.column or "", entity=entity, masked=masked,
                  sensitive=sensitive)
    key = "literal_at" if lit.table or lit.column else "literal"
    if holder:
        key, params["holder"] = "held", holder
    return Finding(file=path, line=line, col=col, rule_id=rule, severity=severity, key=key,
                   params=params, table=lit.table, column=lit.column or "",
                   kind=f"{entity}:{value_id}")


class Unkeyed:
    """Gives each literal finding made without a key its place as its identity: the n-th
    literal of its entity type going to its ``table.column`` (or to no known column) in the
    file, in file order (the findings are given to ``number`` in that order). It does not
    depend on the value, so it is the same on every run (code scanning keeps one alert per
    leak) and a fingerprint tells nothing about the value; a literal added before another
    of the same column shifts the ones after it."""

    def __init__(self) -> None:
        self.seen: Counter[tuple[str, str, str]] = Counter()

    def number(self, f: Finding) -> None:
        entity, _, value_id = f.kind.partition(":")
        if value_id != UNKEYED:
            return
        key = (f.rule_id, f.identity, entity)
        self.seen[key] += 1
        f.kind = f"{entity}:literal-{self.seen[key]}"
