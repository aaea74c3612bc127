"""The per-user cache of compiled Hyperscan databases: used when present, never needed."""

from __future__ import annotations

import pytest

from pia.detection import hs_cache, scanner
from pia.detection.engine import DetectionEngine
from pia.detection.registry import build_registry
from pia.sample.corpus import labelled_lines

pytestmark = pytest.mark.skipif(scanner.hyperscan is None, reason="hyperscan is not available")

LINES = [text for text, _ in labelled_lines(600, seed=41)]
EXPECTED = DetectionEngine(prefilter=False).analyze_lines(LINES)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PIA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("PIA_NO_CACHE", raising=False)
    return tmp_path / "hyperscan"


def test_a_second_engine_loads_the_database_instead_of_compiling(cache, monkeypatch) -> None:
    registry = build_registry()
    first = DetectionEngine(registry)
    assert len(list(cache.glob("*.hsdb"))) == 1

    def no_compiling(*_args):
        raise AssertionError("compiled although the cache holds the database")

    monkeypatch.setattr(scanner, "_compiles", no_compiling)
    second = DetectionEngine(registry)
    assert [job.exact for job in second._scanner.jobs] == [job.exact for job in first._scanner.jobs]
    assert second.analyze_lines(LINES) == first.analyze_lines(LINES) == EXPECTED


def test_a_corrupt_entry_is_compiled_again(cache) -> None:
    registry = build_registry()
    DetectionEngine(registry)
    (entry,) = cache.glob("*.hsdb")
    entry.write_bytes(b'{"modes": []}\nnot a database')
    assert DetectionEngine(registry).analyze_lines(LINES) == EXPECTED
    entry.write_bytes(b"garbage")
    assert DetectionEngine(registry).analyze_lines(LINES) == EXPECTED
    assert entry.read_bytes().startswith(b'{"modes": [')  # rewritten whole


def test_no_cache_when_turned_off_or_unwritable(cache, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PIA_NO_CACHE", "1")
    assert DetectionEngine(build_registry()).analyze_lines(LINES) == EXPECTED
    assert not cache.exists()
    monkeypatch.delenv("PIA_NO_CACHE")
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("PIA_CACHE_DIR", str(blocked))
    assert DetectionEngine(build_registry()).analyze_lines(LINES) == EXPECTED


def test_entries_are_named_by_everything_that_shapes_them() -> None:
    assert hs_cache.digest([[b"a"], 1], "0.9") != hs_cache.digest([[b"a"], 2], "0.9")
    assert hs_cache.digest([[b"a"], 1], "0.9") != hs_cache.digest([[b"a"], 1], "1.0")
    assert hs_cache.digest([[b"a"], 1], "0.9") == hs_cache.digest([[b"a"], 1], "0.9")


def test_only_the_newest_entries_are_kept(cache, monkeypatch) -> None:
    monkeypatch.setattr(hs_cache, "KEEP", 3)
    import os

    for n in range(5):
        hs_cache.store(f"key{n}", {"modes": []}, b"")
        os.utime(cache / f"key{n}.hsdb", (1_000_000 + n, 1_000_000 + n))  # distinct ages
    assert sorted(path.stem for path in cache.glob("*.hsdb")) == ["key2", "key3", "key4"]
    assert hs_cache.load("key4") == ({"modes": []}, b"")
    assert hs_cache.load("key0") is None
