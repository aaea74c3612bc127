"""The resume journal: finished partitions and their partials, one atomic file each.

Layout of ``--state DIR``::

    DIR/journal.json            {"version", "config", "now"}: what the partials depend on
    DIR/parts/<digest>.json     {"connector", "source", "key", "state", "partial", "events"}

Every file is written to a temporary name, fsynced, renamed over its final name and the
directory fsynced, so a SIGKILL or a power cut leaves either the whole entry or none of it.
On ``--resume`` a partition is taken from the journal only when its connector, source, key
AND state (file size and mtime, a table's row estimate) match the new plan; anything else
is scanned again. ``config`` is a digest of what changes a partial besides the source — the
scan options, the recognizers, the fingerprint key id and the declaration — and a journal
written under another config is discarded as a whole. ``now`` is the first run's clock,
reused on resume so that ages (minors) are computed on the same day as the finished part.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from pia.connectors.base import Partition
from pia.errors import UsageError

VERSION = 1
HEADER = "journal.json"
PARTS = "parts"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file, or all of the new one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def entry_name(partition: Partition) -> str:
    digest = hashlib.sha256(f"{partition.connector}\0{partition.source}\0{partition.key}"
                            .encode()).hexdigest()
    return digest[:40] + ".json"


class Journal:
    """Finished partitions of one scan, kept in ``directory``."""

    def __init__(self, directory: str | os.PathLike[str], config: str, now: datetime,
                 resume: bool) -> None:
        self.root = Path(directory)
        self.parts = self.root / PARTS
        try:
            self.parts.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise UsageError(f"--state {self.root}: cannot create ({err.strerror})") from None
        self.config = config
        self.now = now
        self.reused = 0
        header = self._header() if resume else None
        if header is not None and header.get("config") == config:
            self.now = datetime.fromisoformat(header["now"])
            return
        # a new scan, or a journal made with other options: its partials do not apply
        for stale in self.parts.iterdir():
            with contextlib.suppress(OSError):
                stale.unlink()
        write_atomic(self.root / HEADER, json.dumps(
            {"version": VERSION, "config": config, "now": now.isoformat()}).encode())

    def _header(self) -> dict[str, Any] | None:
        try:
            header = json.loads((self.root / HEADER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(header, dict) or header.get("version") != VERSION:
            return None
        return header

    def lookup(self, partition: Partition) -> dict[str, Any] | None:
        """The journaled entry for this partition when it is still valid, else None."""
        try:
            entry = json.loads((self.parts / entry_name(partition)).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        same = all(entry.get(k) == getattr(partition, k)
                   for k in ("connector", "source", "key", "state"))
        if not same or not isinstance(entry.get("partial"), dict):
            return None
        self.reused += 1
        return entry

    def record(self, partition: Partition, partial_json: str, events: list[Any]) -> None:
        entry = {"connector": partition.connector, "source": partition.source,
                 "key": partition.key, "state": partition.state, "events": events}
        # the partial is spliced in as the worker's JSON text: no re-encoding on the driver
        text = json.dumps(entry, ensure_ascii=False)[:-1] + ', "partial": ' + partial_json + "}"
        write_atomic(self.parts / entry_name(partition), text.encode("utf-8"))

    def finished(self) -> int:
        return sum(1 for p in self.parts.glob("*.json"))


def config_digest(parameters: dict[str, Any], *, recognizers: list[tuple[str, bytes]],
                  key_id: str, declaration: dict[str, Any] | None, version: str) -> str:
    """What a partial depends on besides its partition and source state."""
    h = hashlib.sha256()
    h.update(json.dumps({"parameters": parameters, "key_id": key_id, "version": version,
                         "declaration": declaration}, sort_keys=True, default=str).encode())
    for name, data in recognizers:
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()
