"""The database connector contract, once for every engine: plan, scan partitions, merge.

An engine module (``sqlite``, ``postgres``, ``mysql``) subclasses ``DatabaseConnector`` and
supplies five hooks: ``accepts``, ``where`` (the printable host/db), ``connect`` (read-only,
with timeouts), ``reflect`` (tables, columns, comments, grants, keys) and ``fetch`` (a
partition's rows, sampled or whole). Everything that decides what the rows mean is here and in
``stats``/``classify``, so the three engines give the same inventory for the same data.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import datetime
from typing import Any

from pia.connectors.base import (
    PATTERNS_OF_FILES,
    Partial,
    Partition,
    Plan,
    ScanContext,
    ScanOptions,
    SourceResult,
)
from pia.connectors.db.classify import (
    Decision,
    decide_column,
    empty_column,
    item_records,
    merge_columns,
    proven_sources,
)
from pia.connectors.db.comments import masked_comment
from pia.connectors.db.declared import Declared, declared
from pia.connectors.db.dsn import reason, source_error
from pia.connectors.db.facts import column_fact, database_fact, table_fact
from pia.connectors.db.json_keys import items as json_items
from pia.connectors.db.json_keys import minors_in as json_minors
from pia.connectors.db.model import Column, Table, selected
from pia.connectors.db.reconnect import LostSource, lost_table, reconnect
from pia.connectors.db.sampling import sample_keys, split_range
from pia.connectors.db.softdelete import DeletionStats, add_deletion_facts
from pia.connectors.db.stats import TableStats
from pia.connectors.lost import new_run
from pia.errors import SourceError, UsageError
from pia.reports.i18n import Said
from pia.uri import check, redact


class DatabaseConnector:
    name = ""
    engine = ""

    # --- hooks ----------------------------------------------------------------------------

    def accepts(self, uri: str) -> bool:
        raise NotImplementedError

    def where(self, uri: str) -> str:
        """Host and database, safe to print (never credentials)."""
        raise NotImplementedError

    def connect(self, uri: str) -> Any:
        """A read-only connection; raises ``SourceError`` naming host/db on failure."""
        raise NotImplementedError

    def reflect(self, conn: Any, uri: str, options: ScanOptions) -> tuple[str | None, str,
                                                                            list[Table]]:
        """(host, database, tables) — views only when ``options.views``, and only the tables
        ``--include``/``--exclude`` select (``wanted``): nothing is asked of a table that is
        not scanned, so a lock on it cannot stall the plan. A table found unreadable while
        planning carries the reason in ``Table.skipped``."""
        raise NotImplementedError

    def fetch(self, conn: Any, table: Table, spec: dict[str, Any],
              options: ScanOptions) -> Iterator[list[tuple[Any, ...]]]:
        """The partition's rows in chunks, columns in ``table.columns`` order."""
        raise NotImplementedError

    def minmax(self, conn: Any, table: Table, spec: dict[str, Any],
               column: str) -> tuple[Any, Any]:
        raise NotImplementedError

    def driver_error(self) -> type[BaseException]:
        """The driver's base exception class: anything else is a bug, not a source error."""
        raise NotImplementedError

    def is_table_error(self, err: BaseException) -> bool:
        """Whether a driver error fails one table (permission denied...), not the source."""
        raise NotImplementedError

    # --- shared ---------------------------------------------------------------------------

    def ranges(self, table: Table, options: ScanOptions) -> list[dict[str, Any]]:
        """Key ranges (rowid, page or primary key) for a table; one whole range otherwise."""
        part_rows = int(options.extra.get("partition_rows", 0) or 0) or None
        if table.key_min is None or table.key_max is None:
            return [{}]
        args = (table.key_min, table.key_max, table.row_estimate)
        bounds = split_range(*args, part_rows) if part_rows else split_range(*args)
        return [{"lo": lo, "hi": hi, "last": i == len(bounds) - 1}
                for i, (lo, hi) in enumerate(bounds)]

    def sample_keys(self, table: Table, spec: dict[str, Any], options: ScanOptions) -> list[int]:
        """The table's sample key candidates that fall in this partition's range."""
        keys = sample_keys(options.seed, table.qualified, table.key_min, table.key_max,
                           table.row_estimate, options.sample)
        return [k for k in keys if spec["lo"] <= k <= spec["hi"]]

    @staticmethod
    def wanted(schema: str | None, name: str, options: ScanOptions) -> bool:
        return selected(schema, name, options.include, options.exclude)

    def sampling(self, table: Table, options: ScanOptions) -> bool:
        return not options.full and table.row_estimate > options.sample

    def plan(self, uri: str, options: ScanOptions, ctx: ScanContext) -> Plan:
        source = redact(uri)
        real = ctx.real_uri(uri)
        check(real)  # an ambiguous URI would hand pieces of its password to the driver
        if real != source:  # workers reconnect from the redacted source: keep the way back
            ctx.secrets.setdefault(source, real)
        try:
            host, database, tables, found = self._catalogue(real, options)
        except self.driver_error() as err:
            if self.is_table_error(err):
                raise source_error(self.engine, self.where(real), err) from None
            # the connection went away while planning (killed, a failover): planned once
            # more on a new connection, as a table's read goes on on one (``reconnect``)
            try:
                host, database, tables, found = self._catalogue(real, options)
            except self.driver_error() as again:
                raise source_error(self.engine, self.where(real), again) from None
        if options.include and not tables and not found and options.extra.get(
                PATTERNS_OF_FILES):
            # every --include pattern selects local files of this scan and none a table
            # here: they are the files', and this database is read whole
            options = replace(options, include=[])
            try:
                host, database, tables, found = self._catalogue(real, options)
            except self.driver_error() as err:
                raise source_error(self.engine, self.where(real), err) from None
        if options.include and not tables and not found:
            patterns = " ".join(repr(p) for p in options.include)
            hint = "" if options.views else " (views are scanned only with --views)"
            raise UsageError(f"--include {patterns} matches no table in {self.engine} "
                             f"{self.where(real)}{hint}")
        if found:
            raise UsageError(f"{options.filters()}: no table of {self.engine} "
                             f"{self.where(real)} is selected ({found} found)")
        if not tables:  # an empty or mistyped database, as ``no file under DIR`` (QA: a
            # 0-byte shop.db scanned as a clean audit of nothing)
            hint = "" if options.views else " (views are scanned only with --views)"
            raise SourceError(f"no table in {self.engine} {self.where(real)}{hint}")
        plan = Plan(facts=[database_fact(source, self.engine, host, database)])
        run = new_run()  # a connection lost for good is this planning's (``reconnect``)
        for table in tables:
            plan.facts.append(table_fact(source, table))
            if table.partial:
                plan.skipped.append({"source": source, "location": table.location(),
                                     "reason": f"{table.qualified}: {table.partial}"})
            if table.skipped:
                plan.partitions.append(_unread_partition(self.name, source, table))
                continue
            specs = [_offsets(spec, table) for spec in self.ranges(table, options)]
            if table.key_min is not None:
                ctx.secrets[_span_key(source, table)] = f"{table.key_min} {table.key_max}"
            shown = {**table.to_spec(), "key_min": None, "key_max": None}
            sampled = self.sampling(table, options)
            read = options.sample if sampled else table.row_estimate  # rows it will read
            for i, spec in enumerate(specs):
                spec = {**spec, "sample": sampled}
                plan.partitions.append(Partition(
                    connector=self.name, source=source, key=f"{table.qualified}#{i}",
                    spec={"table": shown, "range": spec, "index": i,
                          "parts": len(specs), "run": run},
                    state=_state(table, ctx),
                    weight=max(1, read // len(specs)),
                ))
        ctx.progress.start("tables", len(tables))
        return plan

    def _catalogue(self, real: str, options: ScanOptions) -> tuple[str | None, str,
                                                                   list[Table], int]:
        """(host, database, the tables selected, how many the patterns left out when they
        select none)."""
        with closing(self.connect(real)) as conn:
            host, database, tables = self.reflect(conn, real, options)
            tables = [t for t in tables if self.wanted(t.schema, t.name, options)]
            # what the patterns left out, for an error that they select nothing (a typo,
            # or --exclude '*': not a clean audit of nothing)
            found = (len(self.reflect(conn, real, replace(options, exclude=[]))[2])
                     if not tables and options.exclude else 0)
        return host, database, tables, found

    def scan_partition(self, partition: Partition, options: ScanOptions,
                       ctx: ScanContext) -> Partial:
        table = Table.from_spec(partition.spec["table"])
        try:
            return self._scan_table(table, partition, options, ctx)
        finally:
            if partition.spec["index"] == partition.spec["parts"] - 1:
                ctx.progress.advance("tables")

    def _scan_table(self, table: Table, partition: Partition, options: ScanOptions,
                    ctx: ScanContext) -> Partial:
        if partition.spec.get("skipped"):  # found unreadable while planning: nothing to read
            return {"skipped": f"{table.qualified}: {partition.spec['skipped']}"}
        spec = _resolved(partition.spec["range"], table, partition.source, ctx)
        marks = declared(ctx.declaration, partition.source, table.location())
        stats = TableStats([c.name for c in table.columns], [c.comment for c in table.columns],
                           ctx, set(ctx.engine.entities), table.name)
        times: dict[str, list[Any]] = {}
        deleted = DeletionStats(table, marks.deletion_grace, stats.today,
                                bool(spec.get("sample")))
        try:
            conn = reconnect(self, partition, ctx)
        except LostSource as err:
            return lost_table(table, str(err))
        try:
            with closing(conn):
                for chunk in self.fetch(conn, table, spec, options):
                    stats.add(chunk)
                    deleted.add(chunk)
                for column in table.columns:
                    if marks.is_timestamp(table.schema, table.name, column.name):
                        lo, hi = self.minmax(conn, table, spec, column.name)
                        times[column.name] = [_iso(lo), _iso(hi)]
        except self.driver_error() as err:
            if not self.is_table_error(err):
                # the connection went away (killed, a failover, a restart) or the server
                # failed: this table is not read, the tables read are kept, and the next
                # partition reconnects (``reconnect``)
                return lost_table(table, reason(err))
            return {"skipped": f"{table.qualified}: {reason(err)}"}
        return {**stats.result(), "times": times, **deleted.result()}

    def partition_location(self, partition: Partition) -> dict[str, Any]:
        """Where a partition left unscanned (an interrupted scan) lies: its table."""
        return Table.from_spec(partition.spec["table"]).location()

    def merge(self, plan: Plan, partials: dict[str, Partial], options: ScanOptions,
              ctx: ScanContext) -> SourceResult:
        result = SourceResult(facts=list(plan.facts), skipped=list(plan.skipped))
        by_table: dict[str, list[Partition]] = {}
        for partition in plan.partitions:
            by_table.setdefault(partition.spec["table"]["name"] + "\x00"
                                + str(partition.spec["table"]["schema"]), []).append(partition)
        read = 0
        lost: list[str] = []  # tables not read for a connection lost (``reconnect``)
        table_facts = {_where(f["location"]): n for n, f in enumerate(result.facts)
                       if f["kind"] == "table"}
        for parts in by_table.values():
            table = Table.from_spec(parts[0].spec["table"])
            got = [partials[p.key] for p in sorted(parts, key=lambda p: p.spec["index"])]
            failed = sorted({g["skipped"] for g in got if "skipped" in g})
            marks = declared(ctx.declaration, parts[0].source, table.location())
            if failed:
                if any(g.get("lost") for g in got):  # one table, however many partitions
                    lost.append(failed[0])
                result.skipped.append({"source": parts[0].source, "location": table.location(),
                                       "reason": failed[0]})
                _unread_items(result, parts[0].source, table, table.columns + table.unread,
                              failed[0][len(table.qualified) + 2:], marks, ctx)
                continue
            rows = self._merge_table(result, parts[0].source, table, got, marks, ctx)
            at = table_facts.get(_where(table.location()))
            if at is not None:  # what a --full claim is checked against (bundle.evidence)
                fact = result.facts[at]
                result.facts[at] = {**fact, "attributes": {**fact["attributes"],
                                                           "rows_read": rows}}
            add_deletion_facts(result, parts[0].source, table, got,
                               lambda comment: masked_comment(comment, ctx))
            read += 1
        if lost:
            lost.sort()
            result.incomplete.append(Said("cut:tables_lost", {
                "where": f"{self.engine} {self.where(plan.facts[0]['source'])}",
                "n": len(lost), "first": lost[0], "more": "; …" if len(lost) > 1 else ""}))
        if not read:
            self._check_read(plan, result)
        return result

    def _check_read(self, plan: Plan, result: SourceResult) -> None:
        """Raise ``NothingRead`` when tables were in scope and not one could be read (all
        denied, say): an account that may read nothing must not pass as a database holding
        no PI (qa-db H1), any more than a directory none of whose files could be read does.
        A database with no table in scope is not judged: it was read, and is empty."""
        tables = [f["location"] for f in plan.facts if f["kind"] == "table"]
        if not tables:
            return
        located = {_where(s["location"]): s["reason"] for s in result.skipped
                   if s["location"].get("table") is not None}
        reasons = sorted({located.get(_where(t), "").split(": ", 1)[-1] or "not read"
                          for t in tables})
        what = (f"none of its {len(tables)} tables in scope could" if len(tables) > 1
                else "its one table in scope could not")
        raise NothingRead(f"{self.engine} {self.where(plan.facts[0]['source'])}: {what} be "
                          f"read ({'; '.join(reasons[:3])}{'; …' if len(reasons) > 3 else ''})",
                          result)

    def _merge_table(self, result: SourceResult, source: str, table: Table,
                     got: list[Partial], marks: Declared, ctx: ScanContext) -> int:
        """The table's items and column facts into ``result``; the rows it was read on."""
        rows, merged = merge_columns(got)
        times: dict[str, tuple[Any, Any]] = {}
        for partial in got:
            for name, (lo, hi) in partial["times"].items():
                old = times.get(name, (None, None))
                times[name] = (_pick(min, old[0], lo), _pick(max, old[1], hi))
        decisions: dict[str, Decision] = {}
        for column in table.columns:
            col = merged[column.name]
            hint = marks.protection_of(table.schema, table.name, column.name)
            decisions[column.name] = decide_column(column.name, column.comment, col, hint,
                                                   proven_sources(col), table.name)
        _adopt_proven(decisions, merged)
        # PIPL 28: every PI column of a table whose rows show children under 14 holds
        # children's PI (their names as much as the birth dates that tell their age)
        minors = max((merged[c.name]["births"]["minors"] + merged[c.name]["dob"]["minors"]
                      + json_minors(merged[c.name].get("json", {})) for c in table.columns),
                     default=0)
        for column in table.columns:
            decision = decisions[column.name]
            col = merged[column.name]
            own = col["births"]["minors"] + col["dob"]["minors"]
            result.inventory.extend(
                item_records(table, column.name, decision, source, col["nonnull"], minors, own))
            result.inventory.extend(json_items(
                table, column.name, col.get("json", {}), source, col["nonnull"], item_records,
                lambda protection: Decision(protection, []), minors))
            is_time = marks.is_timestamp(table.schema, table.name, column.name)
            if decision.items or is_time or col.get("json"):
                result.facts.append(_column_fact(source, table, column, col, decision, ctx,
                                                 times.get(column.name)))
        _unread_items(result, source, table, table.unread, UNREAD_COLUMN, marks, ctx)
        return rows


#: why a column the catalogue shows, of a table that was read, was not (``Table.unread``)
UNREAD_COLUMN = "permission denied on the column"


def _column_fact(source: str, table: Table, column: Column, col: dict[str, Any],
                 decision: Decision, ctx: ScanContext,
                 times: tuple[Any, Any] | None = None) -> dict[str, Any]:
    """A decided column's fact, its comment masked as the report may show it."""
    names = any(e in ("CN_NAME", "PERSON") for e in decision.items) or any(
        m.entity_type in ("CN_NAME", "PERSON") for m in decision.meta)
    return column_fact(source, table, column, col, times,
                       masked_comment(column.comment, ctx, names),
                       holds=min(decision.items, default=None))


def _unread_items(result: SourceResult, source: str, table: Table, columns: list[Column],
                  why: str, marks: Declared, ctx: ScanContext) -> None:
    """The items of columns that were not read (their table locked, denied or timed out; a
    column the account may not read), from their names and comments alone, as an empty
    table's are, each saying why it was not sampled (``not_sampled``): an inventory that
    dropped them lost the ``sfzh`` of a table locked during the scan (qa-db L3)."""
    for column in columns:
        hint = marks.protection_of(table.schema, table.name, column.name)
        col = empty_column()
        decision = decide_column(column.name, column.comment, col, hint, None, table.name)
        if not decision.items:
            continue
        decision.not_sampled = why
        result.inventory.extend(item_records(table, column.name, decision, source, 0))
        result.facts.append(_column_fact(source, table, column, col, decision, ctx))


class NothingRead(SourceError):
    """A database none of whose tables in scope could be read: it fails as a source that
    could not be opened (exit 2, an incomplete report), and ``result`` carries what planning
    saw and why each table was skipped, so that the report keeps them."""

    def __init__(self, message: str, result: SourceResult) -> None:
        super().__init__(message)
        self.result = result


def _unread_partition(connector: str, source: str, table: Table) -> Partition:
    """A partition of a table found unreadable while planning: it reads nothing, and merges
    as a table that failed, keeping its columns' names and comments (``_unread_items``). Its
    state matches no later plan's, so that a resumed scan tries the table again."""
    shown = {**table.to_spec(), "key_min": None, "key_max": None}
    return Partition(connector=connector, source=source, key=f"{table.qualified}#0",
                     spec={"table": shown, "range": {}, "index": 0, "parts": 1,
                           "skipped": table.skipped},
                     state=f"skipped-{secrets.token_hex(8)}", weight=1)


def _where(location: dict[str, Any]) -> tuple[Any, ...]:
    return location.get("database"), location.get("schema"), location.get("table")


def _adopt_proven(decisions: dict[str, Decision], merged: dict[str, dict[str, Any]]) -> None:
    """A digest column with no name of its own takes the entity of the plaintext it hashes."""
    for name, decision in decisions.items():
        if decision.items:
            continue
        col = merged[name]
        for other in proven_sources(col):
            source = decisions.get(other)
            if source is None:
                continue
            proofs = sum(n for k, n in col["proofs"].items() if k.startswith(other + "\x00"))
            for entity in source.items:
                decision.items[entity] = {
                    "count": proofs, "share": round(proofs / max(col["checked"], 1), 4),
                    "score": 0.95, "signals": ["values"], "evidence": None,
                    "matched_term": None,
                }


#: a time as databases write one in text: 2024-05-01, 2024-05-01 10:00:00[.123][+08[:00]]
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?"
                       r"(?:Z|[+-]\d{2}(?::?\d{2})?)?)?")


def _span_key(source: str, table: Table) -> str:
    """Where a table's key span travels to the workers: with the credentials, in
    ``ScanContext.secrets`` (no redacted URI starts with a space)."""
    return f" key span {source} {table.qualified}"


def _offsets(spec: dict[str, Any], table: Table) -> dict[str, Any]:
    """A range as offsets from the table's smallest key. A partition travels in the task
    graph (a Dask scheduler shows it) and an integer key may be personal information (a
    table keyed by mobile or QQ number), so it carries no key value: the smallest and
    largest keys go to the workers out of band (``_span_key``), and a worker adds them back
    (``_resolved``)."""
    if "lo" not in spec or table.key_min is None:
        return spec
    return {**spec, "lo": spec["lo"] - table.key_min, "hi": spec["hi"] - table.key_min}


def _resolved(spec: dict[str, Any], table: Table, source: str,
              ctx: ScanContext) -> dict[str, Any]:
    """``_offsets`` undone on the worker: the key span put back on ``table``, and the range's
    offsets turned back into keys."""
    span = ctx.secrets.get(_span_key(source, table))
    if span is None:
        if "lo" in spec:
            raise UsageError(f"{table.qualified}: this worker has no key span for the scan;"
                             " restart the scan")
        return spec
    table.key_min, table.key_max = (int(v) for v in span.split())
    if "lo" not in spec:
        return spec
    return {**spec, "lo": spec["lo"] + table.key_min, "hi": spec["hi"] + table.key_min}


def _state(table: Table, ctx: ScanContext) -> str:
    """What a resumed scan compares to tell a table unchanged: its row estimate, key range
    and version (``Table.version``; a row count and key range miss every UPDATE and DELETE).
    A table whose engine gives no version gets a state no later plan repeats: it is always
    rescanned. The journal keeps the state on disk, and a key may be PI (a table keyed by
    mobile number), so the range is kept as a keyed fingerprint."""
    keys = ctx.fingerprint("KEY_RANGE", f"{table.key_min}-{table.key_max}")
    version = table.version if table.version is not None else f"unknown-{secrets.token_hex(8)}"
    return f"rows={table.row_estimate};keys={keys};version={version}"


def _iso(value: Any) -> str | None:
    """A declared timestamp column's bound as ISO 8601; None for a value that is not a time
    (a column declared by mistake, or text: its raw value must not reach the report)."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and _ISO_TIME.fullmatch(value.strip()):
        # the pattern first: fromisoformat also takes the basic form, and read an ID number
        # (11010519491231002X) as a date whose digits are the ID's
        try:
            datetime.fromisoformat(value.strip())
        except ValueError:  # 2024-13-45
            return None
        return value.strip()
    return None


def _pick(fn: Any, a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return fn(a, b)
