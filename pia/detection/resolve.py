"""Candidates as columns, and the overlap resolution that keeps one result per region.

A buffer of log lines yields tens of thousands of candidates. Kept as Python tuples, sorting
and walking them cost as much as finding them; as numpy columns (start, end, score, line,
recognizer) they are sorted with one ``lexsort``, and only the few regions where candidates
overlap are resolved in Python.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pia.detection.confirm import ConfirmedSpans
from pia.detection.recognizer import PiaPatternRecognizer


class CandidateColumns:
    """Candidates of one buffer, collected in chunks (one per pattern) or one at a time."""

    def __init__(self) -> None:
        self._chunks: list[tuple[np.ndarray, ...]] = []
        self._rows: list[tuple[int, int, float, int, int]] = []

    def add_chunk(self, starts: np.ndarray, ends: np.ndarray, scores: np.ndarray,
                  lines: np.ndarray, recognizer: int) -> None:
        if len(starts):
            self._chunks.append((starts, ends, scores, lines,
                                 np.full(len(starts), recognizer, dtype=np.int64)))

    def add(self, start: int, end: int, score: float, line: int, recognizer: int) -> None:
        self._rows.append((start, end, score, line, recognizer))

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(starts, ends, scores, lines, recognizer indexes), in no particular order."""
        chunks = list(self._chunks)
        if self._rows:
            starts, ends, scores, lines, recs = zip(*self._rows, strict=True)
            chunks.append((np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64),
                           np.array(scores, dtype=np.float64), np.array(lines, dtype=np.int64),
                           np.array(recs, dtype=np.int64)))
        if not chunks:
            ints = np.zeros(0, dtype=np.int64)
            return ints, ints, np.zeros(0, dtype=np.float64), ints, ints
        starts, ends, scores, lines, recs = (np.concatenate(column)
                                             for column in zip(*chunks, strict=True))
        return starts, ends, scores, lines, recs


class Resolver:
    """Keeps one result per region: the longest span, then the highest score, then priority.

    Ties are broken as a sort of (start, end, score, priority, entity, recognizer name,
    line) tuples would: that order is the output order, and the order in which a region's
    candidates are considered.
    """

    def __init__(self, recognizers: Sequence[PiaPatternRecognizer]) -> None:
        self.priority = np.array([rec.PRIORITY for rec in recognizers], dtype=np.int64)
        names = sorted({(rec.entity, rec.name) for rec in recognizers})
        self.rank = np.array([names.index((rec.entity, rec.name)) for rec in recognizers],
                             dtype=np.int64)

    def kept(self, starts: np.ndarray, ends: np.ndarray, scores: np.ndarray,
             lines: np.ndarray, recs: np.ndarray) -> np.ndarray:
        """Indexes of the candidates kept, in output order (by start)."""
        if not len(starts):
            return np.zeros(0, dtype=np.int64)
        priority = self.priority[recs]
        order = np.lexsort((lines, self.rank[recs], priority, scores, ends, starts))
        ordered_starts, ordered_ends = starts[order], ends[order]
        reach = np.maximum.accumulate(ordered_ends)
        opens = np.ones(len(order), dtype=bool)  # a candidate that starts a new region
        opens[1:] = ordered_starts[1:] >= reach[:-1]
        if opens.all():
            return order
        keep = opens.copy()
        firsts = np.flatnonzero(opens)
        lasts = np.append(firsts[1:], len(order))
        sizes = lasts - firsts
        # most overlaps are two candidates (two patterns of one recognizer on one value),
        # and exactly one of them is kept: the rule below, decided on the columns
        pairs = firsts[sizes == 2]
        if len(pairs):
            a, b = order[pairs], order[pairs + 1]  # a comes first in output order
            longer = ends[b] - starts[b] - (ends[a] - starts[a])
            second_wins = (longer > 0) | ((longer == 0) & (
                (scores[b] > scores[a]) | ((scores[b] == scores[a])
                                           & (priority[b] < priority[a]))))
            keep[pairs] = ~second_wins
            keep[pairs + 1] = second_wins
        shared = sizes > 2  # larger regions where candidates overlap
        for first, last in zip(firsts[shared].tolist(), lasts[shared].tolist(), strict=True):
            keep[first] = False
            for position in self._resolve_region(order[first:last], starts, ends, scores,
                                                 priority):
                keep[first + position] = True
        return order[keep]

    @staticmethod
    def _resolve_region(region: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                        scores: np.ndarray, priority: np.ndarray) -> list[int]:
        """Positions within ``region`` (indexes in output order) of the candidates kept."""
        rows = [(int(starts[i]), int(ends[i]), float(scores[i]), int(priority[i]))
                for i in region.tolist()]
        # longest first, then highest score, then priority; the sort is stable, so full ties
        # keep output order
        ranked = sorted(range(len(rows)), key=lambda k: (rows[k][0] - rows[k][1], -rows[k][2],
                                                         rows[k][3], rows[k][0]))
        kept: list[int] = []
        for k in ranked:
            start, end = rows[k][0], rows[k][1]
            if all(end <= rows[other][0] or start >= rows[other][1] for other in kept):
                kept.append(k)
        return kept


class CertainSpans:
    """Spans some candidate scored 1.0, by priority: lower-priority claims there are moot."""

    def __init__(self, width: int) -> None:
        self._width = width  # span key: start * width + end
        self._priority: int | None = None
        self._below: list[np.ndarray] = []  # claims of strictly stronger priorities
        self._current: list[np.ndarray] = []  # claims of the priority being scored
        self._blocked: np.ndarray | None = None

    def unclaimed(self, group: ConfirmedSpans,
                  priority: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The group's spans that no stronger candidate has already taken with 1.0."""
        if priority != self._priority:
            self._below.extend(self._current)
            self._current, self._priority = [], priority
            # each claim is in start order: a stable sort (timsort) merges those runs in
            # linear time, where the default quicksort took most of `unclaimed`
            self._blocked = (np.sort(np.concatenate(self._below), kind="stable")
                             if self._below else None)
        starts, ends, lines, keys = group.starts, group.ends, group.lines, group.keys
        if self._blocked is not None and len(self._blocked):
            free = ~_sorted_contains(self._blocked, starts * self._width + ends)
            starts, ends, lines, keys = starts[free], ends[free], lines[free], keys[free]
        return starts, ends, lines, keys

    def claim(self, starts: np.ndarray, ends: np.ndarray) -> None:
        """These spans were scored 1.0 by the priority last asked about in ``unclaimed``."""
        if len(starts):
            self._current.append(starts * self._width + ends)


def _sorted_contains(ordered: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` occurs in the sorted array ``ordered`` (not empty)."""
    at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    return ordered[at] == values
