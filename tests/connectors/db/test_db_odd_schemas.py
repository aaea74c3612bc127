"""Unusual but ordinary schemas on the real servers (qa-dbodd): a ``%`` in a table's name, dates
Python cannot hold, a SQL_ASCII database of GBK text, materialized views, partitioned tables,
row-level security, latin1 columns of legacy applications, system-versioned tables, and the
words of connection strings' mistakes. Each was a failed source, a crash or a silent gap."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from db_servers import (
    PG_DSN,
    mysql_connect,
    mysql_tables,
    pg_role,
    pg_tables,
    scratch_database,
    with_database,
)

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, SourceResult, scan_serial
from pia.errors import SourceError, UsageError

#: 60 different names (a column of a few names repeated reads as a list of categories)
NAMES = [s + g1 + g2 for s in "王李张刘陈杨" for g1, g2 in zip("伟芳娜敏静丽强磊军洋",
                                                          "洋军磊强丽静敏娜芳伟", strict=True)]
MOBILES = "SELECT '1381234' || lpad(g::text, 4, '0') FROM generate_series(1, 60) g"


def scan(uri: str, ctx: ScanContext, **options: Any) -> SourceResult:
    return scan_serial(connector_for(uri), uri, ScanOptions(**options), ctx)


def found(result: SourceResult) -> set[tuple[str, str, str]]:
    return {(i["location"]["table"], i["location"]["column"], i["entity_type"])
            for i in result.inventory}


def notes(result: SourceResult) -> dict[str, str]:
    return {s["location"].get("table", s["location"]["database"]): s["reason"]
            for s in result.skipped}


# --- 1: a '%' in a name is a character, not a placeholder ---------------------------------------

@pytest.mark.parametrize("options", [{}, {"full": True, "extra": {"partition_rows": 1}},
                                     {"sample": 1}])
def test_postgres_table_named_with_percent_is_scanned(pg_db: str, ctx: ScanContext,
                                                      options: dict[str, Any]) -> None:
    with pg_tables(pg_db, '"discount%", "50%_off"', 'CREATE TABLE "discount%"(sjh text)',
                   f'INSERT INTO "discount%" {MOBILES}', 'CREATE TABLE "50%_off"("m%s" text)',
                   f'INSERT INTO "50%_off" {MOBILES}', 'ANALYZE "discount%", "50%_off"'):
        result = scan(pg_db, ctx, **options)
    assert found(result) == {("discount%", "sjh", "CN_MOBILE"), ("50%_off", "m%s", "CN_MOBILE")}
    assert result.skipped == []


@pytest.mark.parametrize("options", [{}, {"full": True, "extra": {"partition_rows": 1}},
                                     {"sample": 1}])
def test_mysql_table_named_with_percent_is_scanned(my_db: str, ctx: ScanContext,
                                                   options: dict[str, Any]) -> None:
    rows = [(i, f"1381234{i:04d}") for i in range(1, 41)]
    with mysql_tables(my_db, "`rate%`, `m%s`",
                      "CREATE TABLE `rate%`(id int PRIMARY KEY, `sj%h` varchar(20))",
                      ("INSERT INTO `rate%%` VALUES (%s, %s)", rows),
                      "CREATE TABLE `m%s`(shouji varchar(20))",
                      ("INSERT INTO `m%%s` VALUES (%s)", [(m,) for _, m in rows])):
        result = scan(my_db, ctx, **options)
    assert found(result) == {("rate%", "sj%h", "CN_MOBILE"), ("m%s", "shouji", "CN_MOBILE")}
    assert result.skipped == []


# --- 2: values the server holds and Python cannot ------------------------------------------------

def test_postgres_infinite_and_out_of_range_times_fail_nothing(pg_db: str,
                                                               ctx: ScanContext) -> None:
    with pg_tables(pg_db, "customers, contracts", "CREATE TABLE customers(mobile text)",
                   f"INSERT INTO customers {MOBILES}",
                   "CREATE TABLE contracts(id int, valid_to date, signed timestamptz,"
                   " at time, term interval, stops date[], ends timestamp)",
                   "INSERT INTO contracts VALUES (1, 'infinity', '-infinity', '24:00:00',"
                   " '178000000 years', ARRAY['infinity'::date], 'infinity'),"
                   " (2, '0044-03-15 BC', '10000-01-01', '10:00', '1 day', NULL, '-infinity'),"
                   " (3, '2030-01-01', now(), NULL, NULL, NULL, NULL)"):
        result = scan(pg_db, ctx)
        whole = scan(pg_db, ctx, full=True)
    for got in (result, whole):
        assert got.skipped == []
        assert ("customers", "mobile", "CN_MOBILE") in found(got)
        assert {f["location"]["table"] for f in got.facts if f["kind"] == "table"} == {
            "customers", "contracts"}


@pytest.mark.parametrize("kind", ["json", "jsonb"])
def test_postgres_json_nested_past_the_stack_fails_nothing(pg_db: str, ctx: ScanContext,
                                                          kind: str) -> None:
    """A JSON value nested 3,000 deep (the server takes it) overflowed Python's stack in the
    driver's decoder: the scan died with a RecursionError traceback. It is read as text."""
    deep = '{"a":' * 3000 + '{"mobile": "13912345678"}' + "}" * 3000
    with pg_tables(pg_db, "docs", f"CREATE TABLE docs(id int, attrs {kind}, note text)",
                   f"INSERT INTO docs SELECT g, '{deep}', '1381234' || lpad(g::text, 4, '0')"
                   " FROM generate_series(1, 30) g"):
        result = scan(pg_db, ctx)
    assert result.skipped == []
    assert {("docs", "note", "CN_MOBILE"), ("docs", "attrs", "CN_MOBILE")} <= found(result)


# --- 3: a SQL_ASCII database of GBK text ----------------------------------------------------------

@pytest.fixture(scope="module")
def pg_ascii(pg_admin: Any) -> Iterator[str]:
    """A SQL_ASCII database whose rows a legacy application wrote in GBK."""
    import psycopg

    create = " ENCODING 'SQL_ASCII' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"
    for dsn in scratch_database(pg_admin.execute, PG_DSN, '"', create=create,
                                drop=" WITH (FORCE)"):
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("CREATE TABLE kehu(id int, xm varchar(20), info jsonb, dz text)")
            for i, name in enumerate(NAMES):
                conn.execute(b"INSERT INTO kehu VALUES (%d, '%s', '{\"lxr\": \"%s\"}', '%s')"
                             % (i, name.encode("gbk"), name.encode("gbk"),
                                "上海市徐汇区中山路61号".encode()))
            conn.execute("CREATE TABLE \"客户\"(shouji text)".encode("gbk"))
        yield dsn


def test_sql_ascii_database_is_scanned_and_its_gbk_text_decoded(pg_ascii: str,
                                                                ctx: ScanContext) -> None:
    result = scan(pg_ascii, ctx)
    assert ("kehu", "xm", "CN_NAME") in found(result)
    # a GBK table name is decoded for the report; such a session cannot send it back
    assert notes(result) == {"客户": "public.客户: a name of the table or of a column is not"
                             " ASCII in a SQL_ASCII database, whose session can send only"
                             " ASCII names: not read"}
    assert ("kehu", "xm", "CN_NAME") in found(scan(pg_ascii, ctx, include=["public.*"],
                                                   full=True))


# --- 4: materialized views hold rows at rest --------------------------------------------------

def test_postgres_materialized_view_is_scanned_without_views(pg_db: str,
                                                             ctx: ScanContext) -> None:
    with pg_tables(pg_db, "src CASCADE", "CREATE TABLE src(mobile text)",
                   f"INSERT INTO src {MOBILES}",
                   "CREATE MATERIALIZED VIEW mv_export AS SELECT mobile AS c1 FROM src",
                   "CREATE VIEW v_src AS SELECT mobile AS c2 FROM src"):
        result = scan(pg_db, ctx, include=["public.mv_export"])
        assert found(result) == {("mv_export", "c1", "CN_MOBILE")}
        with pytest.raises(UsageError, match=r"matches no table .* \(views are scanned only"
                                             r" with --views\)"):
            scan(pg_db, ctx, include=["public.v_src"])
        assert found(scan(pg_db, ctx, include=["public.v_src"], views=True)) == {
            ("v_src", "c2", "CN_MOBILE")}


# --- 5: a partitioned table is the parent users name ------------------------------------------

def test_postgres_partitioned_table_is_one_table_named_by_its_parent(pg_db: str,
                                                                      ctx: ScanContext) -> None:
    with pg_tables(pg_db, "crm.orders, other", "CREATE SCHEMA IF NOT EXISTS crm",
                   "CREATE TABLE crm.orders(created date, buyer_phone text)"
                   " PARTITION BY RANGE (created)",
                   "CREATE TABLE crm.orders_2024 PARTITION OF crm.orders"
                   " FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                   "CREATE TABLE crm.orders_2025 PARTITION OF crm.orders"
                   " FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                   "INSERT INTO crm.orders SELECT DATE '2024-01-01' + g,"
                   " '1381234' || lpad(g::text, 4, '0') FROM generate_series(1, 700) g",
                   "CREATE TABLE other(shouji text)", f"INSERT INTO other {MOBILES}"):
        whole = scan(pg_db, ctx, include=["crm.orders"], full=True)
        sampled = scan(pg_db, ctx, include=["crm.*"], sample=100)
        excluded = scan(pg_db, ctx, exclude=["crm.orders"])
    [item] = whole.inventory
    assert (item["location"]["table"], item["count"]) == ("orders", 700)
    [item] = sampled.inventory
    assert item["location"]["table"] == "orders" and 40 <= item["sampled"] <= 200
    assert found(excluded) == {("other", "shouji", "CN_MOBILE")}


# --- 6: rows row-level security hides --------------------------------------------------------

@pytest.fixture
def pg_reader(pg_admin: Any, pg_db: str) -> Iterator[str]:
    """A login role of the test's own, and the DSN that connects as it to ``pg_db``."""
    with pg_role(pg_admin, pg_db) as role:
        yield role


def test_postgres_row_level_security_gets_a_partial_coverage_note(
        pg_db: str, pg_reader: str, ctx: ScanContext) -> None:
    from pia.connectors.postgres import ROW_SECURITY

    as_reader = pg_db.replace("postgres@", f"{pg_reader}@", 1)
    with pg_tables(pg_db, "kyc, open_t, forced", "CREATE TABLE kyc(shouji text)",
                   f"INSERT INTO kyc {MOBILES}", "ALTER TABLE kyc ENABLE ROW LEVEL SECURITY",
                   "CREATE TABLE open_t(shouji text)", f"INSERT INTO open_t {MOBILES}",
                   "CREATE TABLE forced(shouji text)",
                   "ALTER TABLE forced ENABLE ROW LEVEL SECURITY",
                   "ALTER TABLE forced FORCE ROW LEVEL SECURITY",
                   f"GRANT SELECT ON kyc, open_t, forced TO {pg_reader}"):
        reader = scan(as_reader, ctx)
        owner = scan(pg_db, ctx, include=["kyc", "open_t"])
    assert notes(reader) == {"kyc": f"public.kyc: {ROW_SECURITY}",
                             "forced": f"public.forced: {ROW_SECURITY}"}
    assert notes(owner) == {}  # a superuser (and an owner) bypasses the policies


# --- 7: a connection string's mistakes, in its own words --------------------------------------

@pytest.mark.parametrize(("query", "said"), [
    ("?PASSWORD=x", "invalid connection string: a URI parameter the driver does not know"),
    ("?sslmod=disable", "invalid connection string: a URI parameter the driver does not know"),
    ("?sslmode=bogus", "invalid connection string: URI parameter 'sslmode' is 'bogus'"),
])
def test_postgres_uri_mistakes_are_named(query: str, said: str) -> None:
    from pia.connectors.postgres import PostgresConnector

    with pytest.raises(SourceError) as err:
        PostgresConnector().connect(with_database(PG_DSN, "postgres") + query)
    message = str(err.value)
    assert said in message and "authentication" not in message and "password" not in message


# --- 8, 9: MariaDB's legacy text and history --------------------------------------------------

def test_mysql_latin1_columns_of_utf8_or_gbk_bytes_are_read_as_text(my_db: str,
                                                                   ctx: ScanContext) -> None:
    with mysql_tables(my_db, "legacy", "CREATE TABLE legacy(c1 varchar(50), c2 varchar(80))"
                      " CHARACTER SET latin1"):
        conn: Any = mysql_connect(my_db, autocommit=True)
        conn.set_character_set("latin1")  # what a legacy application's connection said
        with conn.cursor() as cur:
            for i, name in enumerate(NAMES):
                codec = "utf-8" if i % 2 else "gbk"
                cur.execute(b"INSERT INTO legacy VALUES ('%s', 'M\xfcller')"
                            % name.encode(codec))
        conn.close()
        result = scan(my_db, ctx, full=True)
    [item] = [i for i in result.inventory if i["location"]["column"] == "c1"]
    assert (item["entity_type"], item["count"]) == ("CN_NAME", len(NAMES))


@pytest.mark.parametrize("full", [False, True])
def test_mysql_system_versioned_table_is_read_with_its_history(my_db: str, ctx: ScanContext,
                                                               full: bool) -> None:
    """An ID number masked in place and a mobile whose row was deleted are gone from the
    current rows but not from the disk: a system-versioned table's history keeps them, and
    the scan reads it (FOR SYSTEM_TIME ALL), with no note of anything unread."""
    with mysql_tables(my_db, "v", "CREATE TABLE v(id int PRIMARY KEY, sfzh varchar(18),"
                      " phone varchar(11)) WITH SYSTEM VERSIONING",
                      "INSERT INTO v VALUES (1, '11010519491231002X', NULL),"
                      " (2, NULL, '13812345678')",
                      "UPDATE v SET sfzh = '110***********002X' WHERE id = 1",
                      "DELETE FROM v WHERE id = 2"):
        result = scan(my_db, ctx, full=full)
    found = {(item["location"]["column"], item["entity_type"]): item
             for item in result.inventory}
    assert found[("sfzh", "CN_RESIDENT_ID")]["protection"] == "plaintext"
    assert ("phone", "CN_MOBILE") in found
    assert notes(result) == {}
    shown = repr(result.inventory) + repr(result.facts) + repr(result.skipped)
    assert "11010519491231002X" not in shown and "13812345678" not in shown
