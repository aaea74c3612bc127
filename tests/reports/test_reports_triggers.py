"""A rule with triggers (PIPL 55) rendered from a real scan: each finding cites only the clauses
that apply to its asset, so a rule's law is the union of its findings' (in the ruleset's order)
and each row says its own; its evidence says why (triggers) and where the data goes
(transfers) in the report's language, declared company names shown and scanned PI not."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from pia.cli import main
from pia.reports import render
from pia.reports.evidence import readable_evidence, safe_evidence
from pia.reports.i18n import t
from pia.reports.references import cited_references

RULE = "PIPL-55-PIA-TRIGGER"
DECLARATION = """\
version: 1
organisation: {name: 示例科技有限公司, ciio: false}
assets:
  - {id: ids, source: e/ids, activities: [membership]}
  - {id: crm, source: e/crm, activities: [membership],
     recipients: [Example Pte Ltd, 某广告联盟有限公司]}
  - {id: export, source: e/export, activities: [membership]}
activities:
  - {id: membership, purpose: 会员服务, legal_basis: contract}
cross_border:
  - {asset: export, destination: SG, recipient: Example Pte Ltd, mechanism: standard_contract}
"""
#: the clauses each asset's finding cites, and the union a rule's section cites, by language
ARTICLES = {"zh": ["《个人信息保护法》第五十五条", "《个人信息保护法》第五十五条第（一）项",
                   "《个人信息保护法》第五十五条第（三）项",
                   "《个人信息保护法》第五十五条第（四）项"],
            "en": ["PIPL Art. 55", "PIPL Art. 55(1)", "PIPL Art. 55(3)", "PIPL Art. 55(4)"]}


def _cited(articles: list[str], lang: str) -> list[str]:
    """The articles a line of citations names: in Chinese, Art. 55 beside its own item is said
    once, by the item (QA: PIPL 第55条；PIPL 第55条(一) cited the article twice)."""
    return articles[1:] if lang == "zh" and len(articles) > 1 else articles
OWN = {"ids": 1, "crm": 2, "export": 3}  # index of the clause besides Art. 55
TRIGGERS = {"zh": {"ids": "处理敏感个人信息", "crm": "向其他个人信息处理者提供",
                   "export": "向境外提供（已登记）"},
            "en": {"ids": "sensitive PI processed", "crm": "provided to other processors",
                   "export": "transferred abroad (declared)"}}
TRANSFER = {"zh": "目的地：SG，境外接收方：Example Pte Ltd，出境途径：标准合同",
            "en": "Destination: SG, Recipient abroad: Example Pte Ltd, "
                  "Mechanism: standard contract"}
WITHHELD = ("[withheld]", "〔未显示〕")


def _resident_id(base: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return base + "10X98765432"[sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A scan of three directories, one per declared asset: resident IDs (sensitive), mobiles
    provided to recipients, mobiles transferred abroad; no asset has an impact assessment."""
    root = tmp_path_factory.mktemp("estate")
    rng = random.Random(5)
    for name in ("ids", "crm", "export"):
        (root / "e" / name).mkdir(parents=True)
    (root / "e/ids/ids.csv").write_text("member_no,id_card\n" + "".join(
        f"M{i},{_resident_id(f'11010519900307{i:03d}')}\n" for i in range(100, 130)), "utf-8")
    for name in ("crm", "export"):
        (root / f"e/{name}/{name}.csv").write_text("member_no,mobile\n" + "".join(
            f"M{i},13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}\n"
            for i in range(30)), "utf-8")
    (root / "pia.yaml").write_text(DECLARATION, "utf-8")
    out = root / "report.json"
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", *(str(root / "e" / n) for n in ("ids", "crm", "export")), "--config",
              str(root / "pia.yaml"), "--executor", "serial", "-q", "-o", str(out)])
    assert exit_info.value.code == 1
    report = json.loads(out.read_text("utf-8"))
    found = {f["evidence"]["asset"]: f for f in report["findings"] if f["rule_id"] == RULE}
    assert {a: [r.get("clause", "") for r in f["references"]] for a, f in found.items()} == {
        "ids": ["", "(一)"], "crm": ["", "(三)"], "export": ["", "(四)"]}
    return report


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["md", "html", "table"])
def test_a_rule_cites_every_clause_its_findings_cite(scanned: dict[str, Any], fmt: str,
                                                     lang: str) -> None:
    out = render(scanned, fmt, lang=lang, width=400)
    articles = ARTICLES[lang]
    sep = "；" if lang == "zh" else "; "  # as Chinese text separates
    union = sep.join(_cited(articles, lang))
    assert union in out  # the overview row of the rule: every clause, in the ruleset's order
    if fmt == "table":  # the terminal lists places, each with the clauses it cites
        lines = out[out.index(f"{RULE}{'（' if lang == 'zh' else ' ('}"):].splitlines()
        for asset, n in OWN.items():
            place = next(i for i, line in enumerate(lines) if f" {asset} (" in line
                         or f" {asset}（" in line)
            assert lines[place + 1].strip().endswith(
                sep.join(_cited([articles[0], articles[n]], lang)))
        return
    start = out.index(f"{RULE}</code> <span" if fmt == "html" else f"{RULE}` (")
    section = out[start:out.index(t("remediation", lang), start)]  # the rule's law
    assert [a for a in articles if a in section] == articles
    assert [section.index(a) for a in articles] == sorted(section.index(a) for a in articles)
    rows = out[out.index(section) + len(section):]
    for asset, n in OWN.items():
        row = next(line for line in rows.split("<tr" if fmt == "html" else "\n")
                   if f"{asset} (" in line or f"{asset}（" in line)
        assert sep.join(_cited([articles[0], articles[n]], lang)) in row  # its own clauses
        assert [a for a in articles[1:] if a in row] == [articles[n]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sarif_rule_cites_the_union_and_each_result_its_own(scanned: dict[str, Any],
                                                            lang: str) -> None:
    run = json.loads(render(scanned, "sarif", lang=lang))["runs"][0]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == RULE)
    assert [r.get("clause", "") for r in rule["properties"]["references"]] == [
        "", "(一)", "(三)", "(四)"]
    sep = "；" if lang == "zh" else "; "
    assert sep.join(_cited(ARTICLES[lang], lang)) in rule["fullDescription"]["text"]
    assert all(a in rule["help"]["text"] and a in rule["help"]["markdown"]
               for a in ARTICLES[lang])
    own = {r["properties"]["evidence"]["asset"]: r["properties"]["legalBasis"]
           for r in run["results"] if r["ruleId"] == RULE}
    assert own == {asset: _cited([ARTICLES[lang][0], ARTICLES[lang][n]], lang)
                   for asset, n in OWN.items()}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["md", "html", "sarif"])
def test_triggers_and_transfers_are_said_in_the_reports_language(scanned: dict[str, Any],
                                                                 fmt: str, lang: str) -> None:
    out = render(scanned, fmt, lang=lang, width=400)
    if fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        evidence = {r["properties"]["evidence"]["asset"]: r["properties"]["evidence"]
                    for r in results if r["ruleId"] == RULE}
        assert {a: e["triggers"] for a, e in evidence.items()} == TRIGGERS[lang]
        assert evidence["export"]["transfers"] == TRANSFER[lang]
        assert evidence["crm"]["recipients"] == "Example Pte Ltd, 某广告联盟有限公司"
        return
    colon = {"zh": "：", "en": ": "}[lang]  # full-width after a Chinese label
    label = {"zh": ("触发条件", "向境外提供", "接收方"),
             "en": ("Triggers", "Cross-border transfers", "Recipients")}[lang]
    for asset, trigger in TRIGGERS[lang].items():
        assert f"{label[0]}{colon}{'`' if fmt == 'md' else '<span class=mono>'}{trigger}" \
            in out, asset
    assert TRANSFER[lang] in out and f"{label[1]}{colon}" in out
    assert "Example Pte Ltd, 某广告联盟有限公司" in out and f"{label[2]}{colon}" in out
    assert not any(w in out for w in WITHHELD)


def test_tibetan_html_marks_the_english_labels(scanned: dict[str, Any]) -> None:
    out = render(scanned, "html", lang="bo")
    assert '<span lang="en">Triggers</span>' in out
    assert f'<span lang="en">{TRANSFER["en"]}</span>' in out


W = "[withheld]"


@pytest.mark.parametrize(("evidence", "expected"), [
    # a declared recipient is a company's name: spaces and brackets are no reason to withhold
    ({"recipients": ["Example Pte Ltd", "某某（北京）有限公司", "Foo & Co."]},
     [("recipients", "Example Pte Ltd, 某某（北京）有限公司, Foo & Co.")]),
    # what could be a person's number or address is withheld there too
    ({"recipients": ["a@b.cn", "138 0013 8000", "13800138000", "x\ny"]},
     [("recipients", f"{W}, {W}, {W}, {W}")]),
    ({"transfers": [{"asset": "export", "destination": "SG", "recipient": "Example Pte Ltd",
                     "mechanism": "standard_contract", "x-note": "张伟 13800138000"},
                    {"asset": "b", "mechanism": "certification", "recipient": "dpo@x.sg"},
                    "SG"]},
     [("transfers", "{destination: SG, recipient: Example Pte Ltd, mechanism: standard_contract}"
                    f", {{recipient: {W}, mechanism: certification}}, {W}")]),
    # other keys keep the token rule: scanned values with spaces are not shown
    ({"grants": ["Example Pte Ltd"]}, [("grants", W)]),
])
def test_declared_names_are_shown_and_pi_is_not(evidence: dict[str, Any],
                                                expected: list[tuple[str, str]]) -> None:
    assert safe_evidence(evidence, "en") == expected


def test_an_unknown_trigger_and_mechanism_are_shown_as_they_are() -> None:
    rows = dict(readable_evidence({"triggers": ["sensitive", "custom_trigger"],
                                   "transfers": [{"mechanism": "bilateral"}]}, "zh"))
    assert rows == {"triggers": "处理敏感个人信息，custom_trigger",
                    "transfers": "出境途径：bilateral"}


def _refs(*clauses: str, law: str = "PIPL", article: str = "55") -> dict[str, Any]:
    return {"references": [{"law": law, "article": article, "quote": c or "q",
                            **({"clause": c} if c else {})} for c in clauses]}


@pytest.mark.parametrize(("findings", "expected"), [
    # clauses no finding cites together go by number, after the article itself
    ([_refs("", "(四)"), _refs("", "(三)"), _refs("", "(一)")], ["", "(一)", "(三)", "(四)"]),
    # an order some finding shows is the ruleset's and is kept, numbers notwithstanding
    ([_refs("(三)"), _refs("(二)", "(一)")], ["(二)", "(一)", "(三)"]),
    ([_refs("", "(一)"), _refs("", "(一)")], ["", "(一)"]),
])
def test_cited_references_keep_the_rulesets_order(findings: list[dict[str, Any]],
                                                  expected: list[str]) -> None:
    assert [r.get("clause", "") for r in cited_references(findings)] == expected


def test_a_law_listed_first_by_a_finding_stays_first() -> None:
    findings = [{"references": [{"law": "CSL", "article": "21", "quote": "a"},
                                {"law": "PIPL", "article": "51", "quote": "b"}]},
                {"references": [{"law": "PIPL", "article": "51", "quote": "b"}]}]
    assert [r["law"] for r in cited_references(findings[::-1])] == ["CSL", "PIPL"]


def test_the_estate_is_not_in_the_reports(scanned: dict[str, Any], tmp_path: Path) -> None:
    from test_reports_selfscan import _detect

    for fmt in ("md", "html", "sarif", "table"):
        for lang in ("zh", "en"):
            assert _detect(render(scanned, fmt, lang=lang, width=400)) == [], (fmt, lang)
