"""Reading one object: a ranged GET within ``max_bytes``, handed to the files' blob handlers.

An object larger than ``max_bytes`` is read with ``Range: bytes=0-N`` and recorded as read in
part (``skipped``: "read in part: first N of M bytes"), so that a report never counts it as
wholly scanned. A plain-text read is cut back to a safe end so that a value split by the
range never becomes a false match (a resident ID cut to 17 digits can pass as a bank card):
the last newline, or, when that would throw away a long last line (a minified JSON export is
one line), the last separator (whitespace, quote, comma, bracket). Compressed streams and
archives cut by the range are reported as partly read rather than as corrupt. At least
``MIN_READ`` bytes are read, so that the format of a blob is recognised however small
``max_bytes`` is. Errors of the HTTP stream (reset, timeout) end the blob as if it ended there
and are recorded, so whatever was scanned still counts. An image whose key names a face or an
ID card (``pia.connectors.files.images``) is covered by its name, not by its bytes: it is not
recorded as a binary file left unread, nor as read in part.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError
from urllib3.exceptions import HTTPError as Urllib3Error

from pia.connectors.base import MIN_READ
from pia.connectors.files import scan_stream
from pia.connectors.files.images import image_blob
from pia.connectors.files.sampling import SAMPLE_CUT, safe_end
from pia.connectors.files.sniff import container

_CHUNK = 1 << 20
#: a line longer than this is handed on in pieces rather than held back whole
_HOLD_MAX = 16 << 20


class RangedBody:
    """A reader over a GET's body: counts bytes, turns stream errors into an end of data, and
    for plain text holds back the bytes after the last newline until the stream ends, so that
    a line cut by the range or by a dropped connection ends at a ``safe_end`` rather than in
    the middle of a value."""

    def __init__(self, body: Any, truncated: bool) -> None:
        self._body = body
        self._truncated = truncated
        self._plain: bool | None = None  # decided on the first bytes
        self._buffer = bytearray()
        self._done = False
        self.count = 0
        self.error: str | None = None

    def _fill(self) -> None:
        """One read from the body into the buffer; at a cut end, cut back to a safe end."""
        try:
            data = self._body.read(_CHUNK)
        except (BotoCoreError, Urllib3Error, OSError) as err:
            self.error, data = type(err).__name__, b""
        if self._plain is None and data:
            self._plain = container(data[:16]) is None
        if not data:
            self._done = True
            if self._plain and (self._truncated or self.error):
                del self._buffer[safe_end(self._buffer):]
            return
        self.count += len(data)
        self._buffer += data

    def _ready(self) -> int:
        """Bytes that may be handed out now: all of them, except a trailing partial line of
        plain text while the stream has not ended (unless that line is absurdly long)."""
        if self._done or not self._plain:
            return len(self._buffer)
        cut = self._buffer.rfind(b"\n") + 1
        return cut if cut or len(self._buffer) < _HOLD_MAX else len(self._buffer)

    def read(self, n: int = -1) -> bytes:
        while not self._done and (n is None or n < 0 or self._ready() < n):
            self._fill()
        take = self._ready() if n is None or n < 0 else min(n, self._ready())
        data = bytes(self._buffer[:take])
        del self._buffer[:take]
        return data

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._body.close()


def read_object(client: Any, bucket: str, obj: dict[str, Any], max_bytes: int | None,
                ctx: Any, options: Any) -> dict[str, Any]:
    """GET one object (ranged when larger than ``max_bytes``; a noncurrent version by its
    ``version_id``) and scan it: the per-object piece of a partial, ``{"bucket", "key",
    "size", "last_modified", "bytes_read", "blobs", "skipped", "names"}`` (``names``: the
    name items of an archive's members, ``scan_stream``) and a version's
    ``VERSION_ATTRIBUTES``. Errors of the request itself propagate (the caller classifies them)."""
    key, size = obj["key"], obj["size"]
    limit = None if max_bytes is None else max(max_bytes, MIN_READ)
    truncated = limit is not None and size > limit
    args: dict[str, Any] = {"Bucket": bucket, "Key": key}
    if obj.get("version_id"):  # a noncurrent version (``--versions``)
        args["VersionId"] = obj["version_id"]
    if truncated:
        args["Range"] = f"bytes=0-{limit - 1}"
    response = client.get_object(**args)
    body = RangedBody(response["Body"], truncated)
    location = object_location(bucket, obj)
    mtime = datetime.fromisoformat(obj["last_modified"]) if obj.get("last_modified") else None
    try:
        scanned = scan_stream(body, key, location, ctx, options,
                              size=min(size, limit) if truncated else size, mtime=mtime)
    finally:
        body.close()
    image = image_blob(key, location, scanned)
    skipped = scanned["skipped"]
    if image is not None:  # covered by its name, by design: neither unread nor read in part
        scanned["blobs"].append(image)
        skipped = [s for s in skipped if s["location"] != location
                   or not s["reason"].startswith("binary file")]
    elif truncated:
        skipped = [_partly_read(s, limit, size) for s in skipped]
        if not any(s["location"] == location for s in skipped):  # said already, or binary
            skipped.append({"location": location, "reason": _read_in_part("", limit, size)})
    if body.error:
        skipped.append({"location": location, "reason": f"read error ({body.error})"})
    return {"bucket": bucket, "key": key, "size": size,
            "last_modified": obj.get("last_modified"), "bytes_read": body.count,
            "blobs": scanned["blobs"], "skipped": skipped, "names": scanned["names"],
            **{name: obj[name] for name in VERSION_ATTRIBUTES if name in obj}}


#: what an object's fact says of a noncurrent version it read (``--versions``)
VERSION_ATTRIBUTES = ("version_id", "noncurrent", "deleted")


def object_location(bucket: str, obj: dict[str, Any]) -> dict[str, Any]:
    """Where an object read lies: its bucket and key, and the ``version_id`` of a noncurrent
    version, whose PI is another object's than the current one of the same key."""
    location = {"bucket": bucket, "key": obj["key"]}
    if obj.get("version_id"):
        location["version_id"] = obj["version_id"]
    return location


def _read_in_part(what: str, limit: int, size: int) -> str:
    return (f"{what}{' ' if what else ''}read in part: first {limit} of {size} bytes "
            "(raise --max-bytes to read it whole)")


def _partly_read(skipped: dict[str, Any], limit: int, size: int) -> dict[str, Any]:
    """A stream cut by the range is not corrupt: say that it was read in part; one cut at
    its decompressed sample as well is said read in part by the range (its fact's
    ``bytes_decompressed`` says how much of it was analysed)."""
    reason = skipped["reason"]
    if reason.startswith("corrupt "):
        reason = _read_in_part(reason[len("corrupt "):].split(" (")[0], limit, size)
    elif reason.startswith(SAMPLE_CUT):  # cut by both: the range says it, as before
        reason = _read_in_part(reason.split(": ", 1)[1].split(" read in part")[0], limit, size)
    return {**skipped, "reason": reason}
