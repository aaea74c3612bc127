"""Legacy Excel workbooks (``.xls``, Excel 97-2003) read as tables, as ``.xlsx`` ones are.

Business systems still export ``.xls``; skipped as an unread binary file, its personal
information went unreported. An ``.xls`` is an OLE compound file (``OLE_MAGIC``), found by
content, locally, in an archive and in object storage. It is read with xlrd (2.x reads
``.xls`` only, in pure Python): the values Excel saved, no formula evaluated, no macro run.
Each sheet then goes the way of an ``.xlsx`` sheet (``xlsx.scan_sheets``): its header row
found below title rows, a line per row numbered as Excel numbers it, its cells searched as
CSV cells, the sheet named in the location's ``member``, a cell cap unless ``--full``.

xlrd reads a workbook from memory, not from a stream: a file over ``MAX_BYTES`` (Excel 97
sheets hold at most 65,536 rows of 256 cells; exports are far smaller) is refused before it
is read. An OLE file that holds no workbook (a Word ``.doc``, an ``.xlsx`` saved with a
password) or an encrypted ``.xls`` is skipped saying so.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from pia.connectors.files.xlsx import scan_sheets

#: how every OLE compound file opens (an ``.xls``, a ``.doc``, an encrypted ``.xlsx``)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: bytes of an ``.xls`` read at most, all held in memory while it is read
MAX_BYTES = 256 << 20


def is_ole(head: bytes) -> bool:
    """Is this blob an OLE compound file (maybe an ``.xls``)?"""
    return head.startswith(OLE_MAGIC)


def _value(kind: int, value: Any, datemode: int) -> Any:
    """A cell as openpyxl would give it: a date as a ``datetime``, a boolean as a bool, an
    error (``#DIV/0!``) as nothing, a number as a float, text as text."""
    import xlrd

    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return value  # a date Python cannot hold: its serial number, as Excel stores it
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return None
    return value


def _rows(sheet: Any, datemode: int) -> Iterator[tuple[Any, ...]]:
    for number in range(sheet.nrows):
        yield tuple(_value(kind, value, datemode) for kind, value in
                    zip(sheet.row_types(number), sheet.row_values(number), strict=True))


def _sheets(book: Any) -> Iterator[tuple[str, Iterator[tuple[Any, ...]]]]:
    """The workbook's sheets one at a time, each unloaded once read."""
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        yield sheet.name, _rows(sheet, book.datemode)
        book.unload_sheet(index)


def scan_legacy_workbook(scanner: Any, data: bytes, location: dict[str, Any]) -> None:
    """Scan the sheets of the ``.xls`` ``data`` into ``scanner`` (a ``BlobScanner``); an OLE
    file that is no readable workbook is a ``skipped`` record of ``location``."""
    import xlrd  # imported here: only a legacy workbook needs it

    try:
        # xlrd writes its warnings to stdout unless given a log of its own
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except Exception as err:  # noqa: BLE001 - xlrd raises many kinds on what it cannot read
        if "encrypted" in str(err).lower():
            scanner.skip(location, "encrypted legacy Excel .xls workbook: not read")
        else:
            scanner.skip(location, "binary file (an OLE compound file that is no legacy Excel"
                         " .xls pia can read: a Word .doc, an encrypted .xlsx or a damaged"
                         f" .xls ({type(err).__name__}), not read)")
        return
    try:
        scan_sheets(scanner, location, _sheets(book), "xls")
    except Exception as err:  # noqa: BLE001 - a sheet's records broken
        scanner.skip(location, f"corrupt xls workbook ({type(err).__name__}): read in part")
    finally:
        book.release_resources()
