"""A file of pupils under 14 makes its PI items sensitive (PIPL 28), but not the guardian's:
the mobiles that stand only under keys naming the guardian (a 监护人电话 column, a JSON
``guardian_phone``, a log's ``jzdh=``) are an adult's, general PI (``data_subject:
guardian``), while the children's IDs and the names (the pupils' among them) stay sensitive;
a mobile of the child's own (``phone=``) keeps the log's mobiles the child's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: the files connector's scan date is 2026-01-01 (conftest ``ctx``)
CHILD_BORN, ADULT_BORN = "20180507", "19850312"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PUPILS = ("王小明", "李小红", "张小刚")
GUARDIANS = ("王建国", "李秀英", "张伟东")


def resident_id(born: str, n: int) -> str:
    """A valid resident ID (check digit and all) of someone born on ``born`` (YYYYMMDD)."""
    body = f"110105{born}{n:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def _by_type(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i["entity_type"]: i for i in items}


def _check(items: dict[str, dict[str, Any]]) -> None:
    assert items["CN_RESIDENT_ID"]["evidence"]["minors_count"] > 0
    assert items["CN_RESIDENT_ID"]["sensitive"] is True
    assert (items["CN_MOBILE"]["sensitive"], items["CN_MOBILE"].get("data_subject")) == (
        False, "guardian")
    assert "data_subject" not in items["CN_RESIDENT_ID"]


def test_a_csv_of_pupils_keeps_the_guardians_phones_general(tmp_path: Path, scan) -> None:
    rows = [f"{PUPILS[i]},{resident_id(CHILD_BORN, i)},{GUARDIANS[i]},1381234567{i}"
            for i in range(3)]
    path = tmp_path / "pupils.csv"
    path.write_text("学生姓名,身份证号,监护人姓名,监护人电话\n" + "\n".join(rows) + "\n", "utf-8")
    items = _by_type(scan(path).inventory)
    _check(items)
    assert items["CN_NAME"]["sensitive"] is True  # the pupils' names among the guardians'


def test_a_jsonl_of_pupils_keeps_the_guardians_phones_general(tmp_path: Path, scan) -> None:
    path = tmp_path / "enrol.jsonl"
    path.write_text("".join(json.dumps({
        "student_name": PUPILS[i], "id_card": resident_id(CHILD_BORN, i),
        "guardian_id_card": resident_id(ADULT_BORN, i), "guardian_phone": f"1381234567{i}"},
        ensure_ascii=False) + "\n" for i in range(3)), "utf-8")
    _check(_by_type(scan(path).inventory))


def test_a_log_keeps_the_guardians_phones_general_and_the_childs_own_sensitive(
        tmp_path: Path, scan) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    guardian_only = tmp_path / "a" / "enrol.log"
    guardian_only.write_text("".join(
        f"2025-12-30 09:00:0{i} INFO enrol pupil id_card={resident_id(CHILD_BORN, i)}"
        f" jzdh=1381234567{i}\n" for i in range(3)), "utf-8")
    _check(_by_type(scan(guardian_only).inventory))
    own_phone = tmp_path / "b" / "enrol.log"
    own_phone.write_text(guardian_only.read_text("utf-8")
                         + "2025-12-30 09:01:00 INFO pupil phone=13900001111\n", "utf-8")
    mobile = _by_type(scan(own_phone).inventory)["CN_MOBILE"]
    assert (mobile["sensitive"], mobile.get("data_subject")) == (True, None)


def test_a_guardians_birth_date_field_is_the_guardians(tmp_path: Path, scan) -> None:
    """A field its name classifies (a birth date) is the guardian's when its name says so,
    the pupil's own birth date beside it the child's sensitive PI."""
    path = tmp_path / "enrol.jsonl"
    path.write_text("".join(json.dumps({
        "id_card": resident_id(CHILD_BORN, i), "student_birthday": "2018-05-07",
        "guardian_birthday": "1985-03-12"}) + "\n" for i in range(3)), "utf-8")
    fields = {i["location"].get("field"): i for i in scan(path).inventory}
    guardian, pupil = fields["guardian_birthday"], fields["student_birthday"]
    assert guardian["entity_type"] == pupil["entity_type"] == "DATE_OF_BIRTH"
    assert (guardian["sensitive"], guardian.get("data_subject")) == (False, "guardian")
    assert (pupil["sensitive"], pupil.get("data_subject")) == (True, None)


def test_the_emergency_contacts_phones_are_an_adults(tmp_path: Path, scan) -> None:
    """Mobiles under an emergency contact's key (a 紧急联系人电话 column, a log's
    ``jjlxrdh=``) are the contact's, an adult's general PI (``data_subject: contact``, not
    the guardian's: a contact is as often someone else); the pupils' IDs stay sensitive."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    csv = tmp_path / "a" / "pupils.csv"
    csv.write_text("学生姓名,身份证号,紧急联系人电话\n" + "".join(
        f"{PUPILS[i]},{resident_id(CHILD_BORN, i)},1381234567{i}\n" for i in range(3)), "utf-8")
    log = tmp_path / "b" / "enrol.log"
    log.write_text("".join(
        f"2025-12-30 09:00:0{i} INFO enrol pupil id_card={resident_id(CHILD_BORN, i)}"
        f" jjlxrdh=1381234567{i}\n" for i in range(3)), "utf-8")
    for path in (csv, log):
        items = _by_type(scan(path).inventory)
        assert items["CN_RESIDENT_ID"]["sensitive"] is True, path.name
        assert (items["CN_MOBILE"]["sensitive"], items["CN_MOBILE"].get("data_subject")) == (
            False, "contact"), path.name


def test_a_file_holding_both_adults_phones_says_the_guardians(tmp_path: Path, scan) -> None:
    """Mobiles under the guardian's and the contact's keys alike: all an adult's, general
    PI, and said to be the guardian's where both keys hold as many."""
    path = tmp_path / "enrol.log"
    path.write_text("".join(
        f"2025-12-30 09:00:0{i} INFO enrol pupil id_card={resident_id(CHILD_BORN, i)}"
        f" jzdh=1381234567{i} jjlxrdh=1391234567{i}\n" for i in range(3)), "utf-8")
    mobile = _by_type(scan(path).inventory)["CN_MOBILE"]
    assert (mobile["sensitive"], mobile.get("data_subject")) == (False, "guardian")


def test_childrens_ids_under_a_guardians_key_stay_the_childrens(tmp_path: Path, scan) -> None:
    """QA r2 D5, for files: pupils' resident IDs written under guardian_id_card (a mislabelled
    export, or one meant to fool the audit) were the guardian's, and the rules read them as no
    child's data. The values outweigh the key: a child's ID is the child's."""
    path = tmp_path / "enrol.jsonl"
    path.write_text("".join(json.dumps({
        "student_name": PUPILS[i], "guardian_id_card": resident_id(CHILD_BORN, i),
        "guardian_birthday": f"{CHILD_BORN[:4]}-{CHILD_BORN[4:6]}-{CHILD_BORN[6:]}"},
        ensure_ascii=False) + "\n" for i in range(3)), "utf-8")
    items = scan(path).inventory
    ids = _by_type(items)["CN_RESIDENT_ID"]
    assert ids["evidence"]["minors_count"] > 0
    assert (ids["sensitive"], ids.get("data_subject")) == (True, None)
    birthdays = [i for i in items if i["location"].get("field") == "guardian_birthday"]
    assert birthdays and all(i.get("data_subject") is None for i in birthdays), birthdays


def test_a_guardians_nested_json_object_in_a_log_holds_the_guardians_phones(tmp_path: Path,
                                                                           scan) -> None:
    """QA r2 D6: a mobile under {"guardian": {"phone": …}} in a log line was the child's
    sensitive PI, where a flat guardian_phone= was the guardian's. The enclosing object's key
    names whose the value is; a phone beside the guardian's object, not in it, stays the
    child's."""
    def log(name: str, record) -> Path:
        path = tmp_path / name
        path.write_text("".join(f"2026-01-0{i + 1} 09:00:00 INFO enrol "
                                + json.dumps(record(i), ensure_ascii=False) + "\n"
                                for i in range(3)), "utf-8")
        return path

    nested = log("enrol.log", lambda i: {
        "student": {"name": PUPILS[i], "id_card": resident_id(CHILD_BORN, i)},
        "guardian": {"name": GUARDIANS[i], "phone": f"1381234567{i}"}})
    _check(_by_type(scan(nested).inventory))
    beside = log("beside.log", lambda i: {
        "guardian": {"name": GUARDIANS[i]}, "id_card": resident_id(CHILD_BORN, i),
        "phone": f"1381234567{i}"})
    mobiles = _by_type(scan(beside).inventory)["CN_MOBILE"]
    assert (mobiles["sensitive"], mobiles.get("data_subject")) == (True, None)
