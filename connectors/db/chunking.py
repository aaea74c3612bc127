"""How many rows a database connector holds at once: one engine batch, bounded three ways.

Rows alone said nothing of a table's width or of a value's size: a 5,000-row chunk of 700 text
columns peaked at 830 MB, and 150 PostgreSQL rows of 10 MB documents at 3.37 GB. A chunk ends
at whichever of rows, cells and bytes it reaches first; nothing is analysed less for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pia.connectors.db.model import Table

#: rows fetched per round trip and per engine batch
CHUNK_ROWS = 5000
#: ... and values (rows x columns): a chunk of a 700-column table is ~350 rows, so memory is
#: bounded by a table's width as well as by its rows (a 5,000-row chunk of 700 text columns
#: peaked at 830 MB)
CHUNK_CELLS = 250_000
#: ... and bytes: the text and binary values a chunk holds. Rows and cells said nothing of a
#: value's size: 150 PostgreSQL rows of 10 MB documents were held at once and peaked at
#: 3.37 GB (qa-scale D2). A chunk ends at the row that reaches this, so a value larger than
#: it is still read and analysed whole, in a chunk of its own: nothing is analysed less.
CHUNK_BYTES = 32 << 20


def chunk_rows(table: Table) -> int:
    """Rows per chunk for ``table``: ``CHUNK_ROWS``, fewer for a wide table."""
    return max(1, min(CHUNK_ROWS, CHUNK_CELLS // max(1, len(table.columns))))


def row_bytes(row: tuple[Any, ...]) -> int:
    """What a row's text and binary values weigh (characters for text): what grows with a
    cell's size. Numbers, dates and the like are the cells ``CHUNK_CELLS`` bounds."""
    return sum(len(v) for v in row if isinstance(v, str | bytes | bytearray | memoryview))


def chunks(rows: Iterable[tuple[Any, ...]], size: int = CHUNK_ROWS,
           budget: int | None = None) -> Iterator[list[tuple[Any, ...]]]:
    """Group a row stream into lists of ``size`` rows (one engine batch each), fewer when
    they reach ``budget`` bytes (``CHUNK_BYTES``). The stream should be read row by row (an
    unbuffered cursor): rows fetched by the thousand are held before they are chunked."""
    budget = CHUNK_BYTES if budget is None else budget
    chunk: list[tuple[Any, ...]] = []
    held = 0
    for row in rows:
        chunk.append(row)
        held += row_bytes(row)
        if len(chunk) >= size or held >= budget:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


def next_fetch(size: int, widest: int, budget: int | None = None) -> int:
    """How many rows a driver that fetches by count (PostgreSQL's server-side cursor) asks
    for next: ``size``, fewer when the widest row seen so far (``row_bytes``) would make them
    exceed ``budget``. A table's first fetch is of one row, to see how wide they are."""
    return max(1, min(size, (CHUNK_BYTES if budget is None else budget) // max(1, widest)))
