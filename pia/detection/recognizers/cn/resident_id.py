"""CN_RESIDENT_ID: 公民身份号码 (GB 11643), 18 digits with an ISO 7064 MOD 11-2 check digit.

The check digit plus a real, past birth date and a real province code gate the 18-digit form,
written whole or in the 6-8-4 groups forms print.
``stdnum.cn.ric`` additionally rejects counties re-coded after birth (most generated and many
real IDs), so it is not used as the gate. The legacy 15-digit form has no check digit and
counts only with context.
"""

from __future__ import annotations

import datetime as dt
import time

import numpy as np

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.checksums import mod11_2_check_bytes, resident_id_check_valid
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.recognizers.cn._common import (
    NOT_ALNUM_AFTER,
    NOT_ALNUM_BEFORE,
    NOT_DECIMALS,
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


_PROVINCE_TABLE = np.zeros(100, dtype=bool)
_PROVINCE_TABLE[[int(code) for code in PROVINCE_CODES]] = True
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0, 0, 0], dtype=np.int64)


def valid_resident_ids(values: list[str], today: dt.date | None = None) -> np.ndarray | None:
    """``is_valid_resident_id`` of many 18-character values at once, or None if it cannot say.

    A dense log holds thousands of ID-shaped numbers per MiB; checking them as one array of
    digits costs a tenth of checking them one by one. Values that are not 18 ASCII
    characters with 17 leading digits return None: the caller checks those one by one.
    """
    joined = "".join(values)
    if len(joined) != 18 * len(values) or not joined.isascii():
        return None
    raw = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(-1, 18)
    digits = raw[:, :17].astype(np.int64) - 48
    if ((digits < 0) | (digits > 9)).any():
        return None
    ok = _PROVINCE_TABLE[digits[:, 0] * 10 + digits[:, 1]]
    last = raw[:, 17]
    ok &= mod11_2_check_bytes(digits) == np.where(last == ord("x"), ord("X"), last)
    year = digits[:, 6] * 1000 + digits[:, 7] * 100 + digits[:, 8] * 10 + digits[:, 9]
    month = digits[:, 10] * 10 + digits[:, 11]
    day = digits[:, 12] * 10 + digits[:, 13]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = _MONTH_DAYS[np.minimum(month, 15)] + (leap & (month == 2))
    today = today or _today()
    ok &= (year >= 1900) & (day >= 1) & (day <= month_days)
    ok &= year * 10000 + month * 100 + day <= today.year * 10000 + today.month * 100 + today.day
    return ok


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
    CHECK_DIGIT = True  # check digit, region code and birth date all valid
    PRIORITY = 10
    CONTEXT_FIRST = True
    PATTERNS = [
        # a decimal point before it is allowed (a numbered list: 1.11010519880512123X): a
        # float's fraction passes the check digit, date and region only by rare chance
        Pattern("resident id (18)", NOT_ALNUM_BEFORE + r"[1-9][0-9]{16}[0-9Xx]" + NOT_ALNUM_AFTER,
                0.5),
        # 6-8-4 groups, as forms print it (110105 19491231 002X): region, birth date, rest
        Pattern("resident id (18, grouped)", NOT_ALNUM_BEFORE
                + r"[1-9][0-9]{5}[ -][0-9]{8}[ -][0-9]{3}[0-9Xx]" + NOT_ALNUM_AFTER, 0.5),
        Pattern("resident id (15, legacy)", NOT_ALNUM_BEFORE + NOT_DECIMALS + r"[1-9][0-9]{14}"
                + NOT_ALNUM_AFTER, 0.2),
    ]
    CONTEXT = [
        "身份证", "身份证号", "身份证号码", "公民身份号码", "证件号", "证件号码", "身份号码",
        "sfz", "sfzh", "id card", "id_card", "idcard", "id no", "id_no", "idno", "id number",
        "resident id", "citizen id", "identity",
        "ཐོབ་ཐང་ལག་ཁྱེར", "ལག་ཁྱེར་ཨང", "ངོ་སྤྲོད་ལག་ཁྱེར",
    ]
    NEGATIVE_CONTEXT = TRANSACTION_WORDS

    def candidate_scores(self, values: list[str], pattern_score: float,
                         maybe_context: list[bool]) -> list[float | None]:
        """18-digit candidates are checked as one array; anything else one by one (and
        everything, when a subclass validates its own way)."""
        batch = values and len(values[0]) == 18 and self.validates_as(CnResidentIdRecognizer)
        valid = valid_resident_ids(values) if batch else None
        if valid is None:
            return super().candidate_scores(values, pattern_score, maybe_context)
        return [1.0 if ok else None for ok in valid.tolist()]

    def validate_result(self, pattern_text: str) -> bool | None:
        if len(pattern_text) == 20:  # grouped: the separators are where the pattern put them
            pattern_text = pattern_text[:6] + pattern_text[7:15] + pattern_text[16:]
        if len(pattern_text) == 18:
            return is_valid_resident_id(pattern_text)
        born = birth_date(pattern_text)
        if born is None or pattern_text[:2] not in PROVINCE_CODES:
            return False
        return None  # legacy 15-digit: no checksum, context decides
