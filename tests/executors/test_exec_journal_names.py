"""The journal keeps no name in clear: files, directories and tables named by a resident's ID
or a mobile (QA finding 2: ``exports/110105197001056458/app.log`` and the table
``u_13149081935`` were written raw into ``key`` and ``location.path``), and a scan interrupted
among such names still resumes; a journal of the version that kept them is started over."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from exec_util import KEY, body, run_pia

from pia.connectors.base import ScanOptions
from pia.executors import make_executor
from pia.executors.journal import HEADER_ID, sealed_line
from pia.scan import ScanRequest, run_scan

ID_DIR = "110105197001056458"
MOBILE_FILE = "13908302983"
MOBILE_TABLE = "13149081935"
#: what the names hold, and their parts a plain digest or a half-masked name would keep
RAW = [ID_DIR, MOBILE_FILE, MOBILE_TABLE, "19700105", "9081935", "8302983"]


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)


def make_named_estate(root: Path) -> list[str]:
    """A log tree and a SQLite database whose names are people's numbers; the sources."""
    logs = root / "exports"
    (logs / ID_DIR).mkdir(parents=True)
    (logs / ID_DIR / "app.log").write_text(
        "".join(f"2026-03-0{1 + n % 9} 10:00:00 INFO order {n} shipped\n" for n in range(40)),
        encoding="utf-8")
    (logs / f"客户{MOBILE_FILE}.csv").write_text("name,city\n张三,北京\n李四,上海\n",
                                                encoding="utf-8")
    (logs / "orders.log").write_text("2026-03-01 10:00:00 INFO 联系电话 13912345678\n",
                                     encoding="utf-8")
    database = root / "shop.db"
    with sqlite3.connect(database) as conn:
        conn.execute(f"CREATE TABLE u_{MOBILE_TABLE} (id INTEGER, note TEXT)")
        conn.execute(f"INSERT INTO u_{MOBILE_TABLE} VALUES (1, 'vip')")
        conn.execute("CREATE TABLE kehu (id INTEGER, phone TEXT)")
        conn.executemany("INSERT INTO kehu VALUES (?, ?)",
                         [(n, f"1391234{n:04d}") for n in range(20)])
    conn.close()
    return [str(logs), str(database)]


def scan(sources: list[str], state: Path, resume: bool = False):
    executor = make_executor("serial", workers=1, state=str(state), resume=resume)
    outcome = run_scan(ScanRequest(sources=sources, options=ScanOptions(),
                                   executor=executor, executor_name="serial"))
    assert not outcome.failures
    return outcome.report, executor.journal


def test_the_journal_holds_no_name_of_a_file_directory_or_table(tmp_path: Path) -> None:
    full, journal = scan(make_named_estate(tmp_path), tmp_path / "state")
    assert journal.finished() >= 5
    written = (tmp_path / "state" / "journal.log").read_bytes()
    for raw in RAW:
        assert raw.encode() not in written, raw
    # the report still names them, masked and fingerprinted
    assert ID_DIR not in json.dumps(full, ensure_ascii=False)


def test_a_scan_interrupted_among_such_names_resumes_to_the_same_report(
        tmp_path: Path) -> None:
    sources = make_named_estate(tmp_path)
    full, journal = scan(sources, tmp_path / "state")
    total = journal.finished()
    log = tmp_path / "state" / "journal.log"
    header, *records = log.read_bytes().splitlines(keepends=True)
    kept = records[:total - 2]
    log.write_bytes(header + b"".join(kept) + records[total - 2][:30])  # a kill mid-write

    resumed, journal = scan(sources, tmp_path / "state", resume=True)
    assert journal.reused == len(kept)
    assert body(resumed) == body(full)
    again, journal = scan(sources, tmp_path / "state", resume=True)
    assert journal.reused == total
    assert body(again) == body(full)


def test_a_journal_that_kept_names_in_clear_is_started_over_and_replaced(
        tmp_path: Path) -> None:
    """A version 3 journal (names in clear) is not read: --resume says it was written by
    another pia and starts over, and the file it leaves holds no name."""
    make_named_estate(tmp_path)
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    from pia.masking import fingerprinter

    key = fingerprinter().derive("journal")
    header = sealed_line(key, "", HEADER_ID, json.dumps(
        {"version": 3, "config": "c", "now": datetime(2026, 11, 1, tzinfo=UTC).isoformat()})
        .encode())
    record = sealed_line(key, "c", "0" * 40, json.dumps(
        {"connector": "files", "source": "exports", "key": f"exports/{ID_DIR}/app.log@0-43",
         "state": "1", "events": [], "partial": {}}).encode())
    (state / "journal.log").write_bytes(header + record)

    run = run_pia("exports", "--state", "state", "--resume", "--lang", "en", cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr  # 1: the names are findings of their own
    assert run.stderr.splitlines()[0] == (
        "pia: warning: --resume: the journal in state was written by another version of pia;"
        " starting over")
    assert ID_DIR.encode() not in (state / "journal.log").read_bytes()
