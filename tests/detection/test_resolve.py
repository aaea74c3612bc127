"""Overlap resolution on numpy columns equals the plain rule it replaced, ties included."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from presidio_analyzer import Pattern

from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.resolve import CandidateColumns, CertainSpans, Resolver


def _recognizer(name: str, entity: str, priority: int) -> PiaPatternRecognizer:
    kind = type(name, (PiaPatternRecognizer,), {
        "ENTITY": entity, "PRIORITY": priority, "PATTERNS": [Pattern("p", "x", 0.5)]})
    return kind()


#: two recognizers share a priority, two share an entity: every tie-break is reachable
RECOGNIZERS = [_recognizer("B", "CN_MOBILE", 10), _recognizer("A", "CN_MOBILE", 10),
               _recognizer("C", "CN_BANK_CARD", 15), _recognizer("D", "IP_ADDRESS", 5)]


def reference(candidates: list[tuple]) -> list[tuple]:
    """The rule as a sort of (start, end, score, priority, entity, name, line) tuples."""
    out: list[tuple] = []
    candidates = sorted(candidates)
    i = 0
    while i < len(candidates):
        reach, j = candidates[i][1], i + 1
        while j < len(candidates) and candidates[j][0] < reach:
            reach = max(reach, candidates[j][1])
            j += 1
        kept: list[tuple] = []
        for cand in sorted(candidates[i:j], key=lambda c: (c[0] - c[1], -c[2], c[3], c[0])):
            if all(cand[1] <= other[0] or cand[0] >= other[1] for other in kept):
                kept.append(cand)
        out.extend(sorted(kept))
        i = j
    return out


#: few distinct spans, scores and lines, so that candidates tie on everything but one field
candidate = st.tuples(st.integers(0, 5), st.integers(1, 3), st.sampled_from([0.5, 1.0]),
                      st.integers(0, 3), st.integers(0, 1))


@settings(max_examples=600, deadline=None)
@given(st.lists(candidate, max_size=25), st.booleans())
# same span, score and priority: the recognizer name decides before the line does
@example([(0, 2, 0.5, 1, 1), (0, 2, 0.5, 0, 0)], True)
def test_resolver_equals_the_tuple_rule(rows, one_at_a_time: bool) -> None:
    columns = CandidateColumns()
    tuples = []
    for start, length, score, rec, line in rows:
        r = RECOGNIZERS[rec]
        tuples.append((start, start + length, score, r.PRIORITY, r.entity, r.name, line))
        if one_at_a_time:
            columns.add(start, start + length, score, line, rec)
        else:
            columns.add_chunk(np.array([start]), np.array([start + length]), np.array([score]),
                              np.array([line]), rec)
    starts, ends, scores, lines, recs = columns.columns()
    kept = Resolver(RECOGNIZERS).kept(starts, ends, scores, lines, recs)
    got = [(int(starts[i]), int(ends[i]), float(scores[i]), RECOGNIZERS[recs[i]].PRIORITY,
            RECOGNIZERS[recs[i]].entity, RECOGNIZERS[recs[i]].name, int(lines[i]))
           for i in kept.tolist()]
    assert got == reference(tuples)


def test_certain_spans_block_only_weaker_priorities() -> None:
    from pia.detection.confirm import ConfirmedSpans

    def group(*spans: tuple[int, int]) -> ConfirmedSpans:
        starts = np.array([s for s, _ in spans])
        ends = np.array([e for _, e in spans])
        return ConfirmedSpans(0, starts, ends, np.zeros(len(spans), dtype=np.int64),
                              np.zeros(len(spans), dtype=np.int64))

    certain = CertainSpans(100)
    starts, ends, _lines, _keys = certain.unclaimed(group((0, 18), (20, 31)), priority=10)
    certain.claim(starts[:1], ends[:1])  # (0, 18) scored 1.0 at priority 10
    same = certain.unclaimed(group((0, 18)), priority=10)  # another pattern, same recognizer
    assert same[0].tolist() == [0]
    weaker = certain.unclaimed(group((0, 18), (0, 17), (20, 31)), priority=15)
    assert list(zip(weaker[0].tolist(), weaker[1].tolist(), strict=True)) == [(0, 17), (20, 31)]
