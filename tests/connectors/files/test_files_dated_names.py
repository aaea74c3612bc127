"""A file named by a date and a person's number (``export_20260813.13812345678.csv``) is
written masked by ``pia scan`` in every output, as one named by the number alone is (QA: a
dot after a date made the number a float's decimals, and a landline after a date's digits the
tail of a longer number, and both were written raw); what is dated and names no one stays
as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from named_scan import scan_named

from pia.report import validation_errors

#: each file's name, and its name as every output writes it
NAMED = {
    "export_20260813.13812345678.csv": "export_20260813.138****5678.csv",
    "call_20260813_010-62345678.wav": "call_20260813_010******78.wav",
    "fax_2026-08-13 0755-8765-4321.txt": "fax_2026-08-13 0755******21.txt",
    "refund_20260813.6222021234567890128.txt": "refund_20260813.6222***********0128.txt",
    "refund_20260813_6222021234567890128.txt": "refund_20260813_6222***********0128.txt",
    "kyc_2026.08.13.110101199003071233.jpg": "kyc_2026.08.13.1101**********1233.jpg",
    "sms_20260813-+86-10-6234-5678.log": "sms_20260813-010******78.log",
    "x_13812345678.20260813.csv": "x_138****5678.20260813.csv",
}
#: the raw digits none of the outputs may hold
RAW = ("13812345678", "62345678", "87654321", "6222021234567890128", "110101199003071233")
#: dated names of no one, written as they are
READABLE = ["access_20261128_0930.log", "build_20260813.1.txt",
            "trace_20260813093015123456.log", "app_v2.13.812345.txt",
            "IMG_20260813_093015.txt"]


def test_a_number_after_a_date_in_a_name_is_masked_in_every_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    outputs, report = scan_named(tmp_path, monkeypatch, capsys, [*NAMED, *READABLE])
    for output in outputs:
        assert [raw for raw in RAW if raw in output] == []
    table = outputs[2]

    assert validation_errors(report) == []
    paths = {f["location"]["path"] for f in report["facts"]}  # every file's facts
    assert {f"estate/{masked}" for masked in NAMED.values()} <= paths
    named = {i["location"]["path"] for i in report["inventory"] if i.get("origin") == "name"}
    assert {f"estate/{NAMED[n]}" for n in NAMED if "refund" in n or "kyc" in n} <= named
    # the table lists the critical findings' places: the cards' files, masked
    assert "estate/refund_20260813.6222***********0128.txt" in table
    assert {f"estate/{name}" for name in READABLE} <= paths
