"""A run's findings counted as they come: what ``pia check-migrations`` prints, held by
column rather than by value.

Every format lists a file's values of one ``table.column``, rule, entity type, status and
suppression reason once (``render.listed``): the first, with how many more and the line of
the last. Holding a finding per value until then took 50 to 60 times a seed file's size
(1.2 GB for 30 MB, 4.3 GB for 139 MB). ``Grouped`` keeps, per such group, its first finding,
its count and its last line, and the run's counts by severity and status; a baseline is
applied to each value as it comes (``baseline.Matcher``), and ``--update-baseline`` counts
by fingerprint (``baseline.Tally``). What it prints, the counts, the exit code and the
baseline written are those of the findings held and then listed, to the byte.

A baseline's second pass (an entry of a file that no longer exists, matched by the finding's
identity: ``baseline.apply``) waits for every finding's first, so a value it may accept is
held until the end: no more of one identity than the entries of gone files can accept.
Findings not about a value (a column's, a statement pia could not read) are few, and kept.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from typing import Any

from pia.migrations.baseline import Baseline, Matcher, OrphanKey, Tally, apply, orphan_key
from pia.migrations.finding import VALUE_KEYS, Finding
from pia.migrations.render import Listing, listed


class Grouped:
    """Findings added in a run's order (``add``), then ``listing``: what ``render``
    prints, with the counts ``render.summary`` gives. With ``accepted``, the baseline is
    applied (``moves``: ``--git-diff``'s renames); with ``tally``, what ``--update-baseline``
    writes is counted."""

    def __init__(self, accepted: Baseline | None = None, moves: dict[str, str] | None = None,
                 tally: bool = False) -> None:
        self.accepted, self.moves = accepted, moves
        self.matcher = Matcher(accepted, moves) if accepted is not None else None
        self.tally = Tally() if tally else None
        self.counts = {"error": 0, "warning": 0, "suppressed": 0, "baselined": 0}
        self.used: set[str] = set()  # the baseline's entries that accepted a finding
        self._seq = 0
        self._others: list[tuple[int, Finding]] = []
        #: (file, identity, rule, entity, status, reason) → [order, first, count, last line]
        self._groups: dict[tuple[str, ...], list[Any]] = {}
        self._waiting: list[tuple[int, Finding]] = []
        self._waits: Counter[OrphanKey] = Counter()

    def add(self, finding: Finding) -> None:
        seq, self._seq = self._seq, self._seq + 1
        if finding.key not in VALUE_KEYS:
            self._others.append((seq, finding))
            return
        matcher = self.matcher
        if matcher is not None and finding.status == "open" and not matcher.own(finding):
            identity = orphan_key(finding)
            if self._waits[identity] < matcher.may_orphan(finding):
                self._waits[identity] += 1
                self._waiting.append((seq, finding))
                return
        self._count(seq, finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.add(finding)

    def _counted(self, f: Finding) -> None:
        """Count ``f`` by severity (open) or status, and tally it for the baseline."""
        self.counts[f.severity if f.status == "open" else f.status] += 1
        if self.tally is not None:
            self.tally.add(f)

    def _count(self, seq: int, f: Finding) -> None:
        self._counted(f)
        group = (f.file, f.identity, f.rule_id, f.kind.partition(":")[0], f.status, f.reason)
        held = self._groups.get(group)
        if held is None:
            self._groups[group] = [seq, f, 1, f.line]
            return
        if seq < held[0]:  # a value the baseline's second pass left open, come late
            held[0], held[1] = seq, f
        held[2] += 1
        held[3] = max(held[3], f.line)

    def finish(self) -> set[str]:
        """Apply the baseline's second pass to the values held for it, and the baseline to
        the other findings; returns the fingerprints of the entries that accepted one."""
        if self.matcher is not None:
            for seq, finding in self._waiting:
                self.matcher.orphan(finding)
                self._count(seq, finding)
            self.used = self.matcher.used | apply([f for _s, f in self._others],
                                                  self.accepted, self.moves)  # type: ignore
        self._waiting.clear()
        for _seq, f in self._others:
            self._counted(f)
        return self.used

    def listing(self) -> Listing:
        """The findings as every format lists them (``render.listed``), in the run's order,
        with the count of each value (``counts``): what ``render.chunks`` prints."""
        firsts = []
        for seq, first, count, last in self._groups.values():
            first.more, first.last_line = count - 1, last if count > 1 else 0
            firsts.append((seq, first))
        ordered = heapq.merge(self._others, sorted(firsts, key=lambda p: p[0]),
                              key=lambda p: p[0])
        return Listing(listed([f for _seq, f in ordered]), self.counts)

    def failing(self, fail_on: str) -> bool:
        """Is an open finding at ``fail_on`` or above left (exit 1)?"""
        return bool(self.counts["error"] or fail_on == "warning" and self.counts["warning"])
