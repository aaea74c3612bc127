"""Ctrl-C on a local-workers scan: exit 130, a partial report, and no traceback on stderr.

Ctrl-C in a terminal reaches the whole process group: the driver, the forkserver and the
workers. The forkserver used to die with a KeyboardInterrupt traceback while it was still
importing, and the pool's thread with InvalidStateError when the driver cancelled a future
that thread was failing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from pathlib import Path
from types import SimpleNamespace

import pytest
from exec_util import env, journal_entries, load, pia_cmd, processes, write_logs

from pia.connectors.base import Partition, ScanOptions
from pia.executors import local
from pia.processes import alive


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("interrupt")
    write_logs(root / "logs", files=8, lines=1500)
    return root


def _children(pid: int) -> list[int]:
    return processes("ppid", pid)


def _ctrl_c(tree: Path, state: str, ready,
            send=lambda proc: os.killpg(proc.pid, signal.SIGINT)
            ) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen(pia_cmd("logs", "--executor", "local", "--workers", "2",
                                    "--state", state, "-o", f"{state}.json"),
                            cwd=tree, env=env(), start_new_session=True, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    try:
        while not ready(proc):
            assert proc.poll() is None, f"the scan ended first: {proc.stderr.read()}"
            assert time.monotonic() < deadline, "the scan did not get there in time"
            time.sleep(0.02)
        send(proc)  # by default what Ctrl-C in a terminal does
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(proc.args, proc.returncode, "", stderr)


def _assert_clean_interrupt(tree: Path, state: str, run: subprocess.CompletedProcess) -> None:
    assert run.returncode == 130, run.stderr
    assert "Traceback" not in run.stderr and "Error" not in run.stderr, run.stderr
    assert load(tree / f"{state}.json")["scan"]["complete"] is False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_ctrl_c_while_the_forkserver_starts_prints_no_traceback(tree: Path) -> None:
    def forkserver_started(proc: subprocess.Popen) -> bool:
        if not any(b"forkserver" in Path(f"/proc/{c}/cmdline").read_bytes()
                   for c in _children(proc.pid) if Path(f"/proc/{c}").exists()):
            return False
        time.sleep(0.1)  # it is now importing the detection engine, for seconds
        return True

    _assert_clean_interrupt(tree, "starting", _ctrl_c(tree, "starting", forkserver_started))


def test_sigterm_writes_the_partial_report_and_keeps_the_journal(tree: Path) -> None:
    """A SIGTERM (systemd, Kubernetes, a CI timeout) killed the scan: exit 143, nothing on
    stderr, no report although partitions had finished. It now ends as Ctrl-C does."""
    state = tree / "term"
    run = _ctrl_c(tree, "term", lambda proc: journal_entries(state),
                  send=lambda proc: proc.send_signal(signal.SIGTERM))  # the driver alone
    assert run.returncode == 143, run.stderr
    summary, said = run.stderr.strip().splitlines()  # the summary line, then why it stopped
    assert summary.startswith("pia")
    assert said == ("pia: terminated; the report above is partial (complete: false); rerun"
                    " with --state term --resume to finish it")
    report = load(tree / "term.json")
    assert report["scan"]["complete"] is False
    assert any("not scanned (interrupted)" in s["reason"] for s in report["skipped"])
    assert journal_entries(state)


class _Pool:
    """Stands in for the process pool: one partition done, the others still queued."""

    def __init__(self) -> None:
        self._processes: dict = {}
        self.shutdowns: list[dict] = []
        self.futures: list[Future] = []

    def submit(self, *_args) -> Future:
        future: Future = Future()
        if not self.futures:
            future.set_result([("{}", [])])
        self.futures.append(future)
        return future

    def shutdown(self, **kwargs) -> None:
        self.shutdowns.append(kwargs)


def test_an_interrupt_leaves_cancelling_to_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool's thread cancels what has not started (``cancel_futures``); the driver
    cancelling the same futures raced with that thread failing them."""
    pool = _Pool()
    runner = local.LocalRunner(2)
    runner._pool, runner._token = pool, "t"  # type: ignore[assignment]
    monkeypatch.setattr(local, "_stop_forkserver", lambda: None, raising=False)
    monkeypatch.setattr(local, "connector_target", lambda connector: "files")
    todo = [Partition("files", "logs", f"p{i}", {}, "s", 1) for i in range(4)]
    setup = SimpleNamespace(token="t")
    results = runner.run(object(), todo, ScanOptions(), object(), setup)  # type: ignore[arg-type]
    assert next(results)[0].key == "p0"
    with pytest.raises(KeyboardInterrupt):
        results.throw(KeyboardInterrupt())
    assert pool.shutdowns == [{"wait": False, "cancel_futures": True}]
    assert not any(f.cancelled() for f in pool.futures)


@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs /proc")
def test_a_worker_killed_while_sending_its_result_leaves_no_thread_waiting() -> None:
    """The pool's thread had read the start of the result and waited for the rest on a pipe
    this process also held open for writing: forever, and Python joins it at exit."""
    from concurrent.futures import ProcessPoolExecutor

    from exec_util import big_result

    pool = ProcessPoolExecutor(1, mp_context=local.forkserver_context())
    future = pool.submit(big_result, 512)
    manager = pool._executor_manager_thread  # type: ignore[attr-defined]
    (pid,) = pool._processes  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while not _sending(pid):
        assert time.monotonic() < deadline and not future.done()
        time.sleep(0.001)
    assert not future.done()  # and has not ended
    results = pool._result_queue  # type: ignore[attr-defined]
    runner = local.LocalRunner(1)
    runner._pool = pool
    runner._discard(kill=True)
    manager.join(timeout=local.JOIN_SECONDS)
    stuck = manager.is_alive()
    if stuck:  # release it, or this test would hang pytest's exit instead of failing
        results._writer.close()
    assert not stuck


def _sending(pid: int) -> bool:
    """Whether the process waits for room in a pipe (the kernel names where it sleeps)."""
    try:
        return "pipe_write" in Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False


def test_small_file_partitions_travel_together_and_the_rest_alone() -> None:
    """One task per 140-byte file made the pool 3.5 times slower than one process (20,000
    files: 60 s against 17 s; batched, 14 s)."""
    small = [Partition("files", "logs", f"s{i}", {}, "s", 400) for i in range(1000)]
    big = [Partition("files", "logs", f"b{i}", {}, "s", 8 << 20) for i in range(3)]
    rows = [Partition("postgresql", "db", f"t{i}", {}, "s", 10) for i in range(5)]
    tasks = local.batches(big + rows + small, workers=2)
    assert tasks[:8] == [[p] for p in big + rows]  # alone: large, or a table's rows
    assert [p for task in tasks for p in task] == big + rows + small  # all, in order
    assert max(len(task) for task in tasks) == local.BATCH_PARTITIONS
    # few partitions: one each, so that every worker has some
    assert local.batches(small[:7], workers=2) == [[p] for p in small[:7]]
    # and never more than BATCH_BYTES of small ones together
    heavy = [Partition("files", "logs", f"h{i}", {}, "s", 300_000) for i in range(400)]
    assert all(sum(p.weight for p in task) < local.BATCH_BYTES + 300_000
               for task in local.batches(heavy, workers=2))


def test_a_worker_whose_driver_is_gone_terminates_itself() -> None:
    """A driver killed with SIGTERM left its pool's workers reading (the forkserver, their
    parent, outlives it): a worker now watches the driver's pid and SIGTERMs itself."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    program = ("import sys; from pia.executors import local; local.DRIVER_WATCH_SECONDS = 0.05;"
               f" local._die_with_driver({gone.pid}); sys.exit(3)")
    run = subprocess.run([sys.executable, "-c", program], timeout=60)
    assert run.returncode == -signal.SIGTERM


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_are_stopped_after_their_forkserver_is(tmp_path: Path) -> None:
    """An interrupted pool stops its forkserver first; its workers then all looked dead
    (their exit status comes through the forkserver), were left running, and one still
    starting printed a FileNotFoundError traceback once the driver had gone (seen in CI)."""
    script = tmp_path / "driver.py"
    script.write_text(
        "import time\n"
        "from pia.executors import local\n"
        "if __name__ == '__main__':\n"
        "    local.JOIN_SECONDS = 1.0\n"
        "    ctx = local.forkserver_context()\n"
        "    workers = [ctx.Process(target=time.sleep, args=(60,)) for _ in range(2)]\n"
        "    for worker in workers:\n"
        "        worker.start()\n"
        "    print(*[worker.pid for worker in workers], flush=True)\n"
        "    time.sleep(0.5)  # started, not still unpickling\n"
        "    local._stop_forkserver()\n"
        "    time.sleep(0.5)  # the pool's view of them: all gone with their forkserver\n"
        "    assert not any(worker.is_alive() for worker in workers)\n"
        "    local._terminate(workers)\n")
    # to files, not pipes: a worker left running would hold a pipe open, and the run with it
    with (tmp_path / "out").open("w") as out, (tmp_path / "err").open("w") as err:
        run = subprocess.run([sys.executable, str(script)], stdout=out, stderr=err,
                             timeout=120)
    pids = [int(pid) for pid in (tmp_path / "out").read_text().split()]
    try:
        assert run.returncode == 0 and len(pids) == 2, (tmp_path / "err").read_text()
        assert not [pid for pid in pids if alive(pid)]
    finally:
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not local.FILTERED, reason="needs sigtimedwait")
def test_a_worker_obeys_only_the_sigterm_its_driver_sends() -> None:
    """``timeout`` and systemd signal every process of the group: the workers died of it and
    the driver lost what they had finished. A SIGTERM from another process is now left to
    the driver (which got it too); the driver's own still stops the worker at once."""
    # SIGTERM blocked before the imports: a worker forked from the forkserver has no other
    # thread, but imported here, numpy starts some that would take the signal
    program = ("import os, signal, sys, time;"
               " signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM});"
               " from pia.executors import local; local._watch(os.getppid());"
               " print('watching', flush=True); time.sleep(120); sys.exit(3)")
    proc = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline() == "watching\n"
        subprocess.run(["kill", "-TERM", str(proc.pid)], check=True)  # not from its driver
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=1.5)
        proc.send_signal(signal.SIGTERM)  # from its driver: this process, its parent
        assert proc.wait(timeout=30) == -signal.SIGTERM
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_killed_worker_without_state_does_not_advise_resume(tree: Path) -> None:
    """A worker killed (OOM, kill -9) ended in "finished partitions are journaled with
    --state, rerun with --resume" although no --state was given: nothing was journaled, and
    --resume alone is a usage error."""
    proc = subprocess.Popen(pia_cmd("logs", "--executor", "local", "--workers", "2",
                                    "-o", "killed.json"),
                            cwd=tree, env=env(), start_new_session=True, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while True:
            servers = [c for c in _children(proc.pid) if b"forkserver" in _cmdline(c)]
            # the forkserver's own children that are not workers (ctypes.util runs
            # ldconfig while it imports pia) do not break the pool
            workers = [w for s in servers for w in _children(s) if b"forkserver" in _cmdline(w)]
            if workers:
                break
            assert proc.poll() is None, f"the scan ended first: {proc.stderr.read()}"
            assert time.monotonic() < deadline, "no worker started in time"
            time.sleep(0.02)
        os.kill(workers[0], signal.SIGKILL)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 2, stderr
    assert "Traceback" not in stderr, stderr
    assert stderr.strip().endswith("logs: a worker process died (out of memory or killed);"
                                   " nothing was journaled: rerun with --state DIR to be able"
                                   " to resume"), stderr
    assert load(tree / "killed.json")["scan"]["complete"] is False


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs /proc")
def test_a_worker_killed_while_sending_its_result_ends_the_run(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed half-way through sending its result (OOM, kill -9 under load), a worker left the
    pool's thread waiting for the rest: the pool never broke and the scan never ended (a CI
    run timed out on it). The driver now ends such a pool itself: the lost worker's one line."""
    import threading
    from concurrent.futures import ProcessPoolExecutor

    from exec_util import big_batch

    monkeypatch.setattr(local, "run_batch", big_batch)
    monkeypatch.setattr(local, "connector_target", lambda connector: "files")
    pool = ProcessPoolExecutor(1, mp_context=local.forkserver_context())
    runner = local.LocalRunner(1)
    runner._pool, runner._token = pool, "t"  # type: ignore[assignment]
    todo = [Partition("files", "logs", "p0", {}, "s", 1)]
    results = runner.run(object(), todo, ScanOptions(), object(),  # type: ignore[arg-type]
                         SimpleNamespace(token="t"))  # type: ignore[arg-type]
    outcome: list[BaseException | object] = []
    reader = threading.Thread(target=lambda: outcome.append(_first(results)), daemon=True)
    reader.start()
    deadline = time.monotonic() + 60
    while not pool._processes or not _sending(next(iter(pool._processes))):  # type: ignore
        assert time.monotonic() < deadline and reader.is_alive(), outcome
        time.sleep(0.001)
    os.kill(next(iter(pool._processes)), signal.SIGKILL)  # type: ignore[attr-defined]
    reader.join(timeout=local.DEATH_GRACE_SECONDS + local.JOIN_SECONDS + 20)
    stuck = reader.is_alive()
    if stuck:  # release the pool's thread, or this test would hang pytest's exit
        pool._result_queue._writer.close()  # type: ignore[attr-defined]
    assert not stuck, "the run never ended"
    assert isinstance(outcome[0], local.RunLost), outcome
    assert str(outcome[0]) == "logs: a worker process died (out of memory or killed)"


def _first(results) -> BaseException | object:
    try:
        return next(results)
    except BaseException as err:  # noqa: BLE001 - the test looks at what it was
        return err


def _idle_batch(_token: str, _target: str, _batch: list, _options: object) -> list:
    """``run_batch``'s signature, and nothing done."""
    return []


def test_a_worker_started_as_the_pool_broke_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed while the driver was still starting the next (the pool starts them in
    ``submit``) broke the pool, whose thread terminated the workers it knew of and then joined
    every worker, the one started meanwhile too: that one waited for a task forever, and the
    driver printed its one line and then never exited (1 CI run in 8). The race is made
    certain: the second worker starts once the pool's thread has told the first ones to go."""
    import threading
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures import process as pool_internals

    told, started = threading.Event(), threading.Event()
    pool: list[ProcessPoolExecutor] = []
    workers: list[int] = []
    managers: list[threading.Thread] = []
    spawn, shutdown_workers = ProcessPoolExecutor._spawn_process, \
        pool_internals._ExecutorManagerThread.shutdown_workers
    process = type(local.forkserver_context().Process())
    start = process.start

    def spawn_after_the_break(executor: ProcessPoolExecutor) -> None:
        pool.append(executor)
        spawn(executor)
        workers[:] = list(executor._processes)  # type: ignore[attr-defined]
        if told.is_set():
            started.set()

    def start_then_kill_the_first(worker: object) -> None:
        start(worker)  # forked, not yet one of the pool's processes
        if pool and pool[0]._processes:  # type: ignore[attr-defined] - the second
            os.kill(next(iter(pool[0]._processes)),  # type: ignore[attr-defined]
                    signal.SIGKILL)
            told.wait(timeout=30)

    def tell_then_wait(thread: threading.Thread) -> None:
        managers.append(thread)
        shutdown_workers(thread)
        told.set()
        started.wait(timeout=30)

    monkeypatch.setattr(ProcessPoolExecutor, "_spawn_process", spawn_after_the_break)
    monkeypatch.setattr(process, "start", start_then_kill_the_first)
    monkeypatch.setattr(pool_internals._ExecutorManagerThread, "shutdown_workers",
                        tell_then_wait)
    monkeypatch.setattr(local, "run_batch", _idle_batch)
    monkeypatch.setattr(local, "connector_target", lambda connector: "files")
    runner = local.LocalRunner(2)
    todo = [Partition("files", "logs", f"p{i}", {}, "s", 1) for i in range(3)]
    results = runner.run(object(), todo, ScanOptions(), object(),  # type: ignore[arg-type]
                         SimpleNamespace(token="t"))  # type: ignore[arg-type]
    outcome = _first(results)
    assert isinstance(outcome, local.RunLost), outcome
    assert started.is_set(), "the second worker did not start after the break"
    manager = managers[0]
    manager.join(timeout=local.JOIN_SECONDS + 10)
    stuck = [pid for pid in workers if alive(pid)]
    for pid in stuck:  # or the pool's thread would hang pytest's exit
        os.kill(pid, signal.SIGKILL)
    manager.join(timeout=30)
    assert not stuck, "a worker started as the pool broke was left waiting for a task"
