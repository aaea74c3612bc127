"""A per-user cache of compiled Hyperscan databases.

Compiling pia's patterns, and probing which of them Hyperscan can report exactly, takes
about 5 s of CPU (a pattern with long bounded repeats of negated classes costs Hyperscan
seconds on its own: such a pattern is given a ``LINE_PREFILTERS`` entry). Every ``pia``
command that detects pays it, and so does every worker process of a parallel scan. The
result depends only on the expressions, their flags, Hyperscan's version and the machine.
So it is stored under the user's cache directory (``$XDG_CACHE_HOME/pia/hyperscan`` or
``~/.cache/pia/hyperscan``), named by a digest of all of those, and loaded the next time.

The cache is never needed for correctness. A missing, unreadable or corrupt entry, or a
directory that cannot be written, just means compiling. So does a cache the user does not
control: the directory (created 0700) and each entry must be the user's own, not symbolic
links and not writable by others, or they are ignored and nothing is written there; each
entry names its key and the SHA-256 of its database, checked on load. ``PIA_NO_CACHE=1``
turns it off, and ``PIA_CACHE_DIR`` moves it.
Entries are a JSON header and Hyperscan's own serialisation, never pickles.

``compile_cached`` is the one way pia compiles a Hyperscan database (the engine's scanner, the
files connector's field names): it loads the entry or compiles and stores it, and returns a
``Compiled`` database, which keeps a scratch space per thread for its scans.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:  # pragma: no cover - depends on the platform's wheels
    import hyperscan
except ImportError:  # pragma: no cover
    hyperscan = None

NO_CACHE_ENV = "PIA_NO_CACHE"
CACHE_DIR_ENV = "PIA_CACHE_DIR"
#: entries kept: 16 recognizer sets, three entries each (the scanner's patterns, token
#: patterns and words: about 9 MB together for the built-in patterns)
KEEP = 48


def cache_dir() -> Path | None:
    if os.environ.get(NO_CACHE_ENV):
        return None
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV]) / "hyperscan"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pia" / "hyperscan"


def digest(request: Any, hyperscan_version: str) -> str:
    """A name for a compile request: every input, the library version and the machine."""
    text = json.dumps([request, hyperscan_version, platform.machine()], sort_keys=True,
                      default=lambda value: value.hex() if isinstance(value, bytes) else str(value))
    return hashlib.sha256(text.encode()).hexdigest()


def _open_private(folder: Path, create: bool) -> int | None:
    """A descriptor of ``folder`` when it is the user's own (created 0700 if asked), else
    None: a symlink, another user's directory or one others may write is not used, as
    whoever controls it could plant an entry that turns detection off."""
    if create:
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
        except OSError:
            return None
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    if not _private(os.fstat(fd)):
        os.close(fd)
        return None
    return fd


def _private(st: os.stat_result) -> bool:
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def load(key: str) -> tuple[dict[str, Any], bytes] | None:
    """(header, serialised database) of a cached entry, or None when there is none or it
    cannot be trusted: not the user's own, writable by others, or not what was stored."""
    folder = cache_dir()
    if folder is None:
        return None
    fd = _open_private(folder, create=False)
    if fd is None:
        return None
    try:
        entry = os.open(f"{key}.hsdb", os.O_RDONLY | os.O_NOFOLLOW, dir_fd=fd)
        with os.fdopen(entry, "rb") as handle:
            if not _private(os.fstat(handle.fileno())):
                return None
            data = handle.read()
        head, _, body = data.partition(b"\n")
        header = json.loads(head)
        if (not isinstance(header, dict) or header.pop("key", None) != key
                or header.pop("sha256", None) != hashlib.sha256(body).hexdigest()):
            return None
        return header, body
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)


def store(key: str, header: dict[str, Any], body: bytes) -> None:
    """Write an entry atomically (a concurrent reader sees all of it or none), with its
    name and the SHA-256 of the database in the header; errors pass."""
    folder = cache_dir()
    if folder is None:
        return
    fd = _open_private(folder, create=True)
    if fd is None:
        return
    temporary = f".{secrets.token_hex(8)}.tmp"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                         0o600, dir_fd=fd)
        with os.fdopen(handle, "wb") as out:
            sealed = {**header, "key": key, "sha256": hashlib.sha256(body).hexdigest()}
            out.write(json.dumps(sealed).encode() + b"\n" + body)
        os.replace(temporary, f"{key}.hsdb", src_dir_fd=fd, dst_dir_fd=fd)
        _prune(fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=fd)
    finally:
        os.close(fd)


def _prune(fd: int) -> None:
    """Keep the ``KEEP`` most recently written entries (three per recognizer set in use)."""
    try:
        names = [name for name in os.listdir(fd) if name.endswith(".hsdb")]
        ages = {name: os.stat(name, dir_fd=fd, follow_symlinks=False).st_mtime for name in names}
        for old in sorted(names, key=ages.__getitem__)[:-KEEP]:
            os.unlink(old, dir_fd=fd)
    except OSError:
        return


#: what ``compile_cached``'s ``build`` returns: the header to store, then the expressions,
#: their ids and their flags
Build = tuple[dict[str, Any], list[bytes], list[int], list[int]]
#: Hyperscan's match callback: (id, start, end, flags, context)
OnMatch = Callable[[int, int, int, int, Any], Any]


class Compiled:
    """A compiled block-mode database and a scratch space per thread: a scratch serves one
    scan at a time, and a Dask worker may run several tasks in threads over the same one."""

    def __init__(self, database: Any) -> None:
        self.database = database
        self._local = threading.local()

    def scan(self, data: bytes, on_match: OnMatch) -> None:
        """Hyperscan over ``data``, calling ``on_match`` for every match."""
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self.database)
        self.database.scan(data, match_event_handler=on_match, scratch=scratch)


def compile_cached(request: Any, build: Callable[[], Build],
                   usable: Callable[[dict[str, Any]], bool] = lambda header: True,
                   ) -> tuple[dict[str, Any], Compiled | None]:
    """The database that ``request`` (every input that decides it) names, with its header:
    loaded from the cache when an entry is there, can be read and its header is ``usable``;
    else compiled from what ``build`` returns, and stored. None when there is no expression
    (Hyperscan refuses an empty database)."""
    key = digest(request, hyperscan.__version__)
    cached = load(key)
    if cached is not None:
        header, body = cached
        try:
            database = hyperscan.loadb(body, hyperscan.HS_MODE_BLOCK) if body else None
            if usable(header):
                return header, None if database is None else Compiled(database)
        except (hyperscan.HyperscanError, KeyError, TypeError):
            pass
    header, expressions, ids, flags = build()
    database = None
    if expressions:
        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        database.compile(expressions=expressions, ids=ids, elements=len(expressions),
                         flags=flags)
    store(key, header, hyperscan.dumpb(database) if database is not None else b"")
    return header, None if database is None else Compiled(database)
