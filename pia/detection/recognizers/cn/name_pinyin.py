"""CN_NAME's names in pinyin (Wang Fang, ZHANG Xiaoming, Chen Xiao Ming): the pattern's parts
and the check that a value reads as a name.

A pinyin surname followed by capitalised words is everywhere in English text (Li, He, Ma and
Wu are English words too), so such a name counts only in a person's field of its own
(``Name: ``, ``"customerName": "``, 姓名：), and only as a common surname's pinyin and a given
name of one or two syllables (``is_a_pinyin_name``).
"""

from __future__ import annotations

import re

from pia.detection.recognizers.cn.name_words import PINYIN_SURNAMES, PINYIN_SYLLABLES


def _longest_first(word: str) -> tuple[int, str]:
    """Sort key: longer words first, then in code point order. Never a set's own order, which
    changes with each process's hash seed and would change the patterns, and with them the
    key of the compiled-pattern cache (each command then compiled them again)."""
    return -len(word), word


#: a common surname's pinyin, capitalised or in capitals, the longest first
SURNAME = "(?:" + "|".join(
    form for surname in sorted(PINYIN_SURNAMES, key=_longest_first)
    for form in (surname.capitalize(), surname.upper())) + ")"
#: what a name in pinyin follows: the end of a person's key or label and its separator
LABELS_WITH_SEPARATORS = tuple(
    f"{form}{separator}"
    for label in ("name", "holder", "contact", "user", "customer", "receiver", "consignee",
                  "recipient", "xm", "xingming")
    for form in dict.fromkeys((label, label.capitalize(), label.upper()))
    for separator in (": ", ":", "=", '": "', '":"', "': '", "':'", '="')) + tuple(
    f"{label}{separator}" for label in ("姓名", "名字", "联系人", "收货人", "收件人", "持卡人",
                                        "客户", "用户")
    for separator in ("：", ": ", ":", "=", "： "))
#: the labels as lookbehinds: a label, not any capitalised pair after a surname, so that
#: Hyperscan flags only such lines
LABELS = "(?:" + "|".join(f"(?<={label})" for label in LABELS_WITH_SEPARATORS) + ")"
#: a superset of the lines the pattern matches on, for Hyperscan: a label, then two
#: capitalised words. The surnames spelled out cost it seconds to compile
LINE_PREFILTER = ("(?:" + "|".join(map(re.escape, LABELS_WITH_SEPARATORS)) + ")"
                  + "[A-Z][A-Za-z]* [A-Z]")
_PART = re.compile(r"[ -]")


def _syllables(word: str, most: int) -> bool:
    """Whether ``word`` (lowercase) is at most ``most`` pinyin syllables."""
    if not word:
        return True
    return most > 0 and any(word[:size] in PINYIN_SYLLABLES and _syllables(word[size:], most - 1)
                            for size in range(min(6, len(word)), 0, -1))


def is_a_pinyin_name(value: str) -> bool:
    """Whether ``value`` reads as a name in pinyin: a common surname, then a given name of
    one or two syllables (Fang, Xiaoming, Xiao Ming, Xiao-ming), nothing else."""
    surname, _, given = value.partition(" ")
    parts = [part.lower() for part in _PART.split(given) if part]
    return (surname.lower() in PINYIN_SURNAMES and 0 < len(parts) <= 2
            and _syllables("".join(parts), 2)
            and all(_syllables(part, 2) for part in parts))
