"""Per (blob, entity type) counters: what a partition returns and what merge adds up.

Only masked samples and keyed fingerprints leave this module; the raw value lives for the
duration of ``Tally.add``. Line numbers are local to the partition that saw them; merge adds
each partition's line offset. Values a field's name classifies (``Tally.add_field``, see
``fields``) are counted per (field, entity type) with their shapes, which decide their
protection at merge.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pia.clock import china_date
from pia.connectors.db.stats import as_date
from pia.connectors.files.fields import redacted
from pia.detection.metadata import MetadataMatch
from pia.detection.normalize import normalize
from pia.detection.protection import value_shape
from pia.detection.recognizers.cn.resident_id import birth_date
from pia.masking import mask

MAX_LINES = 10
MAX_SAMPLES = 3
MAX_FINGERPRINTS = 5
#: PIPL 31: personal information of minors under 14 is sensitive
MINOR_AGE = 14


def _empty() -> dict[str, Any]:
    return {"count": 0, "score": 0.0, "lines": [], "samples": [], "fingerprints": [],
            "minors": 0}


def _empty_field(term: str) -> dict[str, Any]:
    return {**_empty(), "term": term, "shapes": {}}


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class Tally:
    """Counts of one blob (a file, a byte range of one, or an archive member) per entity."""

    def __init__(self, fingerprint: Any, now: datetime) -> None:
        self._fingerprint = fingerprint
        self._today = china_date(now)  # a minor's age counts in days in Beijing
        self.entities: dict[str, dict[str, Any]] = {}
        #: field → entity → the entity's entry, plus the matched term and value shapes
        self.fields: dict[str, dict[str, dict[str, Any]]] = {}

    def add(self, entity: str, raw: str, score: float, line: int) -> None:
        value = normalize(raw)
        entry = self.entities.get(entity)
        if entry is None:
            entry = self.entities[entity] = _empty()
        self._count(entry, entity, value, score, line)
        if entity == "CN_RESIDENT_ID":
            born = birth_date(value.upper())
            if born is not None and born <= self._today and _age(born, self._today) < MINOR_AGE:
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
        if entity == "DATE_OF_BIRTH":
            born = as_date(value)
            if born is not None and born <= self._today and _age(born, self._today) < MINOR_AGE:
                entry["minors"] += 1

    def _count(self, entry: dict[str, Any], entity: str, value: str, score: float,
               line: int, sample: bool = True) -> None:
        entry["count"] += 1
        entry["score"] = max(entry["score"], score)
        lines = entry["lines"]
        if len(lines) < MAX_LINES and (not lines or lines[-1] != line):
            lines.append(line)
        if sample and len(entry["samples"]) < MAX_SAMPLES:
            masked = mask(entity, value)
            if masked not in entry["samples"]:
                entry["samples"].append(masked)
        if len(entry["fingerprints"]) < MAX_FINGERPRINTS:
            fp = self._fingerprint(entity, value)
            if fp not in entry["fingerprints"]:
                entry["fingerprints"].append(fp)


def combine(parts: list[tuple[int, dict[str, dict[str, Any]]]]) -> dict[str, dict[str, Any]]:
    """Add up partitions' entity tallies, in the order given, shifting each one's line
    numbers by its offset. The order is the blob's (byte offset), so the result is
    deterministic whatever order the partials arrived in."""
    out: dict[str, dict[str, Any]] = {}
    for offset, entities in parts:
        for entity, entry in entities.items():
            acc = out.get(entity) or out.setdefault(entity, _empty())
            _combine_entry(acc, entry, offset)
    return out


def combine_fields(parts: list[tuple[int, dict[str, dict[str, dict[str, Any]]]]]
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


def _combine_entry(acc: dict[str, Any], entry: dict[str, Any], offset: int) -> None:
    acc["count"] += entry["count"]
    acc["score"] = max(acc["score"], entry["score"])
    acc["minors"] += entry["minors"]
    for line in entry["lines"]:
        if len(acc["lines"]) < MAX_LINES and line + offset not in acc["lines"]:
            acc["lines"].append(line + offset)
    for key, limit in (("samples", MAX_SAMPLES), ("fingerprints", MAX_FINGERPRINTS)):
        for value in entry[key]:
            if len(acc[key]) < limit and value not in acc[key]:
                acc[key].append(value)
