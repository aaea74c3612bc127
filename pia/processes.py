"""Whether a process still runs, as a worker watching its driver and a sweep of the copies
killed processes left both need to know."""

from __future__ import annotations

import os


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs. A process that exited but was not reaped yet (a zombie:
    its parent waits, say, for the end of output another process holds open) is gone. One
    this user may not signal, or a pid that cannot be asked about, counts as running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True
