"""What pia knows of the statutes rulesets cite, enough to catch an article that cannot exist.

``pia rulesets validate`` warns (it does not refuse: a ruleset may cite a law pia has no text
of, or a numbering pia does not know) when a reference cites an article past the statute's
last one, or pairs a 2016 CSL number with a 2026 number that is not the one the amendment
gave it. A custom ruleset's quotes are otherwise never checked (the reports say so,
``pia.reports.references.from_custom_ruleset``); these are the checks that need no law text.

The numbers come from the texts in /work/shared/law (tests/rules/test_rules_statutes.py reads
them there): the last article of each text, and the moves its README states for the CSL's
2025 amendment. The consolidated 2026 CSL is not among them, so its last article is not
known and a 2026 number is checked only against a stated move.
"""

from __future__ import annotations

from collections.abc import Iterator

from pia.rules.loader import Ruleset
from pia.rules.yamlsafe import YamlProblem, parse, where

#: the last article of each statute pia has the text of; the CSL's is that of its 2016 text
#: (``article_2016``), which the bundled rulesets quote
LAST_ARTICLE = {"PIPL": 74, "DSL": 55, "NDSR": 64}
CSL_2016_LAST_ARTICLE = 79
#: CSL articles the 2025 amendment moved, 2016 number → 2026 number, as the law folder's
#: README states them ("old 21 is now 23, old 37 is now 39, old 40–43 are now 42–45, old 59
#: is now 61"); its control catalogue gives the same numbers but marks 43–45 inferred, which
#: the bundled rulesets say (``numbering_inferred``)
CSL_MOVES = {"21": "23", "37": "39", "40": "42", "41": "43", "42": "44", "43": "45",
             "59": "61"}
#: the 2026 number of a moved article → its 2016 number
_MOVED_FROM = {new: old for old, new in CSL_MOVES.items()}


def _number(value: object) -> int | None:
    """An article number as written (``"51"``), None for a section (``6.3``) or a word."""
    return int(value) if isinstance(value, str) and value.isdigit() else None


def reference_problems(ref: dict[str, object]) -> Iterator[str]:
    """Why a reference cannot be right, as far as the statutes' numbering tells."""
    law = ref.get("law")
    article, old = _number(ref.get("article")), _number(ref.get("article_2016"))
    if law in LAST_ARTICLE and article is not None and article > LAST_ARTICLE[law]:
        yield (f"{law} article {article} does not exist (the {law} has "
               f"{LAST_ARTICLE[law]} articles)")
    if law != "CSL" or old is None:
        return
    if old > CSL_2016_LAST_ARTICLE:
        yield (f"CSL article_2016 {old} does not exist (the 2016 CSL has "
               f"{CSL_2016_LAST_ARTICLE} articles)")
    moved = CSL_MOVES.get(str(old))
    if moved is not None and str(ref.get("article")) != moved:
        yield (f"CSL article {ref.get('article')} with article_2016 {old}: the 2025 amendment "
               f"made 2016 article {old} article {moved}")
    came = _MOVED_FROM.get(str(ref.get("article")))
    if moved is None and came is not None and str(old) != came:  # the move read backwards
        yield (f"CSL article {ref.get('article')} with article_2016 {old}: the 2025 amendment "
               f"made 2016 article {came} article {ref.get('article')}")


def ruleset_warnings(ruleset: Ruleset) -> list[str]:
    """``file:line: rule: problem`` for every reference of ``ruleset`` that
    ``reference_problems`` doubts, in the file's order."""
    try:
        doc = parse(ruleset.text)
    except YamlProblem:  # loaded, so parsed before: nothing to place the warnings by
        doc = None
    out = []
    for i, rule in enumerate(ruleset.rules):
        for j, ref in enumerate(rule["references"]):
            line = doc.line(("rules", i, "references", j)) if doc else rule.line
            out += [f"{where(ruleset.origin, line)}: {rule.id}: {problem}"
                    for problem in reference_problems(ref)]
    return out
