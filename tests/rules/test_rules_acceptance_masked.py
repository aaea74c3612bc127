"""An accept entry's reason and owner are written masked (QA regulator D4): a mobile in them
reached every report raw, and bundle create then refused the scan's own report as edited."""

from __future__ import annotations

from datetime import date

from pia.rules.acceptance import apply_acceptance


def test_an_acceptance_reason_and_owner_are_written_masked() -> None:
    finding = {"rule_id": "PIPL-51-CLASSIFICATION", "source": "shop.db",
               "locations": [{"table": "members"}], "fingerprint": "x"}
    entry = {"rule": "PIPL-51-*", "reason": "经办人王芳 手机13812345678 批准",
             "owner": "张伟 13912345678", "expires": "2027-03-31"}
    apply_acceptance([finding], [entry], date(2026, 12, 1))
    assert finding["status"] == "accepted"
    assert finding["acceptance"]["reason"] == "经办人王芳 手机138****5678 批准"
    assert finding["acceptance"]["owner"] == "张伟 139****5678"
