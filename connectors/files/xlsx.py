"""Excel workbooks (``.xlsx``, ``.xlsm``) read as tables, not as the zip of XML they are.

An export to Excel is the commonest way personal information leaves a database; read as a
zip, its cells were text of ``xl/sharedStrings.xml`` with every item on "line 1" and no
column names (QA q1 D5). Each worksheet is read as a CSV file is: its header row names the
columns (classified as CSV headers are), each row is a line numbered as Excel numbers it
(an empty row is an empty line), and its cells are searched as CSV cells. The header is
not always row 1: exports of business systems open with a title (报表名称, a merged cell
across the table), an export time and blank rows; ``header_row`` finds it. A sheet is a blob
of its own, located as an archive member is: ``export.xlsx!客户信息`` (``member`` is the
sheet's name). A workbook inside a zip or tar is read too (``blobs``), its sheets located
after its own member: ``exports.zip!客户.xlsx!客户信息``.

Read with openpyxl in read-only mode with the cached values (``data_only``): no formula is
evaluated, no external link is loaded, no macro kept. The zip's members pass the archive
limits first (``blobs.zip_members``: ratio, sizes), and a sheet is cut after ``MAX_CELLS``
cells unless the scan is ``--full``, as an object is cut at ``--max-bytes`` unless it is; a
workbook that cannot be opened (encrypted, which is an OLE file and no zip, or corrupt) is
skipped with a one-line reason.
Not read: charts, comments.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from itertools import chain, islice
from typing import IO, Any

from pia.connectors.files.sniff import csv_header
from pia.connectors.files.text import TextScan

#: the members that make a zip an Office Open XML workbook
WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
#: how a workbook is named (an archive's member is looked into when so named)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: cells read from one sheet at most (about 80 MB of CSV at ten characters a cell)
MAX_CELLS = 8_000_000
#: rows a sheet's header is looked for in (title, export time and blank rows above it)
HEADER_SEARCH_ROWS = 20
#: the filled rows below a header whose cells it must name
_ROWS_UNDER_HEADER = 5
#: rows read before a sheet is scanned, to find its header in
_ROWS_READ_FIRST = HEADER_SEARCH_ROWS + 4 * _ROWS_UNDER_HEADER


def is_workbook(zf: zipfile.ZipFile) -> bool:
    """Is this zip an Excel workbook (its content types and ``xl/workbook.xml``)?"""
    names = set(zf.namelist())
    return all(part in names for part in WORKBOOK_PARTS)


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
    kept; ``cut`` says the sheet was cut at ``max_cells`` (None: never)."""

    def __init__(self, rows: Iterator[tuple[Any, ...]], max_cells: int | None) -> None:
        self._rows = rows
        self._left = max_cells
        self._buffer = b""
        self.cut = False

    def header_row(self) -> int:
        """The sheet's header row (``header_row``), from its first rows read ahead."""
        first = list(islice(self._rows, _ROWS_READ_FIRST))
        self._rows = chain(first, self._rows)
        return header_row([_texts(row) for row in first])

    def _next_line(self) -> bytes | None:
        row = next(self._rows, None)
        if row is None:
            return None
        if self._left is not None:
            if len(row) > self._left:
                self.cut = True
                return None
            self._left -= len(row)
        cells = _texts(row)
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


def _texts(row: tuple[Any, ...]) -> list[str]:
    """A row's cells as text, without its empty cells at the end."""
    cells = [_cell_text(cell.value if hasattr(cell, "value") else cell) for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _named_columns(cells: list[str]) -> set[int] | None:
    """The columns a row names when it reads as a header (at least two distinct field
    names, every filled cell one, as a CSV header's: no number, date, sentence or
    ``报表名称：`` label), else None."""
    named = {index for index, cell in enumerate(cells) if cell.strip()}
    if len(named) < 2:  # a title, merged across the table or not, fills one cell
        return None
    line = io.StringIO()
    csv.writer(line, lineterminator="").writerow(cells)
    return named if csv_header(line.getvalue(), ",") is not None else None


def _filled(cells: list[str]) -> int:
    return sum(1 for cell in cells if cell.strip())


def header_row(rows: list[list[str]]) -> int:
    """The number (from 1) of the header among a sheet's first rows ``rows`` (cells as
    text): the first row that reads as a header (``_named_columns``) and whose names stand
    above the data: in each of the next ``_ROWS_UNDER_HEADER`` filled rows (at least one),
    four filled cells in five or more lie in a named column. A title row (one cell), an
    export time (``导出时间 | 2026-11-30``: a date is no name) and blank rows above it are
    passed over; so is a label row whose two cells stand above a wider table.

    The search stops at the first wide row (three quarters of the widest row's cells
    filled) that is not such a header: the table has begun, under a header with a column
    left unnamed or with none. Past it, a row of data that happens to be all words (张伟,
    男, 销售部) must not be taken for a header, which would make its values field names.
    Row 1 when no row qualifies: CSV's rule then decides whether it is a header or data."""
    widest = max((_filled(row) for row in rows), default=0)
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        named = _named_columns(cells)
        below = [row for row in rows[index + 1:] if _filled(row)][:_ROWS_UNDER_HEADER]
        if named is not None and below and all(
            5 * sum(1 for i, cell in enumerate(row) if cell.strip() and i in named)
            >= 4 * _filled(row)
            for row in below
        ):
            return index + 1
        if 4 * _filled(cells) >= 3 * widest:
            break
    return 1


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


def _sheet_member(location: dict[str, Any], sheet: str) -> str:
    """A sheet's ``member``: its name, after the workbook's own member when the workbook is
    one of an archive (``exports/客户.xlsx!客户信息``, in ``exports.zip``)."""
    return f"{location['member']}!{sheet}" if location.get("member") else sheet


def scan_sheets(scanner: Any, location: dict[str, Any],
                sheets: Iterable[tuple[str, Iterator[tuple[Any, ...]]]], fmt: str) -> None:
    """Scan a workbook's ``sheets`` (name, rows from row 1) into ``scanner`` (a
    ``BlobScanner``), a blob of ``fmt`` per sheet located at its ``member``. A sheet is cut
    at ``MAX_CELLS`` unless the scan is ``--full`` (``scanner.full``), which reads every
    cell, as it reads every row of a table and every object whole."""
    max_cells = None if scanner.full else MAX_CELLS
    for title, rows in sheets:
        where = {**location, "member": _sheet_member(location, title)}
        lines = _SheetLines(rows, max_cells)
        scan = TextScan(scanner.ctx, fmt="csv", delimiter=",", header_in_blob=True,
                        mtime=scanner.mtime, name=f"{location.get('path', '')}!{title}")
        try:
            scan.header_line = lines.header_row()
            scan.run(lines.read, "utf-8")
        except Exception as err:  # noqa: BLE001 - a sheet broken midway
            scanner.skip(where, f"corrupt {fmt} sheet ({type(err).__name__}): read in part")
        scanner.blobs.append({"location": where, **scan.result(), "format": fmt})
        if lines.cut:
            scanner.skip(where, f"{fmt} sheet cut at {max_cells} cells: read in part",
                         warn=True)


def scan_workbook(scanner: Any, fileobj: IO[bytes], location: dict[str, Any]) -> None:
    """Scan each worksheet of the workbook ``fileobj`` into ``scanner`` (``scan_sheets``);
    a workbook openpyxl cannot open is a ``skipped`` record of ``location``."""
    import openpyxl  # imported here: only a workbook needs it

    try:
        book = openpyxl.load_workbook(fileobj, read_only=True, data_only=True,
                                      keep_links=False, keep_vba=False)
    except Exception as err:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        scanner.skip(location, f"corrupt xlsx workbook ({type(err).__name__})")
        return
    try:
        scan_sheets(scanner, location, ((sheet.title, _rows_by_number(sheet))
                                        for sheet in book.worksheets), "xlsx")
    finally:
        book.close()
