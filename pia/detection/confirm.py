"""Hyperscan's spans confirmed by each recognizer's own regex, a whole job's column at a time.

Hyperscan reports each exact span with its leftmost start, which is the consumed boundary
character when the pattern has a leading guard. The regex is therefore tried there (only at
a line start: elsewhere the guard's lookbehind would have let Hyperscan start one character
earlier) and one character later, and must end where Hyperscan ended (or one character
before: the consumed trailing guard). A (job, line) where that fails is *disputed*: its
spans are dropped and the engine runs ``finditer`` there instead, so answers never depend on
how faithful the Hyperscan rewrite was. Token patterns (``tokens``) come with their matches
already read off the reports, and pass through unchanged.

The work is per span but the bookkeeping is not: the anchored matches run through ``map``
(no Python frame per span), and which spans failed, overlap or need context is decided on
numpy columns. A loop over spans in Python cost about as much as the matches themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import repeat
from typing import NamedTuple

import numpy as np

from pia.detection.scanner import PatternJob, SpanColumns


class ConfirmedSpans(NamedTuple):
    """One job's confirmed matches: the spans ``finditer`` gives on those lines."""

    job_id: int
    starts: np.ndarray
    ends: np.ndarray
    lines: np.ndarray
    keys: np.ndarray  # line * n_recognizers + recognizer index, for context lookups


def confirm_spans(
    spans: SpanColumns,
    jobs: list[PatternJob],
    norm: str,
    line_starts: np.ndarray,
    line_stops: np.ndarray,
    n_recognizers: int,
    context: np.ndarray,
    disputed: set[tuple[int, int]],
) -> Iterator[ConfirmedSpans]:
    """Each job's confirmed spans; disputed (job, line) pairs are added to ``disputed``.

    ``spans`` are sorted by job, then start; ``line_stops`` is where each line's text ends
    (its newline, or the end of ``norm``); ``context`` says, per line * n_recognizers +
    recognizer index, whether the line holds one of the recognizer's context words.
    """
    ids = spans.jobs
    if not len(ids):
        return
    bounds = np.flatnonzero(ids[1:] != ids[:-1]) + 1
    for first, last in zip([0, *bounds.tolist()], [*bounds.tolist(), len(ids)], strict=True):
        job_id = int(ids[first])
        job = jobs[job_id]
        starts, ends, lines = (spans.starts[first:last], spans.ends[first:last],
                               spans.lines[first:last])
        keys = lines * n_recognizers + job.index
        if job.needs_context:  # a weak pattern that counts only on lines with context
            wanted = context[keys]
            starts, ends, lines, keys = starts[wanted], ends[wanted], lines[wanted], keys[wanted]
            if not len(starts):
                continue
        if job.token is not None:  # already the regex's matches, one per run (``tokens``)
            yield ConfirmedSpans(job_id, starts, ends, lines, keys)
            continue
        stops = line_stops[lines]
        at_line_start = starts == line_starts[lines]
        positions = np.where(at_line_start, starts, starts + 1) if job.guarded else starts.copy()
        found = _match_ends(job.regex.match, norm, positions, stops)
        ok = _reaches(found, ends)
        retry = ~ok if not job.guarded else ~ok & at_line_start
        if retry.any():
            again = np.flatnonzero(retry)
            positions[again] = starts[again] + 1
            found[again] = _match_ends(job.regex.match, norm, positions[again], stops[again])
            ok[again] = _reaches(found[again], ends[again])
        bad = ~ok | (found == positions)  # refused, or an empty match
        if bad.any():
            bad_lines = np.unique(lines[bad])
            disputed.update((job_id, line) for line in bad_lines.tolist())
            kept = ~np.isin(lines, bad_lines)
            positions, found, lines, keys = (positions[kept], found[kept], lines[kept],
                                             keys[kept])
        kept = _without_overlaps(positions, found, lines)
        if kept is not None:
            positions, found, lines, keys = (positions[kept], found[kept], lines[kept],
                                             keys[kept])
        if len(positions):
            yield ConfirmedSpans(job_id, positions, found, lines, keys)


def _match_ends(match: Callable, norm: str, positions: np.ndarray,
                stops: np.ndarray) -> np.ndarray:
    """End of ``match(norm, position, stop)`` for each position, or -1 where it fails."""
    matches = map(match, repeat(norm), positions.tolist(), stops.tolist())
    return np.fromiter((-1 if m is None else m.end() for m in matches), dtype=np.int64,
                       count=len(positions))


def _reaches(found: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Whether each match ends where Hyperscan did, or one before (the consumed guard)."""
    return (found >= ends - 1) & (found <= ends)


def _without_overlaps(starts: np.ndarray, ends: np.ndarray,
                      lines: np.ndarray) -> np.ndarray | None:
    """Which spans ``finditer`` would report: none overlapping an earlier kept one on its line.

    Returns None when every span is kept, which is the rule: overlaps come only from
    Hyperscan reporting two ends for one start. Lines that have them are walked in order.
    """
    if len(starts) < 2:
        return None
    clash = (lines[1:] == lines[:-1]) & (starts[1:] < ends[:-1])
    if not clash.any():
        return None
    kept = np.ones(len(starts), dtype=bool)
    clash_lines = set(lines[1:][clash].tolist())
    last_line, last_end = -1, -1
    for index in np.flatnonzero(np.isin(lines, list(clash_lines))).tolist():
        line = int(lines[index])
        if line != last_line:
            last_line, last_end = line, -1
        if starts[index] >= last_end:
            last_end = int(ends[index])
        else:
            kept[index] = False
    return kept
