"""Shared by the executor tests: a generated log tree, a CLI runner, report digests."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pia.sample.corpus import labelled_lines

KEY = "k" * 32


def write_logs(root: Path, files: int, lines: int, seed: int = 7) -> list[Path]:
    """``files`` log files of ``lines`` realistic lines each, in two folders; deterministic."""
    paths = []
    for i in range(files):
        folder = root / ("app-logs" if i % 2 else "nginx-logs")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"part-{i:03d}.log"
        body = labelled_lines(lines, seed=seed + i)
        path.write_text("".join(f"2026-{1 + n % 9:02d}-{1 + n % 27:02d} 08:00:00 INFO {text}\n"
                                for n, (text, _spans) in enumerate(body)), encoding="utf-8")
        paths.append(path)
    return paths


def processes(field: str, value: int) -> list[int]:
    """Processes whose ``field`` of /proc/PID/stat (``ppid`` or ``pgrp``) is ``value``,
    zombies included (not reaped yet): a scan's children, or what is left of its group."""
    index = {"ppid": 1, "pgrp": 2}[field]
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[index]) == value:
                found.append(int(entry.name))
    return found


def parent(pid: int) -> int:
    """The parent of ``pid`` (OSError when it is gone)."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def env() -> dict[str, str]:
    return dict(os.environ, PIA_FINGERPRINT_KEY=KEY)


#: ``python -m pia``, except that no work is too small for the workers (pia runs small
#: sources in the driver, where a test of the workers would then prove nothing)
ALWAYS_WORKERS = ("import sys; from pia.executors import core;"
                  " core.INLINE_BYTES = core.INLINE_ROWS = 0;"
                  " from pia.console import main; sys.argv[0] = 'pia'; main()")


def pia_cmd(*args: str, always_workers: bool = False) -> list[str]:
    start = ["-c", ALWAYS_WORKERS] if always_workers else ["-m", "pia"]
    return [sys.executable, *start, "scan", *args, "-q", "--fail-on", "none"]


def run_pia(*args: str, cwd: Path, timeout: int = 240,
            always_workers: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(pia_cmd(*args, always_workers=always_workers), cwd=cwd, env=env(),
                          text=True, capture_output=True, timeout=timeout)


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def counts(report: dict[str, Any]) -> Counter[tuple[str, str]]:
    """Per file, per entity type: how many values the scan found."""
    out: Counter[tuple[str, str]] = Counter()
    for item in report["inventory"]:
        where = item["location"].get("path") or json.dumps(item["location"], sort_keys=True)
        out[(where, item["entity_type"])] += item["count"]
    return out


def body(report: dict[str, Any]) -> dict[str, Any]:
    """What must not depend on the executor: inventory, facts and findings."""
    return {k: report[k] for k in ("inventory", "facts", "findings")}


def journal_entries(state: Path) -> list[str]:
    """The ids of the partitions recorded in ``state``'s journal, in the order written (the
    header and a torn last line left out, nothing verified)."""
    try:
        data = (state / "journal.log").read_bytes()
    except OSError:
        return []
    return [line.split(b" ")[1].decode() for line in data.split(b"\n")[1:-1]]


def journal_records(state: Path, key: bytes) -> list[tuple[bytes, str, dict[str, Any]]]:
    """(HMAC, id, record opened) of each record line of ``state``'s journal, opened with the
    journal key ``key`` as pia opens them (``pia.executors.journal_seal``)."""
    from pia.executors.journal_seal import Sealer

    header, *lines = (state / "journal.log").read_bytes().splitlines()
    config = json.loads(header.split(b" ", 2)[2])["config"]
    out = []
    for line in lines:
        mac, ident, text = line.split(b" ", 2)
        record = Sealer(key).unseal(ident.decode(), config, json.loads(text))
        assert record is not None
        out.append((mac, ident.decode(), record))
    return out


def big_result(megabytes: int) -> bytes:
    """A worker task whose result takes a while to send back through the pool's pipe."""
    return b"x" * (megabytes << 20)


def big_batch(_token: str, _target: str, _batch: list, _options: object) -> bytes:
    """``run_batch``'s signature, and a result that takes a while to send back."""
    return big_result(256)


@contextlib.contextmanager
def external_cluster(root: Path, workers: int = 2, environ: dict[str, str] | None = None
                     ) -> Iterator[tuple[str, subprocess.Popen]]:
    """``dask scheduler`` and ``dask worker --nworkers N`` as subprocesses on 127.0.0.1,
    started in ``root`` (their working directory) with ``environ`` (else the tests'); the
    address and the scheduler."""
    root.mkdir(parents=True, exist_ok=True)
    file = root / "scheduler.json"
    common = dict(cwd=root, env=environ or env(), start_new_session=True,
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", "0", "--dashboard-address", ":0", "--scheduler-file", str(file)], **common)
    deadline = time.monotonic() + 60
    while not file.exists():
        assert scheduler.poll() is None and time.monotonic() < deadline, "no scheduler"
        time.sleep(0.1)
    procs = [scheduler, subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(file),
         "--nworkers", str(workers), "--nthreads", "1", "--no-dashboard"], **common)]
    address = json.loads(file.read_text())["address"]
    try:
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=90)
        yield address, scheduler
    finally:
        for proc in reversed(procs):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in reversed(procs):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
