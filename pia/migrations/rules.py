"""What each migration rule id means, taken from the bundled rulesets when they load.

Titles, legal references (with verbatim quotes) and remediation come from ``rulesets/*.yaml``
(``pia.rules.load_rulesets``) so a migration finding cites the law exactly as a scan finding
does. The verdict logic does not depend on them: if the rulesets cannot be loaded, the
built-in one-line descriptions below keep CI output meaningful and the exit codes unchanged.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pia.reports.i18n import t
from pia.reports.references import article_text, reference_notes

#: rule id → (SARIF default level, fallback title in English, in Chinese)
_BUILTIN: dict[str, tuple[str, str, str]] = {
    "PIPL-28-SENSITIVE-PLAINTEXT": ("error", "Sensitive personal information stored in "
                                    "plaintext", "敏感个人信息以明文存储"),
    "GB35273-6.3-RAW-BIOMETRIC": ("error", "Raw biometric samples stored",
                                  "存储原始生物识别信息"),
    "PIPL-51-ENCRYPT-DEIDENT": ("warning", "Personal information neither encrypted nor "
                                "de-identified", "个人信息未加密也未去标识化"),
    "PIPL-73-PSEUDONYM-REVERSIBLE": ("error", "Unsalted digest of an enumerable identifier "
                                     "can be reversed", "可枚举标识符的无盐哈希可被还原"),
    "PIPL-6-MINIMISATION": ("warning", "Personal information beyond the declared purpose",
                            "个人信息超出登记的处理目的"),
    "PIA-SQL-PARSE": ("warning", "A migration statement pia could not read",
                      "pia 无法读取的迁移语句"),
}

#: rule id → the severity its ruleset declares, for when the rulesets cannot be loaded; a
#: statement pia could not read is no finding of the law, so its severity is low
_BUILTIN_SEVERITY = {"PIPL-28-SENSITIVE-PLAINTEXT": "critical", "GB35273-6.3-RAW-BIOMETRIC": "high",
                     "PIPL-51-ENCRYPT-DEIDENT": "medium", "PIPL-73-PSEUDONYM-REVERSIBLE": "high",
                     "PIPL-6-MINIMISATION": "medium", "PIA-SQL-PARSE": "low"}


def _notes(ref: dict[str, Any], lang: str) -> str:
    """A quote's notes (the CSL's 2016 words, a number inferred) in brackets, as every report
    says them beside the quote (``reference_notes``)."""
    notes = reference_notes(ref, lang)
    return t("paren_fmt", lang).format(text="", inner=notes) if notes else ""


@cache
def _loaded() -> dict[str, Any]:
    try:
        from pia.rules import load_rulesets

        return {rule.id: rule for ruleset in load_rulesets() for rule in ruleset.rules}
    except Exception:  # noqa: BLE001 — rulesets are optional decoration here
        return {}


#: the triggers a migration's column can meet: a type sensitive of its kind. A migration
#: holds no rows, so no child's data (PIPL 28's minors clause, ``children``), and no asset
_MIGRATION_TRIGGERS = frozenset({"sensitive_type"})


def _references(rule: Any) -> list[dict[str, Any]]:
    """The references a migration finding of ``rule`` cites, as a scan finding cites those
    whose triggers hold (``pia.rules.findings``), without the ``triggers`` key; not one cited
    only when a finding is raised for sensitive PI (``raised_for``): a migration's finding
    stands at the rule's own severity."""
    return [{k: v for k, v in r.items() if k != "triggers"}
            for r in rule.get("references", [])
            if (not r.get("triggers") or _MIGRATION_TRIGGERS.intersection(r["triggers"]))
            and "raised_for" not in r]


def cite(rule_id: str, lang: str = "en") -> str:
    """``PIPL Art. 28; PIPL Art. 51(3)`` (zh: ``PIPL 第28条；PIPL 第51条(三)``): the
    articles a rule rests on, cited as the reports cite them, or '' when unknown."""
    rule = _loaded().get(rule_id)
    if rule is None:
        return ""
    sep = "；" if lang == "zh" else "; "
    return sep.join(article_text(r, lang) for r in _references(rule))


def rule_info(rule_id: str, lang: str = "en") -> dict[str, Any]:
    """Title, description, remediation, default level, severity and references of a rule
    id, in ``lang`` (zh, en; bo falls back to English). Legal quotes stay in the original.
    The severity is the one the ruleset declares for the rule, as ``pia scan``'s SARIF ranks
    it (``pia.reports.sarif.declared_severity``), so code scanning ranks an alert of either
    tool alike."""
    zh = lang == "zh"
    level, title_en, title_zh = _BUILTIN.get(rule_id, ("warning", rule_id, rule_id))
    rule = _loaded().get(rule_id)
    if rule is None:
        title = title_zh if zh else title_en
        return {"title": title, "description": title, "remediation": title, "level": level,
                "severity": _BUILTIN_SEVERITY.get(rule_id, "medium"), "references": []}
    refs = _references(rule)
    sep, colon = ("；", "：") if zh else ("; ", ": ")
    quotes = sep.join(f"{article_text(r, lang)}{_notes(r, lang)}{colon}「{r['quote']}」"
                      for r in refs if r.get("quote"))
    if zh:
        description = f"{rule['title']['zh']}。{quotes}".strip()
    else:
        description = f"{rule['title']['en']} / {rule['title']['zh']}. {quotes}".strip()
    key = "zh" if zh else "en"
    return {
        "title": rule["title"][key],
        "description": description,
        "remediation": rule["remediation"][key],
        "level": level,
        "severity": rule.get("severity") or _BUILTIN_SEVERITY.get(rule_id, "medium"),
        "references": refs,
    }
