"""One scan, end to end: sources → connectors → inventory and facts → rules → report.

The CLI builds a ``ScanRequest`` and calls ``run_scan``; so can any Python caller. A source
that cannot be reached does not lose the others: its failure is recorded as a ``skipped``
record and reported in ``ScanOutcome.failures``, and the report is marked ``complete: false``
(the CLI then exits 2 after writing it; when no source could be opened at all, it writes
nothing and prints only the errors). An interrupt (Ctrl-C, SIGTERM) returns the partial
report marked ``complete: false`` too, even one that came before anything was read. A local
file or directory named as a source of which nothing could be read (a corrupt archive, an I/O
error, a directory none of whose files could be read) counts as a source that could not be
opened; its reasons stay under ``skipped``.

An executor whose workers may run in another working directory or on another machine (Dask
with ``--scheduler``: its ``elsewhere`` is true) gets local sources as absolute paths, made
from this process's working directory, so that a worker never reads a relative path from
its own; the report then names them so too.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pia import interrupts, source_patterns
from pia.connectors import connector_for
from pia.connectors.base import (
    Connector,
    Progress,
    ScanContext,
    ScanOptions,
    SilentProgress,
    SourceResult,
    scan_serial,
)
from pia.errors import PiaError, SourceError
from pia.masked_names import NAME_ORIGIN, NameMasker
from pia.report import Report, finalize, new_report, now_iso
from pia.uri import check as check_uri
from pia.uri import file_path, redact, scheme

if TYPE_CHECKING:
    from pia.reports.i18n import Said

DEFAULT_DECLARATION = "pia.yaml"

#: how an executor runs one source: the serial reference, or a parallel one (pia.executors)
Executor = Callable[[Connector, str, ScanOptions, ScanContext], SourceResult]


@dataclass
class ScanRequest:
    sources: list[str]
    options: ScanOptions = field(default_factory=ScanOptions)
    declaration: str | None = None  # path; None → ./pia.yaml when present
    rulesets: list[str] = field(default_factory=list)
    recognizer_files: list[str] = field(default_factory=list)
    fingerprint_key_file: str | None = None
    executor: Executor = scan_serial
    executor_name: str = "serial"


@dataclass
class ScanOutcome:
    report: Report
    rulesets: list[Any]
    declaration: Any
    failures: list[str] = field(default_factory=list)
    interrupted: bool = False
    scanned: int = 0  # sources opened and scanned
    handled: int = 0  # sources done with, scanned or failed, in the order given
    partly: int = 0  # sources that failed half-way, what finished of them kept
    read_nothing: bool = False  # interrupted before anything of any source was read
    #: sources scanned but not to their end (``SourceResult.incomplete``): one line each
    cut_short: list[Said] = field(default_factory=list)
    #: what masks the names each source's result gives before the report takes it
    names: NameMasker | None = None

    def said(self, text: str) -> str:
        """``text`` (a failure, as the report and stderr say it) with its names masked."""
        return self.names.name(text) if self.names is not None else text

    @property
    def nothing_scanned(self) -> bool:
        """Every source failed to open: there is no report worth writing."""
        return (bool(self.failures) and not self.scanned and not self.partly
                and not self.interrupted)


def resolve_declaration(path: str | None) -> Any:
    """The declared inventory: an explicit path, else ./pia.yaml when it exists, else None."""
    from pia.declaration import load_declaration

    if path is None:
        if not Path(DEFAULT_DECLARATION).is_file():
            return None
        path = DEFAULT_DECLARATION
    return load_declaration(path)


@dataclass
class ScanInputs:
    """What a scan reads besides its sources, loaded and checked (``load_inputs``): the
    declaration, the rulesets, the fingerprint key and the recognizers."""

    declaration: Any
    rulesets: list[Any]
    fingerprint: Any
    engine: Any


def load_inputs(request: ScanRequest) -> ScanInputs:
    """The scan's local inputs, each refused (``ConfigError``, ``UsageError``: exit 2, one
    line naming the file and line) before any connector is loaded or source opened: an
    invalid ``pia.yaml`` was said only once the sources had been read, minutes or hours
    later (QA estate D3). The declaration and rulesets come first, before the recognizers,
    whose engine takes seconds to import."""
    from pia.masking import fingerprinter
    from pia.rules import known_rule_ids, load_rulesets

    declaration = resolve_declaration(request.declaration)
    rulesets = load_rulesets(request.rulesets or None)
    if declaration is not None:  # names in it that match nothing: refused before reading
        declaration.check_names(known_rule_ids(rulesets), request.recognizer_files)
    fingerprint = fingerprinter(request.fingerprint_key_file)
    engine = LazyEngine(request.recognizer_files)
    return ScanInputs(declaration, rulesets, fingerprint, engine)


def run_scan(request: ScanRequest, progress: Progress | None = None,
             inputs: ScanInputs | None = None) -> ScanOutcome:
    """Scan every source, evaluate the rules, return the report (never written here).
    ``inputs`` are those ``load_inputs`` gave for ``request``, when the caller checked them
    already (the CLI does, before anything else); else they are loaded here.

    Ctrl-C or SIGTERM (see ``pia.interrupts``) stops the reading; what finished is kept, in
    a report marked incomplete, which names the sources not read (all of them when the
    interrupt came before the first was, ``ScanOutcome.read_nothing``). A caller that holds
    Ctrl-C (the CLI, to write the report it gets) sees one pressed after the reading in
    ``interrupts.held().requested``.
    """
    from pia.rules import apply_rules

    closing = getattr(request.executor, "close", None)  # a pool or cluster lives per scan
    # an interrupt while the scan is prepared (rulesets, declaration, key: a second or two)
    # is held, and raised as the reading starts: the report then says that nothing was read
    with interrupts.held():
        if getattr(request.executor, "elsewhere", False):
            request = replace(request, sources=[absolute_source(u) for u in request.sources])
        outcome, ctx = _prepare(request, progress, inputs)
        # the local files against --include/--exclude, before anything is connected to
        patterns = source_patterns.scope(request.sources, request.options)
        try:
            with interrupts.immediate():
                _read_sources(request, outcome, ctx, patterns)
        except KeyboardInterrupt as err:
            outcome.interrupted = True
            finished = getattr(err, "result", None)  # what a partitioned executor finished
            outcome.read_nothing = not outcome.handled and not (
                isinstance(finished, SourceResult) and (finished.inventory or finished.facts))
            if isinstance(finished, SourceResult):
                _add(outcome, finished)
                outcome.handled += 1
            _not_read(outcome)
        finally:
            if closing is not None:
                closing()
    apply_rules(outcome.report, outcome.rulesets, outcome.declaration)
    finalize(outcome.report, complete=not (outcome.interrupted or outcome.failures
                                           or outcome.cut_short))
    return outcome


def _prepare(request: ScanRequest, progress: Progress | None,
             inputs: ScanInputs | None) -> tuple[ScanOutcome, ScanContext]:
    for uri in request.sources:  # every URI checked before the first source is read
        check_uri(uri)
    if inputs is None:
        inputs = load_inputs(request)
    declaration, fingerprint = inputs.declaration, inputs.fingerprint
    started = now_iso()
    redacted = [redact(uri) for uri in request.sources]
    ctx = ScanContext(
        engine=inputs.engine,
        fingerprint=fingerprint,
        now=datetime.now(UTC),
        declaration=declaration.connector_data() if declaration is not None else None,
        progress=progress or SilentProgress(),
        secrets={r: u for r, u in zip(redacted, request.sources, strict=True) if r != u},
    )
    parameters = request.options.as_parameters()
    parameters["executor"] = request.executor_name
    names = NameMasker(fingerprint, ctx.engine)
    for key in ("include", "exclude"):  # a pattern may name a person (--include '*1381…*')
        parameters[key] = [names.name(pattern) for pattern in parameters.get(key, [])]
    report = new_report([names.name(uri) for uri in redacted], parameters, started=started)
    report["scan"]["fingerprint_key_id"] = fingerprint.key_id
    # where relative sources were read from: ``bundle create`` refuses to write over one
    report["scan"]["cwd"] = names.name(os.getcwd())
    return ScanOutcome(report, inputs.rulesets, declaration, names=names), ctx


def _read_sources(request: ScanRequest, outcome: ScanOutcome, ctx: ScanContext,
                  patterns: source_patterns.PatternScope) -> None:
    report = outcome.report
    ctx.progress.start("sources", len(request.sources))
    for uri, shown in zip(request.sources, report["scan"]["sources"], strict=True):
        try:
            result = request.executor(connector_for(uri), uri,
                                      patterns.options_for(uri, request.options), ctx)
        except SourceError as err:
            said = outcome.said(str(err))
            outcome.failures.append(said)
            report["skipped"].append({"source": shown, "location": {}, "reason": said})
            finished = getattr(err, "result", None)  # a runner that lost its workers
            if isinstance(finished, SourceResult):
                _add(outcome, finished)
                outcome.partly += 1
        else:
            outcome.cut_short.extend(_add(outcome, result).incomplete)
            unread = _unread(uri, result)
            unlisted = None if unread else _unlisted(result)
            if unread:
                outcome.failures.append(outcome.said(f"{shown}: {unread}"))
            elif unlisted:  # its buckets' posture was read: the report keeps it
                outcome.failures.append(outcome.said(f"{shown}: {unlisted}"))
                outcome.partly += 1
            else:
                outcome.scanned += 1
        outcome.handled += 1
        ctx.progress.advance("sources")


def _not_read(outcome: ScanOutcome) -> None:
    """The sources an interrupt left unread (one still being listed, the ones after it) are
    said to be, so that a partial report does not read as a clean one that found nothing."""
    report = outcome.report
    for shown in report["scan"]["sources"][outcome.handled:]:
        report["skipped"].append({"source": shown, "location": {},
                                  "reason": "not scanned (interrupted)"})


class LazyEngine:
    """The driver's detection engine, built only when the driver itself detects.

    With a worker pool the driver plans and merges; both need only the recognizers and
    their entity names, which an engine without Hyperscan gives at once. Compiling the Hyperscan
    database costs seconds of CPU, and the workers have their own, so it is built here only
    when a partition runs in the driver (serial executor, small sources). Results do not
    depend on Hyperscan (the engine's own tests hold the two paths equal).
    """

    def __init__(self, recognizer_files: list[str]) -> None:
        from pia.detection.engine import DetectionEngine
        from pia.detection.registry import build_registry

        self._files = list(recognizer_files)
        self._plain = DetectionEngine(build_registry(self._files), prefilter=False)
        self._full: Any = None
        self.recognizers = self._plain.recognizers

    @property
    def entities(self) -> list[str]:
        return self._plain.entities

    def analyze(self, text: str) -> list[Any]:
        """A few short strings the driver reads itself (a column comment, when it merges a
        table's partitions): the engine already built, else the one without Hyperscan, the
        same results without compiling the database for a line."""
        return (self._full or self._plain).analyze(text)

    def __getattr__(self, name: str) -> Any:
        if self._full is None:
            from pia.detection.engine import DetectionEngine, default_engine
            from pia.detection.registry import build_registry

            self._full = (DetectionEngine(build_registry(self._files)) if self._files
                          else default_engine())
        return getattr(self._full, name)


def absolute_source(uri: str) -> str:
    """``uri`` with a relative local path (a file, directory, glob or SQLite database) made
    absolute from this process's working directory; any other source as it is."""
    try:
        connector = connector_for(uri)
        path = connector.where(uri) if connector.name == "sqlite" else file_path(uri)
    except PiaError:
        return uri  # refused when it is read, with its own message
    if connector.name not in ("files", "sqlite") or os.path.isabs(path):
        return uri
    base = os.getcwd()
    if connector.name == "sqlite":
        absolute = os.path.normpath(os.path.join(base, path))
        return "sqlite://" + quote(absolute) if scheme(uri) == "sqlite" else absolute
    if not os.path.lexists(path) and any(c in path for c in "*?["):
        base = glob.escape(base)  # a pattern: the directory's own name matches as written
    return os.path.normpath(os.path.join(base, path))


#: how an object store's connector says a bucket's listing was refused
_UNLISTED_BUCKET = "cannot list objects"


def _unlisted(result: SourceResult) -> str | None:
    """Why no object of an object store could be listed, when none of its buckets' could
    (QA: an account that may read a bucket's location and ACL but not list it passed as a
    clean, complete audit, exit 0): the posture read is kept, but not one object was seen,
    so the source fails as one none of whose objects could be read (exit 2, its report
    written, ``complete: false``). One bucket listed of several is a scan with a skip."""
    refused = sorted({s["reason"] for s in result.skipped
                      if set(s.get("location") or {}) == {"bucket"}
                      and str(s.get("reason", "")).startswith(_UNLISTED_BUCKET)})
    if not refused or any((f.get("attributes") or {}).get("objects_listed")
                          for f in result.facts):
        return None
    return "; ".join(refused)


def _unread(uri: str, result: SourceResult) -> str | None:
    """Why a file or directory named as a source could not be read at all (a corrupt archive,
    an I/O error, a directory that cannot be listed, one none of whose files could be read),
    or None when anything of it was read. Such a source fails like one that cannot be
    opened; a source with some unreadable members (a directory with one corrupt archive) was
    scanned, its skipped list says what."""
    # an item of a file's name (``pia.connectors.name_items``) says nothing was read
    if any(i.get("origin") != NAME_ORIGIN for i in result.inventory) or any(
            (f.get("attributes") or {}).get("lines") for f in result.facts):
        return None
    try:
        roots = [{"path": uri}, {"path": file_path(uri)}]
    except PiaError:
        roots = [{"path": uri}]
    root = next((s["reason"] for s in result.skipped if s.get("location") in roots), None)
    if root is not None or result.facts or not result.skipped:
        return root
    # imported here: the files connector loads the detection engine, and pia.scan is
    # imported by commands that only need its constants
    from pia.connectors.files import READ_FAILURES
    from pia.connectors.files.walk import UNLISTED
    if not all("path" in (s.get("location") or {})
               and str(s.get("reason", "")).startswith(READ_FAILURES) for s in result.skipped):
        return None  # something was looked at and passed over (a binary file): it was read
    # a directory that could not be listed is no file that could not be read: said apart
    folders = {s["location"]["path"] for s in result.skipped if s["reason"].startswith(UNLISTED)}
    files = {s["location"]["path"] for s in result.skipped} - folders
    reasons = sorted({s["reason"] for s in result.skipped})
    shown = f"({'; '.join(reasons[:3])}{'; …' if len(reasons) > 3 else ''})"
    if not folders:
        return f"none of its {len(files)} file(s) could be read {shown}"
    parts = ([f"{len(files)} file(s) unreadable"] if files else []) + [
        f"{len(folders)} sub-director{'y' if len(folders) == 1 else 'ies'} unlistable"]
    return f"nothing in it could be read: {' and '.join(parts)} {shown}"


def _add(outcome: ScanOutcome, result: SourceResult) -> SourceResult:
    """Take a source's result into the report, its names masked (``pia.masked_names``): the
    one place where what connectors found becomes what pia writes. Returns it as taken."""
    if outcome.names is not None:
        result = outcome.names.result(result)
    report = outcome.report
    report["inventory"].extend(result.inventory)
    report["facts"].extend(result.facts)
    report["skipped"].extend(result.skipped)
    return result


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
