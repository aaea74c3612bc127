"""The shared fixture: a fresh copy of the realistic report of ``reports_fixture``."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from reports_fixture import build_report

_REPORT = build_report()


@pytest.fixture
def report() -> dict[str, Any]:
    return copy.deepcopy(_REPORT)
