"""A custom ruleset's references are marked as not checked against the law texts in every
format (QA: an invented 《个人信息保护法》第四条 and a 《网络安全法》第九十九条 were rendered in a
blockquote exactly like the bundled rulesets' verified quotes)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from reports_scan import LOG_AND_EXPORT

from pia.cli import main
from pia.reports import render

INVENTED = "个人信息处理者可以随意处理个人信息"
CUSTOM = f"""\
ruleset: my-rules
version: "1"
title: {{zh: 自定义, en: Custom}}
rules:
  - id: MY-INVENTED-QUOTE
    title: {{zh: 测试规则, en: Test rule}}
    severity: high
    scope: [log, db, object]
    applies_to: [item]
    references:
      - law: PIPL
        article: "4"
        quote: {INVENTED}
    when:
      all:
        - plaintext
    remediation: {{zh: 无, en: none}}
"""
MARK = {"zh": "自定义规则集引文，未经核对", "en": "quote from a custom ruleset, not checked"}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One real scan of a log and an export with the bundled rulesets and a custom one, in
    every format and both languages."""
    tmp = tmp_path_factory.mktemp("custom")
    root = tmp / "logs"
    root.mkdir()
    for name, text in LOG_AND_EXPORT.items():
        (root / name).write_text(text, encoding="utf-8")
    ruleset = tmp / "my-rules.yaml"
    ruleset.write_text(CUSTOM, encoding="utf-8")
    out: dict[str, Path] = {}
    for lang in ("zh", "en"):
        files = {f"{ext}-{lang}": tmp / f"report-{lang}.{ext}"
                 for ext in ("json", "html", "md", "sarif", "txt")}
        args = ["scan", str(root), "--ruleset", str(ruleset), "--lang", lang,
                "--executor", "serial", "-q"]
        for path in files.values():
            args += ["-o", str(path)]
        with pytest.raises(SystemExit):
            main(args)
        out.update(files)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_and_markdown_mark_the_custom_quote_and_only_it(outputs: dict[str, Path],
                                                            lang: str) -> None:
    html = outputs[f"html-{lang}"].read_text("utf-8")
    quotes = re.findall(r"<div><strong>[^<]*</strong>(?: <span class=\"note\">\(([^)]*)\)</span>)?"
                        r"<blockquote[^>]*>([^<]*)</blockquote>", html)
    assert len(quotes) > 1
    assert all((note == MARK[lang]) == (quote == INVENTED) for note, quote in quotes), quotes
    markdown = outputs[f"md-{lang}"].read_text("utf-8")
    lines = markdown.splitlines()
    at = next(i for i, line in enumerate(lines) if INVENTED in line)
    assert MARK[lang] in lines[at - 2], lines[at - 2]
    bundled = [line for line in lines if line.startswith("- ") and MARK[lang] not in line
               and "PIPL Art. 4" not in line and "第四条" not in line]
    assert bundled, "the bundled rules' references are listed unmarked"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_place_that_names_the_custom_article_marks_it(outputs: dict[str, Path],
                                                           lang: str) -> None:
    """The findings table, the count by article, the terminal and SARIF's legal basis: an
    article label without its quote is marked too."""
    article = "《个人信息保护法》第四条" if lang == "zh" else "PIPL Art. 4"
    marked = (f"{article}（{MARK[lang]}）" if lang == "zh" else f"{article} ({MARK[lang]})")
    for fmt in ("html", "md"):
        text = outputs[f"{fmt}-{lang}"].read_text("utf-8")
        # the table, the count by article, the quote's heading (a note beside it there)
        followed = re.findall(re.escape(article) + r"((?:（| \(|</strong> <span class=\"note\">\()"
                              + re.escape(MARK[lang]) + ")?", text)
        assert len(followed) >= 3 and all(followed), (fmt, followed)
    report = json.loads(outputs[f"json-{lang}"].read_text("utf-8"))
    terminal = render(report, "table", lang=lang, width=300)  # a row on one line
    assert terminal.count(article) == terminal.count(marked) == 1
    run = json.loads(outputs[f"sarif-{lang}"].read_text("utf-8"))["runs"][0]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "MY-INVENTED-QUOTE")
    assert MARK[lang] in rule["help"]["text"] and MARK[lang] in rule["help"]["markdown"]
    assert marked in rule["fullDescription"]["text"]
    assert rule["properties"]["references"][0]["checkedAgainstLaw"] is False
    others = [r for r in run["tool"]["driver"]["rules"] if r["id"] != "MY-INVENTED-QUOTE"]
    assert others and not any("checkedAgainstLaw" in ref for r in others
                              for ref in r["properties"].get("references", []))
    results = [r for r in run["results"] if r["ruleId"] == "MY-INVENTED-QUOTE"]
    assert results and all(r["properties"]["legalBasis"] == [marked] for r in results)


def test_the_json_contract_is_unchanged(outputs: dict[str, Path]) -> None:
    """The mark is the formats' saying: the report keeps the ruleset's reference as written
    (bundles re-derive findings from it)."""
    report: dict[str, Any] = json.loads(outputs["json-zh"].read_text("utf-8"))
    refs = [f["references"] for f in report["findings"] if f["rule_id"] == "MY-INVENTED-QUOTE"]
    assert refs and all(r == [{"law": "PIPL", "article": "4", "quote": INVENTED}] for r in refs)


def test_a_bundle_of_it_verifies_and_shows_the_mark(outputs: dict[str, Path],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The mark is the renderers' alone: the bundle re-derives the same findings from the
    custom ruleset it carries and verifies, and the report it shows is marked."""
    folder = outputs["json-zh"].parent
    key, bundle = folder / "signing.key", folder / "audit.zip"
    for args in (["keygen", str(key)],
                 ["bundle", "create", str(outputs["json-zh"]), "--key", str(key), "--ruleset",
                  str(folder / "my-rules.yaml"), "-o", str(bundle)],
                 ["bundle", "verify", str(bundle), "--pubkey", f"{key}.pub"]):
        with pytest.raises(SystemExit) as exit_:
            main(args)
        assert exit_.value.code in (0, None), (args, capsys.readouterr())
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["bundle", "show", str(bundle), "--pubkey", f"{key}.pub", "--format", "html"])
    shown = capsys.readouterr().out
    assert f'({MARK["zh"]})</span><blockquote lang="zh-Hans">{INVENTED}' in shown
