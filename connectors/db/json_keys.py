"""Personal information a JSON column's keys name (``attrs->>'password'``, ``ext.religion``).

The engine reads a JSON document in a column as free text: it finds what values show (a
resident ID, a mobile) but not what only a name can say, a password, a religion or a birth
date, which the same JSON exported as JSON lines showed by its keys (qa-db H5). Here each
leaf of a JSON object or array (PostgreSQL ``json``/``jsonb``, MySQL ``JSON``, MariaDB's
``JSON`` that is ``longtext``, any text that parses as one) is read as the files connector
reads a JSON key: its key classified with the same vocabulary, for the same types
(``fields.field_types``), and its value counted as that type (``fields.field_value``). Each
(path, type) is an inventory item of the column whose location names the path as
``field`` (``user.birthday``; list positions are not written, ``tags[].religion`` is
``tags.religion``), with the protection the values' shapes give it.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import re
from collections import Counter
from functools import lru_cache
from itertools import dropwhile
from typing import Any

from pia.connectors.db.model import Table
from pia.connectors.json_leaves import leaves as walk
from pia.detection.metadata import classify_name
from pia.detection.persons import ADULTS, GUARDIAN, a_child, adult_key_before
from pia.detection.protection import classify, value_shape
from pia.detection.recognizers.cn.health import LABELS as HEALTH_LABELS
from pia.detection.recognizers.cn.health import NOTHING as NOTHING_RECORDED
from pia.detection.recognizers.cn.name_words import (
    COMPOUND_SURNAMES,
    NOT_NAMES,
    SINGLE_SURNAMES,
)

#: documents longer than this are read as text alone (their keys are not walked)
MAX_JSON = 1 << 20


#: types whose recognizer finds a value only after a label of its own (HEALTH: 病史：高血压,
#: "病史": "高血压"): in a JSON column's text the engine finds none under any other key
#: (diagnosis, medication), which only the key can name. The files connector writes such a
#: key with the recognizer's label before the value, so the same records in JSON lines or a
#: CSV were HEALTH while the jsonb column was clean (QA D1)
LABEL_BOUND = frozenset({"HEALTH"})


def types_for(engine: Any) -> frozenset[str]:
    """The types a JSON key decides alone, as for a file's JSON key, and those the engine
    finds only beside its own labels (``LABEL_BOUND``). (The files connector is imported
    when first used: it imports ``classify``, which imports this module.)"""
    from pia.connectors.files.fields import field_types

    return field_types(engine) | LABEL_BOUND


def _read_by_engine(key: str, value: str) -> bool:
    """A health value the recognizer reads itself (its key is one of the recognizer's labels,
    病史, so the engine finds it in the column's text) or reads as recording nothing (无,
    正常): counted under the key, it would be counted twice, or be no health information."""
    return key in HEALTH_LABELS or value in NOTHING_RECORDED


#: a key holding this many digits, or an e-mail's ``@``, is a value, not a field's name
_DATA_DIGITS = 6
#: a key that may be a person's name: two to four Chinese characters
_HAN_KEY = re.compile("[\u4e00-\u9fff]{2,4}")
_COMPOUND_SURNAMES = frozenset(COMPOUND_SURNAMES)


@lru_cache(maxsize=4096)
def path_key(key: str) -> str:
    """``key`` as a path shows it: ``*`` for a key that is data, not a name (a session map
    keyed by mobile or resident ID number, ``{"users": {"13812345678": {"password": …}}}``,
    or by a person's name, ``{"users": {"张伟": …}}``). Written as it is, the path would
    carry the raw value into the report as the item's ``field``, and each user's key would
    be an item of its own. A Chinese key that opens with a surname and is no field name the
    vocabulary knows (``姓名``, ``手机号``) nor a common word is taken for a name: a field
    written ``*`` loses a word, a name written out is a leak."""
    if "@" in key or sum(ch.isdigit() for ch in key) >= _DATA_DIGITS:
        return "*"
    if (_HAN_KEY.fullmatch(key) and key not in NOT_NAMES and not classify_name(key)
            and (key[:2] in _COMPOUND_SURNAMES or key[0] in SINGLE_SURNAMES)):
        return "*"
    return key


def leaves(text: str, doc: Any = None) -> list[tuple[str, str, str]]:
    """(path, key, value) of the scalar leaves of a JSON document, or none when ``text`` is
    not an object or an array (or too large, or nested too deep). ``doc`` is the document
    already parsed (the driver's ``jsonb``), which ``text`` is written from. A path is the
    keys joined by dots (``user.birthday``), leading empty keys left out, a key that is
    data written ``*`` (``users.*.password``, see ``path_key``); what stands deeper than
    ``MAX_DEPTH`` is passed over, the rest kept."""
    from pia.connectors.files.structured import MAX_DEPTH, MAX_LEAVES

    start = text.lstrip()[:1]
    if start not in ("{", "[") or len(text) > MAX_JSON:
        return []
    if not isinstance(doc, dict | list):
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError):
            return []
    out: list[tuple[str, str, str]] = []
    for keys, key, value, _named, too_deep in walk(doc, MAX_DEPTH):
        if (not too_deep and key and isinstance(value, str | int | float)
                and not isinstance(value, bool)):
            path = ".".join(dropwhile(operator.not_, map(path_key, (*keys, key))))
            out.append((path, key, str(value)))
            if len(out) >= MAX_LEAVES:
                break
    return out


def adults_in(line: str, offset: int, matches: Any) -> dict[str, str]:
    """entity → the adult (``guardian``, ``contact``) under whose keys every value of that
    type the engine found in a JSON document (``line[offset:]``) stands: the guardian's
    object of a pupil's profile (``{"guardian": {"phone": "138…"}}``), a flat
    ``guardian_phone`` (``persons.adult_key_before``, as a JSON log line is read). The
    guardian where both adults' keys hold some; none for a type of which any value stands
    under no adult's key, the child's own phone beside the guardian's."""
    if line[offset:offset + 64].lstrip()[:1] not in ("{", "["):
        return {}
    found: dict[str, set[str | None]] = {}
    for m in matches:
        if m.start >= offset:
            found.setdefault(m.entity_type, set()).add(adult_key_before(line, m.start))
    return {entity: GUARDIAN if GUARDIAN in adults else next(iter(adults))
            for entity, adults in found.items() if None not in adults}


def adults_of(adults: dict[str, dict[str, int]], items: dict[str, dict[str, Any]]
              ) -> dict[str, str]:
    """entity → the adult whose PI a JSON column's values of that type are: every value
    counted (``items[entity]["count"]``, a row's document once) stood under that adult's
    keys (``adults``: per type, the documents so counted per adult)."""
    out: dict[str, str] = {}
    for entity, counts in adults.items():
        if entity in items and sum(counts.values()) >= items[entity]["count"]:
            out[entity] = max(ADULTS, key=lambda adult: (counts.get(adult, 0),
                                                         adult == GUARDIAN))
    return out


class JsonKeys:
    """One partition's JSON-key evidence, per column: (path, type) → evidence and shapes,
    and the birth dates of children under 14 on ``today`` (the scan's date) a path holds;
    and per type the documents whose values of that type the engine found stood under an
    adult's keys (``adults``: type → adult → documents)."""

    def __init__(self, n: int, types: frozenset[str], today: dt.date | None = None) -> None:
        self.types = types
        self.today = today
        self.minors: list[Counter[str]] = [Counter() for _ in range(n)]
        self.found: list[dict[str, Any]] = [{} for _ in range(n)]
        self.shapes: list[dict[str, Counter[str]]] = [{} for _ in range(n)]
        self.terms: list[dict[str, tuple[str, float]]] = [{} for _ in range(n)]
        self.adults: list[dict[str, Counter[str]]] = [{} for _ in range(n)]

    def count_adults(self, c: int, line: str, offset: int, matches: Any) -> None:
        """Count a value's document under the adult every match of a type stands under."""
        for entity, adult in adults_in(line, offset, matches).items():
            self.adults[c].setdefault(entity, Counter())[adult] += 1

    def add(self, c: int, text: str, evidence: Any, doc: Any = None) -> None:
        """Count ``text``'s leaves that a key names (``doc``: as ``leaves``);
        ``evidence(table, entity, value)`` is the column statistics' sketching of a value."""
        from pia.connectors.files.fields import field_match, field_value

        for path, key, raw in leaves(text, doc):
            match = field_match(key, self.types)
            if match is None:
                continue
            value = field_value(raw, match.entity_type, match.term)
            if value is None or (match.entity_type in LABEL_BOUND
                                 and _read_by_engine(key, value)):
                continue
            slot = f"{path}\x00{match.entity_type}"
            evidence(self.found[c], slot, value, match.entity_type).count += 1
            if match.entity_type == "DATE_OF_BIRTH" and self._a_childs(value):
                self.minors[c][slot] += 1
            self.terms[c].setdefault(slot, (match.term, match.score))
            shape = value_shape(value)
            if shape != "plain":
                self.shapes[c].setdefault(slot, Counter())[shape] += 1

    def _a_childs(self, value: str) -> bool:
        """Is ``value`` a birth date of a child under 14 on the scan's date?"""
        from pia.connectors.db.stats import as_date

        return self.today is not None and a_child(as_date(value), self.today)

    def result(self, c: int) -> dict[str, Any]:
        return {slot: {**ev.as_dict(), "term": self.terms[c][slot][0],
                       "meta_score": self.terms[c][slot][1],
                       "shapes": dict(self.shapes[c].get(slot, {})),
                       "minors": self.minors[c].get(slot, 0)}
                for slot, ev in sorted(self.found[c].items())}


def minors_in(found: dict[str, Any]) -> int:
    """The birth dates of children under 14 a JSON column's keys hold (its merged slots)."""
    return sum(ev.get("minors", 0) for ev in found.values())


def items(table: Table, column: str, found: dict[str, Any], source: str, sampled: int,
          records: Any, decision_of: Any, minors: int = 0) -> list[dict[str, Any]]:
    """The inventory items of a column's JSON keys, each located by its path (``field``).
    In a table whose rows show children under 14 (``minors``) they are the children's PI,
    sensitive whatever their type, as the table's columns are; but a path that names an
    adult (``guardian.birthday``, ``family.contact.religion``, or a column named for the
    guardian) holds that adult's PI (``data_subject``), the column's name and the path read
    as one name, the last person named deciding (``classify.item_records``), unless its own
    birth dates show a child under 14: the values outweigh the path, as a column's do."""
    out = []
    for slot, ev in sorted(found.items()):
        path, entity = slot.split("\x00")
        shapes = ev["shapes"]
        protection = classify(shapes, ev["count"], plain=ev["count"] - sum(shapes.values()))
        decision = decision_of(protection)
        decision.items[entity] = {
            "count": ev["count"], "share": None, "score": ev["meta_score"],
            "signals": ["name"], "evidence": ev, "matched_term": ev["term"],
        }
        own = ev.get("minors", 0)  # older journals have none
        for item in records(table, column, decision, source, sampled, max(minors, own), own,
                            name=f"{column}.{path}"):
            item["location"]["field"] = path
            out.append(item)
    return out
