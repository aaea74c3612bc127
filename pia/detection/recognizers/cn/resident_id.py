"""CN_RESIDENT_ID: 公民身份号码 (GB 11643), 18 digits with an ISO 7064 MOD 11-2 check digit.

The check digit plus a real, past birth date and a real province code gate the 18-digit form.
``stdnum.cn.ric`` additionally rejects counties re-coded after birth (most generated and many
real IDs), so it is not used as the gate. The legacy 15-digit form has no check digit and
counts only with context.
"""

from __future__ import annotations

import datetime as dt
import time

from presidio_analyzer import Pattern

from pia.detection.checksums import resident_id_check_valid
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.recognizers.cn._common import (
    NOT_ALNUM_AFTER,
    NOT_ALNUM_BEFORE,
    TRANSACTION_WORDS,
)

PROVINCE_CODES = frozenset(
    ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
     "65", "71", "81", "82", "83", "91"]
)


def birth_date(value: str) -> dt.date | None:
    """The birth date encoded in an 18- or 15-digit resident ID, if it is a real date."""
    try:
        if len(value) == 18:
            return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        if len(value) == 15:
            return dt.date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
    except ValueError:
        return None
    return None


def is_valid_resident_id(value: str, today: dt.date | None = None) -> bool:
    if len(value) != 18 or value[:2] not in PROVINCE_CODES:
        return False
    if not resident_id_check_valid(value):
        return False
    born = birth_date(value)
    return born is not None and born.year >= 1900 and born <= (today or _today())


def _today() -> dt.date:
    """Today, read from the clock at most once a minute (this runs on every candidate)."""
    global _TODAY
    now = time.monotonic()
    if now - _TODAY[0] > 60:
        _TODAY = (now, dt.date.today())
    return _TODAY[1]


_TODAY: tuple[float, dt.date] = (-1e9, dt.date.min)


class CnResidentIdRecognizer(PiaPatternRecognizer):
    ENTITY = "CN_RESIDENT_ID"
    PRIORITY = 10
    CONTEXT_FIRST = True
    PATTERNS = [
        Pattern("resident id (18)", NOT_ALNUM_BEFORE + r"[1-9][0-9]{16}[0-9Xx]" + NOT_ALNUM_AFTER,
                0.5),
        Pattern("resident id (15, legacy)", NOT_ALNUM_BEFORE + r"[1-9][0-9]{14}" + NOT_ALNUM_AFTER,
                0.2),
    ]
    CONTEXT = [
        "身份证", "身份证号", "身份证号码", "公民身份号码", "证件号", "证件号码", "身份号码",
        "sfz", "sfzh", "id card", "id_card", "idcard", "id no", "id_no", "idno", "id number",
        "resident id", "citizen id", "identity",
        "ཐོབ་ཐང་ལག་ཁྱེར", "ལག་ཁྱེར་ཨང", "ངོ་སྤྲོད་ལག་ཁྱེར",
    ]
    NEGATIVE_CONTEXT = TRANSACTION_WORDS

    def validate_result(self, pattern_text: str) -> bool | None:
        if len(pattern_text) == 18:
            return is_valid_resident_id(pattern_text)
        born = birth_date(pattern_text)
        if born is None or pattern_text[:2] not in PROVINCE_CODES:
            return False
        return None  # legacy 15-digit: no checksum, context decides
