"""Findings as the report contract shows them: identity, evidence, severity, grouping.

A finding never holds a raw PI value: item evidence is the inventory's masked samples and
counts, fact evidence is metadata named by the rule, and source URIs are redacted.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import TYPE_CHECKING, Any

from pia.masked_names import PATH_FINGERPRINTS
from pia.report import SEVERITIES, location_key, shown_text
from pia.rules import conditions
from pia.rules.loader import Rule, Ruleset
from pia.uri import redact

if TYPE_CHECKING:
    from pia.rules.engine import Subject

LINE_FIELDS = frozenset({"line", "col", "lines", "first_line"})
#: what a finding's identity leaves out of its location: line numbers (a moved line), and
#: the fingerprints of a masked path's places, which its ``name_fingerprint`` already tells
#: apart (findings made before the rules read them keep their identity)
UNSTABLE_FIELDS = LINE_FIELDS | {PATH_FINGERPRINTS}


def fingerprint(rule_id: str, source: str, location: dict, entity_type: str | None) -> str:
    """Identity of a finding for baselines and acceptance: no line numbers, so a moved line
    does not resurrect an accepted finding."""
    stable = {k: v for k, v in location.items() if k not in UNSTABLE_FIELDS}
    # a file name that is not UTF-8 (GBK bytes from a Windows upload) is held as surrogate
    # escapes, which UTF-8 refuses: it is hashed as the report shows it (``\xbf``), so
    # that a verifier re-deriving the finding from the report gets the same identity
    shown = shown_text(copy.deepcopy([rule_id, source, stable, entity_type or ""]))
    data = json.dumps(shown, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def raise_severity(severity: str) -> str:
    return SEVERITIES[min(SEVERITIES.index(severity) + 1, len(SEVERITIES) - 1)]


def _evidence(rule: Rule, subject: Subject) -> dict[str, Any]:
    ctx = subject.ctx
    evidence: dict[str, Any] = {}
    if subject.kind == "item":
        item = ctx["item"]
        for key in ("entity_type", "count", "sampled", "share", "score", "protection"):
            if key in item:
                evidence[key] = item[key]
        samples = (item.get("evidence") or {}).get("samples")
        if isinstance(samples, list) and samples:
            evidence["samples"] = [str(s) for s in samples[:10]]
    else:
        evidence["entity_types"] = ctx["pi"]["entity_types"]
        evidence["pi_items"] = ctx["pi"]["items"]
    if "asset" in ctx:
        evidence["asset"] = ctx["asset"]["id"]
    for name, path in rule.get("evidence", {}).items():
        value = conditions.resolve(ctx, path)
        if value is not conditions.MISSING:
            evidence[name] = copy.deepcopy(value)
    return evidence


def _references(rule: Rule, fired: list[str] | None,
                raised: str | None = None) -> list[dict[str, Any]]:
    """The articles a finding cites: a reference naming triggers only when one of them fired
    (PIPL 55(三) only for an asset provided to other processors), one saying ``raised_for``
    only when the severity was raised for that reason (PIPL 28's strict measures for a
    digest of resident IDs, not of mobiles), without those keys."""
    return [{k: v for k, v in r.items() if k not in ("triggers", "raised_for")}
            for r in rule["references"]
            if ("triggers" not in r or set(r["triggers"]) & set(fired or ()))
            and r.get("raised_for", raised) == raised]


def _sensitive_item(subject: Subject) -> bool:
    """The subject is an item of sensitive PI by its kind (PIPL 28: an ID number, a bank
    card, a password...), whose finding a rule with ``escalate_sensitive: true`` raises one
    level (CONTROLS.md: "Severity rises one level for sensitive PI or minors' data"), once:
    children's data has already raised it."""
    from pia.rules.predicates import sensitive_type  # it imports what imports this module

    return subject.kind == "item" and sensitive_type(subject.ctx) is True


def make_finding(ruleset: Ruleset, rule: Rule, subject: Subject,
                 fired: list[str] | None = None) -> dict[str, Any]:
    """The finding of ``rule`` about ``subject``; ``fired`` names the rule's triggers that
    hold (in the rule's order), kept in the evidence as ``triggers``."""
    severity = rule.severity
    evidence = _evidence(rule, subject)
    if fired is not None:
        evidence["triggers"] = list(fired)
    if rule.get("escalate_minors", True) and (subject.minors > 0 or subject.minors_declared):
        severity = raise_severity(severity)
        if severity != rule.severity:  # critical has no level above it
            evidence["severity_raised"] = {"from": rule.severity, "reason": "minors"}
        if subject.minors > 0:
            evidence["minors_count"] = subject.minors
        evidence["minors_from"] = "declared" if subject.minors_declared else "observed"
    elif rule.get("escalate_sensitive", False) and _sensitive_item(subject):
        severity = raise_severity(severity)
        if severity != rule.severity:
            evidence["severity_raised"] = {"from": rule.severity, "reason": "sensitive"}
    source = redact(subject.source) if subject.source else ""
    location = dict(subject.location)
    # an asset's finding is shown against the scanned source it covers, which several assets
    # (logs/ids, logs/phones) may share: its identity is the asset's
    identity = {"asset": subject.ctx["asset"]["id"]} if subject.kind == "asset" else location
    finding = {
        "rule_id": rule.id,
        "ruleset": ruleset.id,
        "severity": severity,
        "title": dict(rule["title"]),
        "references": _references(rule, fired,
                                  (evidence.get("severity_raised") or {}).get("reason")),
        "source": source,
        "locations": [location] if location else [],
        "evidence": evidence,
        "remediation": dict(rule["remediation"]),
        "status": "open",
        "fingerprint": fingerprint(rule.id, source, identity, subject.entity_type),
    }
    if subject.kind == "asset":
        finding["evidence"]["asset"] = subject.ctx["asset"]["id"]
    return finding


_ITEM_KEYS = ("entity_type", "count", "sampled", "share", "score", "protection", "samples")


def group_by_location(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One finding per location instead of one per (location, entity type): a log file with
    IDs and mobiles is one problem to fix. Line numbers are merged, counts added up."""
    groups: dict[str, dict[str, Any]] = {}
    others = []
    for f in findings:
        if "entity_type" not in f["evidence"]:  # a fact's finding is already per location
            others.append(f)
            continue
        loc = f["locations"][0] if f["locations"] else {}
        key = fingerprint(f["rule_id"], f["source"], loc, None)
        ev = f["evidence"]
        group = groups.get(key)
        if group is None:
            stable = {k: v for k, v in loc.items() if k not in ("lines", "first_line")}
            group = {**f, "locations": [stable] if loc else [], "fingerprint": key,
                     "evidence": {k: v for k, v in ev.items() if k not in _ITEM_KEYS}}
            group["evidence"].update(by_entity_type={}, count=0, samples=[])
            groups[key] = group
        gev, gloc = group["evidence"], group["locations"][0] if group["locations"] else {}
        if "entity_type" in ev:
            gev["by_entity_type"][ev["entity_type"]] = ev.get("count", 0)
        gev["count"] += ev.get("count", 0)
        gev["samples"] = (gev["samples"] + list(ev.get("samples", [])))[:10]
        if "first_line" in loc:
            gloc["first_line"] = min(gloc.get("first_line", loc["first_line"]), loc["first_line"])
        if "lines" in loc:
            gloc["lines"] = sorted(set(gloc.get("lines", [])) | set(loc["lines"]))[:100]
        if SEVERITIES.index(f["severity"]) > SEVERITIES.index(group["severity"]):
            group["severity"] = f["severity"]
            # the group stands at its most severe item's level, raised for that item's reason
            raised = f["evidence"].get("severity_raised")
            if raised:
                group["evidence"]["severity_raised"] = raised
                group["references"] = f["references"]  # those its raising cites too
    for group in groups.values():
        group["evidence"]["entity_types"] = sorted(group["evidence"]["by_entity_type"])
        if not group["evidence"]["samples"]:
            del group["evidence"]["samples"]
    return others + list(groups.values())


def finding_key(f: dict[str, Any]) -> tuple:
    locs = [location_key(loc) for loc in f["locations"]]
    return (f["ruleset"], f["rule_id"], f["source"], locs, f["fingerprint"])
