"""The noncurrent versions of a versioned bucket: what it keeps of objects overwritten or
deleted, which the listing of current objects does not show, and the PI in them, served to
anyone allowed s3:GetObjectVersion. They are counted always, and read with ``--versions``
(``options.extra["versions"]``) as objects of their own, located by key and version id."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from pia.connectors.base import Plan, ScanContext, ScanOptions
from pia.connectors.s3.client import CALL_ERRORS, classify, endpoint_of, error_code
from pia.connectors.s3.listing import Stratified, selected
from pia.connectors.s3.objects import object_location
from pia.connectors.s3.posture import ACCESS_DENIED, UNAVAILABLE, Fatal
from pia.masked_names import NameMasker

log = logging.getLogger(__name__)

#: storage classes whose objects cannot be read without a restore request
ARCHIVED = frozenset({"GLACIER", "DEEP_ARCHIVE"})


def count_noncurrent(client: Any, bucket: str, prefix: str, keep: Callable[[str], bool],
                     sample: Stratified | None = None) -> tuple[int, int]:
    """(noncurrent versions, objects whose latest version is a delete marker) under
    ``prefix``, among the keys ``keep`` selects: what a versioned bucket still stores of
    objects overwritten or deleted, which the listing of current objects does not show.
    With ``sample`` (``--versions``), each noncurrent version is offered to it as an object
    to read, with its ``version_id``, ``noncurrent`` and, once every page is seen (a key's
    delete marker may come on a page after its versions), ``deleted`` when its key's latest
    version is a delete marker."""
    versions, deleted_keys = 0, set()
    paginator = client.get_paginator("list_object_versions")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for version in page.get("Versions", []):
            if version.get("IsLatest") or not keep(version["Key"]):
                continue
            versions += 1
            if sample is not None:
                modified = version.get("LastModified")
                sample.add({"key": version["Key"], "size": version.get("Size", 0),
                            "last_modified": modified.isoformat() if modified else None,
                            "etag": str(version.get("ETag", "")).strip('"'),
                            "storage_class": version.get("StorageClass") or "STANDARD",
                            "version_id": version["VersionId"], "noncurrent": True})
        deleted_keys.update(m["Key"] for m in page.get("DeleteMarkers", [])
                            if m.get("IsLatest") and keep(m["Key"]))
    if sample is not None:
        for obj in sample.sample():
            obj["deleted"] = obj["key"] in deleted_keys
    return versions, len(deleted_keys)


def noncurrent_versions(plan: Plan, client: Any, source: str, bucket: str, prefix: str,
                        options: ScanOptions, attrs: dict[str, Any], per_prefix: int | None,
                        ctx: ScanContext | None = None) -> list[dict[str, Any]]:
    """``noncurrent_versions`` and ``deleted_objects`` of a versioned bucket: the PI of
    an object overwritten or deleted stays stored there, and anyone allowed
    s3:GetObjectVersion reads it. Without ``--versions`` (``options.extra["versions"]``)
    they are not read: a note in ``skipped`` and a warning say how many, so that a
    bucket whose PI survives only there does not pass as clean in silence. With it, the
    versions to read are returned (at most ``per_prefix``, ``--max-objects``, per prefix,
    as current objects; all under ``--full``), each read within ``--max-bytes`` and
    located by its key and ``version_id``. ``"access_denied"``/``"unavailable"`` when the versions
    cannot be listed."""
    reading = bool(options.extra.get("versions"))
    sample = Stratified(f"{bucket}#versions", options.seed, per_prefix) if reading else None
    try:
        versions, deleted = count_noncurrent(
            client, bucket, prefix,
            lambda key: selected(key, prefix, options.include, options.exclude), sample)
    except CALL_ERRORS as err:
        failure = classify(err, endpoint_of(client))
        if failure.kind == "fatal":
            raise Fatal(failure.reason) from None
        attrs["noncurrent_versions"] = (ACCESS_DENIED if failure.kind == "denied"
                                        else UNAVAILABLE)
        attrs["errors"]["noncurrent_versions"] = (
            error_code(err) if isinstance(err, ClientError) else type(err).__name__)
        return []
    attrs["noncurrent_versions"], attrs["deleted_objects"] = versions, deleted
    offered = sample.sample() if sample is not None else []
    chosen = []
    for obj in offered:
        if obj["storage_class"] in ARCHIVED:
            plan.skipped.append({"source": source, "location": object_location(
                bucket, obj), "reason": f"archived ({obj['storage_class']}): restore it "
                                        "before it can be read"})
        else:
            chosen.append(obj)
    if reading:
        attrs["noncurrent_versions_sampled"] = len(chosen)
    left = versions - len(offered)  # an archived one offered is noted on its own
    if left:
        what = (f"{left} noncurrent version{'s' if left > 1 else ''} (of objects "
                f"overwritten, or deleted: {deleted})")
        hint = (f"past --max-objects {per_prefix} per prefix" if reading
                else "versioning keeps them, and any PI in them; --versions reads them")
        plan.skipped.append({"source": source, "location": {"bucket": bucket},
                             "reason": f"{what} not read: {hint}"})
        if not reading and ctx is not None:  # named as the report names it: masked
            log.warning("pia: warning: s3://%s: %s not read (--versions reads them)",
                        NameMasker(ctx.fingerprint, ctx.engine).name(bucket), what)
    return chosen
