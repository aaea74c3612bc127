"""QA r2 D3 and D9 on a real PostgreSQL column comment: an ID grouped 6-4-4-4
(``110101-1990-0307-7777``), a mobile with its 86 country code glued on (``8613800138000``)
and one in Devanagari digits went raw into report.json; ``size 13800138000 bytes``, a
quantity, was masked. ``pia scan`` now writes the first three masked and the last as it
stands, and a timestamp, an order number and a digest stay readable beside them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from db_servers import pg_tables

ID_GROUPED = "110101-1990-0307-7777"
MOBILE_86 = "8613800138000"
MOBILE_DEVANAGARI = "१३८००१३८०००"
READABLE = "ts 20250101120000 订单 202401011234567890123 md5 9e107d9d372bb6826bd81d3542a419d6"


def test_postgres_comment_masks_grouped_ids_and_glued_country_codes(
        pg_db: str, tmp_path: Path) -> None:
    comments = {"bz": f"示例 {ID_GROUPED} 与 {MOBILE_86}",
                "sj": f"手机 {MOBILE_DEVANAGARI}",
                "dx": f"size 13800138000 bytes; {READABLE}"}
    with pg_tables(pg_db, "laodan",
                   "CREATE TABLE laodan(bz text, sj text, dx text)",
                   *[f"COMMENT ON COLUMN laodan.{column} IS '{comment}'"
                     for column, comment in comments.items()],
                   # mobiles in every column: a column holding PI is reported with its comment
                   "INSERT INTO laodan SELECT m, m, m FROM (SELECT '1381234' || (1000 + g) AS m "
                   "FROM generate_series(1, 30) g) AS mobiles"):
        run = subprocess.run([sys.executable, "-m", "pia", "scan", pg_db, "--include",
                              "public.laodan", "-o", "r.json", "-q"], cwd=tmp_path, text=True,
                             capture_output=True, timeout=300,
                             env=dict(os.environ, PIA_FINGERPRINT_KEY="k" * 32))
    assert run.returncode in (0, 1), run.stderr
    report = (tmp_path / "r.json").read_text("utf-8")
    for raw in (ID_GROUPED, MOBILE_86, MOBILE_DEVANAGARI, "19900307"):
        assert raw not in report and raw not in run.stderr
    written = [f["attributes"]["comment"] for f in json.loads(report)["facts"]
               if f["kind"] == "column" and f["attributes"].get("comment")]
    assert sorted(written) == sorted([
        "示例 1101**********7777 与 138****8000", "手机 138****8000",
        f"size 13800138000 bytes; {READABLE}"])
