"""Boundaries and context words shared by the Chinese recognizers.

``\\b`` is useless next to Chinese characters (they are ``\\w`` in Python), so identifiers are
bounded explicitly: no ASCII letter or digit may touch them. That is also what keeps a long
order number or trace id from yielding a partial match.
"""

from __future__ import annotations

import re

from pia.detection.checksums import ascii_digits

NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
#: nor the fraction of a decimal number: the digits of 0.3544879577304417 are no card
NOT_DECIMALS = r"(?<![0-9]\.)"
NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"

#: Words that say a number is a transaction, not a person: such candidates are dropped.
TRANSACTION_WORDS = [
    "订单", "单号", "流水", "交易号", "运单", "快递单", "工单", "批次", "序列号", "编号",
    "order", "order_id", "orderid", "order_no", "trace", "traceid", "trace_id", "span",
    "request_id", "requestid", "txn", "tx_id", "serial", "sn", "invoice", "ledger", "voucher",
    "凭证", "账簿", "台账", "版本", "version", "build", "sku", "商品", "batch", "parent", "span_id",
    "seq", "uuid", "nonce", "msgid", "msg_id", "message_id", "session", "库存", "编码", "条码",
    "barcode", "工号",
    # a transaction's serial number in pinyin and its initials (流水号, 交易流水号: 流水 above)
    "liushui", "liushuihao", "lsh", "jyls", "jylsh",
]

#: Words that say a number is a quantity: a byte count, an offset or an amount of money
#: can have a mobile's eleven digits (MaxHeapSize=17179869184, offset=15234567890).
QUANTITY_WORDS = ["offset", "size", "bytes", "length", "len", "count", "total", "amount",
                  "balance", "price", "elapsed", "duration", "latency", "金额", "余额", "价格",
                  "总额", "字节", "偏移", "收入", "营收", "利润", "股本", "市值",
                  # business metrics (营业额 13812345678 is fen, not a phone)
                  "营业额", "销售额", "交易额", "成交额", "流水额", "gmv", "revenue", "turnover",
                  "pv", "uv", "销量",
                  # charges (cost=16645290415 fee=13872498494 are fen, not phones)
                  "cost", "costs", "fee", "fees", "手续费", "费用", "运费", "成本"]

#: Words that say a number is an identity document.
ID_DOCUMENT_WORDS = ["身份证", "证件号", "证件号码", "公民身份号码", "id card", "id_card", "idcard"]

#: Labels of numbers that identify something other than a card: a device, a business or
#: bank reference, an internal account. Such ids are 16–19 digits too, and one in ten passes
#: Luhn, so a ``deviceId=6252…`` or ``refNo=3701…`` would otherwise be a card. Stems take the
#: label tail (``device`` covers deviceId, device_no, device id); user and account ids are
#: spelt out, since ``accountNo``/``user card no`` do label cards. Not for mobiles: a user id
#: that is the login phone number is common.
OTHER_ID_WORDS = [
    "device", "deviceid", "imei", "imeis", "meid", "imsi", "iccid", "idfa", "idfv", "oaid",
    "biz", "bizid", "bizno", "ref", "refid", "refno", "reference", "rrn",
    "userid", "user_id", "user id", "uid", "memberid", "member_id", "member id",
    "accountid", "account_id", "account id",
    "设备", "用户id", "用户号", "会员id", "会员号", "参考号",
]

#: Words that say a number identifies a document or a thing, not a card: the card
#: recognizers drop such candidates.
IDENTITY_WORDS = ID_DOCUMENT_WORDS + OTHER_ID_WORDS


_NON_DIGIT = re.compile(r"\D")


def digits_of(value: str) -> str:
    """``value`` without its separators (``138 1234-5678`` → ``13812345678``).

    Most candidates have none, and ``re.sub`` costs a microsecond even then.
    """
    if value.isascii() and value.isdigit():
        return value
    return _NON_DIGIT.sub("", value)


def digits_of_each(values: list[str]) -> list[str]:
    """``digits_of`` of each value, in one pass over them all when only spaces and hyphens
    stand between their ASCII digits: card numbers are as often written in groups (6222 0212
    3456 7890 128) as not."""
    joined = "\n".join(values)
    digits = joined.replace(" ", "").replace("-", "")
    if ascii_digits(digits.replace("\n", "")):
        split = digits.split("\n")
        if len(split) == len(values):  # no value held a newline itself
            return split
    return [digits_of(value) for value in values]
