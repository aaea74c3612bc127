"""``-- pia:ignore RULE_ID[, RULE_ID...] reason``: which rules a comment suppresses, where.

A comment applies to its own line and, when it stands alone on its line, to the next line
too. Rule ids are separated by commas, with or without a space after them (``A,B`` and
``A, B``); after a comma and a space, a word is another rule id only when it looks like one
(a known id, or the shape ``PIPL-28-...``: letters, a part with a digit, a third part), so
``A, SEC-44 tracked`` is rule A with the reason ``SEC-44 tracked``, while ``A, B spaced
list`` no longer makes ``B spaced list`` the reason and leaves B open. A reason is required;
a comment without one, and a rule id pia does not know (a typo leaves the finding open with
no word why), are told to the author as notes. A reason that holds a PI value (what
``freetext.masked`` masks: a resident ID, card, mobile or landline number, email address,
passport's or permit's number, also one with a wrong check digit or with ``86`` glued on)
suppresses nothing: the value is new PI written into the repository, reported as its own
finding at the comment (``Suppressions.values``), and accepting a finding with it would let
the leak pass CI (QA r2 D2). The masker, not the engine, decides: a reason it masks and no
finding told of left CI failing with no word why.

What follows ``pia:ignore`` is not a description of a column (``without_directive``): read as
one, ``sfzh text -- pia:ignore ... legacy`` made ``legacy`` the column's comment, which says
the initials ``sfzh`` name something else, so the finding was never made, and the suppression
counted nothing (QA r2 D2).
"""

from __future__ import annotations

import difflib
import re

from pia.migrations.finding import RULE_IDS, Finding
from pia.migrations.freetext import held_values, masked
from pia.migrations.literals import is_address
from pia.migrations.messages import Note
from pia.migrations.sqltext import Tok, split_lines
from pia.printable import printable

_DIRECTIVE = re.compile(r"pia:ignore\b(.*)$", re.I | re.S)
_FIRST = re.compile(r"\s*([A-Za-z0-9][\w.\-]*(?:,[A-Za-z0-9][\w.\-]*)*)")
_MORE = re.compile(r"\s*,\s*([A-Za-z0-9][\w.\-]*)")
#: what stands where a rule id should and cannot be one (``pia:ignore * wildcard``): read as
#: a rule that is not, so that the author is told so rather than that the reason is missing
_NOT_AN_ID = re.compile(r"\s*([^\s,]+)")
_ID = re.compile(r"[A-Za-z0-9][\w.\-]*")
_RULE_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9]*-[\w.]*\d[\w.]*-[A-Za-z][\w.\-]*")
_KNOWN = {r.upper() for r in RULE_IDS}


def _looks_like_rule(word: str) -> bool:
    return word.upper() in _KNOWN or _RULE_SHAPE.fullmatch(word) is not None


def without_directive(comment: str) -> str:
    """A comment's text before its ``pia:ignore``: the rule ids and the reason after it say
    why a finding is accepted, not what the column on its line holds."""
    found = _DIRECTIVE.search(comment)
    return comment[:found.start()].rstrip() if found else comment


def directive(body: str) -> tuple[list[str], str] | None:
    """The rule ids (upper case) and the reason of a comment's ``pia:ignore``; None when it
    has none. The reason is '' when not given."""
    found = _DIRECTIVE.search(body)
    if not found:
        return None
    rest = found.group(1).rstrip()
    first = _FIRST.match(rest) or _NOT_AN_ID.match(rest)
    if not first:
        return [], ""
    rules = [r for r in first.group(1).split(",") if r]
    at = first.end()
    while (more := _MORE.match(rest, at)) and _looks_like_rule(more.group(1)):
        rules.append(more.group(1))
        at = more.end()
    reason = rest[at:].strip().removeprefix(",").strip()
    return [r.upper() for r in rules], reason


class Suppressions(dict[int, dict[str, str]]):
    """{line: {rule id: reason}}, and where the comments that say so are: a value written
    in a ``pia:ignore`` comment is new text of the file, not what the comment accepts (QA:
    ``-- pia:ignore PIPL-28-... fixture for 320102199003071239`` suppressed that ID too)."""

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
        #: the values written in reasons, as (entity type, start, end) offsets in the file:
        #: each is reported where it is, whether the engine would find it or only the
        #: masker would (``freetext.held_values``)
        self.values: list[tuple[str, int, int]] = []

    def reason(self, finding: Finding) -> str | None:
        """Why ``finding`` is suppressed, or None: not when it lies in such a comment."""
        reason = self.get(finding.line, {}).get(finding.rule_id.upper())
        at = (finding.line, finding.col)
        if reason and any(start <= at < end for start, end in self.spans):
            return None
        return reason


def _span(comment: Tok) -> tuple[tuple[int, int], tuple[int, int]]:
    """(line, column) where a comment starts, and just past where it ends."""
    parts = comment.value.split("\n")
    if len(parts) == 1:
        return (comment.line, comment.col), (comment.line, comment.col + len(comment.value))
    return (comment.line, comment.col), (comment.line + len(parts) - 1, len(parts[-1]) + 1)


def suppressions(text: str, comments: list[Tok], path: str,
                 notes: list[str] | None = None) -> Suppressions:
    """{line: {rule id: reason}} of the file's ``pia:ignore`` comments; a comment without a
    reason applies to nothing; it and unknown rule ids are added to ``notes``. A reason is
    printed in JSON and SARIF (a ``justification`` code scanning shows): a value written in
    it is masked there as everywhere (``freetext.masked``)."""
    lines: list[str] = []  # every line of the file, split only for a directive that applies
    out = Suppressions()
    told = [] if notes is None else notes
    for comment in comments:
        parsed = directive(comment.value.strip().removesuffix("*/"))  # "*/" is no reason
        if parsed is None:
            continue
        rules, reason = parsed
        where = {"path": printable(path), "line": comment.line}
        for rule in rules:
            shown = printable(masked(rule))  # a mistyped word may be a value: 1101011990...
            if not _ID.fullmatch(rule):  # '*' names no rule: no other suggestion fits
                told.append(Note("ignore_not_a_rule_id", {**where, "rule": shown}))
            elif rule not in _KNOWN:
                close = difflib.get_close_matches(rule, sorted(_KNOWN), n=1)
                told.append(Note("ignore_unknown_rule_close" if close else "ignore_unknown_rule",
                                 {**where, "rule": shown, "close": "".join(close),
                                  "known": ", ".join(RULE_IDS)}))
        if not reason or not rules:
            told.append(Note("ignore_without_reason", where))
            continue
        out.spans.append(_span(comment))
        held = [(entity, a, b) for entity, a, b in held_values(reason)  # not ops@example.com
                if entity != "EMAIL_ADDRESS" or is_address(reason, a, b)]
        if held:  # a value in the reason: reported, and accepts nothing
            told.append(Note("ignore_reason_holds_pi", where))
            start = comment.offset + comment.value.rfind(reason)
            out.values += [(entity, start + a, start + b) for entity, a, b in held]
            continue
        targets = [comment.line]
        lines = lines or split_lines(text)
        if lines[comment.line - 1].strip().startswith(("--", "#", "/*")):
            targets.append(comment.line + 1)
        for line in targets:
            out.setdefault(line, {}).update(dict.fromkeys(rules, reason))
    return out
