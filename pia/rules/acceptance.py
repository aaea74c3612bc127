"""Accepted risks: ``accept:`` entries of ``pia.yaml`` applied to findings.

An accepted finding stays in the report (``status: accepted`` with who accepted it, why and
until when) so a reviewer sees the decision, not a silence. On the day after ``expires`` it is
open again, with the expired acceptance still attached. An entry matches by rule id (a shell
pattern), optionally by ``fingerprint``, by ``source`` (matched like an asset's source) and by
a subset of location keys (string values may be shell patterns): the fewer keys, the wider.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Collection
from datetime import date
from typing import Any

from pia.source_match import source_matches
from pia.uri import scrub


def _location_matches(wanted: dict[str, Any], locations: list[dict[str, Any]]) -> bool:
    if not wanted:
        return True
    for loc in locations:
        ok = True
        for key, value in wanted.items():
            if key not in loc:
                ok = False
            elif isinstance(value, str):
                ok = fnmatch.fnmatchcase(str(loc[key]), value)
            else:
                ok = loc[key] == value
            if not ok:
                break
        if ok:
            return True
    return False


def matches(entry: dict[str, Any], finding: dict[str, Any], base: str | None = None,
            cwd: str | None = None) -> bool:
    """Does an ``accept:`` entry cover this finding? A relative ``source`` is taken as the
    declaration's assets are: from ``base`` (its directory), scanned paths from ``cwd``."""
    if not fnmatch.fnmatchcase(finding["rule_id"], entry["rule"]):
        return False
    if "fingerprint" in entry and entry["fingerprint"] != finding.get("fingerprint"):
        return False
    if "source" in entry:
        locations = finding["locations"] or [{}]
        if not any(source_matches(entry["source"], finding["source"], loc, base, cwd)
                   for loc in locations):
            return False
    return _location_matches(entry.get("location", {}), finding["locations"])


def _deciding(finding: dict[str, Any], entries: list[dict[str, Any]], today: date,
              base: str | None, cwd: str | None) -> tuple[int | None, bool]:
    """The index of the entry that decides a finding's acceptance (the first live one that
    matches it, else the first expired one) and whether it is live; (None, False) if none."""
    expired = None
    for index, entry in enumerate(entries):
        if not matches(entry, finding, base, cwd):
            continue
        if date.fromisoformat(entry["expires"]) >= today:
            return index, True
        expired = index if expired is None else expired
    return expired, False


def _as_written(text: Any) -> str:
    """An entry's reason or owner as every report writes it: credentials scrubbed, and a
    resident ID, mobile, card, passport or permit number masked, with what has an
    identifier's shape, as pia masks any free text it writes (``masked_text``). The
    organisation's own words reach every report, the terminal and the bundle: a mobile in
    them was written raw, and ``bundle create`` then refused the scan's own report as edited
    (QA D4). The bundled declaration itself is checked apart (``declaration_identifier``)."""
    from pia.bundle.masked import masked_text

    return masked_text(scrub(str(text)))


def apply_acceptance(findings: list[dict[str, Any]], entries: list[dict[str, Any]],
                     today: date, base: str | None = None, cwd: str | None = None) -> None:
    """Mark findings accepted (in place) by the first live entry that matches them."""
    for finding in findings:
        index, live = _deciding(finding, entries, today, base, cwd)
        if index is None:
            continue
        chosen = entries[index]
        finding["acceptance"] = {k: _as_written(chosen[k]) for k in ("reason", "owner")}
        finding["acceptance"]["expires"] = chosen["expires"]
        if live:
            finding["status"] = "accepted"
        else:
            finding["status"] = "open"
            finding["acceptance"]["expired"] = True


def sources_named(entry: dict[str, Any], report: dict[str, Any]) -> list[str]:
    """The scanned sources that hold the place an ``accept:`` entry without ``source`` names
    (its ``location``): a table, column, path or bucket of that name in any item, fact or
    finding. More than one means the entry accepts findings in each of them: written for one
    database, ``{table: members, column: sjhm}`` also accepted another database's members
    table the day both were scanned together, silently (multi-database estates reuse table
    names). Empty for an entry with a ``source`` or no ``location``, which are not
    ambiguous: they say what they cover."""
    wanted = entry.get("location") or {}
    if "source" in entry or not wanted:
        return []
    found = {record["source"] for section in ("inventory", "facts", "findings")
             for record in report.get(section) or []
             if "source" in record and _location_matches(
                 wanted, record.get("locations") or [record.get("location") or {}])}
    return sorted(found)


def accepted_counts(entries: list[dict[str, Any]], findings: list[dict[str, Any]],
                    today: date, base: str | None = None,
                    cwd: str | None = None) -> dict[int, dict[str, int]]:
    """For each entry that accepts findings (the first live one to match them), how many it
    accepts (``accepted``), how many of them are critical (``critical``) and how many hold
    the data of children under 14 (``children``: ``minors_count`` in their evidence)."""
    counted: dict[int, dict[str, int]] = {}
    for finding in findings:
        index, live = _deciding(finding, entries, today, base, cwd)
        if index is None or not live:
            continue
        counts = counted.setdefault(index, {"accepted": 0, "critical": 0, "children": 0})
        counts["accepted"] += 1
        counts["critical"] += finding.get("severity") == "critical"
        counts["children"] += bool((finding.get("evidence") or {}).get("minors_count"))
    return counted


def serious(counts: dict[str, int]) -> bool:
    """Whether an entry accepts critical findings or children's data (``accepted_counts``):
    a sign-off a compliance manager makes knowingly. One ``{rule: "PIPL-*"}`` accepted
    plaintext resident IDs and a school's pupils along with the labels it was written for,
    and nothing said so."""
    return bool(counts["critical"] or counts["children"])


def year_after(day: date) -> date:
    """The same day a year on (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def distant_expiries(entries: list[dict[str, Any]], today: date) -> list[int]:
    """The entries that expire more than a year after ``today``: an accepted risk should come
    up for review again within a year (PIPL 54 asks for regular compliance audits), and
    ``expires: 2099-12-31`` accepted one for 73 years, unnoticed."""
    last = year_after(today)
    return [index for index, entry in enumerate(entries)
            if date.fromisoformat(entry["expires"]) > last]


def accepts_everything(entry: dict[str, Any], rule_ids: Collection[str]) -> bool:
    """Whether an entry names no rule and no place: its ``rule`` pattern matches every rule
    id (``*``: a pattern, not a rule id) and neither a ``location`` nor a ``fingerprint``
    narrows it (a ``source`` alone accepts the whole database or tree). Such an entry accepts
    every finding, critical ones and children's data included, and ``pia scan`` refuses it."""
    if entry.get("location") or "fingerprint" in entry or not rule_ids:
        return False
    return all(fnmatch.fnmatchcase(rule, entry["rule"]) for rule in rule_ids)
