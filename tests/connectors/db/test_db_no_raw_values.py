"""What a database scan writes holds no raw value: not in a column comment that gives an
example, not in a declared "timestamp" column that holds something else, not in the
journal's record of a table keyed by mobile number. Real PostgreSQL and MariaDB, and SQLite."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from db_servers import make_ctx, mysql_tables, pg_tables

from pia.connectors import connector_for
from pia.connectors.base import ScanOptions, scan_serial
from pia.executors import PartitionedExecutor, SerialRunner, StateOptions

ID = "11010519491231002X"
MOBILE = "13812345678"
EMAIL = "lina.qa77@qq.com"


@pytest.fixture
def pg_commented(pg_estate: str) -> Iterator[str]:
    with pg_tables(
        pg_estate, "noraw_pg",
        "CREATE TABLE noraw_pg (id int, email text, lxdh text)",
        f"COMMENT ON COLUMN noraw_pg.email IS '联系人邮箱，如 {EMAIL} [class:L3]'",
        f"COMMENT ON COLUMN noraw_pg.lxdh IS '联系电话 {MOBILE}'",
        "INSERT INTO noraw_pg SELECT g, 'u' || g || '@example.com',"
        " '1391234' || lpad(g::text, 4, '0') FROM generate_series(1, 50) g",
    ) as dsn:
        yield dsn


@pytest.fixture
def mysql_commented(mysql_estate: str) -> Iterator[str]:
    with mysql_tables(
        mysql_estate, "noraw_my",
        f"CREATE TABLE noraw_my (id int PRIMARY KEY, lxdh varchar(20) COMMENT '联系 {MOBILE}')",
        ("INSERT INTO noraw_my VALUES (%s, %s)", [(i, f"1391234{i:04d}") for i in range(1, 51)]),
    ) as dsn:
        yield dsn


def comments(uri: str, table: str) -> dict[str, str]:
    result = scan_serial(connector_for(uri), uri, ScanOptions(), make_ctx())
    return {f["location"]["column"]: f["attributes"]["comment"] for f in result.facts
            if f["kind"] == "column" and f["location"].get("table") == table}


def test_postgres_column_comments_are_shown_with_their_examples_masked(
        pg_commented: str) -> None:
    shown = comments(pg_commented, "noraw_pg")
    assert EMAIL not in json.dumps(shown) and MOBILE not in json.dumps(shown)
    assert shown["email"].startswith("联系人邮箱，如 ") and shown["email"].endswith(" [class:L3]")
    assert shown["lxdh"] == "联系电话 138****5678"


def test_mysql_column_comments_are_shown_with_their_examples_masked(
        mysql_commented: str) -> None:
    assert comments(mysql_commented, "noraw_my") == {"lxdh": "联系 138****5678"}


def test_the_classification_label_is_still_read_from_a_masked_comment(
        pg_commented: str) -> None:
    result = scan_serial(connector_for(pg_commented), pg_commented, ScanOptions(), make_ctx())
    [email] = [f for f in result.facts if f["kind"] == "column"
               and f["location"].get("table") == "noraw_pg"
               and f["location"]["column"] == "email"]
    assert email["attributes"]["classification_label"] == "L3"


@pytest.fixture
def keyed_by_id(tmp_path: Path) -> Path:
    path = tmp_path / "keyed.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE members (phone INTEGER PRIMARY KEY, sfzh TEXT, created TEXT)")
        db.executemany("INSERT INTO members VALUES (?, ?, ?)",
                       [(int(MOBILE), ID, "2024-05-01 10:00:00"),
                        (18600001111, "510107199001014561", "2025-01-02")])
    db.close()
    return path


def test_a_declared_timestamp_column_that_holds_no_time_reports_no_bound(
        keyed_by_id: Path) -> None:
    """Declaring ``sfzh`` as the retention timestamp by mistake must not copy the oldest and
    newest ID numbers into the report; a real timestamp column still gives its range."""
    uri = str(keyed_by_id)
    bounds = {}
    for column in ("sfzh", "created"):
        ctx = make_ctx()
        ctx.declaration = {"version": 1, "assets": [
            {"id": "a", "source": uri, "retention": {"timestamp_column": f"members.{column}"}}]}
        result = scan_serial(connector_for(uri), uri, ScanOptions(), ctx)
        assert ID not in json.dumps(result.facts)
        bounds.update({f["location"]["column"]: (f["attributes"]["oldest"],
                                                 f["attributes"]["newest"])
                       for f in result.facts if f["kind"] == "column"
                       and f["location"]["column"] == column})
    assert bounds["sfzh"] == (None, None)
    assert bounds["created"] == ("2024-05-01 10:00:00", "2025-01-02")


def test_the_journal_keeps_no_key_value(keyed_by_id: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    uri = str(keyed_by_id)
    with PartitionedExecutor(SerialRunner(), state=StateOptions(str(state))) as run:
        first = run(connector_for(uri), uri, ScanOptions(), make_ctx())
    written = "".join(p.read_text(encoding="utf-8") for p in state.rglob("*") if p.is_file())
    assert written and MOBILE not in written and "18600001111" not in written
    # and it still tells the table unchanged: the resumed scan takes it from the journal
    with PartitionedExecutor(SerialRunner(), state=StateOptions(str(state), resume=True)) as run:
        again = run(connector_for(uri), uri, ScanOptions(), make_ctx())
    assert again.inventory == first.inventory


def test_the_driver_masks_comments_without_building_the_hyperscan_engine() -> None:
    """Merging a table runs in the driver, whose engine is built lazily: masking a comment
    there compiled the whole Hyperscan database (2 s of CPU without the cache) for a line.
    The engine without Hyperscan finds the same."""
    from pia.detection.engine import default_engine
    from pia.scan import LazyEngine

    engine = LazyEngine([])
    comment = f"联系人邮箱，如 {EMAIL}，电话 {MOBILE}"
    assert engine.analyze(comment) == default_engine().analyze(comment)
    assert engine._full is None


PK_MOBILES = [13912340000 + i * 7 for i in range(300)]


@pytest.fixture
def mysql_keyed_by_mobile(mysql_estate: str) -> Iterator[str]:
    with mysql_tables(
        mysql_estate, "noraw_pk",
        "CREATE TABLE noraw_pk (mobile bigint PRIMARY KEY, xm varchar(10))",
        ("INSERT INTO noraw_pk VALUES (%s, %s)", [(m, "张三") for m in PK_MOBILES]),
    ) as dsn:
        yield dsn


@pytest.fixture
def sqlite_keyed_by_mobile(tmp_path: Path) -> str:
    db = tmp_path / "pk.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE noraw_pk (mobile INTEGER PRIMARY KEY, xm TEXT)")
        conn.executemany("INSERT INTO noraw_pk VALUES (?, ?)", [(m, "张三") for m in PK_MOBILES])
    return f"sqlite://{db}"


@pytest.mark.parametrize("sample", [10_000, 20])
@pytest.mark.parametrize("fixture", ["mysql_keyed_by_mobile", "sqlite_keyed_by_mobile"])
def test_partitions_carry_no_value_of_an_integer_key(
        fixture: str, sample: int, request: pytest.FixtureRequest) -> None:
    # the partitions are what a Dask scheduler holds: a key that is a mobile number must
    # not travel in them, as a table's bounds or as a range's
    uri = request.getfixturevalue(fixture)
    connector = connector_for(uri)
    options = ScanOptions(sample=sample, extra={"partition_rows": 40})
    ctx = make_ctx()
    plan = connector.plan(uri, options, ctx)
    parts = [p for p in plan.partitions if p.key.startswith(("noraw_pk#", "test.noraw_pk#"))
             or "noraw_pk#" in p.key]
    assert len(parts) > 1
    shown = json.dumps([p.spec for p in parts])
    assert not any(str(m) in shown for m in range(PK_MOBILES[0], PK_MOBILES[-1] + 1))
    # ... and the partitions still read every row, or the sample one partition reads
    rows = sum(connector.scan_partition(p, options, ctx)["rows"] for p in parts)
    one = ScanOptions(sample=sample, extra={"partition_rows": 10**6})
    ctx_one = make_ctx()
    [single] = [p for p in connector.plan(uri, one, ctx_one).partitions if "noraw_pk#" in p.key]
    assert rows == connector.scan_partition(single, one, ctx_one)["rows"]
    assert rows == (len(PK_MOBILES) if sample > len(PK_MOBILES) else rows) > 0
