"""JSON lines and CSV/TSV rows, rewritten so that keys and headers count as context.

A value under ``"id_card"`` or a ``sfzh`` column is a resident ID even when the pattern alone
is weak (a legacy 15-digit ID, a name). Keys and headers are classified with pia's column
vocabulary (``pia.detection.metadata``), the same one the database connectors use, and each
leaf is handed to the engine as ``key <context word>：value``, where the context word is one
the recognizer of the hinted entity already knows. Offsets are not kept: a row's matches are
counted against its line, which is all the inventory needs. A key or header naming a type no
value shows (a password, coordinates, a religion, a birth date: ``fields``) also hands back
its values, counted as that type under the field's name.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from typing import Any

from pia.connectors.files.fields import field_match, field_value
from pia.connectors.files.timestamps import EPOCH_FIELDS, epoch_or_text, find_timestamp
from pia.connectors.json_leaves import leaves
from pia.detection.metadata import MetadataMatch, tokens
from pia.detection.persons import names_a_person, person_path

try:
    from pia.detection.metadata import classify_name
except ImportError:  # pragma: no cover - the vocabulary ships with pia
    classify_name = None  # type: ignore[assignment]

SEPARATOR = " ; "
#: JSON leaves per line beyond which the rest of the object is read as plain text
MAX_LEAVES = 2000
#: JSON nesting beyond which a line is read as plain text: a line nested a thousand deep
#: (anyone who can put a string into a JSON log can write one) overflowed Python's stack,
#: and the scan died with a traceback (bundle verify refuses the same depth)
MAX_DEPTH = 64


#: a leaf as ``_render`` writes it: (the path of the person's key that holds it, or "";
#: its own key, or ""; its value)
Pair = tuple[str, str, str]


class _TooDeep(Exception):
    """A JSON value nested deeper than ``MAX_DEPTH``."""


@lru_cache(maxsize=4096)
def key_entity(key: str) -> str | None:
    """The entity type a key or header names, if any."""
    if classify_name is None:
        return None
    hits = classify_name(key)
    return hits[0].entity_type if hits else None


def context_words(engine: Any) -> dict[str, str]:
    """entity → a context word its recognizer scores (its first listed one)."""
    words: dict[str, str] = {}
    for rec in getattr(engine, "recognizers", []):
        context = getattr(rec, "context", None)
        if context and rec.entity not in words:
            words[rec.entity] = context[0]
    return words


#: last words of a key whose object counts things by category: its keys are categories
#: (``"by_entity_type": {"RELIGION": 2}``, ``"counts": {"birthday": 12}``), not fields
_TALLY_ENDS = frozenset({"count", "counts", "stats", "statistics", "total", "totals",
                         "histogram", "distribution", "breakdown", "tally"})


@lru_cache(maxsize=1024)
def _tally(key: str) -> bool:
    words = tokens(key)
    return bool(words) and (words[0] == "by" or "by" in words[1:] or words[-1] in _TALLY_ENDS)


@lru_cache(maxsize=4096)
def _below_a_tally(keys: tuple[str, ...]) -> bool:
    """Whether an object under these keys is within a tally (each key names an object)."""
    return any(map(_tally, keys))


_NAME = re.compile(r"[A-Za-z_\-]+")


@lru_cache(maxsize=4096)
def _name(key: str) -> bool:
    """Whether a key is a plain name (ASCII letters, ``_``, ``-``): the engine finds nothing
    in one, and handing out each ``user``/``request``/``headers`` that holds an object would
    lengthen every line of a log; a key with digits, an ``@`` or Chinese may be a value."""
    return _NAME.fullmatch(key) is not None


def _pairs(obj: Any, limit: int | None = MAX_LEAVES,
           values: list[Any] | None = None) -> list[Pair]:
    """The (owner, key, value) leaves of a JSON object, its first ``limit``. A leaf
    whose own key names no person but that stands in an object a person's key holds has
    that key's path as its owner (``guardian`` for ``{"guardian": {"phone": …}}``,
    ``guardians`` for a list of them: ``persons.person_path``), written before its key
    (``guardian.phone``): whose a value is, the guardian's or the child's, is read from the
    key before it, and ``phone`` alone made the guardian's mobile the child's. Below a tally
    (``by_severity``) keys are categories, not fields: such a pair has no key and its
    category is written into its value, where the engine still reads it (a mobile number
    counted by caller). A key that holds an object or a list and may be data (``_name``
    says it is no mere name) is a pair of its own, with no key, its text the key: a user map
    keyed by mobile number, whose key the engine must read as it reads one holding a scalar,
    in ``key：value``. Raises ``_TooDeep`` when a value it reads stands past ``MAX_DEPTH``.
    ``values``, when given, gets the parsed value of each pair, in step: a whole JSON
    document (``json_document``) reads from it where in the file a pair stands."""
    pairs: list[Pair] = []
    above: tuple[str, ...] = ()
    tallied = False  # whether ``above`` (siblings share the tuple) is within a tally
    owner = ""  # the keys of ``above`` from the last one that names a person, dotted
    for keys, key, value, named, too_deep in leaves(obj, MAX_DEPTH, keys_of_containers=True):
        if too_deep:
            raise _TooDeep
        if isinstance(value, (dict, list)):
            if key and not _name(key):
                pairs.append(("", "", key))
                if values is not None:
                    values.append(value)
        elif (text := _scalar(value)) is None:
            continue
        else:
            if keys is not above:
                above, tallied, owner = keys, _below_a_tally(keys), person_path(keys)
            if not tallied:
                pairs.append((owner if owner and not names_a_person(key) else "", key, text))
            else:
                pairs.append(("", "", f"{key}：{text}" if named else text))
            if values is not None:
                values.append(value)
        if limit is not None and len(pairs) >= limit:
            break
    return pairs


def _scalar(value: Any) -> str | None:
    """A leaf as text: a non-empty string or a number (booleans and nulls say nothing)."""
    kind = type(value)  # what json.loads gives, checked first: one test per leaf
    if kind is str:
        return value or None
    if kind is int:
        return str(value)
    if isinstance(value, str):
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value) if isinstance(value, float) else str(value)
    return None


#: (field name, what it names, value) of the values a field's name classifies
Fields = list[tuple[str, MetadataMatch, str]]


def _render(pairs: Iterator[Pair] | list[Pair], words: dict[str, str],
            types: frozenset[str] = frozenset()) -> tuple[str, Fields]:
    """The text the engine reads, a leaf's key (its owner's path before it) and the context
    word of the type its own key names before each value, and the values of ``types``
    fields, each under the name so written."""
    parts = []
    fields: Fields = []
    for owner, key, value in pairs:
        entity = key_entity(key) if key else None
        word = words.get(entity, "") if entity else ""
        name = f"{owner}.{key}" if owner else key
        parts.append(f"{name} {word}：{value}" if word else f"{name}：{value}")
        match = field_match(key, types) if entity and types else None
        if match is not None and (counted := field_value(value, match.entity_type,
                                                                 match.term)) is not None:
            fields.append((name, match, counted))
    return SEPARATOR.join(parts), fields


def json_line(line: str, words: dict[str, str], mtime: datetime,
              types: frozenset[str] = frozenset()
              ) -> tuple[str, datetime | None, Fields | None]:
    """(text for detection, timestamp, values of ``types`` fields) of one JSON-lines line;
    a line that is not a JSON object passes through with None for its fields."""
    stripped = line.strip()
    if not stripped.startswith("{"):
        return line, find_timestamp(line, mtime), None
    try:
        obj = json.loads(stripped)
    except (ValueError, RecursionError):
        return line, find_timestamp(line, mtime), None
    if not isinstance(obj, dict):
        return line, find_timestamp(line, mtime), None
    when = None
    for field in EPOCH_FIELDS:
        if field in obj:
            when = epoch_or_text(obj[field], mtime)
            if when is not None:
                break
    try:
        pairs = _pairs(obj)
    except _TooDeep:
        return line, when or find_timestamp(line, mtime), None
    text, fields = _render(pairs, words, types)
    return text, when or find_timestamp(line, mtime), fields


def split_row(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)


def csv_line(
    line: str, header: list[str], delimiter: str, words: dict[str, str], mtime: datetime,
    types: frozenset[str] = frozenset(),
) -> tuple[str, datetime | None, Fields]:
    """(text for detection, timestamp, values of ``types`` fields) of one CSV/TSV data row."""
    cells = split_row(line, delimiter)
    pairs = [
        ("", header[i] if i < len(header) else "", cell)
        for i, cell in enumerate(cells) if cell
    ]
    text, fields = _render(pairs, words, types)
    return text, find_timestamp(line, mtime), fields
