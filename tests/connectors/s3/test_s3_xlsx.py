"""An ``.xlsx`` object is read as tables, as a local one is (QA q1 D5): each sheet is its
object's ``member``, rows are lines, headers name the columns; it was read as a zip of XML,
every item on "line 1" with no sheet. Real HTTP to moto in server mode."""

from __future__ import annotations

import io

import openpyxl
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


def test_an_xlsx_object_is_read_as_tables(s3, scan) -> None:
    make_bucket(s3, "crm-exports", "cn-north-1")
    s3.put_object(Bucket="crm-exports", Key="2026/members.xlsx", Body=_export())
    result = scan("s3://crm-exports")
    items = {i["entity_type"]: i["location"] for i in result.inventory}
    for entity in ("CN_MOBILE", "CN_NAME"):
        where = items[entity]
        assert (where["key"], where["member"], where["lines"]) == (
            "2026/members.xlsx", "会员", [2, 3]), entity
