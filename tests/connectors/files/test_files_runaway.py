"""A user's runaway pattern stops the scan with a message that says where it ran away: the
file (or archive member, or byte range) and the line, for a log of a million lines."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pia.connectors.base import ScanContext, ScanOptions, scan_serial
from pia.connectors.files import FilesConnector, connector
from pia.connectors.sqlite import SqliteConnector
from pia.detection import yaml_recognizer
from pia.detection.engine import DetectionEngine
from pia.detection.registry import build_registry
from pia.executors.worker import scan_with
from pia.masking import Fingerprinter

RUNAWAY = ("recognizers:\n  - name: A\n    supported_entity: X\n    patterns:\n"
           "      - {name: p, regex: '(a|a)+(?=!!)', score: 0.6}\n")
LINES = ["hello", "a!!", "nothing here", "a" * 34 + "!", "after"]


@pytest.fixture
def runaway_ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ScanContext:
    monkeypatch.setattr(yaml_recognizer, "PATTERN_SECONDS", 0.2)
    recognizers = tmp_path / "mine.yaml"
    recognizers.write_text(RUNAWAY, encoding="utf-8")
    engine = DetectionEngine(build_registry([recognizers], plugins=False))
    return ScanContext(engine=engine, fingerprint=Fingerprinter(b"k" * 32),
                       now=datetime(2026, 1, 1, tzinfo=UTC))


def _message(uri: Path, ctx: ScanContext) -> str:
    with pytest.raises(yaml_recognizer.PatternTimeout) as err:
        scan_serial(FilesConnector(), str(uri), ScanOptions(), ctx)
    return str(err.value)


@pytest.mark.timeout(60)
def test_a_log_file_and_its_line_are_named(tmp_path: Path, runaway_ctx: ScanContext) -> None:
    log = tmp_path / "logs" / "app.log"
    log.parent.mkdir()
    log.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    assert _message(log.parent, runaway_ctx).endswith(
        f"took over 0.2 s on line 4 of {log}: catastrophic backtracking? simplify it")


@pytest.mark.timeout(60)
def test_an_archive_member_is_named(tmp_path: Path, runaway_ctx: ScanContext) -> None:
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("fine.log", "ok\n")
        zf.writestr("app/app.log", "\n".join(LINES))
    assert f"on line 4 of {archive}!app/app.log:" in _message(archive, runaway_ctx)


@pytest.mark.timeout(60)
def test_a_byte_range_says_where_its_lines_are_counted_from(
        tmp_path: Path, runaway_ctx: ScanContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connector, "SPLIT_BYTES", 4096)
    log = tmp_path / "big.log"
    filler = [f"line {i} ok" for i in range(1000)]
    log.write_text("\n".join(filler + LINES) + "\n", encoding="utf-8")
    message = _message(log, runaway_ctx)
    plan = FilesConnector().plan(str(log), ScanOptions(), runaway_ctx)
    last = plan.partitions[-1].spec
    runaway_line = len(filler) + 4
    lines_before = log.read_bytes()[:last["start"]].count(b"\n")
    assert last["start"] > 0
    assert (f"on line {runaway_line - lines_before} of {log} from byte {last['start']}:"
            in message)


@pytest.mark.timeout(60)
def test_a_partition_without_lines_is_named_by_its_key(
        tmp_path: Path, runaway_ctx: ScanContext) -> None:
    import sqlite3

    db = tmp_path / "shop.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.executemany("INSERT INTO notes VALUES (?)", [(line,) for line in LINES])
    conn.close()
    sqlite = SqliteConnector()
    options = ScanOptions()
    [partition] = sqlite.plan(str(db), options, runaway_ctx).partitions
    with pytest.raises(yaml_recognizer.PatternTimeout) as err:
        scan_with(sqlite, partition, options, runaway_ctx)
    assert f"in {partition.key}: catastrophic" in str(err.value)
