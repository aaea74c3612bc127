"""CN_LANDLINE: fixed-line numbers with an area code (010, 02x, 0xxx) and 7–8 digits, which
never start with 0 or 1.

Written with a separator or parentheses (and the subscriber number whole or in two groups,
``(021) 6234 5678``) the shape is unambiguous; a bare run of digits
starting with 0 could be anything, so it needs context.
"""

from __future__ import annotations

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.recognizers.cn._common import (
    NOT_ALNUM_AFTER,
    NOT_ALNUM_BEFORE,
    NOT_DECIMALS,
    TRANSACTION_WORDS,
)

_AREA = r"(?:010|02[0-9]|0[3-9][0-9]{2})"
_SUBSCRIBER = r"[2-9][0-9]{6,7}"
_INTERNATIONAL_AREA = r"(?:10|2[0-9]|[3-9][0-9]{2})"
#: as business cards print it: 6234 5678, 8765-4321 (7 digits: 623 4567)
_GROUPED_SUBSCRIBER = r"[2-9][0-9]{2,3}[ -]?[0-9]{4}"


class CnLandlineRecognizer(PiaPatternRecognizer):
    ENTITY = "CN_LANDLINE"
    PRIORITY = 30
    CONTEXT_FIRST = True
    PATTERNS = [
        # not one group of a longer run of digit groups (4403 0519 9003 0712 36 is an ID)
        Pattern("landline with separator",
                NOT_ALNUM_BEFORE + NOT_DECIMALS + r"(?<![0-9][ -])(?:(?:\+86|0086)[ -]?)?(?:\("
                + _AREA + r"\)[ -]?|" + _AREA + r"[ -])"
                # an extension after a hyphen, or after a space when the subscriber's digits
                # are whole (0755 88886666 8001): in groups, a fourth group of digits is as
                # often the rest of a longer number
                + r"(?:" + _SUBSCRIBER + r"(?:[ -][0-9]{1,5})?|" + _GROUPED_SUBSCRIBER
                + r"(?:-[0-9]{1,5})?)(?![ -][0-9])" + NOT_ALNUM_AFTER, 0.6),
        # international: the area code loses its 0 (+86 10 6234 5678, +86-755-8765-4321); a
        # mobile cannot pass for one, as no area code starts with 1 but 10
        Pattern("landline, international", r"(?<![0-9A-Za-z+])(?:\+86|0086)[ -]?(?:\("
                + _INTERNATIONAL_AREA + r"\)[ -]?|" + _INTERNATIONAL_AREA + r"[ -]?)"
                + _GROUPED_SUBSCRIBER + r"(?:-[0-9]{1,5})?" + NOT_ALNUM_AFTER, 0.6),
        Pattern("landline digits only", NOT_ALNUM_BEFORE + NOT_DECIMALS + _AREA + _SUBSCRIBER
                + NOT_ALNUM_AFTER, 0.3),
    ]
    CONTEXT = ["电话", "座机", "固话", "联系电话", "办公电话", "传真", "tel", "phone", "landline",
               "fax", "gddh", "ཁ་པར"]
    NEGATIVE_CONTEXT = TRANSACTION_WORDS
