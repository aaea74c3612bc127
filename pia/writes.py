"""Writing a file the user asked for (a report, a bundle, the demo's outputs).

A new file with a random name is created exclusively (``mkstemp``: ``O_CREAT|O_EXCL``) in
the target's directory, filled, then renamed over the target. A symlink planted at the
target or at a temporary name is replaced or never met, not written through, and a reader
sees the old file or all of the new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_output(path: str | os.PathLike[str], data: bytes | Iterable[str]) -> None:
    """Write ``data`` (bytes, or text pieces as UTF-8) to ``path`` through a fresh temporary
    file in its directory (see the module doc), with the mode the umask gives; raises
    ``OSError``."""
    target = Path(path)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                     suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                for piece in data:
                    handle.write(piece.encode("utf-8"))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0o077)
    os.umask(mask)
    return mask
