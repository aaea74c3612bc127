"""Accepted risks: ``accept:`` entries of ``pia.yaml`` applied to findings.

An accepted finding stays in the report (``status: accepted`` with who accepted it, why and
until when) so a reviewer sees the decision, not a silence. On the day after ``expires`` it is
open again, with the expired acceptance still attached. An entry matches by rule id (a shell
pattern), optionally by ``fingerprint``, by ``source`` (matched like an asset's source) and by
a subset of location keys (string values may be shell patterns): the fewer keys, the wider.
"""

from __future__ import annotations

import fnmatch
from datetime import date
from typing import Any

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
    from pia.declaration import source_matches

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


def apply_acceptance(findings: list[dict[str, Any]], entries: list[dict[str, Any]],
                     today: date, base: str | None = None, cwd: str | None = None) -> None:
    """Mark findings accepted (in place) by the first live entry that matches them."""
    for finding in findings:
        live = expired = None
        for entry in entries:
            if not matches(entry, finding, base, cwd):
                continue
            if date.fromisoformat(entry["expires"]) >= today:
                live = entry
                break
            expired = expired or entry
        chosen = live or expired
        if chosen is None:
            continue
        finding["acceptance"] = {k: scrub(str(chosen[k])) for k in ("reason", "owner")}
        finding["acceptance"]["expires"] = chosen["expires"]
        if live is not None:
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
