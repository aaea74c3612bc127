"""PIPL 28: a child's personal information (under 14) is sensitive whatever its type. A file
whose content shows a child (a resident ID giving an age under 14 on the scan date) holds
children's PI: every PI item of it says ``sensitive: true``, the mobiles and names beside the
IDs as much as the IDs, as every PI column of a database table with children's rows does; a
file of adults keeps its mobiles general PI. The unit is the whole file, the one the rules'
``children_data`` reads, so the inventory and the findings agree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: the files connector's scan date is 2026-01-01 (conftest ``ctx``)
CHILD_BORN, ADULT_BORN = "20180507", "19850312"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(born: str, n: int) -> str:
    """A valid resident ID (check digit and all) of someone born on ``born`` (YYYYMMDD)."""
    body = f"110105{born}{n:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def _export(folder: Path, *, child: bool) -> Path:
    """A member export: one row each, a child's (when ``child``) and an adult's."""
    rows = [("王小明", resident_id(CHILD_BORN, 11), "13812345678")] if child else []
    rows.append(("李建国", resident_id(ADULT_BORN, 22), "13987654321"))
    path = folder / "members.csv"
    path.write_text("姓名,身份证号,手机号\n" + "".join(",".join(r) + "\n" for r in rows),
                    "utf-8")
    return path


def _log(folder: Path, *, child: bool) -> Path:
    """An application log: a child's registration (when ``child``), then an adult's call."""
    lines = [f"2025-12-30 09:00:01 INFO register pupil id_card={resident_id(CHILD_BORN, 33)}"
             ] if child else []
    lines += [f"2025-12-30 09:00:02 INFO register adult id_card={resident_id(ADULT_BORN, 44)}",
              "2025-12-30 09:05:00 INFO callback to 13987654321"]
    path = folder / "app.log"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _by_type(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i["entity_type"]: i for i in items}


def test_every_pi_item_of_an_export_with_a_child_is_sensitive(tmp_path: Path, scan) -> None:
    (tmp_path / "kids").mkdir()
    (tmp_path / "adults").mkdir()
    kids = _by_type(scan(_export(tmp_path / "kids", child=True)).inventory)
    assert kids["CN_RESIDENT_ID"]["evidence"]["minors_count"] == 1
    assert "CN_MOBILE" in kids  # general PI of its kind, a child's here
    assert {t: i["sensitive"] for t, i in kids.items()} == dict.fromkeys(kids, True)
    adults = _by_type(scan(_export(tmp_path / "adults", child=False)).inventory)
    assert adults["CN_MOBILE"]["sensitive"] is False
    assert adults["CN_RESIDENT_ID"]["sensitive"] is True  # sensitive of its kind


def test_a_log_with_a_child_is_sensitive_as_a_whole(tmp_path: Path, scan) -> None:
    """A log's lines are several people's, but an item gathers its type's lines across the
    whole file, and the rules judge the file: the adult's mobile in a log that registers a
    child is in a file of children's data (README: children under 14)."""
    (tmp_path / "kids").mkdir()
    (tmp_path / "adults").mkdir()
    kids = _by_type(scan(_log(tmp_path / "kids", child=True)).inventory)
    assert kids["CN_RESIDENT_ID"]["evidence"]["minors_count"] == 1
    assert kids["CN_MOBILE"]["evidence"]["minors_count"] == 0
    assert kids["CN_MOBILE"]["sensitive"] is True
    adults = _by_type(scan(_log(tmp_path / "adults", child=False)).inventory)
    assert adults["CN_MOBILE"]["sensitive"] is False


def test_the_report_inventory_says_so_and_agrees_with_the_rules(tmp_path: Path,
                                                               pia_scan) -> None:
    """``pia scan``'s JSON inventory shows the child's mobile sensitive, and the finding on it
    is PIPL 28's for children, not PIPL 51's for general PI."""
    folder = tmp_path / "export"
    folder.mkdir()
    _export(folder, child=True)
    _code, rules, report = pia_scan(folder)
    (mobile,) = [i for i in report["inventory"] if i["entity_type"] == "CN_MOBILE"]
    assert mobile["sensitive"] is True
    assert "PIPL-51-ENCRYPT-DEIDENT" not in rules
    plaintext = [f for f in report["findings"] if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT"
                 and any(i == mobile["location"] or i.get("path") == mobile["location"]["path"]
                         for i in f["locations"])]
    assert plaintext and all("children" in f["evidence"]["triggers"] for f in plaintext)
