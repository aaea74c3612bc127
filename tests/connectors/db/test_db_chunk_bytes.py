"""What a database scan holds at once is bounded by bytes as well as rows and cells
(qa-scale D2): 150 PostgreSQL rows of 10 MB documents were fetched as one chunk and peaked at
3.37 GB. Each engine's reads, whole and sampled, are checked on a real table of large
values with the byte budget lowered, and every value is still analysed whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from db_servers import mysql_tables, pg_tables, unique

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, scan_serial
from pia.connectors.db import chunking
from pia.connectors.db.chunking import chunks, next_fetch, row_bytes
from pia.connectors.db.stats import TableStats

BUDGET = 1_000_000
VALUE = 300_000  # characters a value: four reach the budget
ROWS = 20


def test_chunks_end_at_the_row_that_reaches_the_byte_budget() -> None:
    rows = [(i, "x" * VALUE, None) for i in range(ROWS)]
    got = list(chunks(rows, size=5000, budget=BUDGET))
    assert [len(c) for c in got] == [4] * 5
    assert [r for c in got for r in c] == rows
    # a value larger than the budget is kept whole, in a chunk of its own
    assert list(chunks([(1, "y" * (3 * BUDGET)), (2, "z")], budget=BUDGET)) == [
        [(1, "y" * (3 * BUDGET))], [(2, "z")]]
    # ordinary rows: the row and cell bounds alone, as before
    assert [len(c) for c in chunks([(i, "13812345678") for i in range(12_000)])] == [
        5000, 5000, 2000]


def test_a_fetch_by_count_asks_for_fewer_rows_when_they_are_wide() -> None:
    assert next_fetch(5000, row_bytes((1, "a" * 100)), BUDGET) == 5000
    assert next_fetch(5000, row_bytes((1, "a" * VALUE, b"b" * VALUE)), BUDGET) == 1
    assert next_fetch(5000, VALUE, BUDGET) == 3
    assert next_fetch(5000, 50 * BUDGET, BUDGET) == 1


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(rows, bytes) of each chunk the scan analyses, the byte budget lowered to ``BUDGET``."""
    monkeypatch.setattr(chunking, "CHUNK_BYTES", BUDGET)
    seen: list[tuple[int, int]] = []
    add = TableStats.add

    def recorded(self: TableStats, rows: list[tuple[Any, ...]]) -> None:
        seen.append((len(rows), sum(map(row_bytes, rows))))
        add(self, rows)

    monkeypatch.setattr(TableStats, "add", recorded)
    return seen


def value(i: int) -> str:
    """A large value with a mobile number at its end: found only if analysed whole."""
    return "lorem ipsum dolor " * (VALUE // 18) + f" 1381234{i:04d}"


def check(uri: str, table: str, ctx: ScanContext, held: list[tuple[int, int]],
          sample: int) -> None:
    result = scan_serial(connector_for(uri), uri, ScanOptions(sample=sample), ctx)
    assert held, "nothing was read"
    assert all(rows == 1 or size < BUDGET + VALUE + 100 for rows, size in held), held
    read = sum(rows for rows, _ in held)
    assert read == ROWS if sample >= ROWS else 0 < read < ROWS
    [item] = [i for i in result.inventory if i["location"]["table"] == table]
    assert (item["entity_type"], item["count"]) == ("CN_MOBILE", read)


@pytest.mark.parametrize("sample", [1000, 10])
def test_sqlite_reads_large_values_in_byte_bounded_chunks(
        tmp_path: Path, ctx: ScanContext, held: list[tuple[int, int]], sample: int) -> None:
    path = tmp_path / "docs.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE docs(id integer primary key, body text)")
        conn.executemany("INSERT INTO docs VALUES (?, ?)",
                         [(i, value(i)) for i in range(ROWS)])
    conn.close()
    check(f"sqlite:///{path}", "docs", ctx, held, sample)


@pytest.mark.parametrize("sample", [1000, 10])
def test_postgres_reads_large_values_in_byte_bounded_chunks(
        pg_db: str, ctx: ScanContext, held: list[tuple[int, int]], sample: int) -> None:
    table = unique("docs")
    with pg_tables(pg_db, table, f"CREATE TABLE {table}(id int primary key, body text)",
                   (f"INSERT INTO {table} VALUES (%s, %s)",
                    [(i, value(i)) for i in range(ROWS)]), f"ANALYZE {table}"):
        check(pg_db, table, ctx, held, sample)


@pytest.mark.parametrize("sample", [1000, 10])
def test_mariadb_reads_large_values_in_byte_bounded_chunks(
        my_db: str, ctx: ScanContext, held: list[tuple[int, int]], sample: int) -> None:
    table = unique("docs")
    with mysql_tables(my_db, table, f"CREATE TABLE {table}(id int primary key, body mediumtext)",
                      (f"INSERT INTO {table} VALUES (%s, %s)",
                       [(i, value(i)) for i in range(ROWS)]), f"ANALYZE TABLE {table}"):
        check(my_db, table, ctx, held, sample)
