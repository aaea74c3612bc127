"""Facts for the rules: database, tables with grants, PI columns with readers, distinct
estimates, birth years and minors, classification labels, declared timestamp ranges."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from db_estate import rows, tables
from db_servers import make_ctx, pg_tables

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, SourceResult, scan_serial
from pia.detection.recognizers.cn.resident_id import birth_date

ENGINES = {"sqlite": "sqlite_estate", "postgresql": "pg_estate", "mysql": "mysql_estate"}
def declaration(uri: str) -> dict[str, Any]:
    return {"version": 1, "assets": [{"id": "crm", "source": uri, "retention": {
        "timestamp_column": "customers.created_at"}}]}


def column_values(table: str, column: str) -> list[Any]:
    [tab] = [t for t in tables() if t.name == table]
    index = [c.name for c in tab.cols].index(column)
    return [row[index] for row in rows(tab)]


def age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@pytest.fixture(params=sorted(ENGINES), scope="module")
def result(request: pytest.FixtureRequest) -> tuple[str, SourceResult]:
    uri = str(request.getfixturevalue(ENGINES[request.param]))
    ctx = make_ctx()
    ctx.declaration = declaration(uri)
    return request.param, scan_serial(connector_for(uri), uri, ScanOptions(), ctx)


def facts(result: SourceResult, kind: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {(f["location"].get("table"), f["location"].get("column")): f["attributes"]
            for f in result.facts if f["kind"] == kind}


def test_database_and_table_facts(result: tuple[str, SourceResult]) -> None:
    engine, res = result
    [db] = [f for f in res.facts if f["kind"] == "database"]
    assert db["attributes"]["engine"] == engine
    assert set(db["attributes"]) == {"engine", "host", "database"}
    tabs = facts(res, "table")
    assert {t for t, _ in tabs} == {t.name for t in tables()}
    assert {t: a["row_estimate"] for (t, _c), a in tabs.items()} == {
        t.name: t.rows for t in tables()}
    assert all(set(a) == {"row_estimate", "rows_read", "grants", "column_grants", "public_read"}
               for a in tabs.values())
    # every table of the estate is read whole (none is larger than the default sample)
    assert {t: a["rows_read"] for (t, _c), a in tabs.items()} == {
        t.name: t.rows for t in tables()}


def test_birth_years_and_minors_from_resident_ids(result: tuple[str, SourceResult],
                                                  ctx: ScanContext) -> None:
    _engine, res = result
    attrs = facts(res, "column")[("customers", "id_card")]
    births = [birth_date(v) for v in column_values("customers", "id_card")]
    today = ctx.now.date()
    assert attrs["birth_years"] == {"min": min(b.year for b in births),
                                    "max": max(b.year for b in births)}
    assert attrs["minors_count"] == sum(age(b, today) < 14 for b in births) > 0


def test_minors_from_birth_dates(result: tuple[str, SourceResult], ctx: ScanContext) -> None:
    _engine, res = result
    attrs = facts(res, "column")[("customers", "birthday")]
    births = column_values("customers", "birthday")
    assert attrs["minors_count"] == sum(age(b, ctx.now.date()) < 14 for b in births) > 0


def test_distinct_estimates(result: tuple[str, SourceResult]) -> None:
    _engine, res = result
    cols = facts(res, "column")
    for column in ("id_card", "mobile"):
        true = len(set(column_values("customers", column)))
        assert abs(cols[("customers", column)]["distinct_estimate"] - true) <= 0.2 * true
    assert cols[("patients", "diagnosis")]["distinct_estimate"] == 3


def test_declared_timestamp_column_range(result: tuple[str, SourceResult]) -> None:
    _engine, res = result
    attrs = facts(res, "column")[("customers", "created_at")]
    values = column_values("customers", "created_at")
    assert dt.datetime.fromisoformat(attrs["oldest"].replace(" ", "T")) == min(values)
    assert dt.datetime.fromisoformat(attrs["newest"].replace(" ", "T")) == max(values)
    assert ("orders", "created_at") not in facts(res, "column")


def test_column_facts_only_for_pi_and_declared_columns(result: tuple[str, SourceResult]) -> None:
    _engine, res = result
    pi = {(i["location"]["table"], i["location"]["column"]) for i in res.inventory}
    assert set(facts(res, "column")) == pi | {("customers", "created_at")}
    for attrs in facts(res, "column").values():
        assert {"data_type", "comment", "readers", "public_read", "distinct_estimate",
                "birth_years", "minors_count", "oldest", "newest",
                "classification_label"} <= set(attrs)


@pytest.mark.parametrize("fixture", ["pg_estate", "mysql_estate"])
def test_comments_and_classification_labels(request: pytest.FixtureRequest, fixture: str,
                                            ctx: ScanContext) -> None:
    uri = request.getfixturevalue(fixture)
    res = scan_serial(connector_for(uri), uri, ScanOptions(include=["*customers"]), ctx)
    attrs = facts(res, "column")[("customers", "id_card")]
    assert attrs["comment"] == "身份证号 [class:L3]"
    assert attrs["classification_label"] == "L3"
    assert facts(res, "column")[("customers", "mobile")]["classification_label"] is None


@pytest.fixture
def pg_public(pg_estate: str) -> Iterator[str]:
    import psycopg

    with psycopg.connect(pg_estate, autocommit=True) as conn:
        conn.execute("GRANT SELECT ON customers TO PUBLIC")
        conn.execute("GRANT SELECT (phone_masked) ON orders TO PUBLIC")
    yield pg_estate
    with psycopg.connect(pg_estate, autocommit=True) as conn:
        conn.execute("REVOKE SELECT ON customers FROM PUBLIC")
        conn.execute("REVOKE SELECT (phone_masked) ON orders FROM PUBLIC")


def test_postgres_grant_to_public(pg_public: str, ctx: ScanContext) -> None:
    res = scan_serial(connector_for(pg_public), pg_public, ScanOptions(), ctx)
    tabs, cols = facts(res, "table"), facts(res, "column")
    assert tabs[("customers", None)]["public_read"] is True
    assert {"grantee": "PUBLIC", "privilege": "SELECT"} in tabs[("customers", None)]["grants"]
    assert cols[("customers", "id_card")]["public_read"] is True
    assert "PUBLIC" in cols[("customers", "id_card")]["readers"]
    assert tabs[("yh_xx", None)]["public_read"] is False
    assert cols[("yh_xx", "sfzh")]["readers"] == ["postgres"]
    assert tabs[("orders", None)]["public_read"] is False
    assert cols[("orders", "phone_masked")]["public_read"] is True


@pytest.fixture
def pg_typed(pg_estate: str) -> Iterator[str]:
    """Native types: inet addresses, jsonb documents, bigint mobiles, bytea payloads."""
    with pg_tables(
        pg_estate, "typed",
        "CREATE TABLE typed (id serial PRIMARY KEY, login_ip inet, profile jsonb,"
        " c_num bigint, payload bytea)",
        "INSERT INTO typed (login_ip, profile, c_num, payload)"
        " SELECT ('10.0.' || g % 250 || '.' || g % 200)::inet,"
        " jsonb_build_object('tel', (13800000000 + g * 7919)::text),"
        " 13900000000 + g * 104729, decode(md5(g::text) || md5((g + 1)::text), 'hex')"
        " FROM generate_series(1, 200) g",
    ) as dsn:
        yield dsn


def test_postgres_native_types(pg_typed: str, ctx: ScanContext) -> None:
    res = scan_serial(connector_for(pg_typed), pg_typed, ScanOptions(include=["*.typed"]), ctx)
    got = {(i["location"]["column"], i["entity_type"]) for i in res.inventory}
    assert got == {("login_ip", "IP_ADDRESS"), ("profile", "CN_MOBILE"), ("c_num", "CN_MOBILE")}


def test_birth_dates_of_children_are_sensitive(result: tuple[str, SourceResult]) -> None:
    """PIPL 28: the PI of anyone under 14 is sensitive, a birth date too (qa-db #3)."""
    _engine, res = result
    [item] = [i for i in res.inventory if (i["location"]["table"], i["location"]["column"])
              == ("customers", "birthday")]
    assert facts(res, "column")[("customers", "birthday")]["minors_count"] > 0
    assert (item["entity_type"], item["sensitive"]) == ("DATE_OF_BIRTH", True)


@pytest.mark.parametrize(("now", "sensitive"), [
    ("2026-12-30T15:59:59+00:00", True),  # 23:59:59 on 30 December in Beijing: still 13
    ("2026-12-30T16:30:00+00:00", False),  # 00:30 on the 31st: 14, a birth date like others
])
def test_a_birth_date_is_sensitive_while_its_holder_is_under_14(tmp_path, now: str,
                                                               sensitive: bool) -> None:
    import sqlite3

    db = tmp_path / "pupils.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE pupils (xm text, csrq date)")
        conn.executemany("INSERT INTO pupils VALUES (?, ?)",
                         [(name, "2012-12-31") for name in ("王小明", "李小红", "张伟")])
    conn.close()
    ctx = make_ctx()
    ctx.now = dt.datetime.fromisoformat(now)
    res = scan_serial(connector_for(str(db)), str(db), ScanOptions(), ctx)
    items = {i["location"]["column"]: i for i in res.inventory}
    assert (items["csrq"]["entity_type"], items["csrq"]["sensitive"]) == (
        "DATE_OF_BIRTH", sensitive)


def test_a_table_of_children_makes_its_pi_sensitive_not_an_organisations_code(
        tmp_path) -> None:
    """Every PI column of a table holding children's rows is sensitive (PIPL 28), the names
    as much as the birth dates; the school's unified social credit code beside them is an
    organisation's, and stays what it is."""
    import sqlite3

    db = tmp_path / "pupils.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE pupils (xm text, csrq date, xuexiao_xydm text)")
        conn.executemany("INSERT INTO pupils VALUES (?, ?, ?)",
                         [(name, "2019-05-01", "91350100M000100Y43")
                          for name in ("王小明", "李小红", "张伟")])
    conn.close()
    ctx = make_ctx()
    ctx.now = dt.datetime.fromisoformat("2026-06-01T00:00:00+00:00")
    res = scan_serial(connector_for(str(db)), str(db), ScanOptions(), ctx)
    sensitive = {i["entity_type"]: i["sensitive"] for i in res.inventory}
    assert sensitive == {"CN_NAME": True, "DATE_OF_BIRTH": True, "CN_USCC": False}
