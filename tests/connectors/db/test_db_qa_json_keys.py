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
