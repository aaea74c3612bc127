"""The batch detection engine: Presidio's recognizers, run over large buffers.

Presidio analyses one text at a time and runs every pattern, the context enhancer and
deduplication per call: about 0.5 MiB/s with pia's recognizers on log lines. Here the same
recognizer objects run over buffers of thousands of lines at once:

1. one Hyperscan pass finds every pattern's candidate spans and every context word
   (``scanner.py``);
2. each recognizer's own regex confirms its spans with one anchored match, a pattern's
   whole column of spans at a time (``confirm.py``), except where the span is provably the
   regex's match already (token patterns, ``tokens.py``);
3. validators and context scoring run only on those candidates, again a pattern at a time
   (``PiaPatternRecognizer.score_spans``, ``windows.py``);
4. overlapping candidates are resolved on numpy columns (``resolve.py``), and results are
   split back into lines with offsets in the original text (normalisation never moves
   offsets; a buffer with JSON ``\\uXXXX`` escapes is searched decoded, and its offsets
   mapped back with the ``Escapes`` that ``decode_escapes`` gives).

Each batch step is held equal, by tests, to the one-candidate path Presidio calls
(``score_span``). Without Hyperscan every regex runs over the whole buffer instead: slower,
with the same answers.
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

from pia.detection.confirm import confirm_spans
from pia.detection.normalize import decode_escapes, for_search
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.registry import Registry, build_registry
from pia.detection.resolve import CandidateColumns, CertainSpans, Resolver
from pia.detection.scanner import BufferHits, BufferScanner, PatternJob, build_scanner
from pia.detection.yaml_recognizer import PatternTimeout

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


_NEWLINE = re.compile("\n")


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
        self._resolver = Resolver(self.recognizers)
        self._entities = np.array([rec.entity for rec in self.recognizers], dtype=object)
        self._names = np.array([rec.name for rec in self.recognizers], dtype=object)

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
        text, escapes = decode_escapes(text)
        norm = for_search(text)
        line_starts = np.array([0, *(m.end() for m in _NEWLINE.finditer(norm))], dtype=np.int64)
        starts, ends, scores, recs, _lines = self._results(norm, line_starts)
        if escapes is not None:
            starts, ends = escapes.to_original(starts), escapes.to_original(ends)
        return list(self._matches(recs, starts, ends, scores))

    def _results(self, norm: str, line_starts: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The kept results of a buffer as columns: (starts, ends, scores, recognizers, lines)."""
        try:
            if self._scanner is None:
                candidates = self._plain_candidates(norm, line_starts)
            else:
                candidates = self._scanned_candidates(norm, line_starts, self._scanner)
        except PatternTimeout as err:  # a user's runaway pattern: say on which line
            err.line = int(np.searchsorted(line_starts, err.position, "right")) - 1
            raise
        starts, ends, scores, lines, recs = candidates.columns()
        kept = self._resolver.kept(starts, ends, scores, lines, recs)
        return starts[kept], ends[kept], scores[kept], recs[kept], lines[kept]

    def _plain_candidates(self, norm: str, line_starts: np.ndarray) -> CandidateColumns:
        """Every pattern over the whole text: the path without Hyperscan."""
        candidates = CandidateColumns()
        starts = line_starts.tolist()  # bisect is quicker on a list, one candidate at a time
        for index, rec in enumerate(self.recognizers):
            for cand in rec.find(norm):
                line = bisect.bisect_right(starts, cand.start) - 1
                candidates.add(cand.start, cand.end, cand.score, line, index)
        return candidates

    def _scanned_candidates(self, norm: str, starts_column: np.ndarray,
                            scanner: BufferScanner) -> CandidateColumns:
        """Hyperscan's spans confirmed by each recognizer's regex, then validated and scored."""
        stops_column = np.empty_like(starts_column)
        stops_column[:-1] = starts_column[1:] - 1
        stops_column[-1] = len(norm)
        hits = scanner.scan(norm, starts_column)
        jobs = scanner.jobs
        n_recognizers = len(self.recognizers)
        context = hits.context
        candidates = CandidateColumns()
        # spans that a candidate scored 1.0, by that candidate's priority: a candidate of a
        # lower priority for the very same span can never win it (``Resolver``), so it is
        # not scored at all. Jobs come in priority order, so the strongest claims come first.
        certain = CertainSpans(len(norm) + 1)
        disputed: set[tuple[int, int]] = set()
        for group in confirm_spans(hits.spans, jobs, norm, starts_column, stops_column,
                                   n_recognizers, context, disputed):
            job = jobs[group.job_id]
            starts, ends, lines, keys = certain.unclaimed(group, job.recognizer.PRIORITY)
            if len(starts):
                scores = self._score(candidates, job, norm, starts, ends, lines, keys, hits,
                                     starts_column, stops_column)
                certain.claim(starts[scores >= 1.0], ends[scores >= 1.0])
        # lines Hyperscan only flagged, and spans the regex did not confirm: plain finditer
        lines_by_job: dict[int, list[int]] = {}
        for job_id, line in hits.lines | disputed:
            lines_by_job.setdefault(job_id, []).append(line)
        for job_id, lines in lines_by_job.items():
            job = jobs[job_id]
            starts, ends, lines = self._searched(job, norm, np.array(lines), starts_column,
                                                 stops_column, context)
            self._score(candidates, job, norm, starts, ends, lines,
                        lines * n_recognizers + job.index, hits, starts_column, stops_column)
        for job_id in scanner.always:  # patterns Hyperscan cannot compile: the whole buffer
            job = jobs[job_id]
            spans = np.array([match.span() for match in job.regex.finditer(norm)],
                             dtype=np.int64).reshape(-1, 2)
            starts, ends = spans[:, 0], spans[:, 1]
            lines = np.searchsorted(starts_column, starts, "right") - 1
            # an empty match, or one across a newline, is no candidate (``score_span`` agrees)
            within = (starts < ends) & (
                np.searchsorted(starts_column, ends - 1, "right") - 1 == lines)
            starts, ends, lines = starts[within], ends[within], lines[within]
            if len(starts):
                self._score(candidates, job, norm, starts, ends, lines,
                            lines * n_recognizers + job.index, hits, starts_column,
                            stops_column)
        return candidates

    def _score(self, candidates: CandidateColumns, job: PatternJob, norm: str,
               starts: np.ndarray, ends: np.ndarray, lines: np.ndarray, keys: np.ndarray,
               hits: BufferHits, line_starts: np.ndarray, line_stops: np.ndarray) -> np.ndarray:
        """Score one job's matches, add those that count; their scores (NaN: no result)."""
        scores = job.recognizer.score_spans(norm, starts.tolist(), ends.tolist(), job.score,
                                            hits.context[keys], hits.negative[keys],
                                            (line_starts[lines], line_stops[lines]))
        found = ~np.isnan(scores)
        candidates.add_chunk(starts[found], ends[found], scores[found], lines[found], job.index)
        return scores

    def _searched(self, job: PatternJob, norm: str, lines: np.ndarray,
                  starts_column: np.ndarray, stops_column: np.ndarray,
                  context: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The job's ``finditer`` matches on these lines: (starts, ends, lines), none empty."""
        if job.needs_context:
            lines = lines[context[lines * len(self.recognizers) + job.index]]
        finditer = job.regex.finditer
        starts: list[int] = []
        ends: list[int] = []
        found: list[int] = []
        for line, first, stop in zip(lines.tolist(), starts_column[lines].tolist(),
                                     stops_column[lines].tolist(), strict=True):
            for match in finditer(norm, first, stop):
                start, end = match.span()
                if start < end:  # an empty match is no candidate (``score_span`` agrees)
                    starts.append(start)
                    ends.append(end)
                    found.append(line)
        return (np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64),
                np.array(found, dtype=np.int64))

    def _matches(self, recs: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                 scores: np.ndarray) -> Iterator[Match]:
        """``Match``es from result columns, built by ``tuple.__new__`` in C: a NamedTuple's
        own ``__new__`` is a Python function, a frame per result."""
        return map(tuple.__new__, repeat(Match), zip(
            self._entities[recs].tolist(), starts.tolist(), ends.tolist(), scores.tolist(),
            self._names[recs].tolist(), strict=True))

    def analyze_lines(self, lines: Sequence[str]) -> list[list[Match]]:
        """Per-line results for lines without their newlines, offsets relative to each line."""
        with _collector_paused():
            return self._analyze_lines(lines)

    def _analyze_lines(self, lines: Sequence[str]) -> list[list[Match]]:
        results: list[list[Match]] = []
        lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)) + 1
        for first, last in _batches(lengths):
            starts_column = np.zeros(last - first, dtype=np.int64)
            np.cumsum(lengths[first:last - 1], out=starts_column[1:])
            text, escapes = decode_escapes("\n".join(lines[first:last]))
            norm = for_search(text)
            searched = starts_column if escapes is None else escapes.to_decoded(starts_column)
            try:
                starts, ends, scores, recs, found_lines = self._results(norm, searched)
            except PatternTimeout as err:
                err.line = None if err.line is None else err.line + first
                raise
            if escapes is not None:
                starts, ends = escapes.to_original(starts), escapes.to_original(ends)
            if len(found_lines) > 1 and not (found_lines[1:] >= found_lines[:-1]).all():
                by_line = np.argsort(found_lines, kind="stable")  # each line's order kept
                starts, ends, scores, recs, found_lines = (
                    starts[by_line], ends[by_line], scores[by_line], recs[by_line],
                    found_lines[by_line])
            base = starts_column[found_lines]
            results.extend(_per_line(list(self._matches(recs, starts - base, ends - base,
                                                        scores)),
                                     found_lines, last - first))
        return results

    def iter_lines(self, lines: Iterable[str]) -> Iterator[tuple[str, list[Match]]]:
        """Stream (line, matches) pairs, analysing a buffer's worth of lines at a time."""
        batch: list[str] = []
        size = 0
        done = 0  # lines of the batches before this one
        for line in lines:
            batch.append(line)
            size += len(line) + 1
            if size >= BUFFER_CHARS:
                yield from zip(batch, self._numbered(batch, done), strict=True)
                done += len(batch)
                batch, size = [], 0
        if batch:
            yield from zip(batch, self._numbered(batch, done), strict=True)

    def _numbered(self, batch: list[str], done: int) -> list[list[Match]]:
        """``analyze_lines(batch)``; a runaway user pattern says the input's line number."""
        try:
            return self.analyze_lines(batch)
        except PatternTimeout as err:
            if err.line is not None:
                err.input_line = done + err.line + 1
            raise


def _per_line(matches: list[Match], lines: np.ndarray, n_lines: int) -> list[list[Match]]:
    """One list per line of the matches on it (``lines`` in order): slices of ``matches``
    taken by ``map`` in C, a new list for every line, empty ones included. Appending each
    match to its line's list in a Python loop cost twice as much."""
    bounds = np.zeros(n_lines + 1, dtype=np.int64)
    np.cumsum(np.bincount(lines, minlength=n_lines), out=bounds[1:])
    edges = bounds.tolist()
    return list(map(matches.__getitem__, map(slice, edges[:-1], edges[1:])))


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


def _batches(lengths: np.ndarray) -> Iterator[tuple[int, int]]:
    """(first, last) line ranges of about ``BUFFER_CHARS`` each (``lengths`` count newlines)."""
    ends = np.cumsum(lengths)
    first = 0
    while first < len(lengths):
        done = int(ends[first - 1]) if first else 0
        # the first line whose end reaches a full buffer closes it (at least one line each)
        last = int(np.searchsorted(ends, done + BUFFER_CHARS, "left")) + 1
        last = min(max(last, first + 1), len(lengths))
        yield first, last
        first = last


_DEFAULT: DetectionEngine | None = None


def default_engine() -> DetectionEngine:
    """The built-in engine, built once per process (workers reuse it across partitions)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = DetectionEngine(build_registry())
    return _DEFAULT
