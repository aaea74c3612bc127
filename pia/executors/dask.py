"""``--executor dask``: partitions as tasks on a Dask distributed cluster (small file and
object partitions several to a task, as the local pool sends them).

``--scheduler tcp://host:port`` connects to an existing cluster; without it a
``LocalCluster`` of ``--workers`` single-threaded processes is started for the scan. That
local cluster speaks TLS with a certificate made for the scan and held only in memory
(``Security.temporary()``), and its scheduler and workers require the peer to present it:
another local user cannot join it as a client, run code in its workers or read the setup
below (a plain ``tcp://`` loopback cluster would let them). An external ``--scheduler``
uses the user's own Dask security configuration (``distributed.comm.tls.*``).

How credentials reach the workers: NOT in the task graph. Each task carries only the setup
token, the connector's import path, the partition (redacted source URI) and the options. The
``WorkerSetup`` holding the real URIs and the fingerprint key travels once, as a worker
plugin (``PiaSetupPlugin``): the client sends it to the scheduler, which hands it to every
worker now connected or joining later, and each worker installs it into a module-level
table in ``pia.executors.worker`` (``install``). The plugin is removed when the scan ends.
Nothing in ``scheduler.tasks[...].run_spec`` (what a dashboard, a task dump or a spilled
graph would show) holds a password. Across machines, use a ``tls://`` scheduler address:
the plugin travels in the cluster's own channel, which is plaintext over ``tcp://``.

This module imports ``distributed`` at import time; ``pia.executors`` imports it only when
the Dask executor is asked for.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import socket
import time
from collections.abc import Iterator
from concurrent.futures import CancelledError
from typing import Any

import dask
from distributed import Client, LocalCluster, WorkerPlugin, as_completed
from distributed.comm.addressing import parse_address, parse_host_port
from distributed.comm.core import CommClosedError
from distributed.comm.registry import get_backend
from distributed.security import Security
from distributed.utils import get_mp_context

from pia import interrupts
from pia.connectors.base import Connector, Partition, ScanContext, ScanOptions
from pia.errors import UsageError
from pia.executors.core import Done, RunLost
from pia.executors.local import POLL_SECONDS, batches, forkserver_context
from pia.executors.worker import WorkerSetup, connector_target, install, run_batch, uninstall

CONNECT_TIMEOUT = "20s"
#: how long a TCP connection to the scheduler may take before it is judged unreachable
PROBE_SECONDS = 10.0
#: how long a scan waits for a cluster without workers to get one
WORKERS_TIMEOUT = 60.0

log = logging.getLogger(__name__)


class PiaSetupPlugin(WorkerPlugin):
    """Installs a scan's ``WorkerSetup`` on each worker (out of band, see the module doc)."""

    def __init__(self, payload: WorkerSetup) -> None:
        self.payload = payload
        self.name = f"pia-setup-{payload.token}"

    def setup(self, worker: Any) -> None:
        install(self.payload)

    def teardown(self, worker: Any) -> None:
        uninstall(self.payload.token)


def _local_cluster(workers: int) -> LocalCluster:
    """Single-threaded worker processes forked from pia's forkserver when there is one, so
    they inherit the prebuilt detection engine (see ``pia.executors.preload``)."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    with dask.config.set({"distributed.worker.multiprocessing-method": method}):
        get_mp_context()  # distributed sets its own preload list on first use: then ours
        if method == "forkserver":
            forkserver_context(("distributed",))
        # CRITICAL: a worker whose heartbeat races the scheduler's shutdown logs an ERROR
        # with a traceback on pia's stderr after a successful scan (QA s3dask13, one run in
        # six); what a lost worker means, pia says itself (``RunLost``)
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                            host="127.0.0.1", security=Security.temporary(),
                            dashboard_address=None, silence_logs=logging.CRITICAL)


def check_address(address: str) -> None:
    """Refuse, before any source is read, a scheduler address whose scheme Dask does not
    know (``http://``, ``foo://``), and ``tls://`` without a client TLS setup."""
    try:
        scheme, _location = parse_address(address)
        get_backend(scheme)
    except ValueError as err:
        raise UsageError(f"--scheduler {address}: not a Dask scheduler address"
                         f" ({str(err).split(' (known')[0]}); use tcp://host:port or"
                         " tls://host:port") from None
    if scheme in ("tls", "wss") and Security().get_connection_args("client").get(
            "ssl_context") is None:
        raise UsageError(_TLS_HINT.format(address=address))


_TLS_HINT = ("--scheduler {address}: a tls:// scheduler needs your Dask TLS settings"
             " (distributed.comm.tls.ca-file, .client.cert, .client.key)")


def _connect(address: str) -> Client:
    """A client of the scheduler at ``address``; a one-line error when there is none there,
    the address is not one (``http://``, ``foo://``), or ``tls://`` lacks a TLS setup."""
    _probe(address)
    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as err:
        raise UsageError(f"cannot reach the Dask scheduler at {address}"
                         f" ({type(err).__name__})") from None
    except TypeError:  # distributed's way of saying that TLS has no ssl context
        raise UsageError(_TLS_HINT.format(address=address)) from None
    except ValueError as err:  # unknown scheme, malformed host or port
        raise UsageError(f"--scheduler {address}: not a Dask scheduler address"
                         f" ({str(err).split(' (known')[0]}); use tcp://host:port or"
                         " tls://host:port") from None


def _probe(address: str) -> None:
    """Refuse at once a ``tcp://`` or ``tls://`` scheduler that no one listens at, saying
    why: distributed retries a refused connection until ``CONNECT_TIMEOUT`` (20 s) and then
    names only the exception's class (QA s3dask D4)."""
    scheme, location = parse_address(address)
    if scheme not in ("tcp", "tls"):
        return
    try:
        host, port = parse_host_port(location)
    except ValueError:
        return  # Client says what is wrong with it
    try:
        socket.create_connection((host, port), timeout=PROBE_SECONDS).close()
    except socket.gaierror:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: unknown host"
                         f" {host}") from None
    except TimeoutError:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: no answer in"
                         f" {PROBE_SECONDS:g} s") from None
    except OSError as err:
        raise UsageError(f"cannot reach the Dask scheduler at {address}:"
                         f" {(err.strerror or type(err).__name__).lower()}") from None


def _silence() -> dict[str, int]:
    """Raise distributed's loggers (those with a level of their own) to CRITICAL; their
    levels before."""
    names = ["distributed", *(name for name in logging.root.manager.loggerDict
                              if name.startswith("distributed."))]
    levels = {name: logging.getLogger(name).level for name in names
              if logging.getLogger(name).level != logging.NOTSET}
    for name in levels:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    return levels


def _cluster_size(client: Client) -> int:
    """Worker threads of the cluster (a remote one has its own count, not ``--workers``), for
    batching small partitions while keeping every worker busy (``pia.executors.local``);
    0 when it has no worker."""
    try:
        return sum(client.nthreads().values())
    except (OSError, TimeoutError):
        return 0


#: what a client raises once its scheduler is gone: its futures are cancelled, its comm closed
_LOST = (CancelledError, CommClosedError, OSError, TimeoutError)
_Lost = (CancelledError, CommClosedError)
#: how long closing a client may take (its scheduler may be gone)
CLOSE_SECONDS = 10


class DaskRunner:
    name = "dask"

    def __init__(self, workers: int, scheduler: str | None = None) -> None:
        if scheduler:
            check_address(scheduler)
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self._client: Client | None = None
        self._cluster: LocalCluster | None = None
        self._plugin: str | None = None
        self._token: str | None = None
        #: runs so far: part of each task's key, so a run never reuses a key the scheduler
        #: may still be releasing from the one before (its future would come back cancelled)
        self._runs = itertools.count()
        self._lost = False  # the scheduler went away during the scan
        self._levels: dict[str, int] = {}  # distributed's log levels before the scan

    @property
    def elsewhere(self) -> bool:
        """An external cluster's workers have their own working directory, or machine; a
        local cluster's processes share this one's."""
        return self.scheduler is not None

    def client(self) -> Client:
        if self._client is None:
            if self.scheduler:
                # pia says in one line what went wrong; distributed would log it with its
                # tracebacks (a lost scheduler: the client's failed reconnects)
                self._levels = self._levels or _silence()
                self._client = _connect(self.scheduler)
            else:
                self._cluster = _local_cluster(self.workers)
                # the cluster's own certificate: Client(cluster) takes cluster.security
                self._client = Client(self._cluster, security=self._cluster.security)
        return self._client

    def _workers(self, client: Client) -> int:
        """Worker threads of the cluster, once it has any: an external scheduler may have
        none yet (workers still starting, or none started), which is said, then waited for
        up to ``WORKERS_TIMEOUT``."""
        size = _cluster_size(client)
        if size or self.scheduler is None:
            return size or self.workers
        log.warning("pia: warning: the Dask scheduler at %s has no workers; waiting up to"
                    " %d s for one", self.scheduler, WORKERS_TIMEOUT)
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except (OSError, TimeoutError):
            raise UsageError(f"the Dask scheduler at {self.scheduler} has no workers (waited"
                             f" {WORKERS_TIMEOUT:.0f} s): start some with dask worker"
                             f" {self.scheduler}") from None
        return _cluster_size(client) or 1

    def _install(self, client: Client, setup: WorkerSetup) -> None:
        if self._token == setup.token:
            return
        self._uninstall()
        plugin = PiaSetupPlugin(setup)
        client.register_plugin(plugin, name=plugin.name)
        self._plugin, self._token = plugin.name, setup.token

    def _uninstall(self) -> None:
        if self._client is not None and self._plugin is not None:
            # already gone when its workers or the scheduler went away
            with contextlib.suppress(OSError, ValueError, KeyError):
                self._client.unregister_worker_plugin(self._plugin)
        self._plugin, self._token = None, None

    def run(self, connector: Connector, todo: list[Partition], options: ScanOptions,
            ctx: ScanContext, setup: WorkerSetup) -> Iterator[Done]:
        if not todo:
            return
        if self._lost:
            raise RunLost(f"{todo[0].source}: not scanned, the Dask scheduler at"
                          f" {self.scheduler} was lost earlier in this scan")
        client = self.client()
        size = self._workers(client)
        self._install(client, setup)
        target = connector_target(connector)
        futures = {}
        run = next(self._runs)
        tasks = batches(todo, size)
        for i, batch in enumerate(tasks):
            future = client.submit(run_batch, setup.token, target, batch, options,
                                   key=f"pia-{setup.token}-{run}-{i}", pure=False,
                                   priority=len(tasks) - i)
            futures[future] = batch
        remaining = as_completed(list(futures))
        # Ctrl-C is held and raised between two looks, never inside the lock that
        # as_completed shares with the client's thread (pia.interrupts)
        with interrupts.held():
            try:
                while not remaining.is_empty():
                    interrupts.raise_if_requested()
                    batch = remaining.next_batch(block=False)
                    if not batch:
                        time.sleep(POLL_SECONDS)
                    for future in batch:
                        for partition, (partial, events) in zip(futures[future],
                                                                future.result(), strict=True):
                            yield partition, partial, events
                interrupts.raise_if_requested()
            except _Lost:
                self._lost = True
                raise RunLost(f"{todo[0].source}: the connection to the Dask scheduler at"
                              f" {self.scheduler or 'the local cluster'} was lost") from None
            finally:
                # interrupted or failed: stop what has not run
                if not self._lost:
                    with contextlib.suppress(*_LOST):
                        client.cancel([future for future in futures if not future.done()])

    def close(self) -> None:
        if not self._lost:
            self._uninstall()
        if self._client is not None:
            with contextlib.suppress(*_LOST):
                self._client.close(timeout=CLOSE_SECONDS)
        if self._cluster is not None:
            self._cluster.close()
        self._client, self._cluster = None, None
        for name, level in self._levels.items():
            logging.getLogger(name).setLevel(level)
        self._levels = {}
