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
import time
from collections.abc import Iterator
from typing import Any

import dask
from distributed import Client, LocalCluster, WorkerPlugin, as_completed
from distributed.security import Security
from distributed.utils import get_mp_context

from pia import interrupts
from pia.connectors.base import Connector, Partition, ScanContext, ScanOptions
from pia.errors import UsageError
from pia.executors.core import Done
from pia.executors.local import POLL_SECONDS, batches, forkserver_context
from pia.executors.worker import WorkerSetup, connector_target, install, run_batch, uninstall

CONNECT_TIMEOUT = "20s"


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
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                            host="127.0.0.1", security=Security.temporary(),
                            dashboard_address=None, silence_logs=logging.ERROR)


def _cluster_size(client: Client, asked: int) -> int:
    """Worker threads of the cluster (a remote one has its own count, not ``--workers``), for
    batching small partitions while keeping every worker busy (``pia.executors.local``)."""
    try:
        return max(1, sum(client.nthreads().values()))
    except (OSError, TimeoutError):
        return asked


class DaskRunner:
    name = "dask"

    def __init__(self, workers: int, scheduler: str | None = None) -> None:
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self._client: Client | None = None
        self._cluster: LocalCluster | None = None
        self._plugin: str | None = None
        self._token: str | None = None
        #: runs so far: part of each task's key, so a run never reuses a key the scheduler
        #: may still be releasing from the one before (its future would come back cancelled)
        self._runs = itertools.count()

    def client(self) -> Client:
        if self._client is None:
            if self.scheduler:
                try:
                    self._client = Client(self.scheduler, timeout=CONNECT_TIMEOUT)
                except (OSError, TimeoutError) as err:
                    raise UsageError(f"cannot reach the Dask scheduler at {self.scheduler}"
                                     f" ({type(err).__name__})") from None
            else:
                self._cluster = _local_cluster(self.workers)
                # the cluster's own certificate: Client(cluster) takes cluster.security
                self._client = Client(self._cluster, security=self._cluster.security)
        return self._client

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
        client = self.client()
        self._install(client, setup)
        target = connector_target(connector)
        futures = {}
        run = next(self._runs)
        tasks = batches(todo, _cluster_size(client, self.workers))
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
            finally:
                # interrupted or failed: stop what has not run
                client.cancel([future for future in futures if not future.done()])

    def close(self) -> None:
        self._uninstall()
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client, self._cluster = None, None
