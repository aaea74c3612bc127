"""The batch detection engine: Presidio's recognizers, run over large buffers.

Presidio analyses one text at a time and runs every pattern, the context enhancer and
deduplication per call: about 0.5 MiB/s with pia's recognizers on log lines. Here the same
recognizer objects run over buffers of thousands of lines at once: one Hyperscan pass finds
every pattern's candidate spans and every context word (``scanner.py``), each recognizer's
own regex confirms its spans with one anchored match, and validators and context scoring run
only on those candidates. Results are then split back into lines with offsets in the
original text (normalisation never moves offsets). Without Hyperscan every regex runs over
the whole buffer instead: slower, with the same answers.
"""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import repeat
from typing import NamedTuple

import numpy as np

from pia.detection.confirm import ConfirmedSpans, confirm_spans
from pia.detection.normalize import normalize
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.registry import Registry, build_registry
from pia.detection.scanner import BufferScanner, build_scanner

#: characters per buffer: large enough to amortise per-call costs, small enough for memory
BUFFER_CHARS = 1 << 20


class Match(NamedTuple):
    """One entity found: offsets into the original text (a tuple: tens of thousands per MiB)."""

    entity_type: str
    start: int
    end: int
    score: float
    recognizer: str

    def as_dict(self) -> dict[str, object]:
        return {
            "entity_type": self.entity_type,
            "start": self.start,
            "end": self.end,
            "score": self.score,
        }


#: (start, end, score, priority, entity, recognizer name, line index in its buffer)
Candidate = tuple[int, int, float, int, str, str, int]

_NEWLINE = re.compile("\n")


def _resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Keep one result per region: the longest span, then the highest score, then priority.

    Candidates are (start, end, score, priority, entity, recognizer, line). Most regions hold a
    single candidate, so work happens only inside clusters of overlapping ones. The kept
    candidates come back in order of start.
    """
    candidates.sort()
    out: list[Candidate] = []
    i, n = 0, len(candidates)
    while i < n:
        first = candidates[i]
        cluster_end = first[1]
        j = i + 1
        while j < n and candidates[j][0] < cluster_end:
            cluster_end = max(cluster_end, candidates[j][1])
            j += 1
        if j == i + 1:
            out.append(first)
        else:
            out.extend(_resolve_cluster(candidates[i:j]))
        i = j
    return out


def _resolve_cluster(cluster: list[Candidate]) -> list[Candidate]:
    kept: list[Candidate] = []
    for cand in sorted(cluster, key=lambda c: (c[0] - c[1], -c[2], c[3], c[0])):
        for other in kept:
            if cand[1] > other[0] and cand[0] < other[1]:
                break
        else:
            kept.append(cand)
    return sorted(kept)


class _CertainSpans:
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
            self._blocked = np.sort(np.concatenate(self._below)) if self._below else None
        starts, ends, lines, keys = group.starts, group.ends, group.lines, group.keys
        if self._blocked is not None and len(self._blocked):
            free = ~_sorted_contains(self._blocked, starts * self._width + ends)
            starts, ends, lines, keys = starts[free], ends[free], lines[free], keys[free]
        return starts, ends, lines, keys

    def claim(self, starts: np.ndarray, ends: np.ndarray, priority: int) -> None:
        if len(starts):
            self._current.append(starts * self._width + ends)


def _sorted_contains(ordered: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` occurs in the sorted array ``ordered`` (not empty)."""
    at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    return ordered[at] == values


class DetectionEngine:
    """Finds entities in text with a registry's recognizers (one language's instances)."""

    def __init__(
        self,
        registry: Registry | None = None,
        *,
        language: str = "zh",
        entities: Iterable[str] | None = None,
        prefilter: bool = True,
    ) -> None:
        """``prefilter=False`` runs plain ``re`` only: the reference the Hyperscan path equals."""
        registry = registry or build_registry()
        wanted = set(entities) if entities else None
        chosen: dict[str, PiaPatternRecognizer] = {}
        for rec in registry.recognizers():
            if wanted is not None and rec.entity not in wanted:
                continue
            if rec.name not in chosen or rec.supported_language == language:
                chosen[rec.name] = rec
        self.recognizers: list[PiaPatternRecognizer] = list(chosen.values())
        self._scanner: BufferScanner | None = (
            build_scanner(self.recognizers) if prefilter else None
        )
        #: per scanner job: (score_spans, pattern score, priority, entity, name)
        self._job_info = [
            (job.recognizer.score_spans, job.score, job.recognizer.PRIORITY,
             job.recognizer.entity, job.recognizer.name)
            for job in (self._scanner.jobs if self._scanner is not None else [])
        ]

    @property
    def uses_prefilter(self) -> bool:
        """Whether Hyperscan finds the candidates (else every regex runs over every buffer)."""
        return self._scanner is not None

    @property
    def entities(self) -> list[str]:
        return sorted({r.entity for r in self.recognizers})

    def analyze(self, text: str) -> list[Match]:
        """Entities in ``text`` (which may span lines; matches never cross a newline)."""
        if len(text) > BUFFER_CHARS:  # keep each scan's buffers (and offset tables) bounded
            out: list[Match] = []
            offset = 0
            lines = text.split("\n")
            for line, matches in zip(lines, self.analyze_lines(lines), strict=True):
                out.extend(Match(m.entity_type, m.start + offset, m.end + offset, m.score,
                                 m.recognizer) for m in matches)
                offset += len(line) + 1
            return out
        norm = normalize(text)
        line_starts = [0]
        line_starts.extend(m.end() for m in _NEWLINE.finditer(norm))
        if self._scanner is None:
            candidates = self._plain_candidates(norm, line_starts)
        else:
            candidates = self._scanned_candidates(norm, line_starts, self._scanner)
        return [Match(entity, start, end, score, name)
                for start, end, score, _priority, entity, name, _line in _resolve(candidates)]

    def _plain_candidates(self, norm: str, line_starts: list[int]) -> list[Candidate]:
        """Every pattern over the whole text: the path without Hyperscan."""
        candidates = []
        for rec in self.recognizers:
            priority, entity, name = rec.PRIORITY, rec.entity, rec.name
            for cand in rec.find(norm):
                line = bisect.bisect_right(line_starts, cand.start) - 1
                candidates.append((cand.start, cand.end, cand.score, priority, entity, name,
                                   line))
        return candidates

    def _scanned_candidates(self, norm: str, line_starts: list[int],
                            scanner: BufferScanner) -> list[Candidate]:
        """Hyperscan's spans confirmed by each recognizer's regex, then validated and scored."""
        hits = scanner.scan(norm, line_starts)
        jobs = scanner.jobs
        n_recognizers = len(self.recognizers)
        n_lines = len(line_starts)
        context, negative = hits.context, hits.negative
        starts_column = np.asarray(line_starts, dtype=np.int64)
        stops_column = np.empty_like(starts_column)
        stops_column[:-1] = starts_column[1:] - 1
        stops_column[-1] = len(norm)
        candidates: list[Candidate] = []
        job_info = self._job_info
        # spans that a candidate scored 1.0, by that candidate's priority: a candidate of a
        # lower priority for the very same span can never win it (``_resolve``), so it is
        # not scored at all. Jobs come in priority order, so the strongest claims come first.
        certain = _CertainSpans(len(norm) + 1)
        disputed: set[tuple[int, int]] = set()
        for group in confirm_spans(hits.spans, jobs, norm, starts_column, stops_column,
                                   n_recognizers, context, disputed):
            score_spans, pattern_score, priority, entity, name = job_info[group.job_id]
            starts, ends, lines, keys = certain.unclaimed(group, priority)
            if not len(starts):
                continue
            scores = np.array(
                score_spans(norm, starts.tolist(), ends.tolist(), pattern_score,
                            context[keys].tolist(), negative[keys].tolist()),
                dtype=np.float64)  # None becomes NaN
            found = ~np.isnan(scores)
            certain.claim(starts[scores >= 1.0], ends[scores >= 1.0], priority)
            candidates.extend(zip(starts[found].tolist(), ends[found].tolist(),
                                  scores[found].tolist(), repeat(priority), repeat(entity),
                                  repeat(name), lines[found].tolist()))
        append = candidates.append
        # lines Hyperscan only flagged, and spans the regex did not confirm: plain finditer
        for job_id, line in hits.lines | disputed:
            job = jobs[job_id]
            score = job.recognizer.score_span
            _spans, pattern_score, priority, entity, name = job_info[job_id]
            key = line * n_recognizers + job.index
            if job.needs_context and not context[key]:
                continue
            stop = line_starts[line + 1] - 1 if line + 1 < n_lines else len(norm)
            for match in job.regex.finditer(norm, line_starts[line], stop):
                start, end = match.span()
                scored = score(norm, start, end, pattern_score, bool(context[key]),
                               bool(negative[key]))
                if scored is not None:
                    append((start, end, scored[0], priority, entity, name, line))
        for job_id in scanner.always:  # patterns Hyperscan cannot compile: the whole buffer
            job = jobs[job_id]
            score = job.recognizer.score_span
            _spans, pattern_score, priority, entity, name = job_info[job_id]
            for match in job.regex.finditer(norm):
                start, end = match.span()
                scored = score(norm, start, end, pattern_score)
                if scored is not None:
                    line = bisect.bisect_right(line_starts, start) - 1
                    append((start, end, scored[0], priority, entity, name, line))
        return candidates

    def analyze_lines(self, lines: Sequence[str]) -> list[list[Match]]:
        """Per-line results for lines without their newlines, offsets relative to each line."""
        with _collector_paused():
            return self._analyze_lines(lines)

    def _analyze_lines(self, lines: Sequence[str]) -> list[list[Match]]:
        results: list[list[Match]] = [[] for _ in lines]
        for first, last in _batches(lines):
            starts = []
            offset = 0
            for line in lines[first:last]:
                starts.append(offset)
                offset += len(line) + 1
            norm = normalize("\n".join(lines[first:last]))
            if self._scanner is None:
                candidates = self._plain_candidates(norm, starts)
            else:
                candidates = self._scanned_candidates(norm, starts, self._scanner)
            for start, end, score, _priority, entity, name, line in _resolve(candidates):
                base = starts[line]
                results[first + line].append(Match(entity, start - base, end - base, score, name))
        return results

    def iter_lines(self, lines: Iterable[str]) -> Iterator[tuple[str, list[Match]]]:
        """Stream (line, matches) pairs, analysing a buffer's worth of lines at a time."""
        batch: list[str] = []
        size = 0
        for line in lines:
            batch.append(line)
            size += len(line) + 1
            if size >= BUFFER_CHARS:
                yield from zip(batch, self.analyze_lines(batch), strict=True)
                batch, size = [], 0
        if batch:
            yield from zip(batch, self.analyze_lines(batch), strict=True)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a batch is analysed.

    A MiB of log lines makes several hundred thousand short-lived tuples, and every 700
    allocations start a collection that walks the young objects (and now and then the
    whole heap, Presidio's included): 10–15 % of the engine's time. The engine makes no
    reference cycles, so reference counting frees everything; other threads' cycles are
    collected once the collector runs again. Nested or concurrent calls leave it as found.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _batches(lines: Sequence[str]) -> Iterator[tuple[int, int]]:
    first, size = 0, 0
    for i, line in enumerate(lines):
        size += len(line) + 1
        if size >= BUFFER_CHARS:
            yield first, i + 1
            first, size = i + 1, 0
    if first < len(lines):
        yield first, len(lines)


_DEFAULT: DetectionEngine | None = None


def default_engine() -> DetectionEngine:
    """The built-in engine, built once per process (workers reuse it across partitions)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = DetectionEngine(build_registry())
    return _DEFAULT
