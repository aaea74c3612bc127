"""SARIF 2.1.0: findings as results, for code-scanning dashboards and CI annotations.

Files that exist on disk (logs, migrations) become artifact locations with a region, so a CI
annotates the offending line; databases and buckets have no file, so they become logical
locations (``db.schema.table.column``, ``bucket/key``). Output is deterministic: the same report
gives the same bytes, so SARIF files can be diffed and committed. Accepted findings are kept as
results with an external, accepted suppression, which is what SARIF viewers hide by default.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from pia.reports import view
from pia.reports.i18n import severity_label, t, text

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
#: GitHub code scanning reads this property to rank security results (CVSS-like scale).
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}


def _uri(path: str) -> str:
    """A URI reference for a file path: absolute paths become ``file://`` URIs."""
    encoded = quote(path.replace("\\", "/"), safe="/:@-._~!$&'()*+,;=")
    return "file://" + encoded if path.startswith("/") else encoded


def _rule_name(rule_id: str) -> str:
    """``CSL-21-LOG-RETENTION`` → ``Csl21LogRetention`` (SARIF names are identifiers)."""
    return "".join(part.capitalize() for part in re.split(r"[^0-9A-Za-z]+", rule_id) if part)


def _location(loc: dict[str, Any]) -> dict[str, Any]:
    kind = view.location_kind(loc)
    if kind == "migration":
        region: dict[str, Any] = {"startLine": max(1, int(loc.get("line") or 1))}
        if loc.get("col"):
            region["startColumn"] = max(1, int(loc["col"]))
        out: dict[str, Any] = {"physicalLocation": {
            "artifactLocation": {"uri": _uri(loc["file"])}, "region": region}}
        target = ".".join(str(loc[k]) for k in ("table", "column") if loc.get(k))
        if target:
            out["logicalLocations"] = [{"name": str(loc.get("column") or target),
                                        "fullyQualifiedName": target, "kind": "member"}]
        return out
    if kind == "file":
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc["path"])}}
        line = view.first_line(loc)
        if line:
            physical["region"] = {"startLine": max(1, line)}
        out = {"physicalLocation": physical}
        if loc.get("member"):
            out["properties"] = {"member": str(loc["member"])}
        return out
    name = view.location_text(loc)
    if kind == "object":
        out = {"logicalLocations": [{"name": str(loc.get("member") or loc.get("key")
                                                 or loc["bucket"]),
                                     "fullyQualifiedName": name, "kind": "resource"}]}
        if loc.get("member"):
            out["properties"] = {"member": str(loc["member"])}
        return out
    return {"logicalLocations": [{"name": str(loc.get("column") or name),
                                  "fullyQualifiedName": name, "kind": "member"}]}


def _rule(finding: dict[str, Any], lang: str) -> dict[str, Any]:
    refs = finding["references"]
    articles = [view.article_text(r, lang) for r in refs]
    quotes = "\n".join(f"{a}: 「{r['quote']}」" for a, r in zip(articles, refs, strict=True))
    remediation = text(finding["remediation"], lang)
    title = text(finding["title"], lang)
    md_quotes = "\n".join(f"- **{a}**: 「{r['quote']}」"
                          for a, r in zip(articles, refs, strict=True))
    return {
        "id": finding["rule_id"],
        "name": _rule_name(finding["rule_id"]),
        "shortDescription": {"text": title},
        "fullDescription": {"text": f"{title} ({'; '.join(articles)})"},
        "help": {"text": f"{t('legal_basis', lang)}:\n{quotes}\n\n{t('remediation', lang)}: "
                         f"{remediation}",
                 "markdown": f"**{t('legal_basis', lang)}**\n\n{md_quotes}\n\n"
                             f"**{t('remediation', lang)}**: {remediation}"},
        "defaultConfiguration": {"level": LEVELS.get(finding["severity"], "warning")},
        "properties": {
            "tags": ["privacy", "compliance", *dict.fromkeys(r["law"] for r in refs)],
            "severity": finding["severity"],
            "security-severity": SECURITY_SEVERITY.get(finding["severity"], "5.5"),
            "ruleset": finding.get("ruleset", ""),
            "references": [{k: r[k] for k in ("law", "article", "article_2016", "clause", "quote",
                                              "verified", "numbering_inferred") if k in r}
                           for r in refs],
        },
    }


def _result(finding: dict[str, Any], index: int, lang: str) -> dict[str, Any]:
    locs = finding.get("locations", [])
    where = view.where(finding)
    message = text(finding["title"], lang) + (f" — {where}" if where else "")
    result: dict[str, Any] = {
        "ruleId": finding["rule_id"],
        "ruleIndex": index,
        "level": LEVELS.get(finding["severity"], "warning"),
        "message": {"text": message},
        "locations": [_location(loc) for loc in locs],
        "properties": {
            "severity": finding["severity"],
            "severityLabel": severity_label(finding["severity"], lang),
            "evidence": dict(view.safe_evidence(finding.get("evidence"), lang)),
        },
    }
    if finding.get("source"):
        result["properties"]["source"] = view.source_text(finding["source"])
    if finding.get("fingerprint"):
        result["partialFingerprints"] = {"piaFinding/v1": str(finding["fingerprint"])}
    acc = view.acceptance(finding)
    if finding.get("status") == "accepted":
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
        if acc and acc["reason"]:
            suppression["justification"] = acc["reason"]
        who = {k: acc[k] for k in ("owner", "expires") if acc and acc[k]}
        if who:
            suppression["properties"] = who
        result["suppressions"] = [suppression]
    elif acc and acc["lapsed"]:  # open again: no suppression, but the lapsed decision is shown
        result["properties"]["lapsedAcceptance"] = {
            k: acc[k] for k in ("owner", "reason", "expires") if acc[k]}
        result["message"]["text"] += f" [{view.status_text(finding, lang)}]"
    return result


def build(report: dict[str, Any], *, lang: str = "zh") -> dict[str, Any]:
    """The SARIF log as a dict (``render`` serialises it)."""
    findings = view.sorted_findings(report)
    rules: dict[str, dict[str, Any]] = {}
    for finding in sorted(findings, key=lambda f: f["rule_id"]):
        rules.setdefault(finding["rule_id"], _rule(finding, lang))
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    scan = report["scan"]
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": report["tool"]["name"],
                "version": report["tool"]["version"],
                "semanticVersion": report["tool"]["version"],
                "rules": list(rules.values()),
            }},
            "invocations": [{"executionSuccessful": bool(scan.get("complete", True)),
                             "startTimeUtc": scan["started"], "endTimeUtc": scan["finished"]}],
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index[f["rule_id"]], lang) for f in findings],
            "properties": {
                "summary": view.summary(report),
                "sources": [view.source_text(u) for u in scan["sources"]],
                "rulesets": [{"id": r["id"], "sha256": r["sha256"]} for r in scan["rulesets"]],
                "lang": lang,
            },
        }],
    }


def render(report: dict[str, Any], *, lang: str = "zh", **_: Any) -> str:
    return json.dumps(build(report, lang=lang), ensure_ascii=False, indent=2) + "\n"
