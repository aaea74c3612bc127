"""What one partition learns about its table's columns: counts, shapes, masked evidence.

Runs where the rows are (``scan_partition``): raw values live only inside ``add`` and leave as
counts per entity type, value shapes (masked / digest / ciphertext), the masked forms and keyed
fingerprints of a few values, a KMV sketch of fingerprints for distinct estimates, birth-year
ranges and hash-proof counts. The partial is JSON-serialisable and order-free to merge: the
evidence kept is always "the values with the smallest fingerprints", never "the first seen".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from decimal import Decimal
from typing import Any

from pia.clock import china_date
from pia.connectors.base import ScanContext
from pia.connectors.db.json_keys import JsonKeys
from pia.connectors.db.json_keys import types_for as json_types
from pia.connectors.db.labels import column_labels, recovered_values
from pia.connectors.db.numbering import NumberingCheck
from pia.detection.coordinates import COORDINATE_TERMS, degree_value
from pia.detection.metadata import (
    MetadataMatch,
    classify_column,
    classify_comment,
    tokens,
    vocabulary,
)
from pia.detection.normalize import for_search, normalize
from pia.detection.persons import a_child
from pia.detection.protection import (
    decoded_text,
    digest_algorithms,
    digest_bytes,
    value_shape,
)
from pia.detection.recognizers.cn.name import (
    COMPOUND_SURNAMES,
    NOT_A_GIVEN_NAME_END,
    NOT_NAMES,
    SINGLE_SURNAMES,
)
from pia.detection.recognizers.cn.resident_id import birth_date
from pia.masking import canonical, mask

#: fingerprints kept per (column, entity) for the distinct-value sketch
KMV_SIZE = 256
#: fingerprints (and masked samples) kept as evidence
TOP = 5
#: engine scores are summed in ten-thousandths (they have four decimals): an integer sum is
#: the same whatever order partitions come and merge in, where a float sum can land on
#: either side of a threshold (a mean of exactly 0.6 summed as 23.999999999999996)
SCORE_UNITS = 10_000
#: rows per partition examined for digest-of-plaintext proofs
PROOF_ROWS = 200
#: digit strings shorter than this cannot be any identifier the engine knows (a name can be
#: two characters, so only numbers are cut)
MIN_DIGITS = 5
_DATE = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})")
_PLAIN_PROOF = (4, 64)
_WORDY = re.compile(r"[^\W\d_]")
_HAN_ONLY = re.compile("[\u4e00-\u9fff]+")
#: a resident ID's shape: 18 characters (the last a digit or X) or 15 digits
_ID_SHAPE = re.compile(r"[1-9]\d{16}[\dXx]|[1-9]\d{14}")


def as_text(value: Any) -> str | None:
    """The text form the engine sees: numbers as digits (mobiles in BIGINT columns), bytes
    decoded when they are UTF-8 or GB18030 text (``blob_text``), JSON as its text, addresses
    (``inet``) as written; dates, times and booleans never."""
    if type(value) is str:
        return value
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return blob_text(bytes(value))
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return None
    if isinstance(value, dict | list | tuple):  # JSON documents and arrays: free text
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)  # inet, uuid, enums...


#: control characters that text never holds (tab, newline, carriage return excepted)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


#: what GBK text holds besides ASCII: Chinese characters, CJK punctuation, full-width forms
_GB_ODD = re.compile("[^\x09\x0a\x0d\x20-\x7e\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"
                     "\u2010-\u2027\u00b7]")


def blob_text(raw: bytes) -> str:
    """A BLOB as the engine sees it: UTF-8 text, else GB18030 (GBK) text, else hex. GB18030
    maps many byte strings, so only a decoding that reads as text counts: ASCII, Chinese
    characters and CJK punctuation only, and at least one Chinese character (an ID after
    身份证, a GBK legacy export); a digest or an image stays hex."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.hex()
    if _CONTROL.search(text) or not _HAN_ONLY.search(text) or _GB_ODD.search(text):
        return raw.hex()
    return text


def legacy_text(raw: bytes, single_byte: str) -> str:
    """Bytes a legacy column or database holds as text (a MySQL latin1 column, a PostgreSQL
    SQL_ASCII database, into which GBK applications wrote): UTF-8 or GB18030 text as
    ``blob_text`` reads it, else the ``single_byte`` code page the column claims, which
    decodes any bytes."""
    text = blob_text(raw)
    return raw.decode(single_byte, "replace") if raw and text == raw.hex() else text


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = _DATE.match(value.strip())
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def _births() -> dict[str, Any]:
    return {"min": None, "max": None, "minors": 0, "n": 0}


def _add_birth(acc: dict[str, Any], born: dt.date, today: dt.date) -> None:
    if born > today:
        return
    acc["n"] += 1
    acc["min"] = born.year if acc["min"] is None else min(acc["min"], born.year)
    acc["max"] = born.year if acc["max"] is None else max(acc["max"], born.year)
    if a_child(born, today):
        acc["minors"] += 1


def looks_like_name(text: str) -> bool:
    """Two to four Chinese characters led by a common surname: the shape of a personal name.
    Only a column-level signal (a whole column of such values, many distinct)."""
    if not 2 <= len(text) <= 4 or not _HAN_ONLY.fullmatch(text):
        return False
    return text[:2] in COMPOUND_SURNAMES or (text[0] in SINGLE_SURNAMES and len(text) <= 3)


def name_shaped(text: str) -> bool:
    """``looks_like_name``, and not a common word that starts with a surname character (普通,
    黄金, 常规) nor a word that ends as no given name does (徐汇区, 牛肉), as the name
    recognizer judges them: what a column's values must be to count as names."""
    return (looks_like_name(text) and text not in NOT_NAMES
            and text[-1] not in NOT_A_GIVEN_NAME_END)


def ambiguous_name(matches: list[MetadataMatch], comment: str | None) -> bool:
    """Is the column a person's name only by a bare name that as often names a thing
    (``name``: an ``exact_only`` term of the vocabulary), with no comment saying so?"""
    found = next((m for m in matches if m.entity_type == "CN_NAME"), None)
    return (found is not None and found.signal == "name"
            and "".join(tokens(found.term)) in vocabulary().exact
            and not any(m.entity_type == "CN_NAME" for m in classify_comment(comment)))


class _Evidence:
    """Per (column, entity): counts, a KMV sketch and the values with the smallest sketches.

    The sketch hash is a keyed BLAKE2b (key derived from the organisation's fingerprint key,
    so every worker agrees); the report's HMAC fingerprint and mask are computed only for
    the few values kept as samples. Candidates are appended and pruned in batches, so an add
    costs a comparison, not a scan of the sketch."""

    __slots__ = ("count", "score", "whole", "confirmed", "_kmv", "_kmv_limit", "_top", "_top_limit")

    def __init__(self) -> None:
        self.count = 0
        self.score = 0  # in SCORE_UNITS
        self.whole = 0
        self.confirmed = 0  # matches a label or a check digit backs (whole: validated)
        self._kmv: list[str] = []
        self._kmv_limit: str | None = None
        self._top: dict[str, tuple[str, str]] = {}  # sketch → (fingerprint, masked)
        self._top_limit: str | None = None

    def add(self, sketch: str, entity: str, text: str, ctx: ScanContext) -> None:
        if self._kmv_limit is None or sketch < self._kmv_limit:
            self._kmv.append(sketch)
            if len(self._kmv) >= 4 * KMV_SIZE:
                self._prune()
        if (self._top_limit is None or sketch < self._top_limit) and sketch not in self._top:
            self._top[sketch] = (ctx.fingerprint(entity, text), mask(entity, text))
            if len(self._top) >= 16 * TOP:
                self._prune()

    def _prune(self) -> None:
        self._kmv = sorted(set(self._kmv))[:KMV_SIZE]
        if len(self._kmv) == KMV_SIZE:
            self._kmv_limit = self._kmv[-1]
        self._top = dict(sorted(self._top.items())[:TOP])
        if len(self._top) == TOP:
            self._top_limit = max(self._top)

    def as_dict(self) -> dict[str, Any]:
        self._prune()
        return {"count": self.count, "score": self.score, "whole": self.whole,
                "confirmed": self.confirmed, "kmv": self._kmv,
                "top": [[k, fp, masked] for k, (fp, masked) in self._top.items()]}


#: entity types the engine finds only in a labelled field of text (病史：高血压): a column's
#: values are bare, so they are counted as the column's name or comment says, as for types
#: the engine does not know. An IMEI is found under its column's label, a MAC address or an
#: IDFA never: a device column's values are counted as its name says
FIELD_ONLY = frozenset({"HEALTH", "DEVICE_ID"})


def id_shaped(text: str) -> bool:
    """Whether a value has a resident ID's shape, a real birth date in it, whatever its check
    digit: what legacy and hand-typed IDs under an ID column's name look like (qa-db H3),
    unlike a member number (``M00000001``) that the name would call one."""
    value = text.strip()
    return _ID_SHAPE.fullmatch(value) is not None and birth_date(value) is not None


def sketch_key(ctx: ScanContext) -> bytes:
    """A key for the sketch hash, derived from (never equal to) the fingerprint key."""
    return bytes.fromhex(ctx.fingerprint("PIA_SKETCH_KEY", "v1").rsplit(":", 1)[-1])


class TableStats:
    """Accumulates one partition's rows of one table."""

    def __init__(self, columns: list[str], comments: list[str | None], ctx: ScanContext,
                 value_entities: set[str], table: str | None = None) -> None:
        self.columns = columns
        self.ctx = ctx
        self.today = china_date(ctx.now)  # ages count in days in Beijing (pia.clock)
        self.rows = 0
        self.meta = [classify_column(c, comment, table)
                     for c, comment in zip(columns, comments, strict=True)]
        #: the label each column's values are read after, and what a transaction name may
        #: not veto (``labels``: pupils' IDs under ``parent_id``)
        self.labels, self.unlabelled = column_labels(columns, self.meta, ctx, comments)
        #: mobile-shaped values that are a sequence's numbers (``id`` from 13900000001)
        self.numbering = NumberingCheck(columns, self.meta,
                                        [u is not None for u in self.unlabelled])
        recognised = value_entities - FIELD_ONLY
        self.meta_only = [[m.entity_type for m in ms if m.entity_type not in recognised]
                          for ms in self.meta]
        self.dob = [any(m.entity_type == "DATE_OF_BIRTH" for m in ms) for ms in self.meta]
        #: columns a name or comment calls resident IDs: values of an ID's shape count there
        #: whatever their check digit (``id_shaped``)
        self.id_label = [any(m.entity_type == "CN_RESIDENT_ID" for m in ms) for ms in self.meta]
        #: columns whose name promises degrees (``lat``, 定位): only such values count
        self.degrees = [any(m.entity_type == "PRECISE_LOCATION" and m.term in COORDINATE_TERMS
                            for m in ms) for ms in self.meta]
        #: values are checked for a name's shape where no name or comment says what they are,
        #: or only a bare ``name`` does (see ``ambiguous_name``)
        self.name_check = [not ms or ambiguous_name(ms, comment)
                           for ms, comment in zip(self.meta, comments, strict=True)]
        n = len(columns)
        self.nonnull = [0] * n
        self.length = [0] * n
        self.shapes: list[Counter[str]] = [Counter() for _ in range(n)]
        self.found: list[dict[str, _Evidence]] = [{} for _ in range(n)]
        self.meta_found: list[dict[str, _Evidence]] = [{} for _ in range(n)]
        self.name_shaped: list[dict[str, _Evidence]] = [{} for _ in range(n)]
        self.births = [_births() for _ in range(n)]
        self.dob_births = [_births() for _ in range(n)]
        self.proofs: list[Counter[str]] = [Counter() for _ in range(n)]
        self.checked = [0] * n
        self.numeric = [0] * n  # values without a letter or character: numbers, codes
        self.han = [0] * n  # values of Chinese characters only, where names are checked
        self._sketch_key = sketch_key(ctx)
        self.json = JsonKeys(n, json_types(ctx.engine), self.today)
        self._recognizers = {rec.name: rec for rec in ctx.engine.recognizers}

    def add(self, rows: list[tuple[Any, ...]]) -> None:
        """Every value read goes to the engine (repeats once a chunk): no column is given up
        on after a run of values that match nothing. Such a probe (2,000 values) made
        ``--full`` miss a column whose first rows were a legacy placeholder and whose later
        rows held IDs, and understated counts; a sample gains little from one (the engine
        takes a few µs a value), and ``--full`` promises every value (bench/db.py)."""
        self.rows += len(rows)
        self._sketches: dict[tuple[str, str], str] = {}  # per chunk: repeats hashed once
        unique: dict[str, int] = {}  # line → its index: repeated values are analysed once
        where: list[tuple[int, int, int]] = []  # (column, label length, line index)
        recover: list[tuple[int, int, int]] = []  # (column, bare line, labelled line)
        columns = list(zip(*rows, strict=True))
        texts = [[as_text(v) for v in values] for values in columns]
        digests: list[tuple[int, int, bytes]] = []
        for c, (values, col_texts) in enumerate(zip(columns, texts, strict=True)):
            label, meta_only, dob = self.labels[c], self.meta_only[c], self.dob[c]
            shapes, name_check = self.shapes[c], self.name_check[c]
            for r, (value, text) in enumerate(zip(values, col_texts, strict=True)):
                if value is None or (text is not None and (not text or text.isspace())):
                    continue  # blank strings are missing values, not values that failed
                self.nonnull[c] += 1
                if dob and (born := as_date(value)):
                    _add_birth(self.dob_births[c], born, self.today)
                if text is None:
                    continue
                self.length[c] += len(text)
                if not _WORDY.search(text):
                    self.numeric[c] += 1
                if text.lstrip()[:1] in ("{", "[") and self.json.types:
                    self.json.add(c, text, self._keyed_evidence, value)  # parsed once
                if self.id_label[c] and id_shaped(text):
                    self._evidence(self.meta_found[c], "CN_RESIDENT_ID", text).count += 1
                # value_shape is "plain" for anything short without a mask character
                if len(text) >= 16 or "*" in text or "＊" in text:
                    shape = value_shape(text)
                    if shape == "encoded":  # base64 or hex of text: its text is read
                        shapes[shape] += 1
                        text = decoded_text(text) or text
                    elif shape != "plain":
                        shapes[shape] += 1
                        if shape.startswith("digest") and self.checked[c] < PROOF_ROWS:
                            raw = digest_bytes(text)
                            if raw is not None:
                                digests.append((r, c, raw))
                        continue
                for entity in meta_only:
                    if entity == "PRECISE_LOCATION" and self.degrees[c]:
                        if not degree_value(text):
                            continue  # 北京 under lat: a city, no point
                        # counted: most of such a column's values must be degrees
                        self._evidence(self.meta_found[c], entity, text).count += 1
                        continue
                    self._evidence(self.meta_found[c], entity, text)
                if name_check and _HAN_ONLY.fullmatch(text):
                    self.han[c] += 1
                    if name_shaped(text):
                        self._evidence(self.name_shaped[c], "CN_NAME", text).count += 1
                if len(text) >= 2 and (len(text) >= MIN_DIGITS or not text.isdigit()):
                    line = label + text.replace("\n", " ")
                    where.append((c, len(label), unique.setdefault(line, len(unique))))
                    if self.unlabelled[c] is not None:
                        bare = text.replace("\n", " ")
                        recover.append((c, unique.setdefault(bare, len(unique)),
                                        unique[line]))
        self._prove(digests, texts)
        if unique:
            self._detect(list(unique), where, recover)

    def _keyed_evidence(self, table: dict[str, _Evidence], slot: str, text: str,
                        entity: str) -> _Evidence:
        return self._evidence(table, entity, text, slot)

    def _evidence(self, table: dict[str, _Evidence], entity: str, text: str,
                  slot: str | None = None) -> _Evidence:
        ev = table.get(slot or entity)
        if ev is None:
            ev = table[slot or entity] = _Evidence()
        key = (entity, text)
        sketch = self._sketches.get(key)
        if sketch is None:
            data = f"{entity}\x00{canonical(entity, text)}".encode()
            sketch = self._sketches[key] = hashlib.blake2b(
                data, key=self._sketch_key, digest_size=16).hexdigest()
        ev.add(sketch, entity, text, self.ctx)
        return ev

    def _detect(self, lines: list[str], where: list[tuple[int, int, int]],
                recover: list[tuple[int, int, int]]) -> None:
        results = self.ctx.engine.analyze_lines(lines)
        recovered = recovered_values(lines, results, recover, self.unlabelled,
                                     self._recognizers)
        recognizers = self._recognizers
        for c, offset, index in where:
            line = lines[index]
            best: dict[str, tuple[float, int, int, str]] = {}
            for m in results[index]:
                if m.start >= offset and (m.entity_type not in best
                                          or best[m.entity_type][0] < m.score):
                    best[m.entity_type] = (m.score, m.start, m.end, m.recognizer)
            for m in recovered.get((c, index), ()):
                best.setdefault(m.entity_type, (m.score, m.start + offset, m.end + offset,
                                                m.recognizer))
            self.json.count_adults(c, line, offset, results[index])  # a guardian's object
            for entity, (score, start, end, name) in best.items():
                text = line[start:end]
                ev = self._evidence(self.found[c], entity, text)
                ev.count += 1
                ev.score += round(score * SCORE_UNITS)
                whole = end - start >= len(line[offset:].strip())
                if entity == "CN_MOBILE":
                    self.numbering.add(c, text, whole)
                rec = recognizers.get(name)
                if whole:
                    ev.whole += 1
                    if rec is not None and rec.CHECK_DIGIT and score >= 1.0:
                        ev.confirmed += 1  # a resident ID that validates, not a legacy one
                # in free text: is the value labelled, or checked by a check digit?
                elif rec is not None and (rec.CHECK_DIGIT or rec.labelled(
                        for_search(line), start, end)):
                    ev.confirmed += 1
                if entity == "CN_RESIDENT_ID":
                    born = birth_date(normalize(text))
                    if born:
                        _add_birth(self.births[c], born, self.today)

    def _prove(self, digests: list[tuple[int, int, bytes]], texts: list[list[str | None]]) -> None:
        """Hash the row's plaintext columns and compare with its digest columns
        (``texts`` is column-major)."""
        lo, hi = _PLAIN_PROOF
        for r, c, raw in digests:
            self.checked[c] += 1
            for other, col_texts in enumerate(texts):
                text = col_texts[r]
                if other == c or text is None or not lo <= len(text) <= hi:
                    continue
                algorithm = digest_algorithms(text, raw)
                if algorithm:
                    self.proofs[c][f"{self.columns[other]}\x00{algorithm}"] += 1

    def result(self) -> dict[str, Any]:
        columns = {}
        for c, name in enumerate(self.columns):
            columns[name] = {
                "nonnull": self.nonnull[c],
                "length": self.length[c],
                "numeric": self.numeric[c],
                "han": self.han[c],
                "shapes": dict(sorted(self.shapes[c].items())),
                "entities": {e: ev.as_dict() for e, ev in sorted(self.found[c].items())
                             if e != "CN_MOBILE" or not self.numbering.is_numbering(c)},
                "meta": {e: ev.as_dict() for e, ev in sorted(self.meta_found[c].items())},
                "shaped": {e: ev.as_dict() for e, ev in sorted(self.name_shaped[c].items())},
                "births": self.births[c],
                "dob": self.dob_births[c],
                "proofs": dict(sorted(self.proofs[c].items())),
                "checked": self.checked[c],
            }
            if self.json.found[c]:
                columns[name]["json"] = self.json.result(c)
            if self.json.adults[c]:
                columns[name]["adults"] = {e: dict(n) for e, n in self.json.adults[c].items()}
        return {"rows": self.rows, "columns": columns}
