"""The bundled sample estate: a small Chinese e-commerce company, generated deterministically.

Nothing here is a real person's data. ``build_estate(dir)`` writes:

- ``shop.db`` — SQLite: ``members`` with pinyin-initial columns (xm 姓名, sfzh 身份证号,
  sjh 手机号, jtzz 家庭住址, csrq 出生日期), some of them children; ``orders`` with look-alike
  order numbers and free-text remarks (bz) that sometimes hold a phone or an address;
  ``payments`` with an encrypted card column, an unsalted SHA-256 digest of the resident ID and
  look-alike ledger numbers; a clean ``app_config`` table;
- ``logs/`` — application logs (one gzipped), an nginx access log and a GBK-encoded legacy
  billing log with full-width digits; a clean health-check log. The logs cover about two
  months, less than the six months the CSL asks for;
- ``pia.yaml`` — a declaration that is honest about some things (the member columns, the
  encrypted card column) and wrong about others (no minors, no PI in logs, remarks undeclared);
- ``migrations/`` — three SQL migrations: one clean, one that adds a plaintext ID column, one
  that adds an encrypted phone column.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pia.sample.synth import FULL_WIDTH, Synth

TODAY = dt.date(2026, 11, 1)
MEMBERS = 1500
ORDERS = 3000


@dataclass(frozen=True)
class Estate:
    root: Path
    database: Path
    logs: Path
    declaration: Path
    migrations: Path


def _ciphertext(index: int) -> str:
    """Stands in for AES-GCM output: 48 high-entropy bytes, base64, different per row."""
    raw = hashlib.sha512(f"demo-ciphertext-{index}".encode()).digest()[:48]
    return base64.b64encode(raw).decode()


def _database(path: Path, s: Synth) -> None:
    if path.exists():
        path.unlink()
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE members (
            hy_id INTEGER PRIMARY KEY,  -- 会员编号
            xm TEXT NOT NULL,           -- 姓名
            sfzh TEXT,                  -- 身份证号
            sjh TEXT,                   -- 手机号
            jtzz TEXT,                  -- 家庭住址
            csrq TEXT,                  -- 出生日期
            zc_sj TEXT,                 -- 注册时间
            zt INTEGER DEFAULT 1        -- 状态
        );
        CREATE TABLE orders (
            order_no TEXT PRIMARY KEY,
            hy_id INTEGER REFERENCES members(hy_id),
            amount_fen INTEGER,
            bz TEXT,                    -- 备注 (free text)
            created_at TEXT
        );
        CREATE TABLE payments (
            pay_id INTEGER PRIMARY KEY,
            order_no TEXT,
            card_no_enc TEXT,           -- AES-GCM ciphertext of the card number
            sfzh_sha256 TEXT,           -- sha256(身份证号), unsalted
            ledger_no TEXT,
            paid_at TEXT
        );
        CREATE TABLE app_config (k TEXT PRIMARY KEY, v TEXT);
    """)
    members = []
    for i in range(1, MEMBERS + 1):
        minor = i % 40 == 0
        born = s.birth_date(6, 13) if minor else s.birth_date(18, 70)
        rid = s.resident_id(born)
        registered = TODAY - dt.timedelta(days=s.rng.randint(1, 900))
        members.append((i, s.name(), rid, s.mobile(), s.address(), born.isoformat(),
                        registered.isoformat() + " 10:00:00"))
    db.executemany("INSERT INTO members (hy_id, xm, sfzh, sjh, jtzz, csrq, zc_sj) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", members)
    remarks = ["请尽快发货", "周末送货", "", "发票抬头：个人", "放门卫室"]
    orders, payments = [], []
    for j in range(1, ORDERS + 1):
        member = members[s.rng.randrange(MEMBERS)]
        roll = s.rng.random()
        if roll < 0.08:
            remark = f"改送{s.address()}，电话{s.mobile()}"
        elif roll < 0.12:
            remark = f"联系人{s.name()} 手机{s.mobile()}"
        else:
            remark = s.rng.choice(remarks)
        created = dt.datetime.combine(TODAY, dt.time(12)) - dt.timedelta(
            days=s.rng.randint(0, 400), minutes=s.rng.randint(0, 1440))
        order_no = s.order_number()
        orders.append((order_no, member[0], s.rng.randint(100, 99999), remark,
                       created.isoformat(sep=" ")))
        payments.append((j, order_no, _ciphertext(j),
                         hashlib.sha256(member[2].encode()).hexdigest(), s.ledger_number(),
                         created.isoformat(sep=" ")))
    db.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?)", orders)
    db.executemany("INSERT INTO payments VALUES (?, ?, ?, ?, ?, ?)", payments)
    db.executemany("INSERT INTO app_config VALUES (?, ?)",
                   [("site_name", "示例商城"), ("currency", "CNY"), ("max_cart", "99")])
    db.commit()
    db.close()


def _log_lines(s: Synth, day: dt.date, count: int) -> list[str]:
    lines = []
    for k in range(count):
        ts = f"{day.isoformat()} {k * 86399 // count // 3600:02d}:{k % 60:02d}:{(k * 7) % 60:02d}"
        roll = s.rng.random()
        if roll < 0.15:
            lines.append(f"{ts} INFO [member] 注册成功 手机号{s.mobile()} 身份证号{s.resident_id()}")
        elif roll < 0.25:
            lines.append(f"{ts} WARN [pay] 支付失败 order_id={s.order_number()} 卡号{s.bank_card()}")
        elif roll < 0.35:
            lines.append(f"{ts} INFO [login] user={s.email()} ip={s.ipv4()}")
        else:
            lines.append(f"{ts} INFO [order] 订单号{s.order_number()} 状态=已发货 trace_id={s.trace_id()}")
    return lines


def _logs(root: Path, s: Synth) -> None:
    app = root / "app"
    nginx = root / "nginx"
    legacy = root / "legacy"
    for folder in (app, nginx, legacy):
        folder.mkdir(parents=True, exist_ok=True)
    start = TODAY - dt.timedelta(days=60)
    (app / f"app-{start.isoformat()}.log").write_text(
        "\n".join(_log_lines(s, start, 400)) + "\n", encoding="utf-8")
    recent = TODAY - dt.timedelta(days=1)
    with gzip.GzipFile(app / f"app-{recent.isoformat()}.log.gz", "wb", mtime=0) as handle:
        handle.write(("\n".join(_log_lines(s, recent, 400)) + "\n").encode("utf-8"))
    (app / "health.log").write_text(
        "".join(f"{recent.isoformat()} 0{h % 10}:00:00 INFO health check ok latency={h}ms\n"
                for h in range(48)), encoding="utf-8")
    access = []
    for k in range(300):
        access.append(f'{s.ipv4()} - - [{(TODAY - dt.timedelta(days=k % 30)).strftime("%d/%b/%Y")}'
                      f':10:{k % 60:02d}:00 +0800] "GET /api/member?mobile={s.mobile()} HTTP/1.1"'
                      f' 200 {s.rng.randint(200, 9000)}')
    (nginx / "access.log").write_text("\n".join(access) + "\n", encoding="utf-8")
    billing = []
    for k in range(120):
        day = (start + dt.timedelta(days=k % 50)).isoformat()
        billing.append(f"{day} 12:00:{k % 60:02d} 账单 客户手机{s.mobile().translate(FULL_WIDTH)} "
                       f"金额{s.rng.randint(1, 999)}元")
    (legacy / "billing-gbk.log").write_bytes(("\n".join(billing) + "\n").encode("gbk"))


DECLARATION = """\
# 示例科技有限公司 — declared processing inventory (deliberately imperfect: see pia demo)
version: 1
organisation:
  name: 示例科技有限公司
  ciio: false
  last_pi_audit: 2025-06-30
  mainland_regions: [cn-north-1, cn-northwest-1, "oss-cn-*", ap-beijing, ap-shanghai]
assets:
  - id: shop-db
    source: shop.db
    pi_categories: [CN_NAME, CN_MOBILE, CN_RESIDENT_ID, CN_BANK_CARD, CN_ADDRESS, DATE_OF_BIRTH]
    sensitive: true
    minors: false                 # wrong: some members are children
    retention: {period: P3Y, timestamp_column: zc_sj}
    protection:
      encrypted_columns: [payments.card_no_enc]
    activities: [membership]
  - id: app-logs
    source: "logs/**"
    pi_categories: []             # wrong: the logs hold mobiles, IDs and cards
    sensitive: false
    retention: {period: P6M}
activities:
  - id: membership
    purpose: 会员服务与订单履约
    legal_basis: contract
    consent: {separate: false}
log_policy: {min_retention_days: 180, max_pi_retention_days: 365}
"""

MIGRATIONS = {
    "001_create_coupons.sql": """\
-- 优惠券表：不含个人信息
CREATE TABLE coupons (
    coupon_id BIGINT PRIMARY KEY,
    code VARCHAR(32) NOT NULL,
    discount_fen INTEGER NOT NULL,
    expires_at TIMESTAMP
);
""",
    "002_add_member_idcard.sql": """\
-- 会员实名认证
ALTER TABLE members ADD COLUMN id_card VARCHAR(18);
COMMENT ON COLUMN members.id_card IS '身份证号码';
""",
    "003_add_contact_phone.sql": """\
-- 收货联系人电话（加密存储）
ALTER TABLE orders ADD COLUMN contact_phone_enc TEXT; -- pia:encrypted
""",
}


def build_estate(root: str | Path, seed: int = 20261101) -> Estate:
    """Write the sample estate under ``root`` (created if needed); same bytes for a seed."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    s = Synth(seed, today=TODAY)
    database = root / "shop.db"
    _database(database, s)
    logs = root / "logs"
    _logs(logs, s)
    declaration = root / "pia.yaml"
    declaration.write_text(DECLARATION, encoding="utf-8")
    migrations = root / "migrations"
    migrations.mkdir(exist_ok=True)
    for name, text in MIGRATIONS.items():
        (migrations / name).write_text(text, encoding="utf-8")
    return Estate(root, database, logs, declaration, migrations)
