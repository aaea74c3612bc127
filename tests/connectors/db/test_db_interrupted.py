"""An interrupted database scan names the tables it did not scan.

Its skipped records said ``partition main.b#0 not scanned (interrupted)`` with an empty
location, so a report, its filters and SARIF could not place them; the reason named the table
only in prose."""

from __future__ import annotations

import sqlite3

from db_servers import make_ctx

from pia.connectors import connector_for
from pia.connectors.base import ScanOptions
from pia.executors.core import _partial_result


def test_an_unscanned_partition_is_located_at_its_table(tmp_path) -> None:
    db = tmp_path / "shop.db"
    with sqlite3.connect(db) as conn:
        for table in ("a", "b"):
            conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, phone TEXT)")
            conn.execute(f"INSERT INTO {table} (phone) VALUES ('13812345678')")
    uri = f"sqlite://{db}"
    connector, options, ctx = connector_for(uri), ScanOptions(), make_ctx()
    plan = connector.plan(uri, options, ctx)
    first, *rest = sorted(plan.partitions, key=lambda p: p.key)
    partials = {first.key: connector.scan_partition(first, options, ctx)}
    result = _partial_result(connector, plan, partials, options, ctx)
    unscanned = [s for s in result.skipped if "not scanned (interrupted)" in s["reason"]]
    assert [s["location"]["table"] for s in unscanned] == ["b"]
    assert [p.spec["table"]["name"] for p in rest] == ["b"]
    assert {item["location"]["table"] for item in result.inventory} == {"a"}
