"""Batch validation (``candidate_scores``) equals validating one value at a time.

The engine validates a pattern's candidates together; Presidio's path validates each with
``candidate_score``. Both must say the same of every value, for every built-in recognizer,
and a subclass that validates its own way must not be bypassed by a parent's batch check.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pia.detection.checksums import ascii_digits
from pia.detection.recognizers.cn._common import digits_of, digits_of_each
from pia.detection.recognizers.cn.bank_card import CnBankCardRecognizer
from pia.detection.recognizers.cn.mobile import CnMobileRecognizer
from pia.detection.recognizers.cn.passport import CnPassportRecognizer
from pia.detection.recognizers.generic import EmailRecognizer, IpRecognizer
from pia.detection.registry import build_registry

RECOGNIZERS = build_registry(plugins=False).recognizers("zh")
PIECES = ["13812345678", "14412345678", "+86 13912345678", "(+86)14412345678", "138 1234 5678",
          "110101199003074573", "6222021234567890128", "6666666666666666", "6262626262626262", "6222 0212 3456 7890 128",
          "4539578763621486", "62220212345678901", "E12345678", "138", "12", "1", "0", "5", "9", "X", "x", " ", "-", "+86", "(+86)", "0086",
          "110105", "19491231", "002X", "6222", "62", "4539", "E", "G", "京A", "@", "a.cn",
          "张", "三", "192.168.", "91350100M000100Y43"]
LINES = st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join),
                 max_size=12)


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda rec: rec.name)
@settings(max_examples=150, deadline=None)
@given(lines=LINES, data=st.data())
def test_batch_scores_equal_one_by_one(recognizer, lines: list[str], data) -> None:
    # the values a batch gets: one pattern's matches (a validator may assume its shape)
    for regex, _pattern in recognizer._compiled:
        values = [match.group() for line in lines for match in regex.finditer(line)
                  if match.group()]
        maybe_context = data.draw(st.lists(st.booleans(), min_size=len(values),
                                           max_size=len(values)))
        for score in (0.45, 0.7):
            assert recognizer.candidate_scores(values, score, maybe_context) == [
                recognizer.candidate_score(value, score, context)
                for value, context in zip(values, maybe_context, strict=True)]


def test_a_mobile_subclass_that_validates_its_own_way_is_not_bypassed() -> None:
    class ChinaMobileOnly(CnMobileRecognizer):
        def validate_result(self, pattern_text: str) -> bool | None:
            if not pattern_text.startswith(("134", "135", "136", "137", "138", "139")):
                return False
            return super().validate_result(pattern_text)

    values = ["13812345678", "18612345678"]
    assert CnMobileRecognizer().candidate_scores(values, 0.7, [True, True]) == [0.7, 0.7]
    assert ChinaMobileOnly().candidate_scores(values, 0.7, [True, True]) == [0.7, None]


def test_a_bank_card_subclass_that_scores_its_own_way_is_not_bypassed() -> None:
    class UnionPayOnly(CnBankCardRecognizer):
        def candidate_score(self, value: str, pattern_score: float,
                            maybe_context: bool = True) -> float | None:
            if not value.startswith("62"):
                return None
            return super().candidate_score(value, pattern_score, maybe_context)

    values = ["6222021234567890128", "4563511234567896"]  # UnionPay; a BOC co-branded Visa
    assert CnBankCardRecognizer().candidate_scores(values, 0.45, [True, True]) == [0.8, 0.8]
    assert UnionPayOnly().candidate_scores(values, 0.45, [True, True]) == [0.8, None]


ADDRESSES = ["1.2.3.4", "0.1.2.3", "10.0.0.1", "127.0.0.1", "169.254.1.1", "169.253.1.1",
             "16.254.1.1", "223.255.255.255", "224.0.0.1", "239.1.1.1", "240.0.0.1",
             "255.255.255.0", "25.1.1.1", "2.4.0.1", "fe80::1", "::1", "::", "2001:db8::1",
             "ff02::1", "1.2.3", "01.2.3.4"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(ADDRESSES), max_size=12), st.data())
def test_ip_addresses_refused_by_their_first_octets_as_one_by_one(values, data) -> None:
    recognizer = IpRecognizer()
    _assert_scored_together_as_one_by_one(recognizer, values, 0.7, data)
    refused = [value for value in ADDRESSES
               if recognizer.candidate_scores([value], 0.7, [True]) == [None]]
    assert refused == ["0.1.2.3", "127.0.0.1", "169.254.1.1", "224.0.0.1", "239.1.1.1",
                       "240.0.0.1", "255.255.255.0", "::1", "::", "ff02::1", "1.2.3", "01.2.3.4"]


def test_email_addresses_checked_together_as_one_by_one() -> None:
    values = ["zs@example.com", "a..b@example.com", "a.@example.com", "zs@mail..cn",
              "logo@2x.png", "li.si%40corp.com.cn", "x@y.CN", "u@h.invalidtld", "a.b@c.co"]
    recognizer = EmailRecognizer()
    assert recognizer.candidate_scores(values, 0.9, [False] * len(values)) == [
        0.9, None, None, None, None, 0.9, 0.9, None, 0.9]
    assert recognizer.candidate_scores(values, 0.9, [False] * len(values)) == [
        recognizer.candidate_score(value, 0.9, False) for value in values]


NUMBER_PIECES = ["62", "6222", "4367", "4", "5187", "60", "9", "0", "1", "7", " ", "-", "+86",
                 "１", "\n", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(NUMBER_PIECES), max_size=10).map("".join), max_size=10))
def test_digits_of_many_values_at_once_are_each_ones_digits(values: list[str]) -> None:
    assert digits_of_each(values) == [digits_of(value) for value in values]
    assert ascii_digits("".join(values)) == ("".join(values).isascii()
                                             and "".join(values).isdigit())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(NUMBER_PIECES[:-3]), min_size=1, max_size=12)
                .map("".join), max_size=10), st.data())
def test_bank_cards_of_any_prefix_and_length_scored_together_as_one_by_one(values, data) -> None:
    # the issuer BINs of two and four digits, numbers shorter than them, and separators
    _assert_scored_together_as_one_by_one(CnBankCardRecognizer(), values, 0.45, data)


def _assert_scored_together_as_one_by_one(recognizer, values: list[str], score: float,
                                          data) -> None:
    maybe_context = data.draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values)))
    assert recognizer.candidate_scores(values, score, maybe_context) == [
        recognizer.candidate_score(value, score, context)
        for value, context in zip(values, maybe_context, strict=True)]


def test_values_without_a_validator_keep_their_score_and_a_subclass_validator_is_asked() -> None:
    class OddOnly(CnPassportRecognizer):
        def validate_result(self, pattern_text: str) -> bool | None:
            return None if int(pattern_text[-1]) % 2 else False

    text = "护照 E12345679，护照 E87654320"
    starts = [text.index("E1"), text.index("E8")]
    ends = [start + 9 for start in starts]
    for recognizer, expected in ((CnPassportRecognizer(), [0.95, 0.95]),
                                 (OddOnly(), [0.95, None])):
        scores = recognizer.score_spans(text, starts, ends, 0.55, [True, True], [True, True])
        assert [None if np.isnan(score) else score for score in scores.tolist()] == expected
        assert [None if scored is None else scored[0] for scored in map(
            recognizer.score_span, [text] * 2, starts, ends, [0.55] * 2)] == expected
