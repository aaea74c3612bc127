"""Which pia made a bundle, and what this pia can then decide about it.

A report records the pia that wrote it (``tool.version``) and the rules engine semantics that
derived its findings (``tool.rules``, ``pia.rules.engine.ENGINE``). ``verify`` re-derives the
findings with its own engine and compares the shipped rulesets with its own copies, so a
bundle made by another pia can differ from what this pia derives without anyone having
touched it. Calling that *invalid* would accuse an honest company; calling it *valid* would
vouch for findings nobody here re-derived. Such a bundle is **undecided** (exit 2): its
signature, trust and member hashes still hold or fail as always (they come first and do not
depend on the version), and the one line says which pia can decide.

- a newer engine than this pia's: nothing in the report is judged (its schema, rulesets and
  predicates may be ones this pia does not know); verify with that pia or a later one.
- an older engine, or none recorded (reports before ``tool.rules``): the findings are
  re-derived; if they agree the bundle is valid, if they differ it is undecided.
- another ``tool.version`` whose shipped ruleset differs from this pia's copy: undecided.

The version a report names is its signer's statement, like everything in it: a forger who
claims another pia gains an undecided verdict at most, never a valid one, and the pia he
names decides. A report that names this very pia's version with another engine (or none)
names a pia that cannot exist, and no other pia could decide it: that contradiction is
invalid (``rules-engine`` fails; QA regulator D5: claiming an older engine turned hidden
findings into a permanent undecided).
"""

from __future__ import annotations

import json
from typing import Any

from pia.bundle import evidence, provenance, safezip
from pia.bundle.safezip import Refused

CHECK = "rules-engine"
FINDINGS = "findings-follow-from-evidence"
#: ``scan.parameters`` keys ``pia scan`` never writes that would change what the engine
#: evaluates: a bundle is re-derived exactly as ``pia scan`` evaluates, over every rule
EVALUATION_PARAMETERS = ("scope",)


class Undecided(Exception):
    """This pia cannot decide the check: the bundle was made by another pia (exit 2)."""


def _ours() -> tuple[str, int]:
    from pia import __version__
    from pia.rules import ENGINE

    return __version__, ENGINE


def _made_by(report: dict[str, Any]) -> tuple[str, Any]:
    """The pia version and engine a report names; a version not shaped as one (QA Q2 B9:
    9.9.9+ and a resident ID) is not quoted, this check running before ``samples-masked``."""
    from pia.bundle.masked import VERSION

    tool = report.get("tool") if isinstance(report.get("tool"), dict) else {}
    version = tool.get("version")
    shaped = isinstance(version, str) and VERSION.fullmatch(version)
    return (safezip.printable(version, 20) if shaped else "<not a version>"), tool.get("rules")


def _engine(value: Any) -> str:
    return ("no rules engine recorded, older than engine 1" if value is None
            else f"rules engine {safezip.printable(json.dumps(value), 20)}")


def _use(theirs: str, ours: str, engine: Any, newer: bool) -> str:
    """Which pia to verify with: the one the report names, or, when it names this pia's own
    version (a build between releases), the engine that pia must have."""
    if theirs != ours:
        return f"verify with pia {'>= ' if newer else ''}{theirs}"
    return f"verify with the pia build that made it ({_engine(engine)}; it too says {theirs})"


def made_by(run: Any, report: dict[str, Any]) -> str | None:
    """Check ``rules-engine``, before anything in the report is judged: the report's engine
    is this pia's (passed), older or unrecorded (passed: findings that then differ leave the
    bundle undecided), or newer (undecided, and every later check is skipped); None when
    ``tool.rules`` is no engine version at all, which ``report-schema`` refuses."""
    ours, engine = _ours()
    version, theirs = _made_by(report)
    if theirs is not None and (not isinstance(theirs, int) or isinstance(theirs, bool)
                               or theirs < 1):
        return None  # report-schema refuses it
    if version == ours and theirs != engine:  # QA D5: no build of this version has another
        raise Refused(CHECK, f"the report names this pia's own version {ours} with "
                      f"{_engine(theirs)}, but pia {ours} has rules engine {engine}: a pia "
                      "records the engine it has, so the report contradicts itself")
    run.engine_differs = theirs != engine
    newer = newer_engine(report)
    if newer:
        raise Undecided(f"{newer}; {_use(version, ours, theirs, True)}. Its signature and "
                        "member hashes hold; nothing in its report was judged: a newer "
                        "engine's findings cannot be re-derived here")
    by = f"; made by pia {version}" if version != ours else ""
    if theirs == engine:
        return f"rules engine {engine}, this pia's{by}"
    return (f"made by pia {version}, {_engine(theirs)}; this pia {ours} re-derives its findings "
            f"with rules engine {engine}: if they differ, the bundle is undecided, not invalid")


def newer_engine(report: dict[str, Any]) -> str | None:
    """``made by a newer pia (…) than this pia (…)`` when a newer rules engine
    derived the report's findings, else None: what ``rules-engine`` leaves undecided, so
    ``bundle create`` refuses to sign it and ``pia report`` warns that it renders findings
    this pia did not derive."""
    ours, engine = _ours()
    version, theirs = _made_by(report)
    if not isinstance(theirs, int) or isinstance(theirs, bool) or theirs <= engine:
        return None
    return (f"made by a newer pia (pia {version}, {_engine(theirs)}) than this pia {ours} "
            f"(rules engine {engine})")


def shipped(run: Any, rulesets: list[Any]) -> str:
    """Check ``rulesets-as-shipped``: failed when the report says this very pia made it (it
    ships these rules) and the ruleset names the version this pia ships; undecided when it
    names another pia, or another release of the ruleset (a bundle made before a ruleset
    update, by a build that gave itself the same version), whose rules may differ."""
    try:
        return provenance.shipped(rulesets)
    except Refused as refused:
        ours, _ = _ours()
        version, engine = _made_by(run.result.report)
        if isinstance(refused, provenance.OtherRelease):
            raise Undecided(f"{refused.reason}. Its signature and member hashes hold") from None
        if version == ours:
            raise
        raise Undecided(f"made by pia {version}, not this pia {ours}: "
                        f"{_use(version, ours, engine, False)}. {refused.reason}") from None


def findings(run: Any, rulesets: list[Any], declaration: Any) -> str:
    """Check ``findings-follow-from-evidence``: the rulesets evaluated over the bundled
    inventory, facts and declaration give the recorded findings, field for field; when the
    report's engine is not this pia's, a difference is undecided (the engines' fault or a
    forgery: only the pia that made it can tell), said first so no detail cuts it off."""
    from pia.rules import evaluate, report_today

    report = run.result.report
    parameters = report["scan"].get("parameters") or {}
    for key in EVALUATION_PARAMETERS:
        if key in parameters:
            raise Refused(FINDINGS, f"scan.parameters.{key} is set, which pia scan never "
                          "records: it would leave rules out of the evaluation")
    try:
        result = evaluate(rulesets, report["inventory"], report["facts"], declaration,
                          today=report_today(report))
    except Exception as err:  # hostile facts may break a predicate: a failure, not a crash
        reason = f"re-evaluation failed: {safezip.describe_error(err)}"
        raise Refused(FINDINGS, reason) from None
    try:
        evidence.compare_findings(report["findings"], result.findings, FINDINGS)
        evidence.compare_not_evaluated(report["not_evaluated"], result.not_evaluated, FINDINGS)
    except Refused as refused:
        if not run.engine_differs:
            raise
        ours, engine = _ours()
        version, theirs = _made_by(report)
        raise Undecided(f"made by an older pia (pia {version}, {_engine(theirs)}) than this pia "
                        f"{ours} (rules engine {engine}), which derives other findings from the "
                        f"same evidence: not proof of tampering; "
                        f"{_use(version, ours, theirs, False)}. First difference: "
                        f"{refused.reason}") from None
    return f"{len(result.findings)} findings re-derived"
