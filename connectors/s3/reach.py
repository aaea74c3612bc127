"""What the lifecycle and the bucket policy do to the objects read, said on each bucket fact.

Posture (``posture``) is read before any object: what a lifecycle rule deletes, or whom a
policy lets read, turns on the objects read, so these attributes are added when the scan's
partitions are merged: the objects holding PI that no rule deletes, how soon the logs are
deleted (``posture.log_expiry``), and which objects holding PI anyone may read
(``policy.readable``). A bucket whose lifecycle or policy could not be read gets none of
the attributes that turn on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from pia.connectors.base import SourceResult
from pia.connectors.files.merge import log_verdict
from pia.connectors.s3.policy import listable, readable
from pia.connectors.s3.posture import log_expiry, shortest_expiry, unexpired


def lifecycle_facts(result: SourceResult, today: date) -> None:
    """What the lifecycle does to the objects read, on each bucket fact (when the lifecycle
    could be read): ``pi_objects_unexpired``, the objects holding PI that no rule deletes
    (``posture.unexpired``: a rule on ``tmp/`` says nothing of ``users.csv`` at the root; in
    a versioned bucket only a rule that also expires noncurrent versions does), and
    ``shortest_expiry_days``/``pi_shortest_expiry_days``, the fewest days after which a rule
    deletes one of the objects read / of those holding PI (``posture.shortest_expiry``,
    null when none is ever deleted): what records retention turns on. Log retention turns
    on the logs alone (``posture.log_expiry``): ``log_objects_read``, the objects read that
    are logs (``is_log``, in a bucket of any name), ``log_objects_unread``, those not read
    that their key says are logs (``_logs_not_read``), ``log_shortest_expiry_days`` over
    both and the ``log_expiry_rules`` that decide it; a 7-day rule on ``tmp/`` exports
    beside the logs deletes no log."""
    read = _objects_read(result)
    logs = _objects_read(result, lambda attrs: attrs.get("is_log") is True)
    unread = _logs_not_read(result, read)
    pi = _pi_objects(result.inventory, read)
    for fact in result.facts:
        if fact["kind"] != "bucket":
            continue
        attrs, bucket = fact["attributes"], fact["location"]["bucket"]
        lifecycle, versioning = attrs.get("lifecycle"), attrs.get("versioning")
        left = unexpired(lifecycle, pi.get(bucket, {}), versioning, today)
        if left is None:
            continue
        attrs["pi_objects_unexpired"] = len(left)
        attrs["shortest_expiry_days"] = shortest_expiry(lifecycle, read.get(bucket, {}),
                                                        versioning, today)
        attrs["pi_shortest_expiry_days"] = shortest_expiry(lifecycle, pi.get(bucket, {}),
                                                           versioning, today)
        attrs["log_objects_read"] = len(logs.get(bucket, {}))
        attrs["log_objects_unread"] = len(unread.get(bucket, {}))
        attrs["log_shortest_expiry_days"], attrs["log_expiry_rules"] = log_expiry(
            lifecycle, {**unread.get(bucket, {}), **logs.get(bucket, {})}, versioning, today)


def _objects_read(result: SourceResult, which: Callable[[dict[str, Any]], bool] | None = None
                  ) -> dict[str, dict[str, int | None]]:
    """The objects read, {bucket: {key: size}}; those whose fact's attributes ``which``
    takes, when given (a noncurrent version read counts once, at its key)."""
    out: dict[str, dict[str, int | None]] = {}
    for fact in result.facts:
        if fact["kind"] == "object" and (which is None or which(fact["attributes"])):
            loc = fact["location"]
            out.setdefault(loc["bucket"], {})[loc["key"]] = fact["attributes"]["size"]
    return out


def _logs_not_read(result: SourceResult, read: dict[str, dict[str, int | None]]
                   ) -> dict[str, dict[str, int | None]]:
    """The objects selected but not read (archived in Glacier, refused, lost: a ``skipped``
    record at their key) that their key says are logs, {bucket: {key: None}}, judged by
    name as an object read is (``merge.log_verdict``: ``archive/access.log.gz``): logs moved
    to cold storage are the ones a lifecycle deletes first, and a rule that covers them
    alone covers no object read. Their size is unknown, so a rule bounded by size is not
    taken to apply (``posture.expires_in``)."""
    out: dict[str, dict[str, int | None]] = {}
    for record in result.skipped:
        loc = record.get("location") or {}
        bucket, key = loc.get("bucket"), loc.get("key")
        if (not key or "version_id" in loc or "member" in loc
                or key in read.get(bucket, {})):
            continue
        if log_verdict(key, f"{bucket}/{key}", [], "unknown")[0]:
            out.setdefault(bucket, {})[key] = None
    return out


def _pi_objects(inventory: list[dict[str, Any]], read: dict[str, dict[str, int | None]]
                ) -> dict[str, dict[str, int | None]]:
    """The objects read that hold PI, {bucket: {key: size}}, of ``read`` (the objects read):
    a key's name judged from the listing alone is no object read, a directory's item stands
    for the objects read under it."""
    pi: dict[str, dict[str, int | None]] = {}
    for item in inventory:
        bucket, key = item["location"]["bucket"], item["location"].get("key")
        objects = read.get(bucket, {})
        folder = key and item.get("files") and "names" not in item
        keys = [k for k in objects if k.startswith(key)] if folder else (
            [key] if key in objects else [])
        for one in keys:
            pi.setdefault(bucket, {})[one] = objects[one]
    return pi


def public_objects(result: SourceResult) -> None:
    """What anyone can reach, on each bucket fact: ``pi_objects_public``, the objects read
    that hold PI and that their own ACL makes public (``object_acl``), however private the
    bucket is; where the policy is public (``public_policy`` true), ``pi_objects_policy_public``,
    those of them its grants let anyone read (``policy.readable``: a policy that makes
    ``public-assets/*`` readable, or allows only PutObject or ListBucket, exposes no export
    under ``exports/``), and ``public_listing``, whether they let anyone list the keys."""
    public: dict[str, int] = {}  # each version read counts, as each is served
    for fact in result.facts:
        if fact["kind"] == "object" and fact["attributes"].get("public_acl") is True:
            public[fact["location"]["bucket"]] = public.get(fact["location"]["bucket"], 0) + 1
    pi = _pi_objects(result.inventory, _objects_read(result))
    for fact in result.facts:
        if fact["kind"] != "bucket":
            continue
        attrs, bucket = fact["attributes"], fact["location"]["bucket"]
        attrs["pi_objects_public"] = public.get(bucket, 0)
        grants = attrs.get("public_grants")
        if not isinstance(grants, list):
            continue  # the policy could not be read: nothing is said of it
        opened = grants if attrs.get("public_policy") is True else []
        attrs["pi_objects_policy_public"] = sum(
            readable(opened, bucket, key) for key in pi.get(bucket, {}))
        attrs["public_listing"] = listable(opened, bucket)
