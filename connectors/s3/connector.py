"""The S3 connector: plan buckets into batches of keys, read each object, merge into items.

Planning reads each bucket's posture (always recorded, see ``posture``), lists its objects
and samples them per prefix (``listing``); partitions are batches of keys with their sizes,
JSON-able and secret-free, so any process can scan them after rebuilding its clients from the
standard AWS configuration and ``options.extra["endpoint_url"]``. Objects go through the files
connector's blob handlers (text, gzip, JSON lines, CSV, zip/tar; binary skipped) and become
items as a file's do: values found (``merge.inventory_item``) and values under a field whose
name says what they are (``merge.field_item``: a password in a JSON log, a CSV's latitude),
located by bucket, key, field and lines. Every key listed (and selected) is judged by its
name, sampled or not (``name_items.NamedPlaces``, no read), and an archive's members by theirs.

A source fails as a whole (``SourceError``) only when nothing could be read at all, or when
its prefix holds no object (``s3://app-logs/exprots/``: a typo, like a glob that matches no
file), nor does a bucket named as the source (``s3://empty-bucket``: an empty or mistyped
bucket must not pass for a clean one either; with ``s3://``, every bucket the credentials
see, an empty one is just listed); a denied bucket, a denied or vanished object, an exhausted
retry become ``skipped`` records.

``options.extra`` keys: ``endpoint_url``, ``provider`` (the cloud a custom endpoint fronts:
``aws``, ``aliyun``, ``tencent``, ``huawei``; without it a custom endpoint's regions are of
unknown jurisdiction), ``max_objects`` (per prefix), ``max_bytes`` (per
object, ranged GET), ``retry_mode``, ``max_attempts``, ``connect_timeout``,
``read_timeout``, ``addressing_style``. ``options.full`` lifts both sampling limits.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pia.connectors.base import Partial, Partition, Plan, ScanContext, ScanOptions, SourceResult
from pia.connectors.files.merge import (
    field_item,
    inventory_item,
    log_verdict,
    mark_children,
    mixed_members,
)
from pia.connectors.files.sampling import decompressed_attribute
from pia.connectors.lost import key_of, new_run, why_lost
from pia.connectors.name_items import NamedPlaces, name_items
from pia.connectors.s3 import outage
from pia.connectors.s3.client import (
    CALL_ERRORS,
    Clients,
    classify,
    driver_environment,
    endpoint_of,
    endpoint_problem,
)
from pia.connectors.s3.listing import (
    ListingProgress,
    Stratified,
    iter_objects,
    list_buckets,
    no_bucket_visible,
    parse_target,
    selected,
)
from pia.connectors.s3.objects import VERSION_ATTRIBUTES, object_location, read_object
from pia.connectors.s3.posture import (
    ACCESS_DENIED,
    NOT_JUDGED,
    UNAVAILABLE,
    Fatal,
    bucket_fact,
    bucket_region,
    grants_public,
    unread_posture,
)
from pia.connectors.s3.reach import lifecycle_facts, public_objects
from pia.connectors.s3.versions import ARCHIVED, noncurrent_versions
from pia.errors import SourceError, UsageError
from pia.uri import redact

DEFAULT_MAX_OBJECTS = 100
DEFAULT_MAX_BYTES = 16 << 20
#: a partition holds at most this many objects, or about this many bytes to read
#: a partition's objects: few enough that an interrupted scan keeps most of what it read,
#: and that a bucket of tens of MiB is shared among the workers (64 MiB made a 44 MB bucket
#: one partition: no parallelism, and a Ctrl-C after 12 s of 45 kept nothing); as files
#: are cut into 8 MiB ranges
BATCH_OBJECTS = 32
BATCH_BYTES = 8 << 20
_POSTURE = ("encryption", "public_access_block", "public_acl", "public_policy", "versioning",
            "object_lock", "lifecycle", "logging", "replication", "tags")
_CLIENT_KEYS = ("endpoint_url", "provider", "retry_mode", "max_attempts", "connect_timeout",
                "read_timeout", "addressing_style")
_OBJECT_REASONS = {"missing": "object vanished between listing and reading"}
#: the places (keys, folders) named by a person's number a bucket's listing says one item
#: each; past them, per folder (``name_items.NamedPlaces``): a bucket of a million avatars
#: keyed by mobiles is not a million items
MAX_NAMED_PLACES = 1000


def _positive(options: ScanOptions, name: str, default: int) -> int:
    value = options.extra.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        flag = "--" + name.replace("_", "-")
        raise UsageError(f"{flag} must be a positive integer, not {value!r}")
    return number


def limits(options: ScanOptions) -> tuple[int | None, int | None]:
    """(max objects per prefix, max bytes per object); ``--full`` lifts both."""
    if options.full:
        return None, None
    return (_positive(options, "max_objects", DEFAULT_MAX_OBJECTS),
            _positive(options, "max_bytes", DEFAULT_MAX_BYTES))


def _batches(objects: list[dict[str, Any]], max_bytes: int | None) -> list[list[dict]]:
    out: list[list[dict[str, Any]]] = []
    size = 0
    for obj in objects:
        cost = min(obj["size"], max_bytes) if max_bytes is not None else obj["size"]
        if not out or len(out[-1]) >= BATCH_OBJECTS or size + cost > BATCH_BYTES:
            out.append([])
            size = 0
        out[-1].append(obj)
        size += cost
    return out


def object_fact(source: str, entry: dict[str, Any]) -> dict[str, Any]:
    """The ``object`` fact of a sampled object (attribute names: contract with rulesets);
    ``public_acl`` for an object holding PI (``object_acl``); ``format`` and ``is_log``
    (``object_is_log``)."""
    fmt, log, logs = object_is_log(entry)
    attrs = {"bucket": entry["bucket"], "key": entry["key"],
             "last_modified": entry["last_modified"], "size": entry["size"],
             "bytes_read": entry["bytes_read"], "format": fmt, "is_log": log,
             **decompressed_attribute(entry.get("blobs") or []),
             **{name: entry[name] for name in VERSION_ATTRIBUTES if name in entry}}
    if mixed := mixed_members(log, logs):
        attrs["log_members"] = mixed
    if "public_acl" in entry:
        attrs["public_acl"] = entry["public_acl"]
    return {"kind": "object", "source": source,
            "location": object_location(entry["bucket"], entry), "attributes": attrs}


def object_is_log(entry: dict[str, Any]) -> tuple[str, bool, dict[str, bool]]:
    """The format an object was read as, whether it is a log, and for an archive each
    member's verdict, judged as a file's (``merge.log_verdict``) with its bucket as the
    directory it lies in: ``users.csv`` in ``qa-logs`` is a data export, as it is in a
    ``logs/`` directory (a bucket's name that says logs makes its compressed objects and
    rotated CSVs logs, not its exports), while ``access.log`` or a timestamped text is a log
    wherever it lies; ``app.log`` in ``old.tar.gz`` is a log and ``users.csv`` beside it
    data, as unpacked on disk."""
    blobs = entry.get("blobs") or []  # none: judged by its key alone
    whole = [b for b in blobs if "member" not in b["location"]]
    fmt = whole[0]["format"] if whole else ("archive" if blobs else "unknown")
    key = entry["key"]
    log, logs = log_verdict(key, f"{entry['bucket']}/{key}", blobs, fmt)
    return fmt, log, logs


def object_acl(client: Any, bucket: str, obj: dict[str, Any], ignored: bool) -> bool | str:
    """Whether an object's own ACL makes it public, as it takes effect: ``"blocked"`` when
    the bucket's IgnorePublicAcls neutralises it (a bucket whose ownership is enforced
    answers its owner's grant only); ``"access_denied"``/``"unavailable"`` when unread. A
    noncurrent version's is its own (``version_id``)."""
    try:
        version = {"VersionId": obj["version_id"]} if obj.get("version_id") else {}
        public = grants_public(client.get_object_acl(Bucket=bucket, Key=obj["key"], **version))
    except CALL_ERRORS as err:
        return ACCESS_DENIED if classify(err).kind == "denied" else UNAVAILABLE
    return "blocked" if public and ignored else public


class S3Connector:
    """S3-compatible object storage: AWS, Aliyun OSS, Tencent COS, Huawei OBS, MinIO, Ceph."""

    name = "s3"

    def __init__(self) -> None:
        self._clients: Clients | None = None
        self._clients_key: tuple | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {}  # clients are rebuilt in the process that scans

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]

    def clients(self, options: ScanOptions, ctx: ScanContext | None = None) -> Clients:
        """This process's clients for ``options``, with the driver's environment when a
        worker scans (``ScanContext.environment``)."""
        environment = ctx.environment if ctx is not None else {}
        key = (tuple(str(options.extra.get(k)) for k in _CLIENT_KEYS),
               tuple(sorted(environment.items())))
        if self._clients is None or key != self._clients_key:
            self._clients, self._clients_key = Clients(options.extra, environment), key
        return self._clients

    def accepts(self, uri: str) -> bool:
        return uri[:5].lower() == "s3://"

    def worker_environment(self, options: ScanOptions) -> dict[str, str]:
        """Asked on the driver before partitions go to workers, which may run elsewhere:
        the credentials, region and settings its clients use (``driver_environment``)."""
        return driver_environment(self.clients(options).session())

    # --- plan ------------------------------------------------------------------------------

    def plan(self, uri: str, options: ScanOptions, ctx: ScanContext) -> Plan:
        target = parse_target(uri)
        limits(options)  # a usage error before any request
        source = redact(uri)
        problem = endpoint_problem(options.extra.get("endpoint_url") or None)
        if problem:
            raise UsageError(f"{source}: {problem}")
        clients = self.clients(options, ctx)
        plan = Plan()
        run = new_run()  # the outage of an endpoint is this planning's (``outage``)
        try:
            buckets = [target.bucket] if target.bucket else list_buckets(clients.get())
        except CALL_ERRORS as err:
            failure = classify(err, clients.endpoint, first=clients.get())
            raise SourceError(f"{source}: {failure.reason}") from None
        if not buckets:
            region = clients.get().meta.region_name
            raise SourceError(f"{source}: {no_bucket_visible(clients.endpoint, region)}")
        read_any, found, unselected = False, 0, True
        listing = ListingProgress(ctx.progress)
        mainland = ((ctx.declaration or {}).get("organisation") or {}).get("mainland_regions")
        for index, bucket in enumerate(buckets):
            try:
                read, listed = self._plan_bucket(plan, clients, source, bucket,
                                                 target.prefix, options, mainland,
                                                 named=bool(target.bucket), run=run,
                                                 listing=listing, ctx=ctx)
                read_any |= read
                if listed:  # this bucket's fact is the last one
                    found += listed
                    unselected &= plan.facts[-1]["attributes"]["objects_listed"] == 0
            except Fatal as err:
                if not read_any:
                    raise SourceError(f"{source}: {err.reason}") from None
                plan.skipped.extend({"source": source, "location": {"bucket": b},
                                     "reason": err.reason} for b in buckets[index:])
                break
        if buckets and not read_any:
            reasons = sorted({s["reason"] for s in plan.skipped
                              if not s["reason"].endswith(NOT_JUDGED)}) or ["nothing readable"]
            raise SourceError(f"{source}: {'; '.join(reasons)}")
        if (options.include or options.exclude) and found and unselected:
            # a typo (*.CSV) must not pass as a clean audit: as for tables and files
            raise UsageError(f"{options.filters()}: no object of {source} is selected "
                             f"({found} listed)")
        listing.done()
        ctx.progress.start("objects", sum(len(p.spec["objects"]) for p in plan.partitions))
        return plan

    def _plan_bucket(self, plan: Plan, clients: Clients, source: str, bucket: str,
                     prefix: str, options: ScanOptions, mainland: Any = None,
                     named: bool = False, run: str = "",
                     listing: ListingProgress | None = None,
                     ctx: ScanContext | None = None) -> tuple[bool, int]:
        """Posture, listing and partitions of one bucket: (whether anything was read, the
        objects found in a complete listing, before ``--include``/``--exclude``);
        ``mainland``: the declaration's ``mainland_regions``, placing a region as rules do;
        ``named``: the source names this bucket, which must then hold an object, as a prefix
        must; ``run``: the plan's token, carried by its partitions (``lost.key_of``);
        ``listing``: where the objects listed are counted for the terminal; ``ctx``: the
        scan's, whose masking names the bucket in a warning."""
        where = {"bucket": bucket}
        region, region_error = bucket_region(clients.get(), bucket)
        if region_error == "NoSuchBucket":
            plan.skipped.append({"source": source, "location": where, "reason": "no such bucket"})
            return False, 0
        client = clients.get(region)
        fact = bucket_fact(client, source, bucket, region, clients.provider, region_error,
                           mainland)
        plan.facts.append(fact)
        attrs = fact["attributes"]
        attrs["endpoint"] = clients.endpoint
        unread = unread_posture(attrs)
        if unread is not None:
            plan.skipped.append({"source": source, "location": where, "reason": unread})
        read_posture = any(attrs[name] not in (ACCESS_DENIED, UNAVAILABLE) for name in _POSTURE)
        per_prefix, max_bytes = limits(options)
        sample = Stratified(bucket, options.seed, per_prefix)
        # every key listed is judged by its name, sampled or not: no read, and the items
        # bounded (``MAX_NAMED_PLACES``)
        places = NamedPlaces(ctx.fingerprint, MAX_NAMED_PLACES) if ctx is not None else None

        def at(key: str) -> dict[str, Any]:
            return {"bucket": bucket, "key": key} if key else {"bucket": bucket}

        listed, found = True, 0
        try:
            objects = iter_objects(client, bucket, prefix)
            for obj in listing.counted(objects) if listing is not None else objects:
                found += 1
                if selected(obj["key"], prefix, options.include, options.exclude):
                    sample.add(obj)
                    if places is not None:
                        places.add(obj["key"], at)
        except CALL_ERRORS as err:
            failure = classify(err, clients.endpoint)
            if failure.kind == "fatal":
                raise Fatal(failure.reason) from None
            # a listing that got no answer counts toward the endpoint's outage: the reads
            # that follow in this process give up sooner
            outage.failed(key_of(run, source, endpoint_of(client)), err, failure, client)
            cut = f"listing cut after {sample.listed} objects" if sample.listed else (
                "cannot list objects")
            plan.skipped.append({"source": source, "location": where,
                                 "reason": f"{cut}: {failure.reason}"})
            listed = sample.listed > 0
        if (prefix or named) and listed and not found:
            raise SourceError(f"no object under {source}")
        chosen = []
        for obj in sample.sample():
            if obj["storage_class"] in ARCHIVED:
                plan.skipped.append({"source": source, "location": {**where, "key": obj["key"]},
                                     "reason": f"archived ({obj['storage_class']}): restore "
                                               "it before it can be read"})
            else:
                chosen.append(obj)
        attrs["objects_listed"] = sample.listed
        attrs["objects_sampled"] = len(chosen)
        if places is not None:
            attrs["objects_named"] = places.named
            plan.inventory.extend(places.items(source))
        if attrs["versioning"] in ("Enabled", "Suspended"):
            chosen += noncurrent_versions(plan, client, source, bucket, prefix, options,
                                          attrs, limits(options)[0], ctx)
        for batch in _batches(chosen, max_bytes):
            state = hashlib.sha256("\n".join(
                f"{o['key']}:{o.get('version_id', '')}:{o['etag']}:{o['size']}"
                for o in batch).encode()).hexdigest()[:16]
            weight = sum(min(o["size"], max_bytes or o["size"]) for o in batch)
            plan.partitions.append(Partition(
                self.name, source, f"s3://{bucket}/{batch[0]['key']}",
                {"bucket": bucket, "region": region, "objects": batch, "run": run,
                 "ignore_public_acls": attrs.get("ignore_public_acls") is True},
                state, max(weight, 1)))
        complete = not any(s["location"] == where and s["reason"].startswith(
            ("listing cut", "cannot list")) for s in plan.skipped)
        if listed and not complete:  # objects_listed is not the bucket's: the report says so
            attrs["listing_complete"] = False
        return listed or read_posture, found if complete else 0

    # --- scan ------------------------------------------------------------------------------

    def scan_partition(self, partition: Partition, options: ScanOptions,
                       ctx: ScanContext) -> Partial:
        """The partition's objects read; those left when its endpoint is lost (``outage``)
        are not tried, and the partial says so (``lost``, ``unread``): it is not done."""
        spec = partition.spec
        bucket = spec["bucket"]
        _, max_bytes = limits(options)
        partial: Partial = {"objects": [], "skipped": []}
        objects = spec["objects"]
        clients = self.clients(options, ctx)
        try:
            key = key_of(spec.get("run", ""), partition.source,
                         endpoint_of(clients.get(spec["region"])))
        except SourceError as err:
            return outage.cut_short(partial, objects, str(err), ctx)
        for index, obj in enumerate(objects):
            why = why_lost(key)
            if why is not None:
                return outage.cut_short(partial, objects[index:], why, ctx)
            # tried once while the endpoint is silent: a frozen one is given up in ~50 s
            client = clients.get(spec["region"], once=outage.suspect(key))
            try:
                entry = read_object(client, bucket, obj, max_bytes, ctx, options)
                if any(blob["entities"] or blob.get("fields") for blob in entry["blobs"]):
                    entry["public_acl"] = object_acl(
                        client, bucket, obj, spec.get("ignore_public_acls", False))
                partial["objects"].append(entry)
                outage.answered(key)
            except CALL_ERRORS as err:
                failure = classify(err, endpoint_of(client))
                why = outage.failed(key, err, failure, client)
                if why is not None:  # this object and the rest are not read
                    return outage.cut_short(partial, objects[index:], why, ctx)
                if outage.transient(err, failure):
                    partial["lost"] = failure.reason  # not done: --resume tries it again
                partial["skipped"].append({"location": object_location(bucket, obj),
                                           "reason": _OBJECT_REASONS.get(failure.kind,
                                                                         failure.reason)})
            ctx.progress.advance("objects")
        return partial

    # --- merge -----------------------------------------------------------------------------

    def partition_label(self, partition: Partition) -> str:
        """How an unscanned partition is named: by its first object, and how many more it
        holds (it read like one object alone)."""
        more = len(partition.spec["objects"]) - 1
        return f"partition {partition.key}" + (f" and {more} more object{'s' * (more > 1)}"
                                               if more else "")

    def partition_location(self, partition: Partition) -> dict[str, Any]:
        """Where a partition left unscanned (an interrupted scan) lies: its bucket and the key
        of its first object, as a file's names its path (``partition_label`` says how many
        more objects it holds); a key only in the free-text reason was lost to whatever
        reads the report by its locations."""
        spec = partition.spec
        return {"bucket": spec["bucket"], "key": spec["objects"][0]["key"]}

    def merge(self, plan: Plan, partials: dict[str, Partial], options: ScanOptions,
              ctx: ScanContext) -> SourceResult:
        """Items, object facts and skipped records in plan order (deterministic)."""
        result = SourceResult(inventory=list(plan.inventory), facts=list(plan.facts),
                              skipped=list(plan.skipped))
        for partition in plan.partitions:
            source, partial = partition.source, partials.get(partition.key)
            if partial is None:
                result.skipped.extend(
                    {"source": source, "location": object_location(partition.spec["bucket"], o),
                     "reason": f"partition {partition.key} not scanned"}
                    for o in partition.spec["objects"])
                continue
            for entry in partial["objects"]:
                result.facts.append(object_fact(source, entry))
                result.skipped.extend({"source": source, **s} for s in entry["skipped"])
                # an archive's members named by a person's number, at the key and member
                result.inventory.extend({"source": source, **item}
                                        for item in entry.get("names", []))
                for blob in entry["blobs"]:
                    for entity in sorted(blob["entities"]):
                        result.inventory.append(inventory_item(
                            source, blob["location"], entity, blob["entities"][entity],
                            blob["lines"]))
                    for field, by_entity in sorted(blob.get("fields", {}).items()):
                        for entity, found in sorted(by_entity.items()):
                            result.inventory.append(field_item(
                                source, blob["location"], field, entity, found, blob["lines"]))
            result.skipped.extend({"source": source, **s} for s in partial["skipped"])
        # a key that names a person is PI of its own, once, whatever versions: the listing
        # judged every current key (plan.inventory); a deleted object's key only here
        named = set()
        for partition in plan.partitions:
            for obj in partition.spec["objects"]:
                if not obj.get("deleted") or (partition.spec["bucket"], obj["key"]) in named:
                    continue
                named.add((partition.spec["bucket"], obj["key"]))
                result.inventory.extend(name_items(
                    partition.source, {"bucket": partition.spec["bucket"], "key": obj["key"]},
                    obj["key"], ctx.fingerprint))
        mark_children(result.inventory)
        lost = outage.say_lost(result, plan, partials)
        lifecycle_facts(result, ctx.now.date())
        public_objects(result)
        _check_read(plan, partials, result, lost)
        return result


class NothingRead(SourceError):
    """A source none of whose selected objects could be read (all denied, say): it fails as
    a file of which nothing could be read does (exit 2), and ``result`` carries its posture
    and what was skipped, so that the report keeps them (marked incomplete)."""

    def __init__(self, message: str, result: SourceResult) -> None:
        super().__init__(message)
        self.result = result


def _check_read(plan: Plan, partials: dict[str, Partial], result: SourceResult,
                lost: list[str]) -> None:
    """Raise ``NothingRead`` when objects were selected, every one was tried, and none could
    be read: a bucket whose objects are all refused must not pass as one holding no PI. A
    source whose partitions were not all scanned (an interrupted scan) is not judged here:
    what was not tried says nothing yet."""
    chosen = sum(f["attributes"].get("objects_sampled") or 0
                 for f in plan.facts if f["kind"] == "bucket")
    tried = sum(len(p.spec["objects"]) for p in plan.partitions
                if partials.get(p.key) is not None)
    if not chosen or tried < chosen or any(f["kind"] == "object" for f in result.facts):
        return
    reasons = sorted({s["reason"] for s in result.skipped if "key" in s["location"]}
                     | set(lost))
    what = (f"none of the {chosen} objects selected could" if chosen > 1
            else "the one object selected could not")
    raise NothingRead(
        f"{plan.partitions[0].source}: {what} be read ({'; '.join(reasons[:3])}"
        f"{'; …' if len(reasons) > 3 else ''})", result)
