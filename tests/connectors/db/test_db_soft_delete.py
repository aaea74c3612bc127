"""PIPL-47-DELETE on real SQLite, PostgreSQL and MariaDB tables, through the CLI: rows a table
marks deleted (``deleted_at``, a flag) that still hold PI after the grace period fire it
(exit 1); rows deleted within it, rows whose PI was cleared and a table with none deleted do
not; a flag without a time leaves it undecided. The counts come from the rows the scan reads,
the report quotes no value, and ``deleted_by`` and ``delete_reason`` are no markers."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from db_servers import mysql_tables, pg_tables, unique

RULE = "PIPL-47-DELETE"
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄晓明", "周杰", "吴刚"]
NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
OLD = NOW - dt.timedelta(days=400)  # past the default 30 days, within a declared P2Y
RECENT = NOW - dt.timedelta(days=3)


def mobile(i: int, table: int) -> str:
    return f"13{table}{i:08d}"


def rows(prefix: str, flag: tuple[str, str]) -> dict[str, tuple[str, list[tuple[Any, ...]]]]:
    """Each table's DDL columns and rows; ``flag`` is the engine's (column type, deleted)."""
    users = [(i, NAMES[i % 10], mobile(i, 8),
              OLD if i < 5 else RECENT if i < 8 else None,
              "admin" if i < 8 else None, "用户申请注销" if i < 8 else None)
             for i in range(20)]
    members = [(i, mobile(i, 9), RECENT if i < 3 else None) for i in range(10)]
    # rows deleted long ago whose PI was cleared when they were: compliant
    cleared = [(i, None if i < 5 else mobile(i, 7), OLD if i < 5 else None) for i in range(10)]
    live = [(i, mobile(i, 6), None) for i in range(10)]
    flags = [(i, mobile(i, 5), flag[1] if i < 3 else "0") for i in range(10)]
    return {
        f"{prefix}_users": ("id int primary key, name varchar(20), mobile varchar(20), "
                            "deleted_at {time}, deleted_by varchar(20), "
                            "delete_reason varchar(40)", users),
        f"{prefix}_members": ("id int primary key, sjh varchar(20), deleted_at {time}", members),
        f"{prefix}_cleared": ("id int primary key, mobile varchar(20), deleted_at {time}",
                              cleared),
        f"{prefix}_live": ("id int primary key, mobile varchar(20), is_deleted {time}", live),
        f"{prefix}_flags": (f"id int primary key, mobile varchar(20), del_flag {flag[0]}", flags),
    }


def statements(prefix: str, time: str, flag: tuple[str, str], mark: str) -> list[Any]:
    out: list[Any] = []
    for table, (columns, values) in rows(prefix, flag).items():
        out.append(f"CREATE TABLE {table}({columns.format(time=time)})")
        marks = ", ".join([mark] * len(values[0]))
        out.append((f"INSERT INTO {table} VALUES ({marks})", values))
    return out


@contextmanager
def sqlite_db(tmp_path: Path, prefix: str) -> Iterator[str]:
    path = tmp_path / "shop.db"
    conn = sqlite3.connect(path)
    for statement in statements(prefix, "text", ("int", "1"), "?"):
        if isinstance(statement, str):
            conn.execute(statement)
        else:
            conn.executemany(statement[0], [tuple(str(v) if isinstance(v, dt.datetime) else v
                                                  for v in row) for row in statement[1]])
    conn.commit()
    conn.close()
    yield str(path)


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def estate(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """(engine, source, table prefix): the five tables of ``rows`` on one engine. The flags
    are each engine's usual: an integer, a boolean, RuoYi's char '2'."""
    prefix = unique("sd")
    names = ", ".join(rows(prefix, ("", ""))) if request.param != "sqlite" else ""
    if request.param == "sqlite":
        with sqlite_db(tmp_path, prefix) as source:
            yield request.param, source, prefix
    elif request.param == "postgresql":
        dsn = request.getfixturevalue("pg_db")
        with pg_tables(dsn, names, *statements(prefix, "timestamptz", ("boolean", "true"),
                                                "%s")):
            yield request.param, dsn, prefix
    else:
        dsn = request.getfixturevalue("my_db")
        with mysql_tables(dsn, names, *statements(prefix, "datetime", ("char(1)", "2"), "%s")):
            yield request.param, dsn, prefix


def scan(source: str, prefix: str, tmp_path: Path, *extra: str) -> tuple[int, str]:
    out = tmp_path / "r.json"
    run = subprocess.run([sys.executable, "-m", "pia", "scan", source, "-q", "--format", "json",
                          "-o", str(out), "--include", f"{prefix}_*", *extra],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr
    return run.returncode, out.read_text(encoding="utf-8")


def markers(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(f["location"]["table"].split("_")[-1], f["location"]["column"]): f["attributes"]
            for f in report["facts"] if "soft_delete" in f["attributes"]}


def test_rows_deleted_past_the_grace_period_still_holding_pi(
        estate: tuple[str, str, str], tmp_path: Path) -> None:
    engine, source, prefix = estate
    code, text = scan(source, prefix, tmp_path)
    report = json.loads(text)
    found = [f for f in report["findings"] if f["rule_id"] == RULE]
    assert code == 1
    assert [(loc["table"], loc["column"]) for f in found for loc in f["locations"]] == [
        (f"{prefix}_users", "deleted_at")], engine
    evidence = found[0]["evidence"]
    assert evidence["marker"] == "timestamp"
    assert (evidence["rows_read"], evidence["from_sample"]) == (20, False)
    assert (evidence["deleted_rows"], evidence["deleted_holding_pi"]) == (8, 8)
    assert evidence["past_grace_holding_pi"] == 5
    assert (evidence["grace_days"], evidence["grace_from"]) == (30, "default")
    assert 399 <= evidence["oldest_deletion_days"] <= 401
    assert set(evidence["entity_types"]) >= {"CN_MOBILE"}
    facts = markers(report)
    # who deleted a row and why are no markers; a table whose deleted rows were cleared, one
    # deleted within the period and one with none deleted hold nothing past the period
    assert set(facts) == {("users", "deleted_at"), ("members", "deleted_at"),
                          ("cleared", "deleted_at"), ("live", "is_deleted"),
                          ("flags", "del_flag")}
    assert facts[("cleared", "deleted_at")]["soft_delete"]["deleted_with_pi"] == 0
    assert facts[("members", "deleted_at")]["soft_delete"]["past_grace_with_pi"] == 0
    assert facts[("live", "is_deleted")]["soft_delete"]["deleted_rows"] == 0
    assert facts[("flags", "del_flag")]["soft_delete"]["marker"] == "flag"
    assert facts[("flags", "del_flag")]["soft_delete"]["deleted_with_pi"] == 3
    undecided = [n for n in report["not_evaluated"] if n["rule_id"] == RULE]
    assert [n["location"]["table"] for n in undecided] == [f"{prefix}_flags"]
    assert "flagged deleted" in undecided[0]["reason"]
    # the evidence counts rows and dates them: it quotes no name or mobile
    for table in (5, 6, 7, 8, 9):
        assert not any(mobile(i, table) in text for i in range(20))
    assert not any(name in text for name in NAMES[1:])


def test_a_declared_grace_period_covers_them(estate: tuple[str, str, str],
                                             tmp_path: Path) -> None:
    """The asset keeps deleted accounts two years (P2Y): the 400-day-old deletions are
    within it, nothing high is left, exit 0; the marker says whose period it counted with."""
    engine, source, prefix = estate
    config = tmp_path / "pia.yaml"
    config.write_text(json.dumps({"version": 1, "assets": [
        {"id": "shop", "source": source, "retention": {"deletion_grace": "P2Y"}}]}),
        encoding="utf-8")
    code, text = scan(source, prefix, tmp_path, "--config", str(config))
    report = json.loads(text)
    assert [f for f in report["findings"] if f["rule_id"] == RULE] == []
    assert code == 0, [f["rule_id"] for f in report["findings"]]
    mark = markers(report)[("users", "deleted_at")]["soft_delete"]
    assert (mark["grace_days"], mark["grace_from"], mark["past_grace_with_pi"]) == (
        730, "asset", 0), engine


def test_a_sample_counts_the_rows_it_reads_and_says_so(tmp_path: Path) -> None:
    """300 users, every third deleted 400 days ago: a 60-row sample counts its own rows
    and scales the rows past the period to the table; ``--full`` counts all of them."""
    path = tmp_path / "big.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE sd_users(id integer primary key, mobile text, deleted_at text)")
    conn.executemany("INSERT INTO sd_users VALUES (?, ?, ?)",
                     [(i, mobile(i, 8), str(OLD) if i % 3 == 0 else None)
                      for i in range(1, 301)])
    conn.commit()
    conn.close()
    code, text = scan(str(path), "sd", tmp_path, "--sample", "60")
    mark = markers(json.loads(text))[("users", "deleted_at")]["soft_delete"]
    assert code == 1
    assert mark["sampled"] is True and mark["rows_read"] < 300
    assert mark["past_grace_estimate"] == round(mark["past_grace_with_pi"] * 300
                                                / mark["rows_read"])
    assert 50 <= mark["past_grace_estimate"] <= 150
    code, text = scan(str(path), "sd", tmp_path, "--full")
    mark = markers(json.loads(text))[("users", "deleted_at")]["soft_delete"]
    assert (mark["sampled"], mark["rows_read"], mark["past_grace_with_pi"]) == (False, 300, 100)
    assert mark["past_grace_estimate"] == 100


def test_a_masked_value_is_no_pi_held_and_a_star_alone_no_mask(tmp_path: Path) -> None:
    """Rows deleted 400 days ago: a mobile masked ``138****5678`` holds no PI any more; its
    SHA-256 hex still does (an unsalted digest, reversed by enumerating mobiles, as
    protection reads it) and so does the plaintext. An address with a star in its local part
    (``li*na@example.com``, legal as it is) was taken for a mask by a plain star check: it
    holds the address; ``z***@example.com`` is a mask."""
    path = tmp_path / "accounts.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE sd_phones(id integer primary key, mobile text, deleted_at text)")
    live = [(i, mobile(i, 8), None) for i in range(9)]
    digest = hashlib.sha256(mobile(10, 8).encode()).hexdigest()
    deleted = [(9, "138****5678", str(OLD)), (10, digest, str(OLD)),
               (11, mobile(11, 8), str(OLD))]
    conn.executemany("INSERT INTO sd_phones VALUES (?, ?, ?)", live + deleted)
    conn.execute("CREATE TABLE sd_mail(id integer primary key, email text, deleted_at text)")
    conn.executemany("INSERT INTO sd_mail VALUES (?, ?, ?)",
                     [(i, f"user{i}.qa@example.com", None) for i in range(9)]
                     + [(9, "z***@example.com", str(OLD)), (10, "li*na@example.com", str(OLD))])
    conn.commit()
    conn.close()
    code, text = scan(str(path), "sd", tmp_path)
    facts = markers(json.loads(text))
    phones = facts[("phones", "deleted_at")]["soft_delete"]
    assert (phones["deleted_rows"], phones["deleted_with_pi"]) == (3, 2)
    mail = facts[("mail", "deleted_at")]["soft_delete"]
    assert (mail["deleted_rows"], mail["deleted_with_pi"], mail["past_grace_with_pi"]) == (
        2, 1, 1)
    assert code == 1
    assert "li*na" not in text and digest not in text and mobile(11, 8) not in text
