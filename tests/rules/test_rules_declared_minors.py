"""An asset declared ``minors: true`` holds children's data even where no age shows: a table
of pupils' names alone (no birth date, no resident ID) was judged by its items' own types, so
a school that declared its pupils minors and took no guardian's consent met no PIPL-31
finding. Its PI now counts as children's data, a guardian's column beside it excepted, and
the findings say where that was learnt (``minors_from``). Real SQLite scans."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest

from pia.declaration import load_declaration_text
from pia.rules import apply_rules, evaluate, load_rulesets
from tests.rules.test_rules_scanned import scan, table_db

TODAY = dt.date(2026, 11, 30)
PUPILS = ["王芳", "李娜", "张伟", "刘洋", "陈静", "杨敏", "赵磊", "黄勇", "周杰", "吴霞"]


def _declaration(minors: bool) -> str:
    return f"""\
version: 1
assets:
  - id: school
    source: pupils.db
    minors: {str(minors).lower()}
    activities: [enrol]
activities:
  - {{id: enrol, purpose: 入学登记, legal_basis: consent, consent: {{separate: true}}}}
"""


@pytest.fixture(scope="module")
def pupils(tmp_path_factory) -> tuple[Path, dict]:
    """A table of pupils' names, with their guardians' mobiles beside them: no age."""
    root = tmp_path_factory.mktemp("pupils")
    table_db(root, "pupils.db", "create table xuesheng (xm text, jianhuren_shouji text)",
             [(name, f"1381234{n:04d}") for n, name in enumerate(PUPILS)])
    report = scan(root, "pupils.db")
    assert {i["location"]["column"]: i["entity_type"] for i in report["inventory"]} == {
        "xm": "CN_NAME", "jianhuren_shouji": "CN_MOBILE"}
    assert not any(f["attributes"].get("minors_count") for f in report["facts"])
    return root, report


def _findings(pupils: tuple[Path, dict], declaration: str | None) -> dict[str, list[dict]]:
    root, report = pupils
    decl = None
    if declaration is not None:
        decl = load_declaration_text(declaration, str(root / "pia.yaml"))
        decl.bind(report)
    result = evaluate(load_rulesets(), report["inventory"], report["facts"], decl, today=TODAY)
    found: dict[str, list[dict]] = {}
    for finding in result.findings:
        found.setdefault(finding["rule_id"], []).append(finding)
    return found


def test_declared_minors_make_a_table_of_names_childrens_data(pupils) -> None:
    found = _findings(pupils, _declaration(minors=True))
    (minors,) = found["PIPL-31-MINORS"]
    assert minors["locations"][0]["column"] == "xm"  # the guardians' mobiles are an adult's
    assert minors["evidence"]["minors_from"] == "declared"
    assert not minors["evidence"].get("minors_count")  # no child was counted
    (plain,) = found["PIPL-28-SENSITIVE-PLAINTEXT"]  # a child's name is sensitive PI
    assert plain["locations"][0]["column"] == "xm"
    assert plain["evidence"]["triggers"] == ["children"]
    assert plain["evidence"]["minors_from"] == "declared"
    (label,) = [f for f in found["PIPL-51-CLASSIFICATION"]
                if f["locations"][0]["column"] == "xm"]
    assert label["severity"] == "high"  # medium, raised for the declared children
    assert label["evidence"]["severity_raised"] == {"from": "medium", "reason": "minors"}
    assert not any(f["evidence"].get("minors_from") for f in found["PIPL-51-CLASSIFICATION"]
                   if f["locations"][0]["column"] == "jianhuren_shouji")


@pytest.mark.parametrize("declaration", [None, _declaration(minors=False)])
def test_without_minors_declared_a_table_of_names_is_no_childs(pupils, declaration) -> None:
    found = _findings(pupils, declaration)
    assert "PIPL-31-MINORS" not in found
    assert "PIPL-28-SENSITIVE-PLAINTEXT" not in found
    assert not any("minors_from" in f["evidence"] for fs in found.values() for f in fs)


def test_the_report_says_where_the_childrens_data_was_learnt(pupils) -> None:
    from pia.reports.evidence import readable_evidence

    (minors,) = _findings(pupils, _declaration(minors=True))["PIPL-31-MINORS"]
    rows = dict(readable_evidence(minors["evidence"], "en"))
    assert rows["minors_from"] == "the declaration (minors: true), no age seen"
    assert dict(readable_evidence(minors["evidence"], "zh"))["minors_from"].startswith(
        "处理活动清单登记")


def _evaluated(pupils, minors: bool) -> dict:
    """The pupils' scan evaluated as ``pia scan --config`` does, by an organisation of 20
    million subjects whose last audit is years old (PIPL-54)."""
    root, report = pupils
    text = _declaration(minors).replace(
        "assets:", "organisation: {name: 示例学校, subjects: 20000000, last_pi_audit: 2020-01-01}"
        "\nassets:")
    decl = load_declaration_text(text, str(root / "pia.yaml"))
    return apply_rules(copy.deepcopy(report), load_rulesets(), decl)


def test_declared_minors_count_as_sensitive_where_sensitive_pi_is_counted(pupils) -> None:
    """The pupils' names counted no sensitive PI in the inventory (Sensitive: 0 for the
    source, "no" beside xm) and the organisation held no children's data (PIPL-54 not
    raised), while the names' own findings were children's data: PIPL 28 makes a child's PI
    sensitive, and the declaration says whose it is."""
    from pia.reports.i18n import item_sensitivity
    from pia.reports.view import per_source

    report = _evaluated(pupils, minors=True)
    marked = {i["location"]["column"]: i.get("children_declared") for i in report["inventory"]}
    assert marked == {"xm": True, "jianhuren_shouji": None}  # the guardians' are adults'
    assert [row["sensitive"] for row in per_source(report)] == [1]
    (names,) = [i for i in report["inventory"] if i["location"]["column"] == "xm"]
    assert item_sensitivity(names, "en") == "yes (children's PI, declared minors: true)"
    (audit,) = [f for f in report["findings"] if f["rule_id"] == "PIPL-54-AUDIT-SCALE"]
    assert audit["severity"] == "high" and audit["evidence"]["minors_from"] == "declared"
    assert audit["evidence"]["severity_raised"] == {"from": "medium", "reason": "minors"}

    # marked afresh at each evaluation: a declaration without the minors takes them away
    root, _ = pupils
    apply_rules(report, load_rulesets(),
                load_declaration_text(_declaration(False), str(root / "pia.yaml")))
    assert not any("children_declared" in i for i in report["inventory"])
    assert [row["sensitive"] for row in per_source(report)] == [0]
    report = _evaluated(pupils, minors=False)
    (audit,) = [f for f in report["findings"] if f["rule_id"] == "PIPL-54-AUDIT-SCALE"]
    assert audit["severity"] == "medium" and "minors_from" not in audit["evidence"]
