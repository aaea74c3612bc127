"""A finding's evidence as a manager reads it in HTML and Markdown (QA 12): a log's finding
said "By category: {Mobile number 1, Resident ID number 1} · Count: 2 · Categories: Mobile
number, Resident ID number", the same thing three times and the first like a Python dict, and
"Score: 1.0" was explained nowhere. Real scans of a log and a CSV export; SARIF keeps every
key."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from reports_scan import log_and_export

from pia.reports import render


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return log_and_export(tmp_path_factory.mktemp("evidence"))


def _plain(text: str) -> str:
    """What a reader sees: no tags, code spans or bold marks."""
    return html.unescape(re.sub(r"<[^>]+>", "", text)).replace("`", "").replace("**", "")


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_logs_counts_by_category_are_said_once_as_a_list(scanned: dict[str, Any],
                                                           fmt: str) -> None:
    (log,) = [f for f in scanned["findings"] if f["rule_id"] == "CSL-42-PI-IN-LOGS"]
    assert log["evidence"]["by_entity_type"] == {"CN_MOBILE": 1, "CN_RESIDENT_ID": 1}
    assert log["evidence"]["count"] == 2 and "entity_types" in log["evidence"]
    only = dict(scanned, findings=[log])
    out = _plain(render(only, fmt, lang="en"))
    assert "By category: Mobile number 1, Resident ID number 1" in out
    assert "{Mobile number" not in out
    assert "Count: 2" not in out and "Categories:" not in out
    zh = _plain(render(only, fmt, lang="zh"))
    assert "手机号码 1，居民身份证号码 1" in zh or "手机号码 1, 居民身份证号码 1" in zh


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_score_says_what_it_is(scanned: dict[str, Any], fmt: str) -> None:
    (export,) = [f for f in scanned["findings"] if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT"
                 and f["evidence"].get("entity_type") == "CN_RESIDENT_ID"]
    only = dict(scanned, findings=[export])
    out = _plain(render(only, fmt, lang="en"))
    assert "Detection confidence (0–1): 1.0" in out and "Score: " not in out
    # a single item's count is not said by counts by category: it stays
    assert "Count: 1" in out
    assert "识别置信度（0–1）" in render(only, fmt, lang="zh")


def test_sarif_keeps_every_evidence_key(scanned: dict[str, Any]) -> None:
    sarif = json.loads(render(scanned, "sarif", lang="en"))
    shown = [r["properties"]["evidence"] for r in sarif["runs"][0]["results"]
             if r["ruleId"] == "CSL-42-PI-IN-LOGS"]
    assert shown and {"by_entity_type", "count", "entity_types"} <= set(shown[0])
