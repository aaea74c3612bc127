"""Names pia writes masked: a file, object, table or column named by a person's number.

Estates name files by the person they hold (``scans/110101199003071237.jpg``,
``contracts/13800138000.pdf``, a table ``user_110101199003071237``): a report or bundle that
lists 10,000 of them would hand 10,000 resident IDs to every reader. So what a connector
returns is masked here, once, when the scan takes it into the report (``pia.scan``): every
source, location and fact attribute it names, and the warnings it says. Connectors, the
planner, the resume journal and ``--include``/``--exclude`` keep the real names; everything
after this point (rules, findings, every renderer, the bundle) sees only the masked ones.

A name is masked as free text is (``pia.masking.mask_text``: the identifiers the engine finds,
and whatever has an ID's, a mobile's or a card's shape), one path segment at a time, so that
a directory is masked alike in its own fact and in the paths of the files in it, and the
rules still find which file lies in which directory. Masks can coincide
(``1101**********1237.log`` for two different IDs), so a location that masking changed also
carries ``name_fingerprint``, a keyed fingerprint of its real names (``location_fingerprint``):
two files stay two items, and their owner can find each with the organisation key. A location
whose path (or bucket and key) masking changed also carries ``path_fingerprints``
(``place_fingerprints``): the keyed fingerprints of the path and of each directory above it
whose name holds a masked number, so that the rules find a file's own facts, and the
directory it lies in, by the real place rather than by a mask two places may share.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pia.masking import Fingerprinter, mask_text, shaped_identifiers
from pia.printable import map_strings

if TYPE_CHECKING:
    from pia.connectors.base import SourceResult

#: the key of a masked location's keyed fingerprint of its real names
NAME_FINGERPRINT = "name_fingerprint"
#: the key of a masked location's keyed fingerprints of its place and the places above it
PATH_FINGERPRINTS = "path_fingerprints"
#: the ``origin`` of an inventory item whose values stand in its file's or object's name
#: (``pia.connectors.name_items``), not in its content
NAME_ORIGIN = "name"
#: a name fingerprint as pia writes it, its hexadecimal digits captured
_NAME_FINGERPRINT_SHAPE = re.compile(r"hmac-sha256:([0-9a-f]{32})")
#: the hexadecimal digits of a name fingerprint a document shows beside a masked name:
#: enough that the places one mask stands for differ (up to 10,000 mobiles share
#: 138****5678; eight digits would make two of them alike one time in a hundred)
SHORT_NAME_FINGERPRINT = 12
#: what the engine is asked about in a name: six digits in a row (a passport's or a
#: permit's number has eight or more); identifier shapes are looked for in every name
_DIGIT_RUN = re.compile(r"\d{6}")
#: what is no name and no free text: a keyed fingerprint, a digest
_DIGEST = re.compile(r"(?:hmac-sha256:)?[0-9a-f]{32,}")


def location_fingerprint(location: dict[str, Any], fingerprint: Fingerprinter) -> str:
    """The keyed fingerprint of a location's real names: its string fields (path, member,
    field; bucket, key; database, schema, table, column) as canonical JSON (keys sorted, no
    spaces, UTF-8), under the organisation key. Whoever holds the key finds a masked file
    by computing this over their own file list (``{"path": "scans/110101199003071237.jpg"}``)."""
    names = {k: v for k, v in location.items() if isinstance(v, str)}
    return fingerprint.name(json.dumps(names, sort_keys=True, ensure_ascii=False,
                                       separators=(",", ":")))


def name_fingerprint(location: dict[str, Any]) -> str | None:
    """A report's location's ``name_fingerprint`` when it has one of the shape pia writes,
    else None: what tells apart two places whose masked names coincide wherever the
    location is shown (a document, a SARIF artifact's URI), as the JSON report does."""
    value = location.get(NAME_FINGERPRINT)
    return value if isinstance(value, str) and _NAME_FINGERPRINT_SHAPE.fullmatch(value) else None


def short_name_fingerprint(location: dict[str, Any]) -> str | None:
    """The first ``SHORT_NAME_FINGERPRINT`` hexadecimal digits of ``name_fingerprint``, as a
    document shows them beside the masked name (``scans/1101**********1233.jpg
    #9f1195fec524``): three files named by IDs alike in their first and last four digits made
    three rows alike in HTML and Markdown, the fingerprint that tells them apart being in the
    JSON alone (QA). None for a location whose names were not masked."""
    value = name_fingerprint(location)
    return value.partition(":")[2][:SHORT_NAME_FINGERPRINT] if value else None


def _places(location: dict[str, Any]) -> list[dict[str, str]]:
    """The places a location lies in, outermost first, each as the location of its own fact:
    a file's path and each directory above it (``{"path": "logs/a"}``, ``{"path":
    "logs/a/b.log"}``); an object's bucket, and its key's prefixes (``{"bucket": "b", "key":
    "scans"}``). Archive members and fields are not places: they share their file's facts."""
    path = location.get("path")
    if isinstance(path, str):
        parts = path.rstrip("/").split("/") if path.rstrip("/") else ["/"]
        return [{"path": "/".join(parts[:n]) or "/"} for n in range(1, len(parts) + 1)]
    bucket = location.get("bucket")
    if not isinstance(bucket, str):
        return []
    key = location.get("key")
    parts = key.split("/") if isinstance(key, str) else []
    return [{"bucket": bucket}] + [{"bucket": bucket, "key": "/".join(parts[:n])}
                                   for n in range(1, len(parts) + 1)]


def masked_segment(part: str, engine: Any) -> str:
    """One path segment with every identifier in it masked: what has an identifier's shape,
    and the passports and permits ``engine`` finds where six digits run."""
    found = shaped_identifiers(part)
    if _DIGIT_RUN.search(part):
        from pia.bundle.masked import TEXT_IDENTIFIERS

        found += [(m.entity_type, m.start, m.end) for m in engine.analyze(part)
                  if m.entity_type in TEXT_IDENTIFIERS]
    return mask_text(part, found) if found else part


def _by_segment(text: str, segment: Callable[[str], str]) -> str:
    """``text`` (a path, a key, a name) with ``segment`` applied to each ``/``-separated
    part; as it is when it holds no digit (no identifier) or is a digest."""
    if not any(c.isdigit() for c in text) or _DIGEST.fullmatch(text):
        return text
    return "/".join(segment(part) for part in text.split("/"))


def masked_directory(path: str) -> str:
    """A directory a report records (where its declaration lies, where the scan ran)
    masked as a source's name is (QA: ``base_dir: /tmp/proj_13812345678`` was written raw,
    and every later ``pia report`` and bundle of the report refused it as edited)."""
    def segment(part: str) -> str:
        from pia.detection.engine import default_engine

        return masked_segment(part, default_engine())

    return _by_segment(path, segment)


@dataclass
class NameMasker:
    """Masks the names one scan writes; each path segment is looked at once per scan."""

    fingerprint: Fingerprinter
    #: the engine that finds passports and permits in a name (the scan's own; its
    #: ``analyze`` needs no Hyperscan database)
    engine: Any
    _segments: dict[str, str] = field(default_factory=dict)

    def name(self, text: str) -> str:
        """``text`` (a path, a key, a table's name, a warning) with every identifier in it
        masked, segment by segment (``/`` splits them)."""
        return _by_segment(text, self._segment)

    def _segment(self, part: str) -> str:
        masked = self._segments.get(part)
        if masked is None:
            masked = self._segments[part] = masked_segment(part, self.engine)
        return masked

    def location(self, location: dict[str, Any]) -> dict[str, Any]:
        """``location`` with its names masked, and ``name_fingerprint`` when any was."""
        masked = {k: self.name(v) if isinstance(v, str) else v for k, v in location.items()}
        if masked != location:
            masked[NAME_FINGERPRINT] = location_fingerprint(location, self.fingerprint)
            places = self.place_fingerprints(location)
            if places:
                masked[PATH_FINGERPRINTS] = places
        return masked

    def place_fingerprints(self, location: dict[str, Any]) -> list[str]:
        """The keyed fingerprints (``location_fingerprint``) of the places ``location`` lies
        in (``_places``), from the first whose name masking changes down to its own: two
        files (or directories) whose masks coincide have different ones, so that each is
        judged on its own facts (``pia.rules.index``), and a directory's fingerprint is among
        those of every file in it. Empty when masking leaves the path as it is."""
        out: list[str] = []
        for place in _places(location):
            if out or any(self.name(v) != v for v in place.values()):
                out.append(location_fingerprint(place, self.fingerprint))
        return out

    def value(self, value: Any) -> Any:
        """Every string in ``value`` (a fact's attributes: its path, its archive's member
        names, the directories it could not list) masked as a name; the rest as it is."""
        return map_strings(value, self.name)

    def entry(self, entry: dict[str, Any]) -> dict[str, Any]:
        """An inventory item, fact or skipped record as the report holds it: its source and
        location masked, and a fact's attributes."""
        out = dict(entry)
        if isinstance(out.get("source"), str):
            out["source"] = self.name(out["source"])
        if isinstance(out.get("location"), dict):
            out["location"] = self.location(out["location"])
        if isinstance(out.get("attributes"), dict):
            out["attributes"] = self.value(out["attributes"])
        return out

    def entries(self, entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        return [self.entry(e) for e in entries]

    def result(self, result: SourceResult) -> SourceResult:
        """A connector's result as the report takes it (the result itself is not changed:
        the scan still reads its real names, to tell whether a source was read at all)."""
        from pia.connectors.base import SourceResult
        from pia.reports.i18n import Said

        return SourceResult(
            inventory=self.entries(result.inventory), facts=self.entries(result.facts),
            skipped=self.entries(result.skipped),
            incomplete=[Said(s.key, self.value(s.values)) for s in result.incomplete])
