"""CN_LICENSE_PLATE: 机动车号牌 — province abbreviation, issuing-authority letter, optional
middle dot (or a hyphen/space as data entry writes it), then 5 characters (ordinary) or 6 (new-energy: D/F first or last), or a special
suffix (挂 学 警 港 澳 领 使 试 超).
"""

from __future__ import annotations

import re

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.recognizers.cn._common import NOT_ALNUM_AFTER

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
#: the same abbreviations in traditional characters (粵B12345 in a Hong Kong document)
PROVINCES_TRADITIONAL = "滬雲遼魯蘇贛晉陝閩貴粵寧瓊"
# Issuing letters and tails skip I and O on real plates, but data entry does not: accept them,
# and lowercase (粤b12345) too, and let the digit check below keep words out.
_LETTER = "[A-Za-z]"
_ALNUM = "[A-Za-z0-9]"
_DOT = "[·•・ -]?"

_ASCII_DIGIT = re.compile("[0-9]")
_ASCII_ALNUM = re.compile("[0-9A-Za-z]")
_ORDINARY = _ALNUM + "{4}(?:" + _ALNUM + "|[挂学警港澳领使试超])"
_NEW_ENERGY = "(?:[DFdf]" + _ALNUM + "[0-9]{4}|[0-9]{5}[DFdf])"


class CnLicensePlateRecognizer(PiaPatternRecognizer):
    ENTITY = "CN_LICENSE_PLATE"
    PRIORITY = 45
    PATTERNS = [
        Pattern("licence plate", "[" + PROVINCES + PROVINCES_TRADITIONAL + "]" + _LETTER + _DOT + "(?:" + _NEW_ENERGY + "|"
                + _ORDINARY + ")" + NOT_ALNUM_AFTER, 0.6),
    ]
    CONTEXT = ["车牌", "车牌号", "号牌", "车辆", "plate", "license plate", "licence plate", "cph",
               "རླངས་འཁོར"]

    def validate_result(self, pattern_text: str) -> bool | None:
        # an all-letter tail is a word, not a plate (粤BUSINESS)
        if _ASCII_DIGIT.search(pattern_text, 2) is None and _ASCII_ALNUM.search(pattern_text, 2):
            return False
        return None
