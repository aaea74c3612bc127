"""A column named like a bank card whose comment says what card it is (QA B): 会员卡号 on
``card_no`` is a membership card's number, in ``pia scan`` and ``check-migrations`` alike,
as the name ``member_card_no`` already was; a comment that says 银行卡号 keeps it a card's."""

from __future__ import annotations

import pytest

from connectors.db.classify import decide_column, empty_column
from pia.detection.metadata import classify_column, classify_comment

BANK = "CN_BANK_CARD"

CASES = [
    # the comment names another's card: by the qualifiers the name reading uses
    ("card_no", "会员卡号", []),
    ("card_no", "会员卡", []),
    ("card_no", "礼品卡号", []),
    ("card_no", "员工卡号", []),
    ("card_no", "gift card number", []),
    ("card_no", "Loyalty card no", []),
    ("card_no", "membership card", []),
    # or says it is none
    ("card_no2", "礼品卡号，非银行卡", []),
    ("card_no", "不是银行卡", []),
    ("card_no", "not a bank card", []),
    ("card_no", "non-bank card", []),
    # a bank card it stays: the comment says so, or names the bank card plainly too, or the
    # name names the bank, which no qualifier of the comment makes another's
    ("card_no", "银行卡号", [BANK]),
    ("card_no", None, [BANK]),
    ("card_no", "卡号", [BANK]),
    ("card_no", "会员卡号，绑定的银行卡号另存", [BANK]),
    ("card_no", "除非银行卡号为空", [BANK]),
    ("bank_card_no", "会员卡号", [BANK]),
    # a qualifier makes a card's number another's, never a term naming the bank
    ("member_card_no", None, []),
    ("member_bank_card_no", None, [BANK]),
    ("会员银行卡号", None, [BANK]),
    ("card_no", "会员银行卡号", [BANK]),
    ("card_no", "member bank card", [BANK]),
    # the same reading for the other qualified types: a server's address, a device's print
    ("address", "服务器地址", []),
    ("fingerprint", "设备指纹", []),
]


@pytest.mark.parametrize(("name", "comment", "expected"), CASES)
def test_a_comment_names_the_card(name: str, comment: str | None, expected: list[str]) -> None:
    assert [m.entity_type for m in classify_column(name, comment)] == expected


@pytest.mark.parametrize(("name", "comment", "expected"), CASES)
def test_the_scan_reads_the_column_so(name: str, comment: str | None,
                                      expected: list[str]) -> None:
    """``pia scan`` decides a database column by the same reading (``decide_column``)."""
    decision = decide_column(name, comment, empty_column(), None)
    assert sorted(decision.items) == expected


@pytest.mark.parametrize("comment", ["礼品卡号，非银行卡", "不是银行卡", "not a bank card"])
def test_a_denied_bank_card_is_no_comment_match(comment: str) -> None:
    """The comment itself named a bank card: 非银行卡 holds 银行卡."""
    assert classify_comment(comment) == []
