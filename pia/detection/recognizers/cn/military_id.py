"""CN_MILITARY_ID: 军官证/士兵证/文职干部证 numbers, usually written 某字第NNNNNNNN号.

The 字第…号 form is specific enough alone; a bare 6–8 digit number counts only next to
context words such as 军官证.
"""

from __future__ import annotations

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.recognizers.cn._common import NOT_ALNUM_AFTER, NOT_ALNUM_BEFORE, NOT_DECIMALS

#: first characters of the issuing body: the general departments (参 政 后 装), services
#: (海 空 炮 火 武 警 军 勤 支), military regions before 2016 (北 沈 济 南 广 成 兰) and
#: theatre commands since (东 西 中 战)
ISSUERS = "参政后装海空炮火武警军勤支北沈济南广成兰东西中战"


class CnMilitaryIdRecognizer(PiaPatternRecognizer):
    ENTITY = "CN_MILITARY_ID"
    PRIORITY = 43
    CONTEXT_FIRST = True
    PATTERNS = [
        # the issuing service or region (南 南京军区, 政 总政, 海 海军, 武 武警…): court cases
        # (民初字第…号) and licences (食证字第…号) share the 字第…号 shape
        # It may follow the word that introduces it (军官证是南字第…号, 证件号为…, 军官证南字第…号)
        Pattern("officer card (字第…号)", "(?:(?<![\u4e00-\u9fff])|(?<=[是为為证證号號]))["
                + ISSUERS + "]{1,2}字第[0-9]{6,8}号", 0.6),
        Pattern("military id digits", NOT_ALNUM_BEFORE + NOT_DECIMALS + r"[0-9]{6,8}"
                + NOT_ALNUM_AFTER, 0.2),
    ]
    CONTEXT = ["军官证", "士兵证", "军人证", "文职干部证", "军官证号", "部队", "military id",
               "officer id", "jgz"]
    CONTEXT_BOOST = 0.4
