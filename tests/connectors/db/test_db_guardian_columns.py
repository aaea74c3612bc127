"""In a table of pupils under 14, the columns that name the guardian hold an adult's PI, not
the children's (PIPL 28), on real SQLite, PostgreSQL and MariaDB scans.

The pupils' name, resident ID and own phone are the children's PI: sensitive, and their
PIPL-28 findings say ``children``. The guardian's phone (``jzdh``, ``parent_phone``, and
``lxdh2`` whose comment says 家长联系电话) is an ordinary mobile number: not sensitive, PIPL-51's
general PI, not raised for minors; so is the guardian's name (``jhrxm``: 监护人姓名 by its
initials); the guardian's resident ID (监护人身份证号) is sensitive by its type, its PIPL-28
finding says ``sensitive_type`` and not ``children``."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from db_estate import mobile, name, resident_id
from db_servers import mysql_tables, pg_tables, unique

from pia.report import validation_errors

ROWS = 40
GUARDIAN_PHONES = ("jzdh", "parent_phone", "lxdh2")
GUARDIAN_ID = "监护人身份证号"
GUARDIAN_NAME = "jhrxm"
CHILDREN = ("xm", "sfzh", "lxdh")
COLUMNS = ("id", *CHILDREN, *GUARDIAN_PHONES, GUARDIAN_ID, GUARDIAN_NAME)


def _rows(seed: int) -> list[tuple[Any, ...]]:
    """Pupils born 2016-2018, their guardians born 1980-1989."""
    rng = random.Random(seed)
    return [(i, name(rng), resident_id(rng, dt.date(2016 + i % 3, 1 + i % 12, 1 + i % 28)),
             mobile(rng), mobile(rng), mobile(rng), mobile(rng),
             resident_id(rng, dt.date(1980 + i % 10, 1 + i % 12, 1 + i % 28)), name(rng))
            for i in range(ROWS)]


def _scan(uri: str, tmp_path: Path) -> tuple[dict[str, Any], str]:
    out = tmp_path / "r.json"
    run = subprocess.run([sys.executable, "-m", "pia", "scan", uri, "-q", "--lang", "en",
                          "-o", str(out)], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path)
    assert run.returncode == 1, run.stderr  # the children's plaintext IDs: critical
    text = out.read_text(encoding="utf-8")
    return json.loads(text), text


def _check(report: dict[str, Any], text: str, table: str, rows: list[tuple[Any, ...]]) -> None:
    assert validation_errors(report) == []
    items = {i["location"]["column"]: i for i in report["inventory"]
             if i["location"]["table"] == table}
    for column in CHILDREN:
        assert items[column]["sensitive"] is True, column
        assert "data_subject" not in items[column], column
    for column in GUARDIAN_PHONES:
        assert (items[column]["entity_type"], items[column]["sensitive"],
                items[column]["data_subject"]) == ("CN_MOBILE", False, "guardian"), column
    assert (items[GUARDIAN_ID]["sensitive"], items[GUARDIAN_ID]["data_subject"]) == (
        True, "guardian")
    assert (items[GUARDIAN_NAME]["entity_type"], items[GUARDIAN_NAME]["sensitive"],
            items[GUARDIAN_NAME]["data_subject"]) == ("CN_NAME", False, "guardian")
    assert ("PIPL-28-SENSITIVE-PLAINTEXT", GUARDIAN_NAME) not in {
        (f["rule_id"], loc.get("column")) for f in report["findings"] for loc in f["locations"]}
    findings: dict[tuple[str, str], dict[str, Any]] = {}
    for f in report["findings"]:
        for loc in f["locations"]:
            if loc.get("table") == table:
                findings[(f["rule_id"], loc["column"])] = f
    for column in CHILDREN:
        assert "children" in findings[("PIPL-28-SENSITIVE-PLAINTEXT", column)][
            "evidence"]["triggers"], column
    for column in GUARDIAN_PHONES:
        assert ("PIPL-28-SENSITIVE-PLAINTEXT", column) not in findings, column
        general = findings[("PIPL-51-ENCRYPT-DEIDENT", column)]
        assert "severity_raised" not in general["evidence"], column
        assert "severity_raised" not in findings[("PIPL-51-CLASSIFICATION", column)][
            "evidence"], column
    assert findings[("PIPL-28-SENSITIVE-PLAINTEXT", GUARDIAN_ID)]["evidence"]["triggers"] == [
        "sensitive_type"]
    for row in rows[:5]:
        assert not any(str(value) in text for value in row[1:])


def test_sqlite_guardian_columns_are_not_the_childrens(tmp_path: Path) -> None:
    rows, path = _rows(1), tmp_path / "school.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE xuesheng (\n  id integer primary key,\n  xm text,\n  sfzh text,\n"
                 "  lxdh text,\n  jzdh text,\n  parent_phone text,\n  lxdh2 text, -- 家长联系电话\n"
                 f"  {GUARDIAN_ID} text,\n  jhrxm text\n)")
    conn.executemany(f"INSERT INTO xuesheng VALUES ({', '.join('?' * len(COLUMNS))})", rows)
    conn.commit()
    conn.close()
    report, text = _scan(f"sqlite:///{path}", tmp_path)
    _check(report, text, "xuesheng", rows)


def test_postgres_guardian_columns_are_not_the_childrens(pg_db: str, tmp_path: Path) -> None:
    table, rows = unique("xuesheng"), _rows(2)
    with pg_tables(pg_db, table,
                   f"CREATE TABLE {table}(id int, xm text, sfzh text, lxdh text, jzdh text,"
                   f" parent_phone text, lxdh2 text, {GUARDIAN_ID} text, jhrxm text)",
                   f"COMMENT ON COLUMN {table}.lxdh2 IS '家长联系电话'",
                   (f"INSERT INTO {table} VALUES ({', '.join(['%s'] * len(COLUMNS))})", rows)):
        report, text = _scan(pg_db, tmp_path)
    _check(report, text, table, rows)


def test_mariadb_guardian_columns_are_not_the_childrens(my_db: str, tmp_path: Path) -> None:
    table, rows = unique("xuesheng"), _rows(3)
    with mysql_tables(my_db, table,
                      f"CREATE TABLE {table}(id int primary key, xm varchar(8),"
                      " sfzh varchar(18), lxdh varchar(11), jzdh varchar(11),"
                      " parent_phone varchar(11), lxdh2 varchar(11) COMMENT '家长联系电话',"
                      f" {GUARDIAN_ID} varchar(18), jhrxm varchar(8))",
                      (f"INSERT INTO {table} VALUES ({', '.join(['%s'] * len(COLUMNS))})",
                       rows)):
        report, text = _scan(my_db, tmp_path)
    _check(report, text, table, rows)


def test_a_guardian_named_column_of_childrens_ids_is_the_childrens(tmp_path: Path) -> None:
    """QA r2 D5: a column named for the parent (parent_sfzh) or by the guardian's initials
    (jz_school) whose own values are pupils' resident IDs was labelled the guardian's, and
    the rules then read those children's IDs as no child's data. The values outweigh the
    name; the guardian's own IDs beside them stay the guardian's."""
    rng = random.Random(7)
    rows = [(i, name(rng), resident_id(rng, dt.date(2016 + i % 3, 1 + i % 12, 1 + i % 28)),
             resident_id(rng, dt.date(2017, 1 + i % 12, 1 + i % 28)),
             resident_id(rng, dt.date(2015, 1 + i % 12, 1 + i % 28)),
             resident_id(rng, dt.date(1980 + i % 10, 1 + i % 12, 1 + i % 28)))
            for i in range(ROWS)]
    path = tmp_path / "school.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE xuesheng (id integer primary key, xm text, sfzh text,"
                 f" parent_sfzh text, jz_school text, {GUARDIAN_ID} text)")
    conn.executemany("INSERT INTO xuesheng VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()
    report, text = _scan(f"sqlite:///{path}", tmp_path)
    items = {i["location"]["column"]: i for i in report["inventory"]
             if i["location"]["table"] == "xuesheng"}
    for column in ("parent_sfzh", "jz_school"):
        assert (items[column]["entity_type"], items[column]["sensitive"]) == (
            "CN_RESIDENT_ID", True), column
        assert "data_subject" not in items[column], column
    assert items[GUARDIAN_ID]["data_subject"] == "guardian"
    triggers = {loc["column"]: f["evidence"]["triggers"] for f in report["findings"]
                if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT" for loc in f["locations"]}
    assert "children" in triggers["parent_sfzh"] and "children" in triggers["jz_school"]
    assert triggers[GUARDIAN_ID] == ["sensitive_type"]
    assert not any(str(value) in text for row in rows[:5] for value in row[1:])
