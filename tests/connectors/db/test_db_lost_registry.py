"""A source given up mid-scan (``pia.connectors.lost``) is given up for that planning of it
only: the next scan of the same source in the same process, with the same context (a Dask
worker serving two scans, a library caller reusing its ``ScanContext``, whose ``now`` is the
same), plans again and reads it whole. The loss was keyed by the scan's start time, so a
second scan started from the same context found the source still lost and read nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, scan_serial
from pia.connectors.db import reconnect
from pia.connectors.db.connector import NothingRead


def _database(path: Path) -> None:
    conn = sqlite3.connect(path)
    for table in ("accounts", "orders"):
        conn.execute(f"CREATE TABLE {table}(id integer primary key, shouji text)")
        conn.executemany(f"INSERT INTO {table} VALUES (?, ?)",
                         [(i, f"1381234{i:04d}") for i in range(20)])
    conn.commit()
    conn.close()


def test_a_source_lost_in_one_scan_is_read_whole_by_the_next(
        tmp_path: Path, ctx: ScanContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reconnect, "RECONNECT_PAUSES", (0.0, 0.0))
    path, away = tmp_path / "app.db", tmp_path / "away.db"
    _database(path)
    uri = f"sqlite:///{path}"
    connector = connector_for(uri)
    planned = connector.plan

    def plan_then_remove(*args: Any) -> Any:
        plan = planned(*args)
        path.rename(away)  # gone once planned: no table can be connected to again
        return plan

    monkeypatch.setattr(connector, "plan", plan_then_remove)
    with pytest.raises(NothingRead) as lost:
        scan_serial(connector, uri, ScanOptions(), ctx)
    assert [s["reason"].split(": ", 1)[1] for s in lost.value.result.skipped] == [
        "cannot connect again (3 attempts): database file does not exist"] * 2

    away.rename(path)
    monkeypatch.undo()
    again = scan_serial(connector_for(uri), uri, ScanOptions(), ctx)
    assert (again.skipped, again.incomplete) == ([], [])
    assert sorted(i["location"]["table"] for i in again.inventory) == ["accounts", "orders"]
