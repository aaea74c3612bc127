"""A quick double Ctrl-C keeps what finished (qa-scale D3).

A human double tap is often under 0.3 s apart: the second press landed while the driver
assembled the partitions that had finished, raised there, and the report said "interrupted
before any source was read" with nothing in it. The test makes that timing certain in a
real process receiving real signals: the first SIGINT is sent once two partitions are done,
the second from inside the assembly of the partial result.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from exec_util import env, load, write_logs

#: ``pia scan`` with the two signals sent to itself at the moments that matter
DOUBLE_TAP = """
import os, signal, sys
from pia.executors import core
from pia.console import main

assemble, advance, done = core._partial_result, core.PartitionedExecutor._advance, []

def advanced(self, ctx, partition, events):
    advance(self, ctx, partition, events)
    done.append(partition.key)
    if len(done) == 2:
        os.kill(os.getpid(), signal.SIGINT)  # the first press

def assembling(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)  # the second, while what finished is assembled
    return assemble(*args, **kwargs)

core.PartitionedExecutor._advance = advanced
core._partial_result = assembling
sys.argv[0] = "pia"
main()
"""


def test_a_second_ctrl_c_while_the_partial_report_is_assembled_keeps_what_finished(
        tmp_path: Path) -> None:
    write_logs(tmp_path / "logs", files=6, lines=200)
    run = subprocess.run([sys.executable, "-c", DOUBLE_TAP, "scan", "logs", "--workers", "1",
                          "-o", "r.json", "-q", "--fail-on", "none"],
                         cwd=tmp_path, env=env(), text=True, capture_output=True, timeout=240)
    assert run.returncode == 130, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert "the report above is partial" in run.stderr, run.stderr
    report = load(tmp_path / "r.json")
    assert report["scan"]["complete"] is False
    read = {i["location"]["path"] for i in report["inventory"]}
    assert len(read) == 2, read  # the two files finished before the first press
    unread = [s for s in report["skipped"] if "not scanned (interrupted)" in s["reason"]]
    assert len(unread) == 4, report["skipped"]
