"""Dask: a real scheduler and workers on loopback give the local executor's report, and the
credentials of a source never appear in the task graph."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from exec_util import (
    KEY,
    body,
    env,
    external_cluster,
    journal_entries,
    load,
    pia_cmd,
    run_pia,
    write_logs,
)

pytest.importorskip("distributed")

from distributed import LocalCluster  # noqa: E402
from distributed.diagnostics.plugin import SchedulerPlugin  # noqa: E402

from pia.connectors import connector_for  # noqa: E402
from pia.connectors.base import ScanContext, ScanOptions  # noqa: E402
from pia.executors import make_executor  # noqa: E402
from pia.executors.core import INLINE_BYTES  # noqa: E402
from pia.executors.worker import connector_target  # noqa: E402
from pia.masking import Fingerprinter  # noqa: E402
from pia.scan import LazyEngine, ScanRequest, run_scan  # noqa: E402

PASSWORD = "Sesame-" + uuid.uuid4().hex[:12]


@pytest.fixture(scope="module")
def cluster_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dask")


@pytest.fixture(scope="module")
def cluster(cluster_dir: Path) -> Iterator[str]:
    """An external cluster of two single-threaded workers, started in ``cluster_dir``."""
    with external_cluster(cluster_dir) as (address, _scheduler):
        yield address


def test_a_scheduler_and_two_workers_report_what_the_local_executor_reports(
        cluster: str, tmp_path: Path) -> None:
    write_logs(tmp_path / "logs", files=6, lines=800)
    # the external cluster's workers get absolute paths (test_relative_sources_…)
    local = run_pia(str(tmp_path / "logs"), "--executor", "local", "--workers", "2",
                    "-o", "local.json", cwd=tmp_path)
    assert local.returncode == 0, local.stderr
    dask = run_pia("logs", "--executor", "dask", "--scheduler", cluster, "-o", "dask.json",
                   cwd=tmp_path)
    assert dask.returncode == 0, dask.stderr
    expected, got = load(tmp_path / "local.json"), load(tmp_path / "dask.json")
    assert expected["inventory"]
    assert body(got) == body(expected)
    assert got["scan"]["parameters"]["executor"] == "dask"


def shop_db(path: Path) -> None:
    """Two tables of mobile numbers: two partitions, so that they go to the workers."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        for table in ("members", "orders"):
            db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, shouji TEXT)")
            db.executemany(f"INSERT INTO {table} (shouji) VALUES (?)",
                           [(f"1391234{i:04d}",) for i in range(200)])
        db.commit()


def test_relative_sources_are_read_from_the_driver_directory_not_the_workers(
        cluster: str, cluster_dir: Path, tmp_path: Path) -> None:
    """Workers started elsewhere read ``logs`` and ``shop.db`` in their own directory: every
    file "vanished", the database did not exist, and same-named files there were scanned
    instead, silently. The driver now gives them absolute paths."""
    logs = write_logs(tmp_path / "logs", files=7, lines=1500)
    assert sum(p.stat().st_size for p in logs) > INLINE_BYTES  # run on the workers
    shop_db(tmp_path / "shop.db")
    for path in logs:  # decoys where the workers would look: same names, no PI
        decoy = cluster_dir / path.relative_to(tmp_path)
        decoy.parent.mkdir(parents=True, exist_ok=True)
        decoy.write_text("2026-01-01 08:00:00 INFO nothing here\n" * 10, encoding="utf-8")
    dask = run_pia("logs", "shop.db", "--executor", "dask", "--scheduler", cluster,
                   "-o", "dask.json", cwd=tmp_path, always_workers=True)
    assert dask.returncode == 0, dask.stderr
    got = load(tmp_path / "dask.json")
    assert got["scan"]["complete"] is True and not got["skipped"]
    assert got["scan"]["sources"] == [str(tmp_path / "logs"), str(tmp_path / "shop.db")]
    found = {i["location"].get("path") or i["location"].get("table") for i in got["inventory"]}
    assert found == {*map(str, logs), "members", "orders"}


@pytest.mark.parametrize(("address", "message"), [
    ("foo://127.0.0.1:8786", "not a Dask scheduler address (unknown address scheme 'foo')"),
    ("http://127.0.0.1:8786", "not a Dask scheduler address (unknown address scheme 'http')"),
    ("tls://127.0.0.1:8786", "a tls:// scheduler needs your Dask TLS settings"),
])
def test_a_bad_scheduler_address_is_a_one_line_error(
        address: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A scheme Dask does not know, or tls:// without a TLS setup: a traceback, exit 1.
    Now refused before any source is read."""
    from pia.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.log").write_text("nothing here\n", encoding="utf-8")
    with pytest.raises(SystemExit) as end:
        main(["scan", "app.log", "--executor", "dask", "--scheduler", address, "-q"])
    err = capsys.readouterr().err
    assert end.value.code == 2, err
    assert err.startswith(f"pia: error: --scheduler {address}: {message}"), err
    assert err.count("\n") == 1, err


def test_a_named_scheduler_scans_even_a_small_source(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """QA s3dask13 F1: a source small enough to read in the driver never contacted the
    ``--scheduler`` named: a dead one went unnoticed, and the report said Dask scanned."""
    import socket

    from pia.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    (tmp_path / "app.log").write_text("手机 13812345678\n", encoding="utf-8")
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    started = time.monotonic()
    with pytest.raises(SystemExit) as end:
        main(["scan", "app.log", "--executor", "dask", "--scheduler", address, "-q",
              "-o", "r.json"])
    err = capsys.readouterr().err
    assert end.value.code == 2, err
    # said at once, and why (QA s3dask D4: 23 s of retries, then only "(OSError)")
    assert err == f"pia: error: cannot reach the Dask scheduler at {address}: connection refused\n"
    assert time.monotonic() - started < 10


def test_a_scheduler_lost_mid_scan_leaves_a_partial_report(tmp_path: Path) -> None:
    """The scheduler stopped during a scan: a traceback, exit 1 and no report. Now one line
    that says to resume, exit 2, and the report of what finished, incomplete."""
    write_logs(tmp_path / "logs", files=40, lines=1500)
    (tmp_path / "cluster").mkdir()
    with external_cluster(tmp_path / "cluster", workers=1) as (address, scheduler):
        proc = subprocess.Popen(pia_cmd("logs", "--executor", "dask", "--scheduler", address,
                                        "--state", "st", "-o", "lost.json"),
                                cwd=tmp_path, env=env(), text=True, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 120
            while not journal_entries(tmp_path / "st"):
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "no partition finished in time"
                time.sleep(0.05)
            os.killpg(scheduler.pid, signal.SIGKILL)
            _, stderr = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 2, stderr
    summary, error = stderr.splitlines(keepends=True)  # -q: the summary line, then why
    assert summary.startswith("pia")
    assert error == (f"pia: error: {tmp_path / 'logs'}: the connection to the Dask scheduler"
                     f" at {address} was lost; finished partitions are journaled with"
                     " --state, rerun with --resume\n")
    report = load(tmp_path / "lost.json")
    assert report["scan"]["complete"] is False
    assert report["inventory"]  # what finished is in it
    assert any(s["reason"].endswith("not scanned (its workers were lost)")
               for s in report["skipped"])


def test_a_scheduler_without_workers_is_waited_for_then_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """A cluster with no worker: the scan waited forever and said nothing."""
    from pia.errors import UsageError
    from pia.executors import dask as dask_executor

    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    monkeypatch.setattr(dask_executor, "WORKERS_TIMEOUT", 1.0)
    write_logs(tmp_path / "logs", files=8, lines=1500)
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as empty:
        executor = make_executor("dask", workers=2, scheduler=empty.scheduler_address)
        started = time.monotonic()
        with pytest.raises(UsageError, match="has no workers \\(waited 1 s\\)"):
            run_scan(ScanRequest(sources=[str(tmp_path / "logs")], executor=executor,
                                 executor_name="dask"))
    assert time.monotonic() - started < 30
    assert any("has no workers; waiting up to 1 s" in r.getMessage() for r in caplog.records)


class RunSpecs(SchedulerPlugin):
    """Records every task the scheduler is asked to run, pickled as it would be stored."""

    def __init__(self) -> None:
        self.blobs: list[bytes] = []

    def transition(self, key, start, finish, *args, **kwargs) -> None:  # noqa: ANN001
        if finish == "processing":
            task = self.scheduler.tasks.get(key)
            if task is not None and task.run_spec is not None:
                self.blobs.append(pickle.dumps(task.run_spec))

    async def start(self, scheduler) -> None:  # noqa: ANN001
        self.scheduler = scheduler


@contextlib.contextmanager
def recording_cluster(recorder: RunSpecs) -> Iterator[Any]:
    """A Dask executor on an in-process cluster of two workers whose tasks ``recorder`` sees."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as local:
        local.scheduler.add_plugin(recorder)
        recorder.scheduler = local.scheduler
        executor = make_executor("dask", workers=2, scheduler=local.scheduler_address)
        executor.inline_bytes = executor.inline_rows = 0  # test data is small: workers anyway
        yield executor


@pytest.fixture
def pg_table():
    name = f"pia_exec_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {name} (id serial PRIMARY KEY, shouji text)")
        conn.execute(f"INSERT INTO {name} (shouji) SELECT '1391234' || lpad(g::text, 4, '0')"
                     " FROM generate_series(1, 300) g")
        try:
            yield name
        finally:
            conn.execute(f"DROP TABLE {name}")


def test_the_password_reaches_workers_but_never_the_task_graph(
        pg_table: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    uri = f"postgresql://postgres:{PASSWORD}@127.0.0.1:5432/test"
    recorder = RunSpecs()
    with recording_cluster(recorder) as executor:
        outcome = run_scan(ScanRequest(sources=[uri], options=ScanOptions(include=[pg_table],
                                                           extra={"partition_rows": 100}),
                                       executor=executor, executor_name="dask"))
    assert not outcome.failures, outcome.failures
    columns = {i["location"].get("column") for i in outcome.report["inventory"]}
    assert "shouji" in columns  # the workers did connect with the password
    assert recorder.blobs, "no task recorded: the check would prove nothing"
    assert any(pg_table.encode() in blob for blob in recorder.blobs)
    assert not any(PASSWORD.encode() in blob for blob in recorder.blobs)
    assert PASSWORD not in str(outcome.report)


def test_the_local_pool_journals_and_sends_no_password(
        pg_table: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    uri = f"postgresql://postgres:{PASSWORD}@127.0.0.1:5432/test"
    options = ScanOptions(include=[pg_table], extra={"partition_rows": 100})
    executor = make_executor("local", workers=2, state=str(tmp_path / "state"))
    executor.inline_rows = 0  # 300 rows: the workers anyway
    outcome = run_scan(ScanRequest(sources=[uri], options=options, executor=executor,
                                   executor_name="local"))
    assert not outcome.failures, outcome.failures
    assert "shouji" in {i["location"].get("column") for i in outcome.report["inventory"]}
    # what the pool pickles for each task: token, connector path, partition, options
    connector = connector_for(uri)
    plan = connector.plan(uri, options, ScanContext(LazyEngine([]), Fingerprinter(KEY.encode()),
                                                    datetime.now(UTC)))
    tasks = [pickle.dumps(("token", connector_target(connector), p, options))
             for p in plan.partitions]
    assert len(tasks) >= 2 and all(pg_table.encode() in t for t in tasks)
    assert not any(PASSWORD.encode() in t for t in tasks)
    assert len(journal_entries(tmp_path / "state")) == len(tasks)
    assert PASSWORD not in (tmp_path / "state" / "journal.log").read_text(encoding="utf-8")


def test_small_files_travel_to_dask_workers_several_to_a_task(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One task per small file cost Dask more than the scan of the file (20,000 files of
    60 bytes: 128 s against 24 s batched); the report is the serial executor's."""
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    logs = write_logs(tmp_path / "logs", files=120, lines=100)  # over INLINE_BYTES in all
    recorder = RunSpecs()
    with recording_cluster(recorder) as executor:
        dask = run_scan(ScanRequest(sources=[str(tmp_path / "logs")], executor=executor,
                                    executor_name="dask"))
    serial = run_scan(ScanRequest(sources=[str(tmp_path / "logs")]))
    assert dask.report["inventory"] and body(dask.report) == body(serial.report)
    # two workers are kept busy with four tasks each, at least: 120 files in 8 to 15 tasks
    assert 8 <= len(recorder.blobs) <= 15, len(recorder.blobs)
    assert sum(p.stat().st_size for p in logs) > INLINE_BYTES


@pytest.mark.parametrize("scheme", ["tcp", "tls"])
def test_the_local_cluster_refuses_a_client_without_its_certificate(scheme: str) -> None:
    """Another local user who finds the port may not join: over plain TCP nor over TLS with
    a certificate of their own (the scheduler requires the one made for this scan)."""
    from distributed import Client
    from distributed.security import Security

    runner = make_executor("dask", workers=1).runner
    try:
        client = runner.client()
        address = client.scheduler.address
        assert address.startswith("tls://127.0.0.1:")
        assert client.run(os.getpid)  # pia's own client reaches its workers
        hostport = address.split("://", 1)[1]
        security = Security.temporary() if scheme == "tls" else None
        with pytest.raises((OSError, TimeoutError)):
            Client(f"{scheme}://{hostport}", timeout="2s", security=security).close()
    finally:
        runner.close()
