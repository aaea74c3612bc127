"""A log named by a person's number: the name is stored PI (an ``origin: name`` item), not a
line the log wrote. CSL-42-PI-IN-LOGS is about what logs say, so a clean
``logs/13800138000.log`` gave a false "PI in logs" finding once names became items; now the
rule judges the log's content only, and a sensitive number in the name is plaintext stored PI,
PIPL-28-SENSITIVE-PLAINTEXT's. Real log files go through ``pia scan``."""

from __future__ import annotations

from pathlib import Path

from pia.report import validation_errors

LOGS, PLAINTEXT = "CSL-42-PI-IN-LOGS", "PIPL-28-SENSITIVE-PLAINTEXT"
MOBILE = "13800138000"
ID = "110101199003071233"  # its check digit holds
CLEAN = "2026-11-30 10:00:00 INFO started\n"


def _rules_at(report: dict, path: str) -> set[str]:
    return {f["rule_id"] for f in report["findings"]
            if any(loc.get("path") == path for loc in f["locations"])}


def test_a_clean_log_named_by_a_number_is_no_pi_in_logs(tmp_path: Path, pia_scan) -> None:
    estate = tmp_path / "estate"
    (estate / "logs").mkdir(parents=True)
    (estate / "logs" / f"{MOBILE}.log").write_text(CLEAN, encoding="utf-8")
    (estate / "logs" / f"{ID}.log").write_text(CLEAN, encoding="utf-8")
    (estate / "logs" / "app.log").write_text(
        f"2026-11-30 10:00:01 INFO login user_id={ID}\n", encoding="utf-8")
    _code, _rules, report = pia_scan(estate, "--fail-on", "none")
    assert validation_errors(report) == []
    named = {(i["location"]["path"], i["entity_type"]) for i in report["inventory"]
             if i.get("origin") == "name"}
    by_mobile, by_id = "estate/logs/138****8000.log", "estate/logs/1101**********1233.log"
    # the names stay PI of their own in the inventory
    assert named == {(by_mobile, "CN_MOBILE"), (by_id, "CN_RESIDENT_ID")}
    # a mobile in a clean log's name: no PI in logs, and general PI stored is no PIPL-28
    assert _rules_at(report, by_mobile) == set()
    # an ID in a clean log's name: stored sensitive PI, not PI in logs
    assert _rules_at(report, by_id) == {PLAINTEXT}
    # an ID the log wrote is PI in logs, as before
    assert _rules_at(report, "estate/logs/app.log") == {LOGS}
