"""Which articles findings cite, in what order, and how each reads in a report.

Every format (HTML, Markdown, SARIF, the terminal), ``pia rulesets show``, ``pia
check-migrations`` and the demo cite through these functions, so that one article reads the
same everywhere and a rule's findings list their references in the ruleset's order. How an
article is written in Chinese is ``pia.reports.citation``'s.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from pia.reports.citation import zh_article
from pia.reports.i18n import clause_label, clause_number, t


def article_text(ref: dict[str, Any], lang: str) -> str:
    """``《个人信息保护法》第五十一条第（三）项`` / ``PIPL Art. 51(3)``, with the 2016 number if it
    differs (``pia.reports.citation``); a standard's section as standards write it
    (``GB/T 35273-2020 6.3 a)``). The one citation of an article: reports, ``pia rulesets
    show`` and ``pia check-migrations`` (``pia.migrations.rules``) use it."""
    clause = clause_label(str(ref.get("clause") or ""), lang)
    old = ref.get("article_2016")
    if "." in str(ref["article"]):  # a standard's section (GB/T 35273 6.3), not an article
        sep = "" if not clause or clause.startswith(("(", "（")) else " "
        text = f"{ref['law']} {ref['article']}{sep}{clause}"
    elif lang == "zh":
        return zh_article(str(ref["law"]), str(ref["article"]), clause_number(clause), clause,
                          str(old) if old else None)
    else:
        text = t("article_fmt", lang).format(law=ref["law"], article=ref["article"],
                                             clause=clause)
    if old and old != ref["article"]:
        text += t("article_2016_fmt", lang).format(article=old)
    return text


def article_labels(refs: list[dict[str, Any]], lang: str) -> list[str]:
    """The articles ``refs`` cite, each once, as ``article_text`` says them. In Chinese an
    article beside one of its own items is said once, by the item: ``第五十五条；
    第五十五条第（一）项`` read as the same article cited twice (QA); English lists both, as it
    always has."""
    if lang == "zh":
        items = {(r.get("law"), str(r.get("article"))) for r in refs if r.get("clause")}
        refs = [r for r in refs if r.get("clause")
                or (r.get("law"), str(r.get("article"))) not in items]
    return list(dict.fromkeys(article_text(r, lang) for r in refs))


def from_custom_ruleset(finding: dict[str, Any]) -> bool:
    """Whether a finding comes from a ruleset pia does not ship (``--ruleset my.yaml``), or
    does not say which ruleset it comes from. Only the bundled rulesets' articles and quotes
    are checked against the law texts (tests/rules/test_rules_references.py); a custom one may
    cite an article that does not exist with words the law does not hold, and its report
    must not present them as law (QA). The id decides: a custom ruleset may not take a
    bundled one's id (``pia.rules.load_rulesets`` refuses it), and a report made by an older
    pia still cites the rulesets that pia shipped and checked."""
    from pia.rules.loader import BUNDLED

    return finding.get("ruleset") not in BUNDLED


def reference_notes(ref: dict[str, Any], lang: str, *, custom: bool = False) -> str:
    """What a reader must know of a quote before relying on it, as one note (``引文来自二手
    文本，未经核对; 条号为推定``), "" when none: a quote of a custom ruleset (``custom``,
    ``from_custom_ruleset``), which no one checked against the law, or one the ruleset marks
    unverified (taken from a secondary copy of a standard), one in the words of an earlier text
    of the law than the article number it stands under (``quote_edition``: the CSL's 2016
    wording under its 2026 number), and an article number inferred. Every format that quotes
    a reference says it, so no viewer presents an unchecked quote as verbatim law."""
    if custom:
        notes = [t("custom_quote", lang)]
    else:
        notes = [t("unverified", lang)] if ref.get("verified") is False else []
    if ref.get("quote_edition"):
        notes.append(t("quote_edition", lang).format(edition=ref["quote_edition"]))
    if ref.get("numbering_inferred"):
        notes.append(t("numbering_inferred", lang))
    return t("articles_sep", lang).join(notes)


def _ref_key(ref: dict[str, Any]) -> tuple:
    return tuple(sorted((str(k), str(v)) for k, v in ref.items()))


def cited_references(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The references a rule's findings cite, each once, in the order their ruleset lists them.

    A rule with triggers (PIPL 55) has each finding cite only the clauses that apply to it:
    55 and 55(一) for one asset, 55 and 55(四) for another. Each finding lists its references
    in the ruleset's order, so the union keeps every order some finding shows; references no
    finding cites together (55(三) and 55(四)) go by law, article and clause."""
    refs: dict[tuple, dict[str, Any]] = {}
    before: dict[tuple, set[tuple]] = {}
    laws: dict[str, int] = {}
    for finding in findings:
        previous = None
        for ref in finding.get("references") or []:
            key = _ref_key(ref)
            refs.setdefault(key, ref)
            laws.setdefault(str(ref.get("law")), len(laws))
            if previous is not None and previous != key:
                before.setdefault(key, set()).add(previous)
            previous = key
    seen = {key: n for n, key in enumerate(refs)}

    def rank(key: tuple) -> tuple:
        ref = refs[key]
        clause = str(ref.get("clause") or "")
        return (laws[str(ref.get("law"))],
                [int(n) for n in re.findall(r"\d+", str(ref.get("article")))],
                0 if not clause else clause_number(clause) or 99, seen[key])
    out: list[tuple] = []
    left = set(refs)
    while left:
        ready = [k for k in left if not (before.get(k, set()) & left)] or list(left)  # a cycle
        key = min(ready, key=rank)
        out.append(key)
        left.discard(key)
    return [refs[key] for key in out]


def articles_text(refs: list[dict[str, Any]], lang: str) -> str:
    """References as one line: ``PIPL Art. 55; PIPL Art. 55(4)``, each article once."""
    return t("articles_sep", lang).join(article_labels(refs, lang))


def _marked(text: str, finding: dict[str, Any], lang: str) -> str:
    """``text`` (articles) with "quote from a custom ruleset, not checked" after it when
    ``finding`` comes from one: a summary table, a terminal row or a SARIF property that
    names an article must not read as law that it is not (an invented 第九十九条)."""
    if not text or not from_custom_ruleset(finding):
        return text
    return t("paren_fmt", lang).format(text=text, inner=t("custom_quote", lang))


def rule_articles(findings: list[dict[str, Any]], lang: str) -> str:
    """The articles a rule's findings cite, as one line (``cited_references``), marked when
    the rule is a custom ruleset's: the findings tables of every format show it."""
    return _marked(articles_text(cited_references(findings), lang), findings[0], lang)


def finding_articles(finding: dict[str, Any], lang: str) -> list[str]:
    """The articles one finding cites (``article_labels``), each marked as ``rule_articles``
    marks them."""
    return [_marked(label, finding, lang) for label in article_labels(finding["references"], lang)]


def own_articles(finding: dict[str, Any], cited: list[dict[str, Any]], lang: str) -> str:
    """The articles a finding cites where its rule's findings do not all cite the same (see
    ``cited_references``): its row says them; "" where it cites all its rule's ``cited``."""
    own = finding.get("references") or []
    if {_ref_key(r) for r in own} == {_ref_key(r) for r in cited}:
        return ""
    return _marked(articles_text(own, lang), finding, lang)


def findings_by_article(report: dict[str, Any], lang: str) -> list[tuple[str, int]]:
    """Open findings per cited article (a finding citing two articles counts for both); a
    custom ruleset's article is counted apart, marked (``finding_articles``)."""
    counts: Counter[str] = Counter()
    for finding in report["findings"]:
        if finding.get("status", "open") != "open":
            continue
        for label in finding_articles(finding, lang):
            counts[label] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
