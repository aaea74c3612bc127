"""CN_TAIWAN_PERMIT: 台湾居民来往大陆通行证 (台胞证, 8 digits, formerly 10 digits + letter)
and 大陆居民往来台湾通行证 (L or T + 8 digits, in capitals or typed in small letters). Without
context these are just numbers.
"""

from __future__ import annotations

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.recognizers.cn._common import NOT_ALNUM_AFTER, NOT_ALNUM_BEFORE, NOT_DECIMALS


class CnTaiwanPermitRecognizer(PiaPatternRecognizer):
    ENTITY = "CN_TAIWAN_PERMIT"
    PRIORITY = 42
    CONTEXT_FIRST = True
    PATTERNS = [
        Pattern("mainland travel permit for Taiwan residents", NOT_ALNUM_BEFORE + NOT_DECIMALS
                + r"[0-9]{8}(?:[0-9]{2}\(?[A-Za-z]\)?)?" + NOT_ALNUM_AFTER, 0.2),
        Pattern("exit-entry permit to Taiwan", NOT_ALNUM_BEFORE + r"[LTlt][0-9]{8}"
                + NOT_ALNUM_AFTER, 0.25),
    ]
    CONTEXT = ["台胞证", "台湾通行证", "来往大陆通行证", "往来台湾", "入台证", "台湾居民",
               "taiwan permit", "mtp", "tbz"]
    #: "taiwan permit no." must fit with its separator
    CONTEXT_BEFORE = 20
    CONTEXT_BOOST = 0.4
