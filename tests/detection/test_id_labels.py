"""Ids of other things are not cards; cards and phones under their own labels still count.

A 16–19 digit device id, IMEI, business or bank reference, or internal user/member/account id
passes Luhn one time in ten, and with a 60/62 prefix it looked like a UnionPay card (a 3/4/5
prefix, a credit card): QA found ``deviceId=6252…`` raising a HIGH finding. Their labels are
negative context for the card recognizers. Eleven-digit charges (``cost=``, ``fee=``) are
quantities, not mobiles. A user id may be the login phone number, so ``userId=138…`` stays a
mobile, and a card under ``card=``, ``cardNo=``, ``bankCard=`` or ``卡号`` stays a card.
"""

from __future__ import annotations

import pytest
from stdnum import luhn

from pia.detection.engine import DetectionEngine, default_engine
from pia.detection.presidio import build_analyzer

ENGINE = default_engine()
PURE = DetectionEngine(prefilter=False)
ANALYZER = build_analyzer()

#: Luhn-valid numbers with a Chinese BIN (60/62) or a card brand prefix (Amex 37, Visa 4)
UNIONPAY = "625243007246469" + luhn.calc_check_digit("625243007246469")
LONG_60 = "6029860580424442" + luhn.calc_check_digit("6029860580424442")
LONG_60_18 = "60961828678982113" + luhn.calc_check_digit("60961828678982113")
AMEX = "37013810671396" + luhn.calc_check_digit("37013810671396")
VISA = "401288888888188" + luhn.calc_check_digit("401288888888188")
CARDS = ("CN_BANK_CARD", "CREDIT_CARD")
PREFIX = "2024-11-29 10:00:00.000 INFO [main] c.e.Svc - "


def entities(line: str) -> set[tuple[str, str]]:
    """(entity, value) found by the batch engine, which must agree with the pure-Python path
    and with Presidio's analyzer running pia's recognizers."""
    batch = {(m.entity_type, line[m.start:m.end]) for m in ENGINE.analyze(line)}
    assert batch == {(m.entity_type, line[m.start:m.end]) for m in PURE.analyze(line)}
    presidio = {(r.entity_type, line[r.start:r.end])
                for r in ANALYZER.analyze(line, language="zh") if r.score >= 0.5}
    assert {hit for hit in batch if hit[0] in CARDS + ("CN_MOBILE",)} == {
        hit for hit in presidio if hit[0] in CARDS + ("CN_MOBILE",)}
    return batch


def kinds(line: str, value: str) -> set[str]:
    return {entity for entity, found in entities(line) if found == value}


@pytest.mark.parametrize("label", [
    "deviceId", "device_id", "device id", "deviceNo", "DEVICE_ID", "imei", "IMEI", "meid",
    "bizId", "biz_no", "refNo", "ref_no", "ref", "reference", "rrn", "RRN",
    "userId", "user_id", "userid", "uid", "memberId", "member_id", "accountId", "account_id",
    "设备号", "设备ID", "用户ID", "会员号", "检索参考号",
])
@pytest.mark.parametrize("value", [UNIONPAY, LONG_60, LONG_60_18, AMEX, VISA])
def test_an_id_of_something_else_is_no_card(label: str, value: str) -> None:
    for line in (f"{PREFIX}{label}={value} status=OK", f'{{"{label}": "{value}"}}',
                 f"{label}：{value}"):
        assert not kinds(line, value) & set(CARDS), line


@pytest.mark.parametrize(("line", "value", "entity"), [
    # the same numbers under a card's own label are cards
    (f"{PREFIX}card={UNIONPAY} status=OK", UNIONPAY, "CN_BANK_CARD"),
    (f"{PREFIX}cardNo={LONG_60} status=OK", LONG_60, "CN_BANK_CARD"),
    (f"{PREFIX}bankCard={LONG_60_18} status=OK", LONG_60_18, "CN_BANK_CARD"),
    (f"用户卡号：{UNIONPAY}", UNIONPAY, "CN_BANK_CARD"),
    (f"{PREFIX}accountNo={UNIONPAY}", UNIONPAY, "CN_BANK_CARD"),
    (f"{PREFIX}userCardNo={UNIONPAY}", UNIONPAY, "CN_BANK_CARD"),
    (f"{PREFIX}memberCardNo={UNIONPAY}", UNIONPAY, "CN_BANK_CARD"),
    (f"{PREFIX}cardNo={AMEX}", AMEX, "CREDIT_CARD"),
    # an id label elsewhere on the line names its own value only
    (f"{PREFIX}deviceId=a81f userId=42 cardNo={UNIONPAY}", UNIONPAY, "CN_BANK_CARD"),
    (f"{PREFIX}imei=867530012345678 card={UNIONPAY}", UNIONPAY, "CN_BANK_CARD"),
    # and a word that merely starts like one is no id label
    (f"{PREFIX}prefix={UNIONPAY}", UNIONPAY, "CN_BANK_CARD"),
    (f"{PREFIX}refund card {UNIONPAY}", UNIONPAY, "CN_BANK_CARD"),
])
def test_a_card_under_its_own_label_is_still_found(line: str, value: str, entity: str) -> None:
    """Found as a card; which card type a Visa number under a Chinese-style label resolves
    to (CN_BANK_CARD or CREDIT_CARD) is the resolver's business, not this label's."""
    found = kinds(line, value)
    assert found & set(CARDS), line
    assert entity in found or found <= set(CARDS), line


@pytest.mark.parametrize("label", ["cost", "fee", "fees", "totalFee", "handling_fee",
                                   "shipping_cost", "手续费", "运费"])
def test_an_eleven_digit_charge_is_no_mobile(label: str) -> None:
    for line in (f"{PREFIX}settle {label}=16645290415 other=1", f'{{"{label}": 13872498494}}'):
        assert all(entity != "CN_MOBILE" for entity, _ in entities(line)), line


@pytest.mark.parametrize("line", [
    # login by phone: a user id that is a mobile is a mobile
    f"{PREFIX}userId=13812345678 status=OK",
    f"{PREFIX}uid=13812345678 status=OK",
    f"{PREFIX}user_id=13812345678 status=OK",
    f"{PREFIX}memberId=13812345678 status=OK",
    # a charge elsewhere on the line does not hide the phone after it
    f"{PREFIX}fee=12 phone=13812345678",
    f"{PREFIX}cost=3 13812345678",
    "话费充值 13812345678",
    "coffee 13812345678",
])
def test_a_mobile_under_a_user_id_or_beside_a_charge_is_still_found(line: str) -> None:
    assert ("CN_MOBILE", "13812345678") in entities(line), line
