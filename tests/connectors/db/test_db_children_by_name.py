"""A table's name alone does not make its PI children's (README, children): a ``students``
or 学生 table may hold university students, and even a 幼儿 or ``pupils`` table is judged by
the ages its rows show, not by what it is called, so pia claims no child without a resident
ID or a birth date under 14. One such value makes the whole table the children's.

This pins a decision, not a fix: the behaviour was already so when it was decided."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

from db_estate import mobile, name, resident_id

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, scan_serial

TABLES = ("pupils", "幼儿", "kindergarten_children", "students", "xs")


def test_a_childrens_table_name_without_ages_claims_no_child(tmp_path: Path,
                                                            ctx: ScanContext) -> None:
    rng, path = random.Random(41), tmp_path / "school.db"
    with sqlite3.connect(path) as conn:
        for table in (*TABLES, "pupils_with_one_id"):
            conn.execute(f'CREATE TABLE "{table}"(id integer primary key, xm text, sjh text,'
                         " sfzh text)")
            conn.executemany(f'INSERT INTO "{table}" VALUES (?, ?, ?, NULL)',
                             [(i, name(rng), mobile(rng)) for i in range(20)])
        conn.execute("UPDATE pupils_with_one_id SET sfzh = ? WHERE id = 3",
                     (resident_id(rng, dt.date(2017, 5, 7)),))
    conn.close()
    uri = f"sqlite:///{path}"
    inventory = scan_serial(connector_for(uri), uri, ScanOptions(), ctx).inventory
    by_table: dict[str, set[bool]] = {}
    for item in inventory:  # names and mobiles: general PI but for a child's
        if item["entity_type"] in ("CN_NAME", "CN_MOBILE"):
            by_table.setdefault(item["location"]["table"], set()).add(item["sensitive"])
    assert {table: by_table[table] for table in TABLES} == dict.fromkeys(TABLES, {False})
    assert by_table["pupils_with_one_id"] == {True}
