"""In a table of pupils under 14, the emergency contact's columns (紧急联系人姓名, 紧急联系人电话,
``jjlxr``, ``jjlxrdh``, ``emergency_contact_phone``) hold an adult's PI, as the guardian's do,
on real SQLite, PostgreSQL and MariaDB scans: sensitive by their type only (a mobile, a name:
general PI), ``data_subject: contact`` (an emergency contact is not always the guardian), and
no PIPL-28 finding calls them children's data; the pupils' own name and ID stay sensitive.

So are a contact person's (联系人电话, ``lxrdh``, ``contact_phone``, 联系人): a child under 14 is
no one's contact in its own record, so the person a 联系人 column names is another, an adult.
A contact number that names no person (``lxdh``, 联系电话) stays the pupil's own."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path
from typing import Any

from db_estate import mobile, name, resident_id
from db_servers import mysql_tables, pg_tables, unique
from test_db_guardian_columns import _scan

from pia.report import validation_errors

ROWS = 30
CHILDREN = ("xm", "sfzh", "lxdh")
CONTACT_PHONES = ("紧急联系人电话", "jjlxrdh", "emergency_contact_phone", "联系人电话", "lxrdh",
                  "contact_phone")
CONTACT_NAMES = ("紧急联系人姓名", "jjlxr", "联系人")
COLUMNS = ("id", *CHILDREN, *CONTACT_PHONES, *CONTACT_NAMES)


def _rows(seed: int) -> list[tuple[Any, ...]]:
    """Pupils born 2016-2018, a number of their record, their contacts' phones and names."""
    rng = random.Random(seed)
    return [(i, name(rng), resident_id(rng, dt.date(2016 + i % 3, 1 + i % 12, 1 + i % 28)),
             mobile(rng), *(mobile(rng) for _ in CONTACT_PHONES),
             *(name(rng) for _ in CONTACT_NAMES))
            for i in range(ROWS)]


def _check(report: dict[str, Any], text: str, table: str, rows: list[tuple[Any, ...]]) -> None:
    assert validation_errors(report) == []
    items = {i["location"]["column"]: i for i in report["inventory"]
             if i["location"]["table"] == table}
    for column in CHILDREN:
        assert (items[column]["sensitive"], items[column].get("data_subject")) == (
            True, None), column
    for column in CONTACT_PHONES:
        assert (items[column]["entity_type"], items[column]["sensitive"],
                items[column].get("data_subject")) == ("CN_MOBILE", False, "contact"), column
    for column in CONTACT_NAMES:
        assert (items[column]["entity_type"], items[column]["sensitive"],
                items[column].get("data_subject")) == ("CN_NAME", False, "contact"), column
    children = {loc.get("column") for f in report["findings"]
                if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT"
                and "children" in f["evidence"]["triggers"]
                for loc in f["locations"] if loc.get("table") == table}
    assert children == set(CHILDREN)
    for row in rows[:5]:
        assert not any(str(value) in text for value in row[1:])


def _create(table: str, key: str, person: str, phone: str, id_number: str) -> str:
    """The pupils' table in a server's own column types (a name's, a phone's, an ID's)."""
    kinds = {"xm": person, "sfzh": id_number, "lxdh": phone, **dict.fromkeys(CONTACT_PHONES, phone),
             **dict.fromkeys(CONTACT_NAMES, person)}
    columns = ", ".join(f"{column} {kind}" for column, kind in kinds.items())
    return f"CREATE TABLE {table}(id {key}, {columns})"


def _insert(table: str, mark: str) -> str:
    return f"INSERT INTO {table} VALUES ({', '.join([mark] * len(COLUMNS))})"


def test_sqlite_emergency_contacts_are_not_the_childrens(tmp_path: Path) -> None:
    rows, path = _rows(11), tmp_path / "school.db"
    with sqlite3.connect(path) as conn:
        conn.execute(_create("xuesheng", "integer primary key", "text", "text", "text"))
        conn.executemany(_insert("xuesheng", "?"), rows)
    conn.close()
    _check(*_scan(f"sqlite:///{path}", tmp_path), "xuesheng", rows)


def test_postgres_emergency_contacts_are_not_the_childrens(pg_db: str, tmp_path: Path) -> None:
    table, rows = unique("xuesheng"), _rows(12)
    with pg_tables(pg_db, table, _create(table, "int", "text", "text", "text"),
                   (_insert(table, "%s"), rows)):
        scanned = _scan(pg_db, tmp_path)
    _check(*scanned, table, rows)


def test_mariadb_emergency_contacts_are_not_the_childrens(my_db: str, tmp_path: Path) -> None:
    table, rows = unique("xuesheng"), _rows(13)
    create = _create(table, "int primary key", "varchar(8)", "varchar(11)", "varchar(18)")
    with mysql_tables(my_db, table, create, (_insert(table, "%s"), rows)):
        scanned = _scan(my_db, tmp_path)
    _check(*scanned, table, rows)
