"""Validating an untrusted report (a bundle's) costs memory in proportion to the report,
not to how wrong it is: 30,000 empty inventory items made 300,000
schema errors, all listed and sorted before the first was shown (a gigabyte; a 1 MB bundle
exhausted 8 GB)."""

from __future__ import annotations

import tracemalloc

from pia.report import MAX_VALIDATION_ERRORS, finalize, new_report, validation_errors


def test_a_report_wrong_everywhere_gives_the_first_errors_only_and_little_memory() -> None:
    report = new_report(["logs"], {}, started="2026-01-01T00:00:00Z")
    finalize(report, complete=True)
    report["inventory"] = [{} for _ in range(30_000)]
    tracemalloc.start()
    try:
        errors = validation_errors(report)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(errors) == MAX_VALIDATION_ERRORS
    assert errors[0] == "inventory/0: 'source' is a required property"
    assert peak < 50 << 20, f"{peak >> 20} MiB to validate"


def test_a_valid_report_has_no_errors() -> None:
    report = new_report(["logs"], {}, started="2026-01-01T00:00:00Z")
    finalize(report, complete=True)
    assert validation_errors(report) == []
