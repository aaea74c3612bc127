"""An ``.xlsx`` export is read as tables (QA q1 D5): it was read as a zip of XML, its names
missed and every item on "line 1". Each sheet's first row names its columns, each row is a
line numbered as Excel numbers it, the sheet is the location's ``member``
(``export.xlsx!客户信息``); no formula is evaluated; a broken or encrypted workbook, and a
legacy ``.xls``, are skipped with a one-line reason; a sheet is cut at ``MAX_CELLS``."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
from files_gen import Gen

from pia.connectors.base import ScanOptions
from pia.connectors.files import scan_stream, xlsx
from pia.report import validation_errors

NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静"]


def _workbook(path: Path, gen: Gen) -> list[str]:
    """Two sheets: 客户信息 (a header, 40 customers, a formula) and Sheet2 (pinyin
    initials for names, an empty row 2); the raw values written, to look for in outputs."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户信息"
    sheet.append(["姓名", "身份证号", "手机号", "合计"])
    raw = []
    for i in range(40):
        row = [NAMES[i % 5], gen.resident_id(), int(gen.mobile()), "=WEBSERVICE(\"http://x\")"]
        sheet.append(row)
        raw += [row[1], str(row[2])]
    other = book.create_sheet("Sheet2")
    other.append(["xm", "sjh"])
    other.append([])
    other.append(["赵敏", gen.mobile()])
    raw.append(str(other["B3"].value))
    book.save(path)
    return raw


def test_an_xlsx_export_is_read_as_tables(scan_exports) -> None:
    raw, code, rules, report = scan_exports(
        lambda folder: _workbook(folder / "export.xlsx", Gen(7)))
    assert code == 1 and "PIPL-28-SENSITIVE-PLAINTEXT" in rules
    items = {(i["location"]["member"], i["entity_type"]): i for i in report["inventory"]}
    assert set(items) == {("客户信息", "CN_RESIDENT_ID"), ("客户信息", "CN_MOBILE"),
                          ("客户信息", "CN_NAME"), ("Sheet2", "CN_MOBILE"), ("Sheet2", "CN_NAME")}
    ids = items[("客户信息", "CN_RESIDENT_ID")]
    assert ids["location"]["lines"][:3] == [2, 3, 4]  # the rows, the header being row 1
    assert items[("Sheet2", "CN_NAME")]["location"]["lines"] == [3]  # row 2 left empty
    assert all("*" in s for s in ids["evidence"]["samples"])
    [fact] = [f for f in report["facts"] if f["kind"] == "file"]
    assert fact["attributes"]["format"] == "xlsx"
    text = json.dumps(report, ensure_ascii=False)
    assert not [value for value in raw if value in text]


def _skipped(data: bytes, name: str, ctx: Any) -> list[str]:
    out = scan_stream(io.BytesIO(data), name, {"bucket": "b", "key": name}, ctx, ScanOptions())
    assert out["blobs"] == []
    return [s["reason"] for s in out["skipped"]]


def test_a_broken_workbook_and_an_ole_file_are_skipped_with_a_reason(ctx) -> None:
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types")
        zf.writestr("xl/workbook.xml", "not xml")
    [reason] = _skipped(broken.getvalue(), "export.xlsx", ctx)
    assert reason.startswith("corrupt xlsx workbook (")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)  # an .xls, or a password's .xlsx
    [reason] = _skipped(ole, "legacy.xls", ctx)
    assert "legacy Excel .xls" in reason and "encrypted .xlsx" in reason


def test_a_sheet_is_cut_at_its_cell_limit(ctx, monkeypatch, tmp_path: Path) -> None:
    _workbook(tmp_path / "big.xlsx", Gen(8))
    monkeypatch.setattr(xlsx, "MAX_CELLS", 60)  # the header and 14 rows of four cells
    out = scan_stream((tmp_path / "big.xlsx").open("rb"), "big.xlsx", {"path": "big.xlsx"},
                      ctx, ScanOptions())
    first = out["blobs"][0]
    assert (first["location"]["member"], first["lines"]) == ("客户信息", 15)
    assert {"location": {"path": "big.xlsx", "member": "客户信息"},
            "reason": "xlsx sheet cut at 60 cells: read in part"} in out["skipped"]


def _titled_sheet(sheet: Any, gen: Gen, rows: int) -> list[str]:
    """A business system's export: a title merged across the table, an export time, a
    blank row, then the header on row 4 and ``rows`` customers; the raw values written."""
    sheet.append(["客户信息报表"])
    sheet.merge_cells("A1:E1")
    sheet.append(["导出时间", datetime(2026, 11, 30, 10, 0)])
    sheet.append([])
    sheet.append(["序号", "姓名", "证件号码", "联系电话", "出生日期"])
    raw = []
    for i in range(rows):
        row = [i + 1, NAMES[i % 5], gen.resident_id(), gen.mobile(), f"1990-03-{i % 28 + 1:02d}"]
        sheet.append(row)
        raw += [row[2], row[3]]
    return raw


def test_the_header_below_a_title_and_an_export_time_names_the_columns(
        pia_scan, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    book = openpyxl.Workbook()
    book.active.title = "客户"
    raw = _titled_sheet(book.active, Gen(9), 12)
    book.save(folder / "报表.xlsx")
    code, _rules, report = pia_scan(folder, "--lang", "en")
    assert validation_errors(report) == []
    fields = {(i["location"].get("field"), i["entity_type"]) for i in report["inventory"]}
    assert ("出生日期", "DATE_OF_BIRTH") in fields  # named by row 4, the header
    assert not [f for f, _ in fields if f == "客户信息报表"]  # the title names no column
    ids = [i for i in report["inventory"] if i["entity_type"] == "CN_RESIDENT_ID"]
    assert ids and ids[0]["location"]["lines"][0] == 5  # the first customer, below the header
    assert not [value for value in raw if value in json.dumps(report, ensure_ascii=False)]


def test_header_row_passes_over_titles_labels_and_blank_rows() -> None:
    data = [["张伟", "110105199003071239", "13812345678"]] * 3
    assert xlsx.header_row([["客户信息报表"], ["导出时间", "2026-11-30T10:00:00"], [],
                            ["姓名", "身份证号", "手机号"], *data]) == 4
    # a label and its value above a wider table are no header
    assert xlsx.header_row([["报表名称", "客户信息"], [], ["姓名", "身份证号", "手机号"],
                            *data]) == 3
    assert xlsx.header_row([["姓名", "身份证号", "手机号"], *data]) == 1
    assert xlsx.header_row([*data]) == 1  # no header at all: row 1, which CSV's rule reads
    # the table has begun at row 1 (its notes column unnamed): a later row of words is data
    words = [["张伟", "男", "销售部", "无"], ["王芳", "女", "财务部", "无"]]
    assert xlsx.header_row([["姓名", "性别", "部门"], *words, *words, *words]) == 1
    assert xlsx.header_row([*data, *words, *words, *words]) == 1


def test_a_workbook_in_a_zip_is_read_at_its_member_and_sheet(pia_scan, tmp_path: Path) -> None:
    folder = tmp_path / "outbox"
    folder.mkdir()
    raw = _workbook(tmp_path / "export.xlsx", Gen(10))
    with zipfile.ZipFile(folder / "exports.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(tmp_path / "export.xlsx", "exports/客户.xlsx")
    code, _rules, report = pia_scan(folder, "--lang", "en")
    assert validation_errors(report) == []
    [ids] = [i for i in report["inventory"] if i["entity_type"] == "CN_RESIDENT_ID"]
    assert ids["location"]["member"] == "exports/客户.xlsx!客户信息"
    assert ids["location"]["lines"][:2] == [2, 3]
    assert ids["location"]["path"].endswith("exports.zip")
    assert not [value for value in raw if value in json.dumps(report, ensure_ascii=False)]


def test_a_zipped_workbook_unpacks_to_no_more_than_a_member_may(ctx, tmp_path: Path) -> None:
    """openpyxl would unpack the workbook's parts: together they are held to the member
    cap, as the member itself is: here the parts unpack to more than the cap of 16,000
    bytes, the workbook's file being smaller."""
    _workbook(tmp_path / "export.xlsx", Gen(11))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_STORED) as zf:
        zf.write(tmp_path / "export.xlsx", "客户.xlsx")
    limit = 16_000
    assert (tmp_path / "export.xlsx").stat().st_size < limit
    with zipfile.ZipFile(tmp_path / "export.xlsx") as book:
        assert sum(i.file_size for i in book.infolist()) > limit
    out = scan_stream(io.BytesIO(packed.getvalue()), "exports.zip", {"path": "exports.zip"},
                      ctx, ScanOptions(extra={"archive_max_member_bytes": limit}))
    assert out["blobs"] == []
    [skipped] = out["skipped"]
    assert skipped["location"] == {"path": "exports.zip", "member": "客户.xlsx"}
    assert skipped["reason"].startswith("xlsx workbook refused: ")
    assert f"archive total exceeds {limit} bytes" in skipped["reason"]


def test_full_reads_every_cell_of_a_sheet(scan, monkeypatch, tmp_path: Path) -> None:
    """``--full`` lifts the cell cap, as it lifts the object and row samples: the 41 rows
    of the first sheet are all read, locally, and the sheet is not said to be cut."""
    folder = tmp_path / "exports"
    folder.mkdir()
    _workbook(folder / "big.xlsx", Gen(12))
    monkeypatch.setattr(xlsx, "MAX_CELLS", 60)
    sampled, full = scan(folder), scan(folder, full=True)
    assert [s["reason"] for s in sampled.skipped] == ["xlsx sheet cut at 60 cells: read in part"]
    assert full.skipped == []
    [ids] = [i for i in full.inventory if i["entity_type"] == "CN_RESIDENT_ID"]
    assert ids["count"] == 40


def test_full_reads_every_cell_of_a_sheet_in_a_blob(ctx, monkeypatch, tmp_path: Path) -> None:
    _workbook(tmp_path / "big.xlsx", Gen(13))
    monkeypatch.setattr(xlsx, "MAX_CELLS", 60)
    out = scan_stream((tmp_path / "big.xlsx").open("rb"), "big.xlsx", {"path": "big.xlsx"},
                      ctx, ScanOptions(full=True))
    assert out["skipped"] == []
    assert out["blobs"][0]["lines"] == 41


def test_a_workbook_in_a_tar_is_read_at_its_member_and_sheet(ctx, tmp_path: Path) -> None:
    _workbook(tmp_path / "export.xlsx", Gen(14))
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w:gz") as tf:
        tf.add(tmp_path / "export.xlsx", "exports/客户.xlsx")
    out = scan_stream(io.BytesIO(packed.getvalue()), "outbox.tar.gz", {"path": "outbox.tar.gz"},
                      ctx, ScanOptions())
    assert out["skipped"] == []
    sheets = {b["location"]["member"]: b for b in out["blobs"]}
    assert set(sheets) == {"exports/客户.xlsx!客户信息", "exports/客户.xlsx!Sheet2"}
    assert "CN_RESIDENT_ID" in sheets["exports/客户.xlsx!客户信息"]["entities"]
