"""A report edited to hold an identifier outside its samples (a finding's title, an entity
type) is refused by everything that would copy it on, and no message repeats it (QA)."""

from __future__ import annotations

from typing import Any

import pytest

from pia.bundle.create import raw_values, summary_disagrees
from pia.report import summarize

RAW_ID, RAW_MOBILE = "11010519491231002X", "13812345678"


@pytest.mark.parametrize("key", ["title", "remediation"])
def test_an_identifier_in_a_findings_text_is_refused_masked(report: dict[str, Any],
                                                              key: str) -> None:
    assert raw_values(report) is None
    report["findings"][0][key]["en"] = f"Contact {RAW_MOBILE} id {RAW_ID}"
    reason = raw_values(report)
    assert reason is not None and f"{key}.en holds a" in reason
    assert RAW_MOBILE not in reason and RAW_ID not in reason


def test_a_dpo_email_in_a_custom_rulesets_text_is_no_identifier(report: dict[str, Any]) -> None:
    report["findings"][0]["remediation"]["en"] = "Ask dpo@example.cn before 2027-01-01."
    assert raw_values(report) is None


def test_an_entity_type_edited_to_an_id_number_is_not_quoted(report: dict[str, Any]) -> None:
    item = report["inventory"][0]
    item["entity_type"] = RAW_ID
    reason = summary_disagrees(report) or ""
    assert "summary.by_entity_type" in reason and RAW_ID not in reason
    report["summary"] = summarize(report)
    item.setdefault("evidence", {})["samples"] = [RAW_MOBILE]
    reason = raw_values(report) or ""
    assert "not masked" in reason and RAW_ID not in reason and RAW_MOBILE not in reason
