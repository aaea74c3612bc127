"""Every value a scan reads reaches the detection engine: ``--full`` misses no row of a column
whose first rows hold no PI, and a sample over 2,000 rows counts all of its values (qa-db
finding 1: values 2,001-5,000 of a partition's first chunk were dropped, and a column clean in
those 2,000 was never analysed again, so ``--full`` found nothing in a table of 17,500 IDs)."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from db_servers import mysql_connect
from stdnum.iso7064 import mod_11_2

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, scan_serial

CLEAN = 2500  # rows of a placeholder before the IDs start: more than any probe would read
NOTED = 5000  # rows with a resident ID and a mobile after them (two chunks in all)
PHONES = 12_000  # rows of a column that is mobiles only


def _rows() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    rng = random.Random(6)
    memo = [(i, "正常办理业务，无异常") for i in range(CLEAN)]
    for i in range(CLEAN, CLEAN + NOTED):
        body = (f"{rng.choice(('110101', '310104', '440305'))}{rng.randint(1960, 2000)}"
                f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}")
        memo.append((i, f"客户来电 身份证 {body}{mod_11_2.calc_check_digit(body)}"
                        f" 手机 138{rng.randint(0, 99_999_999):08d}"))
    phones = [(i, f"13{rng.choice('5789')}{rng.randint(0, 99_999_999):08d}")
              for i in range(PHONES)]
    return memo, phones


CREATE = ("CREATE TABLE memo (id INTEGER PRIMARY KEY, remark TEXT)",
          "CREATE TABLE phones (id INTEGER PRIMARY KEY, mobile TEXT)")


def _fill(cur: Any, mark: str) -> None:
    memo, phones = _rows()
    for statement in CREATE:
        cur.execute(statement)
    cur.executemany(f"INSERT INTO memo VALUES ({mark}, {mark})", memo)
    cur.executemany(f"INSERT INTO phones VALUES ({mark}, {mark})", phones)


@pytest.fixture(scope="module")
def sqlite_uri(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("every") / "every.db"
    conn = sqlite3.connect(path)
    _fill(conn.cursor(), "?")
    conn.commit()
    conn.close()
    return f"sqlite://{path}"


@pytest.fixture(scope="module")
def pg_uri(pg_db: str) -> str:
    import psycopg

    with psycopg.connect(pg_db, autocommit=True) as conn, conn.cursor() as cur:
        _fill(cur, "%s")
        cur.execute("ANALYZE")
    return pg_db


@pytest.fixture(scope="module")
def my_uri(my_db: str) -> Iterator[str]:
    conn: Any = mysql_connect(my_db, autocommit=True)
    with conn.cursor() as cur:
        _fill(cur, "%s")
        cur.execute("ANALYZE TABLE memo, phones")
    conn.close()
    yield my_db


@pytest.fixture(params=["sqlite_uri", "pg_uri", "my_uri"])
def uri(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(request.param))


def _items(uri: str, options: ScanOptions, ctx: ScanContext) -> dict[tuple[str, str], Any]:
    result = scan_serial(connector_for(uri), uri, options, ctx)
    return {(i["location"]["table"], i["entity_type"]): i for i in result.inventory}


def test_full_reads_rows_after_a_clean_start(uri: str, ctx: ScanContext) -> None:
    items = _items(uri, ScanOptions(full=True, include=["*memo"]), ctx)
    for entity in ("CN_RESIDENT_ID", "CN_MOBILE"):
        item = items[("memo", entity)]
        assert (item["count"], item["sampled"]) == (NOTED, CLEAN + NOTED), item


def test_a_column_of_mobiles_is_all_mobiles(uri: str, ctx: ScanContext) -> None:
    full = _items(uri, ScanOptions(full=True, include=["*phones"]), ctx)[("phones", "CN_MOBILE")]
    assert (full["count"], full["share"]) == (PHONES, 1.0), full
    sample = _items(uri, ScanOptions(sample=5000, include=["*phones"]), ctx)[
        ("phones", "CN_MOBILE")]
    assert sample["sampled"] > 4000 and sample["count"] == sample["sampled"], sample
    assert sample["share"] == 1.0
