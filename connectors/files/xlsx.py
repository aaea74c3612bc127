"""Excel workbooks (``.xlsx``, ``.xlsm``) read as tables, not as the zip of XML they are.

An export to Excel is the commonest way personal information leaves a database; read as a
zip, its cells were text of ``xl/sharedStrings.xml`` with every item on "line 1" and no
column names (QA q1 D5). Each worksheet is read as a CSV file is: its first row names the
columns (classified as CSV headers are), each row is a line numbered as Excel numbers it
(an empty row is an empty line), and its cells are searched as CSV cells. A sheet is a blob
of its own, located as an archive member is: ``export.xlsx!客户信息`` (``member`` is the
sheet's name).

Read with openpyxl in read-only mode with the cached values (``data_only``): no formula is
evaluated, no external link is loaded, no macro kept. The zip's members pass the archive
limits first (``blobs.zip_members``: ratio, sizes), and a sheet is cut after ``MAX_CELLS``
cells, as a text blob is cut at its byte budget; a workbook that cannot be opened
(encrypted, which is an OLE file and no zip, or corrupt) is skipped with a one-line reason.
Not read: a sheet's header below title rows (row 1 is always the header), charts, comments.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import IO, Any

from pia.connectors.files.text import TextScan

#: the members that make a zip an Office Open XML workbook
_WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
#: cells read from one sheet at most (about 80 MB of CSV at ten characters a cell)
MAX_CELLS = 8_000_000
#: why an ``.xls`` (Excel 97-2003, an OLE compound file) is not read
LEGACY_REASON = "legacy Excel workbook (.xls): not read; save it as .xlsx to scan it"


def is_workbook(zf: zipfile.ZipFile) -> bool:
    """Is this zip an Excel workbook (its content types and ``xl/workbook.xml``)?"""
    names = set(zf.namelist())
    return all(part in names for part in _WORKBOOK_PARTS)


def _cell_text(value: Any) -> str:
    """A cell's value as a CSV cell of the export would show it: an ID or a mobile number
    stored as a number reads as its digits (13812345678.0 is 13812345678), a date as ISO;
    a line break in a cell becomes a space so that one row stays one line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return " ".join(str(value).splitlines())


class _SheetLines:
    """A reader (``read(n)``) of a sheet as UTF-8 CSV text, one line per row, row numbers
    kept; ``cut`` says the sheet was cut at ``MAX_CELLS``."""

    def __init__(self, rows: Iterator[tuple[Any, ...]], max_cells: int) -> None:
        self._rows = rows
        self._left = max_cells
        self._buffer = b""
        self.cut = False

    def _next_line(self) -> bytes | None:
        row = next(self._rows, None)
        if row is None:
            return None
        if len(row) > self._left:
            self.cut = True
            return None
        self._left -= len(row)
        cells = [_cell_text(cell.value if hasattr(cell, "value") else cell) for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(cells)
        return out.getvalue().encode("utf-8")

    def read(self, n: int = -1) -> bytes:
        parts, size = [self._buffer], len(self._buffer)
        while n < 0 or size < n:
            line = self._next_line()
            if line is None:
                break
            parts.append(line)
            size += len(line)
        data = b"".join(parts)  # joined once: appending line by line copies a chunk per row
        if n < 0:
            self._buffer = b""
            return data
        data, self._buffer = data[:n], data[n:]
        return data


def _rows_by_number(sheet: Any) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows from row 1, an empty tuple for each row the file leaves out, so a
    line's number is the row's."""
    expected = 1
    for row in sheet.iter_rows():
        number = next((c.row for c in row if getattr(c, "row", None)), None)
        if number is not None:
            while expected < number:
                yield ()
                expected += 1
        yield row
        expected += 1


def scan_workbook(scanner: Any, fileobj: IO[bytes], location: dict[str, Any]) -> None:
    """Scan each worksheet of the workbook ``fileobj`` into ``scanner`` (a ``BlobScanner``):
    a blob per sheet, located ``{**location, "member": sheet name}``; a workbook openpyxl
    cannot open is a ``skipped`` record of ``location``."""
    import openpyxl  # imported here: only a workbook needs it

    max_cells = MAX_CELLS

    try:
        book = openpyxl.load_workbook(fileobj, read_only=True, data_only=True,
                                      keep_links=False, keep_vba=False)
    except Exception as err:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        scanner.skip(location, f"corrupt xlsx workbook ({type(err).__name__})")
        return
    try:
        for sheet in book.worksheets:
            where = {**location, "member": sheet.title}
            lines = _SheetLines(_rows_by_number(sheet), max_cells)
            scan = TextScan(scanner.ctx, fmt="csv", delimiter=",", header_in_blob=True,
                            mtime=scanner.mtime, name=f"{location.get('path', '')}!{sheet.title}")
            try:
                scan.run(lines.read, "utf-8")
            except Exception as err:  # noqa: BLE001 - a sheet's XML broken midway
                scanner.skip(where, f"corrupt xlsx sheet ({type(err).__name__}): read in part")
            scanner.blobs.append({"location": where, **scan.result(), "format": "xlsx"})
            if lines.cut:
                scanner.skip(where, f"xlsx sheet cut at {max_cells} cells: read in part",
                             warn=True)
    finally:
        book.close()
