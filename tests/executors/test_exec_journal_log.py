"""The journal as one append-only file: a torn last record (a crash, kill -9, a full disk)
is ignored with the records before it kept; a journal of the layout before (a file per
partition) is resumed; lost partitions are not recorded; no raw value is written."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from exec_util import KEY, body, journal_entries, journal_records, write_logs

from pia.connectors.base import Partition, Plan, ScanContext, ScanOptions, SourceResult
from pia.executors import make_executor
from pia.executors.core import PartitionedExecutor, SerialRunner, StateOptions
from pia.executors.journal import Journal
from pia.masking import Fingerprinter, fingerprinter
from pia.scan import LazyEngine, ScanRequest, run_scan

SECRET = b"s" * 32
MOBILE = "13912345678"


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)


def partitions(n: int) -> list[Partition]:
    return [Partition(connector="files", source="/logs", key=f"/logs/{i}.log@0-9", spec={},
                      state=f"9:{i}", weight=9) for i in range(n)]


def journal(state: Path, resume: bool) -> Journal:
    return Journal(state, "cfg", datetime(2026, 11, 30, tzinfo=UTC), resume, key=SECRET)


def recorded(state: Path, every: list[Partition]) -> list[Partition]:
    """The partitions of ``every`` a resumed journal in ``state`` gives back."""
    again = journal(state, True)
    try:
        return [p for p in every if again.lookup(p) is not None]
    finally:
        again.close()


# (what a crash left at the journal's end, how)
TORN = [
    ("the last record cut short", lambda log, last: log.write_bytes(
        log.read_bytes()[:-len(last) // 2])),
    ("the last record without its newline", lambda log, last: log.write_bytes(
        log.read_bytes()[:-1])),
    ("zeros after it (a power cut)", lambda log, last: log.write_bytes(
        log.read_bytes()[:-len(last)] + b"\0" * 4096)),
    ("a whole line that does not verify", lambda log, last: log.write_bytes(
        log.read_bytes()[:-len(last)] + last[:70] + b"X" + last[71:])),
]


@pytest.mark.parametrize(("what", "tear"), TORN, ids=[t[0] for t in TORN])
def test_a_torn_last_record_is_ignored_and_the_ones_before_kept(
        tmp_path: Path, what: str, tear, capsys: pytest.CaptureFixture[str]) -> None:
    state, every = tmp_path / "state", partitions(5)
    first = journal(state, False)
    for partition in every:
        first.record(partition, json.dumps({"lines": 1}), [])
    first.close()
    log = state / "journal.log"
    tear(log, log.read_bytes().splitlines(keepends=True)[-1])

    resumed = journal(state, True)
    assert [p for p in every if resumed.lookup(p)] == every[:-1]
    assert capsys.readouterr().err == ""  # a crash's expected leftover: nothing to warn of
    # the torn tail is cut off: the next record is not glued to it, and reads back
    resumed.record(every[-1], json.dumps({"lines": 2}), [])
    resumed.close()
    assert recorded(state, every) == every
    assert len(journal_entries(state)) == len(every)


#: records partitions in a journal whose file may not grow past a limit (RLIMIT_FSIZE: the
#: write that crosses it is cut short and the next fails, as on a full disk)
FULL_DISK = """
import json, resource, signal, sys
from datetime import UTC, datetime
from pathlib import Path
from pia.connectors.base import Partition
from pia.executors.journal import Journal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
state, limit = Path(sys.argv[1]), int(sys.argv[2])
journal = Journal(state, "cfg", datetime(2026, 11, 30, tzinfo=UTC), True, key=b"s" * 32,
                  lang=sys.argv[3])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
for i in range(5):
    journal.record(Partition(connector="files", source="/logs", key=f"/logs/{i}.log@0-9",
                             spec={}, state=f"9:{i}", weight=9), json.dumps({"lines": 1}), [])
journal.close()
"""


def full_disk_after(tmp_path: Path, records: float, lang: str) -> tuple[Path, int, int,
                                                                       subprocess.CompletedProcess]:
    """A journal in ``tmp_path/state`` that fills up after ``records`` records, written by a
    process whose warnings speak ``lang``: (state, header size, record size, the run)."""
    state = tmp_path / "state"
    journal(state, False).close()
    header = (state / "journal.log").stat().st_size
    scratch = journal(tmp_path / "scratch", False)
    scratch.record(partitions(1)[0], json.dumps({"lines": 1}), [])
    scratch.close()
    one = (tmp_path / "scratch" / "journal.log").stat().st_size - header  # a record's size
    run = subprocess.run([sys.executable, "-c", FULL_DISK, str(state),
                          str(header + int(one * records)), lang],
                         capture_output=True, text=True, timeout=60)
    return state, header, one, run


def test_a_full_disk_warns_in_the_reports_language(tmp_path: Path) -> None:
    state, _header, _one, run = full_disk_after(tmp_path, 2.5, "zh")
    assert run.returncode == 0, run.stderr
    assert run.stderr == (f"pia：警告：--state {state}：无法写入续扫记录（File too large）；"
                          "此后完成的分区不再记录，--resume 将重新扫描它们\n")


def test_a_full_disk_mid_record_keeps_the_records_before_and_the_scan_goes_on(
        tmp_path: Path) -> None:
    every = partitions(5)
    state, header, one, run = full_disk_after(tmp_path, 2.5, "en")
    assert run.returncode == 0, run.stderr
    assert run.stderr == (f"pia: warning: --state {state}: cannot write the journal (File too"
                          " large); partitions finished from now on are not journaled,"
                          " --resume would scan them again\n")
    # the record cut short was taken back: the file ends with the last whole one
    assert (state / "journal.log").stat().st_size == header + 2 * one
    assert recorded(state, every) == every[:2]


def write_old_layout(state: Path, key: bytes, config: str, now: str,
                     entries: list[tuple[str, bytes]]) -> None:
    """A journal as pia wrote it before version 3: ``journal.json`` and a file per entry,
    each ``<HMAC>\\n<JSON>``."""
    def sealed(config: str, text: bytes) -> bytes:
        return hmac.new(key, config.encode() + b"\0" + text, hashlib.sha256).hexdigest() \
            .encode() + b"\n" + text
    (state / "parts").mkdir(mode=0o700, parents=True)
    state.chmod(0o700)
    (state / "journal.json").write_bytes(sealed("", json.dumps(
        {"version": 2, "config": config, "now": now}).encode()))
    for ident, text in entries:
        (state / "parts" / f"{ident}.json").write_bytes(sealed(config, text))


def old_id(connector: str, source: str, key: str) -> str:
    """A partition's id as version 2 named it: a plain digest of its names."""
    return hashlib.sha256(f"{connector}\0{source}\0{key}".encode()).hexdigest()[:40]


def old_entry(partition: Partition, partial: dict) -> tuple[str, bytes]:
    return old_id(partition.connector, partition.source, partition.key), json.dumps(
        {"connector": partition.connector, "source": partition.source, "key": partition.key,
         "state": partition.state, "events": [], "partial": partial}).encode()


def test_a_journal_of_the_layout_before_is_resumed_and_rewritten_as_one_file(
        tmp_path: Path) -> None:
    state, every = tmp_path / "state", partitions(4)
    entries = [old_entry(p, {"lines": n}) for n, p in enumerate(every[:3])]
    entries[2] = (entries[2][0], entries[2][1].replace(b'"lines": 2', b'"lines": 0'))
    write_old_layout(state, SECRET, "cfg", "2026-11-01T08:00:00+00:00", entries[:2])
    (state / "parts" / f"{entries[2][0]}.json").write_bytes(b"0" * 64 + b"\n" + entries[2][1])
    (state / "parts" / ".tmp-abc.json").write_bytes(b"half")  # a kill's leftover

    resumed = journal(state, True)
    assert resumed.now == datetime(2026, 11, 1, 8, tzinfo=UTC)  # the first run's day
    assert [resumed.lookup(p)["partial"] for p in every[:2]] == [{"lines": 0}, {"lines": 1}]
    assert resumed.lookup(every[2]) is None  # its HMAC does not verify: scanned again
    resumed.record(every[3], "{}", [])
    resumed.close()
    assert os.listdir(state) == ["journal.log"]
    assert recorded(state, every) == [every[0], every[1], every[3]]


def test_a_journal_of_the_layout_before_under_other_options_is_started_over(
        tmp_path: Path) -> None:
    for resume in (True, False):
        state = tmp_path / f"state-{resume}"
        write_old_layout(state, SECRET, "other", "2026-11-01T08:00:00+00:00",
                         [old_entry(p, {}) for p in partitions(2)])
        fresh = journal(state, resume)
        assert fresh.finished() == 0 and fresh.now == datetime(2026, 11, 30, tzinfo=UTC)
        fresh.close()
        assert os.listdir(state) == ["journal.log"]


def scan_logs(logs: Path, state: Path, resume: bool = False) -> tuple[dict, Journal]:
    executor = make_executor("serial", workers=1, state=str(state), resume=resume)
    outcome = run_scan(ScanRequest(sources=[str(logs)], options=ScanOptions(),
                                   executor=executor, executor_name="serial"))
    assert not outcome.failures
    return outcome.report, executor.journal


def test_a_scan_journaled_by_the_pia_before_is_resumed_to_the_same_report(
        tmp_path: Path) -> None:
    """A real scan's journal, turned into the layout before: every partition is reused."""
    write_logs(tmp_path / "logs", files=4, lines=200)
    full, _ = scan_logs(tmp_path / "logs", tmp_path / "state")
    log = tmp_path / "state" / "journal.log"
    header, *records = log.read_bytes().splitlines()
    now = json.loads(header.split(b" ", 2)[2])["now"]
    config = json.loads(header.split(b" ", 2)[2])["config"]
    key = fingerprinter().derive("journal")
    opened = journal_records(tmp_path / "state", key)
    assert len(opened) == len(records)
    log.unlink()
    write_old_layout(tmp_path / "state", key, config, now,
                     [(old_id(r["connector"], r["source"], r["key"]),
                       json.dumps(r, ensure_ascii=False).encode()) for _mac, _id, r in opened])

    resumed, journal_ = scan_logs(tmp_path / "logs", tmp_path / "state", resume=True)
    assert journal_.reused == 4
    assert body(resumed) == body(full)
    assert os.listdir(tmp_path / "state") == ["journal.log"]


class HalfLost:
    """A source of three partitions whose second one is cut short (a lost connection)."""

    name = "halflost"

    def __init__(self) -> None:
        self.scanned: list[str] = []

    def plan(self, uri: str, options: ScanOptions, ctx: ScanContext) -> Plan:
        return Plan(partitions=[Partition(connector="halflost", source=uri, key=f"t{i}",
                                          spec={}, state="s", weight=1) for i in range(3)])

    def scan_partition(self, partition: Partition, options: ScanOptions,
                       ctx: ScanContext) -> dict:
        self.scanned.append(partition.key)
        return {"rows": 1, **({"lost": "connection lost"} if partition.key == "t1" else {})}

    def merge(self, plan: Plan, partials: dict, options: ScanOptions,
              ctx: ScanContext) -> SourceResult:
        return SourceResult()


def test_a_lost_partition_is_not_journaled_so_resume_reads_it_again(tmp_path: Path) -> None:
    ctx = ScanContext(LazyEngine([]), Fingerprinter(KEY.encode()), datetime.now(UTC))
    for resume in (False, True):
        connector = HalfLost()
        with PartitionedExecutor(SerialRunner(),
                                 state=StateOptions(str(tmp_path / "state"), resume)) as run:
            run(connector, "halflost://db", ScanOptions(), ctx)
        assert connector.scanned == (["t1"] if resume else ["t0", "t1", "t2"])
    assert len(journal_entries(tmp_path / "state")) == 2


def test_the_journal_is_one_file_and_holds_no_raw_value(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    write_logs(logs, files=6, lines=50)
    (logs / "contact.log").write_text(f"2026-03-03 10:00:00 INFO 联系电话 {MOBILE}\n",
                                      encoding="utf-8")
    scan_logs(logs, tmp_path / "state")
    assert os.listdir(tmp_path / "state") == ["journal.log"]
    written = (tmp_path / "state" / "journal.log").read_text(encoding="utf-8")
    assert len(journal_entries(tmp_path / "state")) == 7
    opened = json.dumps([r for _mac, _id, r in journal_records(
        tmp_path / "state", fingerprinter().derive("journal"))], ensure_ascii=False)
    assert "139****5678" in opened and MOBILE not in opened and MOBILE not in written


def test_a_resume_compacts_a_journal_of_mostly_superseded_records(tmp_path: Path) -> None:
    """Records of partitions scanned again are appended; a resume keeps the last ones only
    when the superseded outnumber them (the journal grew without end)."""
    state, every = tmp_path / "state", partitions(3)
    first = journal(state, False)
    for round_ in range(3):
        for partition in every:
            first.record(partition, json.dumps({"lines": round_}), [])
    first.close()
    assert len(journal_entries(state)) == 9
    resumed = journal(state, True)
    assert [resumed.lookup(p)["partial"] for p in every] == [{"lines": 2}] * 3
    resumed.close()
    assert len(journal_entries(state)) == 3
    assert recorded(state, every) == every
