"""PIPL-19-OVER-RETENTION over a table whose asset declares a period and no column dating its
rows: it passed in silence, no finding and no ``not_evaluated`` entry, so a report of a table
of mobiles kept since 2019 under ``retention: {period: P1Y}`` read as "no retention problem"
(QA estate D2). Scanned for real: a SQLite database through ``pia.scan.run_scan``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pia.connectors.base import ScanOptions
from pia.scan import ScanRequest, run_scan

RULE = "PIPL-19-OVER-RETENTION"
MOBILES = [f"1380013{n:04d}" for n in range(40)]


@pytest.fixture
def estate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    db = sqlite3.connect(tmp_path / "members.db")
    db.execute("CREATE TABLE members (id INTEGER PRIMARY KEY, mobile TEXT, created_at TEXT)")
    db.execute("CREATE TABLE settings (k TEXT, v TEXT)")  # no PI: nothing to date
    db.executemany("INSERT INTO members (mobile, created_at) VALUES (?, '2019-01-01 10:00:00')",
                   [(m,) for m in MOBILES])
    db.execute("INSERT INTO settings VALUES ('theme', 'dark')")
    db.commit()
    db.close()
    return tmp_path


def scan(root: Path, retention: str) -> dict:
    (root / "pia.yaml").write_text(f"""\
version: 1
organisation: {{name: 测试公司, ciio: false}}
assets:
  - {{id: members, source: members.db, pi_categories: [CN_MOBILE], region: mainland,
     retention: {retention}, activities: [a]}}
activities:
  - {{id: a, purpose: 会员, legal_basis: contract}}
""", encoding="utf-8")
    request = ScanRequest(sources=["members.db"], options=ScanOptions(), declaration="pia.yaml")
    return run_scan(request).report


def test_a_period_without_a_timestamp_column_leaves_each_pi_table_undecided(
        estate: Path) -> None:
    report = scan(estate, "{period: P1Y}")
    assert [f for f in report["findings"] if f["rule_id"] == RULE] == []
    undecided = [n for n in report["not_evaluated"] if n["rule_id"] == RULE]
    assert [(n["location"].get("table"), n["reason"]) for n in undecided] == [(
        "members",
        "undecided for database members.db table members: asset members declares"
        " retention.period P1Y but no column that dates its rows (declare"
        " retention.timestamp_column: the column that records when each row was collected,"
        " such as created_at or 注册时间)")]
    # the way out it names works: the column declared, the rule decides (and fires)
    report = scan(estate, "{period: P1Y, timestamp_column: created_at}")
    assert [n for n in report["not_evaluated"] if n["rule_id"] == RULE] == []
    (finding,) = [f for f in report["findings"] if f["rule_id"] == RULE]
    assert [loc["column"] for loc in finding["locations"]] == ["created_at"]
