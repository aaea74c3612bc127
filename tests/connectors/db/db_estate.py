"""A small held-out-style estate built identically on SQLite, PostgreSQL and MariaDB.

English, Chinese, pinyin-initial and opaque column names; free-text remarks; ciphertext,
digest and masked columns; look-alike order, ledger and trade numbers. ``truth`` says which
(table, column, entity_type) an auditor expects in the inventory, so tests can measure
column-level precision and recall on each engine.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stdnum import luhn
from stdnum.iso7064 import mod_11_2

ROWS = 400
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
REGIONS = ("110101", "310104", "440305", "330106", "510104", "420102")
STREETS = ("北京市朝阳区建国路", "上海市浦东新区世纪大道", "广东省深圳市南山区科技园路",
           "浙江省杭州市西湖区文三路", "四川省成都市武侯区人民南路")
MOBILE_PREFIX = ("138", "139", "150", "186", "177", "199", "135")
CITIES = ("成都", "武汉", "南京", "杭州", "广州", "深圳", "西安", "长沙", "郑州", "高邮", "石家庄")
DOMAINS = ("qq.com", "163.com", "example.cn", "corp.com.cn")


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def birth(rng: random.Random) -> dt.date:
    return dt.date(rng.randint(1950, 2020), rng.randint(1, 12), rng.randint(1, 28))


def resident_id(rng: random.Random, born: dt.date | None = None) -> str:
    born = born or birth(rng)
    body = rng.choice(REGIONS) + born.strftime("%Y%m%d") + digits(rng, 3)
    return body + mod_11_2.calc_check_digit(body)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIX) + digits(rng, 8)


def bank_card(rng: random.Random) -> str:
    body = "622202" + digits(rng, 12)
    return body + luhn.calc_check_digit(body)


def email(rng: random.Random) -> str:
    return f"user{rng.randint(1, 10**6)}@{rng.choice(DOMAINS)}"


def address(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)}{rng.randint(1, 300)}号{rng.randint(1, 30)}栋"


def order_no(rng: random.Random) -> str:
    return f"2024{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" + digits(rng, 10)


def ledger_no(rng: random.Random) -> str:
    return "62" + digits(rng, 17)


def ciphertext(rng: random.Random) -> str:
    return base64.b64encode(rng.randbytes(rng.choice((32, 48)))).decode()


@dataclass
class Col:
    name: str
    kind: str  # int, text, date, ts, real, dec
    make: Callable[[random.Random, dict[str, Any]], Any]
    truth: tuple[str, ...] = ()
    comment: str | None = None
    #: engines where the truth holds (a comment-only column is invisible to SQLite)
    engines: tuple[str, ...] = ("sqlite", "postgresql", "mysql")


@dataclass
class Tab:
    name: str
    cols: list[Col]
    key: str | None = "id"  # integer primary key column, or None
    extra_key: str | None = None  # text primary key (WITHOUT ROWID on SQLite)
    rows: int = ROWS
    protection: dict[str, str] = field(default_factory=dict)


def _id(_rng: random.Random, row: dict[str, Any]) -> int:
    return row["_n"]


def _ts(rng: random.Random, _row: dict[str, Any]) -> dt.datetime:
    return dt.datetime(2023, 1, 1) + dt.timedelta(minutes=rng.randint(0, 800_000))


def _remark(rng: random.Random, row: dict[str, Any]) -> str:
    if rng.random() < 0.3:
        return f"客户来电 {mobile(rng)} 咨询退货事宜"
    return rng.choice(("已处理", "待回访", "VIP客户，优先配送", "无"))


def _remark_zh(rng: random.Random, row: dict[str, Any]) -> str:
    if rng.random() < 0.4:
        return f"联系人：{name(rng)}，电话 {mobile(rng)}，请上午送达"
    return rng.choice(("正常", "地址已核实", "需开发票"))


def _note(rng: random.Random, row: dict[str, Any]) -> str:
    return rng.choice(("加急配送", "订单号 ", "流水号 ")) + order_no(rng)


def _face(rng: random.Random, _row: dict[str, Any]) -> str:
    return "[" + ", ".join(f"{rng.uniform(-1, 1):.4f}" for _ in range(8)) + "]"


def _c(f: Callable[[random.Random], Any]) -> Callable[[random.Random, dict[str, Any]], Any]:
    return lambda rng, _row: f(rng)


def tables() -> list[Tab]:
    return [
        Tab("customers", [
            Col("id", "int", _id),
            Col("full_name", "text", _c(name), ("CN_NAME",)),
            Col("id_card", "text", _c(resident_id), ("CN_RESIDENT_ID",),
                comment="身份证号 [class:L3]"),
            Col("mobile", "text", _c(mobile), ("CN_MOBILE",)),
            Col("email", "text", _c(email), ("EMAIL_ADDRESS",)),
            Col("home_address", "text", _c(address), ("CN_ADDRESS",)),
            Col("birthday", "date", _c(birth), ("DATE_OF_BIRTH",)),
            Col("remark", "text", _remark, ("CN_MOBILE",)),
            Col("card_no_enc", "text", _c(ciphertext), ("CN_BANK_CARD",)),
            Col("phone_md5", "text",
                lambda rng, row: hashlib.md5(row["mobile"].encode()).hexdigest(),
                ("CN_MOBILE",)),
            Col("vip_level", "int", lambda rng, _r: rng.randint(0, 5)),
            Col("created_at", "ts", _ts),
        ], protection={"card_no_enc": "encrypted", "phone_md5": "hashed_unsalted",
                       "mobile": "plaintext"}),
        Tab("客户信息", [
            Col("编号", "int", _id),
            Col("姓名", "text", _c(name), ("CN_NAME",)),
            Col("身份证号码", "text", _c(resident_id), ("CN_RESIDENT_ID",)),
            Col("手机号", "text", _c(mobile), ("CN_MOBILE",)),
            Col("联系地址", "text", _c(address), ("CN_ADDRESS",)),
            Col("银行卡号", "text", _c(bank_card), ("CN_BANK_CARD",)),
            Col("备注", "text", _remark_zh, ("CN_MOBILE", "CN_NAME")),
            Col("联系人电话", "text", _c(mobile), ("CN_MOBILE",)),  # not a name column
            Col("状态", "int", lambda rng, _r: rng.randint(0, 3)),
            # 32-byte ciphertext looks like a SHA-256 digest; 密文 in the name settles it
            Col("身份证密文", "text",
                lambda rng, _r: base64.b64encode(rng.randbytes(32)).decode(),
                ("CN_RESIDENT_ID",), comment="SM4 加密"),
        ], key="编号", protection={"身份证密文": "encrypted"}),
        Tab("yh_xx", [
            Col("id", "int", _id),
            Col("xm", "text", _c(name), ("CN_NAME",)),
            Col("sfzh", "text", _c(resident_id), ("CN_RESIDENT_ID",)),
            Col("lxdh", "text", _c(mobile), ("CN_MOBILE",)),
            Col("jtzz", "text", _c(address), ("CN_ADDRESS",)),
            Col("yhkh", "text", _c(bank_card), ("CN_BANK_CARD",)),
            Col("dzyx", "text", _c(email), ("EMAIL_ADDRESS",)),
            Col("cjsj", "ts", _ts),
        ]),
        Tab("t_data", [
            Col("id", "int", _id),
            Col("c1", "text", _c(mobile), ("CN_MOBILE",)),
            Col("c2", "text", _c(resident_id), ("CN_RESIDENT_ID",)),
            Col("c3", "text", _c(email), ("EMAIL_ADDRESS",)),
            Col("c4", "text", _c(order_no)),
            Col("c5", "dec", lambda rng, _r: f"{rng.uniform(1, 9999):.2f}"),
            Col("c6", "text", lambda rng, row: hashlib.sha256(row["c2"].encode()).hexdigest(),
                ("CN_RESIDENT_ID",)),
            Col("c7", "text", lambda rng, _r: str(uuid.UUID(int=rng.getrandbits(128)))),
            Col("c8", "text", _c(ledger_no)),
            Col("c9", "text", lambda rng, _r: f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}."
                f"{rng.randint(1, 254)}", ("IP_ADDRESS",)),
            Col("col_x", "text", _c(name), ("CN_NAME",), comment="联系人姓名"),
            Col("c10", "text", lambda rng, _r: rng.choice(CITIES)),
            Col("c11", "text", lambda rng, _r: rng.choice(("E", "G")) + digits(rng, 8)),
        ], protection={"c6": "hashed_unsalted"}),
        Tab("orders", [
            Col("id", "int", _id),
            Col("order_no", "text", _c(order_no)),
            Col("ledger_no", "text", _c(ledger_no)),
            Col("trade_no", "text", lambda rng, _r: "TX" + digits(rng, 16)),
            Col("amount", "dec", lambda rng, _r: f"{rng.uniform(1, 9999):.2f}"),
            Col("customer_id", "int", lambda rng, _r: rng.randint(1, 10**6)),
            Col("phone_masked", "text",
                lambda rng, _r: rng.choice(MOBILE_PREFIX) + "****" + digits(rng, 4),
                ("CN_MOBILE",)),
            Col("note", "text", _note),
            Col("created_at", "ts", _ts),
            # about PI without holding it: vetoed by name suffix or by numeric values
            Col("address_id", "int", lambda rng, _r: rng.randint(1, 99_999)),
            Col("gps_status", "int", lambda rng, _r: rng.randint(0, 1)),
            Col("lianxiren", "text", lambda rng, _r: str(rng.randint(1, 5000))),
            # a card_no of membership numbers: one in ten passes Luhn by chance, not a card
            Col("member_card_no", "text", _c(ledger_no)),
        ], protection={"phone_masked": "masked"}),
        Tab("patients", [
            Col("id", "int", _id),
            Col("patient_name", "text", _c(name), ("CN_NAME",)),
            Col("diagnosis", "text", lambda rng, _r: rng.choice(("高血压", "2型糖尿病", "哮喘")),
                ("HEALTH",)),
            Col("allergy", "text", lambda rng, _r: rng.choice(("青霉素", "无", "花粉")),
                ("HEALTH",)),
            Col("latitude", "real", lambda rng, _r: rng.uniform(20, 45), ("PRECISE_LOCATION",)),
            Col("longitude", "real", lambda rng, _r: rng.uniform(100, 125),
                ("PRECISE_LOCATION",)),
            Col("face_feature", "text", _face, ("BIOMETRIC",)),
            Col("id_card_hash", "text",
                lambda rng, _r: hashlib.sha256(resident_id(rng).encode()).hexdigest(),
                ("CN_RESIDENT_ID",)),
            Col("ward", "text", lambda rng, _r: rng.choice("ABC") + str(rng.randint(1, 9))),
        ], protection={"id_card_hash": "hashed_unsalted"}),
        Tab('odd "tab` le', [
            Col("id", "int", _id),
            Col("Mobile Phone", "text", _c(mobile), ("CN_MOBILE",)),
            Col("e-mail", "text", _c(email), ("EMAIL_ADDRESS",)),
            Col("email_addr", "text", _c(email), ("EMAIL_ADDRESS",)),  # not an address
            Col("cust_nm", "text", _c(name), ("CN_NAME",)),  # "nm": names by their shape
            Col("note", "text", lambda rng, _r: rng.choice(("ok", "pending"))),
        ]),
        Tab("products", [
            Col("sku", "text", lambda rng, row: f"SKU-{row['_n']:06d}"),
            Col("product_name", "text",
                lambda rng, _r: rng.choice(("白菜", "成都火锅底料", "武夷岩茶"))),
            Col("price", "dec", lambda rng, _r: f"{rng.uniform(1, 999):.2f}"),
            Col("barcode", "text", lambda rng, _r: "69" + digits(rng, 11)),
            Col("description", "text", lambda rng, _r: "产地直发，" + rng.choice(("新鲜", "包邮"))),
        ], key=None, extra_key="sku"),
        Tab("archive", [  # empty: names alone speak
            Col("id", "int", _id),
            Col("mobile", "text", _c(mobile), ("CN_MOBILE",)),
            Col("id_card_enc", "text", _c(ciphertext), ("CN_RESIDENT_ID",)),
            Col("updated_at", "ts", _ts),
        ], rows=0, protection={"id_card_enc": "encrypted", "mobile": "plaintext"}),
        Tab("audit_log", [
            Col("id", "int", _id),
            Col("login_ip", "text", lambda rng, _r: f"192.168.{rng.randint(0, 255)}."
                f"{rng.randint(1, 254)}", ("IP_ADDRESS",)),
            Col("user_agent", "text", lambda rng, _r: "Mozilla/5.0 (X11; Linux x86_64)"),
            Col("action", "text", lambda rng, _r: rng.choice(("login", "logout", "export"))),
            Col("trace_id", "text", lambda rng, _r: rng.randbytes(16).hex()),
            Col("created_at", "ts", _ts),
        ]),
    ]


def truth(engine: str) -> set[tuple[str, str, str]]:
    return {(t.name, c.name, e) for t in tables() for c in t.cols if engine in c.engines
            for e in c.truth}


def rows(tab: Tab, seed: int = 7) -> list[tuple[Any, ...]]:
    rng = random.Random(f"{seed}:{tab.name}")
    out = []
    for n in range(1, tab.rows + 1):
        row: dict[str, Any] = {"_n": n}
        for col in tab.cols:
            row[col.name] = col.make(rng, row)
        out.append(tuple(row[c.name] for c in tab.cols))
    return out


_TYPES = {
    "sqlite": {"int": "INTEGER", "text": "TEXT", "date": "DATE", "ts": "TIMESTAMP",
               "real": "REAL", "dec": "NUMERIC"},
    "postgresql": {"int": "BIGINT", "text": "TEXT", "date": "DATE", "ts": "TIMESTAMP",
                   "real": "DOUBLE PRECISION", "dec": "NUMERIC(12,2)"},
    "mysql": {"int": "BIGINT", "text": "TEXT", "date": "DATE", "ts": "DATETIME",
              "real": "DOUBLE", "dec": "DECIMAL(12,2)"},
}


def quote(engine: str, ident: str) -> str:
    if engine == "mysql":
        return "`" + ident.replace("`", "``") + "`"
    return '"' + ident.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ddl(engine: str, tab: Tab) -> list[str]:
    types = dict(_TYPES[engine])
    cols = []
    for col in tab.cols:
        kind = types[col.kind]
        if col.name == tab.extra_key and engine == "mysql":
            kind = "VARCHAR(64)"
        spec = f"{quote(engine, col.name)} {kind}"
        if col.name in (tab.key, tab.extra_key):
            spec += " PRIMARY KEY"
        if col.comment and engine == "mysql":
            spec += f" COMMENT {_literal(col.comment)}"
        cols.append(spec)
    create = f"CREATE TABLE {quote(engine, tab.name)} ({', '.join(cols)})"
    if engine == "sqlite" and tab.extra_key:
        create += " WITHOUT ROWID"
    out = [create]
    if engine == "postgresql":
        out += [f"COMMENT ON COLUMN {quote(engine, tab.name)}.{quote(engine, c.name)} IS "
                f"{_literal(c.comment)}" for c in tab.cols if c.comment]
    return out


def build(engine: str, conn: Any, seed: int = 7) -> None:
    """Create and fill every table through a DB-API connection of ``engine``."""
    mark = "?" if engine == "sqlite" else "%s"
    cur = conn.cursor()
    for tab in tables():
        for statement in ddl(engine, tab):
            cur.execute(statement)
        names = ", ".join(quote(engine, c.name) for c in tab.cols)
        marks = ", ".join([mark] * len(tab.cols))
        cur.executemany(f"INSERT INTO {quote(engine, tab.name)} ({names}) VALUES ({marks})",
                        rows(tab, seed))
    conn.commit()


def f1(found: set[tuple[str, str, str]], expected: set[tuple[str, str, str]]) -> float:
    hits = len(found & expected)
    if not hits:
        return 0.0
    precision, recall = hits / len(found), hits / len(expected)
    return 2 * precision * recall / (precision + recall)
