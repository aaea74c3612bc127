"""Health data under a JSON column's key (QA D1): ``{"diagnosis": "糖尿病", "medication":
"二甲双胍"}`` gave no item at all, while the same records as JSON lines or a CSV were HEALTH
(critical PIPL-28). The health recognizer finds a value only after one of its own labels
(病史：…), which the files connector writes before a key's value and a database's JSON text
lacks, and the key was not read for HEALTH since a recognizer exists for it. A key that is
the recognizer's own label (病史) stays the engine's find, counted once, and a field that
records nothing (无) or a flag (false) is no health information. Real PostgreSQL jsonb,
MariaDB JSON and SQLite text."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from db_servers import mysql_tables, pg_tables, scan_json, unique

ROWS = [(i, json.dumps({"diagnosis": "糖尿病" if i % 2 else "高血压", "medication": "二甲双胍",
                        "hiv": False, "病史": "哮喘", "allergy": "无"}, ensure_ascii=False))
        for i in range(10)]


def _health(report: dict[str, Any], table: str) -> dict[str | None, int]:
    return {i["location"].get("field"): i["count"] for i in report["inventory"]
            if i["location"]["table"] == table and i["entity_type"] == "HEALTH"}


def _assert_health(report: dict[str, Any], table: str) -> None:
    # 病史 is found by the engine in the column's text (no field), once; hiv and allergy: none
    assert _health(report, table) == {"diagnosis": 10, "medication": 10, None: 10}
    critical = {loc.get("field") for f in report["findings"]
                if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT"
                for loc in f["locations"] if loc.get("table") == table}
    assert {"diagnosis", "medication"} <= critical
    text = json.dumps(report, ensure_ascii=False)
    assert "糖尿病" not in text and "二甲双胍" not in text  # values never reach the report


def test_sqlite_json_text(tmp_path: Path) -> None:
    path = tmp_path / "hr.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE hr (id integer, ext text)")
        conn.executemany("INSERT INTO hr VALUES (?, ?)", ROWS)
    conn.close()
    _assert_health(scan_json(f"sqlite:///{path}", tmp_path), "hr")


@pytest.mark.parametrize("engine", ["postgresql", "mysql"])
def test_server_json_column(engine: str, request: pytest.FixtureRequest,
                            tmp_path: Path) -> None:
    dsn = request.getfixturevalue("pg_db" if engine == "postgresql" else "my_db")
    tables = pg_tables if engine == "postgresql" else mysql_tables
    table = unique("hr")
    kind = "jsonb" if engine == "postgresql" else "JSON"
    with tables(dsn, table, f"CREATE TABLE {table}(id int, ext {kind})",
                (f"INSERT INTO {table} VALUES (%s, %s)", ROWS)):
        _assert_health(scan_json(dsn, tmp_path), table)
