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
plaintext identifier. The files connector (for files and zip members, ``exports.zip`` holding
``110101199003071233.csv``) and the S3 connector share this.
"""

from __future__ import annotations

import re
from typing import Any

from pia.detection.checksums import luhn_valid, resident_id_check_valid
from pia.entities import is_sensitive
from pia.masked_names import NAME_ORIGIN
from pia.masking import Fingerprinter, mask, shaped_identifiers

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
    (looked for one path segment at a time, as names are masked)."""
    found: dict[str, list[str]] = {}
    for segment in name.split("/"):
        for entity, start, end in shaped_identifiers(segment):
            value = _NOT_DIGIT.sub("", segment[start:end])
            if entity == "CN_MOBILE":
                value = value[-11:]  # +86 13800138000 is 13800138000
            if _valid(entity, value) and value not in found.get(entity, []):
                found.setdefault(entity, []).append(value)
    return found


def name_items(source: str, location: dict[str, Any], name: str,
               fingerprint: Fingerprinter) -> list[dict[str, Any]]:
    """The inventory items of the identifiers ``name`` (a file's path below the scanned
    directory, a zip member's name, an object's key) holds, at ``location`` (the file's, the
    member's or the object's)."""
    items = []
    for entity, values in sorted(name_values(name).items()):
        items.append({
            "source": source,
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
            "evidence": {"samples": [mask(entity, v) for v in values][:10],
                         "fingerprints": [fingerprint(entity, v) for v in values][:10]},
        })
    return items
