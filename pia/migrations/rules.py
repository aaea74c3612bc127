"""What each migration rule id means, taken from the bundled rulesets when they load.

Titles, legal references (with verbatim quotes) and remediation come from ``rulesets/*.yaml``
(``pia.rules.load_rulesets``) so a migration finding cites the law exactly as a scan finding
does. The verdict logic does not depend on them: if the rulesets cannot be loaded, the
built-in one-line descriptions below keep CI output meaningful and the exit codes unchanged.
"""

from __future__ import annotations

from functools import cache
from typing import Any

#: rule id → (SARIF default level, fallback title)
_BUILTIN: dict[str, tuple[str, str]] = {
    "PIPL-28-SENSITIVE-PLAINTEXT": ("error", "Sensitive personal information stored in "
                                    "plaintext"),
    "GB35273-6.3-RAW-BIOMETRIC": ("error", "Raw biometric samples stored"),
    "PIPL-51-ENCRYPT-DEIDENT": ("warning", "Personal information neither encrypted nor "
                                "de-identified"),
    "PIPL-73-PSEUDONYM-REVERSIBLE": ("error", "Unsalted digest of an enumerable identifier "
                                     "can be reversed"),
    "PIPL-6-MINIMISATION": ("warning", "Personal information beyond the declared purpose"),
    "PIA-SQL-PARSE": ("warning", "A migration statement pia could not read"),
}


@cache
def _loaded() -> dict[str, Any]:
    try:
        from pia.rules import load_rulesets

        return {rule.id: rule for ruleset in load_rulesets() for rule in ruleset.rules}
    except Exception:  # noqa: BLE001 — rulesets are optional decoration here
        return {}


def _article(ref: dict[str, Any]) -> str:
    clause = str(ref.get("clause", ""))
    sep = "" if clause.startswith("(") else " "
    return f"{ref.get('law', '')} {ref.get('article', '')}{sep}{clause}".strip()


def cite(rule_id: str) -> str:
    """``PIPL 28; PIPL 51(三)``: the articles a rule rests on, or '' when unknown."""
    rule = _loaded().get(rule_id)
    if rule is None:
        return ""
    return "; ".join(_article(r) for r in rule.get("references", []))


def rule_info(rule_id: str) -> dict[str, Any]:
    """Title, description, remediation, default level and references of a rule id."""
    level, title = _BUILTIN.get(rule_id, ("warning", rule_id))
    rule = _loaded().get(rule_id)
    if rule is None:
        return {"title": title, "description": title, "remediation": title, "level": level,
                "references": []}
    refs = [dict(r) for r in rule.get("references", [])]
    quotes = "; ".join(f"{_article(r)}: 「{r['quote']}」" for r in refs if r.get("quote"))
    return {
        "title": rule["title"]["en"],
        "description": f"{rule['title']['en']} / {rule['title']['zh']}. {quotes}".strip(),
        "remediation": rule["remediation"]["en"],
        "level": level,
        "references": refs,
    }
