"""The resume journal: finished partitions and their partials, appended to one file.

Layout of ``--state DIR``: one file, ``DIR/journal.log``, one line per record::

    <HMAC> header {"version", "config", "now"}: what the partials depend on
    <HMAC> <id> {"sealed"}: {"connector", "source", "key", "state", "events", "partial"}
                                              sealed (per partition, ``journal_seal``)

One file, not one per partition: a scan of 20,000 small files left 20,000 files (80 MB on
disk for 21 MB of text, most of it block overhead) and paid a file creation per partition.
A new scan writes the header to a temporary file and renames it over the journal (the old
journal is gone, or whole); each finished partition is then appended with one ``write``,
so a SIGKILL loses only the partitions in flight. Records are made durable in batches (one
``fdatasync`` of the file every ``SYNC_EVERY`` records or ``SYNC_SECONDS``, and at exit),
not one by one; a power cut loses at most the records of the last batch, which a resume
scans again. The partials are the workers' own JSON: counts, line numbers, masked samples
and keyed fingerprints, never a raw value (``connectors.base.Partial``); the names of the
files, tables and objects they come from are sealed and the ids keyed (``journal_seal``):
version 3 kept them in clear, and its journal is started over, not read.

A crash, a kill or a full disk can leave the last record torn: it does not verify, is
ignored, and is cut off before the resumed scan appends its own. A record that does not
verify with good ones after it (a power cut that wrote pages out of order, an edit) is
skipped with a one-line warning; its partition is scanned again, the others are kept.
Records are independent, so a damaged one costs only its partition. The same partition may
be recorded more than once (a resume rescans a changed file): the last record counts. A
resume that finds damaged lines, or more superseded records than live ones, rewrites the
journal (atomically) with each partition's last good record: a damaged line is warned of
once, and the file does not grow without end.

The directory is locked (``flock``) while a scan uses it: a second scan on it is refused,
where it replaced the first one's journal or scanned its partitions again.

On ``--resume`` a partition is taken from the journal only when its connector, source, key
AND state (file size and mtime, a table's row estimate) match the new plan; anything else
is scanned again. ``config`` is a digest of what changes a partial besides the source — the
scan options, the recognizers, the fingerprint key id and the declaration — and a journal
written under another config is discarded as a whole. ``now`` is the first run's clock,
reused on resume so that ages (minors) are computed on the same day as the finished part.
A journal of the layout before (``journal.json`` and a ``parts/`` file per partition) is
read on ``--resume``, rewritten as ``journal.log`` and removed.

The journal decides what a resumed report says, so it is trusted only as far as pia wrote
it. The state directory must be a real directory (not a symbolic link) owned by the user and
not writable by others, else ``--state`` is refused; the journal is opened without following
a link. Each line starts with an HMAC of the rest (with the config digest) under a secret
derived from the fingerprint key (``Fingerprinter.derive``): a record whose HMAC does not
verify, such as one written by another user, is scanned again, and a header that does not
verify starts the journal over.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import hmac
import json
import os
import stat
import sys
import tempfile
import time
import weakref
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pia.connectors.base import Partition
from pia.errors import UsageError
from pia.executors import journal_v2
from pia.executors.journal_seal import Sealer

#: 4: names sealed and ids keyed; 3: one append-only file, names in clear (started over);
#: 2: a file per partition (journal_v2, resumed)
VERSION = 4
LOG = "journal.log"
HEADER_ID = "header"
#: records written between two syncs, at most; and the seconds after which records written
#: are synced at the next one. A power cut loses at most these, a resume scans them again
SYNC_EVERY = 512
SYNC_SECONDS = 1.0
#: fdatasync where there is one: the file's data and its size, not its times
_datasync = getattr(os, "fdatasync", os.fsync)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file, or all of the new one,
    and put both the data and the name on disk before returning."""
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


def private_dir(path: Path, label: str) -> None:
    """Create ``path`` (mode 0700) or check that it is the user's own: a real directory,
    owned by the user, that nobody else may write; else a ``UsageError``."""
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError as err:
        raise UsageError(f"{label} {path}: cannot create ({err.strerror})") from None
    check_private(path, label)


def check_private(path: Path, label: str) -> None:
    """A ``UsageError`` unless ``path`` is a real directory of the user's that only the user
    may write (a link or another user's directory could make pia write or delete elsewhere)."""
    st = os.lstat(path)
    problem = ("is a symbolic link" if stat.S_ISLNK(st.st_mode)
               else "is not a directory" if not stat.S_ISDIR(st.st_mode)
               else "is owned by another user" if st.st_uid != os.getuid()
               else "is writable by other users (chmod go-w)" if st.st_mode & 0o022
               else None)
    if problem:
        raise UsageError(f"{label} {path}: {problem}; refusing to use it")


def _mac(key: bytes, config: str, ident: str, body: bytes) -> bytes:
    message = config.encode() + b"\0" + ident.encode() + b"\0" + body
    return hmac.new(key, message, hashlib.sha256).hexdigest().encode()


def sealed_line(key: bytes, config: str, ident: str, body: bytes) -> bytes:
    """One journal line: ``<HMAC> <id> <body>\\n``; ``body`` is JSON, which holds no
    newline byte (JSON escapes it in strings, and whitespace between tokens is dropped)."""
    if b"\n" in body:
        body = body.replace(b"\n", b" ")
    return _mac(key, config, ident, body) + b" " + ident.encode() + b" " + body + b"\n"


def opened_line(key: bytes, config: str, line: bytes) -> tuple[str, Any] | None:
    """(id, JSON) of a whole line, or None when it is torn or its HMAC does not verify."""
    if not line.endswith(b"\n"):
        return None
    mac, _, rest = line[:-1].partition(b" ")
    ident, _, body = rest.partition(b" ")
    try:
        name = ident.decode("ascii")
    except UnicodeDecodeError:
        return None
    if not hmac.compare_digest(mac, _mac(key, config, name, body)):
        return None
    try:
        return name, json.loads(body.decode("utf-8", "surrogatepass"))  # as record() wrote
    except ValueError:
        return None


def _header_body(config: str, now: datetime) -> bytes:
    return json.dumps({"version": VERSION, "config": config, "now": now.isoformat()}).encode()


def _unusable(header: tuple[str, Any] | None, config: str) -> str | None:
    """Why (an i18n key) a journal whose first line opened as ``header`` cannot be resumed,
    or None."""
    if header is None or header[0] != HEADER_ID or not isinstance(header[1], dict):
        return "journal:damaged_header"
    if header[1].get("version") != VERSION:
        return "journal:other_version"
    if header[1].get("config") != config:
        return "journal:other_options"
    return None


def _lines(handle: Any) -> Iterator[tuple[int, bytes]]:
    """(offset, line) of each line of a binary file, the last one perhaps without newline."""
    offset = 0
    for line in handle:
        yield offset, line
        offset += len(line)


def say(key: str, lang: str, **values: object) -> None:
    """The line ``key`` (``pia.reports.i18n``) on stderr in ``lang``, its values made
    printable: a resumed scan's lines speak the report's language, as its others do."""
    from pia.printable import masked_line
    from pia.reports.i18n import t

    shown = {name: masked_line(str(value)) for name, value in values.items()}
    print(t(key, lang).format(**shown), file=sys.stderr, flush=True)


def _lock(root: Path) -> int:
    """``root`` opened and locked (``flock``) for this scan alone: two scans sharing a
    ``--state`` replaced each other's journal or scanned the same partitions twice. The
    directory itself is locked (the journal file is replaced by a new scan, and a lock file
    would be one more file to keep); the lock goes with its closing, or with the process (a
    kill -9 too)."""
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as err:
        raise UsageError(f"--state {root}: cannot open ({err.strerror or err})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as err:
        os.close(fd)
        if err.errno in (errno.EWOULDBLOCK, errno.EACCES):
            raise UsageError(f"--state {root}: another pia scan is using it; wait for it"
                             " to end or give another directory") from None
        raise UsageError(f"--state {root}: cannot lock the journal"
                         f" ({err.strerror or err})") from None
    return fd


class _Log:
    """The open journal file, its lock and its records not yet synced; what syncs them at
    exit (``weakref.finalize``) holds this, not the journal."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.lock = -1
        self.unsynced = 0
        self.synced_at = time.monotonic()

    def sync(self) -> None:
        if self.unsynced and self.fd >= 0:
            with contextlib.suppress(OSError):  # a full disk: what is not synced is rescanned
                _datasync(self.fd)
        self.unsynced = 0
        self.synced_at = time.monotonic()

    def close(self) -> None:
        if self.fd >= 0:
            self.sync()
            os.close(self.fd)
            self.fd = -1
        if self.lock >= 0:
            os.close(self.lock)  # after the last sync: the next scan finds every record
            self.lock = -1


class Journal:
    """Finished partitions of one scan, kept in ``directory``; ``key`` authenticates it."""

    def __init__(self, directory: str | os.PathLike[str], config: str, now: datetime,
                 resume: bool, *, key: bytes, lang: str = "en") -> None:
        self.root = Path(directory)
        self.path = self.root / LOG
        try:
            self.root.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise UsageError(f"--state {self.root}: cannot create ({err.strerror})") from None
        private_dir(self.root, "--state")
        journal_v2.check_layout(self.root)
        self.key = key
        self._sealer = Sealer(key)
        self.config = config
        self.now = now
        #: the language of the warnings said (``pia.reports.i18n``)
        self.lang = lang
        self.reused = 0
        #: why a ``--resume`` started over (None: it did not, or none was asked)
        self.discarded: str | None = None
        #: id -> (offset, length) of the partition's last good record in the file
        self._index: dict[str, tuple[int, int]] = {}
        self._failed = False
        # held while the journal is open; the kernel lets go of it however pia exits
        self._lock = _lock(self.root)
        try:
            self._log, self._end = self._open(resume, now)
        except OSError as err:
            os.close(self._lock)
            raise UsageError(f"--state {self.root}: cannot write the journal"
                             f" ({err.strerror or err})") from None
        except BaseException:
            os.close(self._lock)
            raise
        self._log.lock = self._lock
        # records written since the last batch are synced when pia exits, however it exits
        self._at_exit = weakref.finalize(self, self._log.close)

    def _open(self, resume: bool, now: datetime) -> tuple[_Log, int]:
        """The journal file opened to append (resumed, migrated or new) and its good end.
        A journal that cannot be written at all fails the scan before it starts: a scan
        asked to be resumable would otherwise run for hours and keep nothing."""
        end = self._load() if resume else None
        if end is None and resume:
            end = self._migrate()
        if end is None:  # a new scan, or a journal made with other options: start over
            self.now = now
            self._index.clear()
            header = sealed_line(self.key, "", HEADER_ID, _header_body(self.config, now))
            write_atomic(self.path, header)
            end = len(header)
        journal_v2.remove(self.root)
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            if os.fstat(fd).st_size != end:
                os.ftruncate(fd, end)  # a torn last record: cut off, or the next is glued on
                _datasync(fd)
        except BaseException:
            os.close(fd)
            raise
        return _Log(fd), end

    # --- reading ---------------------------------------------------------------------------

    def _load(self) -> int | None:
        """Index the journal's good records; the offset its good part ends at, or None when
        there is no journal of this config to resume (``discarded`` says why)."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            self.discarded = self._why("journal:none")
            return None
        except OSError as err:
            self.discarded = self._why("journal:unreadable", err=err.strerror)
            return None
        with open(fd, "rb") as handle:
            lines = _lines(handle)
            first = next(lines, None)
            header = opened_line(self.key, "", first[1]) if first else None
            unusable = _unusable(header, self.config)
            if unusable is not None:
                self.discarded = self._why(unusable)
                return None
            self.now = datetime.fromisoformat(header[1]["now"])
            end, damaged, number, good = len(first[1]), [], 1, 0
            for number, (offset, line) in enumerate(lines, start=2):
                record = opened_line(self.key, self.config, line)
                if record is None:
                    damaged.append((number, offset))
                    continue
                self._index[record[0]] = (offset, len(line))
                end = offset + len(line)
                good += 1
        torn = bool(damaged) and damaged[-1][0] == number
        if torn:
            damaged.pop()  # the last line: the torn record a crash leaves, ignored
        for line_number, offset in damaged:
            say("journal:damaged_line", self.lang, root=self.root, line=line_number, log=LOG,
                offset=offset)
        if damaged or good > 2 * len(self._index):
            # a damaged line kept would be warned of at every resume, and records of
            # rescanned partitions would grow the file without end: keep the last good ones
            return self._rewrite()
        return end  # what follows the last good record is cut off

    def _why(self, key: str, **values: object) -> str:
        """Why a resume starts over, in the journal's language."""
        from pia.reports.i18n import t

        return t(key, self.lang).format(root=self.root, **values)

    def _rewrite(self) -> int:
        """The journal rewritten (atomically) with its header and each partition's last
        good record only; the offset it ends at."""
        fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            data = [sealed_line(self.key, "", HEADER_ID, _header_body(self.config, self.now))]
            offset, index = len(data[0]), {}
            for ident, (where, length) in sorted(self._index.items(), key=lambda i: i[1][0]):
                data.append(os.pread(fd, length, where))
                index[ident] = (offset, length)
                offset += length
        finally:
            os.close(fd)
        write_atomic(self.path, b"".join(data))
        self._index = index
        return offset

    def _migrate(self) -> int | None:
        """A journal of the layout before, rewritten as one file; None when there is none of
        this config."""
        old = journal_v2.read(self.root, self.key, self.config)
        if old is None:
            return None
        self.discarded = None
        self.now, entries = old
        data = [sealed_line(self.key, "", HEADER_ID, _header_body(self.config, self.now))]
        offset = len(data[0])
        for _old_id, body in entries:
            record = json.loads(body.decode("utf-8", "surrogatepass"))
            try:
                ident = self._sealer.partition_id(Partition(
                    connector=record["connector"], source=record["source"],
                    key=record["key"], spec={}))
            except KeyError:
                continue  # no partition named: nothing a resume could match it to
            data.append(sealed_line(self.key, self.config, ident,
                                    self._sealer.seal(ident, self.config, body)))
            self._index[ident] = (offset, len(data[-1]))
            offset += len(data[-1])
        write_atomic(self.path, b"".join(data))
        return offset

    def lookup(self, partition: Partition) -> dict[str, Any] | None:
        """The journaled entry for this partition when it is still valid, else None."""
        ident = self._sealer.partition_id(partition)
        where = self._index.get(ident)
        if where is None:
            return None
        record = opened_line(self.key, self.config, os.pread(self._log.fd, where[1], where[0]))
        entry = self._sealer.unseal(ident, self.config, record[1]) if record else None
        same = isinstance(entry, dict) and all(entry.get(k) == getattr(partition, k)
                   for k in ("connector", "source", "key", "state"))
        if not same or not isinstance(entry.get("partial"), dict):
            return None
        self.reused += 1
        return entry

    def knows(self, partition: Partition) -> bool:
        """Whether the journal holds a record of this partition, valid or not."""
        return self._sealer.partition_id(partition) in self._index

    def finished(self) -> int:
        """How many partitions the journal holds a result for."""
        return len(self._index)

    # --- writing ---------------------------------------------------------------------------

    def record(self, partition: Partition, partial_json: str, events: list[Any]) -> None:
        """Append the partition's result; synced with its batch (see the module)."""
        if self._failed:
            return
        entry = {"connector": partition.connector, "source": partition.source,
                 "key": partition.key, "state": partition.state, "events": events}
        # the partial is spliced in as the worker's JSON text: no re-encoding on the driver
        text = json.dumps(entry, ensure_ascii=False)[:-1] + ', "partial": ' + partial_json + "}"
        ident = self._sealer.partition_id(partition)
        # a non-UTF-8 file name is kept as its surrogates
        body = self._sealer.seal(ident, self.config, text.encode("utf-8", "surrogatepass"))
        line = sealed_line(self.key, self.config, ident, body)
        try:
            self._append(line)
        except OSError as err:
            self._failed = True
            with contextlib.suppress(OSError):
                os.ftruncate(self._log.fd, self._end)  # no torn record for the next to follow
            say("journal:cannot_write", self.lang, root=self.root, err=err.strerror or err)
            return
        self._index[ident] = (self._end, len(line))
        self._end += len(line)
        self._log.unsynced += 1
        if self._log.unsynced >= SYNC_EVERY \
                or time.monotonic() - self._log.synced_at >= SYNC_SECONDS:
            self._log.sync()

    def _append(self, line: bytes) -> None:
        view = memoryview(line)
        while view:
            written = os.write(self._log.fd, view)
            view = view[written:]

    def sync(self) -> None:
        """Put the records appended since the last sync on disk (see the module's docstring)."""
        self._log.sync()

    def close(self) -> None:
        """Sync what is left and close the file (also done at exit, however pia exits)."""
        self._at_exit()

    @property
    def closed(self) -> bool:
        return self._log.fd < 0


def config_digest(parameters: dict[str, Any], *, recognizers: list[tuple[str, bytes]],
                  key_id: str, declaration: dict[str, Any] | None, version: str) -> str:
    """What a partial depends on besides its partition and source state."""
    h = hashlib.sha256()
    h.update(json.dumps({"parameters": parameters, "key_id": key_id, "version": version,
                         "declaration": declaration}, sort_keys=True, default=str).encode())
    for name, data in recognizers:
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()
