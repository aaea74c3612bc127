"""A column named by a thing's code (``sku_code``, ``barcode``, ``serial_no``, ``商品编码``)
holds codes, not mobiles, however many of its eleven-digit values start 13–19: a real
SQLite scan reported a shop's ``sku_code`` as 39 mobiles (QA estate 5). A column named by
a transaction word that may stand for a person (``parent_id``, ``member_id``) still yields
the mobiles it holds (test_db_transaction_named_columns), and a resident ID, which its check
digit validates, is found under any name."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

from db_estate import mobile, resident_id

ROWS = 40
CODE_COLUMNS = ("sku_code", "barcode", "serial_no", "商品编码")


def test_a_things_code_is_no_mobile_and_a_persons_number_stays_one(tmp_path: Path) -> None:
    rng = random.Random(5)
    codes = [[f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" for _ in CODE_COLUMNS]
             for _ in range(ROWS)]
    db = sqlite3.connect(tmp_path / "shop.db")
    db.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, "
               + ", ".join(f'"{c}" TEXT' for c in CODE_COLUMNS) + ", member_id TEXT, sku TEXT)")
    db.executemany(f"INSERT INTO products VALUES (?, {', '.join('?' * (len(CODE_COLUMNS) + 2))})",
                   [(i, *codes[i], mobile(rng),
                     resident_id(rng, dt.date(1990, 1 + i % 12, 1 + i % 28)))
                    for i in range(ROWS)])
    db.commit()
    db.close()
    run = subprocess.run([sys.executable, "-m", "pia", "scan", "shop.db", "-q", "-o", "r.json"],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    found = {i["location"]["column"]: i["entity_type"] for i in report["inventory"]}
    assert found == {"member_id": "CN_MOBILE", "sku": "CN_RESIDENT_ID"}
