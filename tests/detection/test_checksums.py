"""The hot-path checksums agree with python-stdnum on random and on valid input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import uscc
from stdnum.iso7064 import mod_11_2

from pia.detection.checksums import luhn_valid, resident_id_check_valid, uscc_check_valid

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
