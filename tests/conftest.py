"""Session-wide test settings.

Compiled Hyperscan databases are cached per user (``pia.detection.hs_cache``). The suite
keeps its own cache in a fresh directory, so every run starts cold and leaves nothing in
the user's cache, while the many engines and CLI subprocesses of one run share it: the
pytest-xdist workers too, which take the directory their controller made (each compiling
the same patterns again cost seconds of CPU per worker).

``COLUMNS`` sets the text report's width even in a pipe: the suite runs without the one its
caller may have exported, so that output is laid out the same in every shell and CI job
(tests that need a width set their own).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

_SHARED_CACHE = "PIA_TEST_CACHE_DIR"  # the controller's, inherited by xdist workers
_made: list[str] = []  # the cache this process made, and removes


def pytest_configure(config: pytest.Config) -> None:
    cache = os.environ.get(_SHARED_CACHE) if hasattr(config, "workerinput") else None
    if not cache:
        cache = tempfile.mkdtemp(prefix="pia-test-cache-")
        _made.append(cache)
        os.environ[_SHARED_CACHE] = cache
    os.environ["PIA_CACHE_DIR"] = cache
    os.environ.pop("COLUMNS", None)


def pytest_unconfigure() -> None:
    for cache in _made:
        shutil.rmtree(cache, ignore_errors=True)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """`pia demo --lang en` run once per test process: its folder and its run. Tests only
    read the folder (copy it to write in it)."""
    folder = tmp_path_factory.mktemp("demo") / "pia-demo"
    run = subprocess.run([sys.executable, "-m", "pia", "demo", "--dir", str(folder),
                          "--lang", "en"], capture_output=True, text=True, timeout=600,
                         env=dict(os.environ, PIA_FINGERPRINT_KEY="demo-test-key-0123456789"))
    return folder, run
