"""The per-user cache of compiled Hyperscan databases: used when present, never needed."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from pia.detection import hs_cache, hs_compile, scanner
from pia.detection.engine import DetectionEngine
from pia.detection.registry import build_registry
from pia.sample.corpus import labelled_lines

pytestmark = pytest.mark.skipif(scanner.hyperscan is None, reason="hyperscan is not available")

LINES = [text for text, _ in labelled_lines(600, seed=41)]
#: what the cache does does not depend on how many patterns a database holds, and the full
#: set takes seconds to compile, several times a test: a few recognizers (a validator, context
#: words, Presidio's own) stand for them
ENTITIES = ("CN_MOBILE", "CN_RESIDENT_ID", "EMAIL_ADDRESS")
EXPECTED = DetectionEngine(prefilter=False, entities=ENTITIES).analyze_lines(LINES)
# a poisoned entry finds nothing: the tests below see it only if the reference finds much
assert {m.entity_type for ms in EXPECTED for m in ms} == set(ENTITIES)


def engine(registry=None) -> DetectionEngine:
    return DetectionEngine(registry or build_registry(), entities=ENTITIES)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PIA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("PIA_NO_CACHE", raising=False)
    return tmp_path / "hyperscan"


def test_a_second_engine_loads_the_database_instead_of_compiling(cache, monkeypatch) -> None:
    registry = build_registry()
    first = engine(registry)
    assert len(list(cache.glob("*.hsdb"))) == 3  # the patterns, the token patterns, the words

    def no_compiling(*_args):
        raise AssertionError("compiled although the cache holds the database")

    monkeypatch.setattr(hs_compile, "compiles", no_compiling)
    second = engine(registry)
    assert [job.exact for job in second._scanner.jobs] == [job.exact for job in first._scanner.jobs]
    assert second.analyze_lines(LINES) == first.analyze_lines(LINES) == EXPECTED


def test_a_corrupt_entry_is_compiled_again(cache) -> None:
    registry = build_registry()
    entries = every_entry(cache, registry)
    for entry in entries:
        entry.write_bytes(b'{"modes": []}\nnot a database')
    assert engine(registry).analyze_lines(LINES) == EXPECTED
    for entry in entries:
        entry.write_bytes(b"garbage")
    assert engine(registry).analyze_lines(LINES) == EXPECTED
    assert all(entry.read_bytes().startswith(b'{"modes": [') for entry in entries)  # rewritten


def test_no_cache_when_turned_off_or_unwritable(cache, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PIA_NO_CACHE", "1")
    assert engine().analyze_lines(LINES) == EXPECTED
    assert not cache.exists()
    monkeypatch.delenv("PIA_NO_CACHE")
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("PIA_CACHE_DIR", str(blocked))
    assert engine().analyze_lines(LINES) == EXPECTED


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


# A cache someone else controls is never used: a planted entry whose modes say "exact" over a
# database that matches nothing would otherwise turn detection off.

def poison(entry) -> None:
    """What the reviewer planted: every mode exact, a database that never matches; with a
    correct digest, as anyone who can write the entry can compute one."""
    hyperscan = scanner.hyperscan
    header = json.loads(entry.read_bytes().partition(b"\n")[0])
    database = hyperscan.Database()
    database.compile(expressions=[b"NEVER-MATCHES-\x01\x02"], ids=[0], elements=1, flags=[0])
    body = hyperscan.dumpb(database)
    forged = {"modes": ["exact"] * len(header["modes"]), "key": entry.stem,
              "sha256": hashlib.sha256(body).hexdigest()}
    entry.write_bytes(json.dumps(forged).encode() + b"\n" + body)


def every_entry(cache, registry=None) -> list:
    """The entries one engine stores: a database each for its patterns, its token patterns
    and its words (``scanner``)."""
    engine(registry)
    entries = sorted(cache.glob("*.hsdb"))
    assert len(entries) == 3
    return entries


def test_the_cache_directory_is_private(cache) -> None:
    every_entry(cache)
    assert cache.stat().st_mode & 0o777 == 0o700


def test_an_entry_others_may_write_is_compiled_again(cache) -> None:
    for entry in every_entry(cache):
        poison(entry)
        entry.chmod(0o666)
    assert engine().analyze_lines(LINES) == EXPECTED


def test_a_directory_others_may_write_is_not_used(cache) -> None:
    for entry in every_entry(cache):
        poison(entry)
    cache.chmod(0o777)
    assert engine().analyze_lines(LINES) == EXPECTED


def test_another_users_cache_is_not_used(cache, monkeypatch) -> None:
    for entry in every_entry(cache):
        poison(entry)
    uid = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: uid + 1)  # as if another uid owned it
    assert engine().analyze_lines(LINES) == EXPECTED


def test_a_symlinked_entry_or_directory_is_not_followed(cache, tmp_path) -> None:
    entries = every_entry(cache)
    planted = tmp_path / "planted"
    planted.mkdir(mode=0o700)
    for entry in entries:
        os.replace(entry, planted / entry.name)
        poison(planted / entry.name)
        entry.symlink_to(planted / entry.name)
    assert engine().analyze_lines(LINES) == EXPECTED
    os.replace(cache, tmp_path / "moved")
    cache.symlink_to(planted)
    assert engine().analyze_lines(LINES) == EXPECTED


def test_an_entry_whose_database_changed_is_compiled_again(cache) -> None:
    entry = every_entry(cache)[0]
    head, _, body = entry.read_bytes().partition(b"\n")
    entry.write_bytes(head + b"\n" + body[:-1] + bytes([body[-1] ^ 1]))
    assert hs_cache.load(entry.stem) is None


def test_compile_cached_builds_once_and_scans_in_threads(cache) -> None:
    """The one way pia compiles a database: built on a miss, loaded after, scanned from
    several threads at once (each has its own scratch space)."""
    from concurrent.futures import ThreadPoolExecutor

    calls: list[int] = []

    def build():
        calls.append(1)
        return {"note": "x"}, [b"abc", b"d[0-9]+e"], [1, 2], [0, 0]

    header, first = hs_cache.compile_cached(["test", 1], build)
    again, second = hs_cache.compile_cached(["test", 1], build)
    assert calls == [1] and header == again == {"note": "x"}
    assert isinstance(second, hs_cache.Compiled) and second is not first

    def ends(data: bytes) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        second.scan(data, lambda match_id, _start, end, _flags, _ctx: found.append((match_id, end)))
        return found

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(ends, [b"xxabc d12e" * 200] * 16))
    assert all(result == results[0] for result in results) and len(results[0]) == 400
    assert hs_cache.compile_cached(["empty"], lambda: ({}, [], [], [])) == ({}, None)


def test_the_files_connector_compiles_through_the_shared_helper(cache, monkeypatch) -> None:
    """connectors/files/fields.py's field-name database is compiled, cached and scanned as the
    engine's is, by ``compile_cached``."""
    from pia.connectors.files import fields

    requests: list[str] = []
    compile_cached = hs_cache.compile_cached

    def spy(request, build, *args):
        requests.append(request[0])
        return compile_cached(request, build, *args)

    monkeypatch.setattr(hs_cache, "compile_cached", spy)
    fields._database.cache_clear()
    try:
        database = fields._database(frozenset({"CREDENTIAL"}))
        assert requests == ["files-fields"] and isinstance(database, hs_cache.Compiled)
        lines = ["a=1", "password=x1", "nothing", "login_pwd=y2z"]
        assert [i for i, *_ in fields.log_pairs(lines, frozenset({"CREDENTIAL"}))] == [1, 3]
    finally:
        fields._database.cache_clear()


def test_a_changed_recognizer_file_compiles_only_its_own_patterns(cache, monkeypatch,
                                                                  tmp_path) -> None:
    """The built-in patterns are a database of their own: running again with an edited
    recognizer file loads it from the cache and compiles the file's patterns alone."""
    yaml = tmp_path / "mine.yaml"
    recognizer = ("recognizers:\n  - name: Staff\n    supported_entity: STAFF_ID\n"
                  "    context: [工号]\n"
                  "    patterns: [{{name: p, regex: '{regex}', score: 0.6}}]\n")
    yaml.write_text(recognizer.format(regex="EMP[0-9]{6}"), encoding="utf-8")
    wanted = (*ENTITIES, "STAFF_ID")
    first = DetectionEngine(build_registry([yaml]), entities=wanted)
    assert len(list(cache.glob("*.hsdb"))) == 4  # the built-in ones (three), the file's

    compiled: list[bytes] = []
    real = hs_compile.compiles

    def recording(expression: bytes, flags: int) -> bool:
        compiled.append(expression)
        return real(expression, flags)

    monkeypatch.setattr(hs_compile, "compiles", recording)
    yaml.write_text(recognizer.format(regex="STF[0-9]{5}"), encoding="utf-8")
    second = DetectionEngine(build_registry([yaml]), entities=wanted)
    assert compiled and all(b"STF" in expression for expression in compiled)
    lines = [*LINES[:200], "工号 STF12345 手机13812345678", "工号 EMP123456"]
    found = second.analyze_lines(lines)
    assert found == DetectionEngine(build_registry([yaml]), entities=wanted,
                                    prefilter=False).analyze_lines(lines)
    assert [m.entity_type for m in found[-2]] == ["STAFF_ID", "CN_MOBILE"]
    assert found[-1] == [] and first.analyze_lines(lines[-1:])[0][0].entity_type == "STAFF_ID"


#: prints the digest of what the built-in engine would compile (its cache key's input),
#: stopping before the compile itself
_REQUEST_DIGEST = """
import hashlib, sys
from pia.detection import scanner
def stop(probes, words, job_groups, word_groups):
    print(hashlib.sha256(repr((probes, words, job_groups, word_groups)).encode()).hexdigest())
    sys.exit(0)
scanner.compile_groups = stop
from pia.detection.engine import DetectionEngine
DetectionEngine()
"""


def test_the_patterns_compiled_are_the_same_in_every_process() -> None:
    # a pattern built from a set's iteration order (which follows the process's hash seed)
    # changed the cache key from one command to the next: every command compiled for 15 s
    import subprocess
    import sys

    digests = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", _REQUEST_DIGEST], env=env, check=True,
                              capture_output=True, text=True, timeout=120)
        digests.add(done.stdout.strip())
    assert len(digests) == 1, digests
