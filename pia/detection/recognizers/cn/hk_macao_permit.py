"""CN_HK_MACAO_PERMIT: 往来港澳通行证 (C + letter/digit + 7 digits) and 港澳居民来往内地通行证
(回乡证: H or M + 8 or 10 digits), in capitals as printed or in small letters as typed by
hand. Short alphanumeric shapes: context decides.
"""

from __future__ import annotations

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.recognizers.cn._common import NOT_ALNUM_AFTER, NOT_ALNUM_BEFORE


class CnHkMacaoPermitRecognizer(PiaPatternRecognizer):
    ENTITY = "CN_HK_MACAO_PERMIT"
    PRIORITY = 41
    CONTEXT_FIRST = True
    PATTERNS = [
        Pattern("two-way permit", NOT_ALNUM_BEFORE + r"[Cc][0-9A-HJ-NP-Za-hj-np-z][0-9]{7}"
                + NOT_ALNUM_AFTER, 0.3),
        Pattern("home return permit", NOT_ALNUM_BEFORE + r"[HMhm][0-9]{8}(?:[0-9]{2})?"
                + NOT_ALNUM_AFTER, 0.3),
    ]
    CONTEXT = ["港澳通行证", "往来港澳", "回乡证", "来往内地通行证", "港澳居民", "通行证",
               "hk permit", "macao permit", "home return permit", "two-way permit", "gatxz"]
    #: "home return permit" (18 characters) must fit with its separator
    CONTEXT_BEFORE = 24
