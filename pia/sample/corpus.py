"""A labelled corpus of Chinese/English log lines, for F1 measurements and benchmarks.

Each line comes with the true spans of the entities it holds. About a third of the lines
carry only hard negatives (order numbers, trace ids, epoch milliseconds, bad check digits,
Luhn failures, masked values, versions), and values appear in the ways real logs write them:
glued to Chinese characters, in JSON, with +86 prefixes and separators, in full-width or
Tibetan digits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from pia.sample.synth import FULL_WIDTH, TIBETAN, Synth

Span = tuple[int, int, str]
Line = tuple[str, list[Span]]

#: the entity types the detection acceptance measures
MEASURED = ("CN_RESIDENT_ID", "CN_MOBILE", "CN_BANK_CARD", "EMAIL_ADDRESS", "IP_ADDRESS",
            "CN_PASSPORT", "CN_LICENSE_PLATE")


class _Builder:
    def __init__(self) -> None:
        self.text = ""
        self.spans: list[Span] = []

    def add(self, text: str) -> _Builder:
        self.text += text
        return self

    def value(self, text: str, entity: str | None) -> _Builder:
        start = len(self.text)
        self.text += text
        if entity:
            self.spans.append((start, len(self.text), entity))
        return self

    def line(self) -> Line:
        return self.text, self.spans


def _ts(s: Synth) -> str:
    return (f"2026-{s.rng.randint(1, 10):02d}-{s.rng.randint(1, 28):02d} "
            f"{s.rng.randint(0, 23):02d}:{s.rng.randint(0, 59):02d}:{s.rng.randint(0, 59):02d}"
            f".{s.rng.randint(0, 999):03d}")


def _digits_variant(s: Synth, value: str) -> str:
    roll = s.rng.random()
    if roll < 0.06:
        return value.translate(FULL_WIDTH)
    if roll < 0.08:
        return value.translate(TIBETAN)
    return value


def _mobile_variant(s: Synth, mobile: str) -> str:
    roll = s.rng.random()
    if roll < 0.15:
        return "+86 " + mobile
    if roll < 0.25:
        return f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"
    if roll < 0.32:
        return f"(+86){mobile}"
    if roll < 0.38:
        return "0086" + mobile
    return _digits_variant(s, mobile)


def _register(s: Synth) -> Line:
    b = _Builder().add(f"{_ts(s)} INFO [user-service] 用户注册成功 手机号")
    b.value(_mobile_variant(s, s.mobile()), "CN_MOBILE").add(" 身份证号")
    return b.value(_digits_variant(s, s.resident_id()), "CN_RESIDENT_ID").add(
        f" trace={s.trace_id()}").line()


def _payment(s: Synth) -> Line:
    b = _Builder().add(f"{_ts(s)} WARN [pay] order_id={s.order_number()} 支付失败 卡号:")
    card = s.bank_card()
    if s.rng.random() < 0.2:
        card = " ".join(card[i:i + 4] for i in range(0, len(card), 4))
    return b.value(card, "CN_BANK_CARD").add(f" amount={s.rng.randint(1, 99999)}.00 cost="
                                             f"{s.rng.randint(1, 900)}ms").line()


def _login(s: Synth) -> Line:
    b = _Builder().add(f"{_ts(s)} INFO login ok user=")
    b.value(s.email(), "EMAIL_ADDRESS").add(" from ")
    return b.value(s.ipv4(), "IP_ADDRESS").add(f" ua=Mozilla/5.0 req={s.epoch_ms()}").line()


def _json(s: Synth) -> Line:
    mobile, rid, email = s.mobile(), s.resident_id(), s.email()
    head = f'{{"ts": {s.epoch_ms()}, "level": "info", "idCard": "'
    b = _Builder().add(head).value(rid, "CN_RESIDENT_ID").add('", "phone": "')
    b.value(mobile, "CN_MOBILE").add('", "mail": "').value(email, "EMAIL_ADDRESS")
    return b.add(f'", "orderNo": "{s.order_number()}"}}').line()


def _travel(s: Synth) -> Line:
    b = _Builder().add(f"{_ts(s)} 客户{s.name()}办理值机，护照号码")
    b.value(s.passport(), "CN_PASSPORT").add("，车牌")
    return b.value(s.plate(), "CN_LICENSE_PLATE").add("，已核验").line()


def _english(s: Synth) -> Line:
    b = _Builder().add(f"[{_ts(s)}] Customer passport ").value(s.passport(), "CN_PASSPORT")
    b.add(" verified; contact ").value(_mobile_variant(s, s.mobile()), "CN_MOBILE")
    return b.add(f", vehicle {'plate'} ").value(s.plate(), "CN_LICENSE_PLATE").add(".").line()


def _glued(s: Synth) -> Line:
    b = _Builder().add("收件人电话").value(s.mobile(), "CN_MOBILE").add("身份证")
    b.value(s.resident_id(), "CN_RESIDENT_ID").add("邮箱").value(s.email(), "EMAIL_ADDRESS")
    return b.add("。").line()


def _nginx(s: Synth) -> Line:
    b = _Builder().value(s.ipv4(), "IP_ADDRESS")
    b.add(' - - [10/Oct/2026:13:55:36 +0800] "GET /api/v1/users?mobile=')
    b.value(s.mobile(), "CN_MOBILE")
    return b.add(f'&ts={s.epoch_ms()} HTTP/1.1" 200 {s.rng.randint(100, 9999)}').line()


def _negatives(s: Synth) -> Line:
    choices: list[Callable[[], str]] = [
        lambda: f"{_ts(s)} INFO 订单号{s.order_number()} 已发货 trace_id={s.trace_id()}",
        lambda: f"{_ts(s)} DEBUG ledger={s.ledger_number()} batch={s.digits(16)} ok",
        lambda: f"{_ts(s)} INFO request_id={s.epoch_ms()}{s.digits(6)} took {s.digits(4)}ms",
        lambda: f"{_ts(s)} WARN 校验失败 证件号 {s.bad_check_id()} 格式错误",
        lambda: f"{_ts(s)} WARN card check failed {s.bad_luhn_card()}",
        lambda: f"{_ts(s)} INFO 流水号 {s.not_mobile()} 客服工号 {s.digits(6)}",
        lambda: f"{_ts(s)} INFO 已脱敏 手机 {s.masked_mobile()} 身份证 1101**********123X",
        lambda: f"{_ts(s)} INFO agent version {s.version()} build {s.digits(8)}",
        lambda: f"{_ts(s)} INFO span={s.trace_id()[:16]} parent={s.digits(19)} sampled=1",
        lambda: f"{_ts(s)} INFO 商品编码 {s.digits(13)} 库存 {s.rng.randint(0, 999)} 件",
    ]
    return s.rng.choice(choices)(), []


_TEMPLATES = (_register, _payment, _login, _json, _travel, _english, _glued, _nginx)


def labelled_lines(count: int, seed: int = 0) -> list[Line]:
    s = Synth(seed)
    lines = []
    for _ in range(count):
        if s.rng.random() < 0.35:
            lines.append(_negatives(s))
        else:
            lines.append(s.rng.choice(_TEMPLATES)(s))
    return lines


def to_jsonl(lines: list[Line]) -> str:
    return "".join(json.dumps({"text": t, "spans": sp}, ensure_ascii=False) + "\n"
                   for t, sp in lines)


#: the short labels of hand-marked lines (``⟦value|MOB⟧``)
MARKS = {"RID": "CN_RESIDENT_ID", "MOB": "CN_MOBILE", "CARD": "CN_BANK_CARD",
         "EMAIL": "EMAIL_ADDRESS", "IP": "IP_ADDRESS", "PASS": "CN_PASSPORT",
         "PLATE": "CN_LICENSE_PLATE"}
_MARK = re.compile(r"⟦(.+?)\|([A-Z]+)⟧")


def marked_lines(text: str) -> list[Line]:
    """Lines written by hand with their PI marked ``⟦value|TYPE⟧`` (``MARKS``), as labelled
    lines; blank lines and ``#`` comments are skipped."""
    lines = []
    for raw in text.splitlines():
        if not raw or raw.startswith("#"):
            continue
        pieces: list[str] = []
        spans: list[Span] = []
        last = 0
        for mark in _MARK.finditer(raw):
            pieces.append(raw[last:mark.start()])
            start = sum(map(len, pieces))
            pieces.append(mark.group(1))
            spans.append((start, start + len(mark.group(1)), MARKS[mark.group(2)]))
            last = mark.end()
        pieces.append(raw[last:])
        lines.append(("".join(pieces), spans))
    return lines
