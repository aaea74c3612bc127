"""Soft-delete and account-closure markers: columns that say a row was deleted, or its account
closed, while the row and its personal information stay.

PIPL 47 asks a processor to delete PI once its purpose ends or a person withdraws; a table
that only marks such rows (``deleted_at``, ``is_deleted``, ``del_flag``, 删除时间, 注销时间)
keeps their PI. The words are data (the ``deletion_markers`` section of
``pia/data/vocabulary.yaml``), read with the PI vocabulary's machinery: names split into
tokens (``isDeleted`` → is, deleted), pinyin derived from the Chinese words
(``shanchushijian``), comments read by their leading word.

Whether a marker says *when* (a time: deleted at that time) or *whether* (a flag: 1, true,
'Y', RuoYi's '2') is read from each value, not from the name: ``deleted`` holds booleans in
one schema and times in another, and ThinkPHP's ``delete_time`` holds epoch seconds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from pia.clock import china_date
from pia.detection.lexicon import pinyin_forms, tokens, vocabulary_data

#: a value that is a time as text: 2024-05-01, 2024-05-01 10:00:00[.123][+08[:00]]
_TIME_TEXT = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?"
                        r"(?:Z|[+-]\d{2}(?::?\d{2})?)?)?")
#: flag values that say "not deleted" (a live row); anything else a flag holds is deleted
_LIVE = frozenset({"0", "n", "no", "false", "f", "否", "未删除", "正常", "normal", "active",
                   "live", "未注销"})
_DELETED = frozenset({"1", "2", "-1", "y", "yes", "true", "t", "是", "已删除", "删除",
                      "deleted", "已注销", "注销", "closed", "cancelled", "canceled"})
#: epoch seconds from 2001-09-09 and milliseconds from then on: smaller numbers are flags
_EPOCH_SECONDS = 10**9
_EPOCH_MILLIS = 10**12
#: a time before this year is a "not deleted" placeholder (1970-01-01, MySQL's zero date)
_FIRST_YEAR = 1971
#: what may follow a Chinese term at the start of a comment and keep it the term
_ZH_TAIL = ("位", "字段", "列")
_COMMENT_WORD = re.compile(r"[^\s,，.。;；:：(（\[【]+")


@dataclass(frozen=True)
class Markers:
    deletion: frozenset[tuple[str, ...]]
    closure: frozenset[tuple[str, ...]]
    zh_deletion: frozenset[str]
    zh_closure: frozenset[str]
    prefixes: frozenset[str]
    account_words: frozenset[str]
    zh_account_words: tuple[str, ...]


@cache
def markers() -> Markers:
    data = vocabulary_data()["deletion_markers"]

    def names(words: list[str]) -> frozenset[tuple[str, ...]]:
        return frozenset(key for term in words
                         for key in (tokens(term), ("".join(tokens(term)),)))

    pinyin = set()  # 删除时间 → shanchushijian, shan_chu_shi_jian; 注销 names accounts only
    for keyword in data["deletion"]["zh"] + data["closure"]["zh"]:
        syllables = pinyin_forms(keyword)
        pinyin.update({tuple(syllables), ("".join(syllables),)})
    tables = data["account_tables"]
    return Markers(
        deletion=names(data["deletion"]["en"]) | frozenset(pinyin),
        closure=names(data["closure"]["en"]),
        zh_deletion=frozenset(data["deletion"]["zh"]), zh_closure=frozenset(data["closure"]["zh"]),
        prefixes=frozenset(data["prefixes"]),
        account_words=frozenset(tables["en"]), zh_account_words=tuple(tables["zh"]))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def account_table(table: str | None) -> bool:
    """Whether a table holds accounts (``users``, ``t_member``, 会员表): where a closed or
    cancelled row is a closed account, not a closed order."""
    if not table:
        return False
    vocab = markers()
    return bool({_singular(t) for t in tokens(table)} & vocab.account_words) or any(
        w in table for w in vocab.zh_account_words)


def _by_name(name: str, table: str | None) -> bool:
    vocab = markers()
    if name.strip() in vocab.zh_deletion or name.strip() in vocab.zh_closure:
        return True
    parts = tokens(name)
    own = {_singular(t) for t in tokens(table or "")}
    for size in range(len(parts), 0, -1):
        prefix, term = parts[:-size], parts[-size:]
        if not all(p in vocab.prefixes or _singular(p) in own for p in prefix):
            continue
        if term in vocab.deletion or (term in vocab.closure and account_table(table)):
            return True
    return False


def _by_comment(comment: str | None) -> bool:
    if not comment:
        return False
    found = _COMMENT_WORD.match(comment.strip())
    if found is None:
        return False
    vocab = markers()
    word = found.group()
    for term in vocab.zh_deletion | vocab.zh_closure:
        if word == term or (word.startswith(term) and word[len(term):] in _ZH_TAIL):
            return True
    return False


def is_marker(name: str, comment: str | None, table: str | None) -> bool:
    """Whether a column marks rows deleted or accounts closed, by its name or its comment.

    ``deleted_by``, ``delete_reason`` and 删除人 name who and why, not whether: a term must
    end the name (after only the words ``prefixes`` lists, or the table's own name) or be
    the comment's first word. ``status`` columns are not read as markers: 'closed' in an
    order's status is the order's state, and no status vocabulary tells an account's."""
    return _by_name(name, table) or _by_comment(comment)


def _epoch(number: int) -> dt.date | None:
    seconds = number / 1000 if number >= _EPOCH_MILLIS else number
    try:
        return china_date(dt.datetime.fromtimestamp(seconds, dt.UTC))
    except (OverflowError, OSError, ValueError):
        return None


def _day(value: dt.date) -> dt.date | None:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = china_date(value)
    day = value.date() if isinstance(value, dt.datetime) else value
    return day if day.year >= _FIRST_YEAR else None


def read_mark(value: Any) -> tuple[bool | None, dt.date | None]:
    """What one marker value says: (deleted, the Beijing day it was deleted on when the
    value is a time). ``(False, None)`` for a live row (NULL, 0, false, 'N', a placeholder
    time such as 1970-01-01), ``(None, None)`` for a value no marker holds (free text)."""
    if value is None or value == b"":
        return False, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, dt.date):
        day = _day(value)
        return day is not None, day
    if isinstance(value, bytes | bytearray):  # MySQL BIT(1)
        return (any(value), None) if len(value) <= 8 else (None, None)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, int):
        if value >= _EPOCH_SECONDS:
            day = _epoch(value)
            return day is not None, day
        return value != 0, None
    if not isinstance(value, str):
        return None, None
    text = value.strip().lower()
    if not text or text in _LIVE:
        return False, None
    if text in _DELETED:
        return True, None
    if text.isdigit() and int(text) >= _EPOCH_SECONDS:
        day = _epoch(int(text))
        return day is not None, day
    found = _TIME_TEXT.fullmatch(value.strip())
    if found:
        try:
            day = dt.date(*(int(g) for g in found.groups()))
        except ValueError:  # 0000-00-00: MySQL's zero date, "never"
            return False, None
        return (True, day) if day.year >= _FIRST_YEAR else (False, None)
    return None, None
