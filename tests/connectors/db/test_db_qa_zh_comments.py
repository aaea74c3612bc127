"""What a Chinese column comment says, read by a scan of real PostgreSQL and SQLite (QA zh 2, 3).

- 摘要 alone is a summary (病历摘要, 出院摘要, 内容摘要), not a digest: plaintext under such a
  comment is plaintext and claims nothing, where 哈希, 散列, 消息摘要, 摘要值, 摘要算法 or a hash
  algorithm's name (SM3, SHA-256) claim a hash the plaintext values contradict (an
  algorithm named with no salt or key: an unsalted one).
- ``xm`` is 姓名 or 项目 by its initials: commented 项目名称 it holds project names (no CN_NAME,
  and its values are not read as names either); commented 姓名, or not at all, it holds names.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from db_estate import mobile, name
from db_servers import pg_tables, unique

from pia.report import validation_errors

ROWS = 40
#: column → (comment, what the comment claims over plaintext mobiles: None for nothing)
MOBILE_COMMENTS = {
    "neirong": ("内容摘要", None),
    "chuyuan": ("出院摘要", None),
    "bingli": ("病历摘要", None),
    "zhaiyao": ("摘要", None),
    "zhaiyaozhi": ("手机号摘要值", "hashed"),
    "xiaoxi": ("手机号消息摘要", "hashed"),
    # a bare algorithm named, no salt or key: an unsalted digest, as check-migrations reads it
    "suanfa": ("手机号，摘要算法为 SHA-256", "hashed_unsalted"),
    "sm3": ("手机号（SM3）", "hashed_unsalted"),
    "haxi": ("手机号哈希", "hashed"),
    "sanlie": ("手机号散列", "hashed"),
}
PROJECTS = ("智慧园区一期", "数据中台建设", "财务系统升级", "智能客服二期", "移动办公平台",
            "供应链金融", "数字档案馆", "安全运营中心")


def _notes(seed: int) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    return [(i, *(mobile(rng) for _ in MOBILE_COMMENTS)) for i in range(ROWS)]


#: table → (comment on its ``xm``, whether ``xm`` holds names)
XM_TABLES = {"xiangmu": ("项目名称", False), "renyuan": ("姓名", True), "kehu": (None, True)}


def _xm_rows(seed: int, names: bool) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    return [(i, name(rng) if names else f"{rng.choice(PROJECTS)}{i % 9}") for i in range(ROWS)]


def _scan(uri: str, tmp_path: Path, *extra: str) -> tuple[dict[str, Any], str]:
    out = tmp_path / "r.json"
    run = subprocess.run([sys.executable, "-m", "pia", "scan", uri, *extra, "-q", "--lang", "en",
                          "-o", str(out)], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr  # medium findings: under the default bar
    text = out.read_text(encoding="utf-8")
    return json.loads(text), text


def _check(report: dict[str, Any], text: str, notes: str, xm_tables: dict[str, str],
           rows: list[tuple[Any, ...]]) -> None:
    assert validation_errors(report) == []
    items: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in report["inventory"]:
        loc = item["location"]
        items.setdefault((loc["table"], loc["column"]), []).append(item)
    for column, (comment, claim) in MOBILE_COMMENTS.items():
        [item] = [i for i in items[(notes, column)] if i["entity_type"] == "CN_MOBILE"]
        assert item["protection"] == "plaintext", comment
        assert item["evidence"].get("claimed_protection") == claim, comment
        assert item["evidence"].get("claimed_by") == (claim and "comment"), comment
    # xm commented 项目名称: no name by the initials, none by the values either
    projects = xm_tables["xiangmu"]
    assert (projects, "xm") not in items
    assert not any(loc.get("table") == projects for f in report["findings"]
                   for loc in f["locations"])
    for table in ("renyuan", "kehu"):  # commented 姓名, or not at all: names
        assert [i["entity_type"] for i in items[(xm_tables[table], "xm")]] == ["CN_NAME"]
    for row in rows[:5]:
        assert row[1] not in text


def test_sqlite_summary_and_project_comments(tmp_path: Path) -> None:
    path, notes = tmp_path / "zh.db", _notes(1)
    conn = sqlite3.connect(path)
    defs = ["id integer primary key", *(f"{c} text" for c in MOBILE_COMMENTS)]
    said = ["主键", *(comment for comment, _ in MOBILE_COMMENTS.values())]
    columns = "\n".join(f"  {d}{',' if i < len(defs) - 1 else ''} -- {c}"
                        for i, (d, c) in enumerate(zip(defs, said, strict=True)))
    conn.execute(f"CREATE TABLE notes (\n{columns}\n)")
    conn.executemany(f"INSERT INTO notes VALUES ({', '.join('?' * len(notes[0]))})", notes)
    for seed, (table, (comment, names)) in enumerate(XM_TABLES.items()):
        said = f" -- {comment}" if comment else ""
        conn.execute(f"CREATE TABLE {table} (\n  id integer primary key,\n  xm text{said}\n)")
        conn.executemany(f"INSERT INTO {table} VALUES (?, ?)", _xm_rows(seed, names))
    conn.commit()
    conn.close()
    report, text = _scan(f"sqlite:///{path}", tmp_path)
    _check(report, text, "notes", {t: t for t in XM_TABLES}, notes)


def test_postgres_summary_and_project_comments(pg_db: str, tmp_path: Path) -> None:
    notes_table, notes = unique("notes"), _notes(3)
    xm_tables = {table: unique(table) for table in XM_TABLES}
    columns = ", ".join(f"{c} text" for c in MOBILE_COMMENTS)
    statements: list[Any] = [
        f"CREATE TABLE {notes_table}(id int, {columns})",
        *(f"COMMENT ON COLUMN {notes_table}.{c} IS '{comment}'"
          for c, (comment, _) in MOBILE_COMMENTS.items()),
        (f"INSERT INTO {notes_table} VALUES ({', '.join(['%s'] * len(notes[0]))})", notes)]
    for seed, (table, (comment, names)) in enumerate(XM_TABLES.items()):
        statements.append(f"CREATE TABLE {xm_tables[table]}(id int, xm text)")
        if comment:
            statements.append(f"COMMENT ON COLUMN {xm_tables[table]}.xm IS '{comment}'")
        statements.append((f"INSERT INTO {xm_tables[table]} VALUES (%s, %s)",
                           _xm_rows(seed + 10, names)))
    with pg_tables(pg_db, ", ".join([notes_table, *xm_tables.values()]), *statements):
        report, text = _scan(pg_db, tmp_path)
    _check(report, text, notes_table, xm_tables, notes)
