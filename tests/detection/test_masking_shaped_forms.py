"""QA r2 D3 and D9: ``mask_text`` masks an ID grouped 6-4-4-4, a mobile with its 86 country
code glued on and digits of another script (Devanagari), and leaves a mobile-shaped number
readable only where a quantity labels it as the mobile recognizer's negative context does."""

from __future__ import annotations

import pytest

from pia.masking import mask, mask_text, shaped_identifiers


@pytest.mark.parametrize(("text", "masked"), [
    ("示例 110101-1990-0307-7777", "示例 1101**********7777"),
    ("示例 110101 1990 03 07 7777", "示例 1101**********7777"),
    ("t_110101-1990-0307-7777", "t_1101**********7777"),
    ("见 8613800138000 与", "见 138****8000 与"),
    ("t_8613800138000", "t_138****8000"),
    ("86-138-0013-8000", "138****8000"),
    ("手机 १३८००१३८०००", "手机 138****8000"),  # Devanagari digits
    ("手机 ١٣٨٠٠١٣٨٠٠٠", "手机 138****8000"),  # Arabic-Indic digits
    ("身份证 ११०१०११९९००३०७७७७७", "身份证 1101**********7777"),
    # a quantity word labels the mobile only, and an ID or a card is masked whatever labels it
    ("size 110101199003077777 bytes", "size 1101**********7777 bytes"),
    ("size 6222021234567890124", "size 6222***********0124"),
    # a quantity word that labels another value, or a unit-like word that is not one
    ("count=5 13800138000", "count=5 138****8000"),
    ("手机 13800138000 次日回访", "手机 138****8000 次日回访"),
    ("size 5，联系 13800138000", "size 5，联系 138****8000"),
])
def test_identifier_shaped_forms_are_masked(text: str, masked: str) -> None:
    assert mask_text(text, []) == masked


@pytest.mark.parametrize("text", [
    "size 13800138000 bytes",
    '"size_13800138000"',
    "MaxHeapSize=13800138000",
    "elapsed 13800138000ms",
    "读取 13800138000 字节",
    "金额：13800138000",
    # what stayed readable before stays readable
    "20250101120000 1733011200123 订单 202401011234567890123",
    "md5 9e107d9d372bb6826bd81d3542a419d6 sha1 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
    "v13.8.0013 1.3800138000 uuid 123e4567-e89b-12d3-a456-426614174000",
])
def test_quantities_timestamps_and_digests_stay_readable(text: str) -> None:
    assert shaped_identifiers(text) == [] and mask_text(text, []) == text


def test_a_value_in_another_script_is_masked_by_its_type() -> None:
    assert mask("CN_MOBILE", "१३८००१३८०००") == "138****8000"
    assert mask("CN_RESIDENT_ID", "110101-1990-0307-7777") == "1101**********7777"
