"""The journal refuses what it cannot honour, in one line: a --state it cannot write (a full
disk, a read-only file system), one another scan is using, and a --resume that reuses
nothing says why (QA journal defects 1, 2, 4 and 7)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from exec_util import env, pia_cmd, run_pia, write_logs

from pia.executors.journal import Journal


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A small file system of its own (a real full disk); skipped where it cannot be
    mounted (not root, a container without the capability)."""
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                              str(where)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_full_disk_when_the_journal_starts_is_one_line_and_exit_2(tmp_path: Path) -> None:
    write_logs(tmp_path / "logs", files=3, lines=20)
    with tmpfs(tmp_path / "disk", "64k") as disk:
        with contextlib.suppress(OSError), open(disk / "fill", "wb") as fill:
            while True:
                fill.write(b"\0" * 4096)
                fill.flush()
        for resume in ([], ["--resume"]):
            run = run_pia("logs", "--state", "disk/state", *resume, cwd=tmp_path)
            assert run.returncode == 2, run.stderr
            assert run.stderr.splitlines()[-1] == ("pia: error: --state disk/state: cannot"
                                                   " write the journal (No space left on"
                                                   " device)")
            assert "Traceback" not in run.stderr


def test_a_read_only_state_dir_is_named_as_the_state_dir(tmp_path: Path) -> None:
    write_logs(tmp_path / "logs", files=2, lines=10)
    with tmpfs(tmp_path / "ro", "1m") as ro:
        (ro / "state").mkdir(mode=0o700)
        subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
        run = run_pia("logs", "--state", "ro/state", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert run.stderr == ("pia: error: --state ro/state: cannot write the journal"
                          " (Read-only file system)\n")


def test_a_state_dir_another_scan_is_using_is_refused(tmp_path: Path) -> None:
    write_logs(tmp_path / "logs", files=2, lines=10)
    state = tmp_path / "state"
    other = Journal(state, "cfg", datetime(2026, 11, 30, tzinfo=UTC), False, key=b"s" * 32)
    try:
        run = run_pia("logs", "--state", "state", "--resume", cwd=tmp_path)
        assert run.returncode == 2, run.stderr
        assert run.stderr == ("pia: error: --state state: another pia scan is using it; wait"
                              " for it to end or give another directory\n")
    finally:
        other.close()
    # closed (or its process dead), the lock is gone
    run = run_pia("logs", "--state", "state", cwd=tmp_path)
    assert run.returncode == 0, run.stderr


def test_resume_says_what_it_reused_and_why_it_started_over(tmp_path: Path) -> None:
    write_logs(tmp_path / "logs", files=3, lines=10)
    run = run_pia("logs", "--state", "state", "--resume", "--lang", "en", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines()[0] == ("pia: warning: --resume: there is no journal in"
                                          " state; starting over")
    run = run_pia("logs", "--state", "state", "--resume", "--lang", "en", cwd=tmp_path)
    assert run.stderr.splitlines()[0] == ("pia: --resume: logs: reusing 3 of 3 partitions"
                                          " from state")
    run = run_pia("logs", "--state", "state", "--resume", "--seed", "5", "--lang", "en",
                  cwd=tmp_path)
    assert run.stderr.splitlines()[0] == (
        "pia: warning: --resume: the journal in state was written with other options (scan"
        " options, recognizers or declaration); starting over")
    run = subprocess.run(pia_cmd("logs", "--state", "state", "--resume", "--lang", "en"),
                         cwd=tmp_path, text=True,
                         capture_output=True, env=dict(env(), PIA_FINGERPRINT_KEY="o" * 32))
    assert run.stderr.splitlines()[0] == (
        "pia: warning: --resume: the journal in state is damaged or was written under"
        " another fingerprint key; starting over")


def test_an_os_error_of_no_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """Output to a full device: the system failed, not pia (it was a traceback, exit 1)."""
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "pia", "rulesets", "list"], stdout=full,
                             stderr=subprocess.PIPE, text=True, env=env())
    assert run.returncode == 2
    assert run.stderr == "pia: error: No space left on device\n"


def test_resume_of_a_source_named_otherwise_says_nothing_of_it_is_journaled(
        tmp_path: Path) -> None:
    """``./logs/`` is another source than ``logs`` to the journal: a resume that rescans it
    all says so (it rescanned silently)."""
    write_logs(tmp_path / "logs", files=3, lines=10)
    assert run_pia("logs", "--state", "state", cwd=tmp_path).returncode == 0
    run = run_pia("./logs/", "--state", "state", "--resume", "--lang", "en", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines()[0] == (
        "pia: warning: --resume: ./logs/: none of its 3 partitions is in the journal in state"
        " (a source named otherwise, ./x/ for x, is another source); scanning it all")
