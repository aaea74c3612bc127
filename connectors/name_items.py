"""A file or object named by a person's number: the name itself is personal information.

Estates name files by the person they concern (``scans/110101199003071237.jpg``,
``contracts/13800138000.pdf``). The report writes such a name masked (``pia.masked_names``),
but masking a name only keeps the report clean: the estate still holds the number, in a
name that every directory listing, backup index and access log repeats. So a name that holds
a resident ID whose check digit holds, a bank card that passes Luhn or a mobile number becomes
an inventory item of its own, as a database column known by its values is: its entity type,
how many such numbers the name holds, their masked samples and keyed fingerprints, located at
the file or object, and ``origin: "name"`` to say where the values stand (not in the
content, which the other items of that place describe). The rules then judge it as any
plaintext identifier. The files connector (files, and the members of a zip or tar,
``exports.zip`` holding ``110101199003071233.csv``) and the S3 connector (every key listed,
and the members of an archive read) share this.

A directory named by a person (``uploads/110101199003071233/a.jpg``, ``.../b.jpg``) is one
place, not one per file under it: its item stands at the directory and ``files`` counts the
files (members, objects) under it, so the person's number is counted once, as it is stored
once. A bucket may list millions of keys named by mobiles (``avatars/13800138000.jpg``): past
``max_places`` places, names are counted per folder instead (``NamedPlaces``), memory
bounded by the folders, not by the keys.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from pia.detection.checksums import luhn_valid, resident_id_check_valid
from pia.entities import is_sensitive
from pia.masked_names import NAME_ORIGIN
from pia.masking import Fingerprinter, mask, plain, shaped_identifiers

#: a value whose check digit holds (a mobile has none: its network segment is its check)
SCORE = 0.9
_NOT_DIGIT = re.compile(r"[^0-9Xx]")


def _valid(entity: str, value: str) -> bool:
    """A number in a name that is what its shape says: an 18-digit resident ID whose check
    digit holds (a legacy 15-digit one has none to tell it from a serial number), a card
    that passes Luhn, a mobile (its shape already holds its network's number segment)."""
    if entity == "CN_RESIDENT_ID":
        return resident_id_check_valid(value.upper())
    if entity == "CN_BANK_CARD":
        return value.isdigit() and luhn_valid(value)
    return entity == "CN_MOBILE"


def name_values(name: str) -> dict[str, list[str]]:
    """The identifiers ``name`` holds, by entity type, each once, in the order they stand
    (looked for one path segment at a time, as names are masked), in ASCII digits whatever
    digits the name was written in (``plain``): ``１３８１２３４５６７８.txt`` holds the mobile
    ``13812345678.txt`` holds, with its mask and fingerprint (QA: the full-width digits were
    dropped as no digits, which left an empty sample and another fingerprint, and a resident
    ID so written was not reported at all)."""
    found: dict[str, list[str]] = {}
    for segment in name.split("/"):
        for entity, start, end in shaped_identifiers(segment):
            value = _NOT_DIGIT.sub("", plain(segment[start:end]))
            if entity == "CN_MOBILE":
                value = value[-11:]  # +86 13800138000 is 13800138000
            if _valid(entity, value) and value not in found.get(entity, []):
                found.setdefault(entity, []).append(value)
    return found


def name_items(source: str, location: dict[str, Any], name: str,
               fingerprint: Fingerprinter) -> list[dict[str, Any]]:
    """The inventory items of the identifiers ``name`` (a file's path below the scanned
    directory, a zip member's name, an object's key) holds, at ``location`` (the file's, the
    member's or the object's), the directories above it included: ``NamedPlaces`` says
    each directory once across a tree's names."""
    return [{"source": source, **item} for entity, values in sorted(name_values(name).items())
            for item in [_item(location, entity, values, fingerprint)]]


def _item(location: dict[str, Any], entity: str, values: list[str],
          fingerprint: Fingerprinter) -> dict[str, Any]:
    return {
        "location": dict(location),
        "entity_type": entity,
        "count": len(values),
        "sampled": 1,
        "score": SCORE,
        "signals": ["values"],
        "origin": NAME_ORIGIN,
        "sensitive": is_sensitive(entity),
        "protected": False,
        "protection": "plaintext",
        "evidence": {"samples": [mask(entity, v) for v in values][:MAX_SAMPLES],
                     "fingerprints": [fingerprint(entity, v) for v in values][:MAX_SAMPLES]},
    }


#: masked samples and fingerprints an item keeps
MAX_SAMPLES = 10
#: where a name below a tree's root lies: a file's ``{"path"}``, a member's ``{"path",
#: "member"}``, an object's ``{"bucket", "key"}``; given a name ending ``/``, its directory's
Locate = Callable[[str], dict[str, Any]]


def _folder(place: str) -> str:
    """The folder a name or a directory (ending ``/``) stands in, ``""`` at the root."""
    head, slash, _ = place.rstrip("/").rpartition("/")
    return head + slash


class NamedPlaces:
    """The places of one or more trees (a directory's files, an archive's members, a
    bucket's keys) whose names hold a person's number, each said once: a file, member or
    object by its own name's numbers; a directory by its name's, with ``files``, the names
    added under it. ``max_places`` (None: no bound) caps the places kept one item each;
    past it, each new place is folded into an item of its folder and entity type, which
    counts the names (``names``) and the numbers (``count``, a number met in two names twice)
    and keeps ``MAX_SAMPLES`` of them; past ``max_places`` folders as well, into the root's.
    A directory's names come together in a listing in key order (S3's), so a folded one is
    counted once as long as its names come in a row."""

    def __init__(self, fingerprint: Fingerprinter, max_places: int | None = None) -> None:
        self._fingerprint = fingerprint
        self._max = max_places
        self._places: dict[str, list[dict[str, Any]]] = {}
        self._folded: dict[tuple[str, str], dict[str, Any]] = {}
        self._folders: set[str] = set()  # the folders folded into
        self._last: dict[tuple[str, str], str] = {}  # a folder's last directory folded
        #: the names added that hold a person's number (in a directory's name or their own)
        self.named = 0

    def add(self, name: str, at: Locate) -> None:
        """Judge ``name`` (``/`` between its segments), each of its places located by ``at``."""
        segments = name.split("/")
        named = False
        for depth, segment in enumerate(segments):
            found = name_values(segment)
            if found:
                named = True
                leaf = depth == len(segments) - 1
                self._place(name if leaf else "/".join(segments[:depth + 1]) + "/", found,
                            at, leaf)
        self.named += named

    def _place(self, place: str, found: dict[str, list[str]], at: Locate, leaf: bool) -> None:
        location = at(place)
        key = json.dumps(location, sort_keys=True)
        known = self._places.get(key)
        if known is not None:  # a directory met again: one more name under it
            for item in known:
                item["files"] += 1
            return
        if self._max is None or len(self._places) < self._max:
            items = [_item(location, entity, values, self._fingerprint)
                     for entity, values in sorted(found.items())]
            for item in items if not leaf else []:
                item["files"] = 1
            self._places[key] = items
            return
        folder = _folder(place)
        if folder not in self._folders and len(self._folders) >= self._max:
            folder = ""
        self._folders.add(folder)
        for entity, values in sorted(found.items()):
            self._fold((folder, entity), at, place, leaf, values)

    def _fold(self, group: tuple[str, str], at: Locate, place: str, leaf: bool,
              values: list[str]) -> None:
        folder, entity = group
        item = self._folded.get(group)
        if item is None:
            item = self._folded[group] = {**_item(at(folder), entity, [], self._fingerprint),
                                          "names": 0, "sampled": 0}
        if not leaf and self._last.get(group) == place:  # the same directory, in a row
            item["files"] += 1
            return
        if not leaf:
            self._last[group] = place
            item["files"] = item.get("files", 0) + 1
        item["names"] += 1
        item["sampled"] += 1
        item["count"] += len(values)
        evidence = item["evidence"]
        for value in values:
            printed = self._fingerprint(entity, value)
            if len(evidence["fingerprints"]) < MAX_SAMPLES and printed not in evidence[
                    "fingerprints"]:
                evidence["fingerprints"].append(printed)
                evidence["samples"].append(mask(entity, value))

    def items(self, source: str | None) -> list[dict[str, Any]]:
        """The items, places in the order first met, then the folded folders'; each with
        ``source`` first, or without one (``None``: a partial's, its merge says it)."""
        head = {"source": source} if source is not None else {}
        return [{**head, **item} for items in self._places.values() for item in items] + [
            {**head, **item} for item in self._folded.values()]
