"""What a connector is: a source URI in, inventory items, facts and skipped records out.

Connectors read and never write. They never decide what is a violation (that is the rules'
job) and they never hold raw PI beyond the function that reads it: everything they return is
masked samples, keyed fingerprints, counts and metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from pia.uri import redact

if TYPE_CHECKING:
    from pia.detection.engine import DetectionEngine
    from pia.masking import Fingerprinter
    from pia.reports.i18n import Said

#: the fewest bytes of an object ``--max-bytes`` may ask for: they tell its format (tar's
#: magic number is at byte 257)
MIN_READ = 512

#: ``ScanOptions.extra`` key (unrecorded: it starts with ``_``) telling a database that every
#: ``--include`` pattern selects local files of this scan: where they select no table, it is
#: read whole, not refused (``pia.source_patterns``)
PATTERNS_OF_FILES = "_patterns_of_files"


@dataclass
class ScanOptions:
    """Options every connector may honour; connector-specific ones live in ``extra``."""

    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    sample: int = 1000
    seed: int = 0
    full: bool = False
    views: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def filters(self) -> str:
        """The ``--include``/``--exclude`` patterns as typed, for an error that they select
        nothing (``--include '*.CSV'``)."""
        return " ".join(f"{flag} {p!r}" for flag, patterns in (
            ("--include", self.include), ("--exclude", self.exclude)) for p in patterns)

    def as_parameters(self) -> dict[str, Any]:
        """The options as recorded in the report (never a secret)."""
        params = {
            "include": self.include,
            "exclude": self.exclude,
            "sample": self.sample,
            "seed": self.seed,
            "full": self.full,
            "views": self.views,
        }
        for key, value in self.extra.items():
            if key.startswith("_"):
                continue
            # an endpoint may carry user:password@ — reports only ever hold the redacted form
            params[key] = redact(value) if isinstance(value, str) and "://" in value else value
        return params


class Progress(Protocol):
    """Progress sink; the CLI passes a rich-backed one, tests and libraries a silent one."""

    def start(self, what: str, total: int | None = None) -> None: ...

    def advance(self, what: str, amount: int = 1) -> None: ...


class SilentProgress:
    def start(self, what: str, total: int | None = None) -> None:
        pass

    def advance(self, what: str, amount: int = 1) -> None:
        pass


@dataclass
class ScanContext:
    engine: DetectionEngine
    fingerprint: Fingerprinter
    now: datetime
    declaration: dict[str, Any] | None = None
    progress: Progress = field(default_factory=SilentProgress)
    #: redacted source URI → real URI with credentials. Filled by the CLI from the command
    #: line; executors hand it to workers out of band (process initialiser, worker
    #: environment), never inside partitions or task graphs.
    secrets: dict[str, str] = field(default_factory=dict, repr=False)
    #: on a worker, the driver's environment its connector applies (an S3 source's resolved
    #: credentials, region and timeouts: ``worker_environment``); empty on the driver
    environment: dict[str, str] = field(default_factory=dict, repr=False)

    def real_uri(self, redacted_uri: str) -> str:
        return self.secrets.get(redacted_uri, redacted_uri)


@dataclass
class SourceResult:
    inventory: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    #: why the source was not read to its end though it opened (a database connection or an
    #: S3 endpoint lost mid-scan: ``connectors.db.reconnect``, ``connectors.s3.outage``):
    #: what was read is kept, the report is partial
    incomplete: list[Said] = field(default_factory=list)

    def extend(self, other: SourceResult) -> None:
        self.inventory.extend(other.inventory)
        self.facts.extend(other.facts)
        self.skipped.extend(other.skipped)
        self.incomplete.extend(other.incomplete)


@dataclass(frozen=True)
class Partition:
    """One independently scannable piece of a source (a table's rowid range, a file's byte
    range cut at line boundaries, an archive member, a batch of object keys).

    Everything here is JSON-serialisable and secret-free: partitions travel to worker
    processes and Dask workers, and are written to the resume journal. ``state`` identifies
    the source's state when planned (file size and mtime, a table's row estimate): when it
    changes, the journal's result for this partition is stale.
    """

    connector: str
    source: str  # redacted URI
    key: str  # stable, unique within the plan, e.g. "/var/log/app.log@0-4194304"
    spec: dict[str, Any]
    state: str = ""
    weight: int = 1  # bytes or rows to read, for progress, scheduling and inline work


@dataclass
class Plan:
    """A source split into partitions, plus what planning itself observed."""

    partitions: list[Partition] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    #: items known before anything is read: a file named by a person's number
    #: (``pia.connectors.name_items``), whatever its content turns out to be
    inventory: list[dict[str, Any]] = field(default_factory=list)


#: A partition's result: JSON-serialisable, never raw PI (counts, masked samples,
#: fingerprints, line numbers, timestamps). Its shape is private to its connector.
Partial = dict[str, Any]


class Connector(Protocol):
    """One kind of source. ``accepts`` decides by URI; then plan → scan_partition* → merge.

    ``scan_partition`` runs wherever the executor puts it (this process, a worker process, a
    Dask worker), so it must rebuild what it needs from the partition and the context.
    ``merge`` must be deterministic: the same partials in any order give the same result.
    An optional ``partition_location(partition)`` says where a partition lies (a table, a
    file, a bucket), so that an interrupted scan's record of what it did not scan names it.
    """

    name: str

    def accepts(self, uri: str) -> bool: ...

    def plan(self, uri: str, options: ScanOptions, ctx: ScanContext) -> Plan: ...

    def scan_partition(
        self, partition: Partition, options: ScanOptions, ctx: ScanContext
    ) -> Partial: ...

    def merge(
        self, plan: Plan, partials: dict[str, Partial], options: ScanOptions, ctx: ScanContext
    ) -> SourceResult: ...


def scan_serial(
    connector: Connector, uri: str, options: ScanOptions, ctx: ScanContext
) -> SourceResult:
    """Plan, scan every partition in this process, merge: the reference executor."""
    plan = connector.plan(uri, options, ctx)
    partials = {p.key: connector.scan_partition(p, options, ctx) for p in plan.partitions}
    return connector.merge(plan, partials, options, ctx)
