"""Buckets and keys: paginated listing and a sample stratified by prefix.

A bucket with ten million objects in ``raw/`` and forty in ``exports/`` must not be judged on
``raw/`` alone, so objects are sampled per prefix (the key's folder): up to ``max_objects``
from each, by reservoir sampling over the listing. The listing order is the server's (keys in
UTF-8 binary order) and each prefix's random generator is seeded from the scan seed, the
bucket and the prefix, so the same bucket and seed always give the same sample, and memory is
bounded by the sample, not by the bucket.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from pia.connectors.base import Progress
from pia.errors import UsageError

#: objects listed between two updates of the terminal's ``listed`` bar (a page's worth)
LISTING_STEP = 1000


@dataclass(frozen=True)
class Target:
    """``s3://bucket/prefix``: ``bucket`` is None for ``s3://`` (every visible bucket)."""

    bucket: str | None
    prefix: str


#: a bucket name as S3-compatible stores accept it: AWS's rules (3-63 lowercase letters,
#: digits, dots, hyphens), widened to the legacy us-east-1 names (capitals, underscores, up
#: to 255 characters) that still exist
_BUCKET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]")


def parse_target(uri: str) -> Target:
    """``s3://bucket[/prefix]`` or ``s3://``; a usage error for anything else, before any
    request (``s3:///prefix`` must not silently become every bucket's ``prefix``). The
    prefix is taken as written, ``?`` and ``#`` included: they are ordinary in keys."""
    if uri[:5].lower() != "s3://":
        raise UsageError(f"not an s3:// source: {uri!r}")
    bucket, slash, prefix = uri[5:].partition("/")
    if "@" in bucket:
        raise UsageError("s3:// sources take no credentials in the URI: use AWS_PROFILE or "
                         "the standard AWS environment variables")
    if not bucket and slash:
        raise UsageError(f"{uri}: no bucket name (expected s3://bucket/prefix, or s3:// for "
                         "every bucket)")
    if bucket and not _BUCKET_NAME.fullmatch(bucket):
        raise UsageError(f"s3://{bucket}: {bucket!r} is not a valid bucket name (letters, "
                         "digits, dots, hyphens; 3 to 63 characters)")
    return Target(bucket or None, prefix.lstrip("/"))


def list_buckets(client: Any) -> list[str]:
    return sorted(b["Name"] for b in client.list_buckets().get("Buckets", []))


def no_bucket_visible(endpoint: str, region: str | None) -> str:
    """Why ``s3://`` that lists no bucket is an error, not a clean audit: a wrong region's
    partition (cn-north-1 lists none of a global account's buckets), an empty or wrong account
    or a mistyped endpoint that still speaks S3 would otherwise pass a CI gate, as an empty
    directory (``no file under DIR``) and an empty bucket do not. ``endpoint`` is already
    without credentials (``Clients.endpoint``)."""
    return f"no bucket visible at {endpoint} (region {region or 'not set'})"


def iter_objects(client: Any, bucket: str, prefix: str) -> Iterator[dict[str, Any]]:
    """Every object under ``prefix``, in listing order, as JSON-able dicts (folder markers
    — zero-byte keys ending in ``/`` — left out)."""
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            key, size = obj["Key"], int(obj.get("Size", 0))
            if key.endswith("/") and size == 0:
                continue
            modified = obj.get("LastModified")
            yield {"key": key, "size": size,
                   "last_modified": modified.isoformat() if modified else None,
                   "etag": str(obj.get("ETag", "")).strip('"'),
                   "storage_class": obj.get("StorageClass") or "STANDARD"}


def folder(key: str) -> str:
    """The prefix a key is sampled under: its folder (``logs/2024/``), ``""`` at the root."""
    cut = key.rfind("/")
    return key[: cut + 1] if cut >= 0 else ""


def selected(key: str, prefix: str, include: list[str], exclude: list[str]) -> bool:
    """``--include``/``--exclude`` globs, matched against the key and the key below the
    scanned prefix (``*`` crosses ``/``, as for files)."""
    names = {key, key[len(prefix):] if key.startswith(prefix) else key}
    if include and not any(fnmatchcase(n, p) for n in names for p in include):
        return False
    return not any(fnmatchcase(n, p) for n in names for p in exclude)


@dataclass
class Stratified:
    """Reservoir samples of at most ``per_prefix`` objects per folder (None: keep all)."""

    bucket: str
    seed: int
    per_prefix: int | None
    listed: int = 0
    _groups: dict[str, tuple[random.Random, int, list[dict[str, Any]]]] = field(
        default_factory=dict)

    def add(self, obj: dict[str, Any]) -> None:
        self.listed += 1
        prefix = folder(obj["key"])
        group = self._groups.get(prefix)
        if group is None:
            rng = random.Random(f"{self.seed}:{self.bucket}:{prefix}")
            group = self._groups[prefix] = (rng, 0, [])
        rng, seen, chosen = group
        seen += 1
        if self.per_prefix is None or len(chosen) < self.per_prefix:
            chosen.append(obj)
        else:
            slot = rng.randrange(seen)
            if slot < self.per_prefix:
                chosen[slot] = obj
        self._groups[prefix] = (rng, seen, chosen)

    def sample(self) -> list[dict[str, Any]]:
        """The chosen objects in key order."""
        return sorted((o for _, _, chosen in self._groups.values() for o in chosen),
                      key=lambda o: o["key"])


@dataclass
class ListingProgress:
    """Objects listed so far, on the terminal's progress bars (stderr, never a report): a
    bucket of millions of objects lists for minutes before any is read, and showed nothing
    meanwhile. The ``listed`` bar has no total while listing (none is known), and completes
    at the count when planning is done (``done``)."""

    progress: Progress
    listed: int = 0

    def counted(self, objects: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """``objects`` as they come, said every ``LISTING_STEP``."""
        for obj in objects:
            self.listed += 1
            if self.listed % LISTING_STEP == 0:
                self.progress.advance("listed", LISTING_STEP)
            yield obj

    def done(self) -> None:
        if self.listed:
            self.progress.advance("listed", self.listed % LISTING_STEP)
            self.progress.start("listed", self.listed)
