"""``--include`` in a scan of a database and a log directory together (QA estate D4): a
pattern for the tables (``crm.*``) selected no file of the logs, and the scan failed with
``no file of logs is selected``, after the database had been read. Each kind of source now
takes the patterns that select something in it (``pia.source_patterns``); the local files are
checked before anything is connected to. Real PostgreSQL and SQLite, through ``pia scan``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from pia.cli import main

MOBILE = "13812345678"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    monkeypatch.delenv("PIA_DEBUG", raising=False)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "app.log").write_text(f"2026-01-01 12:00:00 phone {MOBILE}\n",
                                               encoding="utf-8")
    (tmp_path / "logs" / "events.jsonl").write_text(json.dumps({"mobile": MOBILE}) + "\n",
                                                    encoding="utf-8")
    db = sqlite3.connect(tmp_path / "shop.db")
    db.execute("CREATE TABLE members (id INTEGER PRIMARY KEY, phone TEXT)")
    db.executemany("INSERT INTO members (phone) VALUES (?)",
                   [(f"1391234{n:04d}",) for n in range(30)])
    db.commit()
    db.close()
    return tmp_path


@pytest.fixture
def crm(pg_db: str) -> str:
    """A PostgreSQL database with a schema ``crm`` of customers' mobiles, and another
    schema the patterns leave out."""
    import psycopg

    with psycopg.connect(pg_db, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS crm")
        conn.execute("CREATE SCHEMA IF NOT EXISTS ops")
        conn.execute("CREATE TABLE IF NOT EXISTS crm.customer (id int primary key,"
                     " mobile text)")
        conn.execute("CREATE TABLE IF NOT EXISTS ops.staff (id int primary key, mobile text)")
        conn.execute("TRUNCATE crm.customer, ops.staff")
        for table in ("crm.customer", "ops.staff"):
            with conn.cursor() as cur:
                cur.executemany(f"INSERT INTO {table} VALUES (%s, %s)",
                                [(n, f"1381234{n:04d}") for n in range(30)])
    return pg_db


def scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, dict[str, Any]]:
    with pytest.raises(SystemExit) as exited:
        main(["scan", *args, "--executor", "serial", "-q", "--lang", "en", "-o", "r.json"])
    err = capsys.readouterr().err
    report = (json.loads(Path("r.json").read_text(encoding="utf-8"))
              if Path("r.json").exists() else {})
    return int(exited.value.code or 0), err, report


def _places(report: dict[str, Any]) -> set[str]:
    out = set()
    for item in report["inventory"]:
        loc = item["location"]
        out.add(loc["path"] if "path" in loc else f"{loc.get('schema')}.{loc['table']}")
    return out


def test_a_schema_pattern_narrows_the_database_and_leaves_the_logs_whole(
        here: Path, capsys: pytest.CaptureFixture[str], crm: str) -> None:
    code, err, report = scan(capsys, crm, "--include", "crm.*", "logs")
    assert code in (0, 1), err
    assert "error" not in err
    assert _places(report) == {"crm.customer", "logs/app.log", "logs/events.jsonl"}
    assert report["scan"]["complete"] is True


def test_a_file_pattern_narrows_the_logs_and_leaves_the_database_whole(
        here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err, report = scan(capsys, "shop.db", "logs", "--include", "*.log")
    assert code in (0, 1), err
    assert "error" not in err
    assert _places(report) == {"main.members", "logs/app.log"}


def test_a_pattern_of_neither_kind_is_still_a_usage_error(
        here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A typo must not pass as a clean audit: it selects no file, so it is the database's,
    and it selects no table there either."""
    code, err, _ = scan(capsys, "logs", "shop.db", "--include", "*.LOG")
    assert code == 2
    assert err.startswith("pia: error: --include '*.LOG' matches no table in sqlite"), err


def test_files_a_pattern_selects_nothing_of_are_refused_before_a_database_is_read(
        here: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The patterns select files of one log directory and none of the other: refused at
    once, not once the database named first has been read."""
    from pia.connectors.sqlite import SqliteConnector

    planned: list[str] = []
    real = SqliteConnector.plan

    def plan(self: SqliteConnector, uri: str, *args: Any) -> Any:
        planned.append(uri)
        return real(self, uri, *args)

    monkeypatch.setattr(SqliteConnector, "plan", plan)
    (here / "other").mkdir()
    (here / "other" / "x.txt").write_text("nothing\n", encoding="utf-8")
    code, err, report = scan(capsys, "shop.db", "logs", "other", "--include", "*.log")
    assert (code, err) == (2, "pia: error: --include '*.log': no file of other is selected"
                              " (1 found)\n")
    assert planned == [] and report == {}
