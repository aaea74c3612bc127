"""CN_BANK_CARD: bank card numbers, 16–19 digits with a Luhn check digit.

Luhn alone passes one random number in ten, so a long order number is not a card: a candidate
also needs a Chinese issuer BIN (UnionPay 62, the old domestic 9xxxx cards, common co-branded
Visa/Mastercard BINs of Chinese banks) or context such as 卡号/银行卡.
"""

from __future__ import annotations

import numpy as np

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.checksums import DigitRows, digit_rows, luhn_valid, luhn_valid_rows
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.recognizers.cn._common import (
    IDENTITY_WORDS,
    NOT_ALNUM_AFTER,
    NOT_ALNUM_BEFORE,
    NOT_DECIMALS,
    TRANSACTION_WORDS,
    digits_of,
    digits_of_each,
)

#: Issuer prefixes of Chinese bank cards: UnionPay, legacy domestic cards, and co-branded
#: Visa/Mastercard BINs of the large state banks.
CN_BIN_PREFIXES = (
    "62", "60", "94", "95", "96", "98", "99",
    "4367", "4563", "4270", "4033", "4581", "4062", "4380", "4518", "4214",
    "5187", "5218", "5268", "5453", "5201", "5239", "5184",
)



#: for each length of a prefix in ``CN_BIN_PREFIXES``, which numbers of that many digits are one
_BIN_TABLES = [(size, np.isin(np.arange(10 ** size), [int(prefix) for prefix in CN_BIN_PREFIXES
                                                      if len(prefix) == size]))
               for size in sorted({len(prefix) for prefix in CN_BIN_PREFIXES})]


def _starts_with_a_chinese_bin(rows: DigitRows) -> np.ndarray:
    """``number.startswith(CN_BIN_PREFIXES)`` of each number of a ``digit_rows`` array."""
    found = np.zeros(len(rows.starts), dtype=bool)
    last = len(rows.digits) - 1
    for size, table in _BIN_TABLES:
        prefix = np.zeros(len(rows.starts), dtype=np.int64)
        for offset in range(size):  # a number shorter than the prefix is masked out below
            prefix = prefix * 10 + rows.digits[np.minimum(rows.starts + offset, last)]
        found |= (rows.lengths >= size) & table[prefix]
    return found


#: how many bits of a 10-bit digit mask are set
_BITS_SET = np.array([bin(mask).count("1") for mask in range(1 << 10)], dtype=np.int64)


class CnBankCardRecognizer(PiaPatternRecognizer):
    ENTITY = "CN_BANK_CARD"
    CHECK_DIGIT = False  # Luhn alone passes one number in ten: a share or a label decides
    PRIORITY = 15
    PATTERNS = [
        Pattern("bank card", NOT_ALNUM_BEFORE + NOT_DECIMALS + r"[0-9]{4}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?"
                + NOT_ALNUM_AFTER, 0.45),
    ]
    CONTEXT = [
        "卡号", "银行卡", "银行卡号", "借记卡", "储蓄卡", "银联", "银行账号", "账号", "开户行", "收款账户",
        "bank card", "bank_card", "card no", "card_no", "cardno", "card number", "account no",
        "yhk", "yhkh", "དངུལ་ཁང", "ཁ་ཤོག",
    ]
    NEGATIVE_CONTEXT = TRANSACTION_WORDS + IDENTITY_WORDS

    def candidate_scores(self, values: list[str], pattern_score: float,
                         maybe_context: list[bool]) -> list[float | None]:
        """``candidate_score`` of many values, the Luhn check run as one digit array: a dense
        log holds thousands of card-shaped numbers per MiB."""
        if not self.validates_as(CnBankCardRecognizer):
            return super().candidate_scores(values, pattern_score, maybe_context)
        rows = digit_rows(digits_of_each(values))
        if rows is None:
            return super().candidate_scores(values, pattern_score, maybe_context)
        lengths = rows.lengths
        chinese_bin = _starts_with_a_chinese_bin(rows)
        # 6666666666666666 and friends: at most two distinct digits (a bit per digit seen)
        seen = np.bitwise_or.reduceat(np.left_shift(1, rows.digits), rows.starts)
        varied = _BITS_SET[seen] > 2
        ok = ((chinese_bin | np.asarray(maybe_context, dtype=bool)) & (lengths >= 16)
              & (lengths <= 19) & varied & luhn_valid_rows(rows))
        return [(0.8 if chinese else pattern_score) if good else None
                for good, chinese in zip(ok.tolist(), chinese_bin.tolist(), strict=True)]

    def candidate_score(self, value: str, pattern_score: float,
                        maybe_context: bool = True) -> float | None:
        digits = digits_of(value)
        chinese_bin = digits.startswith(CN_BIN_PREFIXES)
        if not chinese_bin and not maybe_context:
            return None  # only context could make it a card, and there is none on the line
        if not 16 <= len(digits) <= 19 or not luhn_valid(digits):
            return None
        if len(set(digits)) <= 2:  # 6666666666666666 and friends are test data, not cards
            return None
        return 0.8 if chinese_bin else pattern_score
