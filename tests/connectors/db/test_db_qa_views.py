"""A view whose query fails when it is read (a stored function raising SIGNAL or RAISE, a
scalar subquery of two rows), on the real servers: with ``--views`` it is skipped with a
value-free reason and the rest of the database is scanned, on MySQL/MariaDB as on PostgreSQL
(qa: one such MySQL view failed the whole source, exit 2, no report)."""

from __future__ import annotations

from typing import Any

import pytest
from db_servers import mysql_connect

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, SourceResult, scan_serial

MOBILE = "13812345678"
ROWS = [(1, MOBILE), (2, "13912345678"), (3, "13712345678")]


def scan(uri: str, ctx: ScanContext) -> SourceResult:
    return scan_serial(connector_for(uri), uri, ScanOptions(views=True), ctx)


def skips(result: SourceResult) -> dict[str, str]:
    return {s["location"]["table"]: s["reason"] for s in result.skipped}


def test_a_failing_mysql_view_is_skipped_not_the_source(my_db: str, ctx: ScanContext) -> None:
    conn: Any = mysql_connect(my_db, autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE kehu(id int primary key, shouji varchar(20))")
            cur.executemany("INSERT INTO kehu VALUES (%s, %s)", ROWS)
            cur.execute("CREATE FUNCTION boom(x varchar(20)) RETURNS varchar(20) DETERMINISTIC"
                        f" BEGIN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'bad {MOBILE}';"
                        " RETURN x; END")
            cur.execute("CREATE VIEW v_signal AS SELECT id, boom(shouji) AS shouji FROM kehu")
            cur.execute("CREATE VIEW v_twice AS SELECT id, (SELECT shouji FROM kehu) AS shouji"
                        " FROM kehu")
        result = scan(my_db, ctx)
    finally:
        with conn.cursor() as cur:
            cur.execute("DROP VIEW IF EXISTS v_signal, v_twice")
            cur.execute("DROP FUNCTION IF EXISTS boom")
            cur.execute("DROP TABLE IF EXISTS kehu")
        conn.close()
    said = skips(result)
    assert set(said) == {"v_signal", "v_twice"}, said
    assert said["v_signal"].endswith("a stored function it calls raised an error (SIGNAL)")
    assert MOBILE not in str(result.skipped) and "bad" not in said["v_signal"]
    assert {(i["location"]["table"], i["entity_type"]) for i in result.inventory
            if "not_sampled" not in i} == {("kehu", "CN_MOBILE")}


def test_a_failing_postgres_view_is_skipped_the_same(pg_db: str, ctx: ScanContext) -> None:
    import psycopg

    with psycopg.connect(pg_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE kehu(id int primary key, shouji text)")
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO kehu VALUES (%s, %s)", ROWS)
        conn.execute("CREATE FUNCTION boom(x text) RETURNS text LANGUAGE plpgsql AS"
                     " $$ BEGIN RAISE EXCEPTION 'bad %', x; END $$")
        conn.execute("CREATE VIEW v_raise AS SELECT id, boom(shouji) AS shouji FROM kehu")
    try:
        result = scan(pg_db, ctx)
    finally:
        with psycopg.connect(pg_db, autocommit=True) as conn:
            conn.execute("DROP VIEW v_raise")
            conn.execute("DROP FUNCTION boom(text)")
            conn.execute("DROP TABLE kehu")
    said = skips(result)
    assert set(said) == {"v_raise"}, said
    assert said["v_raise"].endswith("a stored function it calls raised an error (RAISE)")
    assert MOBILE not in str(result.skipped)
    assert {(i["location"]["table"], i["entity_type"]) for i in result.inventory
            if "not_sampled" not in i} == {("kehu", "CN_MOBILE")}


@pytest.mark.parametrize(("errno", "one_table"), [
    (1644, True), (1242, True), (1690, True), (1406, True), (1142, True), (1356, True),
    (2013, False), (2006, False), (1053, False), (1927, False), (1045, False), (1041, False),
])
def test_which_mysql_errors_fail_one_table(errno: int, one_table: bool) -> None:
    import pymysql

    from pia.connectors.mysql import MysqlConnector

    err = pymysql.err.OperationalError(errno, "text")
    assert MysqlConnector().is_table_error(err) is one_table
