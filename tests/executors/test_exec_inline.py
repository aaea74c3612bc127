"""Little work runs in the driver: a pool of workers costs seconds to start (a process
each, importing pia, loading the detection engine), more than a small source takes to scan.
Files counted their bytes; tables always went to the workers, and the demo's sampled shop
scanned in 5.6 s on a pool of two against 3.2 s in the driver."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from exec_util import KEY

from pia.connectors.base import ScanOptions
from pia.executors import make_executor
from pia.executors.core import INLINE_ROWS
from pia.scan import ScanRequest, run_scan

TABLES = ("members", "orders", "refunds")


def shop(path: Path, rows: int) -> Path:
    """Three tables of ``rows`` mobile numbers each."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        for table in TABLES:
            db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, shouji TEXT)")
            db.executemany(f"INSERT INTO {table} (shouji) VALUES (?)",
                           [(f"139{i:08d}",) for i in range(rows)])
        db.commit()
    return path


def scan(db: Path, options: ScanOptions, inline_rows: int | None = None) -> tuple[dict, bool]:
    """The report of a two-worker local scan, and whether it started its pool."""
    executor = make_executor("local", workers=2)
    if inline_rows is not None:
        executor.inline_rows = inline_rows
    runner = executor.runner
    pools: list[object] = []
    start_pool = runner._pool_for  # type: ignore[attr-defined]
    runner._pool_for = lambda setup: pools.append(setup) or start_pool(setup)  # type: ignore
    outcome = run_scan(ScanRequest(sources=[str(db)], options=options, executor=executor,
                                   executor_name="local"))
    assert not outcome.failures and not outcome.interrupted
    return outcome.report, bool(pools)


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)


def found(report: dict) -> set[str]:
    return {i["location"]["table"] for i in report["inventory"]
            if i["entity_type"] == "CN_MOBILE"}


def test_a_small_database_is_scanned_without_starting_workers(tmp_path: Path) -> None:
    report, started = scan(shop(tmp_path / "shop.db", 300), ScanOptions())
    assert found(report) == set(TABLES)
    assert not started
    assert INLINE_ROWS > 3 * 300


def test_rows_over_the_threshold_go_to_the_workers(tmp_path: Path) -> None:
    report, started = scan(shop(tmp_path / "shop.db", 300), ScanOptions(), inline_rows=900)
    assert found(report) == set(TABLES)
    assert started


def test_a_sampled_table_counts_its_sample_not_its_rows(tmp_path: Path) -> None:
    """3 × 2,000 rows sampled 500 each read 1,500 rows: under a threshold of 2,000, in the
    driver; read whole (``--full``), 6,000 rows: on the workers."""
    db = shop(tmp_path / "shop.db", 2000)
    sampled, started = scan(db, ScanOptions(sample=500), inline_rows=2000)
    assert not started and found(sampled) == set(TABLES)
    full, started = scan(db, ScanOptions(sample=500, full=True), inline_rows=2000)
    assert started and found(full) == set(TABLES)
