"""A label decides for the values it labels, however they are written after it.

- The later values of a bracketed list share the verdict of the list's label, which lies
  beyond their 16-character window: ``sku_id IN (1380…, 1391…, …)`` holds no mobiles, and
  ``phone IN (…)`` holds mobiles, each scored as the first is (QA fix #1).
- ``Order No.`` labels its value as ``Order No:`` does, in a database's free text too, while
  ``ID No.`` still labels a resident ID (QA fix #2).
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from stdnum.iso7064 import mod_11_2

from pia.connectors import connector_for
from pia.connectors.base import ScanContext, ScanOptions, scan_serial
from pia.detection.engine import DetectionEngine, default_engine
from pia.detection.presidio import build_analyzer
from pia.masking import Fingerprinter

ENGINE = default_engine()
PURE = DetectionEngine(prefilter=False)


def mobiles(n: int, seed: int = 1) -> list[str]:
    rnd = random.Random(seed)
    return [rnd.choice(["138", "139", "150", "186"]) + f"{rnd.randrange(10 ** 8):08d}"
            for _ in range(n)]


def found(engine: DetectionEngine, line: str, entity: str) -> list[tuple[str, float]]:
    return [(line[m.start:m.end], m.score) for m in engine.analyze(line)
            if m.entity_type == entity]


def test_a_long_in_list_after_a_non_pi_label_holds_no_mobile() -> None:
    values = mobiles(500)
    for line in (f"SELECT * FROM t_sku WHERE sku_id IN ({','.join(values)}) LIMIT 10",
                 "DELETE FROM stock WHERE sku_id IN (" + ", ".join(f"'{v}'" for v in values) + ")"):
        assert found(ENGINE, line, "CN_MOBILE") == []
        assert found(PURE, line, "CN_MOBILE") == []


def test_every_value_of_a_phone_list_counts_as_its_first_does() -> None:
    values = mobiles(40)
    line = f"UPDATE t_user SET vip = 1 WHERE phone IN ({', '.join(values)})"
    want = [(value, 1.0) for value in values]
    assert found(ENGINE, line, "CN_MOBILE") == want
    assert found(PURE, line, "CN_MOBILE") == want
    results = [r for r in build_analyzer().analyze(line, language="zh")
               if r.entity_type == "CN_MOBILE"]
    assert [(line[r.start:r.end], r.score) for r in results] == want


def test_a_closed_list_labels_nothing_after_it() -> None:
    first, second, third = mobiles(3, seed=2)
    line = f"sku_id IN ({first}, {second}) AND note = 'x', {third}"
    assert [value for value, _ in found(ENGINE, line, "CN_MOBILE")] == [third]
    assert found(PURE, line, "CN_MOBILE") == found(ENGINE, line, "CN_MOBILE")


def test_lines_of_lists_in_one_buffer_agree_with_single_lines() -> None:
    values = mobiles(12, seed=3)
    lines = [f"sku_id IN ({', '.join(values[:4])})", f"phone IN ({', '.join(values[4:8])})",
             f"sku IN ({values[8]}, {values[9]}) OR mobile IN ({values[10]}, {values[11]})"]
    batch = ENGINE.analyze_lines(lines)
    assert batch == [ENGINE.analyze(line) for line in lines] == PURE.analyze_lines(lines)
    assert [[line[m.start:m.end] for m in ms] for line, ms in zip(lines, batch, strict=True)] == [
        [], values[4:8], values[10:12]]


def resident_ids(n: int) -> list[str]:
    bodies = [f"110105{19490101 + i % 28:08d}{i % 1000:03d}" for i in range(n)]
    return [body + mod_11_2.calc_check_digit(body) for body in bodies]


def test_order_no_with_a_full_stop_labels_an_order_number_in_free_text(tmp_path: Path) -> None:
    numbers = resident_ids(60)
    notes = ([f"Order No. {n} shipped via SF" for n in numbers[:30]]
             + [f"order no.{n} 已发货" for n in numbers[30:]])
    path = tmp_path / "orders.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE shipments(id integer primary key, note text)")
    conn.executemany("INSERT INTO shipments VALUES (?, ?)", list(enumerate(notes)))
    conn.execute("CREATE TABLE tickets(id integer primary key, note text)")
    conn.executemany("INSERT INTO tickets VALUES (?, ?)",
                     [(i, f"ID No. {n} verified" if i % 25 == 0 else "已处理")
                      for i, n in enumerate(resident_ids(1000))])
    conn.commit()
    conn.close()
    ctx = ScanContext(engine=ENGINE, fingerprint=Fingerprinter(b"k" * 32), now=datetime.now(UTC))
    uri = str(path)
    result = scan_serial(connector_for(uri), uri, ScanOptions(), ctx)
    got = {(i["location"]["table"], i["entity_type"]): i["count"] for i in result.inventory}
    assert got == {("tickets", "CN_RESIDENT_ID"): 40}
