"""DESIGN.md's test of a report: scan pia's own outputs with pia's detector and find nothing.

The only hit allowed is the scanned database host's address (infrastructure, not a person).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from reports_fixture import RAW_VALUES

from pia.detection.engine import DetectionEngine, default_engine
from pia.reports import FORMATS, LANGS, render

SOURCE_HOST = "127.0.0.1"


@cache
def _engine() -> DetectionEngine:
    return default_engine()


def _detect(text: str) -> list[tuple[str, str]]:
    lines = text.splitlines()
    return [(m.entity_type, lines[i][m.start:m.end])
            for i, matches in enumerate(_engine().analyze_lines(lines)) for m in matches
            if lines[i][m.start:m.end] != SOURCE_HOST]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_pia_finds_no_pi_in_its_own_reports(report: dict[str, Any], fmt: str, lang: str) -> None:
    assert _detect(render(report, fmt, lang=lang, width=400)) == []


def test_the_self_scan_can_fail(report: dict[str, Any]) -> None:
    """Positive control: a raw value that slipped into free text is found."""
    report["findings"][0]["title"]["en"] += " " + RAW_VALUES["CN_RESIDENT_ID"][0]
    hits = _detect(render(report, "md", lang="en", width=400))
    assert ("CN_RESIDENT_ID", RAW_VALUES["CN_RESIDENT_ID"][0]) in hits
