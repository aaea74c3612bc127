"""Partitioned execution: plan on the driver, scan partitions anywhere, merge on the driver.

``PartitionedExecutor`` is a ``pia.scan.Executor`` (called once per source) that owns what
every executor shares: the resume journal, progress across workers and the Ctrl-C contract.
Where the partitions run is a ``Runner``'s business: this process (``SerialRunner``), a
process pool (``pia.executors.local``) or a Dask cluster (``pia.executors.dask``). Runners
yield results as they finish, in any order; merge receives them keyed by partition key, so
the report does not depend on the runner, the number of workers or the finishing order.
"""

from __future__ import annotations

import contextlib
import json
import secrets as _secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pia import interrupts
from pia.connectors.base import (
    Connector,
    Partial,
    Partition,
    Plan,
    ScanContext,
    ScanOptions,
    SourceResult,
)
from pia.errors import ConfigError, SourceError
from pia.executors.journal import Journal, config_digest, say
from pia.executors.worker import Event, WorkerSetup, replay, scan_with

#: (partition, partial as JSON text, progress events the worker made)
Done = tuple[Partition, str, list[Event]]


class ScanInterrupted(KeyboardInterrupt):
    """Ctrl-C during a source: carries what the finished partitions merge into, so the
    report keeps them (marked incomplete) and the journal keeps them for ``--resume``."""

    def __init__(self, result: SourceResult) -> None:
        super().__init__("interrupted")
        self.result = result


class RunLost(SourceError):
    """The runner lost its workers mid-source (a pool's process died, a Dask scheduler went
    away): the source fails, and ``result`` carries what its finished partitions merge into,
    so the report keeps them (marked incomplete) as an interrupt does."""

    result: SourceResult | None = None


class Runner(Protocol):
    name: str
    #: whether partitions may run in another working directory or on another machine
    elsewhere: bool

    def run(self, connector: Connector, todo: list[Partition], options: ScanOptions,
            ctx: ScanContext, setup: WorkerSetup) -> Iterator[Done]: ...

    def close(self) -> None: ...


class SerialRunner:
    """Partitions in this process, one after the other (the reference, and ``--workers 1``
    without a pool when the journal is wanted)."""

    name = "serial"
    elsewhere = False

    def run(self, connector: Connector, todo: list[Partition], options: ScanOptions,
            ctx: ScanContext, setup: WorkerSetup) -> Iterator[Done]:
        for partition in todo:
            partial, events = scan_with(connector, partition, options, ctx)
            yield partition, partial, events

    def close(self) -> None:
        pass


def unit(partition: Partition) -> str:
    """What a partition's weight counts: bytes for files and objects, rows for tables."""
    return "bytes" if partition.connector in ("files", "s3") else "rows"


#: less work than this runs in the driver: starting workers (a process each, importing pia
#: and loading the detection engine) costs more than they would save. Rows count those
#: read (a sampled table's sample): a sampled scan of the demo's shop took 5.6 s on a pool
#: of two and 3.2 s in the driver.
INLINE_BYTES = 1 << 20
INLINE_ROWS = 50_000


@dataclass
class StateOptions:
    directory: str | None = None
    resume: bool = False
    #: the language of what a resume says on stderr (``pia.reports.i18n``)
    lang: str = "en"


class PartitionedExecutor:
    """Plan → journal lookup → run the rest on ``runner`` → journal each → merge."""

    def __init__(self, runner: Runner, *, state: StateOptions | None = None,
                 recognizer_files: list[str] | None = None, version: str = "",
                 inline_bytes: int | None = None, inline_rows: int | None = None) -> None:
        self.runner = runner
        # read when made, not when defined: a test's subprocess lowers them to use workers
        self.inline_bytes = INLINE_BYTES if inline_bytes is None else inline_bytes
        self.inline_rows = INLINE_ROWS if inline_rows is None else inline_rows
        self.name = runner.name
        self.state = state or StateOptions()
        self.recognizer_paths = [str(p) for p in (recognizer_files or [])]
        self.recognizers = [(Path(p).name, _read_recognizers(p))
                            for p in (recognizer_files or [])]
        self.version = version
        self.journal: Journal | None = None
        self._setup: WorkerSetup | None = None

    @property
    def elsewhere(self) -> bool:
        """Whether partitions may run in another working directory (``pia.scan`` then gives
        local sources as absolute paths)."""
        return bool(getattr(self.runner, "elsewhere", False))

    # --- context manager: the runner's pool or cluster lives for the whole scan ------------

    def __enter__(self) -> PartitionedExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.runner.close()
        finally:
            if self.journal is not None:
                self.journal.close()  # its last batch on disk now, not only at exit

    # --- one source ------------------------------------------------------------------------

    def __call__(self, connector: Connector, uri: str, options: ScanOptions,
                 ctx: ScanContext) -> SourceResult:
        self._open_journal(options, ctx)
        plan = connector.plan(uri, options, ctx)
        partials: dict[str, Partial] = {}
        todo: list[Partition] = []
        ctx.progress.start("partitions", len(plan.partitions))
        for what in sorted({unit(p) for p in plan.partitions}):
            ctx.progress.start(what, sum(p.weight for p in plan.partitions if unit(p) == what))
        for partition in plan.partitions:
            entry = self.journal.lookup(partition) if self.journal else None
            if entry is None:
                todo.append(partition)
                continue
            partials[partition.key] = entry["partial"]
            self._advance(ctx, partition, entry.get("events") or [])
        self._say_reused(uri, plan.partitions, len(plan.partitions) - len(todo))
        todo.sort(key=lambda p: (-p.weight, p.key))  # largest first: shorter tail
        runner = self.runner if self._worth_workers(todo) else SerialRunner()
        environment = worker_environment(connector, options) if runner.elsewhere else {}
        results = runner.run(connector, todo, options, ctx, self._worker_setup(ctx, environment))
        try:
            with contextlib.closing(results):  # stop the runner's work however this ends
                for partition, partial, events in results:
                    partials[partition.key] = json.loads(partial)
                    # a partition cut short by a lost connection or endpoint (a table,
                    # ``connectors.db.reconnect``; objects, ``connectors.s3.outage``) is not
                    # done: --resume reads it again
                    if self.journal is not None and not partials[partition.key].get("lost"):
                        self.journal.record(partition, partial, events)
                    self._advance(ctx, partition, events)
        except KeyboardInterrupt:
            # a second Ctrl-C while what finished is assembled (a double tap, ~0.2 s) is
            # noted, not raised: raised, it threw the finished partitions away and the report
            # said that nothing was read (qa-scale D3). A third still stops at once.
            with interrupts.held():
                raise ScanInterrupted(_partial_result(connector, plan, partials, options,
                                                      ctx)) from None
        except RunLost as err:
            lost = RunLost(f"{err}; {self._resume_hint()}")
            lost.result = _partial_result(connector, plan, partials, options, ctx,
                                          why="its workers were lost")
            raise lost from None
        return connector.merge(plan, partials, options, ctx)

    def _say_reused(self, uri: str, planned: list[Partition], reused: int) -> None:
        """One line per source of a resumed scan: what the journal spared (an overnight run
        that silently rescanned everything looked the same as one that resumed)."""
        if not self.state.resume or self.journal is None or self.journal.discarded:
            return
        from pia.uri import scrub

        source, where = scrub(uri), self.state.directory  # made printable by say()
        if planned and self.journal.finished() \
                and not any(self.journal.knows(p) for p in planned):
            # a source named otherwise (./logs/ for logs, an absolute path) is another
            # source to the journal: said, or its whole rescan went unnoticed
            say("resume:none_known", self.state.lang, source=source, total=f"{len(planned):,}",
                where=where)
            return
        say("resume:reusing", self.state.lang, source=source, reused=f"{reused:,}",
            total=f"{len(planned):,}", where=where)

    def _resume_hint(self) -> str:
        """What to do about partitions a lost worker took with it: resume, when a journal
        kept what finished; else a rerun with one (``--resume`` alone is a usage error)."""
        if self.state.directory is not None:
            return "finished partitions are journaled with --state, rerun with --resume"
        return "nothing was journaled: rerun with --state DIR to be able to resume"

    def _worth_workers(self, todo: list[Partition]) -> bool:
        if self.elsewhere and todo:
            # a cluster the user named does the work, however little: read in the driver,
            # a dead scheduler went unnoticed and the report said the cluster scanned
            return True
        if len(todo) <= 1:
            return False
        bytes_ = sum(p.weight for p in todo if unit(p) == "bytes")
        rows = sum(p.weight for p in todo if unit(p) == "rows")
        return bytes_ >= self.inline_bytes or rows >= self.inline_rows

    def _advance(self, ctx: ScanContext, partition: Partition, events: list[Event]) -> None:
        replay([tuple(e) for e in events], ctx.progress)
        ctx.progress.advance("partitions")
        ctx.progress.advance(unit(partition), partition.weight)

    def _open_journal(self, options: ScanOptions, ctx: ScanContext) -> None:
        if self.state.directory is None:
            return
        if self.journal is None or self.journal.closed:  # closed: used again, it goes on
            config = config_digest(options.as_parameters(), recognizers=self.recognizers,
                                   key_id=ctx.fingerprint.key_id,
                                   declaration=ctx.declaration, version=self.version)
            self.journal = Journal(self.state.directory, config, ctx.now,
                                   self.state.resume or self.journal is not None,
                                   key=ctx.fingerprint.derive("journal"),
                                   lang=self.state.lang)
            if self.state.resume and self.journal.discarded:
                say("resume:starting_over", self.state.lang, why=self.journal.discarded)
        ctx.now = self.journal.now  # a resumed scan computes ages on the first run's day

    def _worker_setup(self, ctx: ScanContext, environment: dict[str, str]) -> WorkerSetup:
        """The out-of-band setup; a new token when the secrets, environment (or clock)
        changed, which makes a runner restart its workers with the new setup."""
        old = self._setup
        if (old is None or old.secrets != ctx.secrets or old.environment != environment
                or old.now != ctx.now):
            self._setup = WorkerSetup(token=_secrets.token_hex(8), fingerprint=ctx.fingerprint,
                                      now=ctx.now, declaration=ctx.declaration,
                                      secrets=dict(ctx.secrets), environment=dict(environment),
                                      recognizers=self.recognizers,
                                      recognizer_paths=self.recognizer_paths)
        return self._setup


def worker_environment(connector: Connector, options: ScanOptions) -> dict[str, str]:
    """What workers, which may run on other machines, need of the driver's environment to
    read the source: ``worker_environment(options)`` of a connector that has one (S3's
    resolved credentials, region and timeouts), else nothing. Sent in the setup, not tasks."""
    ask = getattr(connector, "worker_environment", None)
    return ask(options) if ask is not None else {}


def _read_recognizers(path: str) -> bytes:
    """A recognizer file's bytes for the workers; a missing one is a one-line error."""
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise ConfigError(f"cannot read recognizer file {path}: {err.strerror}") from None


def _partial_result(connector: Connector, plan: Plan, partials: dict[str, Partial],
                    options: ScanOptions, ctx: ScanContext,
                    why: str = "interrupted") -> SourceResult:
    """What the finished partitions say, plus a skipped record per unfinished one."""
    done = Plan(partitions=[p for p in plan.partitions if p.key in partials],
                facts=plan.facts, skipped=plan.skipped, inventory=plan.inventory)
    try:
        result = connector.merge(done, partials, options, ctx)
    except Exception:  # a connector whose merge needs every partition: keep the plan's part
        result = SourceResult(inventory=list(plan.inventory), facts=list(plan.facts),
                              skipped=list(plan.skipped))
    located = getattr(connector, "partition_location", None)
    labelled = getattr(connector, "partition_label", None)
    for partition in plan.partitions:
        if partition.key not in partials:
            label = labelled(partition) if labelled else f"partition {partition.key}"
            result.skipped.append({"source": partition.source,
                                   "location": located(partition) if located else {},
                                   "reason": f"{label} not scanned ({why})"})
    return result

