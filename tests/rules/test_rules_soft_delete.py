"""PIPL-47-DELETE beyond its fixtures: a table that flags deleted rows without a time is
undecided (listed, with why and what to do), and the grace period is the declared one, else
30 days, whichever the finding says it used."""

from __future__ import annotations

from typing import Any

from rulecases import run_case

RULE = "PIPL-47-DELETE"
SOURCE = "postgresql://crm.internal/crm"
MOBILE = {"source": SOURCE, "location": {"schema": "public", "table": "users",
                                          "column": "mobile"}, "entity_type": "CN_MOBILE"}


def marker(kind: str, oldest: str | None, with_pi: int = 3) -> dict[str, Any]:
    mark = {"marker": kind, "rows_read": 100, "sampled": False, "deleted_rows": 5,
            "deleted_with_pi": with_pi, "grace_days": 30, "grace_from": "default"}
    return {"kind": "column", "source": SOURCE,
            "location": {"schema": "public", "table": "users", "column": "deleted_at"},
            "attributes": {"soft_delete": mark, "deleted_oldest": oldest}}


def test_a_flag_without_a_time_is_undecided_and_says_why() -> None:
    result = run_case(RULE, {"inventory": [MOBILE], "facts": [marker("flag", None)]})
    assert result.findings == []
    (entry,) = result.not_evaluated
    assert entry["location"]["table"] == "users"
    assert "3 of the 100 rows read are flagged deleted and still hold PI" in entry["reason"]
    assert "deleted_at" in entry["reason"]


def test_flagged_rows_that_hold_no_pi_pass() -> None:
    result = run_case(RULE, {"inventory": [MOBILE], "facts": [marker("flag", None, 0)]})
    assert (result.findings, result.not_evaluated) == ([], [])


def test_without_a_declaration_thirty_days_apply() -> None:
    """2026-10-28 is 31 days before the fixtures' day (2026-11-28); 2026-10-29, 30."""
    fired = run_case(RULE, {"inventory": [MOBILE], "facts": [marker("timestamp", "2026-10-28")]})
    (finding,) = fired.findings
    assert finding["evidence"]["grace_days"] == 30
    assert finding["evidence"]["grace_from"] == "default"
    assert finding["evidence"]["oldest_deletion_days"] == 31
    quiet = run_case(RULE, {"inventory": [MOBILE], "facts": [marker("timestamp", "2026-10-29")]})
    assert quiet.findings == [] and quiet.not_evaluated == []


def test_the_asset_grace_wins_over_the_organisation() -> None:
    declaration = {"version": 1, "organisation": {"deletion_grace": "P7D"},
                   "assets": [{"id": "crm", "source": SOURCE,
                               "retention": {"deletion_grace": "P2Y"}}]}
    case = {"inventory": [MOBILE], "facts": [marker("timestamp", "2025-06-01")],
            "declaration": declaration}
    assert run_case(RULE, case).findings == []
    del declaration["assets"][0]["retention"]
    (finding,) = run_case(RULE, case).findings
    assert (finding["evidence"]["grace_days"], finding["evidence"]["grace_from"]) == (
        7, "organisation")
