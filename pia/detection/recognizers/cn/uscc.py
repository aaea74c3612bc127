"""CN_USCC: 统一社会信用代码 (GB 32100-2015), 18 characters with a MOD 31 check character.

An organisation's code, not personal information: reported so that inventories can tell
companies from people (sole proprietors' codes still point at a person).
"""

from __future__ import annotations

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.checksums import uscc_check_valid
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.recognizers.cn._common import (
    NOT_ALNUM_AFTER,
    NOT_ALNUM_BEFORE,
    NOT_DECIMALS,
    TRANSACTION_WORDS,
)

_CHAR = "[0-9A-HJ-NPQRTUWXY]"


class CnUsccRecognizer(PiaPatternRecognizer):
    ENTITY = "CN_USCC"
    CHECK_DIGIT = False  # mod 31 alone: a share or a label decides
    PRIORITY = 60
    PATTERNS = [
        Pattern("unified social credit code", NOT_ALNUM_BEFORE + NOT_DECIMALS + r"[1-9ANY][1-9]" + r"[0-9]{6}"
                + _CHAR + "{10}" + NOT_ALNUM_AFTER, 0.3),
    ]
    CONTEXT = ["统一社会信用代码", "信用代码", "社会信用代码", "营业执照", "uscc", "credit code",
               "tyshxydm"]

    NEGATIVE_CONTEXT = TRANSACTION_WORDS

    def candidate_score(self, value: str, pattern_score: float,
                        maybe_context: bool = True) -> float | None:
        if value.isdigit() and not maybe_context:
            return None  # an all-digit code counts only next to context, and there is none
        if not uscc_check_valid(value):
            return None
        # one random 18-digit order number in 31 passes the check; letters make it a code
        return 0.85 if not value.isdigit() else pattern_score
