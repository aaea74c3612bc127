"""A file's findings in their order, given one literal at a time.

A file's findings are reported sorted by place (line, column, rule id; findings at one place
in the order they were made: the columns', the literals', the values outside literals, the
statements pia could not read), numbered (``literals.Unkeyed``: the n-th value of a
column), each said once a line, and suppressed by the file's ``pia:ignore`` comments. A seed
file's literals make hundreds of thousands of findings: sorting them meant holding them all
(4.3 GB for a 139 MB file). Here they are sorted as they come: a literal's findings are at
or after where it starts, so the findings before the start of every literal not yet
analysed are in their final place and are given then, and a seed file, whose literals come
in the order they are written, holds only the findings of the place being read.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterable, Iterator

from pia.migrations.finding import Finding
from pia.migrations.ignores import Suppressions
from pia.migrations.literals import Unkeyed
from pia.migrations.parsed import Literal
from pia.migrations.sqltext import Lines

#: the order of the kinds of findings made at one place (``in_order``'s ``rank``)
COLUMNS, LITERALS, UNREAD, PROBLEMS = range(4)
_END = 1 << 62


def _place(line: int, col: int) -> int:
    return line << 31 | col


def starts(literals: list[Literal], lines: Lines) -> array:
    """For each literal, the earliest place of the literals from it to the last (as
    ``_place``), and past them one more beyond any: a finding before it is in its place.
    A raw literal's findings are where their values are in it, a token's at the token."""
    out = array("q", [_END]) * (len(literals) + 1)
    least = _END
    for k in range(len(literals) - 1, -1, -1):
        lit = literals[k]
        line, col = lines.at(lit.tok.offset) if lit.raw else (lit.tok.line, lit.tok.col)
        least = min(least, _place(line, col))
        out[k] = least
    return out


def in_order(made: Iterable[tuple[int, list[Finding]]], literals: list[Literal],
             lines: Lines, others: Iterable[tuple[int, Finding]]) -> Iterator[Finding]:
    """The findings ``made`` of ``literals`` (as ``literals.each_literal`` gives them: each
    literal's index and findings, in the order of ``literals``) and the ``others`` (each
    with its rank: ``COLUMNS``, ``UNREAD``, ``PROBLEMS``, in the order they were made), in
    the order a stable sort by (line, column, rule id) of all of them, made in that order
    of rank, gives."""
    held: list[tuple[tuple, Finding]] = []
    for n, (rank, f) in enumerate(others):
        held.append(((f.line, f.col, f.rule_id, rank, n, 0), f))
    heapq.heapify(held)
    before = starts(literals, lines)
    for k, found in made:
        for n, f in enumerate(found):
            heapq.heappush(held, ((f.line, f.col, f.rule_id, LITERALS, k, n), f))
        edge = before[k + 1]
        while held and _place(held[0][0][0], held[0][0][1]) < edge:
            yield heapq.heappop(held)[1]
    while held:
        yield heapq.heappop(held)[1]


def finished(findings: Iterable[Finding], ignores: Suppressions) -> Iterator[Finding]:
    """The findings, in order, as a file reports them: a literal found without a key
    numbered by its place (``literals.Unkeyed``), one
    finding of a fingerprint a line, each citing its rule, suppressed where a ``pia:ignore``
    comment says so."""
    unkeyed = Unkeyed()
    seen: set[str] = set()
    line = None
    for f in findings:
        unkeyed.number(f)
        if f.line != line:  # in order of lines: only this line's can be said again
            seen.clear()
            line = f.line
        fingerprint = f.fingerprint
        if fingerprint in seen:
            continue
        seen.add(fingerprint)
        f.cited = True  # its message ends with the articles of its rule
        reason = ignores.reason(f)  # not a value written in the comment itself
        if reason:
            f.status, f.reason = "suppressed", reason
        yield f
