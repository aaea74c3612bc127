"""Fixtures for the files connector: a scan context and a scan helper over real files."""

from __future__ import annotations

from datetime import UTC, datetime
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

