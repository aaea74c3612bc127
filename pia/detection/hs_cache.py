"""A per-user cache of compiled Hyperscan databases.

Compiling pia's patterns, and probing which of them Hyperscan can report exactly, takes
about 2 s of CPU. Every ``pia`` command that detects pays it, and so does every worker
process of a parallel scan. The result depends only on the expressions, their flags,
Hyperscan's version and the machine. So it is stored under the user's cache directory
(``$XDG_CACHE_HOME/pia/hyperscan`` or ``~/.cache/pia/hyperscan``), named by a digest of
all of those, and loaded the next time.

The cache is never needed for correctness. A missing, unreadable or corrupt entry, or a
directory that cannot be written, just means compiling. ``PIA_NO_CACHE=1`` turns it off, and
``PIA_CACHE_DIR`` moves it.
Entries are a JSON header and Hyperscan's own serialisation, never pickles.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from pathlib import Path
from typing import Any

NO_CACHE_ENV = "PIA_NO_CACHE"
CACHE_DIR_ENV = "PIA_CACHE_DIR"
#: entries kept (about 1.6 MB each)
KEEP = 16


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


def load(key: str) -> tuple[dict[str, Any], bytes] | None:
    """(header, serialised database) of a cached entry, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = (folder / f"{key}.hsdb").read_bytes()
        header, _, body = data.partition(b"\n")
        return json.loads(header), body
    except (OSError, ValueError):
        return None


def store(key: str, header: dict[str, Any], body: bytes) -> None:
    """Write an entry atomically (a concurrent reader sees all of it or none); errors pass."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(json.dumps(header).encode() + b"\n" + body)
        os.replace(temporary, folder / f"{key}.hsdb")
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return
    _prune(folder)


def _prune(folder: Path) -> None:
    """Keep the ``KEEP`` most recently written entries (one per recognizer set in use)."""
    try:
        entries = sorted(folder.glob("*.hsdb"), key=lambda path: path.stat().st_mtime)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        return
