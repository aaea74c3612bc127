"""The journal's layout before version 3, read once to resume it, then removed.

Version 2 kept ``DIR/journal.json`` (the header) and a file per finished partition,
``DIR/parts/<id>.json``, each ``<HMAC>\\n<JSON>``. A scan interrupted under an older pia is
still resumed: ``Journal`` takes the entries that verify from here and rewrites them as its
one file (``pia.executors.journal``); a new scan removes the old files.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
from datetime import datetime
from pathlib import Path

HEADER = "journal.json"
PARTS = "parts"
VERSION = 2
_NAME = re.compile(r"[0-9a-f]{40}\.json")


def check_layout(root: Path) -> None:
    """Refuse a ``parts`` that is not the user's own directory: pia would empty it."""
    from pia.executors.journal import check_private

    if os.path.lexists(root / PARTS):
        check_private(root / PARTS, "--state")


def _opened(key: bytes, config: str, data: bytes) -> bytes | None:
    """The body of a version 2 file when its HMAC verifies and it holds a JSON object."""
    mac, _, body = data.partition(b"\n")
    good = hmac.new(key, config.encode() + b"\0" + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, good.encode()):
        return None
    try:
        value = json.loads(body.decode("utf-8", "surrogatepass"))
    except ValueError:
        return None
    return body if isinstance(value, dict) else None


def _read_at(dir_fd: int, name: str) -> bytes:
    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
    with open(fd, "rb") as handle:
        return handle.read()


def read(root: Path, key: bytes, config: str) -> tuple[datetime, list[tuple[str, bytes]]] | None:
    """The first run's clock and the (id, JSON) of each entry that verifies, in name order;
    None when there is no version 2 journal of this config in ``root``."""
    try:
        header_bytes = (root / HEADER).read_bytes()
        dir_fd = os.open(root / PARTS, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        body = _opened(key, "", header_bytes)
        header = json.loads(body) if body else None
        if not header or header.get("version") != VERSION or header.get("config") != config:
            return None
        entries = []
        for name in sorted(os.listdir(dir_fd)):
            if not _NAME.fullmatch(name):
                continue  # a temporary file a kill left, or anything else
            with contextlib.suppress(OSError):
                entry = _opened(key, config, _read_at(dir_fd, name))
                if entry is not None:
                    entries.append((name[:-len(".json")], entry))
        return datetime.fromisoformat(header["now"]), entries
    finally:
        os.close(dir_fd)


def remove(root: Path) -> None:
    """Remove a version 2 journal's files (what ``read`` took is in the new file by now)."""
    with contextlib.suppress(OSError):
        os.unlink(root / HEADER)
    try:
        dir_fd = os.open(root / PARTS, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        for name in os.listdir(dir_fd):
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=dir_fd)
    finally:
        os.close(dir_fd)
    with contextlib.suppress(OSError):
        os.rmdir(root / PARTS)
