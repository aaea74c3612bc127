"""A parsed JSON-lines export of pupils that nests the guardian's data in an object
(``{"student": {...}, "guardian": {"phone": …}}``) or a list of them (``"guardians": [...]``):
the leaves were written by their own key (``phone``) and the guardian's mobiles were the
children's sensitive PI. The path from the person's key counts (``guardian.phone``), as it
does for JSON inside a log line (c561f58) and for a flat ``guardian_phone``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.connectors.files.test_files_guardians import (
    ADULT_BORN,
    CHILD_BORN,
    GUARDIANS,
    PUPILS,
    resident_id,
)


def _export(tmp_path: Path, name: str, record: Callable[[int], dict[str, Any]]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    path = folder / "enrol.jsonl"
    path.write_text("".join(json.dumps(record(i), ensure_ascii=False) + "\n"
                            for i in range(3)), "utf-8")
    return path


def _by_type(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i["entity_type"]: i for i in items}


def _pupil(i: int) -> dict[str, str]:
    return {"name": PUPILS[i], "id_card": resident_id(CHILD_BORN, i)}


def test_a_guardians_object_holds_the_guardians_phones(tmp_path: Path, scan) -> None:
    path = _export(tmp_path, "nested", lambda i: {
        "student": _pupil(i), "guardian": {"name": GUARDIANS[i], "phone": f"1381234567{i}"}})
    items = _by_type(scan(path).inventory)
    assert items["CN_RESIDENT_ID"]["evidence"]["minors_count"] == 3
    assert (items["CN_RESIDENT_ID"]["sensitive"], items["CN_RESIDENT_ID"].get("data_subject")
            ) == (True, None)
    mobile = items["CN_MOBILE"]
    assert (mobile["sensitive"], mobile.get("data_subject")) == (False, "guardian")
    assert mobile["evidence"]["samples"][0] == "138****5670"  # masked, never raw


def test_a_list_of_guardians_and_a_deeper_object_are_the_guardians(tmp_path: Path,
                                                                   scan) -> None:
    listed = _export(tmp_path, "listed", lambda i: {
        "student": _pupil(i),
        "parents": [{"name": GUARDIANS[i], "phone": f"1381234567{i}"},
                    {"relation": "母亲", "contact": {"mobile": f"1391234567{i}"}}]})
    mobile = _by_type(scan(listed).inventory)["CN_MOBILE"]
    assert mobile["count"] == 6
    assert (mobile["sensitive"], mobile.get("data_subject")) == (False, "guardian")


def test_the_childs_own_phone_in_the_students_object_stays_the_childs(tmp_path: Path,
                                                                      scan) -> None:
    path = _export(tmp_path, "own", lambda i: {
        "student": {**_pupil(i), "phone": f"1371234567{i}"},
        "guardian": {"phone": f"1381234567{i}"}})
    mobile = _by_type(scan(path).inventory)["CN_MOBILE"]
    assert (mobile["sensitive"], mobile.get("data_subject")) == (True, None)


def test_a_guardians_nested_birth_date_is_the_guardians_field(tmp_path: Path, scan) -> None:
    """A field its key names (a birth date) in the guardian's object is the guardian's,
    written under its path; the pupil's own beside it the child's sensitive PI."""
    path = _export(tmp_path, "births", lambda i: {
        "student": {"id_card": resident_id(CHILD_BORN, i), "birthday": "2018-05-07"},
        "guardian": {"id_card": resident_id(ADULT_BORN, i), "birthday": "1985-03-12"}})
    fields = {i["location"].get("field"): i for i in scan(path).inventory
              if i["entity_type"] == "DATE_OF_BIRTH"}
    guardian, pupil = fields["guardian.birthday"], fields["student.birthday"]
    assert (guardian["sensitive"], guardian.get("data_subject")) == (False, "guardian")
    assert (pupil["sensitive"], pupil.get("data_subject")) == (True, None)


def test_pia_scan_of_the_nested_export_finds_no_childs_mobile(tmp_path: Path,
                                                              pia_scan) -> None:
    """``pia scan`` as a user runs it: the children's IDs are a PIPL-28 finding, the
    guardians' mobiles are in no finding as children's data."""
    path = _export(tmp_path, "export", lambda i: {
        "student": _pupil(i), "guardians": [{"phone": f"1381234567{i}"}]})
    code, rules, report = pia_scan(path.parent)
    assert code == 1 and "PIPL-28-SENSITIVE-PLAINTEXT" in rules
    mobile = _by_type(report["inventory"])["CN_MOBILE"]
    assert (mobile["sensitive"], mobile.get("data_subject")) == (False, "guardian")
    assert "CN_MOBILE" not in {f["evidence"].get("entity_type") for f in report["findings"]}
    assert "13812345670" not in json.dumps(report, ensure_ascii=False)
