"""Micro precision/recall/F1 of a detector over a labelled corpus (exact span match).

Cards are one category: a Luhn-valid card reported as CREDIT_CARD where the truth says
CN_BANK_CARD (or the reverse) counts as found, since both are the same financial-account PI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pia.sample.corpus import MEASURED, Line, Span

_SAME = {"CREDIT_CARD": "CN_BANK_CARD"}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _canonical(spans: Iterable[Span], measured: tuple[str, ...]) -> set[Span]:
    out = set()
    for start, end, entity in spans:
        entity = _SAME.get(entity, entity)
        if entity in measured:
            out.add((start, end, entity))
    return out


def score(lines: list[Line], predict: Callable[[list[str]], list[list[Span]]],
          measured: tuple[str, ...] = MEASURED) -> tuple[Score, dict[str, Score]]:
    """Micro score over all measured types, and one per type."""
    predictions = predict([text for text, _ in lines])
    total = Score()
    per_type = {entity: Score() for entity in measured}
    for (_, truth), predicted in zip(lines, predictions, strict=True):
        want = _canonical(truth, measured)
        got = _canonical(predicted, measured)
        for span in got & want:
            total.tp += 1
            per_type[span[2]].tp += 1
        for span in got - want:
            total.fp += 1
            per_type[span[2]].fp += 1
        for span in want - got:
            total.fn += 1
            per_type[span[2]].fn += 1
    return total, per_type
