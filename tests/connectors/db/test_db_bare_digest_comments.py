"""A column whose comment names only a bare digest (``SHA256``, ``md5 摘要``: no salt, no key,
no HMAC) is ``hashed_unsalted`` in ``pia scan`` as in ``check-migrations``, whatever its
values show: an unsalted digest of a resident ID or a mobile is reversed by enumerating the
identifiers (PIPL 73(三)). An empty column so commented was ``hashed`` (salt or key unknown)
in the scan, and PIPL-73 in the migration that made it. A comment that names a salt stays
``hashed``. Real scans of SQLite (comments in the DDL) and PostgreSQL (COMMENT ON), and
``pia check-migrations`` of the PostgreSQL DDL."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from db_servers import pg_tables, scan_json, unique

REVERSIBLE = "PIPL-73-PSEUDONYM-REVERSIBLE"
#: column → its comment, and the protection both commands must read in it
COLUMNS = {
    "sfzh": ("SHA256", "hashed_unsalted"),
    "sjh": ("md5 摘要", "hashed_unsalted"),
    "zjhm": ("身份证号，SHA-256 加盐", "hashed"),
}


def _check_scan(report: dict[str, Any], table: str) -> None:
    items = {i["location"]["column"]: i for i in report["inventory"]
             if i["location"]["table"] == table}
    assert {column: items[column]["protection"] for column in COLUMNS} == {
        column: protection for column, (_comment, protection) in COLUMNS.items()}
    reversible = {loc["column"] for f in report["findings"] if f["rule_id"] == REVERSIBLE
                  for loc in f["locations"] if loc.get("table") == table}
    assert reversible == {"sfzh", "sjh"}


def test_sqlite_bare_digest_comment_on_an_empty_column_is_unsalted(tmp_path: Path) -> None:
    path = tmp_path / "kehu.db"
    conn = sqlite3.connect(path)
    # a SQLite comment runs to the end of its line: each column's comma goes before it
    columns = [f"  {column} text{',' if i < len(COLUMNS) - 1 else ''} -- {comment}"
               for i, (column, (comment, _p)) in enumerate(COLUMNS.items())]
    ddl = "CREATE TABLE kehu (\n  id integer primary key,\n" + "\n".join(columns) + "\n)"
    conn.execute(ddl)
    conn.commit()
    conn.close()
    _check_scan(scan_json(f"sqlite:///{path}", tmp_path), "kehu")


def _pg_ddl(table: str) -> list[str]:
    return [f"CREATE TABLE {table} (id int, sfzh char(64), sjh char(32), zjhm char(64))",
            *(f"COMMENT ON COLUMN {table}.{column} IS '{comment}'"
              for column, (comment, _p) in COLUMNS.items())]


def test_postgres_bare_digest_comment_agrees_with_check_migrations(pg_db: str,
                                                                   tmp_path: Path) -> None:
    table = unique("kehu")
    with pg_tables(pg_db, table, *_pg_ddl(table)):
        report = scan_json(pg_db, tmp_path)
    _check_scan(report, table)
    (tmp_path / "V1.sql").write_text(";\n".join(_pg_ddl(table)) + ";\n", "utf-8")
    run = subprocess.run([sys.executable, "-m", "pia", "check-migrations", "V1.sql"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    flagged = {line.split(f" {table}.")[1].split()[0] for line in run.stdout.splitlines()
               if f"error {REVERSIBLE}" in line}
    assert flagged == {"sfzh", "sjh"}, run.stdout
    # a comment that says only 哈希 is a warning: the scan reads such digests as unsalted
    warned = {line.split(f" {table}.")[1].split()[0] for line in run.stdout.splitlines()
              if f"warning {REVERSIBLE}" in line}
    assert warned == {"zjhm"}, run.stdout


def test_sqlite_plaintext_passwords_under_a_bare_digest_comment_stay_plaintext(
        tmp_path: Path) -> None:
    """A comment naming an unsalted digest believes no more than one saying only "hash":
    passwords of no digest's shape under ``MD5`` are the passwords themselves."""
    path = tmp_path / "yonghu.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE yonghu (\n  id integer primary key,\n  password text -- MD5\n)")
    conn.executemany("INSERT INTO yonghu VALUES (?, ?)", [(i, f"hunter{i}x") for i in range(30)])
    conn.commit()
    conn.close()
    report = scan_json(f"sqlite:///{path}", tmp_path)
    [item] = [i for i in report["inventory"] if i["location"]["column"] == "password"]
    assert (item["entity_type"], item["protection"]) == ("CREDENTIAL", "plaintext")
    assert "hunter1x" not in json.dumps(report)
