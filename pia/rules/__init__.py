"""Rulesets: from observations to findings that cite the law.

The public surface other parts of pia use::

    rulesets = load_rulesets(["cn-pipl", "./custom.yaml"])  # None → all bundled; ids narrow,
                                                           # paths add
    ruleset = load_ruleset_text(text, "bundle:rulesets/cn-pipl.yaml")  # a verifier's copy
    result = evaluate(rulesets, inventory, facts, declaration, today=date, scope={"migration"})
    result.findings, result.not_evaluated                  # deterministic order and content
    apply_rules(report, rulesets, declaration)             # findings, not_evaluated, scan.*
    exceeds(report, "high")                                # an open finding at/above high?

``declaration`` is a ``pia.declaration.Declaration`` (``load_declaration``,
``load_declaration_text``, ``load_declaration_data``) or None.

Rules are YAML data (``rulesets/*.yaml``) evaluated without ``eval``: see ``conditions`` for
the language, ``predicates`` for its vocabulary and ``engine`` for the subjects and context.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pia.clock import china_date, parse_instant
from pia.errors import UsageError
from pia.report import SEVERITIES, summarize
from pia.rules.engine import ENGINE, NO_DECLARATION, Result, evaluate
from pia.rules.findings import fingerprint
from pia.rules.loader import (
    BUNDLED,
    Rule,
    Ruleset,
    bundled_text,
    load_ruleset,
    load_ruleset_file,
    load_ruleset_text,
    load_rulesets,
)

__all__ = [
    "BUNDLED", "ENGINE", "NO_DECLARATION", "Result", "Rule", "Ruleset", "apply_rules",
    "bundled_text", "citation", "evaluate", "exceeds", "fingerprint", "known_rule_ids",
    "load_ruleset", "load_ruleset_file", "load_ruleset_text", "load_rulesets", "report_today",
]


def citation(ref: dict[str, Any]) -> str:
    """A reference as a terminal line names it: law, article and clause, with the 2016 number
    of a renumbered CSL article beside the current one (``CSL 44 (2016: 42)``), since the
    findings a reader has seen before cite the old one."""
    text = f"{ref['law']} {ref['article']}{ref.get('clause', '')}"
    old = ref.get("article_2016")
    if old and old != ref["article"]:
        text += f" (2016: {old})"
    return text


def known_rule_ids(rulesets: list[Ruleset]) -> set[str]:
    """Rule ids an ``accept:`` entry may name: the bundled rulesets' and those loaded."""
    bundled = [load_ruleset(ruleset_id) for ruleset_id in BUNDLED]
    return {rule.id for ruleset in [*bundled, *rulesets] for rule in ruleset.rules}


def report_today(report: dict[str, Any]) -> date:
    """The evaluation date of a report: the day its scan started, in China Standard Time, so
    re-evaluating a bundle years later yields the same findings."""
    started = parse_instant(report["scan"]["started"])
    if started is None:
        raise UsageError(f"scan.started {report['scan']['started']!r:.60} is not an ISO 8601 "
                         "time with a zone")
    return china_date(started)


def apply_rules(report: dict[str, Any], rulesets: list[Ruleset], declaration: Any = None,
                *, scope: set[str] | None = None) -> dict[str, Any]:
    """Evaluate ``rulesets`` over a report's inventory and facts, in place; returns it."""
    if declaration is not None:
        declaration.bind(report)  # where relative declared and scanned paths resolve from
    result = evaluate(rulesets, report["inventory"], report["facts"], declaration,
                      today=report_today(report), scope=scope)
    report["findings"] = result.findings
    report["not_evaluated"] = result.not_evaluated
    # children's PI by the declaration, which the scan could not see (PIPL 28): counted
    # sensitive by every report; marked afresh, so another declaration's marks do not stay
    for item in report["inventory"]:
        item.pop("children_declared", None)
    for item in result.children_declared:
        item["children_declared"] = True
    report["tool"]["rules"] = ENGINE
    report["scan"]["rulesets"] = [r.reference() for r in rulesets]
    report["scan"]["declaration"] = (declaration.reference(report) if declaration is not None
                                     else None)
    if report.get("summary") is not None:
        report["summary"] = summarize(report)
    return report


#: ``--fail-on none``: a run that reports and never gates (a scheduled audit whose report is
#: read by people), so that its exit status says only whether the scan completed
NO_GATE = "none"
#: what ``--fail-on`` takes, weakest first
FAIL_ON = (*SEVERITIES, NO_GATE)


def exceeds(report: dict[str, Any], fail_on: str) -> bool:
    """Is any open (not accepted) finding at or above ``fail_on``? Exit 1 when it is."""
    if fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    if fail_on == NO_GATE:
        return False
    level = SEVERITIES.index(fail_on)
    return any(f.get("status", "open") == "open" and SEVERITIES.index(f["severity"]) >= level
               for f in report.get("findings", []))
