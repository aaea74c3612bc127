"""A database column comment that admits plaintext for the time being (暂时明文, plaintext for
now) is read by the scan as ``check-migrations`` reads it (QA q2 M1): ``sfzh_enc`` so
commented holds 身份证号 in plaintext, by its name, though no row holds a value yet. The time
word was read as naming something other than PI, which dropped the name's pinyin initials:
the column vanished from the inventory (``sfzh1_enc`` did not)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from db_servers import pg_tables, scan_json, unique

COMMENTS = {"sfzh_enc": "暂时明文", "zjhm_enc": "plaintext for now"}


def _items(uri: str, tmp_path: Path, table: str) -> dict[str, dict[str, Any]]:
    return {i["location"]["column"]: i for i in scan_json(uri, tmp_path)["inventory"]
            if i["location"]["table"] == table}


def _assert_plaintext_ids(items: dict[str, dict[str, Any]]) -> None:
    for column in COMMENTS:
        assert (items[column]["entity_type"], items[column]["protection"]) == (
            "CN_RESIDENT_ID", "plaintext"), column


def test_sqlite_column_commented_plaintext_for_now(tmp_path: Path) -> None:
    path = tmp_path / "acct.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE acct (\n  id integer primary key,\n"
                 "  sfzh_enc blob, -- 暂时明文\n  zjhm_enc blob -- plaintext for now\n)")
    conn.executemany("INSERT INTO acct (id) VALUES (?)", [(i,) for i in range(5)])
    conn.commit()
    conn.close()
    _assert_plaintext_ids(_items(f"sqlite:///{path}", tmp_path, "acct"))


def test_postgres_column_commented_plaintext_for_now(pg_db: str, tmp_path: Path) -> None:
    table = unique("acct")
    with pg_tables(pg_db, table,
                   f"CREATE TABLE {table}(id int, sfzh_enc bytea, zjhm_enc bytea)",
                   *(f"COMMENT ON COLUMN {table}.{c} IS '{said}'" for c, said in COMMENTS.items()),
                   f"INSERT INTO {table}(id) SELECT generate_series(1, 5)"):
        _assert_plaintext_ids(_items(pg_db, tmp_path, table))
