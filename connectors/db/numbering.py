"""Eleven-digit numbering that only looks like mobiles.

An order, member or ticket number that a database hands out in sequence from 13900000001
has a mobile's shape, and a column of them (``id``, ``code``, ``order_id``, ``ticket``) was
reported as thousands of customers' mobiles. Real mobiles of different people scatter over
the whole numbering plan (130–199, 10^10 numbers): eight different ones within ten million
of each other do not happen by chance, while the numbers of a sequence of up to ten million
rows always do. So a column whose mobile-shaped values are all whole values, at least
``MIN_DISTINCT`` different ones, within ``MAX_SPREAD`` of each other, holds numbering, not
mobiles, when its name says it numbers things (``id``, ``order_no``, ``ticket_seq``, 编号, or
a transaction word: ``labels``). Under any other name the values stay mobiles: a company's
own lines are bought in blocks of consecutive numbers (under ``mobile`` they are mobiles),
and a column called ``m`` or ``contact`` says nothing that outweighs their shape.

Decided per partition (a sample, or a chunk of ``--full``), from the values it read.
"""

from __future__ import annotations

from collections.abc import Sequence

from pia.detection.metadata import MetadataMatch, tokens
from pia.detection.normalize import normalize

#: entity types whose name or comment says the column holds phone numbers
PHONE_NAMED = frozenset({"CN_MOBILE", "CN_LANDLINE", "PHONE_NUMBER"})
#: the last word of a name that numbers things (``order_id``, ``member_no``, ``ticket_seq``)
NUMBERING_WORDS = frozenset({"id", "no", "seq", "code", "sn", "serial", "num", "number", "key"})
#: ... and a Chinese name's ending (订单编号, 序号, 流水号, 单号)
NUMBERING_ENDINGS = ("编号", "序号", "单号", "流水号")
#: different values a partition must hold before it can call them a sequence
MIN_DISTINCT = 8
#: how close together a sequence's numbers lie (a table of up to ten million rows)
MAX_SPREAD = 10_000_000


class NumberingCheck:
    """Per column, the range and the different mobile-shaped values a partition read."""

    def __init__(self, columns: Sequence[str], meta: Sequence[list[MetadataMatch]],
                 transaction_named: Sequence[bool]) -> None:
        self.watched = [not any(m.entity_type in PHONE_NAMED for m in ms)
                        and (named or numbering_name(column))
                        for column, ms, named in zip(columns, meta, transaction_named,
                                                     strict=True)]
        n = len(meta)
        self._low: list[int | None] = [None] * n
        self._high: list[int | None] = [None] * n
        self._distinct: list[set[int]] = [set() for _ in range(n)]
        self._in_text = [False] * n

    def add(self, column: int, text: str, whole: bool) -> None:
        """Note a mobile found in ``column``: ``text`` the matched value, ``whole`` whether
        it is the whole of the column's value (a mobile inside free text is no number the
        database handed out)."""
        if not self.watched[column]:
            return
        if not whole:
            self._in_text[column] = True
            return
        digits = "".join(ch for ch in normalize(text) if ch.isdigit())[-11:]
        if len(digits) != 11:
            self._in_text[column] = True
            return
        number = int(digits)
        low, high = self._low[column], self._high[column]
        self._low[column] = number if low is None else min(low, number)
        self._high[column] = number if high is None else max(high, number)
        if len(self._distinct[column]) < MIN_DISTINCT:
            self._distinct[column].add(number)

    def is_numbering(self, column: int) -> bool:
        """Whether the column's mobile-shaped values are a sequence's numbers."""
        low, high = self._low[column], self._high[column]
        return (self.watched[column] and not self._in_text[column] and low is not None
                and high is not None and len(self._distinct[column]) >= MIN_DISTINCT
                and high - low <= MAX_SPREAD)


def numbering_name(column: str) -> bool:
    """Whether a column's name says it numbers things: its last word (``order_id``,
    ``memberNo``) or its Chinese ending (订单编号)."""
    words = tokens(column)
    return (bool(words) and words[-1] in NUMBERING_WORDS) or column.endswith(NUMBERING_ENDINGS)
