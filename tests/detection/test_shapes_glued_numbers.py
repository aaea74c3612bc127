"""A person's number glued to other digits in a name by a dot, an underscore or a leading 0
is masked as it is alone (QA: ``x_0813.13812345678.csv``, ``20260813_0755_88886666``,
``call_013812345678.log``, a landline after a time's fraction, a mobile before a dot,
``x_13812345678.0813.log``, and a grouped landline before its extension,
``x_0755_88886666_8001.wav``, were written raw), and
what names no one around such glue stays as readable as it was."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

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
    # an area code after a date, then a subscriber's digits, is no time (fails without)
    ("20260813_0755_88886666", "20260813_0755******66"),
    ("rec_20260813_0351.87654321.wav", "rec_20260813_0351******21.wav"),
    ("rec_20260813-0755_8888_6666.wav", "rec_20260813-0755******66.wav"),
    ("rec_20260813 0931_8765432.wav", "rec_20260813 0931*****32.wav"),
    # after a time written with dots, or a clock's fraction of a second (fail without)
    ("rec_12.30.15.075588886666.wav", "rec_12.30.15.0755******66.wav"),
    ("rec_9.30.15.13812345678.wav", "rec_9.30.15.138****5678.wav"),
    ("rec_07:55:01.123456.075588886666.wav", "rec_07:55:01.123456.0755******66.wav"),
    ("rec_2026-08-13T07:55:01.123456.01062345678.wav",
     "rec_2026-08-13T07:55:01.123456.010******78.wav"),
    ("rec_07:55:01.123456789.075588886666.wav", "rec_07:55:01.123456789.0755******66.wav"),
    ("rec_07:55:01.1234567.01062345678.wav", "rec_07:55:01.1234567.010******78.wav"),
    ("rec_07:55:01.01234.01062345678.wav", "rec_07:55:01.01234.010******78.wav"),
    ("rec_07:55:01.123.13812345678.wav", "rec_07:55:01.123.138****5678.wav"),
    ("rec_2026-08-13T07:55:01.123.075588886666.wav",
     "rec_2026-08-13T07:55:01.123.0755******66.wav"),
    ("rec_2026-08-13 07.55.01.123.13812345678.wav",
     "rec_2026-08-13 07.55.01.123.138****5678.wav"),
    # a mobile's 11 digits before a dot are no float's integer part (fail without)
    ("x_13812345678.0813.log", "x_138****5678.0813.log"),
    ("x_13812345678.5.log", "x_138****5678.5.log"),
    ("call_15912345678.20260813.093015.wav", "call_159****5678.20260813.093015.wav"),
    ("13800138000.5", "138****8000.5"),
    # nor digits led by 0 (fail without)
    ("x_013812345678.0813.log", "x_0138****5678.0813.log"),
    ("x_075588886666.0813.log", "x_0755******66.0813.log"),
    ("01062345678.5", "010******78.5"),
    # a grouped landline, then an underscore and its extension or a time (fail without)
    ("x_0755_88886666_8001.wav", "x_0755**********01.wav"),
    ("x_20260813_0755_88886666_8001.wav", "x_20260813_0755**********01.wav"),
    ("010_62345678_01.wav", "010********01.wav"),
    ("x_0755-88886666_8001.wav", "x_0755**********01.wav"),
    ("x_0755_8888_6666_8001.wav", "x_0755**********01.wav"),
    ("x_0755_88886666_093015.wav", "x_0755******66_093015.wav"),
    ("x_0755_88886666_8001_1.wav", "x_0755**********01_1.wav"),
    # 17 digits or more, or an ID's X, before a dot: no float's integer part (fail without)
    ("x_110101199003071237.5.log", "x_1101**********1237.5.log"),
    ("x_11010519491231002X.5.log", "x_1101**********002X.5.log"),
    ("x_6222021234567890128.5.log", "x_6222***********0128.5.log"),
    ("x_+8613812345678.5.log", "x_138****5678.5.log"),
    # ... nor after one, where the two hold more digits than a float prints (fail without)
    ("x_1.110101199003071237.csv", "x_1.1101**********1237.csv"),
    ("part_7.6222021234567890128.txt", "part_7.6222***********0128.txt"),
    ("rec_12.110101199003071237.wav", "rec_12.1101**********1237.wav"),
    # after a counter or a time and an underscore, in groups of their own (fail without)
    ("x_1_0755_88886666.wav", "x_1_0755******66.wav"),
    ("x_093015_0755_88886666.wav", "x_093015_0755******66.wav"),
    ("rec_093015_0755_88886666_8001.wav", "rec_093015_0755**********01.wav"),
    ("录音_3_010_62345678.wav", "录音_3_010******78.wav"),
    # ... or after a space (fail without)
    ("tel 0755 88886666 8001.wav", "tel 0755**********01.wav"),
    ("录音 (0755) 88886666 801.wav", "录音 0755*********01.wav"),
    ("0755-88886666-8001", "0755**********01"),  # as before
    ("(0755)88886666转8001", "0755******66转8001"),
])
def test_a_number_glued_to_other_digits_is_masked(name: str, masked: str) -> None:
    assert mask_text(name, []) == masked


@pytest.mark.parametrize("text", [
    # floats, as logs and metrics print them, and zero-padded counters
    "0.3544879577304417", "6082.6624315336885", "x_0.13812345678.log", "x_3.075588886666.log",
    "x_1381.0813.log", "20260813.0.3544879577304417", "mysql-bin.000123",
    "part-00042.parquet", "x_0813.5.log", "v01.02.03", "app-0.29.101.tar.gz",
    # 12 digits led by 0 that are no mobile's: no network's segment, a time and a counter
    "000123456789.dat", "012345678901.dat", "011234567890", "0138123456789",
    "0013812345678", "x_20150522_0147_17923045.log", "0138 1234 5678",
    # a time after a date: of day by its T, or before what no subscriber's number is
    "20260813T0755_88886666", "access_20261128_0930_1234567.log", "IMG_20260813_0755_0001.jpg",
    "x_20260813_1230_88886666.log", "x_20260813_0230_88886666.log", "x_20260813_0755_888.log",
    # a time and a float, as the first search reads them; a version, an IP address
    "x_12:47:49.39323.09012579416.log", "x_12:47:49.39323.0901257941.log",
    "12:30:05.0.3544879577304417", "12.30.05.0.3544879577304417", "1.12.30.15.13812345678",
    "x_12:47:49.123.4567.log", "x_12:47:49.123.35448795773044.log",
    "10.12.30.15.13812345678", "Screenshot 2026-08-13 at 9.30.05.png",
    # Unix times (10 digits, 13 in milliseconds), a float of 11 digits of no mobile, one
    # that a size labels, a mobile's digits as a float's decimals or a version's part
    "x_1764000000.123.log", "x_1764000000.123456.log", "x_1764000000123.log",
    "x_1764000000123.456.log", "x_12345678901.5.log", "x_11812345678.5.log",
    "size_13958643712.0.log", "x_0.13812345678.log", "1.13812345678.5",
    # 16 digits and a fraction (a card's length, printed by a float), 13 digits led by 86
    "6222021234567890.5", "x_8613812345678.5.log", "x_1234567890123456.75.log",
    # a time after a date, then a counter of no subscriber's shape and another
    "access_20261128_0930_1234567_1.log", "IMG_20260813_0755_0001_1.jpg",
    "x_20260813_1230_88886666_1.log", "x_0755_888_1.log", "x_1_0755_888_1.log",
    # a counter, a time, then no subscriber's shape, or more groups after it
    "x_1_0755_18886666.log", "x_1_0755_00012345.log", "x_1_0755_88886666_1_2.log",
    "x_12_1230_88886666.log", "x_1_0755_888866669.log",
])
def test_what_is_glued_and_names_no_one_stays_readable(text: str) -> None:
    assert shaped_identifiers(text) == [] and mask_text(text, []) == text


def test_a_mobile_dialled_with_a_0_keeps_its_0_and_masks_as_the_mobile() -> None:
    assert mask("CN_MOBILE", "013812345678") == "0138****5678"
    assert mask("CN_MOBILE", "13812345678") == "138****5678"  # as before


def test_a_time_after_a_date_and_a_counter_stay_readable() -> None:
    """What ``20260813_0755_88886666`` costs: a time of 03:00 to 09:59 after a date, then
    a separator and 7 or 8 digits led by 2 to 9, is read as an area code and a subscriber's
    number (26% of 4,000 synthetic names of just that shape); any other counter after such a
    time (shorter, longer, zero-padded, led by 1) leaves the name as it was."""
    rng = random.Random(20260813)
    start = datetime(2015, 1, 1)
    names = []
    for _ in range(3000):
        moment = start + timedelta(seconds=rng.randrange(12 * 365 * 86400))
        digits = rng.choice([1, 2, 3, 4, 5, 6, 9, 10])
        counter = rng.choice([str(rng.randrange(10 ** (digits - 1), 10 ** digits)),
                              f"{rng.randrange(10 ** 6):08d}", f"1{rng.randrange(10 ** 7):07d}"])
        names.append(f"x_{moment:%Y%m%d}{rng.choice('_- ')}{moment:%H%M}"
                     f"{rng.choice('_./')}{counter}.log")
    assert [n for n in names if shaped_identifiers(n)] == []


def test_a_counter_a_time_and_a_counter_stay_readable_but_for_a_landlines_shape() -> None:
    """What ``x_1_0755_88886666.wav`` costs: a counter, a time of 03:00 to 09:59, then an
    underscore and 7 or 8 digits led by 2 to 9, is read as an area code and a subscriber's
    number (75 of 4,000 synthetic names of the family below, 1.9%); any other name of it
    stays as it was, but for the two read before as a number in 3-4-4 groups."""
    rng = random.Random(20261202)
    names = []
    for _ in range(4000):
        first = rng.choice([str(rng.randrange(1, 100)), f"{rng.randrange(1000):03d}",
                            str(rng.randrange(10 ** 5, 10 ** 6))])
        digits = rng.randrange(1, 11)
        counter = rng.choice([str(rng.randrange(10 ** (digits - 1), 10 ** digits)),
                              f"{rng.randrange(10 ** 6):08d}", f"1{rng.randrange(10 ** 7):07d}"])
        names.append(f"x_{first}_{rng.randrange(24):02d}{rng.randrange(60):02d}_{counter}.log")

    def landline_shaped(name: str) -> bool:
        _x, _first, time, counter = name.removesuffix(".log").split("_")
        return "0300" <= time <= "0959" and len(counter) in (7, 8) and counter[0] in "23456789"

    def printed_in_groups(name: str) -> bool:  # 3-4-4, a mobile's or a landline's groups
        return [len(part) for part in name.removesuffix(".log").split("_")[1:]] == [3, 4, 4]

    masked = [n for n in names if shaped_identifiers(n)]
    shaped = [n for n in names if landline_shaped(n)]
    assert set(shaped) <= set(masked) and 40 <= len(shaped) <= 100
    # the rest was masked before, as a number printed in groups (x_172_1106_2668.log)
    assert all(printed_in_groups(n) for n in set(masked) - set(shaped))
