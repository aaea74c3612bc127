"""Fixtures for the files connector: a scan context and a scan helper over real files."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pia.connectors.base import ScanContext, ScanOptions, SourceResult, scan_serial
from pia.connectors.files import FilesConnector
from pia.detection.engine import default_engine
from pia.masking import Fingerprinter


@pytest.fixture
def ctx() -> ScanContext:
    return ScanContext(engine=default_engine(), fingerprint=Fingerprinter(b"k" * 32),
                       now=datetime(2026, 1, 1, tzinfo=UTC))


@pytest.fixture
def scan(ctx: ScanContext):
    def run(uri: str, **options: Any) -> SourceResult:
        return scan_serial(FilesConnector(), str(uri), ScanOptions(**options), ctx)
    return run



@pytest.fixture
def pia_scan(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """``pia scan`` as a user runs it (in-process, in the scanned files' folder): its exit
    code, the rule ids of its findings and its JSON report."""
    from pia.cli import main

    def run(folder: Path, *args: str) -> tuple[int, set[str], dict[str, Any]]:
        monkeypatch.chdir(folder.parent)
        monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
        report = folder.parent / f"{folder.name}.report.json"
        with pytest.raises(SystemExit) as exited:
            main(["scan", os.path.relpath(folder), "-q", "-o", str(report), *args])
        capsys.readouterr()
        data = json.loads(report.read_text(encoding="utf-8"))
        return (int(exited.value.code or 0), {f["rule_id"] for f in data["findings"]}, data)
    return run


@pytest.fixture
def scan_exports(pia_scan, tmp_path: Path):
    """``pia scan --lang en`` of a folder ``exports`` whose files ``write(folder)`` writes:
    what ``write`` returned (the raw values written, to look for in outputs), then
    ``pia_scan``'s exit code, rule ids and report, the report checked against its schema."""
    from pia.report import validation_errors

    def run(write: Callable[[Path], Any]) -> tuple[Any, int, set[str], dict[str, Any]]:
        folder = tmp_path / "exports"
        folder.mkdir()
        raw = write(folder)
        code, rules, report = pia_scan(folder, "--lang", "en")
        assert validation_errors(report) == []
        return raw, code, rules, report
    return run
