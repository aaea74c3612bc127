"""An ``accept:`` entry without ``source`` written for one database's table also accepts the
same-named table's finding in every other database of the scan (QA D3: written for a SQLite
shop's members.sjhm, it accepted MariaDB's once both were scanned). pia warns of such an
entry on stderr and lists it in ``scan.declaration.ambiguous_accepts``; ``source:`` narrows it.
Real SQLite and MariaDB sources, through the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from db_servers import mysql_connect

from pia.cli import main
from pia.sample.synth import Synth

ACCEPT = """\
version: 1
organisation: {{name: 示例, ciio: false}}
accept:
  - rule: "PIPL-*"
    location: {{table: members, column: sjhm}}{source}
    reason: 标签迁移计划于 2027Q1 完成
    owner: dpo@example.cn
    expires: 2099-03-31
"""


def _mobiles() -> list[tuple[int, str]]:
    syn = Synth(7)
    return [(i, syn.mobile()) for i in range(40)]


@pytest.fixture
def two_members_tables(tmp_path: Path, my_db: str) -> tuple[Path, str]:
    """A SQLite shop and a MariaDB database, each with a members table of mobiles."""
    shop = tmp_path / "shop.db"
    with sqlite3.connect(shop) as conn:
        conn.execute("CREATE TABLE members (id integer, sjhm text)")
        conn.executemany("INSERT INTO members VALUES (?, ?)", _mobiles())
    conn.close()
    conn = mysql_connect(my_db)
    with conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS members")
        cur.execute("CREATE TABLE members (id int, sjhm varchar(20))")
        cur.executemany("INSERT INTO members VALUES (%s, %s)", _mobiles())
    conn.commit()
    conn.close()
    return shop, my_db


def _scan(tmp_path: Path, sources: list[str], source_key: str,
          capsys: pytest.CaptureFixture[str]) -> tuple[dict, str]:
    config = tmp_path / "pia.yaml"
    config.write_text(ACCEPT.format(source=source_key), encoding="utf-8")
    out = tmp_path / "r.json"
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", *sources, "--config", str(config), "-q", "--executor", "serial",
              "-o", str(out), "--lang", "en"])
    assert exit_info.value.code in (0, 1)
    return json.loads(out.read_text(encoding="utf-8")), capsys.readouterr().err


def _accepted_sources(report: dict) -> set[str]:
    return {f["source"] for f in report["findings"] if f["status"] == "accepted"}


def test_an_accept_without_source_matching_two_databases_is_warned_of(
        tmp_path, two_members_tables, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    shop, mysql = two_members_tables
    report, err = _scan(tmp_path, [str(shop), mysql], "", capsys)
    # still accepted in both (the documented meaning of an entry without source), but said
    assert _accepted_sources(report) == {str(shop), mysql}
    entry = f"{tmp_path / 'pia.yaml'}:4: rule PIPL-*: {', '.join(sorted([str(shop), mysql]))}"
    assert report["scan"]["declaration"]["ambiguous_accepts"] == [entry]
    assert (f"pia: warning: {entry}: this accept entry names no source and its location is "
            "in each of these sources") in err


def test_source_narrows_the_accept_to_its_database_and_nothing_is_warned(
        tmp_path, two_members_tables, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    shop, mysql = two_members_tables
    report, err = _scan(tmp_path, [str(shop), mysql], "\n    source: shop.db", capsys)
    assert _accepted_sources(report) == {str(shop)}
    assert report["scan"]["declaration"]["ambiguous_accepts"] == []
    assert "names no source" not in err


def test_an_accept_without_source_in_a_one_source_scan_is_not_ambiguous(
        tmp_path, two_members_tables, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    shop, _mysql = two_members_tables
    report, err = _scan(tmp_path, [str(shop)], "", capsys)
    assert _accepted_sources(report) == {str(shop)}
    assert report["scan"]["declaration"]["ambiguous_accepts"] == []
    assert "names no source" not in err
