"""DEVICE_ID: a phone's IMEI, 15 digits whose last is a Luhn check digit, under its label.

Fifteen digits are as often an order, a trace or a timestamp in microseconds, and Luhn
passes one number in ten: a bare one is never reported. An IMEI counts only where its label
stands beside it (``imei=…``, ``"IMEI": "…"``, 手机串号：…), which a database column or a
JSON key named ``imei`` lends its values too. MAC addresses and platform IDs (IDFA, OAID)
are found by their column's or field's name only (``pia/data/vocabulary.yaml``): their
shapes are those of any hardware address or UUID.
"""

from __future__ import annotations

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.checksums import luhn_valid
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.recognizers.cn._common import (
    NOT_ALNUM_AFTER,
    NOT_ALNUM_BEFORE,
    NOT_DECIMALS,
    TRANSACTION_WORDS,
    digits_of,
)

#: an IMEI as written: 15 digits, or as a phone's *#06# screen groups them (AA-BBBBBB-CCCCCC-D)
IMEI = r"(?:[0-9]{15}|[0-9]{2}-[0-9]{6}-[0-9]{6}-[0-9])"


class ImeiRecognizer(PiaPatternRecognizer):
    ENTITY = "DEVICE_ID"
    PRIORITY = 45
    CONTEXT_FIRST = True  # the check digit never lifts it over the threshold alone
    PATTERNS = [
        Pattern("IMEI (Luhn)", NOT_ALNUM_BEFORE + NOT_DECIMALS + IMEI + NOT_ALNUM_AFTER, 0.3),
    ]
    CONTEXT = ["imei", "imei号", "国际移动设备识别码", "移动设备识别码", "设备识别码", "手机串号",
               "设备串号", "串号"]
    NEGATIVE_CONTEXT = TRANSACTION_WORDS

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = digits_of(pattern_text)
        # 000000000000000 and friends are placeholders a client sends when it may not read one
        if len(set(digits)) <= 2 or not luhn_valid(digits):
            return False
        return None
