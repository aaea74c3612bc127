"""CN_MOBILE: mainland mobile numbers, 11 digits in the 13x–19x ranges.

Accepts the prefixes people actually write (+86, 0086, (+86), （+86）, %2B86 in a query
string, and 86 without the plus next to a context word) and the usual 3-4-4 grouping with spaces or hyphens. 11-digit runs starting 10/11/12 are never mobiles; a run
inside a longer digit string is never matched.
"""

from __future__ import annotations

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.recognizers.cn._common import (
    NOT_ALNUM_AFTER,
    NOT_ALNUM_BEFORE,
    NOT_DECIMALS,
    QUANTITY_WORDS,
    TRANSACTION_WORDS,
    digits_of,
    digits_of_each,
)

#: Number segments allocated to mobile networks (MIIT), by first three digits.
MOBILE_PREFIXES = frozenset(
    [f"13{d}" for d in range(10)]
    + ["145", "146", "147", "148", "149"]
    + ["150", "151", "152", "153", "155", "156", "157", "158", "159"]
    + ["162", "165", "166", "167"]
    + ["170", "171", "172", "173", "174", "175", "176", "177", "178"]
    + [f"18{d}" for d in range(10)]
    + [f"19{d}" for d in range(10)]
)

_PREFIX = r"(?:(?:\+86|%2[Bb]86|0086|\(\+?86\))[ -]?)"
_BODY = r"1[3-9][0-9](?:[ -]?[0-9]{4}){2}"
#: not the tail of an identifier glued to it by - or . (req-13812345678-0001,
#: partition-13812345678, v1.3.8-rc.13812345678, /static/app.13812345678.js), unless the
#: token is a phone word (Tel.13812345678, mobile-13812345678)
_NOT_AN_IDENTIFIER_PART = (r"(?:(?<![A-Za-z][-.])|(?<=[Tt][Ee][Ll][-.])|(?<=[Mm][Oo][Bb][-.])"
                           r"|(?<=[Pp][Hh][Oo][Nn][Ee][-.])|(?<=[Mm][Oo][Bb][Ii][Ll][Ee][-.]))")
#: not a count with its unit after a space or none: 13812345678 bytes, 13812345678次, 13812345678
#: ms, 13812345678位 (but 位于, 次日 start the next words); 第13812345678位 is an ordinal (第 before)
NO_UNIT_AFTER = r"(?! ?(?:[Bb]ytes?(?![A-Za-z])|ms(?![A-Za-z])|字节|毫秒|次(?![日月])|位(?!于)|元(?!旦)))"


class CnMobileRecognizer(PiaPatternRecognizer):
    ENTITY = "CN_MOBILE"
    PRIORITY = 20
    PATTERNS = [
        Pattern("mobile with country code", r"(?<![0-9A-Za-z+])" + _PREFIX + _BODY
                + NOT_ALNUM_AFTER, 0.85),
        # not a Prometheus sample (…{job="api"} 18928832088), an amount with its unit
        # (13994807256元, …股, but not 元旦, 股东, 万女士) or the integer part of a decimal
        # with cents or more (18852260381.8821); a float export's .0 stays a mobile
        Pattern("mobile", NOT_ALNUM_BEFORE + NOT_DECIMALS + r"(?<!\+)(?<!\+86 )(?<!\+86-)(?<!\} )"
                + _NOT_AN_IDENTIFIER_PART + r"(?<!第)"
                + _BODY + r"(?!\.[0-9]{2})(?!元(?!旦))(?!股(?!东))(?!万(?![女先小]))(?![亿吨])"
                + NO_UNIT_AFTER + NOT_ALNUM_AFTER, 0.7),
        # E.164 without its plus, as SMS gateways log it (8613812345678): a 13-digit run
        # could be anything, so only with context
        Pattern("mobile with 86, no plus", NOT_ALNUM_BEFORE + NOT_DECIMALS + r"86-?1[3-9][0-9]{9}"
                + NOT_ALNUM_AFTER, 0.3),
    ]
    CONTEXT = [
        "手机", "手机号", "手机号码", "电话", "联系电话", "联系方式", "移动电话", "tel", "mobile",
        "phone", "cell", "sms", "短信", "sjh", "lxdh", "ཁ་པར", "ལག་ཁ་པར",
    ]
    #: and counters a server logs with eleven digits: Kafka's high watermark, MySQL's
    #: Rows_examined, an InnoDB LSN, a binlog position, an epoch
    NEGATIVE_CONTEXT = TRANSACTION_WORDS + QUANTITY_WORDS + [
        "watermark", "rows", "rows_examined", "rows_sent", "rows_affected", "examined", "lsn",
        "position", "epoch"]

    def candidate_scores(self, values: list[str], pattern_score: float,
                         maybe_context: list[bool]) -> list[float | None]:
        """``validate_result``'s prefix check inline: thousands of candidates per MiB."""
        if not self.validates_as(CnMobileRecognizer):
            return super().candidate_scores(values, pattern_score, maybe_context)
        prefixes = MOBILE_PREFIXES
        return [pattern_score if digits[-11:][:3] in prefixes else None
                for digits in digits_of_each(values)]

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = digits_of(pattern_text)[-11:]
        if digits[:3] not in MOBILE_PREFIXES:
            return False
        return None
