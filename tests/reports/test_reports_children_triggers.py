"""PIPL 28's triggers in a report's words: a finding on children's data says why in the
report's language (不满十四周岁未成年人的个人信息, PI of children under 14), and one on an ID
number says it is a sensitive type as well, not the tokens ``children``/``sensitive_type``
the rules engine names them by (QA: the zh evidence showed 触发条件：`children`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pia.cli import main
from pia.reports import render

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
LABELS = {"zh": ("不满十四周岁未成年人的个人信息", "属于敏感个人信息种类"),
          "en": ("PI of children under 14", "a sensitive type of PI")}


def _resident_id(born: str, n: int) -> str:
    body = f"110105{born}{n:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A pupils' export (a child born 2019, less than 14 years before any scan until 2033)
    with their names, and their guardians' mobiles (an adult's PI: general, no child's)."""
    root = tmp_path_factory.mktemp("pupils")
    (root / "e").mkdir()
    names = ("王小明", "李小红", "张小刚", "赵小丽", "陈小龙")
    (root / "e/pupils.csv").write_text("student_no,name,id_card,guardian_mobile\n" + "".join(
        f"S{i},{names[i % 5]},{_resident_id('20190307', i)},1381234{i:04d}\n"
        for i in range(100, 120)), "utf-8")
    out = root / "report.json"
    with pytest.raises(SystemExit):
        main(["scan", str(root / "e"), "--executor", "serial", "-q", "-o", str(out)])
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_children_and_sensitive_type_triggers_are_said_in_words(
        scanned: dict[str, Any], fmt: str, lang: str) -> None:
    found = [f for f in scanned["findings"] if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT"]
    triggers = sorted(t for f in found for t in f["evidence"]["triggers"])
    assert triggers.count("children") == 2 and triggers.count("sensitive_type") == 1
    out = render(scanned, fmt, lang=lang)
    children, kind = LABELS[lang]
    assert children in out and kind in out
    assert "`children`" not in out and "`sensitive_type`" not in out
    assert ">children<" not in out and ">sensitive_type<" not in out



#: (the mobiles' entity label, their "sensitive" cell, the guardian's words, the IDs' label)
SUBJECT = {"zh": ("手机号码", "否（监护人的个人信息）", "监护人", "居民身份证号码"),
           "en": ("Mobile", "no (the guardian's PI)", "guardian", "Resident ID")}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_guardians_item_says_whose_pi_it_is(scanned: dict[str, Any], fmt: str,
                                                lang: str) -> None:
    """The guardians' mobiles beside the pupils' IDs: their inventory row says they are the
    guardian's PI (a manager reading "no" beside the children's "yes" could not tell why);
    the children's rows say nothing of the kind."""
    mobiles = [i for i in scanned["inventory"] if i["entity_type"] == "CN_MOBILE"]
    assert [i.get("data_subject") for i in mobiles] == ["guardian"]
    entity, cell, guardian, child_entity = SUBJECT[lang]
    out = render(scanned, fmt, lang=lang)
    if fmt == "html":  # the inventory's rows, by their data-entity
        rows = {e: [r for r in out.split("<tr") if r.startswith(f' data-entity="{e}"')]
                for e in ("cn_mobile", "cn_resident_id")}
        cell = f"<td>{cell.replace(chr(39), '&#x27;')}</td>"
    else:  # the inventory's rows, by their entity's label (a finding's row is no table row)
        rows = {e: [r for r in out.splitlines() if r.startswith("| `") and label in r]
                for e, label in (("cn_mobile", entity), ("cn_resident_id", child_entity))}
        cell = f"| {cell} |"
    mobile_rows, child_rows = rows["cn_mobile"], rows["cn_resident_id"]
    assert len(mobile_rows) == 1 and cell in mobile_rows[0]
    assert len(child_rows) == 1 and guardian not in child_rows[0]


@pytest.mark.parametrize(("lang", "cell"), [("zh", "否（联系人的个人信息）"),
                                            ("en", "no (the contact's PI)")])
def test_the_emergency_contacts_item_says_whose_pi_it_is(
        tmp_path: Path, lang: str, cell: str) -> None:
    """A pupils' export whose mobiles are all their emergency contact's: the row says so."""
    (tmp_path / "e").mkdir()
    (tmp_path / "e/pupils.csv").write_text("student_no,id_card,紧急联系人电话\n" + "".join(
        f"S{i},{_resident_id('20190307', i)},1381234{i:04d}\n" for i in range(100, 110)),
        "utf-8")
    out = tmp_path / "report.json"
    with pytest.raises(SystemExit):
        main(["scan", str(tmp_path / "e"), "--executor", "serial", "-q", "-o", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [i.get("data_subject") for i in report["inventory"]
            if i["entity_type"] == "CN_MOBILE"] == ["contact"]
    rows = [r for r in render(report, "md", lang=lang).splitlines() if "138****01" in r]
    assert len(rows) == 1 and f"| {cell} |" in rows[0]
