"""The same estate on SQLite, PostgreSQL and MariaDB: column-level F1, protection states,
schema-valid items and facts, no raw value anywhere in the result."""

from __future__ import annotations

import json

import pytest
from db_estate import f1, rows, tables, truth
from db_servers import make_ctx

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, SourceResult, scan_serial
from pia.report import finalize, new_report, validation_errors

ENGINES = {"sqlite": "sqlite_estate", "postgresql": "pg_estate", "mysql": "mysql_estate"}


@pytest.fixture(params=sorted(ENGINES), scope="module")
def scanned(request: pytest.FixtureRequest) -> tuple[str, SourceResult]:
    uri = str(request.getfixturevalue(ENGINES[request.param]))
    return request.param, scan_serial(connector_for(uri), uri, ScanOptions(), make_ctx())


def found(result: SourceResult) -> set[tuple[str, str, str]]:
    return {(i["location"]["table"], i["location"]["column"], i["entity_type"])
            for i in result.inventory}


def test_column_f1_at_least_090(scanned: tuple[str, SourceResult]) -> None:
    engine, result = scanned
    expected = truth(engine)
    got = found(result)
    assert f1(got, expected) >= 0.9, (sorted(got - expected), sorted(expected - got))


def test_protection_states(scanned: tuple[str, SourceResult]) -> None:
    _engine, result = scanned
    by_column = {(i["location"]["table"], i["location"]["column"]): i for i in result.inventory}
    checked = 0
    for tab in tables():
        for column, protection in tab.protection.items():
            item = by_column[(tab.name, column)]
            assert (item["protection"], item["protected"]) == (
                protection, protection != "plaintext"), (tab.name, column)
            checked += 1
    assert checked >= 5


def test_ciphertext_card_column_is_a_protected_card_column(
        scanned: tuple[str, SourceResult]) -> None:
    _engine, result = scanned
    [item] = [i for i in result.inventory if i["location"]["column"] == "card_no_enc"]
    assert item["entity_type"] == "CN_BANK_CARD"
    assert item["protected"] is True and item["protection"] == "encrypted"
    assert item["sensitive"] is True


def test_digest_column_without_a_name_is_proven_by_hashing(
        scanned: tuple[str, SourceResult]) -> None:
    _engine, result = scanned
    [item] = [i for i in result.inventory
              if (i["location"]["table"], i["location"]["column"]) == ("t_data", "c6")]
    assert (item["entity_type"], item["protection"]) == ("CN_RESIDENT_ID", "hashed_unsalted")
    assert item["share"] >= 0.9


def test_report_validates_and_holds_no_raw_value(scanned: tuple[str, SourceResult]) -> None:
    _engine, result = scanned
    report = new_report(["x"], ScanOptions().as_parameters())
    report["inventory"], report["facts"], report["skipped"] = (
        result.inventory, result.facts, result.skipped)
    finalize(report)
    assert validation_errors(report) == []
    text = json.dumps(report, ensure_ascii=False, default=str)
    raw = {str(v) for tab in tables() for row in rows(tab) for v, col in zip(row, tab.cols,
                                                                              strict=True)
           if col.truth and isinstance(v, str) and len(v) >= 6 and "*" not in v}
    leaked = [v for v in raw if v in text]
    assert not leaked, f"{len(leaked)} raw values leaked"


def test_items_carry_shares_scores_and_evidence(scanned: tuple[str, SourceResult]) -> None:
    _engine, result = scanned
    for item in result.inventory:
        assert 0 <= item["score"] <= 1
        assert item["count"] <= max(item["sampled"], item["count"])
        assert set(item["signals"]) <= {"name", "comment", "values", "declared"}
        assert len(item["evidence"]["samples"]) <= 3
        assert len(item["evidence"]["fingerprints"]) <= 5
        if "values" in item["signals"] and not item["protected"]:
            assert 0 < item["share"] <= 1
    [mobile] = [i for i in result.inventory
                if (i["location"]["table"], i["location"]["column"]) == ("customers", "mobile")]
    assert mobile["sampled"] == 400 and mobile["count"] == 400 and mobile["share"] == 1.0
    assert all("*" in s for s in mobile["evidence"]["samples"])
    assert len(mobile["evidence"]["fingerprints"]) == 5


def test_declared_protection(sqlite_estate: object, ctx: ScanContext) -> None:
    """A declaration settles what values cannot (a digest-length ciphertext), but never
    outranks plaintext values or a hash proof."""
    uri = str(sqlite_estate)
    ctx.declaration = {"version": 1, "assets": [{"id": "a", "source": uri, "protection": {
        "encrypted_columns": ["patients.id_card_hash", "t_data.c6", "main.customers.mobile"]}}]}
    result = scan_serial(connector_for(uri), uri, ScanOptions(), ctx)
    got = {(i["location"]["table"], i["location"]["column"]): (i["protection"], i["signals"])
           for i in result.inventory}
    assert got[("patients", "id_card_hash")] == ("encrypted", ["name", "declared"])
    assert got[("t_data", "c6")][0] == "hashed_unsalted"
    assert got[("customers", "mobile")][0] == "plaintext"
