"""An ``.xlsx`` object is read as tables, as a local one is (QA q1 D5): each sheet is its
object's ``member``, rows are lines, headers name the columns; it was read as a zip of XML,
every item on "line 1" with no sheet. A legacy ``.xls`` object too, its header below the
export's title; it was skipped as a binary file. Real HTTP to moto in server mode."""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
import pytest
import xlwt
from s3_server import make_bucket


def _export() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "会员"
    sheet.append(["xm", "sjh"])
    sheet.append(["王建国", "13987654321"])
    sheet.append(["李秀英", 13812345678])  # a mobile Excel keeps as a number
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _legacy_export() -> bytes:
    """The same members in an ``.xls``, under a title merged across the table."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("会员")
    sheet.write_merge(0, 0, 0, 1, "会员名单")
    for row, values in enumerate([["xm", "sjh"], ["王建国", "13987654321"],
                                  ["李秀英", 13812345678]], start=2):
        for column, value in enumerate(values):
            sheet.write(row, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("key", "export", "lines"), [
    ("2026/members.xlsx", _export, [2, 3]),
    ("2026/members.xls", _legacy_export, [4, 5]),
])
def test_an_xlsx_object_is_read_as_tables(s3, scan, key: str, export: Callable[[], bytes],
                                          lines: list[int]) -> None:
    make_bucket(s3, "crm-exports", "cn-north-1")
    s3.put_object(Bucket="crm-exports", Key=key, Body=export())
    result = scan("s3://crm-exports")
    items = {i["entity_type"]: i["location"] for i in result.inventory}
    for entity in ("CN_MOBILE", "CN_NAME"):
        where = items[entity]
        assert (where["key"], where["member"], where["lines"]) == (key, "会员", lines), entity
