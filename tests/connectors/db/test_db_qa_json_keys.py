"""PI a JSON column's keys name is found as a JSON file's keys find it (qa-db H5), located
by its path in the document (``field``)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from db_servers import mysql_tables, pg_tables

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, SourceResult, scan_serial

PASSWORDS = [f"hunter{n}x" for n in range(30)]


def scan(uri: str, ctx: ScanContext) -> SourceResult:
    return scan_serial(connector_for(uri), uri, ScanOptions(), ctx)


def found(result: SourceResult) -> dict[tuple[str, str | None, str], tuple[str, list[str]]]:
    return {(i["location"]["column"], i["location"].get("field"), i["entity_type"]):
            (i["protection"], i["signals"]) for i in result.inventory}


def _doc(n: int) -> str:
    return json.dumps({"password": PASSWORDS[n], "religion": "佛教",
                       "user": {"birthday": f"1990-01-{n % 9 + 1:02d}"},
                       "tags": [{"mima": f"abc{n}yz"}], "enabled": True}, ensure_ascii=False)


def _check(result: SourceResult, column: str) -> None:
    items = found(result)
    assert items[(column, "password", "CREDENTIAL")] == ("plaintext", ["name"])
    assert items[(column, "religion", "RELIGION")] == ("plaintext", ["name"])
    assert items[(column, "user.birthday", "DATE_OF_BIRTH")][0] == "plaintext"
    assert (column, "tags.mima", "CREDENTIAL") in items
    assert not any(p in repr(result.inventory) + repr(result.facts) for p in PASSWORDS)
    # the column is described for the rules (grants, classification label) as any PI one
    assert any(f["kind"] == "column" and f["location"]["column"] == column
               for f in result.facts)


@pytest.mark.parametrize("kind", ["jsonb", "json"])
def test_postgres_json_keys(kind: str, pg_db: str, ctx: ScanContext) -> None:
    rows = [(n, _doc(n)) for n in range(len(PASSWORDS))]
    with pg_tables(pg_db, "jattrs", f"CREATE TABLE jattrs(id int PRIMARY KEY, attrs {kind})",
                   ("INSERT INTO jattrs VALUES (%s, %s)", rows)):
        result = scan(pg_db, ctx)
    _check(result, "attrs")


def test_mysql_json_keys(my_db: str, ctx: ScanContext) -> None:
    rows = [(n, _doc(n)) for n in range(len(PASSWORDS))]
    with mysql_tables(my_db, "jattrs", "CREATE TABLE jattrs(id int PRIMARY KEY, attrs json)",
                      ("INSERT INTO jattrs VALUES (%s, %s)", rows)):
        result = scan(my_db, ctx)
    _check(result, "attrs")


def test_keys_of_no_pi_and_text_that_is_no_json_say_nothing(pg_db: str,
                                                            ctx: ScanContext) -> None:
    rows: list[tuple[Any, ...]] = [(n, json.dumps({"theme": "dark", "password_policy": "on"}),
                                    "{not json") for n in range(20)]
    with pg_tables(pg_db, "prefs", "CREATE TABLE prefs(id int PRIMARY KEY, p jsonb, t text)",
                   ("INSERT INTO prefs VALUES (%s, %s, %s)", rows)):
        result = scan(pg_db, ctx)
    assert [i for i in result.inventory if i["location"]["table"] == "prefs"] == []


#: users' names as a map's keys: no field name, so written * in a path
KEY_NAMES = ["张伟", "王芳", "欧阳娜娜", "李娜", "刘洋", "陈静", "杨磊", "赵敏"]


def _keyed(n: int) -> tuple[int, str, str, str]:
    """A row of session maps keyed by user (qa-files 5): by mobile, by resident ID, and by
    name (with a mobile as the key of a scalar, the path's last key)."""
    return (n, json.dumps({"users": {f"1381234{n:04d}": {"level": 3}}}),
            json.dumps({"users": {"110105199003071239": {"password": PASSWORDS[n]}}}),
            json.dumps({"users": {KEY_NAMES[n % len(KEY_NAMES)]: {"password": PASSWORDS[n]}},
                        "scores": {f"1391234{n:04d}": 5}}, ensure_ascii=False))


def _check_keyed(result: SourceResult) -> None:
    items = found(result)
    assert ("by_phone", None, "CN_MOBILE") in items
    assert ("by_id", None, "CN_RESIDENT_ID") in items
    # one item for every user's key, its path naming no user
    assert sorted(k for k in items if k[2] == "CREDENTIAL") == [
        ("by_id", "users.*.password", "CREDENTIAL"),
        ("by_name", "users.*.password", "CREDENTIAL")]
    shown = repr(result.inventory) + repr(result.facts)
    assert "110105199003071239" not in shown and "13812340001" not in shown
    assert not [name for name in KEY_NAMES if name in shown]
    assert "1391234" not in shown


@pytest.mark.parametrize("server", ["postgres", "mariadb"])
def test_json_keyed_by_user(server: str, request: pytest.FixtureRequest,
                            ctx: ScanContext) -> None:
    db = request.getfixturevalue("pg_db" if server == "postgres" else "my_db")
    tables, kind = (pg_tables, "jsonb") if server == "postgres" else (mysql_tables, "json")
    with tables(db, "sessions",
                f"CREATE TABLE sessions(id int PRIMARY KEY, by_phone {kind}, by_id {kind},"
                f" by_name {kind})",
                ("INSERT INTO sessions VALUES (%s, %s, %s, %s)",
                 [_keyed(n) for n in range(len(PASSWORDS))])):
        result = scan(db, ctx)
    _check_keyed(result)
