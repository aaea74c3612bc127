"""A table that cannot be read keeps the items its catalogue gives (qa-db L3), on the real
PostgreSQL and MariaDB and on SQLite: a table the account may not SELECT from, one locked by
another session, a column the account holds no grant on, a table whose pages are corrupt.

Its columns whose names or comments say PI (sfzh, 身份证号, shouji) stay in the inventory,
known by name or comment alone (``signals``), nothing sampled (``count`` and ``sampled`` 0),
each saying why (``not_sampled``); the table is still listed as skipped with its reason, and
the plaintext rules leave those items undecided rather than passing or failing them."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from db_servers import pg_role, pg_tables, unique, with_database

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, SourceResult, scan_serial
from pia.rules import evaluate, load_rulesets
from pia.rules.engine import Result

MOBILES = [(i, f"1381234{i:04d}") for i in range(50)]


def scan(uri: str, ctx: ScanContext) -> SourceResult:
    return scan_serial(connector_for(uri), uri, ScanOptions(), ctx)


def unread(result: SourceResult, table: str) -> dict[str, tuple[Any, ...]]:
    return {i["location"]["column"]: (i["entity_type"], i["signals"], i["count"], i["sampled"],
                                      i.get("not_sampled"))
            for i in result.inventory if i["location"]["table"] == table}


def judge(result: SourceResult) -> Result:
    return evaluate(load_rulesets(["cn-pipl"]), result.inventory, result.facts,
                    today=dt.date(2026, 11, 30))


@contextmanager
def as_role(pg_admin: Any, dsn: str) -> Iterator[tuple[str, str]]:
    """(``dsn`` as a login role of the test's own, the role)."""
    with pg_role(pg_admin, dsn) as role:
        yield dsn.replace("postgres@", f"{role}@", 1), role


def test_a_postgres_table_denied_to_the_account_keeps_its_named_columns(
        pg_db: str, pg_admin: Any, ctx: ScanContext) -> None:
    denied, other = unique("kehu"), unique("other")
    with as_role(pg_admin, pg_db) as (as_reader, role), pg_tables(
            pg_db, f"{denied}, {other}",
            f"CREATE TABLE {denied}(id int, sfzh text, shouji text, note text, remark text)",
            f"COMMENT ON COLUMN {denied}.note IS '客户身份证号'",
            f"INSERT INTO {denied} SELECT g, 'x', 'y', 'z', 'w' FROM generate_series(1, 20) g",
            f"CREATE TABLE {other}(id int, mobile text)",
            (f"INSERT INTO {other} VALUES (%s, %s)", MOBILES),
            f"GRANT SELECT ON {other} TO {role}"):
        result = scan(as_reader, ctx)
    assert unread(result, denied) == {
        "sfzh": ("CN_RESIDENT_ID", ["name"], 0, 0, "permission denied"),
        "note": ("CN_RESIDENT_ID", ["comment"], 0, 0, "permission denied"),
        "shouji": ("CN_MOBILE", ["name"], 0, 0, "permission denied")}
    assert [(s["location"]["table"], s["reason"]) for s in result.skipped] == [
        (denied, f"public.{denied}: permission denied")]
    assert unread(result, other)["mobile"][2:] == (50, 50, None)  # read as before
    # the plaintext rules cannot say whether the unread columns are protected: undecided
    evaluation = judge(result)
    fired = {(f["rule_id"], loc.get("column")) for f in evaluation.findings
             for loc in f["locations"] if loc.get("table") == denied}
    assert not {r for r, _ in fired} & {"PIPL-28-SENSITIVE-PLAINTEXT", "PIPL-51-ENCRYPT-DEIDENT"}
    undecided = {n["location"]["column"]: n["reason"] for n in evaluation.not_evaluated
                 if n["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT" and n.get("location")}
    assert set(undecided) == {"sfzh", "note"}
    assert "column sfzh: its values could not be sampled (permission denied)" in undecided["sfzh"]


def test_a_postgres_column_without_a_grant_keeps_its_items(
        pg_db: str, pg_admin: Any, ctx: ScanContext) -> None:
    table = unique("users")
    with as_role(pg_admin, pg_db) as (as_reader, role), pg_tables(
            pg_db, table, f"CREATE TABLE {table}(id int, mobile text, sfzh text)",
            (f"INSERT INTO {table} VALUES (%s, %s, NULL)", MOBILES),
            f"GRANT SELECT (id, mobile) ON {table} TO {role}"):
        result = scan(as_reader, ctx)
    assert unread(result, table) == {
        "mobile": ("CN_MOBILE", ["name", "values"], 50, 50, None),
        "sfzh": ("CN_RESIDENT_ID", ["name"], 0, 0, "permission denied on the column")}


def test_a_postgres_table_locked_by_another_session_keeps_its_named_columns(
        pg_db: str, ctx: ScanContext, monkeypatch: pytest.MonkeyPatch) -> None:
    import psycopg

    from pia.connectors import postgres

    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_S", 1)
    locked, other = unique("hy"), unique("kehu")
    with pg_tables(pg_db, f"{locked}, {other}",
                   f"CREATE TABLE {locked}(id int, sfzh text)",
                   f"COMMENT ON COLUMN {locked}.sfzh IS '身份证号（AES加密）'",
                   f"CREATE TABLE {other}(shouji text)",
                   (f"INSERT INTO {other} VALUES (%s)", [(m,) for _, m in MOBILES])), \
            psycopg.connect(pg_db) as locker:
        locker.execute(f"LOCK TABLE {locked} IN ACCESS EXCLUSIVE MODE")
        result = scan(pg_db, ctx)
        locker.rollback()
    [item] = [i for i in result.inventory if i["location"]["table"] == locked]
    # the comment's claim is what is known, and the item says that nothing bore it out
    assert (item["entity_type"], item["count"], item["protection"]) == (
        "CN_RESIDENT_ID", 0, "encrypted")
    assert "lock" in item["not_sampled"], item["not_sampled"]
    assert [s["location"]["table"] for s in result.skipped] == [locked]
    evaluation = judge(result)
    assert any(n["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT"
               and n.get("location", {}).get("table") == locked
               for n in evaluation.not_evaluated)


@pytest.fixture
def my_reader(mysql_admin: Any, my_db: str) -> Iterator[tuple[str, str]]:
    """A MariaDB account that may INSERT into a table of customers but not read it, and may
    read another table; (its DSN, the denied table)."""
    user, db = unique("pia_rd"), my_db.rsplit("/", 1)[-1]
    denied, other = unique("kehu"), unique("other")
    with mysql_admin.cursor() as cur:
        cur.execute(f"CREATE TABLE `{db}`.{denied}(id int primary key, sfzh varchar(18),"
                    " remark varchar(40) COMMENT '手机号')")
        cur.execute(f"INSERT INTO `{db}`.{denied} VALUES (1, 'x', 'y')")
        cur.execute(f"CREATE TABLE `{db}`.{other}(id int primary key, mobile varchar(11))")
        cur.executemany(f"INSERT INTO `{db}`.{other} VALUES (%s, %s)", MOBILES)
        cur.execute(f"CREATE USER '{user}'@'%'")
        cur.execute(f"GRANT INSERT ON `{db}`.{denied} TO '{user}'@'%'")
        cur.execute(f"GRANT SELECT ON `{db}`.{other} TO '{user}'@'%'")
    try:
        yield with_database(f"mysql://{user}@127.0.0.1:3306/", db), denied
    finally:
        with mysql_admin.cursor() as cur:
            cur.execute(f"DROP USER '{user}'@'%'")
            cur.execute(f"DROP TABLE `{db}`.{denied}, `{db}`.{other}")


def test_a_mariadb_table_the_account_may_not_select_keeps_its_named_columns(
        my_reader: tuple[str, str], ctx: ScanContext) -> None:
    uri, denied = my_reader
    result = scan(uri, ctx)
    assert unread(result, denied) == {
        "sfzh": ("CN_RESIDENT_ID", ["name"], 0, 0, "permission denied"),
        "remark": ("CN_MOBILE", ["comment"], 0, 0, "permission denied")}
    assert any(s["location"].get("table") == denied for s in result.skipped)


def test_a_sqlite_table_of_corrupt_pages_keeps_its_named_columns(
        tmp_path: Path, ctx: ScanContext) -> None:
    path = tmp_path / "corrupt.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE kehu(id integer primary key, sfzh text, shouji text)")
    conn.execute("CREATE TABLE other(id integer primary key, mobile text)")
    conn.executemany("INSERT INTO kehu VALUES (?, ?, ?)", [(i, "x" * 20, "y") for i in range(300)])
    conn.executemany("INSERT INTO other VALUES (?, ?)", MOBILES)
    conn.commit()
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'kehu'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as f:  # the table's root page overwritten: the catalogue is intact
        f.seek((root - 1) * size)
        f.write(b"\xff" * size)
    result = scan(f"sqlite:///{path}", ctx)
    items = unread(result, "kehu")
    assert {c: v[:4] for c, v in items.items()} == {
        "sfzh": ("CN_RESIDENT_ID", ["name"], 0, 0), "shouji": ("CN_MOBILE", ["name"], 0, 0)}
    assert all(v[4] for v in items.values())
    assert unread(result, "other")["mobile"][2] == 50
