"""A JSON export longer than 16 MiB (``users.json``: one array of objects, pretty-printed or
minified on one line) is read by its keys value by value from a bounded window
(``json_stream``), as a short one is: its keys label the values, a guardian's object in a
child's record is the guardian's, each value is counted on its own line. Past 16 MiB it was
read as text, line by line. Where it stops being JSON (cut short, a sample of a compressed
one, a value too long to parse) what came before stays read by its keys and the rest is read
as text.

The long documents here are padded with whitespace between records (a run of spaces, on
lines of their own or on the one line of a minified document): JSON all the same, whose
records the engine reads in a moment."""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path
from typing import Any

import pytest

#: more than the 16 MiB a document was read whole up to
PAD_BYTES = 17 << 20
#: a legacy 15-digit ID, too weak alone: only a key that names an ID makes it one
LEGACY_ID = "110105491231002"


def _pupils(count: int) -> list[dict[str, Any]]:
    return [{"name": "王小明", "birth_date": f"2015-03-{1 + i % 28:02d}",
             "shenfenzheng": LEGACY_ID,
             "guardian": {"name": "王建国", "mobile": f"1381234{i:04d}"}}
            for i in range(count)]


def _by_type(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i["entity_type"]: i for i in items if "field" not in i["location"]}


def _field(items: list[dict[str, Any]], field: str) -> dict[str, Any]:
    """The item of a field, under its owner's path or not (``pupils.birth_date``)."""
    (item,) = [i for i in items if i["location"].get("field", "").split(".")[-1] == field]
    return item


def _ids(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The resident IDs found: legacy ones under ``shenfenzheng`` only by that key (as text,
    15 digits are too weak to be one)."""
    return _by_type(items).get("CN_RESIDENT_ID", {"count": 0, "location": {"lines": []}})


def _lines_of(text: str, needle: str) -> list[int]:
    """The lines (1-based) on which ``needle`` stands, in order."""
    return [text.count("\n", 0, at) + 1 for at in _offsets(text, needle)]


def _offsets(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _file_format(facts: list[dict[str, Any]]) -> str:
    (fact,) = [f for f in facts if f["kind"] == "file"]
    return fact["attributes"]["format"]


def _padded(pretty: bool, before: int = 2, after: int = 2, key: str | None = None) -> str:
    """An export of ``before`` pupils, ``PAD_BYTES`` of spaces, ``after`` more; under ``key``
    of an object when given."""
    indent = 2 if pretty else None
    records = [json.dumps(p, ensure_ascii=False, indent=indent) for p in _pupils(before + after)]
    pad = ("\n" + " " * (1 << 20)) * (PAD_BYTES >> 20) + "\n" if pretty else " " * PAD_BYTES
    items = ",".join(records[:before]) + "," + pad + ",".join(records[before:])
    array = f"[\n{items}\n]" if pretty else f"[{items}]"
    return (f'{{"school": "实验小学", "{key}": {array}}}' if key else array) + "\n"


def _assert_read_by_keys(items: list[dict[str, Any]], text: str, pupils: int) -> None:
    mobile = _by_type(items)["CN_MOBILE"]
    assert (mobile["count"], mobile.get("data_subject")) == (pupils, "guardian")
    assert mobile["location"]["lines"] == sorted(set(_lines_of(text, '"mobile"')))
    born = _field(items, "birth_date")
    assert (born["count"], born["evidence"]["minors_count"]) == (pupils, pupils)
    assert born["location"]["lines"] == sorted(set(_lines_of(text, '"birth_date"')))
    assert _ids(items)["location"]["lines"] == sorted(set(_lines_of(text, LEGACY_ID)))


@pytest.mark.parametrize("compressed", [False, True])
def test_pia_scan_reads_an_export_past_16_mib_by_its_keys(tmp_path: Path, pia_scan,
                                                          compressed: bool) -> None:
    """Pretty-printed, each value on its own line across the padding; a ``.json.gz`` too
    (``--full``: read whole, not its first ``--max-bytes``)."""
    folder = tmp_path / "export"
    folder.mkdir()
    text = _padded(pretty=True)
    assert len(text.encode()) > PAD_BYTES
    if compressed:
        (folder / "users.json.gz").write_bytes(gzip.compress(text.encode(), 1))
    else:
        (folder / "users.json").write_text(text, "utf-8")
    code, rules, report = pia_scan(folder, "--full")
    assert _file_format(report["facts"]) == "json"
    _assert_read_by_keys(report["inventory"], text, 4)
    assert "CN_MOBILE" not in {f["evidence"].get("entity_type") for f in report["findings"]}
    assert "13812340000" not in json.dumps(report, ensure_ascii=False)
    assert report["skipped"] == []


def test_a_minified_export_past_16_mib_is_read_by_its_keys(tmp_path: Path, scan) -> None:
    """One line: every value on line 1, each keyed as in a short document."""
    path = tmp_path / "users.json"
    text = _padded(pretty=False)
    path.write_text(text, "utf-8")
    result = scan(path)
    assert _file_format(result.facts) == "json"
    _assert_read_by_keys(result.inventory, text, 4)
    assert _by_type(result.inventory)["CN_MOBILE"]["location"]["lines"] == [1]


def test_an_array_member_of_a_long_object_is_read_item_by_item(tmp_path: Path,
                                                               scan) -> None:
    """``{"pupils": [...]}``: each pupil is read on its own, the key above it kept."""
    path = tmp_path / "school.json"
    text = _padded(pretty=True, key="pupils")
    path.write_text(text, "utf-8")
    result = scan(path)
    assert _file_format(result.facts) == "json"
    _assert_read_by_keys(result.inventory, text, 4)


def test_a_document_cut_short_is_read_by_its_keys_up_to_the_cut(tmp_path: Path, scan,
                                                                caplog) -> None:
    """The records before the cut are read by their keys; the cut one is read as text, its
    values found all the same, on their lines, and a warning says from which line."""
    whole = json.dumps(_pupils(3), ensure_ascii=False, indent=2)
    text = whole[:whole.rindex('"mobile"') + len('"mobile": "13812340002"')]
    path = tmp_path / "users.json"
    path.write_text(text, "utf-8")
    with caplog.at_level(logging.WARNING):
        result = scan(path)
    assert _file_format(result.facts) == "json" and result.skipped == []
    mobile = _by_type(result.inventory)["CN_MOBILE"]
    assert (mobile["count"], mobile["location"]["lines"]) == (3, _lines_of(text, '"mobile"'))
    ids = _ids(result.inventory)  # the third's, read as text, is no ID
    assert (ids["count"], ids["location"]["lines"]) == (2, _lines_of(text, LEGACY_ID)[:2])
    third = _lines_of(text, "  {")[2]
    assert f"JSON read by its keys up to line {third}, the rest as text (cut short)" in \
        caplog.text
    assert "13812340002" not in caplog.text


def test_a_value_too_long_to_parse_leaves_the_rest_to_be_read_as_text(
        tmp_path: Path, scan, monkeypatch, caplog) -> None:
    """A record longer than ``MAX_VALUE_CHARS`` (lowered here) is not parsed: it and what
    follows are read as text, what came before stays read by its keys."""
    from pia.connectors.files import json_stream

    monkeypatch.setattr(json_stream, "MAX_VALUE_CHARS", 400)
    monkeypatch.setattr(json_stream, "READ_BYTES", 64)
    pupils = _pupils(4)
    pupils[2]["remark"] = "备注" * 300
    text = json.dumps(pupils, ensure_ascii=False, indent=2) + "\n"
    path = tmp_path / "users.json"
    path.write_text(text, "utf-8")
    with caplog.at_level(logging.WARNING):
        result = scan(path)
    assert _file_format(result.facts) == "json"
    mobile = _by_type(result.inventory)["CN_MOBILE"]
    assert (mobile["count"], mobile["location"]["lines"]) == (4, _lines_of(text, '"mobile"'))
    ids = _ids(result.inventory)  # the third and fourth, read as text, are no IDs
    assert (ids["count"], ids["location"]["lines"]) == (2, _lines_of(text, LEGACY_ID)[:2])
    third = _lines_of(text, "  {")[2]
    assert (f"up to line {third}, the rest as text (a value longer than 400 characters)"
            in caplog.text)


def test_a_compressed_export_sampled_at_max_bytes_is_read_by_its_keys(tmp_path: Path,
                                                                      pia_scan) -> None:
    """A ``.json.gz`` is analysed up to ``--max-bytes`` of its text, as any compressed
    stream: the records in the sample are read by their keys (the cut one as text), and the
    cut is said as for a log; ``--full`` reads them all by their keys."""
    folder = tmp_path / "export"
    folder.mkdir()
    text = json.dumps(_pupils(1000), ensure_ascii=False, indent=2) + "\n"
    assert len(text.encode()) > 100_000
    (folder / "users.json.gz").write_bytes(gzip.compress(text.encode()))
    _, _, report = pia_scan(folder, "--max-bytes", "50000")
    assert _file_format(report["facts"]) == "json"
    assert [s["reason"] for s in report["skipped"]] == [
        "decompressed sample cut at 50000 bytes: gzip stream read in part (raise "
        "--max-bytes, or --full, to read it whole)"]
    sampled = len(_offsets(text.encode()[:50000].decode("utf-8", "ignore"), '"guardian"'))
    assert sampled > 100 and sampled - 1 <= _ids(report["inventory"])["count"] <= sampled

    _, _, whole = pia_scan(folder, "--full")
    assert _ids(whole["inventory"])["count"] == 1000
    assert _by_type(whole["inventory"])["CN_MOBILE"].get("data_subject") == "guardian"
