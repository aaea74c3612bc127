"""The fields a JSON column's keys name (a birth date under ``birthday``), in a table of
pupils under 14, on real SQLite, PostgreSQL (jsonb) and MariaDB (JSON) scans: the pupil's own
are the children's PI, sensitive (PIPL 28) as the table's other columns are, where they were
reported as an adult's general PI; those in the guardian's object, in a list of guardians,
in the emergency contact's object or in a column named for the guardian are that adult's
(``data_subject``), general PI, and no PIPL-28 finding calls them children's data.

So are the values the engine finds in a JSON column (mobiles, names) where every one stands
in the guardian's or the contact's object: the column's item is that adult's; a column that
also holds the pupil's own phone stays the children's."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
from pathlib import Path
from typing import Any

from db_estate import mobile, name, resident_id
from db_servers import mysql_tables, pg_tables, unique
from test_db_guardian_columns import _scan

from pia.report import validation_errors

ROWS = 20
#: (column, field) → (sensitive, data_subject) of the birth dates
EXPECTED = {
    ("profile", "birthday"): (True, None),
    ("profile", "guardian.birthday"): (False, "guardian"),
    ("profile", "guardians.birthday"): (False, "guardian"),
    ("profile", "emergency_contact.birthday"): (False, "contact"),
    ("jhr_info", "birthday"): (False, "guardian"),
}
#: column → (sensitive, data_subject) of the mobiles the engine finds in its documents
MOBILES = {"profile": (False, "guardian"), "family": (False, "contact"), "mixed": (True, None)}
DOCUMENTS = ("profile", "jhr_info", "family", "mixed")


def _rows(seed: int) -> list[tuple[Any, ...]]:
    """Pupils born 2016-2018 with their birth date in a JSON profile beside their guardians'
    and contact's (born 1980-1989), and a JSON column of the guardian's."""
    rng = random.Random(seed)
    rows = []
    for i in range(ROWS):
        born = dt.date(2016 + i % 3, 1 + i % 12, 1 + i % 28)
        adult = dt.date(1980 + i % 10, 1 + i % 12, 1 + i % 28).isoformat()
        profile = {"birthday": born.isoformat(),
                   "guardian": {"birthday": adult, "name": name(rng), "phone": mobile(rng)},
                   "guardians": [{"birthday": adult}],
                   "emergency_contact": {"birthday": adult}}
        family = {"contact": {"relation": "祖母", "mobile": mobile(rng)}}
        mixed = {"phone": mobile(rng), "guardian": {"phone": mobile(rng)}}
        rows.append((i, name(rng), resident_id(rng, born),
                     *(json.dumps(doc, ensure_ascii=False) for doc in (
                         profile, {"birthday": adult}, family, mixed))))
    return rows


def _check(report: dict[str, Any], text: str, table: str, rows: list[tuple[Any, ...]]) -> None:
    assert validation_errors(report) == []
    births = {(i["location"]["column"], i["location"].get("field")): i
              for i in report["inventory"] if i["location"]["table"] == table
              and i["entity_type"] == "DATE_OF_BIRTH"}
    assert {key: (item["sensitive"], item.get("data_subject"))
            for key, item in births.items()} == EXPECTED
    mobiles = {i["location"]["column"]: (i["sensitive"], i.get("data_subject"))
               for i in report["inventory"] if i["location"]["table"] == table
               and i["entity_type"] == "CN_MOBILE"}
    assert mobiles == MOBILES
    children = {(loc.get("column"), loc.get("field")) for f in report["findings"]
                if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT"
                and "children" in f["evidence"]["triggers"]
                for loc in f["locations"] if loc.get("table") == table}
    assert ("profile", "birthday") in children
    assert not children & {key for key, (_, adult) in EXPECTED.items() if adult}
    for row in rows[:5]:
        assert row[2] not in text and json.loads(row[4])["birthday"] not in text
        assert json.loads(row[5])["contact"]["mobile"] not in text


def _insert(table: str, mark: str) -> str:
    return f"INSERT INTO {table} VALUES ({', '.join([mark] * (3 + len(DOCUMENTS)))})"


def test_sqlite_json_fields_of_pupils_and_guardians(tmp_path: Path) -> None:
    rows, path = _rows(31), tmp_path / "school.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE xuesheng(id integer primary key, xm text, sfzh text, "
                     + ", ".join(f"{column} text" for column in DOCUMENTS) + ")")
        conn.executemany(_insert("xuesheng", "?"), rows)
    conn.close()
    _check(*_scan(f"sqlite:///{path}", tmp_path), "xuesheng", rows)


def _on_server(tables: Any, dsn: str, tmp_path: Path, seed: int, text: str, doc: str) -> None:
    """The pupils' table on a server, in its own types for text and for JSON documents."""
    table, rows = unique("xuesheng"), _rows(seed)
    create = (f"CREATE TABLE {table}(id int primary key, xm {text}, sfzh {text}, "
              + ", ".join(f"{column} {doc}" for column in DOCUMENTS) + ")")
    with tables(dsn, table, create, (_insert(table, "%s"), rows)):
        scanned = _scan(dsn, tmp_path)
    _check(*scanned, table, rows)


def test_postgres_jsonb_fields_of_pupils_and_guardians(pg_db: str, tmp_path: Path) -> None:
    _on_server(pg_tables, pg_db, tmp_path, 32, "text", "jsonb")


def test_mariadb_json_fields_of_pupils_and_guardians(my_db: str, tmp_path: Path) -> None:
    _on_server(mysql_tables, my_db, tmp_path, 33, "varchar(18)", "JSON")


def test_sqlite_json_birth_dates_alone_show_the_children(tmp_path: Path) -> None:
    """A table whose only ages are birth dates under a JSON column's keys is the children's
    (their names and mobiles beside them sensitive); and a birth date of a child under the
    guardian's key (a mislabelled export) is the child's: the values outweigh the path."""
    rng, path = random.Random(34), tmp_path / "enrol.db"
    rows = [(i, name(rng), mobile(rng), json.dumps({
        "birthday": dt.date(2017, 1 + i % 12, 1 + i % 28).isoformat(),
        "guardian": {"birthday": dt.date(2016, 1 + i % 12, 1 + i % 28).isoformat()}}))
        for i in range(ROWS)]
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE baoming(id integer primary key, xm text, sjh text,"
                     " profile text)")
        conn.executemany("INSERT INTO baoming VALUES (?, ?, ?, ?)", rows)
    conn.close()
    report, text = _scan(f"sqlite:///{path}", tmp_path)
    items = {(i["location"]["column"], i["location"].get("field")):
             (i["entity_type"], i["sensitive"], i.get("data_subject"))
             for i in report["inventory"]}
    assert items == {("xm", None): ("CN_NAME", True, None),
                     ("sjh", None): ("CN_MOBILE", True, None),
                     ("profile", "birthday"): ("DATE_OF_BIRTH", True, None),
                     ("profile", "guardian.birthday"): ("DATE_OF_BIRTH", True, None)}
    assert not any(row[2] in text for row in rows)
