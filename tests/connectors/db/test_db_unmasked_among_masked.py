"""A column of masked resident IDs (``110105********1234``) holding one unmasked, valid ID
(a row written before the masking migration) stores that ID in plaintext (QA D8): it was
``masked`` with no finding, while two such rows made it plaintext and a CSV field with the
same values was plaintext. The masked values already make it an ID column, so one raw ID
whose check digit holds is enough. Real SQLite, PostgreSQL and MariaDB scans."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from db_servers import mysql_tables, pg_tables, scan_json, unique

from pia.sample.synth import Synth


def _values(raw: int) -> list[tuple[int, str]]:
    """Ten IDs, all masked but the first ``raw`` ones."""
    syn = Synth(5)
    ids = [syn.resident_id() for _ in range(10)]
    return [(i, v if i < raw else f"{v[:6]}{'*' * 8}{v[-4:]}") for i, v in enumerate(ids)]


def _verdict(report: dict[str, Any], table: str) -> tuple[str, int, set[str]]:
    [item] = [i for i in report["inventory"] if i["location"]["table"] == table
              and i["location"]["column"] == "zj"]
    rules = {f["rule_id"] for f in report["findings"]
             if any(loc.get("table") == table and loc.get("column") == "zj"
                    for loc in f["locations"])}
    return item["protection"], item["count"], rules


def test_one_raw_id_among_masked_ones_is_plaintext_in_sqlite(tmp_path: Path) -> None:
    """Beside it, a column of the same IDs all masked stays masked."""
    path = tmp_path / "m.db"
    with sqlite3.connect(path) as conn:
        for table, raw in (("m", 1), ("n", 0)):
            conn.execute(f"CREATE TABLE {table} (id integer, zj text)")
            conn.executemany(f"INSERT INTO {table} VALUES (?, ?)", _values(raw))
    conn.close()
    report = scan_json(f"sqlite:///{path}", tmp_path)
    protection, count, rules = _verdict(report, "m")
    assert (protection, count) == ("plaintext", 1)
    assert "PIPL-28-SENSITIVE-PLAINTEXT" in rules
    protection, _count, rules = _verdict(report, "n")
    assert protection == "masked"
    assert "PIPL-28-SENSITIVE-PLAINTEXT" not in rules


@pytest.mark.parametrize("engine", ["postgresql", "mysql"])
def test_one_raw_id_among_masked_ones_is_plaintext_in_servers(
        engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    dsn = request.getfixturevalue("pg_db" if engine == "postgresql" else "my_db")
    tables = pg_tables if engine == "postgresql" else mysql_tables
    table = unique("m")
    placeholders = "%s, %s"
    with tables(dsn, table, f"CREATE TABLE {table}(id int, zj varchar(18))",
                (f"INSERT INTO {table} VALUES ({placeholders})", _values(1))):
        protection, count, rules = _verdict(scan_json(dsn, tmp_path), table)
    assert (protection, count) == ("plaintext", 1)
    assert "PIPL-28-SENSITIVE-PLAINTEXT" in rules
