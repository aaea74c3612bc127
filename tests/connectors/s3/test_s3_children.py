"""PIPL 28 in object storage: every PI item of an object whose content shows a child under 14
(a resident ID giving that age on the scan date) is sensitive, as every PI item of such a
file is and every PI column of a table with children's rows; an object of adults keeps its
mobiles general PI. The unit is the whole object, the one the rules' ``children_data`` reads.
The mobiles under ``guardian_mobile`` are the guardian's, an adult's: general PI even beside
a child's ID (``data_subject: guardian``)."""

from __future__ import annotations

from typing import Any

from s3_server import make_bucket

#: the S3 tests' scan date is 2026-11-01 (conftest ``ctx``)
CHILD_BORN, ADULT_BORN = "20190214", "19790821"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(born: str, n: int) -> str:
    """A valid resident ID (check digit and all) of someone born on ``born`` (YYYYMMDD)."""
    body = f"310104{born}{n:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def _export(*, child: bool) -> bytes:
    rows = [f"S1,王小明,{resident_id(CHILD_BORN, 5)},13812345678"] if child else []
    rows.append(f"P1,李建国,{resident_id(ADULT_BORN, 6)},13987654321")
    return ("student_no,name,id_card,guardian_mobile\n" + "\n".join(rows) + "\n").encode()


def _by_key(items: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(i["location"]["key"], i["entity_type"]): i for i in items}


def test_every_pi_item_of_an_object_with_a_child_is_sensitive(s3, scan) -> None:
    make_bucket(s3, "school-exports", "cn-north-1")
    s3.put_object(Bucket="school-exports", Key="2026/pupils.csv", Body=_export(child=True))
    s3.put_object(Bucket="school-exports", Key="2026/staff.csv", Body=_export(child=False))
    items = _by_key(scan("s3://school-exports").inventory)
    pupils = {t: i for (k, t), i in items.items() if k == "2026/pupils.csv"}
    staff = {t: i for (k, t), i in items.items() if k == "2026/staff.csv"}
    assert pupils["CN_RESIDENT_ID"]["evidence"]["minors_count"] == 1
    assert pupils["CN_MOBILE"]["evidence"]["minors_count"] == 0
    children = {t: i for t, i in pupils.items() if t != "CN_MOBILE"}
    assert "CN_NAME" in children  # general PI of its kind, a child's here
    assert {t: i["sensitive"] for t, i in children.items()} == dict.fromkeys(children, True)
    # the guardian's mobile beside the child's ID is an adult's: general PI
    assert (pupils["CN_MOBILE"]["sensitive"], pupils["CN_MOBILE"]["data_subject"]) == (
        False, "guardian")
    assert staff["CN_MOBILE"]["sensitive"] is False  # the next object has no child in it
    assert staff["CN_RESIDENT_ID"]["sensitive"] is True  # sensitive of its kind
