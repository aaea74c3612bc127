"""Defects a QA pass found in the database connectors, each on the real servers: declarations
scoped to their asset, every schema of a MySQL server, broken objects and locks skipped alone,
inheritance read FROM ONLY, --include that selects nothing, names in comments, SQLite's
generated columns, GBK blobs and FTS shadow tables, PostgreSQL column grants."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from db_servers import (
    mysql_connect,
    mysql_tables,
    pg_tables,
    unique,
    with_database,
)

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, SourceResult, scan_serial
from pia.errors import UsageError

ID = "11010519491231002X"


def scan(uri: str, ctx: ScanContext, **options: Any) -> SourceResult:
    return scan_serial(connector_for(uri), uri, ScanOptions(**options), ctx)


def skipped(result: SourceResult) -> dict[str | None, str]:
    return {s["location"].get("table"): s["reason"] for s in result.skipped}


def items(result: SourceResult) -> dict[tuple[str, str], dict[str, Any]]:
    return {(i["location"]["table"], i["location"]["column"]): i for i in result.inventory}


def ids(n: int, start: int = 0) -> list[tuple[int, str]]:
    """``n`` distinct valid resident IDs (check digit computed)."""
    from stdnum.iso7064 import mod_11_2

    out = []
    for i in range(start, start + n):
        body = f"110105{19490101 + i % 28:08d}{i % 1000:03d}"
        out.append((i, body + mod_11_2.calc_check_digit(body)))
    return out


# --- 2: a declaration applies only to the sources its asset matches ---------------------------

def test_protection_declared_for_another_source_does_not_apply(pg_db: str,
                                                               ctx: ScanContext) -> None:
    digest = ("encode(decode(md5(g::text)||md5((g+1)::text),'hex'),'base64')",
              "encode(decode(md5((g+7)::text)||md5((g+9)::text),'hex'),'base64')")
    with pg_tables(pg_db, "enc", "CREATE TABLE enc(id int, sfzh text, phone text)",
                   f"INSERT INTO enc SELECT g, {digest[0]}, {digest[1]}"
                   " FROM generate_series(1, 300) g"):
        ctx.declaration = {"version": 1, "assets": [
            {"id": "other-mysql", "source": "mysql://root@10.9.9.9:3306/unrelated",
             "protection": {"encrypted_columns": ["enc.sfzh"]},
             "retention": {"timestamp_column": "enc.id"}},
            {"id": "pg", "source": pg_db.replace("postgres@", "postgres:pw@"),
             "protection": {"encrypted_columns": ["public.enc.phone"]}}]}
        result = scan(pg_db, ctx, include=["public.enc"])
    got = items(result)
    assert got[("enc", "phone")]["protection"] == "encrypted"
    assert got[("enc", "sfzh")]["protection"] == "hashed_unsalted"
    # the other asset's retention column is not this database's timestamp either
    assert not any(f["location"].get("column") == "id" for f in result.facts)


# --- 3: mysql:// without a database scans every schema the account sees -------------------------

def test_mysql_without_database_scans_every_visible_schema(my_db: str,
                                                           ctx: ScanContext) -> None:
    db = my_db.rsplit("/", 1)[-1]
    server = with_database(my_db, "")
    with mysql_tables(my_db, "m3", "CREATE TABLE m3(id int primary key, shouji varchar(11))",
                      ("INSERT INTO m3 VALUES (%s, %s)",
                       [(i, f"1381234{i:04d}") for i in range(50)])):
        result = scan(server, ctx, include=[f"{db}.*"])
        plan = connector_for(server).plan(server, ScanOptions(), ctx)
    assert {(k, i["location"]["database"], i["entity_type"])
            for k, i in items(result).items()} == {(("m3", "shouji"), db, "CN_MOBILE")}
    schemas = {p.spec["table"]["schema"] for p in plan.partitions}
    assert db in schemas and not schemas & {"mysql", "information_schema",
                                            "performance_schema", "sys"}
    with pytest.raises(UsageError, match="matches no table"):  # the server's own: never
        connector_for(server).plan(server, ScanOptions(include=["mysql.*"]), ctx)


# --- 4: one broken object is skipped with a reason; the rest is scanned ------------------------

def test_postgres_unpopulated_matview_is_skipped_alone(pg_db: str, ctx: ScanContext) -> None:
    with pg_tables(pg_db, "s CASCADE", "CREATE TABLE s(sfzh text)",
                   f"INSERT INTO s SELECT '{ID}' FROM generate_series(1, 20)",
                   "CREATE MATERIALIZED VIEW mv_nodata AS SELECT sfzh FROM s WITH NO DATA"):
        result = scan(pg_db, ctx, views=True)
    assert skipped(result) == {"mv_nodata": "public.mv_nodata: not readable in its current "
                                            "state (e.g. a materialized view never refreshed)"}
    assert ("s", "sfzh") in items(result)


def test_mysql_view_over_a_dropped_table_is_skipped_alone(my_db: str,
                                                          ctx: ScanContext) -> None:
    db = my_db.rsplit("/", 1)[-1]
    with mysql_tables(my_db, "ok", "CREATE TABLE src(sfzh varchar(18))",
                      "CREATE TABLE ok(shouji varchar(11))",
                      "INSERT INTO ok VALUES ('13812345678'), ('13912345678')",
                      "CREATE VIEW v_src AS SELECT sfzh FROM src", "DROP TABLE src"):
        try:
            result = scan(my_db, ctx, views=True)
        finally:
            mysql_admin = mysql_connect(my_db, autocommit=True)
            with mysql_admin.cursor() as cur:
                cur.execute("DROP VIEW v_src")
            mysql_admin.close()
    reason = skipped(result)["v_src"]
    assert reason.startswith(f"{db}.v_src: invalid view") and "Error" not in reason
    assert ("ok", "shouji") in items(result)


# --- 5: inheritance: a parent is read FROM ONLY itself -------------------------------------------

def test_postgres_inheritance_parent_reads_only_its_own_rows(pg_db: str,
                                                             ctx: ScanContext) -> None:
    with pg_tables(pg_db, "people_parent CASCADE",
                   "CREATE TABLE people_parent(id int, sfzh text)",
                   "CREATE TABLE people_child(extra text) INHERITS (people_parent)",
                   ("INSERT INTO people_parent VALUES (%s, %s)", ids(30)),
                   ("INSERT INTO people_child VALUES (%s, %s, 'x')", ids(3000, 100)),
                   "ANALYZE people_parent", "ANALYZE people_child"):
        result = scan(pg_db, ctx, include=["public.people_*"], sample=100, seed=3)
    got = items(result)
    assert got[("people_parent", "sfzh")]["sampled"] == 30  # not 3030: no child row
    assert 50 <= got[("people_child", "sfzh")]["sampled"] <= 150


# --- 7: locks: an excluded table's lock stalls nothing; a selected one is skipped alone ---------

@pytest.fixture
def short_locks(monkeypatch: pytest.MonkeyPatch) -> None:
    from pia.connectors import mysql, postgres

    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_S", 1)
    monkeypatch.setattr(mysql, "LOCK_TIMEOUT_S", 1)


def test_postgres_locks(pg_db: str, ctx: ScanContext, short_locks: None) -> None:
    import psycopg

    with pg_tables(pg_db, "cmt, customers", "CREATE TABLE cmt(x text)",
                   "CREATE TABLE customers(shouji text)",
                   "INSERT INTO customers SELECT '1381234' || lpad(g::text, 4, '0')"
                   " FROM generate_series(1, 50) g"), psycopg.connect(pg_db) as locker:
        locker.execute("LOCK TABLE cmt IN ACCESS EXCLUSIVE MODE")
        began = time.monotonic()
        result = scan(pg_db, ctx, include=["public.customers"])
        assert time.monotonic() - began < 1  # nothing waited for the lock
        assert ("customers", "shouji") in items(result)
        result = scan(pg_db, ctx)
        assert skipped(result) == {"cmt": "public.cmt: locked by another session "
                                          "(lock timeout)"}
        assert ("customers", "shouji") in items(result)
        locker.rollback()


def test_mysql_lock_skips_one_table(my_db: str, ctx: ScanContext, short_locks: None) -> None:
    db = my_db.rsplit("/", 1)[-1]
    with mysql_tables(my_db, "cmt, customers", "CREATE TABLE cmt(x varchar(10))",
                      "CREATE TABLE customers(shouji varchar(11))",
                      "INSERT INTO customers VALUES ('13812345678'), ('13912345678')"):
        locker: Any = mysql_connect(my_db)
        try:
            with locker.cursor() as cur:
                cur.execute("LOCK TABLES cmt WRITE")
            result = scan(my_db, ctx)
        finally:
            locker.close()
    assert skipped(result) == {"cmt": f"{db}.cmt: locked by another session "
                                      "(lock wait timeout)"}
    assert ("customers", "shouji") in items(result)


# --- 9: --include that selects nothing; bare globs match the whole table name ----------------

def test_include_that_selects_nothing_is_a_usage_error(pg_db: str, ctx: ScanContext) -> None:
    name = 'Weird "Table" name.with dots'
    with pg_tables(pg_db, '"Weird ""Table"" name.with dots"',
                   'CREATE TABLE "Weird ""Table"" name.with dots"(shouji text)',
                   "INSERT INTO \"Weird \"\"Table\"\" name.with dots\" VALUES ('13812345678')"):
        with pytest.raises(UsageError) as err:
            scan(pg_db, ctx, include=["nosuchtable"])
        assert str(err.value) == (f"--include 'nosuchtable' matches no table in postgresql "
                                  f"{pg_db.split('@', 1)[1]} (views are scanned only with"
                                  " --views)")
        assert {i["location"]["table"] for i in scan(pg_db, ctx, include=["Weird*"]).inventory
                } == {name}
        with pytest.raises(UsageError):
            scan(pg_db, ctx, include=["with dots"])


def test_exclude_that_leaves_nothing_is_a_usage_error(pg_db: str, ctx: ScanContext) -> None:
    """QA cli13 F2: ``--exclude '*'`` on a database gave a complete report of nothing, exit
    0, a clean audit; on a directory it was already a usage error. ``--include t --exclude
    t`` was said to match no table, though it matched one."""
    with pg_tables(pg_db, "members", "CREATE TABLE members(shouji text)"):
        where = pg_db.split("@", 1)[1]
        with pytest.raises(UsageError) as err:
            scan(pg_db, ctx, exclude=["*"])
        assert str(err.value).startswith(f"--exclude '*': no table of postgresql {where} is "
                                         "selected (")
        with pytest.raises(UsageError) as err:
            scan(pg_db, ctx, include=["members"], exclude=["members"])
        assert str(err.value).startswith(f"--include 'members' --exclude 'members': no table "
                                         f"of postgresql {where} is selected (")


def test_cli_include_that_selects_nothing_exits_2(pg_db: str, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "pia", "scan", pg_db, "--include",
                          "nosuchtable", "-o", "r.json", "-q"], cwd=tmp_path, text=True,
                         capture_output=True, timeout=120,
                         env=dict(os.environ, PIA_FINGERPRINT_KEY="k" * 32))
    assert run.returncode == 2, run.stderr
    [line] = run.stderr.splitlines()
    assert "--include 'nosuchtable' matches no table" in line


# --- 10: example names in the comments of name columns are masked ------------------------------

def test_names_quoted_in_comments_are_masked(pg_db: str, my_db: str,
                                             ctx: ScanContext) -> None:
    with pg_tables(pg_db, "cmt2", "CREATE TABLE cmt2(xm text)",
                   "COMMENT ON COLUMN cmt2.xm IS '客户姓名，示例：王小明'",
                   "INSERT INTO cmt2 SELECT '王' || g FROM generate_series(1, 50) g"):
        pg = scan(pg_db, ctx, include=["public.cmt2"])
    with mysql_tables(my_db, "c", "CREATE TABLE c(xingming varchar(20) COMMENT '姓名 如 张三')",
                      "INSERT INTO c VALUES ('李四'), ('王五'), ('赵六')"):
        my = scan(my_db, ctx, include=["*.c"])
    comments = [f["attributes"]["comment"] for r in (pg, my) for f in r.facts
                if f["kind"] == "column"]
    assert comments == ["客户姓名，示例：王**", "姓名 如 张*"]
    assert "王小明" not in json.dumps(pg.facts + my.facts, ensure_ascii=False)


# --- 11: SQLite: generated columns, GBK blobs, FTS shadow tables ---------------------------------

def test_sqlite_generated_columns_gbk_blobs_and_fts(tmp_path: Path, ctx: ScanContext) -> None:
    path = tmp_path / "s1.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE gen(id integer primary key, a text, b text,"
                 " full_id text GENERATED ALWAYS AS (a||b) VIRTUAL)")
    conn.execute("CREATE TABLE blobs(id integer primary key, raw blob)")
    conn.execute("CREATE VIRTUAL TABLE fts USING fts5(body)")
    for i, number in ids(200):
        mobile = f"139{i * 479_001 % 10**8:08d}"  # scattered: no numbering under full_id
        conn.execute("INSERT INTO gen(a, b) VALUES (?, ?)", (mobile[:5], mobile[5:]))
        conn.execute("INSERT INTO blobs(raw) VALUES (?)", (f"身份证 {number}".encode("gbk"),))
        conn.execute("INSERT INTO fts VALUES (?)", (f"客户 张伟 手机 {mobile}",))
    conn.commit()
    conn.close()
    got = items(scan(str(path), ctx))
    assert got[("gen", "full_id")]["entity_type"] == "CN_MOBILE"
    assert got[("blobs", "raw")]["entity_type"] == "CN_RESIDENT_ID"
    assert {t for t, _c in got if t.startswith("fts")} == {"fts"}


# --- 13: column grants; readable reasons ---------------------------------------------------------

def test_postgres_column_grants_scan_the_granted_columns(pg_admin: Any, pg_db: str,
                                                         ctx: ScanContext) -> None:
    import psycopg

    role = unique("pia_col")
    pg_admin.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        with pg_tables(pg_db, "typed", "CREATE TABLE typed(id int, m text, sfzh text)",
                       ("INSERT INTO typed VALUES (%s, %s, %s)",
                        [(i, f"1381234{i:04d}", n) for i, n in ids(40)]),
                       f'GRANT SELECT (id, m) ON typed TO "{role}"'):
            uri = pg_db.replace("postgres@", f"{role}@")
            result = scan(uri, ctx, include=["public.typed"])
            with psycopg.connect(pg_db, autocommit=True) as conn:
                conn.execute(f'REVOKE ALL ON typed FROM "{role}"')
    finally:
        pg_admin.execute(f'DROP ROLE "{role}"')
    got = items(result)
    assert set(got) == {("typed", "m"), ("typed", "sfzh")}
    # sfzh, denied, is known by its name alone (qa-db L3)
    assert (got[("typed", "sfzh")]["count"], got[("typed", "sfzh")]["not_sampled"]) == (
        0, "permission denied on the column")
    assert "not_sampled" not in got[("typed", "m")]
    assert skipped(result) == {"typed": "public.typed: permission denied on 1 of 3 columns "
                                        "(not scanned: sfzh)"}


def test_reasons_are_words_not_driver_classes() -> None:
    import psycopg
    import pymysql

    from pia.connectors.db.dsn import reason

    assert reason(psycopg.errors.UndefinedTable('relation "public.t2150" does not exist')) == (
        "table does not exist")
    assert reason(psycopg.errors.ObjectNotInPrerequisiteState("x")).startswith(
        "not readable in its current state")
    assert reason(psycopg.ProgrammingError(
        'invalid percent-encoded token: "Tr0ub%dor"')).startswith("invalid connection string")
    assert reason(psycopg.OperationalError("?")) == "the server could not run the statement"
    assert reason(pymysql.err.OperationalError(1356, "View 'x.v' references invalid table(s)"
                                               )).startswith("invalid view")


# --- 12: memory bounded by the table's width, not only its rows -------------------------------

def test_wide_tables_are_read_in_narrower_chunks(pg_db: str, ctx: ScanContext) -> None:
    """A chunk holds at most CHUNK_CELLS values: a 700-column, 10,000-row table read whole
    peaked at 831 MB in 5,000-row chunks, 256 MB in 357-row ones."""
    from pia.connectors.db.chunking import CHUNK_CELLS
    from pia.connectors.db.model import Table

    width = 300
    columns = ", ".join(f"c{i} text" for i in range(width))
    values = ", ".join(f"'v{i}'" for i in range(width))
    with pg_tables(pg_db, "wide", f"CREATE TABLE wide({columns})",
                   f"INSERT INTO wide SELECT {values} FROM generate_series(1, 1000)"):
        connector = connector_for(pg_db)
        options = ScanOptions(full=True, include=["public.wide"])
        [partition] = connector.plan(pg_db, options, ctx).partitions
        table = Table.from_spec(partition.spec["table"])
        conn = connector.connect(pg_db)
        try:
            sizes = [len(chunk) for chunk in connector.fetch(conn, table,
                                                             partition.spec["range"], options)]
        finally:
            conn.close()
    assert sum(sizes) == 1000 and max(sizes) * width <= CHUNK_CELLS
