"""A file named by a person's number glued to other digits (``x_0813.13812345678.csv``: a dot
after a month and a day; ``call_013987654321.log``: a mobile dialled with a 0;
``rec_20260813_0351_87654321.wav``: an area code after a date; ``rec_12.30.15.02154321987.wav``
and ``…T07:55:01.123456.075523456789.wav``: a landline after a time;
``x_15912345678.0813.log``, ``scan_110101199003071237.5.jpg``: a mobile or a resident ID
before a dot; ``rec_0755_24681357_8001.wav``, ``tel 0755 24681358 8001.wav``: a
landline before its extension; ``rec_093015_0755_24681360.wav``: a landline after a time and
an underscore) is written masked by
``pia scan`` in every output, as one named by the number alone is (QA: such names were
written raw in the JSON report, ``-f json`` and the table); what is so glued and names no
one stays as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from named_scan import scan_masked

#: each file's name, and its name as every output writes it
NAMED = {
    "x_0813.13812345678.csv": "x_0813.138****5678.csv",
    "rec_12.30.05.075588886666.wav": "rec_12.30.05.0755******66.wav",
    "call_013987654321.log": "call_0139****4321.log",
    "rec_20260813_0351_87654321.wav": "rec_20260813_0351******21.wav",
    "rec_12.30.15.02154321987.wav": "rec_12.30.15.021******87.wav",
    "rec_2026-08-13T07:55:01.123456.075523456789.wav":
        "rec_2026-08-13T07:55:01.123456.0755******89.wav",
    "rec_07:55:01.123.13612345678.wav": "rec_07:55:01.123.136****5678.wav",
    "x_15912345678.0813.log": "x_159****5678.0813.log",
    "rec_0755_24681357_8001.wav": "rec_0755**********01.wav",
    "x_075524681359.0813.log": "x_0755******59.0813.log",
    "rec_20260813_010_62345679_01.wav": "rec_20260813_010********01.wav",
    "scan_110101199003071237.5.jpg": "scan_1101**********1237.5.jpg",
    "tel 0755 24681358 8001.wav": "tel 0755**********01.wav",
    "rec_093015_0755_24681360.wav": "rec_093015_0755******60.wav",
    "x_1_010_62345680_8001.wav": "x_1_010**********01.wav",
}
#: the raw digits none of the outputs may hold
RAW = ("13812345678", "88886666", "13987654321", "98765432", "87654321", "54321987",
       "23456789", "13612345678", "15912345678", "24681357",
       "62345679", "24681359", "199003071237", "24681358", "24681360", "62345680")
#: names of no one glued alike, written as they are
READABLE = ["x_0.3544879577304417.log", "mysql-bin.000123", "app-0.29.101.txt",
            "x_20260813.0.4539148803436467.log", "x_1764000000.123.log",
            "access_20261128_0930_1234567_1.log", "x_1_0755_888_1.log"]


def test_a_number_glued_to_other_digits_in_a_name_is_masked_in_every_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    scan_masked(tmp_path, monkeypatch, capsys, NAMED, RAW, READABLE)
