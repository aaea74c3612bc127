"""Whole JSON documents (a pretty-printed ``users.json``): read by their keys, as JSON lines
are, each value counted on its own line. Read line by line as text, their keys were no
labels and a guardian's object nested in a child's record counted as the child's data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

#: a legacy 15-digit ID, too weak alone: only a key that names an ID makes it one
LEGACY_ID = "110105491231002"


def _by_type(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i["entity_type"]: i for i in items}


def _file_format(result: Any) -> str:
    (fact,) = [f for f in result.facts if f["kind"] == "file"]
    return fact["attributes"]["format"]


def _pupils() -> list[dict[str, Any]]:
    return [{"name": name, "birth_date": born,
             "guardian": {"name": guardian, "mobile": f"1381234567{i}"}}
            for i, (name, born, guardian) in enumerate([("王小明", "2015-03-01", "王建国"),
                                                        ("李小红", "2016-07-09", "李国强")])]


def _write_pupils(folder: Path, name: str = "users.json") -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(_pupils(), ensure_ascii=False, indent=2) + "\n", "utf-8")
    return path


def test_keys_label_the_values_of_a_pretty_printed_export(tmp_path: Path, scan) -> None:
    """The ID under ``shenfenzheng`` is one, on the line of its value; the same digits
    under ``order_no`` are not."""
    path = tmp_path / "orders.json"
    path.write_text(json.dumps({"orders": [{"order_no": LEGACY_ID, "shenfenzheng": LEGACY_ID}]},
                               indent=2) + "\n")
    result = scan(path)
    assert _file_format(result) == "json"
    (item,) = result.inventory
    assert (item["entity_type"], item["count"]) == ("CN_RESIDENT_ID", 1)
    line = path.read_text().splitlines().index(f'      "shenfenzheng": "{LEGACY_ID}"') + 1
    assert item["location"]["lines"] == [line]


def test_a_guardians_mobile_nested_in_a_childs_record_is_no_childs(tmp_path: Path,
                                                                   scan) -> None:
    path = _write_pupils(tmp_path / "school")
    items = _by_type(scan(path).inventory)
    born = items["DATE_OF_BIRTH"]
    assert (born["location"]["field"], born["evidence"]["minors_count"]) == ("birth_date", 2)
    mobile = items["CN_MOBILE"]
    assert (mobile["sensitive"], mobile.get("data_subject")) == (False, "guardian")
    text = path.read_text("utf-8").splitlines()
    assert mobile["location"]["lines"] == [i + 1 for i, line in enumerate(text)
                                           if '"mobile"' in line]
    assert items["CN_NAME"]["sensitive"] is True  # the children's names beside their ages


def test_pia_scan_of_the_export_finds_no_childs_mobile(tmp_path: Path, pia_scan) -> None:
    path = _write_pupils(tmp_path / "export")
    code, rules, report = pia_scan(path.parent)
    assert code == 1 and "PIPL-28-SENSITIVE-PLAINTEXT" in rules
    assert "CN_MOBILE" not in {f["evidence"].get("entity_type") for f in report["findings"]}
    assert "13812345670" not in json.dumps(report, ensure_ascii=False)


def test_a_minified_document_and_documents_one_after_another(tmp_path: Path, scan) -> None:
    """A document on one line counts its values on line 1; documents written one after the
    other (``jq .``) are each read by their keys."""
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "min.json").write_text(json.dumps(_pupils(), ensure_ascii=False), "utf-8")
    (folder / "records").write_text("".join(json.dumps(p, ensure_ascii=False, indent=2) + "\n"
                                            for p in _pupils()), "utf-8")
    result = scan(folder)
    mobiles = {Path(i["location"]["path"]).name: i for i in result.inventory
               if i["entity_type"] == "CN_MOBILE"}
    assert mobiles["min.json"]["location"]["lines"] == [1]
    for item in mobiles.values():
        assert (item["count"], item.get("data_subject")) == (2, "guardian")
    assert {f["attributes"]["format"] for f in result.facts if f["kind"] == "file"} == {"json"}


@pytest.mark.parametrize("content", [
    '[\n  {"mobile": "13912345678",\n',  # cut short in its first record
    '{\n  "x": NaN, "mobile": 13912345678\n}\n',  # not JSON's numbers, from the first
    "[" * 5000 + "\n" + '"13912345678"' + "]" * 5000 + "\n",  # past any parser's depth
])
def test_invalid_json_is_read_as_text(tmp_path: Path, scan, content: str) -> None:
    """Not JSON from its first value on: all of it is text, as a log that opens with ``[``
    (``test_files_json_stream``: where JSON stops further on, the rest is)."""
    path = tmp_path / "broken.json"
    path.write_text(content)
    result = scan(path)
    assert _file_format(result) == "text" and result.skipped == []
    (item,) = result.inventory
    assert (item["entity_type"], item["count"], item["location"]["lines"]) == (
        "CN_MOBILE", 1, [content[:content.index("139")].count("\n") + 1])


def test_text_after_a_document_is_read_as_text(tmp_path: Path, scan) -> None:
    """A bracket too many after an export: the export is read by its keys (the ID under
    ``shenfenzheng``), the bracket, no JSON, as text."""
    path = tmp_path / "extra.json"
    path.write_text(f'[\n  {{"shenfenzheng": "{LEGACY_ID}"}}\n]\n]\n')
    result = scan(path)
    assert _file_format(result) == "json" and result.skipped == []
    (item,) = result.inventory
    assert (item["entity_type"], item["location"]["lines"]) == ("CN_RESIDENT_ID", [2])
