"""CN_NAME's full names that a title labels from behind (张三先生, 李娜女士您好, 尊敬的赵敏小姐):
the pattern's parts and the checks that such a name names someone.

A title after a full name says a person is meant as well as a label before it would, so the
pattern needs no label. It would still read products and phrases as names, hence the checks:
the name starts a word, or follows a salutation or a subject label (尊敬的, 客户张三先生; not
感谢张三先生, 谢 being a surname too); the title ends the word or runs into you or what the
person did (您好, 已签收; not 时尚女士手表); and the name holds a given name (李女士, 欧阳女士
and 王老先生 name no one in particular).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pia.detection.recognizer import REPORT_THRESHOLD
from pia.detection.recognizers.cn.name_words import (
    ACTIONS,
    COMPOUND_SURNAMES,
    GLUED_SUBJECTS,
    NOT_GIVEN_BEFORE_A_TITLE,
    TITLE_ADDRESSEES,
    TITLE_LOOK_ALIKES,
    TITLE_OPENERS,
    TITLES,
)

_HAN = "\u4e00-\u9fff"
#: what may stand right before a name with its title: no Chinese character, a salutation
#: (尊敬的), or a subject label (客户张三先生)
_OPENERS = TITLE_OPENERS + GLUED_SUBJECTS
_BEFORE_A_TITLED_NAME = re.compile(f"(?:[^{_HAN}]|" + "|".join(_OPENERS) + ")$")
_LONGEST_OPENER = max(map(len, _OPENERS))
#: a title, and what it may run into (张三先生，李娜女士您好, 王芳女士已签收)
TITLE = ("(?:" + "|".join(TITLES) + f")(?:(?![{_HAN}])|[{TITLE_ADDRESSEES}]|已?(?:"
         + "|".join(ACTIONS) + "))")
_TITLED = re.compile(TITLE)
_TITLE_WORD = re.compile("|".join(TITLES))
#: the pattern's lookbehinds for what a titled name may follow (``_BEFORE_A_TITLED_NAME``)
OPENING = f"(?:(?<![{_HAN}])|" + "|".join(f"(?<={opener})" for opener in _OPENERS) + ")"
#: the same for Hyperscan's line prefilter, which drops lookarounds: what it may follow and
#: the title itself, consumed, so that only lines where a title follows are flagged
PREFILTER_OPENING = f"(?:^|[^{_HAN}]|" + "|".join(_OPENERS) + ")"
PREFILTER_TITLE = "(?:" + "|".join(TITLES) + ")"


def a_title_follows(text: str, end: int) -> bool:
    """Whether a title's word starts at ``end``, whatever follows it (客户：欧阳女士)."""
    return _TITLE_WORD.match(text, end) is not None


def names_someone(value: str) -> bool:
    """Whether ``value``, a Han name's shape before a title, holds a given name: 欧阳 (欧阳女士)
    is a surname alone, 王老 (王老先生) a surname and a word of address."""
    given = value[2:] if value[:2] in COMPOUND_SURNAMES else value[1:]
    return bool(given) and given not in NOT_GIVEN_BEFORE_A_TITLE


def a_title_pattern(text: str, ends: Sequence[int], pattern_score: float) -> bool:
    """Whether spans ending at ``ends`` are the title pattern's: of the patterns strong enough
    alone, its spans end at a title, and the row pattern's at a delimiter."""
    return (pattern_score >= REPORT_THRESHOLD and bool(ends)
            and _TITLED.match(text, ends[0]) is not None)


def is_titled(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a full name with its title right after it (张三先生，
    尊敬的李娜女士您好): the title labels it from behind. It must start a word, a salutation
    or a subject label before it (感谢张三先生: 谢 is a surname too), and hold a given name
    (李女士, 欧阳女士 and 王老先生 name no one in particular)."""
    if _TITLED.match(text, end) is None or (start and _BEFORE_A_TITLED_NAME.search(
            text, max(0, start - _LONGEST_OPENER), start) is None):
        return False
    value = text[start:end]
    return (names_someone(value) and value not in TITLE_LOOK_ALIKES
            and value[:2] not in TITLE_LOOK_ALIKES)
