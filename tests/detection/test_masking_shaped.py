"""``mask_text`` masks what has an identifier's shape whatever its check digit (QA D1: a
legacy ID in a comment went raw into the report), and leaves timestamps, order numbers and
digests readable: the line ``shaped_identifiers`` draws."""

from __future__ import annotations

import pytest

from pia.masking import mask_text, shaped_identifiers


@pytest.mark.parametrize(("text", "masked"), [
    ("姓名, e.g. 王** 440301198801011235", "姓名, e.g. 王** 4403**********1235"),
    ("编号 110105199003071239", "编号 1101**********1239"),  # valid, but 编号 hides it
    ("身份证 110105 19900307 123X", "身份证 1101**********123X"),
    ("kyc_440301198801011235_v2", "kyc_4403**********1235_v2"),
    ("sfzh440301198801011235", "sfzh4403**********1235"),
    ("４４０３０１１９８８０１０１１２３５", "4403**********1235"),
    ("旧证 110105900307123", "旧证 1101*******7123"),
    ("卡号 6222021234567890124", "卡号 6222***********0124"),  # fails Luhn
    ("卡 6222 0212 3456 7890", "卡 6222********7890"),
    ("订单联系人 +86 138 1234 5678", "订单联系人 138****5678"),
])
def test_identifier_shaped_values_are_masked_whatever_their_check_digit(text, masked):
    assert mask_text(text, []) == masked


@pytest.mark.parametrize("text", [
    "订单 202401011234567890",  # starts with a date, not a province
    "ts 1733011200123 ns 1733011200123456789",
    "440301209901011235 440301189901011235",  # born in the future, before 1900
    "1101051990030712345",  # 19 digits: part of a longer run
    "6666666666666666",  # test data
    "sha256 ab440301198801011235ef deadbeef13812345678",  # within a hex word
    "流水 123456789012345",
])
def test_numbers_of_no_identifier_shape_stay_readable(text):
    assert shaped_identifiers(text) == [] and mask_text(text, []) == text


def test_a_find_overlapping_a_masked_one_leaves_no_tail_raw():
    text = "地址 北京市朝阳区 440301198801011235"
    masked = mask_text(text, [("CN_ADDRESS", 3, 13)])
    assert "1235" not in masked and "440301" not in masked
