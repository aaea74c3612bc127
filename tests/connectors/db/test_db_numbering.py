"""Eleven-digit numbering handed out in sequence (an ``id`` from 13900000001, an ``order_id``
counting in sevens, a text ``code``) is not a column of mobiles, on real SQLite, PostgreSQL
and MariaDB scans: every such value has a mobile's shape, and the columns were reported as
customers' mobiles with findings. Mobiles stay reported where they are mobiles: scattered
over the numbering plan under any name, consecutive under a name that says phone (a
company's block of lines) or that says nothing (``m``), and inside free text."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from db_estate import mobile
from db_servers import mysql_tables, pg_tables, unique

ROWS = 40
#: (table, column) → whether its values must be reported as mobiles
EXPECTED = {
    ("accounts", "id"): False,  # integer key from 13900000001
    ("accounts", "code"): False,  # text numbering counting in sevens
    ("accounts", "m"): True,  # the same numbering under a name that says nothing
    ("orders", "order_id"): False,
    ("staff", "mobile"): True,  # the company's consecutive lines, named as phones
    ("members", "member_code"): True,  # scattered mobiles under a name that says nothing
    ("tickets", "note"): True,  # consecutive numbers inside free text
}
COLUMNS = {"accounts": (("id", "bigint"), ("code", "text"), ("m", "text")),
           "orders": (("order_id", "bigint"), ("amount", "text")),
           "staff": (("mobile", "text"),),
           "members": (("member_code", "text"),),
           "tickets": (("note", "text"),)}


def _rows(seed: int) -> dict[str, list[tuple[Any, ...]]]:
    rng = random.Random(seed)
    return {
        "accounts": [(13_900_000_001 + i, str(15_800_000_000 + 7 * i), str(15_800_000_000 + i))
                     for i in range(ROWS)],
        "orders": [(18_600_000_000 + 13 * i, "12.50") for i in range(ROWS)],
        "staff": [(str(13_912_340_000 + i),) for i in range(ROWS)],
        "members": [(mobile(rng),) for _ in range(ROWS)],
        "tickets": [(f"客户来电 {13_712_340_000 + i} 要求退款",) for i in range(ROWS)],
    }


def _scan(uri: str, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "r.json"
    run = subprocess.run([sys.executable, "-m", "pia", "scan", uri, "-q", "--lang", "en",
                          "-o", str(out)], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def _check(report: dict[str, Any], names: dict[str, str]) -> None:
    mobiles = {(i["location"]["table"], i["location"]["column"]) for i in report["inventory"]
               if i["entity_type"] == "CN_MOBILE"}
    for (table, column), reported in EXPECTED.items():
        assert ((names[table], column) in mobiles) is reported, (table, column)


def _create(table: str, name: str, text_type: str) -> str:
    columns = ", ".join(f"{c} {text_type if t == 'text' else t}" for c, t in COLUMNS[table])
    return f"CREATE TABLE {name} ({columns})"


def test_sqlite_numbering_is_no_mobile(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    conn = sqlite3.connect(path)
    for table, rows in _rows(1).items():
        conn.execute(_create(table, table, "text"))
        conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    conn.commit()
    conn.close()
    _check(_scan(f"sqlite:///{path}", tmp_path), {t: t for t in COLUMNS})


def _server_scan(dsn: str, tables: Any, text_type: str, seed: int,
                 tmp_path: Path) -> None:
    """Create the tables in a server's database (``tables``: ``pg_tables`` or
    ``mysql_tables``), scan it, check the report."""
    names = {t: unique(t) for t in COLUMNS}
    statements: list[Any] = []
    for table, rows in _rows(seed).items():
        statements.append(_create(table, names[table], text_type))
        statements.append((f"INSERT INTO {names[table]} VALUES"
                           f" ({', '.join(['%s'] * len(rows[0]))})", rows))
    with tables(dsn, ", ".join(names.values()), *statements):
        report = _scan(dsn, tmp_path)
    _check(report, names)


def test_postgres_numbering_is_no_mobile(pg_db: str, tmp_path: Path) -> None:
    _server_scan(pg_db, pg_tables, "text", 2, tmp_path)


def test_mariadb_numbering_is_no_mobile(my_db: str, tmp_path: Path) -> None:
    _server_scan(my_db, mysql_tables, "varchar(64)", 3, tmp_path)
