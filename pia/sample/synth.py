"""Generators of valid-looking Chinese identifiers and of look-alikes that are not.

The look-alikes (order numbers, trace ids, epoch milliseconds, bad check digits, Luhn
failures, 11-digit runs starting 10/11/12, masked values) are the hard negatives that a
detector must leave alone.
"""

from __future__ import annotations

import datetime as dt
import random
import string

from stdnum import luhn
from stdnum.iso7064 import mod_11_2

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文博宇轩浩然子涵梓萱欣怡晨"
REGIONS = ["110101", "110105", "310104", "440106", "440305", "330106", "510107", "420102",
           "320102", "610113", "500103", "210102", "370102", "430104", "350102", "540102"]
PROVINCE_CITIES = [("北京市", "朝阳区"), ("上海市", "浦东新区"), ("广东省广州市", "天河区"),
                   ("广东省深圳市", "南山区"), ("浙江省杭州市", "西湖区"), ("四川省成都市", "武侯区"),
                   ("湖北省武汉市", "洪山区"), ("江苏省南京市", "鼓楼区"), ("西藏自治区拉萨市", "城关区")]
ROADS = ["建国路", "中山路", "人民大道", "解放街", "文三路", "科技园南路", "天府大道", "北京西路"]
PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
MOBILE_PREFIXES = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152",
                   "155", "156", "157", "158", "159", "166", "176", "177", "180", "181", "186",
                   "187", "188", "189", "191", "198", "199"]
DOMAINS = ["example.com", "example.cn", "qq.com", "163.com", "126.com", "sina.com", "corp.cn"]
BANK_BINS = ["622202", "622848", "621700", "622588", "623058", "621226", "622609", "625965",
             "436742", "456351", "622700"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
TIBETAN = str.maketrans("0123456789", "༠༡༢༣༤༥༦༧༨༩")


class Synth:
    """One seeded source of synthetic values."""

    def __init__(self, seed: int = 0, today: dt.date | None = None) -> None:
        self.rng = random.Random(seed)
        self.today = today or dt.date(2026, 11, 1)

    def digits(self, n: int, first: str = "123456789") -> str:
        return self.rng.choice(first) + "".join(self.rng.choice(string.digits) for _ in range(n - 1))

    # --- positives -----------------------------------------------------------------------

    def birth_date(self, min_age: int = 18, max_age: int = 80) -> dt.date:
        days = self.rng.randint(min_age * 365 + 5, max_age * 365)
        return self.today - dt.timedelta(days=days)

    def resident_id(self, born: dt.date | None = None) -> str:
        born = born or self.birth_date()
        body = self.rng.choice(REGIONS) + born.strftime("%Y%m%d") + self.digits(3, string.digits)
        return body + mod_11_2.calc_check_digit(body)

    def minor_resident_id(self) -> str:
        return self.resident_id(self.birth_date(2, 13))

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + self.digits(8, string.digits)

    def bank_card(self) -> str:
        body = self.rng.choice(BANK_BINS) + self.digits(self.rng.choice([9, 12]), string.digits)
        return body + luhn.calc_check_digit(body)

    def passport(self) -> str:
        return "E" + self.digits(8, string.digits)

    def plate(self) -> str:
        head = self.rng.choice(PLATE_PROVINCES) + self.rng.choice(PLATE_LETTERS)
        if self.rng.random() < 0.3:  # new-energy
            return head + self.rng.choice("DF") + self.rng.choice(PLATE_LETTERS + string.digits) \
                + self.digits(4, string.digits)
        tail = "".join(self.rng.choice(PLATE_LETTERS[:10] + string.digits) for _ in range(4))
        return head + self.digits(1, string.digits) + tail

    def email(self) -> str:
        user = "".join(self.rng.choice(string.ascii_lowercase) for _ in range(self.rng.randint(3, 9)))
        if self.rng.random() < 0.3:
            user += "." + "".join(self.rng.choice(string.ascii_lowercase) for _ in range(3))
        if self.rng.random() < 0.3:
            user += str(self.rng.randint(1, 999))
        return f"{user}@{self.rng.choice(DOMAINS)}"

    def ipv4(self) -> str:
        """A host's address: no loopback (127), multicast or reserved (224 and up) first
        octet, which name no machine."""
        first = self.rng.choice([n for n in range(1, 224) if n != 127])
        return ".".join([str(first), *(str(self.rng.randint(1, 254)) for _ in range(3))])

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(
            self.rng.choice(GIVEN) for _ in range(self.rng.choice([1, 2])))

    def address(self) -> str:
        province, district = self.rng.choice(PROVINCE_CITIES)
        return f"{province}{district}{self.rng.choice(ROADS)}{self.rng.randint(1, 999)}号"

    def landline(self) -> str:
        area = self.rng.choice(["010", "021", "020", "0755", "0571", "028"])
        return f"{area}-{self.digits(8 if len(area) == 3 else 7, '2345678')}"

    # --- hard negatives ------------------------------------------------------------------

    def order_number(self) -> str:
        return self.rng.choice(["2024", "2025", "2026"]) + self.digits(self.rng.randint(12, 16),
                                                                       string.digits)

    def ledger_number(self) -> str:
        return self.digits(18)

    def trace_id(self) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(32))

    def epoch_ms(self) -> str:
        return str(self.rng.randint(1_600_000_000_000, 1_800_000_000_000))

    def bad_check_id(self) -> str:
        good = self.resident_id()
        wrong = self.rng.choice([c for c in "0123456789X" if c != good[-1]])
        return good[:-1] + wrong

    def bad_luhn_card(self) -> str:
        good = self.bank_card()
        return good[:-1] + str((int(good[-1]) + self.rng.randint(1, 9)) % 10)

    def not_mobile(self) -> str:
        return self.rng.choice(["10", "11", "12"]) + self.digits(9, string.digits)

    def masked_mobile(self) -> str:
        m = self.mobile()
        return m[:3] + "****" + m[-4:]

    def version(self) -> str:
        return ".".join(str(self.rng.randint(0, 20)) for _ in range(4))
