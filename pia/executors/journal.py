"""The resume journal: finished partitions and their partials, one atomic file each.

Layout of ``--state DIR``::

    DIR/journal.json            {"version", "config", "now"}: what the partials depend on
    DIR/parts/<digest>.json     {"connector", "source", "key", "state", "partial", "events"}

Every file is written to a temporary name and renamed over its final name, so a SIGKILL
leaves either the whole entry or none of it; the HMAC below makes the same true of a power
cut, which may leave a renamed entry empty or torn: it does not verify and is scanned again.
Entries are made durable in batches (``sync``: one ``syncfs`` of the state directory's
filesystem every ``SYNC_EVERY`` entries or ``SYNC_SECONDS``, and at exit), not one by one:
a file fsync and a directory fsync per entry made a scan of 20,000 small files (a partition
each) four times slower. A SIGKILL loses only the partitions in flight, as before; a power
cut loses at most the entries of the last batch as well, which a resume scans again.
On ``--resume`` a partition is taken from the journal only when its connector, source, key
AND state (file size and mtime, a table's row estimate) match the new plan; anything else
is scanned again. ``config`` is a digest of what changes a partial besides the source — the
scan options, the recognizers, the fingerprint key id and the declaration — and a journal
written under another config is discarded as a whole. ``now`` is the first run's clock,
reused on resume so that ages (minors) are computed on the same day as the finished part.

The journal decides what a resumed report says, so it is trusted only as far as pia wrote
it. The state directory and ``parts`` must be real directories (not symbolic links) owned
by the user and not writable by others, else ``--state`` is refused: nobody else can then
swap ``parts`` for a link to a directory pia would empty. Each file starts with a line
holding an HMAC of the rest (with the config digest), under a secret derived from the
fingerprint key (``Fingerprinter.derive``); an entry whose HMAC does not verify, such as
one written by another user, is scanned again, and a header that does not verify starts
the journal over.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import hmac
import json
import os
import stat
import sys
import tempfile
import time
import weakref
from datetime import datetime
from pathlib import Path
from typing import Any

from pia.connectors.base import Partition
from pia.errors import UsageError

VERSION = 2  # 2: HMAC-authenticated files
HEADER = "journal.json"
PARTS = "parts"
#: entries written between two syncs, at most; and the seconds after which entries written
#: are synced at the next one. A power cut loses at most these, a resume scans them again
SYNC_EVERY = 512
SYNC_SECONDS = 1.0


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that readers see the old file, or all of the new one;
    on disk before returning when ``durable``, else when the caller next syncs (``sync_fs``)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        _fsync_dir(path.parent)


def _libc_syncfs() -> Any:
    """glibc's ``syncfs`` (Linux), or None where there is none. Looked up among the symbols
    the process has loaded (libc is one), not by ``ctypes.util.find_library``, which runs
    ``ldconfig`` in a subprocess at every import (in the forkserver too)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


_SYNCFS = _libc_syncfs()


def sync_fs(directory: Path, written: list[Path]) -> None:
    """Put the files ``written`` in ``directory``, and their names, on disk: one ``syncfs``
    of the directory's filesystem on Linux, else an fsync of each file and one of the
    directory. A file gone since (a journal started over) is passed over."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            if _SYNCFS is not None and _SYNCFS(fd) == 0:
                return
            for path in written:
                with contextlib.suppress(OSError), open(path, "rb") as handle:
                    os.fsync(handle.fileno())
            os.fsync(fd)
        finally:
            os.close(fd)


def entry_name(partition: Partition) -> str:
    # "surrogatepass": a file name that is not UTF-8 reaches Python as surrogate escapes
    digest = hashlib.sha256(f"{partition.connector}\0{partition.source}\0{partition.key}"
                            .encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:40] + ".json"


def private_dir(path: Path, label: str) -> None:
    """Create ``path`` (mode 0700) or check that it is the user's own: a real directory,
    owned by the user, that nobody else may write; else a ``UsageError``."""
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError as err:
        raise UsageError(f"{label} {path}: cannot create ({err.strerror})") from None
    st = os.lstat(path)
    problem = ("is a symbolic link" if stat.S_ISLNK(st.st_mode)
               else "is not a directory" if not stat.S_ISDIR(st.st_mode)
               else "is owned by another user" if st.st_uid != os.getuid()
               else "is writable by other users (chmod go-w)" if st.st_mode & 0o022
               else None)
    if problem:
        raise UsageError(f"{label} {path}: {problem}; refusing to use it")


def _sealed(key: bytes, config: str, body: bytes) -> bytes:
    mac = hmac.new(key, config.encode() + b"\0" + body, hashlib.sha256).hexdigest()
    return mac.encode() + b"\n" + body


def _opened(key: bytes, config: str, data: bytes) -> Any:
    """The JSON of a sealed file, or None when its HMAC does not verify."""
    mac, _, body = data.partition(b"\n")
    good = hmac.new(key, config.encode() + b"\0" + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, good.encode()):
        return None
    try:
        return json.loads(body.decode("utf-8", "surrogatepass"))  # as record() wrote it
    except ValueError:
        return None


class Journal:
    """Finished partitions of one scan, kept in ``directory``; ``key`` authenticates it."""

    def __init__(self, directory: str | os.PathLike[str], config: str, now: datetime,
                 resume: bool, *, key: bytes) -> None:
        self.root = Path(directory)
        self.parts = self.root / PARTS
        try:
            self.root.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise UsageError(f"--state {self.root}: cannot create ({err.strerror})") from None
        private_dir(self.root, "--state")
        private_dir(self.parts, "--state")
        self.key = key
        self.config = config
        self.now = now
        self.reused = 0
        self._unsynced: list[Path] = []
        self._synced_at = time.monotonic()
        # entries written since the last batch are synced when pia exits, however it exits
        self._at_exit = weakref.finalize(self, sync_fs, self.parts, self._unsynced)
        header = self._header() if resume else None
        if header is not None and header.get("config") == config:
            self.now = datetime.fromisoformat(header["now"])
            return
        # a new scan, or a journal made with other options: its partials do not apply
        fd = os.open(self.parts, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            for stale in os.listdir(fd):
                with contextlib.suppress(OSError):
                    os.unlink(stale, dir_fd=fd)
        finally:
            os.close(fd)
        write_atomic(self.root / HEADER, _sealed(key, "", json.dumps(
            {"version": VERSION, "config": config, "now": now.isoformat()}).encode()))

    def _header(self) -> dict[str, Any] | None:
        try:
            header = _opened(self.key, "", (self.root / HEADER).read_bytes())
        except OSError:
            return None
        if not isinstance(header, dict) or header.get("version") != VERSION:
            return None
        return header

    def lookup(self, partition: Partition) -> dict[str, Any] | None:
        """The journaled entry for this partition when it is still valid, else None."""
        try:
            entry = _opened(self.key, self.config,
                            (self.parts / entry_name(partition)).read_bytes())
        except OSError:
            return None
        same = isinstance(entry, dict) and all(entry.get(k) == getattr(partition, k)
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
        path = self.parts / entry_name(partition)
        write_atomic(path, _sealed(self.key, self.config,
                                   # a non-UTF-8 file name is kept as its surrogates
                                   text.encode("utf-8", "surrogatepass")), durable=False)
        self._unsynced.append(path)
        if len(self._unsynced) >= SYNC_EVERY \
                or time.monotonic() - self._synced_at >= SYNC_SECONDS:
            self.sync()

    def sync(self) -> None:
        """Put the entries recorded since the last sync on disk (see the module's docstring)."""
        if self._unsynced:
            sync_fs(self.parts, self._unsynced)
            self._unsynced.clear()
        self._synced_at = time.monotonic()

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
