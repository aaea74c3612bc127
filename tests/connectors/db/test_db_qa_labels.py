"""What a column's name or comment says stands when its values do not contradict it (qa-db
H3): resident IDs whose check digit fails under an ID column's name are still that column's
PI, values of another shape (member numbers) are not."""

from __future__ import annotations

from typing import Any

import pytest
from db_servers import mysql_tables, pg_tables

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, SourceResult, scan_serial

#: 18 characters, a real birth date, a check digit that mostly fails (``_failing`` keeps
#: those that do)
BAD_CHECK = [f"11010519491231{n:03d}1" for n in range(40)]


def scan(uri: str, ctx: ScanContext, **options: Any) -> SourceResult:
    return scan_serial(connector_for(uri), uri, ScanOptions(**options), ctx)


def items(result: SourceResult) -> dict[tuple[str, str], tuple[str, str, list[str]]]:
    return {(i["location"]["table"], i["location"]["column"]):
            (i["entity_type"], i["protection"], i["signals"]) for i in result.inventory}


def _failing(values: list[str]) -> list[str]:
    from pia.detection.recognizers.cn.resident_id import is_valid_resident_id

    out = [v for v in values if not is_valid_resident_id(v)]
    assert len(out) >= 30
    return out


def test_postgres_id_columns_whose_check_digits_fail_stay(pg_db: str, ctx: ScanContext) -> None:
    rows = [(v, v, v, f"M{i:08d}") for i, v in enumerate(_failing(BAD_CHECK))]
    with pg_tables(pg_db, "kyc_bad, kyc_empty",
                   'CREATE TABLE kyc_bad(id_card varchar(18), sfzh varchar(18),'
                   ' "身份证号码" varchar(18), member_no varchar(18))',
                   "COMMENT ON COLUMN kyc_bad.member_no IS '身份证号'",
                   'CREATE TABLE kyc_empty(id_card varchar(18))',
                   ("INSERT INTO kyc_bad VALUES (%s, %s, %s, %s)", rows)):
        result = scan(pg_db, ctx)
    found = items(result)
    for column in ("id_card", "sfzh", "身份证号码"):
        assert found[("kyc_bad", column)] == ("CN_RESIDENT_ID", "plaintext", ["name"]), column
    assert found[("kyc_empty", "id_card")][0] == "CN_RESIDENT_ID"
    # values of another shape contradict the comment: no resident ID column
    assert ("kyc_bad", "member_no") not in found


def test_mysql_id_comment_with_failing_check_digits_stays(my_db: str, ctx: ScanContext) -> None:
    rows = [(v,) for v in _failing(BAD_CHECK)]
    with mysql_tables(my_db, "kyc",
                      "CREATE TABLE kyc(c5 varchar(18) COMMENT '身份证号')",
                      ("INSERT INTO kyc VALUES (%s)", rows)):
        result = scan(my_db, ctx)
    assert items(result)[("kyc", "c5")] == ("CN_RESIDENT_ID", "plaintext", ["comment"])
    assert not any(v in repr(result.inventory) for v in BAD_CHECK)


@pytest.mark.parametrize("value", ["110105194913310021", "000000000000000000", "M00000001"])
def test_values_of_no_id_shape_are_no_id(value: str) -> None:
    from pia.connectors.db.stats import id_shaped

    assert not id_shaped(value)


def test_failing_check_digits_leave_pipl_28_undecided_and_say_why(pg_db: str,
                                                                  ctx: ScanContext) -> None:
    """PIPL-28-SENSITIVE-PLAINTEXT asks for values that validate (CONTROLS.md): an ID column
    whose values fail the check digit is listed by its name, and the rule is left undecided
    for it with why, beside a column of valid IDs that fires."""
    from pia.report import finalize, new_report, validate_report
    from pia.rules import apply_rules, load_rulesets

    good = ["11010519491231002X", "110105198005121231", "440305198001010013"] * 14
    rows = list(zip(_failing(BAD_CHECK), good, strict=False))
    with pg_tables(pg_db, "kyc_mixed",
                   "CREATE TABLE kyc_mixed(id_card varchar(18), sfzh varchar(18))",
                   ("INSERT INTO kyc_mixed VALUES (%s, %s)", rows)):
        result = scan(pg_db, ctx)
    report = new_report([pg_db], ScanOptions().as_parameters(), started="2026-11-01T00:00:00Z")
    report["inventory"], report["facts"] = result.inventory, result.facts
    apply_rules(report, load_rulesets(None), None)
    finalize(report)
    validate_report(report)
    fired = {loc["column"] for f in report["findings"]
             if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT" for loc in f["locations"]}
    assert fired == {"sfzh"}
    undecided = [n for n in report["not_evaluated"]
                 if n["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT"]
    assert [n["location"]["column"] for n in undecided] == ["id_card"]
    assert "fail its check digit" in undecided[0]["reason"]
