"""A legacy ``.xls`` export (Excel 97-2003, an OLE compound file) is read as tables, as an
``.xlsx`` is: it was skipped as a binary file, its IDs and mobiles unreported. The
workbooks are written by xlwt (test extra) as a business system writes them: a title
merged across the table, an export time, a blank row, then the header; IDs as text,
mobiles as numbers, birth dates as Excel dates."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import xlwt
from files_gen import Gen

from pia.connectors.base import ScanOptions
from pia.connectors.files import scan_stream

NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静"]


def _xls(path: Path, gen: Gen, rows: int = 12) -> list[str]:
    """A workbook of two sheets, 客户信息 (the export) and 说明 (one line of text); the
    raw values written, to look for in outputs."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("客户信息")
    sheet.write_merge(0, 0, 0, 4, "客户信息报表")
    when = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    sheet.write(1, 0, "导出时间")
    sheet.write(1, 1, datetime(2026, 11, 30, 10, 0), when)
    for column, name in enumerate(["序号", "姓名", "身份证号", "手机号", "出生日期"]):
        sheet.write(3, column, name)
    day = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    raw = []
    for i in range(rows):
        resident_id, mobile = gen.resident_id(), gen.mobile()
        for column, value in enumerate([i + 1, NAMES[i % 5], resident_id, int(mobile)]):
            sheet.write(4 + i, column, value)
        sheet.write(4 + i, 4, datetime(1990, 3, i % 28 + 1), day)
        raw += [resident_id, mobile]
    book.add_sheet("说明").write(0, 0, "导出说明")
    book.save(str(path))
    return raw


def test_an_xls_export_is_read_as_tables(scan_exports) -> None:
    raw, code, rules, report = scan_exports(lambda folder: _xls(folder / "客户.xls", Gen(21)))
    assert code == 1 and "PIPL-28-SENSITIVE-PLAINTEXT" in rules
    items = {(i["location"]["member"], i["location"].get("field"), i["entity_type"]): i
             for i in report["inventory"]}
    ids = items[("客户信息", None, "CN_RESIDENT_ID")]
    assert ids["location"]["lines"][:3] == [5, 6, 7]  # Excel's rows, the header on row 4
    assert ("客户信息", None, "CN_MOBILE") in items  # numbers read as their digits
    assert ("客户信息", "出生日期", "DATE_OF_BIRTH") in items  # Excel dates, named by the header
    assert all("*" in s for s in ids["evidence"]["samples"])
    [fact] = [f for f in report["facts"] if f["kind"] == "file"]
    assert fact["attributes"]["format"] == "xls"
    assert not [value for value in raw if value in json.dumps(report, ensure_ascii=False)]


def test_an_xls_in_a_zip_is_read_at_its_member_and_sheet(ctx, tmp_path: Path) -> None:
    _xls(tmp_path / "客户.xls", Gen(22))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(tmp_path / "客户.xls", "exports/客户.xls")
    out = scan_stream(io.BytesIO(packed.getvalue()), "outbox.zip", {"bucket": "b",
                      "key": "outbox.zip"}, ctx, ScanOptions())
    assert out["skipped"] == []
    sheets = {b["location"]["member"]: b for b in out["blobs"]}
    assert set(sheets) == {"exports/客户.xls!客户信息", "exports/客户.xls!说明"}
    assert sheets["exports/客户.xls!客户信息"]["format"] == "xls"
    assert "CN_RESIDENT_ID" in sheets["exports/客户.xls!客户信息"]["entities"]


def test_an_xls_over_its_memory_cap_is_refused_unread(ctx, tmp_path: Path) -> None:
    _xls(tmp_path / "客户.xls", Gen(23))
    data = (tmp_path / "客户.xls").read_bytes()
    out = scan_stream(io.BytesIO(data), "客户.xls", {"path": "客户.xls"}, ctx,
                      ScanOptions(extra={"archive_max_member_bytes": len(data) - 1}))
    assert out["blobs"] == []
    assert [s["reason"] for s in out["skipped"]] == [
        f"legacy Excel workbook refused: more than {len(data) - 1} bytes"]


def test_an_encrypted_xls_is_skipped_saying_so(ctx) -> None:
    """A password-protected ``.xls`` opens its globals with a FILEPASS record (0x002F): here
    one stands in place of the code page record (0x0042) of the same length."""
    book = xlwt.Workbook(encoding="utf-8")
    book.add_sheet("客户").write(0, 0, "姓名")
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    assert data.count(b"\x42\x00\x02\x00") == 1
    encrypted = data.replace(b"\x42\x00\x02\x00", b"\x2f\x00\x02\x00")
    out = scan_stream(io.BytesIO(encrypted), "客户.xls", {"path": "客户.xls"}, ctx,
                      ScanOptions())
    assert out["blobs"] == []
    assert [s["reason"] for s in out["skipped"]] == [
        "encrypted legacy Excel .xls workbook: not read"]


def test_an_ole_file_that_is_no_workbook_is_a_skipped_binary_file(scan, tmp_path: Path) -> None:
    """A Word ``.doc`` (here an OLE header and nothing of a workbook) is looked into as a
    possible ``.xls`` and skipped as a binary file, as before: no file fact says it was
    read as a workbook."""
    (tmp_path / "letter.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088))
    result = scan(tmp_path)
    [skipped] = result.skipped
    assert skipped["reason"].startswith("binary file (an OLE compound file that is no legacy")
    assert [f for f in result.facts if f["kind"] == "file"] == []
