"""An S3 endpoint lost mid-scan costs the objects not yet read, not the scan, and not a wait
per object.

An endpoint that goes away after the listing (a restart, a load balancer or proxy gone, a
network cut) used to be tried again by every partition and its loss said once per object,
each unread object a ``skipped`` entry of its own, in a report marked complete (QA s3dask
D1); one that stops answering (accepts connections, never replies) made every object wait
its read timeouts and retries, tens of minutes for a large bucket (D2).

Now the first failure that no other request can escape (botocore having retried it: a
refused connection, refused credentials, a TLS failure), or ``CONSECUTIVE_SILENCES`` requests
in a row that got no answer (timed out, or the connection closed), mark the source's endpoint
as lost in this process for the rest of the scan (``pia.connectors.lost``, the registry a
database lost mid-scan uses too): the partition being read stops, and every
later partition of the source is said not read at once, without a request. A partition not
read to its end for such a reason carries ``lost`` (why) and ``unread`` (its keys not read):
the executor does not journal it (``--resume`` reads it again, as a database table lost
mid-scan), and ``S3Connector.merge`` says the unread objects in one skipped entry per prefix
and the source incomplete (``SourceResult.incomplete``: ``complete: false`` and one warning
line; exit 2 only when nothing of the source was read).

Once a request went unanswered (after botocore's attempts), the requests that follow are
made with a client that tries once (``suspect``, ``Clients.get(once=True)``) until the
endpoint answers again: three silences in a row cost attempts + 2 read timeouts (about 50 s
at the defaults), not 3 × attempts of them (4.5 min at the former 30 s read timeout), while
an endpoint that answers, however slowly within the read timeout, is read whole.
"""

from __future__ import annotations

import threading
from typing import Any

from botocore.exceptions import ConnectionClosedError, ReadTimeoutError

from pia.connectors.base import Partial, Plan, ScanContext, SourceResult
from pia.connectors.lost import Key, mark_lost, why_lost
from pia.connectors.s3.client import Failure, origin, waited
from pia.connectors.s3.listing import folder
from pia.reports.i18n import Said

#: requests in a row without an answer (each after botocore's own retries) after which an
#: endpoint is taken as lost
CONSECUTIVE_SILENCES = 3

_LOCK = threading.Lock()
#: ``lost.key_of(plan token, source, endpoint)`` → requests in a row that got no answer, and
#: how long the first of them waited (an outage is one source through one endpoint in one
#: planning of it: each regional endpoint of a source is lost or not on its own)
_SILENT: dict[Key, tuple[int, str]] = {}


def suspect(key: Key) -> bool:
    """Whether the endpoint left its last request unanswered: the next is tried once."""
    with _LOCK:
        return key in _SILENT


def answered(key: Key) -> None:
    """The endpoint answered (an object read, or refused, or missing): it is alive."""
    with _LOCK:
        _SILENT.pop(key, None)


def transient(err: Exception, failure: Failure) -> bool:
    """Whether ``err`` may well pass on a later try: no answer, or throttled after retries.
    A partition with such a failure is not done (``--resume`` tries it again)."""
    return failure.kind in ("fatal", "throttled") or _silent(err)


def failed(key: Key, err: Exception, failure: Failure, client: Any) -> str | None:
    """Note a request that failed; why the endpoint is now lost, or None if it is not."""
    with _LOCK:
        if failure.kind == "fatal":
            return mark_lost(key, failure.reason)
        if _silent(err):
            silent, first = _SILENT.get(key, (0, waited(client)))
            silent += 1
            _SILENT[key] = silent, first
            if silent >= CONSECUTIVE_SILENCES:
                last = waited(client)
                each = (f"each after {last}" if last == first
                        else f"the first after {first}, the others after {last}")
                return mark_lost(key, f"cannot reach {origin(key[2])} (no answer to {silent} "
                                      f"requests in a row, {each})")
        else:
            _SILENT.pop(key, None)
        return why_lost(key)


def _silent(err: Exception) -> bool:
    return isinstance(err, ReadTimeoutError | ConnectionClosedError)


def cut_short(partial: Partial, objects: list[dict[str, Any]], why: str,
               ctx: ScanContext) -> Partial:
    """``partial`` of a partition whose endpoint was lost before ``objects`` were read: they
    are listed by key (``say_lost`` says them per prefix), and the partition is not done."""
    partial["lost"] = why
    partial["unread"] = [o["key"] for o in objects]
    ctx.progress.advance("objects", len(objects))
    return partial


def say_lost(result: SourceResult, plan: Plan, partials: dict[str, Partial]) -> list[str]:
    """Say what an outage left unread: one skipped entry per bucket, prefix and reason,
    counting the objects, not one per object (19,258 identical lines), and one
    ``incomplete`` line for the source; one more per bucket whose listing was cut short (its
    ``objects_listed`` is not the bucket's). The outage's reasons, for ``_check_read``."""
    cut: dict[tuple[str, str, str], int] = {}
    for partition in plan.partitions:
        partial = partials.get(partition.key) or {}
        for key in partial.get("unread") or ():
            where = (partition.spec["bucket"], folder(key), partial["lost"])
            cut[where] = cut.get(where, 0) + 1
    for (bucket, prefix, why), count in sorted(cut.items()):
        under = f"under {prefix}" if prefix else "at the bucket's root"
        result.skipped.append({"source": plan.partitions[0].source, "location": {"bucket": bucket},
                               "reason": f"{count} object{'s' * (count > 1)} {under} not read: "
                                         f"{why}"})
    for fact in plan.facts:
        if fact["kind"] == "bucket" and fact["attributes"].get("listing_complete") is False:
            cut_at = next(s["reason"] for s in plan.skipped
                          if s["location"] == fact["location"]
                          and s["reason"].startswith("listing cut"))
            result.incomplete.append(Said("cut:listing_cut", {
                "source": fact["source"], "bucket": fact["location"]["bucket"], "cut_at": cut_at}))
    if cut:
        unread = sum(cut.values())
        chosen = sum(len(p.spec["objects"]) for p in plan.partitions)
        whys = sorted({why for _, _, why in cut})
        result.incomplete.append(Said("cut:objects_lost", {
            "source": plan.partitions[0].source, "unread": unread, "chosen": chosen,
            "why": whys[0], "more": "; …" if len(whys) > 1 else ""}))
    return sorted({why for _, _, why in cut})
