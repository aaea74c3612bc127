"""Imported by the forkserver before it forks pool workers: builds the default detection
engine once, so every worker inherits it instead of compiling its own Hyperscan database
(seconds of CPU per worker on a busy machine). Workers of a scan with extra recognizer files
build theirs on first use (``pia.executors.worker.context``).

The forkserver blocks SIGTERM, so that one sent to the whole process group does not kill it
(``pia.executors.local._start_forkserver``); each process it forks unblocks it at once, so a
newborn worker its driver terminates dies of it before it has read or unpickled anything.
"""

from __future__ import annotations

import logging
import os
import signal

from pia.detection.engine import default_engine


def _unblock_sigterm() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


if hasattr(os, "register_at_fork") and hasattr(signal, "pthread_sigmask"):
    os.register_at_fork(after_in_child=_unblock_sigterm)

try:
    default_engine()
except Exception:  # noqa: BLE001 - a worker builds its own and reports the error there
    logging.getLogger(__name__).debug("default engine not prebuilt", exc_info=True)
