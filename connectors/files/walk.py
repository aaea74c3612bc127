"""From source URIs to the sorted list of regular files to scan, and what was passed over.

A source is a file, a directory (walked recursively, ``--include``/``--exclude`` globs
matched against the path relative to it), a glob, or a ``file://`` URI. Symlinks are not
followed out of the tree being scanned (a link out of ``/var/log`` into ``/etc`` is recorded,
not read); links inside it are not followed either, since their targets are walked anyway.
Special files (FIFOs, devices, sockets) are never opened: opening a FIFO blocks.
"""

from __future__ import annotations

import glob
import os
import re
import stat
from dataclasses import dataclass
from fnmatch import fnmatch

from pia.errors import SourceError
from pia.printable import short_path
from pia.uri import file_path, scrub

_MAGIC = re.compile(r"[*?[]")
_SPECIAL = (
    (stat.S_ISFIFO, "special file (FIFO)"),
    (stat.S_ISCHR, "special file (character device)"),
    (stat.S_ISBLK, "special file (block device)"),
    (stat.S_ISSOCK, "special file (socket)"),
)


#: the reason a directory the walk could not enter starts with: a directory, not a file, of
#: which nothing is known (not how many files it holds, nor whether they are logs)
UNLISTED = "cannot list directory"


@dataclass(frozen=True)
class Entry:
    path: str  # as shown in reports: the source as given, joined with the relative path
    rel: str  # relative to the walked root (the file name for a single file)
    size: int
    mtime_ns: int


def source_path(uri: str) -> str:
    """A plain path as given; ``file:///abs`` or ``file://localhost/abs`` as its path (any
    other host, or ``file://relative``, is a usage error: see ``pia.uri.file_path``)."""
    return file_path(uri)


def selected(rel: str, include: list[str], exclude: list[str]) -> bool:
    """Whether the file at ``rel`` (its path below the walked root) is scanned under the
    ``--include``/``--exclude`` globs."""
    if include and not any(fnmatch(rel, pattern) for pattern in include):
        return False
    return not any(fnmatch(rel, pattern) for pattern in exclude)


def special_reason(mode: int) -> str | None:
    for test, reason in _SPECIAL:
        if test(mode):
            return reason
    return None if stat.S_ISREG(mode) else "not a regular file"


def stat_source(path: str) -> os.stat_result:
    """What ``path``, named on the command line, is; a path that is not there, or cannot be
    followed (a symlink loop), is an error here, so that ``pia scan`` and ``pia detect`` say
    the same thing of it."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        # a connection string pia did not recognise (jdbc:…, host=… password=…) lands here
        raise SourceError(f"{short_path(scrub(path))}: no such file or directory") from None
    except OSError as err:
        raise SourceError(f"cannot read {short_path(scrub(path))}: {err.strerror}") from None


def unlisted(pattern: str) -> str | None:
    """Why a glob that matches nothing may still name files: the directory its fixed part
    names (``/srv/locked`` of ``/srv/locked/*.log``) cannot be listed. None when it can, or
    is not there (then nothing matches indeed)."""
    fixed: list[str] = []
    for part in pattern.split(os.sep):
        if _MAGIC.search(part):
            break
        fixed.append(part)
    folder = os.sep.join(fixed) or "."
    try:
        with os.scandir(folder):
            return None
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as err:
        return f"{UNLISTED} {short_path(folder)}: {err.strerror}"


def _inside(path: str, root_real: str) -> bool:
    real = os.path.realpath(path)
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def walk(uri: str, include: list[str], exclude: list[str]) -> tuple[list[Entry],
                                                                    list[tuple[str, str]]]:
    """Files to scan (sorted by path) and (path, reason) for what was skipped."""
    path = source_path(uri)
    if not os.path.lexists(path) and _MAGIC.search(path):
        matches = sorted(glob.glob(path, recursive=True))
        entries: list[Entry] = []
        skipped: list[tuple[str, str]] = []
        for match in matches:
            found, passed = walk(match, include, exclude)
            entries.extend(found)
            skipped.extend(passed)
        return sorted(set(entries), key=lambda e: e.path), skipped
    st = stat_source(path)
    if stat.S_ISDIR(st.st_mode):
        return _walk_dir(path, include, exclude)
    reason = special_reason(st.st_mode)
    if reason:
        return [], [(path, reason)]
    rel = os.path.basename(path)
    if not selected(rel, include, exclude):
        return [], []
    return [Entry(path, rel, st.st_size, st.st_mtime_ns)], []


def _walk_dir(root: str, include: list[str], exclude: list[str]) -> tuple[list[Entry],
                                                                         list[tuple[str, str]]]:
    root_real = os.path.realpath(root)
    entries: list[Entry] = []
    skipped: list[tuple[str, str]] = []

    def onerror(err: OSError) -> None:
        skipped.append((err.filename or root, f"{UNLISTED}: {err.strerror}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        dirnames.sort()
        for name in list(dirnames):
            full = os.path.join(dirpath, name)
            if os.path.islink(full) and not _inside(full, root_real):
                skipped.append((full, "symlink points outside the scanned tree"))
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            if not selected(rel, include, exclude):
                continue
            try:
                lst = os.lstat(full)
                if stat.S_ISLNK(lst.st_mode):
                    if not os.path.exists(full):  # nothing to read, but say so
                        skipped.append((full, "symlink is dangling or loops"))
                    elif not _inside(full, root_real):
                        skipped.append((full, "symlink points outside the scanned tree"))
                    continue  # a link inside the tree: its target is walked on its own
                reason = special_reason(lst.st_mode)
                if reason:
                    skipped.append((full, reason))
                    continue
            except FileNotFoundError:
                skipped.append((full, "file vanished"))
                continue
            except OSError as err:
                skipped.append((full, f"cannot stat: {err.strerror}"))
                continue
            entries.append(Entry(full, rel, lst.st_size, lst.st_mtime_ns))
    return sorted(entries, key=lambda e: e.path), skipped
