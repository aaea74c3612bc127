"""The statutes' numbering `pia rulesets validate` checks custom references against
(``pia.rules.statutes``) is the law texts' own, and a reference past it is warned of, not
refused (QA: a custom ruleset citing CSL article "99" validated "ok" and was rendered as law).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rules_references import (
    LAW_FILES,
    chinese_number,
    law_text,
    needs_law,
    stated_csl_moves,
)

from pia.cli import main
from pia.rules import load_rulesets
from pia.rules.statutes import CSL_2016_LAST_ARTICLE, CSL_MOVES, LAST_ARTICLE, ruleset_warnings


@needs_law
@pytest.mark.parametrize("law", sorted(LAW_FILES))
def test_the_last_articles_are_those_of_the_law_texts(law: str) -> None:
    last = CSL_2016_LAST_ARTICLE if law == "CSL" else LAST_ARTICLE[law]
    text = law_text(law)
    assert f"\n第{chinese_number(last)}条 " in text
    assert f"\n第{chinese_number(last + 1)}条 " not in text


@needs_law
def test_the_csl_moves_are_those_the_law_folder_states() -> None:
    assert stated_csl_moves() == CSL_MOVES


def test_the_bundled_rulesets_give_no_warning() -> None:
    assert [w for r in load_rulesets() for w in ruleset_warnings(r)] == []


CUSTOM = """\
ruleset: acme-internal
version: "1"
title: {zh: 内部规则, en: Internal rules}
rules:
  - id: ACME-1
    title: {zh: 测试, en: Test}
    severity: medium
    scope: [db]
    applies_to: [item]
    references:
      - {law: PIPL, article: "51", quote: 采取相应的加密、去标识化等安全技术措施}
      - {law: PIPL, article: "99", quote: 本句为测试引文}
      - {law: CSL, article: "99", article_2016: "21", quote: 本句为测试引文}
      - {law: CSL, article: "82", article_2016: "80", quote: 本句为测试引文}
      - {law: DSL, article: "56", quote: 本句为测试引文}
      - {law: NDSR, article: "64", quote: 本句为测试引文}
      - {law: GB/T 35273-2020, article: "6.3", quote: 本句为测试引文, verified: false}
      - {law: CSL, article: "23", article_2016: "22", quote: 本句为测试引文}
    when: {all: [plaintext]}
    remediation: {zh: 无, en: none}
"""


def test_validate_warns_of_articles_the_law_does_not_have(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(CUSTOM, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["rulesets", "validate", str(path)])
    out, err = capsys.readouterr()
    assert exit_.value.code in (0, None)
    assert out.startswith(f"{path}: ok (acme-internal 1, 1 rule")
    assert err.splitlines() == [
        f"pia: warning: {path}:12: ACME-1: PIPL article 99 does not exist (the PIPL has 74 "
        "articles)",
        f"pia: warning: {path}:13: ACME-1: CSL article 99 with article_2016 21: the 2025 "
        "amendment made 2016 article 21 article 23",
        f"pia: warning: {path}:14: ACME-1: CSL article_2016 80 does not exist (the 2016 CSL "
        "has 79 articles)",
        f"pia: warning: {path}:15: ACME-1: DSL article 56 does not exist (the DSL has 55 "
        "articles)",
        f"pia: warning: {path}:18: ACME-1: CSL article 23 with article_2016 22: the 2025 "
        "amendment made 2016 article 21 article 23",
    ]
