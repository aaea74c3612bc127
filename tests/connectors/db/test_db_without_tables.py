"""A database with no table in scope is a source that could not be opened, as a directory
with no file under it is (QA: a 0-byte ``empty.db``, a typo's leftover, scanned as a clean
audit of nothing, exit 0)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pia.cli import main


def _scan(argv: list[str], capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(["scan", "-q", *argv])
    return done.value.code, capsys.readouterr().err


@pytest.fixture
def here(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    (tmp_path / "empty.db").write_bytes(b"")
    with sqlite3.connect(tmp_path / "bare.db") as db:  # a database, but no table in it
        db.execute("PRAGMA user_version = 1")
    db.close()
    return tmp_path


@pytest.mark.parametrize("name", ["empty.db", "bare.db"])
def test_a_database_without_a_table_is_an_error_and_nothing_is_written(here, capsys, name):
    code, err = _scan([name, "-o", "r.json"], capsys)
    assert code == 2 and not (here / "r.json").exists()
    assert err == (f"pia: error: no table in sqlite {name} (views are scanned only with"
                   " --views)\n")


def test_beside_a_source_that_opens_it_is_skipped_in_the_report(here, capsys):
    (here / "app.log").write_text("2026-05-01 10:00:01 INFO 手机号=13912345994\n",
                                  encoding="utf-8")
    code, err = _scan(["app.log", "empty.db", "-o", "r.json"], capsys)
    assert code == 2 and "no table in sqlite empty.db" in err
    report = json.loads((here / "r.json").read_text(encoding="utf-8"))
    assert report["scan"]["complete"] is False and report["inventory"]
    assert [s["source"] for s in report["skipped"]] == ["empty.db"]
