"""Per (blob, entity type) counters: what a partition returns and what merge adds up.

Only masked samples and keyed fingerprints leave this module; the raw value lives for the
duration of ``Tally.add``. Line numbers are local to the partition that saw them; merge adds
each partition's line offset.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pia.clock import china_date
from pia.detection.normalize import normalize
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


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class Tally:
    """Counts of one blob (a file, a byte range of one, or an archive member) per entity."""

    def __init__(self, fingerprint: Any, now: datetime) -> None:
        self._fingerprint = fingerprint
        self._today = china_date(now)  # a minor's age counts in days in Beijing
        self.entities: dict[str, dict[str, Any]] = {}

    def add(self, entity: str, raw: str, score: float, line: int) -> None:
        value = normalize(raw)
        entry = self.entities.get(entity)
        if entry is None:
            entry = self.entities[entity] = _empty()
        entry["count"] += 1
        entry["score"] = max(entry["score"], score)
        lines = entry["lines"]
        if len(lines) < MAX_LINES and (not lines or lines[-1] != line):
            lines.append(line)
        if len(entry["samples"]) < MAX_SAMPLES:
            masked = mask(entity, value)
            if masked not in entry["samples"]:
                entry["samples"].append(masked)
        if len(entry["fingerprints"]) < MAX_FINGERPRINTS:
            fp = self._fingerprint(entity, value)
            if fp not in entry["fingerprints"]:
                entry["fingerprints"].append(fp)
        if entity == "CN_RESIDENT_ID":
            born = birth_date(value.upper())
            if born is not None and born <= self._today and _age(born, self._today) < MINOR_AGE:
                entry["minors"] += 1


def combine(parts: list[tuple[int, dict[str, dict[str, Any]]]]) -> dict[str, dict[str, Any]]:
    """Add up partitions' entity tallies, in the order given, shifting each one's line
    numbers by its offset. The order is the blob's (byte offset), so the result is
    deterministic whatever order the partials arrived in."""
    out: dict[str, dict[str, Any]] = {}
    for offset, entities in parts:
        for entity, entry in entities.items():
            acc = out.get(entity) or out.setdefault(entity, _empty())
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
    return out
