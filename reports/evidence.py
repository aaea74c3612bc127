"""Evidence as a report may show it: the last place a raw value could still be stopped.

Evidence is an open object filled by rules over untrusted data (table names and object keys
come from the audited systems). Only masked samples, keyed fingerprints, counts, dates and
short identifier-like values are shown verbatim, and under the keys a declaration fills
(recipients, transfers) company names with spaces; anything else is withheld. Every format
(HTML, Markdown, SARIF, the terminal) reads evidence through here, so they withhold alike.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pia.clock import parse_instant
from pia.reports.i18n import (
    CLAIMS,
    entity_label,
    evidence_label,
    has_key,
    severity_label,
    t,
)
from pia.reports.view import china_time

_FINGERPRINT = re.compile(r"^hmac-sha256:[0-9a-f]{8,128}$")
# A value that can only be a label (a region, an ACL, a protection kind, a column name): word
# characters and a few separators, no '@', no run of five digits (phones, IDs, cards).
_TOKEN = re.compile(r"^[\w.\-:/*]{1,64}$")
_DIGIT_RUN = re.compile(r"\d{5,}")
# A date or time as rules record it (``2018-01-01 09:00:00``, ``2023-03-01T08:00:00Z``,
# ``2026-11-29``): the age a retention finding states is read off it. A time is not PI unless
# its column is (a birth date), and such a column's times are masked where they are recorded.
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?"
                   r"(?:Z|[+-]\d{2}:?\d{2})?)?$")
_MASK_CHARS = ("*", "•", "×")
#: evidence keys whose values the declaration (pia.yaml) gives, not the scanned estate: names
#: of companies ("Example Pte Ltd", "某某（北京）有限公司"), shown with their spaces and
#: punctuation if they pass ``_is_declared_name``
DECLARED_NAMES = ("recipients",)
#: the fields of a declared transfer (pia.yaml cross_border) evidence ``transfers`` shows, in
#: this order; its ``asset`` is the finding's own, and ``x-`` keys are the organisation's notes
TRANSFER_FIELDS = ("destination", "recipient", "mechanism")
_TRANSFER_LABELS = {"destination": "decl_destination", "recipient": "decl_recipient",
                    "mechanism": "decl_mechanism"}


def _is_masked(sample: Any) -> bool:
    return isinstance(sample, str) and any(c in sample for c in _MASK_CHARS)


def _is_token(value: Any) -> bool:
    if isinstance(value, bool | int | float):
        return True
    if isinstance(value, str) and _TIME.match(value):
        return True
    return isinstance(value, str) and bool(_TOKEN.match(value)) and not _DIGIT_RUN.search(value)


def _is_declared_name(value: Any) -> bool:
    """A name a declaration gives (a recipient company, a destination), safe to show: printable,
    at most 128 characters, no '@' (an e-mail), no run of five digits and fewer than seven
    digits in all (a phone, ID or card number, spaced out or not)."""
    return (isinstance(value, str) and 0 < len(value) <= 128 and value.isprintable()
            and "@" not in value and not _DIGIT_RUN.search(value)
            and sum(c.isdigit() for c in value) < 7)


def _transfer_fields(value: Any, lang: str) -> list[tuple[str, str]] | None:
    """A declared transfer's ``(field, shown value)`` pairs: its destination and recipient if
    they are names, its mechanism if a token, anything else withheld; None if no mapping."""
    if not isinstance(value, dict):
        return None
    out = []
    for key in TRANSFER_FIELDS:
        field = value.get(key)
        if field in (None, ""):
            continue
        safe = _is_token(field) if key == "mechanism" else _is_declared_name(field)
        out.append((key, str(field) if safe else t("withheld", lang)))
    return out


def _transfer(value: Any, lang: str) -> str:
    """``{destination: SG, recipient: Example Pte Ltd, mechanism: standard_contract}``."""
    fields = _transfer_fields(value, lang)
    if fields is None:
        return t("withheld", lang)
    return "{" + ", ".join(f"{k}: {v}" for k, v in fields) + "}"


def transfer_text(value: Any, lang: str) -> str:
    """A declared transfer for people: ``目的地：SG，境外接收方：Example Pte Ltd，出境途径：
    标准合同`` / ``Destination: SG, Recipient abroad: …, Mechanism: standard contract``."""
    fields = _transfer_fields(value, lang)
    if fields is None:
        return t("withheld", lang)
    shown = []
    for key, field in fields:
        known = f"mechanism:{field}"
        if key == "mechanism" and has_key(known):
            field = t(known, lang)
        shown.append(t("field_fmt", lang).format(label=t(_TRANSFER_LABELS[key], lang),
                                                 value=field))
    return t("list_sep", lang).join(shown)


def _scalar(value: Any, lang: str, depth: int = 0) -> str:
    """A token as itself, a flat mapping of tokens as ``k: v`` (a value of it may be a list
    of tokens: the columns a grant reaches, ``{columns: [sfzh, shouji], grantee: PUBLIC}``);
    anything else withheld."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if _is_token(value):
        return str(value)
    if isinstance(value, list) and depth == 1 and all(_is_token(v) for v in value):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, dict) and depth == 0:
        # counts by entity type ({CN_BANK_CARD: 37}) are read by their names (银行卡号 37),
        # without a colon: "密码: 200" would read as a password field to a scan of reports
        return "{" + t("list_sep", lang).join(
            _pair(k, v, lang) if _is_token(k) else t("withheld", lang)
            for k, v in sorted(value.items())) + "}"
    return t("withheld", lang)


def _pair(key: str, value: Any, lang: str) -> str:
    count = isinstance(value, int) and not isinstance(value, bool)
    return f"{entity_label(key, lang)}{' ' if count else ': '}{_scalar(value, lang, 1)}"


def safe_evidence(evidence: dict[str, Any] | None, lang: str) -> list[tuple[str, str]]:
    """``(key, shown value)`` pairs of an evidence object, with unsafe values withheld.

    Samples must carry a mask character and fingerprints must be keyed digests, or they are
    withheld too: a renderer is the last place a raw value could still be stopped.
    """
    out: list[tuple[str, str]] = []
    for key in sorted(evidence or {}):
        value = evidence[key]
        values = value if isinstance(value, list) else [value]
        if key == "samples":
            shown = [v if _is_masked(v) else t("withheld", lang) for v in values]
        elif key == "fingerprints":
            shown = [v if isinstance(v, str) and _FINGERPRINT.match(v) else t("withheld", lang)
                     for v in values]
        elif key in DECLARED_NAMES:
            shown = [v if _is_declared_name(v) else _scalar(v, lang) for v in values]
        elif key == "transfers":
            shown = [_transfer(v, lang) for v in values]
        else:
            shown = [_scalar(v, lang) for v in values]
        out.append((str(key), ", ".join(shown)))
    return out


#: evidence keys whose values are entity types (CN_MOBILE), read by their names (手机号码)
ENTITY_KEYS = ("entity_type", "entity_types", "declared_categories")
#: evidence keys whose values are fractions of 1, read in Chinese as percentages (39.3%)
SHARES = ("share", "validated_share")


def _fraction(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def percent(fraction: float) -> str:
    """0.3926 → ``39.3%``, 1.0 → ``100%``: a share as a Chinese reader reads it."""
    return f"{fraction * 100:.1f}".removesuffix(".0") + "%"


def _instants(values: list[Any]) -> bool:
    """Whether ``values`` are all times with a zone (``2026-09-01T16:00:00Z``): an instant a
    rule recorded in UTC, which people read in China Standard Time, as the report's own times
    (a log line of ``2026-09-02 00:00:00`` read as 1 September in UTC). A time without a zone
    (a database's ``2018-01-01 09:00:00``) and a date are shown as recorded: no zone is
    guessed."""
    return bool(values) and all(isinstance(v, str) and _TIME.match(v)
                                and parse_instant(v) is not None for v in values)


def readable_evidence(evidence: dict[str, Any] | None, lang: str) -> list[tuple[str, str]]:
    """``safe_evidence`` with its values said in ``lang``: a raised severity as a sentence
    ("raised from medium (minors)"), a protection kind and entity types by their names, the
    sentences the rules engine writes that pia knows, a UTC time in China Standard Time and an
    empty list as none (declared). Keys stay as they are (SARIF keeps
    them; ``evidence_rows`` labels them)."""
    from pia.reports.i18n import evidence_value, protection_label

    rows = []
    for key, shown in safe_evidence(evidence, lang):
        value = (evidence or {}).get(key)
        values = value if isinstance(value, list) else [value]
        if key == "severity_raised" and isinstance(value, dict) and _is_token(value.get("from")):
            reason = value.get("reason")
            reason = t(reason, lang) if reason == "minors" else t(
                "raised_for:sensitive", lang) if reason == "sensitive" else (
                str(reason) if _is_token(reason) else t("withheld", lang))
            shown = t("severity_raised_fmt", lang).format(
                from_=severity_label(str(value["from"]), lang), reason=reason)
        elif key == "protection" and isinstance(value, str) and _is_token(value):
            shown = protection_label(value, lang)
        elif lang == "zh" and key == "claimed_by" and has_key(f"claimed_by:{value}"):
            # 声称来源：列注释, not `comment` (QA); English keeps the value, as SARIF has it
            shown = t(f"claimed_by:{value}", lang)
        elif key == "minors_from" and has_key(f"minors_from:{value}"):
            shown = t(f"minors_from:{value}", lang)
        elif lang == "zh" and key == "claimed_protection" and value in CLAIMS:
            shown = protection_label(str(value), lang)
        elif lang == "zh" and key in SHARES and _fraction(value):
            shown = percent(value)
        elif value == []:  # an empty list printed "登记的种类: " and nothing after it
            shown = t("none_declared" if key.startswith("declared_") else "none", lang)
        elif _instants(values):
            shown = ", ".join(china_time(v) for v in values)
        elif key in ENTITY_KEYS and values and all(isinstance(v, str) and _is_token(v)
                                                    for v in values):
            shown = t("list_sep", lang).join(entity_label(v, lang) for v in values)
        elif key == "triggers" and values and all(isinstance(v, str) and _is_token(v)
                                                   for v in values):
            shown = t("list_sep", lang).join(t(f"trigger:{v}", lang)
                                             if has_key(f"trigger:{v}") else v for v in values)
        elif key == "transfers":
            shown = t("entry_sep", lang).join(transfer_text(v, lang) for v in values)
        elif isinstance(value, str) and evidence_value(value, lang) is not None:
            shown = str(evidence_value(value, lang))
        rows.append((key, shown))
    return rows


def evidence_rows(evidence: dict[str, Any] | None, lang: str,
                  locations: list[dict[str, Any]] | None = None) -> list[tuple[str, str]]:
    """``readable_evidence`` for people: each key as its label (未成年人记录数). ``sampled``
    of a finding in files or objects (``locations`` by path or key) counts the lines read,
    not rows sampled: a CSV of one record said "Sampled: 2" (its header and its row), so it
    is labelled as lines read. A finding grouped per place counts its values by category
    (``by_entity_type``), read as a list ("Mobile number 1, Resident ID number 1"), not a
    mapping in braces; its total (``count``, their sum) and its categories
    (``entity_types``, their names) said the same thing twice more, and are left out."""
    lines = bool(locations) and all("path" in loc or "key" in loc for loc in locations or [])
    # only a CSV's header is counted among the lines: a log's label says nothing of one
    lines_key = "lines_read" if any(_csv(loc) for loc in locations or []) else "lines_read_plain"
    counts = _entity_counts(evidence or {})
    said = set() if counts is None else _said_by(counts, evidence or {})
    rows = []
    for key, shown in readable_evidence(evidence, lang):
        if key in said:
            continue
        if key == "by_entity_type" and counts and shown.startswith("{") and shown.endswith("}"):
            shown = shown[1:-1]
        rows.append((evidence_label(lines_key if key == "sampled" and lines else key, lang),
                     shown))
    return rows


def _csv(location: dict[str, Any]) -> bool:
    """Whether a location is a CSV or TSV file or object (compressed or not), whose header
    line the lines read count."""
    name = str(location.get("path") or location.get("key") or "").lower()
    return any(f".{ext}" in name.rsplit("/", 1)[-1] for ext in ("csv", "tsv"))


def _entity_counts(evidence: dict[str, Any]) -> dict[str, int] | None:
    """A finding's counts by category (``by_entity_type``: ``{CN_MOBILE: 1}``), or None."""
    counts = evidence.get("by_entity_type")
    if isinstance(counts, dict) and counts and all(
            isinstance(v, int) and not isinstance(v, bool) for v in counts.values()):
        return counts
    return None


def _said_by(counts: dict[str, int], evidence: dict[str, Any]) -> set[str]:
    """The keys the counts by category already say: ``count`` when it is their sum,
    ``entity_types`` when it names their categories."""
    said = set()
    if evidence.get("count") == sum(counts.values()):
        said.add("count")
    types = evidence.get("entity_types")
    if isinstance(types, list) and set(types) == set(counts):
        said.add("entity_types")
    return said
