"""Defects of the end-to-end estate audit, on the real servers: a dictionary table's bare
``name`` column that holds no person's name, and MySQL locations that named the database
twice."""

from __future__ import annotations

from db_servers import mysql_tables

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, SourceResult, scan_serial

NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄晓明", "周杰", "吴刚"]


def scan(uri: str, ctx: ScanContext) -> SourceResult:
    return scan_serial(connector_for(uri), uri, ScanOptions(), ctx)


def kinds(result: SourceResult) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    for i in result.inventory:
        out.setdefault((i["location"]["table"], i["location"]["column"]), set()).add(
            i["entity_type"])
    return out


def test_a_bare_name_column_of_words_is_no_persons_name(my_db: str, ctx: ScanContext) -> None:
    """``tmp_dict.name`` = 普通 (a surname character first, but a common word) and a product
    list are not names; real names under ``name``, ``xm``, ``customer_name`` or ``姓名``, a
    ``name`` column whose comment says 姓名, pinyin names, and an empty ``name`` column are."""
    rows = [(i, n) for i, n in enumerate(NAMES)]
    pinyin = [(i, f"Zhang Wei{i}") for i in range(10)]
    with mysql_tables(
            my_db, "tmp_dict, goods, member, member_cn, member_py, commented, blank",
            "CREATE TABLE tmp_dict(id int primary key, name varchar(20))",
            "INSERT INTO tmp_dict VALUES (1, '普通')",
            "CREATE TABLE goods(id int primary key, name varchar(20))",
            ("INSERT INTO goods VALUES (%s, %s)",
             [(1, "苹果手机"), (2, "红烧牛肉"), (3, "黄金会员卡"), (4, "高级")]),
            "CREATE TABLE member(id int primary key, name varchar(20), xm varchar(20),"
            " customer_name varchar(20))",
            ("INSERT INTO member VALUES (%s, %s, %s, %s)", [(i, n, n, n) for i, n in rows]),
            "CREATE TABLE member_cn(id int primary key, `姓名` varchar(20))",
            ("INSERT INTO member_cn VALUES (%s, %s)", rows),
            "CREATE TABLE member_py(id int primary key, name varchar(40))",
            ("INSERT INTO member_py VALUES (%s, %s)", pinyin),
            "CREATE TABLE commented(id int primary key, name varchar(20) COMMENT '客户姓名')",
            "INSERT INTO commented VALUES (1, '普通')",
            "CREATE TABLE blank(id int primary key, name varchar(20))"):
        found = kinds(scan(my_db, ctx))
    assert "CN_NAME" not in found.get(("tmp_dict", "name"), set())
    assert "CN_NAME" not in found.get(("goods", "name"), set())
    for where in [("member", "name"), ("member", "xm"), ("member", "customer_name"),
                  ("member_cn", "姓名"), ("member_py", "name"), ("commented", "name"),
                  ("blank", "name")]:
        assert "CN_NAME" in found.get(where, set()), where


def test_a_mysql_location_names_its_database_once(my_db: str, ctx: ScanContext) -> None:
    """MySQL's database is its schema: a column is ``db.table.column`` in the table, MD and
    HTML reports and ``mysql/host:port/db/table/column`` in SARIF, not ``db.db.table...``;
    a PostgreSQL schema is still named."""
    from reports import sarif, view

    db = my_db.rsplit("/", 1)[-1]
    with mysql_tables(my_db, "huiyuan", "CREATE TABLE huiyuan(id int primary key, xm varchar(20))",
                      ("INSERT INTO huiyuan VALUES (%s, %s)", list(enumerate(NAMES)))):
        result = scan(my_db, ctx)
    loc = next(i["location"] for i in result.inventory if i["location"]["column"] == "xm")
    assert (loc["database"], loc["schema"]) == (db, db)  # the data keeps both, as it was
    assert view.location_text(loc) == f"{db}.huiyuan.xm"
    uri = sarif._location(loc, my_db)["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.endswith(f"/{db}/huiyuan/xm") and f"/{db}/{db}/" not in uri
    pg = {"database": "shop", "schema": "public", "table": "t", "column": "c"}
    assert view.location_text(pg) == "shop.public.t.c"
    assert sarif._location(pg, "postgresql://h/shop")["physicalLocation"]["artifactLocation"][
        "uri"] == "postgresql/h/shop/public/t/c"


def test_a_password_hash_is_salted_not_keyed(my_db: str, ctx: ScanContext) -> None:
    """bcrypt, argon2 and scrypt hashes carry a salt per value and no secret key: the column
    is ``hashed_salted`` (protected), not ``hashed_keyed``, and the report says so validly."""
    from pia.report import finalize, new_report, validate_report
    from pia.rules import apply_rules, load_rulesets

    salt = "abcdefghijklmnopqrstuv"
    hashes = [f"$2b$12${salt}{i:031d}" for i in range(6)] + [
        f"$argon2id$v=19$m=65536,t=3,p=4${salt}${i:043d}" for i in range(6)]
    with mysql_tables(my_db, "account",
                      "CREATE TABLE account(id int primary key, password_hash varchar(120))",
                      ("INSERT INTO account VALUES (%s, %s)", list(enumerate(hashes)))):
        result = scan(my_db, ctx)
    item = next(i for i in result.inventory if i["location"]["column"] == "password_hash")
    assert (item["protection"], item["protected"]) == ("hashed_salted", True)
    report = new_report([my_db], ScanOptions().as_parameters(), started="2026-11-01T00:00:00Z")
    report["inventory"], report["facts"] = result.inventory, result.facts
    apply_rules(report, load_rulesets(None), None)
    finalize(report)
    validate_report(report)
    assert not [f for f in report["findings"] if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT"
                and any(loc.get("column") == "password_hash" for loc in f["locations"])]
