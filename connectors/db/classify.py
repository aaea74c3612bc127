"""Merge a table's partials and decide, per column, which entity types it holds.

Two signals meet here. Metadata (``classify_column`` over name and comment) is enough on its
own for what values cannot show (names, addresses, health, biometrics, locations, birth dates);
for identifiers the engine can recognise, the sampled values decide: a column counts when a
clear share of its non-null values match, so an ``id_no`` column of integers or a ledger of
Luhn-valid look-alikes stays out. Protected columns (masked, digests, ciphertext) are kept
under the entity their name, their mask shape or a hash proof points at.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pia.connectors.db.model import Table
from pia.detection.coordinates import COORDINATE_TERMS
from pia.detection.metadata import (
    MetadataMatch,
    classify_column,
    names_an_attribute,
    thing_table,
    tokens,
)
from pia.detection.persons import adult_named
from pia.detection.protection import Protection, claimed, classify, hint, masked_entity
from pia.entities import NOT_PERSONAL, is_sensitive

from .json_keys import adults_of
from .stats import KMV_SIZE, SCORE_UNITS, TOP, ambiguous_name

#: share of non-null values that must match for values alone to classify a column
STRUCTURED_SHARE = 0.3
#: ... when the name or comment already points at the same entity type; still twice what
#: random digits pass by chance (Luhn and the ID check digit each pass about one in ten), so
#: a ``card_no`` of membership numbers is not a bank card column
AGREEING_SHARE = 0.2
#: free text (matches are parts of longer values): share and minimum count; matches a
#: label or a check digit confirms need only the count (``_value_share_ok``)
FREE_TEXT_SHARE = 0.05
FREE_TEXT_MIN = 2
#: whole values that a check digit, region code and birth date validate (resident IDs) need
#: no share, only to be this share of the column's numbers: random 18-digit numbers
#: validate about one in 55,000, so 0.1 % is fifty times chance, and 500 IDs among 200,000
#: legacy ``ref`` values (QA F1) are 500 IDs
VALIDATED_SHARE_OF_NUMBERS = 0.001
#: entity types that metadata alone may classify, whatever the values look like
METADATA_SUFFICES = frozenset({
    "PERSON", "CN_NAME", "CN_ADDRESS", "HEALTH", "BIOMETRIC", "PRECISE_LOCATION",
    "DATE_OF_BIRTH", "RELIGION", "CREDENTIAL", "FINANCIAL_RECORD", "CRIMINAL_RECORD",
    "SEXUAL_ORIENTATION", "MARITAL_STATUS", "DEVICE_ID",
})
#: share of the values of a column a name or comment calls resident IDs that must have an
#: ID's shape (``stats.id_shaped``) for the label to stand when their check digits fail
ID_SHAPED_SHARE = 0.5
#: share of a coordinate column's values (``lat``, 定位) that must be degrees for it to hold
#: precise location
DEGREES_SHARE = 0.5
#: entity types whose data looks random (a face or fingerprint template), as a digest does
RANDOM_LOOKING = frozenset({"BIOMETRIC"})
#: entity types whose values are words; a column of numbers is not one of them
TEXTUAL = frozenset({"CN_NAME", "PERSON", "CN_ADDRESS"})
NUMERIC_VETO_SHARE = 0.9
#: share of whole-value matches of one entity that makes metadata-only guesses moot
DOMINANT_SHARE = 0.8
#: a digest column hashes a plaintext column when this share of checked rows prove it
PROOF_SHARE = 0.5
PROOF_MIN = 3
#: values alone (no name or comment agreeing) need at least this mean engine score: weak
#: patterns (a letter and eight digits for a passport) match too many internal codes
VALUE_ONLY_SCORE = 0.6
#: a column of name-shaped values (surname + given name) counts as names when nearly all
#: values have that shape and they are diverse (a list of cities or dishes repeats)
NAME_SHAPE_SHARE = 0.8
NAME_SHAPE_DISTINCT = 0.3
#: a bare ``name`` column is no person's name when most sampled values are Chinese words and
#: none of them has a name's shape (a dictionary's 普通, a product's 苹果手机)
NOT_A_NAME_HAN_SHARE = 0.5


def _merge_evidence(into: dict[str, Any], ev: dict[str, Any]) -> None:
    into["count"] += ev["count"]
    into["score"] += ev["score"]
    into["whole"] += ev["whole"]
    into["confirmed"] = into.get("confirmed", 0) + ev.get("confirmed", 0)  # older journals
    into["kmv"] = sorted(set(into["kmv"]) | set(ev["kmv"]))[:KMV_SIZE]
    into["top"] = sorted({tuple(t) for t in into["top"]} | {tuple(t) for t in ev["top"]})[:TOP]


def _merge_births(into: dict[str, Any], b: dict[str, Any]) -> None:
    for key, pick in (("min", min), ("max", max)):
        if b[key] is not None:
            into[key] = b[key] if into[key] is None else pick(into[key], b[key])
    into["minors"] += b["minors"]
    into["n"] += b["n"]


def empty_column() -> dict[str, Any]:
    """A merged column record of no value read: where partials are summed, and what a column
    of a table that could not be read is decided from (its name and comment alone)."""
    return {
        "nonnull": 0, "length": 0, "numeric": 0, "shapes": Counter(),
        "entities": {}, "meta": {}, "shaped": {},
        "births": {"min": None, "max": None, "minors": 0, "n": 0},
        "dob": {"min": None, "max": None, "minors": 0, "n": 0},
        "proofs": Counter(), "checked": 0,
    }


def merge_columns(partials: list[dict[str, Any]]) -> tuple[int, dict[str, dict[str, Any]]]:
    """Sum a table's partials (already in a fixed order) into one record per column."""
    rows = 0
    merged: dict[str, dict[str, Any]] = {}
    for partial in partials:
        rows += partial["rows"]
        for name, col in partial["columns"].items():
            acc = merged.get(name) or merged.setdefault(name, empty_column())
            for key in ("nonnull", "length", "checked", "numeric"):
                acc[key] += col[key]
            acc["han"] = acc.get("han", 0) + col.get("han", 0)  # absent from older journals
            acc["shapes"].update(col["shapes"])
            acc["proofs"].update(col["proofs"])
            for kind in ("entities", "meta", "shaped"):
                for entity, ev in col[kind].items():
                    slot = acc[kind].setdefault(
                        entity, {"count": 0, "score": 0, "whole": 0, "confirmed": 0,
                                 "kmv": [], "top": []})
                    _merge_evidence(slot, ev)
            for slot, ev in col.get("json", {}).items():  # a JSON column's keys (json_keys)
                keyed = acc.setdefault("json", {}).setdefault(slot, {
                    "count": 0, "score": 0, "whole": 0, "confirmed": 0, "kmv": [], "top": [],
                    "term": ev["term"], "meta_score": ev["meta_score"], "shapes": {}})
                _merge_evidence(keyed, ev)
                keyed["shapes"] = dict(Counter(keyed["shapes"]) + Counter(ev["shapes"]))
                keyed["minors"] = keyed.get("minors", 0) + ev.get("minors", 0)
            for entity, counts in col.get("adults", {}).items():  # json_keys.adults_in
                adults = acc.setdefault("adults", {}).setdefault(entity, Counter())
                adults.update(counts)
            _merge_births(acc["births"], col["births"])
            _merge_births(acc["dob"], col["dob"])
    return rows, merged


def distinct_estimate(kmv: list[str]) -> int:
    """Distinct values from the K smallest fingerprints (exact below K)."""
    if len(kmv) < KMV_SIZE:
        return len(kmv)
    kth = int(kmv[-1].rsplit(":", 1)[-1], 16) / 16 ** len(kmv[-1].rsplit(":", 1)[-1])
    return round((KMV_SIZE - 1) / kth) if kth > 0 else len(kmv)


def _value_share_ok(ev: dict[str, Any], nonnull: int, agrees: bool, numbers: int) -> bool:
    """Whether a column's matches of one entity type are enough to call it that type's
    (``numbers``: the column's values without a letter, ``stats``' ``numeric``).

    Whole values need no less than free text: a legacy ``ext_ref`` that holds an ID in one
    row of five holds 4,000 IDs (QA F1), as its CSV export says. The 30 % share stays for
    numbers that could be look-alikes by chance (an eleven-digit code column is a mobile one
    time in thirteen, a ledger number passes Luhn one time in ten); matches that are most of
    the column's numbers, the rest being ``ref-N`` or ``n/a``, are no chance, and count at
    free text's share; validated resident IDs count as two."""
    if not nonnull or not ev["count"]:
        return False
    share = ev["count"] / nonnull
    confirmed = ev.get("confirmed", 0)
    if ev["whole"] * 2 < ev["count"]:  # matches inside longer text: a free-text column
        # a share is no test for values a label or a check digit backs: 40 labelled IDs in
        # 1,000 tickets are 40 IDs, whatever the other 960 say
        return ev["count"] >= FREE_TEXT_MIN and (
            share >= FREE_TEXT_SHARE or confirmed >= FREE_TEXT_MIN)
    if share >= (AGREEING_SHARE if agrees else STRUCTURED_SHARE):
        return True
    if confirmed >= FREE_TEXT_MIN and confirmed >= VALIDATED_SHARE_OF_NUMBERS * numbers:
        return True
    return (ev["count"] >= FREE_TEXT_MIN and share >= FREE_TEXT_SHARE
            and ev["whole"] >= STRUCTURED_SHARE * numbers)


def proven_sources(col: dict[str, Any]) -> dict[str, str]:
    """Plaintext column → algorithm, for columns this digest column provably hashes."""
    found: dict[str, str] = {}
    for key, n in sorted(col["proofs"].items(), key=lambda kv: (-kv[1], kv[0])):
        other, _, algorithm = key.partition("\x00")
        if n >= PROOF_MIN and n >= PROOF_SHARE * col["checked"] and other not in found:
            found[other] = algorithm
    return found


#: name words that say a column counts money or things (``price_fen``, ``amount_cents``,
#: ``total_fee``, 金额): its numbers are no identifier however they look, as an order
#: number's label says of its (``stats.TableStats.labels``); they veto only values alone
MONEY_WORDS = frozenset({
    "price", "amount", "amt", "fee", "fees", "cost", "total", "subtotal", "balance", "fen",
    "cent", "cents", "yuan", "rmb", "cny", "money", "payment", "paid", "refund", "discount",
    "qty", "quantity", "jine", "jiage", "feiyong", "shuliang", "danjia", "zongjia",
})
MONEY_ZH = ("金额", "金額", "价格", "價格", "单价", "总价", "价钱", "费用", "运费", "余额",
            "数量", "实付", "应付", "（分）", "(分)", "（元）", "(元)")


def money_name(name: str, comment: str | None = None) -> bool:
    """Whether a column's name or comment says it holds amounts or quantities."""
    text = f"{name} {comment or ''}"
    return (bool(MONEY_WORDS.intersection(tokens(name)))
            or any(word in text for word in MONEY_ZH))


def _metadata_vetoed(name: str, entity: str, col: dict[str, Any],
                     ambiguous: bool = False) -> bool:
    """Names that are *about* an entity without holding it (``address_id``, ``gps_status``,
    ``pwd_updated_at``), name/address columns whose values are all numbers, and a column
    that only a bare ``name`` calls a person's name (``ambiguous``) whose sampled values are
    Chinese words none of which has a name's shape (``tmp_dict.name`` = 普通)."""
    if names_an_attribute(name, entity):
        return True
    nonnull = col["nonnull"]
    if (ambiguous and entity == "CN_NAME" and nonnull > 0
            and col.get("han", 0) >= NOT_A_NAME_HAN_SHARE * nonnull
            and not col.get("shaped", {}).get("CN_NAME", {}).get("count")):
        return True
    return (entity in TEXTUAL and nonnull > 0
            and col.get("numeric", 0) >= NUMERIC_VETO_SHARE * nonnull)


def _value_items(col: dict[str, Any], meta_by: dict[str, MetadataMatch],
                 money: bool = False) -> dict[str, dict[str, Any]]:
    """Entity types the sampled values show in plain text (item fields per entity); a
    company's USCC too, as files report it: the rules leave it out (``NOT_PERSONAL``).
    Under a ``money`` name, numbers that nothing but their values call an identifier are
    amounts (``price_fen`` of 13812345678 is 138 million yuan, not a mobile)."""
    nonnull = col["nonnull"]
    numbers = money and nonnull > 0 and col.get("numeric", 0) >= NUMERIC_VETO_SHARE * nonnull
    items: dict[str, dict[str, Any]] = {}
    for entity, ev in sorted(col["entities"].items()):
        if not _value_share_ok(ev, nonnull, entity in meta_by, col.get("numeric", 0)):
            continue
        m = meta_by.get(entity)
        value_score = ev["score"] / (ev["count"] * SCORE_UNITS)
        if m is None and (value_score < VALUE_ONLY_SCORE or numbers):
            continue
        score = 1 - (1 - value_score) * (1 - m.score) if m else value_score
        items[entity] = {
            "count": ev["count"], "share": round(ev["count"] / nonnull, 4),
            "score": round(min(1.0, score), 4),
            "signals": ([m.signal] if m else []) + ["values"],
            "evidence": ev, "matched_term": m.term if m else None,
        }
    return items


def _unmasked_among_masked(col: dict[str, Any], items: dict[str, dict[str, Any]],
                           meta_by: dict[str, MetadataMatch]) -> dict[str, dict[str, Any]]:
    """Whole values of the identifier the column's masked values hide, validated (a resident
    ID's check digit, a card's Luhn: ``VALUE_ONLY_SCORE``) and too few for a share: rows
    written before a masking migration. The column is already that identifier's by its
    masked values, so each is a stored plaintext ID, as one plaintext value makes a file's
    field plaintext (QA D8: nine ``110105********1234`` and one raw ID were ``masked``, with
    no finding; two raw ones were plaintext)."""
    hidden = masked_entity(col["shapes"])
    ev = col["entities"].get(hidden or "")
    if hidden is None or hidden in items or not ev or not ev["whole"]:
        return {}
    if ev["score"] / (ev["count"] * SCORE_UNITS) < VALUE_ONLY_SCORE:
        return {}
    m = meta_by.get(hidden)
    return {hidden: {
        "count": ev["whole"], "share": round(ev["whole"] / col["nonnull"], 4),
        "score": round(ev["score"] / (ev["count"] * SCORE_UNITS), 4),
        "signals": ([m.signal] if m else []) + ["values"], "evidence": ev,
        "matched_term": m.term if m else None,
    }}


class Decision:
    """One column's verdict: its protection and its (entity → item fields); ``claim`` is the
    protection a comment, name or declaration claims that the sampled values contradict
    (``protection.claimed``), ``not_sampled`` why a column known by its name and comment
    alone was not read (its table locked, denied, timed out), and ``adults`` the adult whose
    PI a JSON column's values of a type are (``json_keys.adults_of``)."""

    def __init__(self, protection: Protection, meta: list[MetadataMatch]) -> None:
        self.protection = protection
        self.meta = meta
        self.items: dict[str, dict[str, Any]] = {}
        self.claim: tuple[str, str] | None = None
        self.not_sampled: str | None = None
        self.adults: dict[str, str] = {}


def decide_column(name: str, comment: str | None, col: dict[str, Any],
                  declared_hint: str | None, proven: dict[str, str] | None = None,
                  table: str | None = None) -> Decision:
    """Entity types of one column (``proven`` maps a hashed plaintext column's entities;
    ``table`` reads a bare ``name`` as ``classify_name`` does)."""
    meta = [m for m in classify_column(name, comment, table)
            if m.entity_type not in NOT_PERSONAL]
    nonnull = col["nonnull"]
    meta_by = {m.entity_type: m for m in meta}
    items = _value_items(col, meta_by, money_name(name, comment))
    items.update(_unmasked_among_masked(col, items, meta_by))
    algorithms = list((proven or {}).values())
    named = hint(name, comment)
    plain = max((item["count"] for item in items.values()), default=0)
    # values cannot show a password or a face: under a name that says only "hash", text
    # (``length``) of no protected shape is the plaintext, as a file's field reads it
    # (password_digest of plain0, plain1)
    unshaped = nonnull - sum(col["shapes"].values())
    # a name or comment saying resident ID, and values of an ID's shape whose check digits
    # fail (legacy, hand-typed, test data): the values do not contradict the label, which
    # stands, and they are plain to read (qa-db H3). Values of another shape (M00000001)
    # still contradict it: a member number column is no ID column, whatever its comment
    labelled_ids = (col["meta"].get("CN_RESIDENT_ID") or {}).get("count", 0) if (
        "CN_RESIDENT_ID" in meta_by and "CN_RESIDENT_ID" not in items) else 0
    if nonnull and labelled_ids >= ID_SHAPED_SHARE * nonnull:
        plain = max(plain, labelled_ids)
    else:
        labelled_ids = 0
    if (named in ("hashed", "hashed_unsalted") and meta
            and all(m.entity_type in METADATA_SUFFICES for m in meta)
            and col["length"] and unshaped > 0):
        plain = max(plain, unshaped)
    # values showing no PI in plain text leave a protected name or declaration standing
    protection = classify(col["shapes"], nonnull, named, algorithms,
                          declared_hint, opaque=not items, plain=plain,
                          random_is_data=any(m.entity_type in RANDOM_LOOKING for m in meta))
    decision = Decision(protection, meta)
    decision.items.update(items)
    decision.adults = adults_of(col.get("adults", {}), items)
    if protection.protection == "plaintext" and protection.evidence == "values" and (
            plain or col["shapes"].get("encoded")):
        decision.claim = claimed(name, comment, declared_hint)  # what the values belie
    # values that are, nearly all and whole, one identifier settle what the column is:
    # ``email_addr`` holds emails, not addresses
    dominant = any(ev["whole"] >= DOMINANT_SHARE * nonnull
                   for e, ev in col["entities"].items() if e in decision.items)
    ambiguous = ambiguous_name(meta, comment)
    for entity, m in meta_by.items():
        if (entity in decision.items or dominant
                or _metadata_vetoed(name, entity, col, ambiguous)):
            continue
        if (entity == "PRECISE_LOCATION" and m.term in COORDINATE_TERMS and nonnull
                and not protection.protected
                and (col["meta"].get(entity) or {}).get("count", 0) < DEGREES_SHARE * nonnull):
            continue  # a lat or 定位 column of cities or switches holds no point
        if (protection.protected or entity in METADATA_SUFFICES or nonnull == 0
                or entity == "CN_RESIDENT_ID" and labelled_ids):
            ev = col["meta"].get(entity)
            decision.items[entity] = {
                "count": nonnull,
                "share": (round(protection.share, 4)
                          if protection.protected and nonnull else None),
                "score": m.score, "signals": [m.signal], "evidence": ev, "matched_term": m.term,
            }
    shaped = col.get("shaped", {}).get("CN_NAME")
    if (not decision.items and not meta and shaped and nonnull and not protection.protected
            and not thing_table(table)):  # 李宁 in brands.name is a brand
        distinct = distinct_estimate(shaped["kmv"])
        if (shaped["count"] >= NAME_SHAPE_SHARE * nonnull
                and distinct >= NAME_SHAPE_DISTINCT * shaped["count"]):
            decision.items["CN_NAME"] = {
                "count": shaped["count"], "share": round(shaped["count"] / nonnull, 4),
                "score": 0.55, "signals": ["values"], "evidence": shaped, "matched_term": None,
            }
    if not decision.items and protection.protection == "masked":
        entity = masked_entity(col["shapes"])
        if entity:
            decision.items[entity] = {
                "count": sum(n for k, n in col["shapes"].items() if k.startswith("masked")),
                "share": protection.share, "score": 0.6, "signals": ["values"],
                "evidence": None, "matched_term": None,
            }
    if declared_hint and protection.evidence == "declared":
        for item in decision.items.values():
            item["signals"] = [*item["signals"], "declared"]
    return decision


def item_records(table: Table, column: str, decision: Decision, source: str,
                 sampled: int, minors: int = 0, own_minors: int = 0,
                 name: str | None = None) -> list[dict[str, Any]]:
    """The report's inventory items for one decided column. A column of a table whose rows
    show anyone under 14 (``minors``: the table's birth dates and resident IDs counted by
    age, in the column that shows most) holds children's PI, which PIPL 28 makes sensitive
    whatever its type: its items say so, the children's names as much as their birth dates
    (a birth-date column of pupils was ``sensitive: false``; then their names, QA zh 11).
    A column that names the guardian (监护人姓名, parent_phone, jhrxm) or an emergency
    contact (紧急联系人电话, jjlxrdh: ``adult_named``) holds an adult's PI, sensitive only by
    its type: its items say ``data_subject: guardian`` or ``contact``, which the rules read
    as no child's data. Unless its own values show a child under 14 (``own_minors``: its
    resident IDs and birth dates counted by age): then the values outweigh the name, and a
    ``parent_sfzh`` or ``jz_school`` of pupils' IDs is the children's (QA r2 D5). A JSON
    column's values of a type that all stand in an adult's object (``{"guardian": {"phone":
    …}}``: ``Decision.adults``) are that adult's, on the same terms. ``name``
    is the name that says whose the items are where it is not the column's: a JSON key's
    path in it (``profile.guardian.birthday``, ``json_keys``)."""
    comment = next((c.comment for c in table.columns if c.name == column), None)
    named = adult_named(name or column, comment) if minors > 0 and not own_minors else None
    out = []
    for entity, fields in sorted(decision.items.items()):
        adult = named or (decision.adults.get(entity) if minors > 0 and not own_minors
                          else None)
        ev = fields["evidence"] or {"top": []}
        evidence: dict[str, Any] = {
            "samples": [] if decision.protection.protected else [t[2] for t in ev["top"][:3]],
            "fingerprints": [t[1] for t in ev["top"][:TOP]],
        }
        if fields["matched_term"]:
            evidence["matched_term"] = fields["matched_term"]
        if decision.claim:
            evidence["claimed_protection"], evidence["claimed_by"] = decision.claim
        item = {
            "source": source,
            "location": {**table.location(), "column": column},
            "entity_type": entity,
            "count": fields["count"],
            "sampled": sampled,
            "score": fields["score"],
            "signals": fields["signals"],
            # a child's PI is sensitive whatever its type; a school's credit code is no one's
            "sensitive": is_sensitive(entity) or (minors > 0 and entity not in NOT_PERSONAL
                                                   and adult is None),
            "protected": decision.protection.protected,
            "protection": decision.protection.protection,
            "evidence": evidence,
        }
        if adult is not None:
            item["data_subject"] = adult
        if fields["share"] is not None:
            item["share"] = fields["share"]
        if decision.not_sampled:
            item["not_sampled"] = decision.not_sampled
        out.append(item)
    return out
