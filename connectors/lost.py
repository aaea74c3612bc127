"""Sources lost for the rest of a scan, remembered once per process for every connector.

A database whose connection cannot be made again (``db.reconnect``) and an S3 endpoint that
refuses connections or stops answering (``s3.outage``) are both given up for the partitions
still to come: each later partition of that source says it is not read, with why, at once,
instead of waiting its own connect timeouts and retries. What identifies "this scan of this
source" is a token drawn when the source is planned (``new_run``) and carried by every
partition of the plan: a resumed scan, or a Dask worker that outlives a scan, plans again,
draws a new token and does not inherit an old loss. A source that is reached through more
than one place (an S3 source's regional endpoints) names the place lost with ``where``.

The registry is per process: a worker process learns of a loss by meeting it itself (once,
not once per partition).
"""

from __future__ import annotations

import secrets
import threading

#: (plan token, source, place within it) → why it is lost
Key = tuple[str, str, str]

_LOCK = threading.Lock()
_LOST: dict[Key, str] = {}


def new_run() -> str:
    """A token for one planning of a source, to put in each of its partitions."""
    return secrets.token_hex(8)


def key_of(run: str, source: str, where: str | None = None) -> Key:
    """What a loss is remembered by: ``source`` (``where`` in it) in the planning ``run``."""
    return run, source, where or ""


def why_lost(key: Key) -> str | None:
    """Why ``key`` is lost in this process, or None while it is not."""
    with _LOCK:
        return _LOST.get(key)


def mark_lost(key: Key, why: str) -> str:
    """Remember ``key`` as lost for ``why``; the reason in force (the first one given)."""
    with _LOCK:
        return _LOST.setdefault(key, why)
