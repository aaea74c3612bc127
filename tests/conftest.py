"""Session-wide test settings.

Compiled Hyperscan databases are cached per user (``pia.detection.hs_cache``). The suite
keeps its own cache in a fresh directory, so every run starts cold and leaves nothing in
the user's cache, while the many engines and CLI subprocesses of one run share it.
"""

from __future__ import annotations

import os
import shutil
import tempfile

_CACHE = tempfile.mkdtemp(prefix="pia-test-cache-")


def pytest_configure() -> None:
    os.environ["PIA_CACHE_DIR"] = _CACHE


def pytest_unconfigure() -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)
