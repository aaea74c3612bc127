"""What a manager reads first: the few findings that matter most, with their law and place.

The HTML and Markdown reports list them in the executive summary, above a report whose
findings run to hundreds of rows (QA: the manager scrolled past the whole inventory to reach
them), and ``pia demo`` prints them; one ranking serves all three, so they name the same
findings.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pia.reports import references, view
from pia.reports.i18n import counted, t

#: how many findings the summary lists
TOP = 5


def top_findings(report: dict[str, Any], limit: int = TOP) -> list[dict[str, Any]]:
    """One open finding per rule, its most severe (the first of those in the report's
    order), most severe first (ties: the rule with more open findings, then its id). A
    rule's first finding stood for it before: CSL-42-PI-IN-LOGS was listed as high, at a
    log of mobiles, above a report whose resident IDs in another log made it critical."""
    per_rule = Counter(f["rule_id"] for f in report["findings"]
                       if f.get("status", "open") == "open")
    worst: dict[str, dict[str, Any]] = {}
    for finding in report["findings"]:
        if finding.get("status", "open") != "open":
            continue
        held = worst.get(finding["rule_id"])
        if held is None or (view.severity_rank(finding["severity"])
                            < view.severity_rank(held["severity"])):
            worst[finding["rule_id"]] = finding
    ranked = sorted(worst.values(), key=lambda f: (view.severity_rank(f["severity"]),
                                                   -per_rule[f["rule_id"]], f["rule_id"]))
    return ranked[:limit]


def top_rows(report: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The top findings as a summary lists them: severity, title, rule, the articles its
    rule cites (marked if a custom ruleset's), its first place and how many open findings
    the rule has in all."""
    open_findings = [f for f in report["findings"] if f.get("status", "open") == "open"]
    rules = view.by_rule(open_findings)
    rows = []
    for finding in top_findings(report):
        group = rules[finding["rule_id"]]
        rows.append({"finding": finding, "rule_id": finding["rule_id"],
                     "severity": finding["severity"],
                     "articles": references.rule_articles(group, lang),
                     "place": view.where(finding, lang), "count": len(group),
                     "count_text": t("paren_fmt", lang).format(
                         text="", inner=counted("top_count_fmt", lang, n=len(group)))})
    return rows
