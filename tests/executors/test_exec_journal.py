"""The journal: what a resume reuses, what it scans again, and how entries are written."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from exec_util import KEY, body, counts, journal_entries, journal_records, write_logs

from pia.connectors.base import ScanOptions
from pia.errors import UsageError
from pia.executors import make_executor
from pia.executors.journal import write_atomic
from pia.executors.journal_seal import Sealer
from pia.masking import fingerprinter
from pia.scan import ScanRequest, run_scan

MOBILE = "13912345678"


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)


def scan(sources: list[str], state: Path | None = None, resume: bool = False,
         sample: int = 1000):
    executor = make_executor("serial", workers=1, state=str(state) if state else None,
                             resume=resume)
    outcome = run_scan(ScanRequest(sources=sources, options=ScanOptions(sample=sample),
                                   executor=executor, executor_name="serial"))
    assert not outcome.failures
    return outcome.report, executor.journal


def append_line(path: Path) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"2026-03-03 10:00:00 INFO 联系电话 {MOBILE}\n")


def add_rows(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.executemany("INSERT INTO users (sjh) VALUES (?)", [(MOBILE,)] * 7)


def touch_only(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))


def make_estate(root: Path) -> tuple[Path, Path]:
    files = write_logs(root / "logs", files=4, lines=300)
    db = root / "users.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, sjh TEXT)")
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.executemany("INSERT INTO users (sjh) VALUES (?)", [("13800138000",)] * 20)
        conn.executemany("INSERT INTO notes (body) VALUES (?)", [("hello",)] * 5)
    return files[0], db


# (what changes between the runs, partitions scanned again)
CHANGES = [
    ("nothing", lambda log, db: None, 0),
    ("a line appended to one log", lambda log, db: append_line(log), 1),
    ("one log's mtime only", lambda log, db: touch_only(log), 1),
    # SQLite tells the file's version, not a table's: every table of that file is rescanned
    ("rows added to one table", lambda log, db: add_rows(db), 2),
]


@pytest.mark.parametrize(("what", "change", "rescanned"), CHANGES, ids=[c[0] for c in CHANGES])
def test_a_changed_source_invalidates_only_its_partitions(tmp_path: Path, what, change,
                                                          rescanned: int) -> None:
    log, db = make_estate(tmp_path)
    sources = [str(tmp_path / "logs"), str(db)]
    first, journal = scan(sources, tmp_path / "state")
    total = len(journal_entries(tmp_path / "state"))
    assert total == 6 and journal.reused == 0  # 4 logs, 2 tables

    change(log, db)
    resumed, journal = scan(sources, tmp_path / "state", resume=True)
    fresh, _ = scan(sources)
    assert journal.reused == total - rescanned
    assert body(resumed) == body(fresh)
    if what != "nothing" and "mtime" not in what:
        assert counts(resumed) != counts(first)  # the change is visible, not a stale copy


def test_other_options_discard_the_journal(tmp_path: Path) -> None:
    make_estate(tmp_path)
    sources = [str(tmp_path / "logs")]
    scan(sources, tmp_path / "state")
    _, journal = scan(sources, tmp_path / "state", resume=True, sample=10)
    assert journal.reused == 0
    _, journal = scan(sources, tmp_path / "state", resume=True, sample=10)
    assert journal.reused == 4


def test_without_resume_a_state_directory_starts_over(tmp_path: Path) -> None:
    make_estate(tmp_path)
    sources = [str(tmp_path / "logs")]
    scan(sources, tmp_path / "state")
    _, journal = scan(sources, tmp_path / "state")
    assert journal.reused == 0 and len(journal_entries(tmp_path / "state")) == 4


def rewrite_records(state: Path, change) -> None:
    """Replace each record line of the journal (after its header) by ``change(n, line)``."""
    log = state / "journal.log"
    header, *records = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(header + b"".join(change(n, line) for n, line in enumerate(records)))


def test_a_damaged_record_mid_journal_is_scanned_again_with_a_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A record that does not verify, with good ones after it (a power cut that wrote pages
    out of order, an edit): its partition is scanned again, the others are kept, one line
    says so, and nothing raises."""
    make_estate(tmp_path)
    sources = [str(tmp_path / "logs")]
    full, _ = scan(sources, tmp_path / "state")

    def damage(n: int, line: bytes) -> bytes:
        if n == 0:  # torn in the middle: a crash's leftovers, or bytes out of order
            return line[:len(line) // 2] + b"\0" * 40 + b"\n"
        if n == 1:  # another key, its HMAC kept: a record someone edited
            mac, ident, text = line.split(b" ", 2)
            data = json.loads(text)
            return b" ".join([mac, ident, json.dumps({**data, "key": "elsewhere"}).encode()]) \
                + b"\n"
        return line
    state = tmp_path / "state"
    rewrite_records(state, damage)
    header, first, *_ = (state / "journal.log").read_bytes().splitlines(keepends=True)
    capsys.readouterr()
    resumed, journal = scan(sources, state, resume=True)
    assert journal.reused == 2
    assert body(resumed) == body(full)
    assert capsys.readouterr().err.splitlines() == [
        f"pia: warning: --state {state}: line {n} of journal.log (byte {offset}) is damaged;"
        " what it held is scanned again, and it is removed"
        for n, offset in ((2, len(header)), (3, len(header) + len(first)))] + [
        f"pia: --resume: {sources[0]}: reusing 2 of 4 partitions from {state}"]
    # removed, it is not warned of again (a second resume warned of it, untruly: its
    # partition's good record, appended after it, was reused)
    again, journal = scan(sources, state, resume=True)
    assert journal.reused == 4
    assert body(again) == body(full)
    assert capsys.readouterr().err.splitlines() == [
        f"pia: --resume: {sources[0]}: reusing 4 of 4 partitions from {state}"]
    assert len((state / "journal.log").read_bytes().splitlines()) == 5


def test_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "entry.json"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["entry.json"]


# (executor, arguments, message)
USAGE = [
    ("serial", {"resume": True}, "--resume needs --state"),
    ("threads", {}, "--executor must be one of"),
    ("local", {"workers": 0}, "--workers must be at least 1"),
    ("local", {"scheduler": "tcp://127.0.0.1:8786"}, "--scheduler is for --executor dask"),
]


@pytest.mark.parametrize(("name", "kwargs", "message"), USAGE)
def test_impossible_asks_are_usage_errors(name: str, kwargs: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        make_executor(name, **{"workers": 2, **kwargs})


def test_dask_without_the_extra_names_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "pia.executors.dask", raising=False)
    with pytest.raises(UsageError, match=r'pip install "\.\[dask\]" in a pia checkout'):
        make_executor("dask", workers=2)


def test_a_worker_setup_never_shows_its_secrets() -> None:
    from datetime import UTC, datetime

    from pia.executors.worker import WorkerSetup
    from pia.masking import Fingerprinter

    setup = WorkerSetup("t0", Fingerprinter(KEY.encode()), datetime.now(UTC),
                        secrets={"postgresql://u:***@h/db": "postgresql://u:Hunter2pw@h/db"})
    assert "Hunter2pw" not in repr(setup) and KEY not in repr(setup)
    assert "t0" in repr(setup)


def test_a_parts_symlink_is_refused_and_its_target_left_alone(tmp_path: Path) -> None:
    """Another user points ``parts`` of a shared state dir at a directory pia would empty."""
    make_estate(tmp_path)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "id_ed25519").write_text("a")
    (tmp_path / "state").mkdir(mode=0o700)
    (tmp_path / "state" / "parts").symlink_to(precious)
    with pytest.raises(UsageError, match="parts: is a symbolic link; refusing"):
        scan([str(tmp_path / "logs")], tmp_path / "state")
    assert [p.name for p in precious.iterdir()] == ["id_ed25519"]


# (how the state directory was prepared, message)
UNSAFE_STATE = [
    ("a symlink", "is a symbolic link"),
    ("writable by others", "is writable by other users"),
    ("another user's", "is owned by another user"),
]


@pytest.mark.parametrize(("how", "message"), UNSAFE_STATE, ids=[u[0] for u in UNSAFE_STATE])
def test_a_state_directory_others_control_is_refused(tmp_path: Path, how: str, message: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    make_estate(tmp_path)
    state = tmp_path / "state"
    if how == "a symlink":
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        state.symlink_to(tmp_path / "elsewhere")
    else:
        state.mkdir(mode=0o700)
        if how == "writable by others":
            state.chmod(0o777)
        else:  # as if another uid owned it (tests create no users)
            uid = os.getuid()
            monkeypatch.setattr(os, "getuid", lambda: uid + 1)
    with pytest.raises(UsageError, match=message):
        scan([str(tmp_path / "logs")], state)


def test_a_forged_entry_is_scanned_again_on_resume(tmp_path: Path) -> None:
    """Entries whose partials were emptied by someone without the key do not hide findings."""
    make_estate(tmp_path)
    sources = [str(tmp_path / "logs")]
    full, _ = scan(sources, tmp_path / "state")

    # the forger is given the sealing (the worst case): only the line's HMAC is left wrong
    key = fingerprinter().derive("journal")
    config = json.loads((tmp_path / "state" / "journal.log").read_bytes()
                        .split(b"\n")[0].split(b" ", 2)[2])["config"]
    opened = journal_records(tmp_path / "state", key)

    def forge(n: int, _line: bytes) -> bytes:
        mac, ident, data = opened[n]
        data["partial"] = {k: type(v)() for k, v in data["partial"].items()}
        sealed = Sealer(key).seal(ident, config, json.dumps(data).encode())
        return b" ".join([mac, ident.encode(), sealed]) + b"\n"
    rewrite_records(tmp_path / "state", forge)
    resumed, journal = scan(sources, tmp_path / "state", resume=True)
    assert journal.reused == 0
    assert body(resumed) == body(full)
