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


def _scan_folder(folder) -> list[tuple[str, str]]:
    """(entity type, location) of what ``pia scan`` inventories under ``folder``: the files
    connector, which also reads keys and labels (``"fingerprint": …``, ``密码: …``)."""
    import os

    from pia.scan import ScanRequest, run_scan

    cwd = os.getcwd()
    os.chdir(folder)
    try:
        report = run_scan(ScanRequest(sources=["."])).report
    finally:
        os.chdir(cwd)
    return sorted((i["entity_type"], i["location"]["path"]) for i in report["inventory"])


def test_pia_scan_finds_no_pi_in_its_own_reports(report: dict[str, Any], tmp_path) -> None:
    """pia scan over its own outputs raised critical findings: a finding's ``fingerprint``
    key read as biometric data, the counts of ``by_entity_type`` (``"DATE_OF_BIRTH": 1``,
    ``"RELIGION": 2``) as birth dates and faiths, and ``{口令/密码: 200}`` in the Markdown
    evidence as a password field."""
    import json

    report["summary"]["by_entity_type"] = {"BIOMETRIC": 3, "DATE_OF_BIRTH": 1, "RELIGION": 2,
                                           "CREDENTIAL": 200}
    report["findings"][0]["evidence"]["by_entity"] = {"CREDENTIAL": 200, "RELIGION": 2}
    folder = tmp_path / "outputs"
    folder.mkdir()
    (folder / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2),
                                        encoding="utf-8")
    (folder / "report.jsonl").write_text(json.dumps(report, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    for fmt in FORMATS:
        for lang in LANGS:
            (folder / f"report-{lang}.{fmt}").write_text(
                render(report, fmt, lang=lang, width=400), encoding="utf-8")
    found = _scan_folder(folder)
    assert found == [], found
    # positive control: a password a log wrote next to them is found
    (folder / "app.log").write_text('2026-11-01 10:00:00 login "password": "hunter2x"\n',
                                    encoding="utf-8")
    assert _scan_folder(folder) == [("CREDENTIAL", "./app.log")]
