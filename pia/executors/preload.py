"""Imported by the forkserver before it forks pool workers: builds the default detection
engine once, so every worker inherits it instead of compiling its own Hyperscan database
(seconds of CPU per worker on a busy machine). Workers of a scan with extra recognizer files
build theirs on first use (``pia.executors.worker.context``).
"""

from __future__ import annotations

import logging

from pia.detection.engine import default_engine

try:
    default_engine()
except Exception:  # noqa: BLE001 - a worker builds its own and reports the error there
    logging.getLogger(__name__).debug("default engine not prebuilt", exc_info=True)
