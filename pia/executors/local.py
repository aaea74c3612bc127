"""``--executor local``: a pool of worker processes on this machine.

Processes, not threads: detection is CPU-bound Python and regex work that holds the GIL.
The pool starts with ``forkserver`` (``spawn`` where there is none) so workers do not inherit
the driver's threads, open connections or progress display. Each worker receives the
``WorkerSetup`` — credentials and the fingerprint key — once, through the pool initializer,
and ignores SIGINT so that Ctrl-C reaches the driver alone: the driver then cancels what has
not started, keeps what finished (in the journal and in the partial report) and stops.

SIGTERM too goes to every process at once when ``timeout(1)`` signals the process group or
systemd its control group: workers that died of it lost the driver its pool, and the report
of what had finished. The forkserver now keeps SIGTERM blocked; a worker obeys only the
SIGTERM its driver sends, or stops once the driver is gone (``_watch``). One still starting
may die of a SIGTERM to the group: the driver, which received it too, takes the pool it
broke for the interrupt.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from pia import interrupts
from pia.connectors.base import Connector, Partition, ScanContext, ScanOptions
from pia.executors.core import Done, RunLost, unit
from pia.executors.worker import WorkerSetup, connector_target, install, run_batch
from pia.processes import alive


def _initializer(setup: WorkerSetup, driver: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch(driver)
    install(setup)


#: whether a worker can tell who sent a SIGTERM (not on macOS)
FILTERED = hasattr(signal, "sigtimedwait") and hasattr(signal, "pthread_sigmask")


def _watch(driver: int) -> None:
    """Let this worker die of a SIGTERM only when its driver sent it or is gone.

    The signal is blocked in every thread of the process (threads inherit the main thread's
    mask) and taken by a watcher thread, which sees the sender: a SIGTERM sent to the whole
    group or control group reached the driver as well, which gathers what finished and then
    terminates its workers itself. The disposition goes back to the default, so a connector
    may still install its own last words (``connectors.sqlite`` removes a private copy of a
    database); the watcher forwards the driver's SIGTERM to them. Where the sender cannot be
    seen, any SIGTERM stops the worker, and the driver takes a pool broken by one as the
    interrupt it also received."""
    if FILTERED:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_die_with_driver, args=(driver,), daemon=True,
                     name="pia-driver-watch").start()


def _die_with_driver(driver: int) -> None:
    """SIGTERM this worker once the driver asks or is gone (terminated, killed), so a scan
    that was stopped leaves no worker reading a source, or holding a private copy of a
    database, until its partition ends. The parent is the forkserver, which outlives the
    driver, so the driver's pid is watched."""
    while True:
        if FILTERED:
            sent = signal.sigtimedwait({signal.SIGTERM}, DRIVER_WATCH_SECONDS)
            if sent is not None and sent.si_pid == driver:
                break
        else:
            time.sleep(DRIVER_WATCH_SECONDS)
        if not alive(driver):
            break
    if FILTERED:  # delivered to this thread, the only one that lets it through
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    os.kill(os.getpid(), signal.SIGTERM)
    while True:  # a handler's own SIGTERM must find this thread still there to receive it
        time.sleep(DRIVER_WATCH_SECONDS)


#: how often a worker looks whether its driver is still there
DRIVER_WATCH_SECONDS = 1.0


#: how often the driver looks up from the pool for a Ctrl-C noted meanwhile
POLL_SECONDS = 0.1
#: how long a dead worker may go unnoticed by the pool before the driver ends the pool
DEATH_GRACE_SECONDS = 2.0
#: how long an interrupted pool's processes and thread get to go (they were killed)
JOIN_SECONDS = 5.0


class _UnnoticedDeath(BrokenProcessPool):
    """A worker died and the pool did not notice (its thread waits on the dead one's pipe)."""


#: what the forkserver imports before forking workers (the last one builds the engine)
PRELOAD = ["pia.executors.worker", "pia.executors.preload"]


def forkserver_context(extra: tuple[str, ...] = ()) -> multiprocessing.context.BaseContext:
    """A ``forkserver`` context whose server has built the detection engine, so that workers
    start with it; ``spawn`` where there is no forkserver. The server is started once per
    driver process, by the first pool: later preload lists do not change it."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([*extra, *PRELOAD])
        _start_forkserver()
        return ctx
    return multiprocessing.get_context("spawn")


def _start_forkserver() -> None:
    """Start the forkserver (and the resource tracker) with SIGINT ignored and SIGTERM
    blocked.

    The forkserver imports ``PRELOAD`` — seconds of work — before it ignores SIGINT itself,
    so a Ctrl-C sent to the process group in those seconds printed its KeyboardInterrupt
    traceback. A SIGTERM sent to the group (``timeout``, systemd) killed it, and a pool that
    started workers later failed with EOFError. An ignored signal stays ignored through
    exec, and a blocked one blocked (each worker unblocks it: ``pia.executors.preload``).
    The driver ignores SIGINT and blocks SIGTERM only for the fork and exec (milliseconds;
    a SIGTERM then arrives after it); elsewhere, or when the server already runs, this
    does nothing."""
    if threading.current_thread() is not threading.main_thread():
        multiprocessing.forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    mask = None
    try:
        # the tracker first: starting it unblocks SIGTERM in this thread when it is done
        multiprocessing.resource_tracker.ensure_running()
        if FILTERED:
            mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        multiprocessing.forkserver.ensure_running()
    finally:
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        signal.signal(signal.SIGINT, previous)


def _stop_forkserver() -> None:
    """Interrupted while the pool was still starting workers: the forkserver may be busy
    with ``PRELOAD`` and fork a worker once the driver has gone, which then fails to find
    the pool's semaphores and prints a traceback. Stopping the server (a later pool starts
    a new one) means no worker is born after the interrupt."""

    pid = getattr(getattr(multiprocessing.forkserver, "_forkserver", None),
                  "_forkserver_pid", None)
    if pid:  # it blocks SIGTERM (_start_forkserver) and holds nothing to clean up
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        # gone before this returns: a pool started at once (the next source's, the next
        # test's) found it not yet dead, did not start another, and failed with EOFError
        deadline = time.monotonic() + JOIN_SECONDS
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(RESEND_SECONDS / 10)


#: small file partitions are sent to a worker together, up to this many bytes of them
BATCH_BYTES = 1 << 20
#: and at most this many in one task
BATCH_PARTITIONS = 64


def batches(todo: list[Partition], workers: int) -> list[list[Partition]]:
    """The tasks for ``todo``: a file or object partition smaller than ``BATCH_BYTES`` goes
    with the ones after it, up to ``BATCH_BYTES`` of them, and only while there are enough
    tasks to keep every worker busy (four per worker); anything else, a table range
    included (its weight counts rows, and each one holds a connection), alone."""
    most = max(1, min(BATCH_PARTITIONS, len(todo) // (4 * workers)))
    out: list[list[Partition]] = []
    batch: list[Partition] = []
    weight = 0
    for partition in todo:
        small = unit(partition) == "bytes" and partition.weight < BATCH_BYTES
        if not small or most == 1:
            out.append([partition])
            continue
        batch.append(partition)
        weight += partition.weight
        if weight >= BATCH_BYTES or len(batch) >= most:
            out.append(batch)
            batch, weight = [], 0
    if batch:
        out.append(batch)
    return out


class LocalRunner:
    """Runs partitions on ``workers`` processes; the pool lives until ``close``."""

    name = "local"
    elsewhere = False  # the pool's processes share this one's working directory

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._token: str | None = None

    def _pool_for(self, setup: WorkerSetup) -> ProcessPoolExecutor:
        if self._pool is None or self._token != setup.token:
            self.close()
            self._pool = ProcessPoolExecutor(self.workers, mp_context=forkserver_context(),
                                             initializer=_initializer,
                                             initargs=(setup, os.getpid()))
            self._token = setup.token
        return self._pool

    def run(self, connector: Connector, todo: list[Partition], options: ScanOptions,
            ctx: ScanContext, setup: WorkerSetup) -> Iterator[Done]:
        if not todo:
            return
        target = connector_target(connector)
        pending: dict[Future, list[Partition]] = {}
        # Ctrl-C is held while this thread talks to the pool and raised between two waits:
        # raised inside the pool's locks it left one taken, and Python's exit then waited
        # forever on the pool's thread (pia.interrupts); raised while the pool started its
        # processes, it left one to take a task after the driver had gone
        with interrupts.held():
            try:
                pool = self._pool_for(setup)
                for batch in batches(todo, self.workers):
                    future = pool.submit(run_batch, setup.token, target, batch, options)
                    pending[future] = batch
                dead_since: float | None = None
                while pending:
                    interrupts.raise_if_requested()
                    finished, _ = wait(pending, timeout=POLL_SECONDS,
                                       return_when=FIRST_COMPLETED)
                    if not finished and _a_worker_died(pool):
                        # killed half-way through sending its result, a worker leaves the
                        # pool's own thread waiting for the rest: the pool never breaks and
                        # the scan never ends (seen under load in CI). The pool is given a
                        # moment to notice, then ended as a broken pool is.
                        dead_since = dead_since or time.monotonic()
                        if time.monotonic() - dead_since > DEATH_GRACE_SECONDS:
                            raise _UnnoticedDeath
                    for future in finished:
                        batch = pending.pop(future)
                        for partition, (partial, events) in zip(batch, future.result(),
                                                                strict=True):
                            yield partition, partial, events
                interrupts.raise_if_requested()  # the last one finished as Ctrl-C came
            except (KeyboardInterrupt, GeneratorExit):
                # interrupted (or abandoned by a driver that was): a running partition may
                # take seconds, do not wait for it. The pool's own thread cancels what has not
                # started (shutdown's cancel_futures): cancelling here too raced with that
                # thread, which then set BrokenProcessPool on a future this thread had just
                # cancelled and died with InvalidStateError, its traceback on stderr.
                self._discard(kill=True)
                raise
            except BrokenProcessPool as err:
                # the pool has failed every pending future, unless it never noticed. Its
                # processes are ended as an interrupted pool's are: the pool's thread
                # terminates only the workers it knows of when it breaks, and a worker this
                # thread was still starting (the pool spawns them in submit) then waited for
                # a task forever, and the pool's thread, joining it, kept Python from exiting.
                # The forkserver stays for the next source's pool: every worker is counted.
                self._discard(kill=True, keep_server=not isinstance(err, _UnnoticedDeath))
                # a SIGTERM to the whole group that a worker could not tell apart from its
                # driver's (FILTERED) stopped it: the interrupt, not a lost worker
                interrupts.raise_if_requested()
                raise RunLost(f"{todo[0].source}: a worker process died (out of memory or"
                              " killed)") from None
            except BaseException:
                for future in pending:  # a partition failed: do not start what is queued
                    future.cancel()
                raise

    def _discard(self, kill: bool = False, keep_server: bool = False) -> None:
        pool = self._pool
        self._pool, self._token = None, None
        if pool is None:
            return
        # the pool has no public way to stop a running task before Python 3.14
        processes = list((getattr(pool, "_processes", None) or {}).values())
        manager = getattr(pool, "_executor_manager_thread", None)
        results = getattr(pool, "_result_queue", None)
        pool.shutdown(wait=False, cancel_futures=True)
        if kill:
            if not keep_server:
                _stop_forkserver()
            _terminate(processes)
        # A worker killed half-way through sending its result (two writes above 16 KiB)
        # left the pool's thread waiting for the rest on a pipe that this process also holds
        # open for writing; closing our end gives it EOF, and it stops.
        writer = getattr(results, "_writer", None)
        if kill and writer is not None:
            with contextlib.suppress(OSError):
                writer.close()
        # Join the pool's thread now, a broken pool's too: Python joins it at exit, and its
        # last act (closing its wakeup pipe) raced with the wakeup Python sends first (EBADF,
        # a traceback).
        if manager is not None:
            manager.join(timeout=JOIN_SECONDS)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool, self._token = None, None


#: how often a worker that is still there is sent SIGTERM again while the driver waits
RESEND_SECONDS = 0.2


def _a_worker_died(pool: ProcessPoolExecutor) -> bool:
    """Whether a process of ``pool`` has ended (its workers end only when it shuts down)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    return any(process.exitcode is not None for process in processes)


def _terminate(processes: list[multiprocessing.process.BaseProcess]) -> None:
    """SIGTERM the workers, and again every ``RESEND_SECONDS`` until they are gone or
    ``JOIN_SECONDS`` passed: a worker holds only one SIGTERM pending, so the driver's could
    merge with one sent to the whole group, which the worker then takes for that one. Then
    SIGKILL: a worker that outlives its driver would go on reading a source.

    Workers are looked at by pid, not ``is_alive()``: a forkserver worker's exit status
    comes through the forkserver, and once ``_stop_forkserver`` killed it every worker
    looked dead. One still unpickling its start-up then outlived the driver and printed a
    FileNotFoundError traceback when the driver's semaphores were gone."""
    pids = [process.pid for process in processes if process.pid is not None]
    deadline = time.monotonic() + JOIN_SECONDS
    while True:
        running = [pid for pid in pids if alive(pid)]
        if not running:
            return
        last = time.monotonic() >= deadline
        for pid in running:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL if last else signal.SIGTERM)
        if last:
            return
        resend = time.monotonic() + RESEND_SECONDS
        while time.monotonic() < resend and any(alive(pid) for pid in running):
            time.sleep(RESEND_SECONDS / 10)
