"""Per (blob, entity type) counters: what a partition returns and what merge adds up.

Only masked samples and keyed fingerprints leave this module; the raw value lives for the
duration of ``Tally.add``. Line numbers are local to the partition that saw them; merge adds
each partition's line offset. Values a field's name classifies (``Tally.add_field``, see
``fields``) are counted per (field, entity type) with their shapes, which decide their
protection at merge.

The lines and samples kept are the most convincing, not the first: a log's first hundred
unlabelled 11-digit counters must not hide the one labelled mobile, nor a run of legacy IDs
the checksum-valid one below them. Each kept line and sample carries its best score
(``line_scores``, ``sample_scores``); the highest scores win, then the earliest (file order),
so the choice is deterministic and the same whichever way a file was cut into partitions.
``line_total`` counts every line with a hit, so a report can say how many more there were.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pia.clock import china_date
from pia.connectors.db.stats import as_date
from pia.connectors.files.fields import redacted
from pia.detection.metadata import MetadataMatch
from pia.detection.normalize import decoded, normalize
from pia.detection.persons import ADULTS, a_child
from pia.detection.protection import value_shape
from pia.detection.recognizers.cn.resident_id import birth_date
from pia.masking import mask

MAX_LINES = 10
MAX_SAMPLES = 3
MAX_FINGERPRINTS = 5


def _empty() -> dict[str, Any]:
    return {"count": 0, "score": 0.0, "lines": [], "line_scores": [], "line_total": 0,
            "samples": [], "sample_scores": [], "fingerprints": [], "minors": 0,
            "guardian": 0, "contact": 0}


def _empty_field(term: str) -> dict[str, Any]:
    return {**_empty(), "term": term, "shapes": {}}


class Tally:
    """Counts of one blob (a file, a byte range of one, or an archive member) per entity."""

    def __init__(self, fingerprint: Any, now: datetime) -> None:
        self._fingerprint = fingerprint
        self._today = china_date(now)  # a minor's age counts in days in Beijing
        self.entities: dict[str, dict[str, Any]] = {}
        #: field → entity → the entity's entry, plus the matched term and value shapes
        self.fields: dict[str, dict[str, dict[str, Any]]] = {}
        #: id of an entry → [last line counted, line floor, sample floor] (see ``_count``)
        self._state: dict[int, list[Any]] = {}

    def add(self, entity: str, raw: str, score: float, line: int,
            adult: str | None = None) -> None:
        """A value the engine found; ``adult``: the adult named by the key it stands under
        (``guardian`` for ``guardian_phone=``, ``contact`` for ``jjlxrdh=``), counted apart
        so that an entity type only adults' values hold is told from a child's
        (``merge.mark_children``)."""
        value = normalize(decoded(raw))  # one identity however the log escaped it
        entry = self.entities.get(entity)
        if entry is None:
            entry = self.entities[entity] = _empty()
        self._count(entry, entity, value, score, line)
        if adult is not None:
            entry[adult] = entry.get(adult, 0) + 1
        if entity == "CN_RESIDENT_ID" and a_child(birth_date(value.upper()), self._today):
            entry["minors"] += 1

    def add_field(self, field: str, match: MetadataMatch, value: str, line: int) -> None:
        """A value (not empty, see ``fields.field_value``) under a field whose name says
        what it is. Only a plaintext value gives a masked sample."""
        entity = match.entity_type
        entry = self.fields.setdefault(field, {}).get(entity)
        if entry is None:
            entry = self.fields[field][entity] = _empty_field(match.term)
        shape = "masked" if redacted(value) else value_shape(value)
        entry["shapes"][shape] = entry["shapes"].get(shape, 0) + 1
        self._count(entry, entity, normalize(value), match.score, line,
                    sample=shape == "plain")
        if entity == "DATE_OF_BIRTH" and a_child(as_date(value), self._today):
            entry["minors"] += 1

    def _count(self, entry: dict[str, Any], entity: str, value: str, score: float,
               line: int, sample: bool = True) -> None:
        entry["count"] += 1
        if score > entry["score"]:
            entry["score"] = score
        # the last line counted, and the score a line and a sample must beat to be kept (the
        # lowest kept once full): most hits beat neither, and cost two comparisons
        state = self._state.get(id(entry))
        if state is None:
            state = self._state[id(entry)] = [None, -1.0, -1.0]
        if line != state[0]:  # hits come in line order: a new line
            state[0] = line
            entry["line_total"] += 1
            if score > state[1]:
                state[1] = keep(entry["lines"], entry["line_scores"], line, score, MAX_LINES)
        elif score > state[1]:  # another hit on the line: it is as good as its best
            state[1] = keep(entry["lines"], entry["line_scores"], line, score, MAX_LINES)
        if sample and score > state[2]:
            state[2] = keep(entry["samples"], entry["sample_scores"], mask(entity, value),
                            score, MAX_SAMPLES)
        if len(entry["fingerprints"]) < MAX_FINGERPRINTS:
            fp = self._fingerprint(entity, value)
            if fp not in entry["fingerprints"]:
                entry["fingerprints"].append(fp)


def keep(kept: list[Any], scores: list[float], value: Any, score: float, limit: int) -> float:
    """Keep ``value`` among the ``limit`` best of a stream: the highest scores, then the
    earliest. ``kept`` stays in the order values arrived (for lines, file order): a value
    kept already keeps its best score; a newcomer scoring above the lowest kept score drops
    the latest of the lowest and goes last. Returns the score a value must now beat."""
    if value in kept:
        at = kept.index(value)
        scores[at] = max(scores[at], score)
    elif len(kept) < limit:
        kept.append(value)
        scores.append(score)
    elif score > (worst := min(scores)):
        at = len(scores) - 1 - scores[::-1].index(worst)
        del kept[at], scores[at]
        kept.append(value)
        scores.append(score)
    return min(scores) if len(kept) >= limit else -1.0


def ranked(values: list[Any], scores: list[float] | None) -> list[Any]:
    """``values`` best first: by score (``scores``, parallel), then in their order. Without
    scores (a partial journaled before they were kept) as they are."""
    if not scores or len(scores) != len(values):
        return list(values)
    order = sorted(range(len(values)), key=lambda i: (-scores[i], i))
    return [values[i] for i in order]


def combine(parts: list[tuple[int | None, dict[str, dict[str, Any]]]]
            ) -> dict[str, dict[str, Any]]:
    """Add up partitions' entity tallies, in the order given, shifting each one's line
    numbers by its offset. The order is the blob's (byte offset), so the result is
    deterministic whatever order the partials arrived in. An offset of None (the lines
    before the partition are unknown) counts its values but names none of its lines: a
    wrong line number sends an auditor to a line with nothing on it."""
    out: dict[str, dict[str, Any]] = {}
    for offset, entities in parts:
        for entity, entry in entities.items():
            acc = out.get(entity) or out.setdefault(entity, _empty())
            _combine_entry(acc, entry, offset)
    return out


def combine_fields(parts: list[tuple[int | None, dict[str, dict[str, dict[str, Any]]]]]
                   ) -> dict[str, dict[str, dict[str, Any]]]:
    """``combine`` for the per-field tallies (``Tally.fields``), shapes added up too."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for offset, fields in parts:
        for field, entities in fields.items():
            for entity, entry in entities.items():
                acc = out.setdefault(field, {}).get(entity)
                if acc is None:
                    acc = out[field][entity] = _empty_field(entry["term"])
                _combine_entry(acc, entry, offset)
                for shape, n in entry["shapes"].items():
                    acc["shapes"][shape] = acc["shapes"].get(shape, 0) + n
    return out


def _combine_entry(acc: dict[str, Any], entry: dict[str, Any], offset: int | None) -> None:
    acc["count"] += entry["count"]
    acc["score"] = max(acc["score"], entry["score"])
    acc["minors"] += entry["minors"]
    for adult in ADULTS:
        acc[adult] = acc.get(adult, 0) + entry.get(adult, 0)
    lines = entry["lines"]
    # a partial journaled before lines were ranked: its lines count at its best score
    scores = entry.get("line_scores") or [entry["score"]] * len(lines)
    acc["line_total"] += entry.get("line_total", len(lines))
    best = {line: score for line, score in zip(acc["lines"], acc["line_scores"], strict=True)}
    for line, score in zip(lines, scores, strict=True):
        if offset is not None:
            best[line + offset] = max(score, best.get(line + offset, score))
    chosen = sorted(sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))[:MAX_LINES])
    acc["lines"] = [line for line, _score in chosen]
    acc["line_scores"] = [score for _line, score in chosen]
    samples = dict(zip(acc["samples"], acc["sample_scores"], strict=True))
    for sample, score in zip(entry["samples"], entry.get("sample_scores")
                             or [entry["score"]] * len(entry["samples"]), strict=True):
        samples[sample] = max(score, samples.get(sample, score))
    order = list(samples)  # first seen first: acc's, then this entry's
    top = sorted(range(len(order)), key=lambda i: (-samples[order[i]], i))[:MAX_SAMPLES]
    acc["samples"] = [order[i] for i in sorted(top)]
    acc["sample_scores"] = [samples[order[i]] for i in sorted(top)]
    for value in entry["fingerprints"]:
        if len(acc["fingerprints"]) < MAX_FINGERPRINTS and value not in acc["fingerprints"]:
            acc["fingerprints"].append(value)
