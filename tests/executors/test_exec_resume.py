"""A scan killed half-way (SIGKILL, Ctrl-C) and resumed reports what an uninterrupted one does."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from exec_util import body, counts, env, journal_entries, load, pia_cmd, run_pia, write_logs

FILES = 16


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("resume")
    write_logs(root / "logs", files=FILES, lines=1200)
    return root


@pytest.fixture(scope="module")
def uninterrupted(tree: Path) -> dict:
    done = run_pia("logs", "--executor", "local", "--workers", "2", "-o", "full.json", cwd=tree)
    assert done.returncode == 0, done.stderr
    report = load(tree / "full.json")
    assert report["scan"]["complete"] is True
    return report


def start_and_interrupt(tree: Path, state: str, sig: int) -> subprocess.Popen:
    """Start a journaled scan; deliver ``sig`` once some, not all, partitions are done."""
    out = "killed.json" if sig == signal.SIGKILL else "interrupted.json"
    proc = subprocess.Popen(pia_cmd("logs", "--state", state, "--executor", "local",
                                    "--workers", "2", "-o", out),
                            cwd=tree, env=env(), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while not journal_entries(tree / state):
        assert proc.poll() is None, f"the scan ended before any partition: {proc.stderr.read()}"
        assert time.monotonic() < deadline, "no partition finished in time"
        time.sleep(0.02)
    if sig == signal.SIGKILL:
        os.killpg(proc.pid, signal.SIGKILL)  # the driver and its workers, at once
    else:
        os.kill(proc.pid, signal.SIGINT)  # what Ctrl-C does to the driver
    proc.wait(timeout=120)
    return proc


def test_sigkill_then_resume_reports_exactly_the_uninterrupted_counts(
        tree: Path, uninterrupted: dict) -> None:
    proc = start_and_interrupt(tree, "state-kill", signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    kept = journal_entries(tree / "state-kill")
    assert 0 < len(kept) < FILES, "the kill must land half-way to prove anything"
    assert not (tree / "killed.json").exists()

    resumed = run_pia("logs", "--state", "state-kill", "--resume", "--executor", "local",
                      "--workers", "2", "-o", "resumed.json", cwd=tree)
    assert resumed.returncode == 0, resumed.stderr
    report = load(tree / "resumed.json")
    assert counts(report) == counts(uninterrupted)
    assert body(report) == body(uninterrupted)
    # the partitions finished before the kill were taken from the journal, not rescanned:
    # recorded once each, while a rescan would have recorded them again
    after = journal_entries(tree / "state-kill")
    assert after[:len(kept)] == kept
    assert len(after) == len(set(after)) == FILES


def test_ctrl_c_writes_an_incomplete_report_and_resume_completes_it(
        tree: Path, uninterrupted: dict) -> None:
    proc = start_and_interrupt(tree, "state-int", signal.SIGINT)
    assert proc.returncode == 130, proc.stderr.read()
    partial = load(tree / "interrupted.json")
    assert partial["scan"]["complete"] is False
    missing = [s for s in partial["skipped"] if "not scanned (interrupted)" in s["reason"]]
    finished = journal_entries(tree / "state-int")
    assert missing and finished
    # each names the file it did not scan (its location was {}, naming nothing)
    assert all(s["location"]["path"].endswith(".log") for s in missing), missing
    assert len(missing) + len(finished) >= FILES
    full = counts(uninterrupted)
    assert all(full[k] >= n for k, n in counts(partial).items())  # a part, never more

    resumed = run_pia("logs", "--state", "state-int", "--resume", "-o", "resumed-int.json",
                      "--executor", "local", "--workers", "2", cwd=tree)
    assert resumed.returncode == 0, resumed.stderr
    assert body(load(tree / "resumed-int.json")) == body(uninterrupted)
