"""A column named by a transaction word (``parent_id``, ``order_id``, ``parent_no``) whose
values are check-digit-valid resident IDs, or mobiles, is reported whatever it is called
(QA r2 D1: pupils' IDs under ``parent_id`` vanished, not even skipped), on real SQLite and
PostgreSQL scans. The name still makes look-alikes quiet: a tree's ``parent_id`` of integers,
an ``order_id`` of order numbers, a ``total_size`` of eleven-digit byte counts. In a log
line the engine keeps dropping an ID labelled ``order_id=`` (stats ``_recovered``)."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from db_estate import mobile, order_no, resident_id
from db_servers import pg_tables, unique

from pia.detection.engine import default_engine

ROWS = 40
ID_COLUMNS = ("parent_id", "order_id", "parent_no")
#: reported columns: (table suffix, column) → entity type
REPORTED = {("pupils", c): "CN_RESIDENT_ID" for c in ID_COLUMNS} | {
    ("contacts", "parent_id"): "CN_MOBILE"}
#: look-alikes the name keeps quiet
QUIET = {("nodes", "parent_id"), ("orders", "order_id"), ("orders", "total_size")}


def _tables(seed: int) -> dict[str, list[tuple[Any, ...]]]:
    """Pupils born 2016 (their IDs under three transaction names), mobiles under
    ``parent_id``, a tree and an order table."""
    rng = random.Random(seed)
    pupils = []
    for i in range(ROWS):
        child = resident_id(rng, dt.date(2016, 1 + i % 12, 1 + i % 28))
        pupils.append((i, child, child, child))
    return {
        "pupils": pupils,
        "contacts": [(i, mobile(rng)) for i in range(ROWS)],
        "nodes": [(i, str(i // 3) if i else None) for i in range(ROWS)],
        "orders": [(i, order_no(rng), str(rng.randint(13_000_000_000, 19_999_999_999)))
                   for i in range(ROWS)],
    }


COLUMNS = {"pupils": ("id", *ID_COLUMNS), "contacts": ("id", "parent_id"),
           "nodes": ("id", "parent_id"), "orders": ("id", "order_id", "total_size")}


def _scan(uri: str, tmp_path: Path) -> tuple[dict[str, Any], str]:
    out = tmp_path / "r.json"
    run = subprocess.run([sys.executable, "-m", "pia", "scan", uri, "-q", "--lang", "en",
                          "-o", str(out)], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path)
    assert run.returncode == 1, run.stderr  # children's plaintext IDs
    text = out.read_text(encoding="utf-8")
    return json.loads(text), text


def _check(report: dict[str, Any], text: str, names: dict[str, str],
           tables: dict[str, list[tuple[Any, ...]]]) -> None:
    items = {(i["location"]["table"], i["location"]["column"]): i for i in report["inventory"]}
    for (table, column), entity in REPORTED.items():
        item = items[(names[table], column)]
        assert item["entity_type"] == entity, (table, column)
        samples = item["evidence"]["samples"]
        assert samples and all("*" in s for s in samples), (table, column)
    for table, column in QUIET:
        assert (names[table], column) not in items, (table, column)
    for row in tables["pupils"][:5] + tables["contacts"][:5]:
        assert str(row[1]) not in text


def test_sqlite_transaction_named_columns(tmp_path: Path) -> None:
    tables, path = _tables(1), tmp_path / "school.db"
    conn = sqlite3.connect(path)
    for table, rows in tables.items():
        columns = COLUMNS[table]
        conn.execute(f"CREATE TABLE {table} ({', '.join(f'{c} text' for c in columns)})")
        conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})", rows)
    conn.commit()
    conn.close()
    report, text = _scan(f"sqlite:///{path}", tmp_path)
    _check(report, text, {t: t for t in tables}, tables)


def test_postgres_transaction_named_columns(pg_db: str, tmp_path: Path) -> None:
    tables = _tables(2)
    names = {t: unique(t) for t in tables}
    statements: list[Any] = []
    for table, rows in tables.items():
        columns = COLUMNS[table]
        statements.append(f"CREATE TABLE {names[table]}"
                          f"({', '.join(f'{c} text' for c in columns)})")
        statements.append((f"INSERT INTO {names[table]} VALUES"
                           f" ({', '.join(['%s'] * len(columns))})",
                           [tuple(None if v is None else str(v) for v in r) for r in rows]))
    with pg_tables(pg_db, ", ".join(names.values()), *statements):
        report, text = _scan(pg_db, tmp_path)
    _check(report, text, names, tables)


def test_a_log_line_still_drops_an_id_labelled_as_an_order_number() -> None:
    """Free text keeps the label's veto (a log's order number can pass the check digit);
    only a whole column of validated values overrules its name."""
    child = resident_id(random.Random(3), dt.date(2016, 3, 7))
    engine = default_engine()
    found = engine.analyze_lines([f"order_id={child}", f"parent_id: {child}", f"pid={child}"])
    assert [[m.entity_type for m in line] for line in found] == [[], [], ["CN_RESIDENT_ID"]]
