"""Defects a reader's QA pass found in the database connectors: sensitive values a share
threshold dropped from free text, raw birth dates as a retention column's oldest/newest,
SQLite's inline DDL comments never read; and the detection pass's database findings."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from db_servers import mysql_tables, pg_tables
from test_db_qa_defects import ids, scan

from pia.connectors.base import ScanContext
from pia.connectors.db.ddl import column_comments

# --- reader 1: labelled or check-digit values in free text count below the 5 % share ----------

NOTES = ["已处理", "请尽快回复", "客户满意", "重复工单"]


def tickets(n: int = 1000) -> list[tuple[int, str]]:
    """1,000 notes: every 25th holds a labelled, valid ID (4 %), every 25th (offset) a
    labelled contact name, every 25th (offset) an unlabelled 11-digit number."""
    rows = []
    people = ids(n // 25)
    for i in range(n):
        if i % 25 == 0:
            note = f"客户身份证号{people[i // 25][1]}，请核实"
        elif i % 25 == 1:
            note = f"联系人{'韩敏' if i % 2 else '赵磊'}，已回访"
        elif i % 25 == 2:
            note = f"批次 139{i:08d} 已处理"
        else:
            note = NOTES[i % 4]
        rows.append((i, note))
    return rows


def test_sqlite_free_text_keeps_checked_and_labelled_values(tmp_path: Path,
                                                            ctx: ScanContext) -> None:
    path = tmp_path / "ft.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE tickets(id integer primary key, note text)")
    conn.executemany("INSERT INTO tickets VALUES (?, ?)", tickets())
    conn.commit()
    conn.close()
    got = {i["entity_type"]: i for i in scan(str(path), ctx).inventory}
    assert got["CN_RESIDENT_ID"]["count"] == 40
    assert got["CN_RESIDENT_ID"]["share"] == 0.04
    assert got["CN_NAME"]["count"] == 40
    # 4 % of bare 11-digit numbers, neither labelled nor checked, still do not make a column
    assert "CN_MOBILE" not in got


def test_postgres_free_text_keeps_checked_values(pg_db: str, ctx: ScanContext) -> None:
    with pg_tables(pg_db, "tickets", "CREATE TABLE tickets(id int, note text)",
                   ("INSERT INTO tickets VALUES (%s, %s)", tickets())):
        got = {i["entity_type"]: i for i in scan(pg_db, ctx).inventory}
    assert got["CN_RESIDENT_ID"]["count"] == 40
    assert "CN_MOBILE" not in got


# --- reader 6: a PI column declared as the retention timestamp is not quoted raw ---------------

def kids_declaration(uri: str) -> dict[str, Any]:
    return {"version": 1, "assets": [{"id": "k", "source": uri, "retention": {
        "period": "P1Y", "timestamp_column": "kids.csrq"}}]}


def test_retention_column_that_is_pi_has_masked_bounds(tmp_path: Path, ctx: ScanContext,
                                                       my_db: str) -> None:
    births = [f"20{10 + i % 5:02d}-0{1 + i % 9}-1{i % 10}" for i in range(60)]
    path = tmp_path / "k.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE kids(id integer primary key, csrq text, created_at text)")
    conn.executemany("INSERT INTO kids VALUES (?, ?, ?)",
                     [(i, b, f"2024-01-{1 + i % 28:02d} 08:00:00") for i, b in enumerate(births)])
    conn.commit()
    conn.close()
    with mysql_tables(my_db, "kids", "CREATE TABLE kids(id int, csrq date)",
                      ("INSERT INTO kids VALUES (%s, %s)", list(enumerate(births)))):
        for uri in (str(path), my_db):
            ctx.declaration = kids_declaration(uri)
            res = scan(uri, ctx)
            [fact] = [f for f in res.facts if f["kind"] == "column"
                      and f["location"]["column"] == "csrq"]
            oldest, newest = fact["attributes"]["oldest"], fact["attributes"]["newest"]
            assert oldest and newest, uri
            assert min(births) not in oldest and max(births) not in newest, uri
            assert oldest.count("*") >= 6, uri
    # a timestamp column that holds no PI keeps its times as they are
    ctx.declaration = {"version": 1, "assets": [{"id": "k", "source": str(path), "retention": {
        "period": "P1Y", "timestamp_column": "kids.created_at"}}]}
    [fact] = [f for f in scan(str(path), ctx).facts if f["kind"] == "column"
              and f["location"]["column"] == "created_at"]
    assert fact["attributes"]["oldest"].startswith("2024-01-01")


# --- reader 5: SQLite's inline DDL comments are the columns' comments ---------------------------

DDL_COMMENTS = [
    # (CREATE TABLE statement, column → comment)
    ("CREATE TABLE t(\n id integer primary key, -- 主键, 自增\n phone text -- 手机号 [class:L3]\n)",
     {"id": "主键, 自增", "phone": "手机号 [class:L3]"}),
    # quoted names with commas and quotes, comments before their column, block comments
    ('CREATE TABLE "a, b" ( -- the table\n "x, y" text, -- 姓名\n /* 身份证号, 18 位 */\n'
     " [my col] text,\n `e``x` text /* 住址 */ not null,\n amount decimal(10,2), -- 金额\n"
     " CHECK (amount IN (1, 2)), -- no column\n PRIMARY KEY (amount) -- nor this\n)",
     {"x, y": "姓名", "my col": "身份证号, 18 位", "e`x": "住址", "amount": "金额"}),
    # a comment inside a definition that goes on, a string holding comment marks
    ("CREATE TABLE t(a text -- 电话\n  NOT NULL DEFAULT '--, /*', b text)", {"a": "电话"}),
    ("CREATE TABLE t AS SELECT 1 AS a -- x", {}),
    (None, {}),
]


@pytest.mark.parametrize(("sql", "expected"), DDL_COMMENTS)
def test_ddl_column_comments(sql: str | None, expected: dict[str, str]) -> None:
    assert column_comments(sql) == expected


def test_sqlite_inline_comments_classify_and_label(tmp_path: Path, ctx: ScanContext) -> None:
    path = tmp_path / "l.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE m(\n id integer primary key,\n f1 text,  -- 手机号 [class:L3]\n"
                 " f2 text   -- 家庭住址\n)")
    conn.executemany("INSERT INTO m(f1, f2) VALUES (?, ?)",
                     [(f"139{i * 7919:08d}", f"幸福路{i}号") for i in range(50)])
    conn.commit()
    conn.close()
    res = scan(str(path), ctx)
    attrs = {f["location"]["column"]: f["attributes"] for f in res.facts if f["kind"] == "column"}
    assert attrs["f1"]["comment"] == "手机号 [class:L3]"
    assert attrs["f1"]["classification_label"] == "L3"
    got = {(i["location"]["column"], i["entity_type"]) for i in res.inventory}
    assert ("f2", "CN_ADDRESS") in got


# --- detect 2, 3, 5: amounts and product codes are no PI; companies' codes are reported --------

def uscc(i: int) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    body = f"91110105{i:09d}"
    return body + chars[(31 - sum(chars.index(c) * w for c, w in zip(body, weights,
                                                                       strict=True)) % 31) % 31]


def test_metrics_and_product_codes_are_not_pi_and_uscc_is_kept(tmp_path: Path,
                                                                 ctx: ScanContext) -> None:
    path = tmp_path / "biz.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE daily_stats(d text, gmv text, revenue text, 销售额 text,"
                 " note text)")
    conn.executemany("INSERT INTO daily_stats VALUES (?, ?, ?, ?, ?)", [
        (f"2024-11-{1 + i % 28:02d}", f"138{i * 7919:08d}", f"139{i * 7907:08d}",
         f"150{i * 7901:08d}", f"款号 E{10000000 + i * 7919:08d}") for i in range(100)])
    conn.execute("CREATE TABLE suppliers(company_name text, uscc text)")
    conn.executemany("INSERT INTO suppliers VALUES (?, ?)",
                     [("北京某某科技有限公司", uscc(i)) for i in range(50)])
    conn.commit()
    conn.close()
    got = {(i["location"]["table"], i["location"]["column"]): i["entity_type"]
           for i in scan(str(path), ctx).inventory}
    assert got == {("suppliers", "uscc"): "CN_USCC"}


# --- detect 4: a bare ``name`` in a table of things names no person -----------------------------

BRANDS = ["王老吉", "李宁", "周黑鸭", "张小泉", "杨国福", "吴裕泰", "马应龙", "陈克明", "黄天鹅",
          "刘一手", "张亮", "何氏", "钟薛高", "陈李济"]
PEOPLE = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄晓明", "周杰", "吴刚",
          "徐丽", "孙强", "胡军", "朱红"]


def test_bare_name_in_a_table_of_things_is_not_a_person(tmp_path: Path,
                                                         ctx: ScanContext) -> None:
    path = tmp_path / "shop.db"
    conn = sqlite3.connect(path)
    for table, values in (("brands", BRANDS), ("product_categories", BRANDS),
                          ("members", PEOPLE)):
        conn.execute(f"CREATE TABLE {table}(id integer primary key, name text)")
        conn.executemany(f"INSERT INTO {table}(name) VALUES (?)", [(v,) for v in values])
    conn.commit()
    conn.close()
    got = {(i["location"]["table"], i["entity_type"]) for i in scan(str(path), ctx).inventory}
    assert got == {("members", "CN_NAME")}


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def test_sqlite_free_text_order_numbers_are_no_cards(tmp_path: Path, ctx: ScanContext) -> None:
    # Luhn passes one number in ten: 18-digit order numbers that pass it with a Chinese
    # BIN are chance hits below the 5 % share, not bank cards a check digit backs
    import random

    rnd = random.Random(7)
    numbers = [str(rnd.randrange(10 ** 17, 10 ** 18)) for _ in range(1000)]
    chance = [n for n in numbers if _luhn_ok(n) and n.startswith(("60", "62", "9"))]
    assert 2 <= len(chance) < 50  # card look-alikes are there, fewer than 5 %
    path = tmp_path / "t.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE shipments(id integer primary key, note text)")
    conn.executemany("INSERT INTO shipments VALUES (?, ?)",
                     [(i, f"Order No. {n} shipped via SF") for i, n in enumerate(numbers)])
    conn.commit()
    conn.close()
    assert scan(str(path), ctx).inventory == []


def test_sqlite_free_text_counts_labelled_cards_however_few(tmp_path: Path,
                                                            ctx: ScanContext) -> None:
    # a card a label names still counts below the share; an order number's label never does
    rows = [(i, "已发货") for i in range(1000)]
    for k in range(40):
        rows[k * 25] = (k * 25, f"退款至银行卡号 6222021234567{k:03d}{0} 请查收")
    fixed = []
    for i, note in rows:
        if "银行卡号" in note:
            body = note.split("银行卡号 ")[1].split(" ")[0][:-1]
            check = next(str(d) for d in range(10) if _luhn_ok(body + str(d)))
            note = f"退款至银行卡号 {body}{check} 请查收"
        fixed.append((i, note))
    for k in range(40):
        i = k * 25 + 1
        fixed[i] = (i, f"运单号 {ids(40)[k][1]} 已签收")
    path = tmp_path / "c.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE refunds(id integer primary key, note text)")
    conn.executemany("INSERT INTO refunds VALUES (?, ?)", fixed)
    conn.commit()
    conn.close()
    got = {i["entity_type"]: i for i in scan(str(path), ctx).inventory}
    assert got["CN_BANK_CARD"]["count"] == 40
    assert "CN_RESIDENT_ID" not in got  # an ID-shaped waybill number is a waybill number
