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
from typing import NamedTuple

from pia.detection.normalize import normalize
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.registry import Registry, build_registry
from pia.detection.scanner import BufferScanner, PatternJob, SpanColumns, build_scanner

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
        #: per scanner job: (score_span, pattern score, priority, entity, name), looked up
        #: once per candidate instead of five attribute reads
        self._job_info = [
            (job.recognizer.score_span, job.score, job.recognizer.PRIORITY,
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
        confirmed, disputed = _confirm_spans(hits.spans, jobs, norm, line_starts, n_recognizers,
                                             context)
        candidates: list[Candidate] = []
        append = candidates.append
        job_info = self._job_info
        # span → priority of a candidate that scored 1.0 there: a candidate of a lower
        # priority for the very same span can never win it (``_resolve``), so it is not
        # scored at all. Jobs come in priority order, so the strongest claim comes first.
        certain: dict[tuple[int, int], int] = {}
        for job_id, line, key, start, end in confirmed:
            score_span, pattern_score, priority, entity, name = job_info[job_id]
            span = (start, end)
            held = certain.get(span)
            if held is not None and held < priority:
                continue
            scored = score_span(norm, start, end, pattern_score, key in context, key in negative)
            if scored is not None:
                score = scored[0]
                append((start, end, score, priority, entity, name, line))
                if score >= 1.0 and (held is None or priority < held):
                    certain[span] = priority
        # lines Hyperscan only flagged, and spans the regex did not confirm: plain finditer
        for job_id, line in hits.lines | disputed:
            job = jobs[job_id]
            score_span, pattern_score, priority, entity, name = job_info[job_id]
            key = line * n_recognizers + job.index
            if job.needs_context and key not in context:
                continue
            stop = line_starts[line + 1] - 1 if line + 1 < n_lines else len(norm)
            for match in job.regex.finditer(norm, line_starts[line], stop):
                start, end = match.span()
                scored = score_span(norm, start, end, pattern_score, key in context,
                                    key in negative)
                if scored is not None:
                    append((start, end, scored[0], priority, entity, name, line))
        for job_id in scanner.always:  # patterns Hyperscan cannot compile: the whole buffer
            job = jobs[job_id]
            score_span, pattern_score, priority, entity, name = job_info[job_id]
            for match in job.regex.finditer(norm):
                start, end = match.span()
                scored = score_span(norm, start, end, pattern_score)
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


def _confirm_spans(
    spans: SpanColumns,
    jobs: list[PatternJob],
    norm: str,
    line_starts: list[int],
    n_recognizers: int,
    context: set[int],
) -> tuple[list[tuple[int, int, int, int, int]], set[tuple[int, int]]]:
    """The regex's own matches behind Hyperscan's spans, as ``finditer`` gives them per line.

    Hyperscan reports each span with its leftmost start, which is the consumed boundary
    character when the pattern has a leading guard: the regex is tried there (only at a line
    start: elsewhere the guard's lookbehind would have let Hyperscan start one character
    earlier) and one character later, and must end where Hyperscan ended (or one character
    before, the consumed trailing guard). A (job, line) where that fails is *disputed*: its
    spans are dropped and the caller runs ``finditer`` there instead. Returns (job, line,
    context key, start, end) matches and the disputed pairs. ``spans`` are sorted by job,
    then start, so each (job, line) group is contiguous.
    """
    confirmed: list[tuple[int, int, int, int, int]] = []
    disputed: set[tuple[int, int]] = set()
    n_lines, text_end = len(line_starts), len(norm)
    current_job = current_line = -1
    skip, guarded, last_end, stop, line_start, key, group_begin = False, False, -1, 0, 0, 0, 0
    regex = None
    for job_id, start, end, line in spans:
        if job_id != current_job or line != current_line:
            current_job, current_line = job_id, line
            job = jobs[job_id]
            regex = job.regex
            key = line * n_recognizers + job.index
            skip = job.needs_context and key not in context
            stop = line_starts[line + 1] - 1 if line + 1 < n_lines else text_end
            guarded = job.guarded
            line_start = line_starts[line]
            last_end = -1
            group_begin = len(confirmed)
        if skip:
            continue
        match = None if guarded and start != line_start else regex.match(norm, start, stop)
        if match is None or not end - 1 <= match.end() <= end:
            match = regex.match(norm, start + 1, stop)
            if match is None or not end - 1 <= match.end() <= end:
                disputed.add((job_id, line))
                del confirmed[group_begin:]
                skip = True
                continue
        first, last = match.span()
        if first == last:
            disputed.add((job_id, line))
            del confirmed[group_begin:]
            skip = True
        elif first >= last_end:  # finditer never reports overlapping matches
            confirmed.append((job_id, line, key, first, last))
            last_end = last
    return confirmed, disputed


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
