"""SIGTERM or SIGINT sent to the whole process group of `pia scan`, as ``timeout(1)``,
systemd (``KillMode=control-group``) and Ctrl-C at a terminal do.

The workers of the local pool got the signal too: they died, the driver lost its pool and
wrote no report, "pia: terminated" came out twice, and a SIGTERM in the first seconds killed
pia without a word. Each test starts a real scan in its own session, waits for a moment of
it (a file it writes, a worker it starts), signals the group with ``os.killpg`` and checks
the exit code, the one message, the partial report, and that no process of the group is left.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from exec_util import env, journal_entries, parent, processes, write_logs

from pia.report import validation_errors

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

#: how long a scan may take to reach a moment, or to end once signalled, on a busy machine
PATIENCE = 120


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight log files of 1,500 lines: enough for two workers to be busy a while."""
    root = tmp_path_factory.mktemp("group")
    write_logs(root / "logs", files=8, lines=1500, seed=11)
    return root


def _group(pgid: int) -> list[int]:
    return processes("pgrp", pgid)


def _workers(pgid: int) -> list[int]:
    """Pool workers in the group: forkserver children that are not the forkserver."""
    out = []
    for pid in _group(pgid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            parent_cmd = Path(f"/proc/{parent(pid)}/cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if b"forkserver" in cmdline and b"forkserver" in parent_cmd:
            out.append(pid)
    return out


def _signal_group(root: Path, name: str, ready: Callable[[subprocess.Popen, Path], bool],
                  signum: int, *extra: str) -> tuple[int, str, Path]:
    """Run a scan writing ``name``.json and a ``--state`` journal, signal its group once
    ``ready``; the exit code, stderr and the report's path."""
    report, state = root / f"{name}.json", root / f"{name}-state"
    report.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pia", "scan", "logs", "--executor", "local", "--workers", "2",
         "--state", str(state), "-o", str(report), "--fail-on", "none", *extra],
        cwd=root, env=env(), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + PATIENCE
    try:
        while not ready(proc, state):
            assert proc.poll() is None, f"the scan ended first: {proc.stderr.read()}"
            assert time.monotonic() < deadline, "the scan did not get there in time"
            time.sleep(0.02)
        os.killpg(proc.pid, signum)
        _, err = proc.communicate(timeout=PATIENCE)
        while _group(proc.pid) and time.monotonic() < deadline:  # the forkserver, tracker
            time.sleep(0.05)
        assert not _group(proc.pid), f"left behind: {_group(proc.pid)}"
    finally:
        if proc.poll() is None or _group(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.returncode, err, report


def _started(proc: subprocess.Popen, state: Path) -> bool:
    """The command runs (its journal directory exists) and has read nothing yet."""
    return state.is_dir()


def _journaled(proc: subprocess.Popen, state: Path) -> bool:
    """Workers run and at least one partition is done (journaled)."""
    return bool(journal_entries(state)) and bool(_workers(proc.pid))


def _valid(report: Path) -> dict:
    data = json.loads(report.read_text(encoding="utf-8"))
    assert validation_errors(data) == []
    assert data["scan"]["complete"] is False
    return data


@pytest.mark.parametrize(("signum", "code", "word"), [(signal.SIGTERM, 143, "terminated"),
                                                      (signal.SIGINT, 130, "interrupted")])
def test_a_group_signal_mid_scan_keeps_what_finished(estate: Path, signum: int, code: int,
                                                     word: str) -> None:
    rc, err, report = _signal_group(estate, f"mid{int(signum)}", _journaled, signum)
    assert rc == code, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err, err
    assert [line for line in lines if line.startswith("pia: ") and word in line] == [
        f"pia: {word}; the report above is partial (complete: false); rerun with --state"
        f" {estate}/mid{int(signum)}-state --resume to finish it"]
    data = _valid(report)
    assert data["inventory"]  # what the finished partitions found is kept
    assert any(s["reason"].endswith("(interrupted)") for s in data["skipped"])


def test_a_group_sigterm_before_the_reading_says_nothing_was_read(estate: Path) -> None:
    """Before the pool even started: once pia runs, a report is written, which names every
    source as not scanned, and one line says so."""
    rc, err, report = _signal_group(estate, "early", _started, signal.SIGTERM)
    assert rc == 143, err
    assert "Traceback" not in err, err
    assert [line for line in err.splitlines() if "terminated" in line] == [
        "pia: terminated before any source was read; the report above says none was"
        f" (complete: false); rerun with --state {estate}/early-state --resume to finish it"]
    data = _valid(report)
    assert data["inventory"] == []
    # the source, or each of its partitions once it was listed, is said not scanned
    assert data["skipped"] and all(s["source"] == "logs" and s["reason"].endswith(
        "not scanned (interrupted)") for s in data["skipped"])
