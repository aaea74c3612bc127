"""A migration finding cites the law as a report of ``pia scan`` does: one citation
function (``pia.reports.references.article_text``) serves both, so the same article reads the same
in the terminal, SARIF and the HTML report (English clauses in Arabic numerals, a standard's
section as standards write it)."""

from __future__ import annotations

import pytest

from pia.migrations.finding import RULE_IDS
from pia.migrations.rules import _loaded, cite, rule_info
from pia.reports.references import article_text


@pytest.mark.parametrize(("rule_id", "lang", "expected"), [
    ("PIPL-28-SENSITIVE-PLAINTEXT", "en",
     "PIPL Art. 28; PIPL Art. 51(3); GB/T 35273-2020 6.3 a)"),
    ("PIPL-28-SENSITIVE-PLAINTEXT", "zh",
     "《个人信息保护法》第二十八条；《个人信息保护法》第五十一条第（三）项；"
     "GB/T 35273-2020 6.3 a)"),
    ("PIPL-28-SENSITIVE-PLAINTEXT", "bo",
     "PIPL Art. 28; PIPL Art. 51(3); GB/T 35273-2020 6.3 a)"),
    ("PIPL-51-ENCRYPT-DEIDENT", "en", "PIPL Art. 51(3)"),
    ("PIPL-73-PSEUDONYM-REVERSIBLE", "zh", "《个人信息保护法》第七十三条第（三）项"),
    ("NO-SUCH-RULE", "en", ""),
])
def test_cite(rule_id: str, lang: str, expected: str) -> None:
    assert cite(rule_id, lang) == expected


@pytest.mark.parametrize("lang", ["zh", "en", "bo"])
@pytest.mark.parametrize("rule_id", sorted(RULE_IDS))
def test_migration_citations_are_the_reports(rule_id: str, lang: str) -> None:
    rule = _loaded().get(rule_id)
    if rule is None:  # PIA-SQL-PARSE cites no law
        assert cite(rule_id, lang) == ""
        return
    # as a scan finding cites those whose triggers hold: a migration's column can be of a
    # sensitive type, never a child's data (it holds no rows); a migration's finding stands
    # at the rule's own severity, so not what a finding raised for sensitive PI cites
    refs = [r for r in rule["references"]
            if (not r.get("triggers") or "sensitive_type" in r["triggers"])
            and "raised_for" not in r]
    sep = "；" if lang == "zh" else "; "
    assert cite(rule_id, lang) == sep.join(article_text(r, lang) for r in refs)
    description = rule_info(rule_id, lang)["description"]
    for ref in refs:
        if ref.get("quote"):
            assert article_text(ref, lang) in description


@pytest.mark.parametrize(("ref", "expected"), [
    ({"law": "GB/T 35273-2020", "article": "6.3", "clause": "a)"}, "GB/T 35273-2020 6.3 a)"),
    ({"law": "GB/T 35273-2020", "article": "6.3", "clause": "(a)"}, "GB/T 35273-2020 6.3(a)"),
    ({"law": "GB/T 35273-2020", "article": "6.3"}, "GB/T 35273-2020 6.3"),
])
def test_standard_sections(ref: dict[str, str], expected: str) -> None:
    for lang in ("zh", "en"):
        assert article_text(ref, lang) == expected


def test_a_migration_does_not_cite_the_minors_clause() -> None:
    """PIPL-28-SENSITIVE-PLAINTEXT cites Art. 28's minors clause for children's data only
    (cn-pipl 2026.18): a migration adds a column, no child's row, and cites Art. 28 once."""
    assert cite("PIPL-28-SENSITIVE-PLAINTEXT", "en").count("PIPL Art. 28") == 1
    assert "不满十四周岁" not in rule_info("PIPL-28-SENSITIVE-PLAINTEXT", "zh")["description"]
    assert all("triggers" not in r
               for r in rule_info("PIPL-28-SENSITIVE-PLAINTEXT", "en")["references"])
