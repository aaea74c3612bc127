"""A file named by a caller's landline written as digits alone (``录音_075587654321_20260813.wav``,
as call centres name recordings) is written masked by ``pia scan`` in every output, as one
named by a mobile or by a landline with its area code set off is (QA: it was written raw in
the JSON report, ``-f json`` and the table); names of no one with leading zeros stay as they
are."""

from __future__ import annotations

from pathlib import Path

import pytest
from named_scan import scan_masked

#: each file's name, and its name as every output writes it
NAMED = {
    "call_01062345678.log": "call_010******78.log",
    "电话_02162345678.log": "电话_021******78.log",
    "call_20260813_01087654321.log": "call_20260813_010******21.log",
    "录音_075587654321_20260813.wav": "录音_0755******21_20260813.wav",
    "out-05718765432-8001-20260813-093015-1755048615.123.wav":
        "out-0571*****32-8001-20260813-093015-1755048615.123.wav",
    "call_13812345678.log": "call_138****5678.log",  # as before
}
#: the raw digits none of the outputs may hold
RAW = ("62345678", "87654321", "8765432", "13812345678")
#: names of no one with leading zeros, dates and counters, written as they are
READABLE = ["invoice_0123456789012.pdf", "000123456789.dat", "access_20261128_0930.log",
            "part-00042-20261128.parquet.txt", "mysql-bin.000123"]


def test_a_landline_of_digits_alone_in_a_name_is_masked_in_every_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    scan_masked(tmp_path, monkeypatch, capsys, NAMED, RAW, READABLE)
