"""Rows/s of the SQLite connector: default sample and ``--full`` on a 1-million-row estate.

    python bench/db.py [--rows 1000000] [--tables 10] [--path /tmp/pia-bench-db/estate.db]

1. Generates (once, deterministically) ``--tables`` tables sharing ``--rows`` rows, each with
   an integer key, a name, a resident ID, a mobile, an email, an address, a look-alike order
   number, an amount, a free-text remark (a phone in one in five) and a timestamp.
2. Times ``scan_serial(SqliteConnector(), path)`` in this process (one core, engine built
   beforehand) with the default sample (1000 rows per table) and with ``full=True``, and
   prints wall and CPU seconds, rows/s of each, and the number of inventory items.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stdnum.iso7064 import mod_11_2

from pia.connectors.base import ScanContext, ScanOptions, scan_serial
from pia.connectors.sqlite import SqliteConnector
from pia.detection.engine import default_engine
from pia.masking import Fingerprinter

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超"
COLUMNS = ("id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, mobile TEXT, email TEXT, address TEXT,"
           " order_no TEXT, amount NUMERIC, remark TEXT, created_at TIMESTAMP")


def _row(rng: random.Random, n: int) -> tuple[object, ...]:
    body = f"{rng.choice(('110101', '310104', '440305'))}{rng.randint(1950, 2015)}" \
           f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    mobile = f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"
    remark = f"客户来电 {mobile} 咨询" if rng.random() < 0.2 else "已处理"
    return (n, rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", *GIVEN)),
            body + mod_11_2.calc_check_digit(body), mobile, f"u{n}@example.cn",
            f"北京市朝阳区建国路{rng.randint(1, 300)}号", f"2024{rng.randint(10**13, 10**14 - 1)}",
            round(rng.uniform(1, 9999), 2), remark,
            (datetime(2023, 1, 1) + timedelta(seconds=rng.randint(0, 10**8))).isoformat(" "))


def generate(path: Path, rows: int, tables: int) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    rng = random.Random(2024)
    per_table = rows // tables
    for t in range(tables):
        conn.execute(f"CREATE TABLE customers_{t} ({COLUMNS})")
        conn.executemany(f"INSERT INTO customers_{t} VALUES ({','.join('?' * 10)})",
                         (_row(rng, n) for n in range(1, per_table + 1)))
        conn.commit()
    conn.close()
    tmp.rename(path)


def timed(path: Path, options: ScanOptions, ctx: ScanContext) -> tuple[float, float, int]:
    """Wall and CPU seconds (CPU tells the truth on a shared, loaded machine), items."""
    start, cpu = time.perf_counter(), time.process_time()
    result = scan_serial(SqliteConnector(), str(path), options, ctx)
    return time.perf_counter() - start, time.process_time() - cpu, len(result.inventory)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--tables", type=int, default=10)
    parser.add_argument("--path", type=Path, default=Path("/tmp/pia-bench-db/estate.db"))
    args = parser.parse_args()
    generate(args.path, args.rows, args.tables)
    ctx = ScanContext(engine=default_engine(), fingerprint=Fingerprinter(b"k" * 32),
                      now=datetime.now(UTC))
    rows = args.rows - args.rows % args.tables
    print(f"estate: {rows} rows in {args.tables} tables, {args.path.stat().st_size >> 20} MiB")
    for label, options in (("default sample", ScanOptions()), ("--full", ScanOptions(full=True))):
        seconds, cpu, items = timed(args.path, options, ctx)
        print(f"{label:>15}: {seconds:7.2f} s wall {rows / seconds:10,.0f} rows/s;"
              f" {cpu:7.2f} s CPU {rows / cpu:10,.0f} rows/s; {items} items")


if __name__ == "__main__":
    main()
