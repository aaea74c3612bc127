"""The hot-path checksums agree with python-stdnum on random and on valid input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import uscc
from stdnum.iso7064 import mod_11_2

from pia.detection.checksums import (
    digit_rows,
    luhn_valid,
    luhn_valid_rows,
    resident_id_check_valid,
    uscc_check_valid,
)

DIGITS = st.text(alphabet="0123456789", min_size=13, max_size=19)
ID_LIKE = st.text(alphabet="0123456789", min_size=17, max_size=17).flatmap(
    lambda body: st.sampled_from("0123456789X").map(lambda c: body + c))
# stdnum also insists on eight leading digits (a format rule the recognizer's pattern owns)
USCC_LIKE = st.tuples(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=10, max_size=10),
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(DIGITS)
def test_luhn_matches_stdnum(number: str) -> None:
    assert luhn_valid(number) == luhn.is_valid(number)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789", min_size=1, max_size=20), min_size=1,
                max_size=20))
def test_luhn_over_one_digit_array_equals_one_by_one(numbers: list[str]) -> None:
    assert luhn_valid_rows(digit_rows(numbers)).tolist() == [luhn_valid(n) for n in numbers]


def test_digit_rows_refuse_what_is_not_ascii_digits() -> None:
    assert digit_rows([]) is None
    assert digit_rows(["123", ""]) is None
    assert digit_rows(["１２３"]) is None  # full-width digits are digits, but not ASCII
    assert digit_rows(["12a"]) is None


@settings(max_examples=2000, deadline=None)
@given(ID_LIKE)
def test_mod11_2_matches_stdnum(value: str) -> None:
    assert resident_id_check_valid(value) == mod_11_2.is_valid(value)


@settings(max_examples=2000, deadline=None)
@given(USCC_LIKE)
def test_uscc_matches_stdnum(value: str) -> None:
    assert uscc_check_valid(value) == uscc.is_valid(value)


def test_valid_examples() -> None:
    assert luhn_valid("6222021234567890128")
    assert resident_id_check_valid("11010519491231002X")
    assert uscc_check_valid("91110000600037341L")
    body = "9111000060003734"
    for ch in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        assert uscc_check_valid(body + "1" + ch) == uscc.is_valid(body + "1" + ch)


#: 18-character values around the edges of the resident ID rules: province codes, leap
#: days, months 00/13, days 00/32, years before 1900 and after today, and a lower-case x
ID_EDGES = st.tuples(
    st.sampled_from(["11", "12", "10", "91", "99", "65", "00"]),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
    st.sampled_from(["1899", "1900", "1996", "2000", "2100", "2024", "2026", "2027", "0000"]),
    st.sampled_from(["00", "01", "02", "11", "12", "13"]),
    st.sampled_from(["00", "01", "28", "29", "30", "31", "32"]),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
    st.sampled_from("0123456789Xx"),
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(ID_EDGES, min_size=1, max_size=30), st.dates())
def test_resident_ids_checked_as_an_array_equal_one_by_one(values, today) -> None:
    # make one in three a valid check digit, so the date and province rules are reached
    from pia.detection.checksums import mod11_2_check_char
    from pia.detection.recognizers.cn.resident_id import is_valid_resident_id, valid_resident_ids

    values = [v[:17] + mod11_2_check_char(v[:17]) if i % 3 == 0 else v
              for i, v in enumerate(values)]
    got = valid_resident_ids(values, today)
    assert got is not None
    assert got.tolist() == [is_valid_resident_id(v, today) for v in values]


def test_resident_ids_that_are_not_18_ascii_characters_are_left_to_the_caller() -> None:
    from pia.detection.recognizers.cn.resident_id import valid_resident_ids

    assert valid_resident_ids(["11010519491231002X", "110105194912310"]) is None
    assert valid_resident_ids(["１10105194912310021"]) is None  # a full-width digit
    assert valid_resident_ids(["1101051949123100A1"]) is None  # not 17 digits first


def test_a_subclass_that_validates_its_own_way_is_not_bypassed() -> None:
    from pia.detection.recognizers.cn.resident_id import CnResidentIdRecognizer

    class BeijingOnly(CnResidentIdRecognizer):
        def validate_result(self, pattern_text: str) -> bool | None:
            return pattern_text.startswith("11") and super().validate_result(pattern_text)

    values = ["110101199003074573", "31010419900307457X"]  # both valid, Beijing and Shanghai
    assert CnResidentIdRecognizer().candidate_scores(values, 0.5, [True, True]) == [1.0, 1.0]
    assert BeijingOnly().candidate_scores(values, 0.5, [True, True]) == [1.0, None]
