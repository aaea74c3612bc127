"""A database says nothing of where it runs, so its asset does (``assets[].region``). QA: a
declared SQLite asset of names and mobiles left PIPL-55 undecided on every run, whatever the
user did, with a hint to grant the auditor s3:GetBucketLocation, and the Chinese headline
showed the English "region unknown". Real SQLite scans."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pia.declaration import load_declaration_text
from pia.reports import render
from pia.rules import evaluate, load_rulesets
from tests.rules.test_rules_scanned import scan, table_db

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def customers(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("customers")
    table_db(root, "g.db", "create table kh (xingming text, shoujihao text)",
             [(name, f"1391234{n:04d}") for n, name in
              enumerate(["王芳", "李娜", "张伟", "刘洋", "陈静", "杨敏"])])
    return root, scan(root, "g.db")


def _run(customers, region: str | None):
    root, report = customers
    where = f"\n    region: {region}" if region else ""
    decl = load_declaration_text(f"""\
version: 1
assets:
  - id: g
    source: g.db
    pi_categories: [CN_NAME, CN_MOBILE]
    sensitive: false
    activities: [sales]{where}
activities:
  - {{id: sales, purpose: 销售, legal_basis: contract}}
""", str(root / "pia.yaml"))
    decl.bind(report)
    return evaluate(load_rulesets(), report["inventory"], report["facts"], decl, today=TODAY)


def _fired(result) -> set[str]:
    return {f["rule_id"] for f in result.findings}


def test_an_undeclared_database_region_asks_for_the_assets_region(customers) -> None:
    result = _run(customers, None)
    (entry,) = [n for n in result.not_evaluated if n["rule_id"] == "PIPL-55-PIA-TRIGGER"]
    assert entry["reason"] == (
        "undecided for asset g: database region unknown: a database does not say where it "
        "is (declare where its asset is in pia.yaml, as assets[].region: mainland, hmt, "
        "overseas or a region name)")
    assert "s3:" not in entry["reason"]


@pytest.mark.parametrize(("region", "outside"), [
    ("mainland", False), ("cn-north-1", False), ("overseas", True), ("hmt", True),
    ("ap-southeast-1", True)])
def test_a_declared_region_places_the_database(customers, region, outside) -> None:
    result = _run(customers, region)
    assert not [n for n in result.not_evaluated if n["rule_id"] == "PIPL-55-PIA-TRIGGER"]
    # no sensitive PI, no recipient, no transfer: only PI abroad calls for an assessment
    assert ("PIPL-55-PIA-TRIGGER" in _fired(result)) is outside
    assert ("PIPL-38-XBORDER-MECHANISM" in _fired(result)) is outside


def test_the_chinese_headline_and_table_say_why_in_chinese(customers) -> None:
    _, report = customers
    result = _run(customers, None)
    shown = render({**report, "findings": result.findings,
                    "not_evaluated": result.not_evaluated}, "table", lang="zh", width=400)
    assert "无法判定：数据库所在区域未知：数据库本身不提供其所在位置" in shown
    assert "region unknown" not in shown


def test_a_bucket_region_that_could_not_be_read_is_said_whole_in_the_headline() -> None:
    """The headline cut the why at its first parenthesis: "无法判定：region unknown"."""
    from pia.reports.view import _reason_kind

    reason = ("undecided for bucket logs-bj: region unknown (it could not be read) (grant the "
              "auditor s3:GetBucketLocation)")
    assert _reason_kind(reason) == "undecided: region unknown (it could not be read)"
