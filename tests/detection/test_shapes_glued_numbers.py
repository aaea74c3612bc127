"""A person's number glued to other digits in a name by a dot, an underscore or a leading 0
is masked as it is alone (QA: ``x_0813.13812345678.csv``, ``20260813_0755_88886666``,
``call_013812345678.log`` and a landline after a time's fraction were written raw), and
what names no one around such glue stays as readable as it was."""

from __future__ import annotations

import pytest

from pia.identifier_shapes import shaped_identifiers
from pia.masking import mask_text


@pytest.mark.parametrize(("name", "masked"), [
    # digits led by 0 before a dot are no float's integer part (fails without)
    ("x_0813.13812345678.csv", "x_0813.138****5678.csv"),
    ("rec_12.30.05.075588886666.wav", "rec_12.30.05.0755******66.wav"),
    ("part_007.6222021234567890128.txt", "part_007.6222***********0128.txt"),
])
def test_a_number_glued_to_other_digits_is_masked(name: str, masked: str) -> None:
    assert mask_text(name, []) == masked


@pytest.mark.parametrize("text", [
    # floats, as logs and metrics print them, and zero-padded counters
    "0.3544879577304417", "x_0.13812345678.log", "x_3.075588886666.log",
    "x_13812345678.0813.log", "20260813.0.3544879577304417", "mysql-bin.000123",
    "part-00042.parquet", "x_0813.5.log", "v01.02.03", "app-0.29.101.tar.gz",
])
def test_what_is_glued_and_names_no_one_stays_readable(text: str) -> None:
    assert shaped_identifiers(text) == [] and mask_text(text, []) == text
