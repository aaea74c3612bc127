"""A person's number glued to other digits in a name by a dot, an underscore or a leading 0
is masked as it is alone (QA: ``x_0813.13812345678.csv``, ``20260813_0755_88886666``,
``call_013812345678.log`` and a landline after a time's fraction were written raw), and
what names no one around such glue stays as readable as it was."""

from __future__ import annotations

import pytest

from pia.identifier_shapes import shaped_identifiers
from pia.masking import mask, mask_text


@pytest.mark.parametrize(("name", "masked"), [
    # digits led by 0 before a dot are no float's integer part (fails without)
    ("x_0813.13812345678.csv", "x_0813.138****5678.csv"),
    ("rec_12.30.05.075588886666.wav", "rec_12.30.05.0755******66.wav"),
    ("part_007.6222021234567890128.txt", "part_007.6222***********0128.txt"),
    # a mobile dialled with the 0 a landline dials one of another city with (fails without)
    ("call_013812345678.log", "call_0138****5678.log"),
    ("来电_013812345678_20260813.wav", "来电_0138****5678_20260813.wav"),
    ("x_20260813.013812345678.csv", "x_20260813.0138****5678.csv"),
])
def test_a_number_glued_to_other_digits_is_masked(name: str, masked: str) -> None:
    assert mask_text(name, []) == masked


@pytest.mark.parametrize("text", [
    # floats, as logs and metrics print them, and zero-padded counters
    "0.3544879577304417", "x_0.13812345678.log", "x_3.075588886666.log",
    "x_13812345678.0813.log", "20260813.0.3544879577304417", "mysql-bin.000123",
    "part-00042.parquet", "x_0813.5.log", "v01.02.03", "app-0.29.101.tar.gz",
    # 12 digits led by 0 that are no mobile's: no network's segment, a time and a counter
    "000123456789.dat", "012345678901.dat", "011234567890", "0138123456789",
    "0013812345678", "x_20150522_0147_17923045.log", "0138 1234 5678",
])
def test_what_is_glued_and_names_no_one_stays_readable(text: str) -> None:
    assert shaped_identifiers(text) == [] and mask_text(text, []) == text


def test_a_mobile_dialled_with_a_0_keeps_its_0_and_masks_as_the_mobile() -> None:
    assert mask("CN_MOBILE", "013812345678") == "0138****5678"
    assert mask("CN_MOBILE", "13812345678") == "138****5678"  # as before
