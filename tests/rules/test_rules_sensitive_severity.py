"""Severity rises one level for sensitive PI (CONTROLS.md), and CSL 21(三)'s six months are
calendar months. QA: plaintext resident IDs, cards and passwords were critical in a database
column but only high in a log, so ``--fail-on critical`` passed a log full of them; and a
log directory whose oldest entry was 2026-06-03 passed on 2026-12-01, though six months
before is 2026-06-01 (180 days is shorter than any six months). Real log files are scanned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pia.rules.engine import six_months_days
from tests.rules.test_rules_scanned import findings, resident_id, scan

LOGS = "CSL-42-PI-IN-LOGS"
TODAY = dt.date(2026, 12, 1)


def _log(root: Path, name: str, lines: list[str]) -> None:
    (root / "logs").mkdir(exist_ok=True)
    (root / "logs" / name).write_text("".join(f"2026-11-30 10:00:{n:02d} INFO {line}\n"
                                              for n, line in enumerate(lines)), "utf-8")


def test_a_resident_id_in_a_log_is_critical_a_mobile_alone_high(tmp_path) -> None:
    _log(tmp_path, "app.log", [f"login phone=1391234{n:04d} ok" for n in range(3)]
         + [f"kyc idcard={resident_id('19900307', n)} ok" for n in range(3)])
    _log(tmp_path, "sms.log", [f"sent to 1381234{n:04d}" for n in range(3)])
    report = scan(tmp_path, "logs")
    by_path = {f["locations"][0]["path"]: f for f in findings(report, LOGS, TODAY)}
    ids = by_path["logs/app.log"]
    assert ids["severity"] == "critical"  # as PIPL-28-SENSITIVE-PLAINTEXT in a column
    assert ids["evidence"]["severity_raised"] == {"from": "high", "reason": "sensitive"}
    assert set(ids["evidence"]["entity_types"]) == {"CN_MOBILE", "CN_RESIDENT_ID"}
    mobiles = by_path["logs/sms.log"]
    assert mobiles["severity"] == "high"
    assert "severity_raised" not in mobiles["evidence"]


def test_a_childs_data_in_a_log_is_raised_once_not_twice(tmp_path) -> None:
    _log(tmp_path, "enrol.log", [f"enrol idcard={resident_id('20180101', n)}" for n in range(3)])
    (finding,) = findings(scan(tmp_path, "logs"), LOGS, TODAY)
    assert finding["severity"] == "critical"
    assert finding["evidence"]["severity_raised"]["reason"] == "minors"


@pytest.mark.parametrize(("today", "days"), [
    (dt.date(2026, 12, 1), 183),   # back to 2026-06-01
    (dt.date(2027, 3, 1), 181),    # back to 2026-09-01
    (dt.date(2026, 8, 31), 184),   # back to 2026-02-28: February has no 31st
    (dt.date(2026, 1, 15), 184),   # back to 2025-07-15, over the new year
])
def test_six_months_are_calendar_months_before_the_scan_date(today, days) -> None:
    assert six_months_days(today) == days


def test_logs_kept_181_days_are_short_of_six_months_on_1_december(tmp_path) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "a.log").write_text(
        "2026-06-03 10:00:00 INFO started\n2026-11-30 10:00:00 INFO x\n", "utf-8")
    report = scan(tmp_path, "logs")
    (finding,) = findings(report, "CSL-21-LOG-RETENTION", TODAY)
    assert finding["evidence"]["oldest_age_days"] == 181
    assert finding["evidence"]["min_retention_days"] == 183
    # from 2026-06-01, the same day six months before, the logs are kept six months
    (tmp_path / "logs" / "a.log").write_text(
        "2026-06-01 10:00:00 INFO started\n2026-11-30 10:00:00 INFO x\n", "utf-8")
    assert findings(scan(tmp_path, "logs"), "CSL-21-LOG-RETENTION", TODAY) == []
