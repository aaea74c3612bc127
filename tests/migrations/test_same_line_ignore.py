"""QA r2 D2: a ``-- pia:ignore RULE reason`` on the line of the column it accepts was read as
the column's description, which made ``sfzh`` name something else: no finding was made, so
nothing was counted as suppressed, in any format. And a reason that holds a PI value, which
the documentation says suppresses nothing, accepted the column's error."""

from __future__ import annotations

import json

import pytest

S28 = "PIPL-28-SENSITIVE-PLAINTEXT"

MOBILE = "13800138000"
#: name: (migration, the reason of the finding it suppresses, or None: it suppresses nothing)
CASES = {
    "after the statement": (f"CREATE TABLE x (sfzh text); -- pia:ignore {S28} legacy\n", "legacy"),
    "after the column": (f"CREATE TABLE x (\n  sfzh text -- pia:ignore {S28} legacy\n);\n",
                         "legacy"),
    "after its comma": (f"CREATE TABLE x (\n  sfzh text, -- pia:ignore {S28} legacy\n"
                        "  note text\n);\n", "legacy"),
    "after an ALTER": (f"ALTER TABLE x ADD COLUMN sfzh text; -- pia:ignore {S28} legacy\n",
                       "legacy"),
    "a mobile, the line above": (f"-- pia:ignore {S28} 家长 {MOBILE} 说不用\n"
                                 "CREATE TABLE x (sfzh text);\n", None),
    "a mobile, the same line": (f"CREATE TABLE x (\n  sfzh text -- pia:ignore {S28} legacy "
                                f"{MOBILE}\n);\n", None),
    "a mobile in full-width digits": (f"CREATE TABLE x (sfzh text); -- pia:ignore {S28} "
                                      "家长１３８００１３８０００\n", None),
}


@pytest.mark.parametrize(("sql", "reason"), CASES.values(), ids=CASES.keys())
def test_a_same_line_ignore_suppresses_as_one_above_does(pia_check, sql: str,
                                                         reason: str | None) -> None:
    """Counted and listed as suppressed with its reason in every format; unless the reason
    holds a PI value: then the error stays open beside the value's own finding."""
    code, out, err = pia_check("-f", "json", "1.sql", files={"1.sql": sql})
    report = json.loads(out)
    assert MOBILE not in out + err and "１３８００１３８０００" not in out + err
    if reason is None:
        assert code == 1 and report["summary"]["suppressed"] == 0
        assert err.splitlines()[0] == (
            f"pia: warning: 1.sql:{sql.count(chr(10), 0, sql.index('pia:ignore')) + 1}: a "
            "pia:ignore whose reason holds a PI value was not applied: take the value out "
            "of the reason")
        assert {(f["rule_id"], f["kind"], f["status"]) for f in report["findings"]} == {
            (S28, "CN_RESIDENT_ID", "open"), ("PIPL-51-ENCRYPT-DEIDENT", "CN_MOBILE", "open")}
        return
    assert code == 0
    assert report["summary"] == {"error": 0, "warning": 0, "suppressed": 1, "baselined": 0}
    assert [(f["rule_id"], f["column"], f["status"], f["reason"])
            for f in report["findings"]] == [(S28, "sfzh", "suppressed", reason)]
    code, out, _err = pia_check("-f", "sarif", "1.sql")
    (result,) = json.loads(out)["runs"][0]["results"]
    assert result["suppressions"][0]["justification"] == reason
    for fmt in ("text", "github"):
        code, out, err = pia_check("-f", fmt, "1.sql")
        assert code == 0
        assert "0 errors, 0 warnings, 1 suppressed" in out + err
