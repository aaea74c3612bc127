"""Bounded memory: long lines in overlapping windows, big files in byte ranges, and merges
that give the same answer whatever order the partials come in."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
from collections import Counter

import pytest
from files_gen import Gen, counts

from pia.connectors.base import ScanOptions
from pia.connectors.files import FilesConnector, connector, text


def _long_line(gen: Gen, length: int, every: int) -> tuple[str, int]:
    """A line of ``length`` characters with a resident ID about every ``every`` characters
    (jittered so that values fall on window seams) and long digit runs that must not match."""
    rng = random.Random(length)
    parts, size, planted = [], 0, 0
    while size < length:
        gap = rng.randint(every // 2, every * 3 // 2)
        filler = ". " * (gap // 2)
        piece = (f"{filler}身份证 {gen.resident_id()} " if rng.random() < 0.8
                 else f"{filler}trace {rng.randint(10**29, 10**30 - 1)} ")
        planted += piece.count("身份证")
        parts.append(piece)
        size += len(piece)
    return "".join(parts), planted


@pytest.mark.parametrize("window", [4096, 1 << 20])
def test_long_line_counts_each_value_once(tmp_path, scan, monkeypatch, window) -> None:
    monkeypatch.setattr(text, "WINDOW", window)
    line, planted = _long_line(Gen(11), 400_000, 700)
    (tmp_path / "one.log").write_text("head\n" + line + "\ntail\n")
    (item,) = scan(tmp_path).inventory
    assert (item["count"], item["location"]["lines"], item["sampled"]) == (planted, [2], 3)


def _write_log(path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n")


def test_byte_ranges_merge_to_the_whole_file_answer(tmp_path, ctx, monkeypatch) -> None:
    gen, truth = Gen(12), Counter()
    lines = gen.log(4000, 7, truth)
    _write_log(tmp_path / "big.log", lines)
    conn, options = FilesConnector(), ScanOptions()

    def run(split: int, order_seed: int | None):
        monkeypatch.setattr(connector, "SPLIT_BYTES", split)
        plan = conn.plan(str(tmp_path), options, ctx)
        parts = list(plan.partitions)
        if order_seed is not None:
            random.Random(order_seed).shuffle(parts)
        partials = {p.key: conn.scan_partition(p, options, ctx) for p in parts}
        json.dumps(partials)  # partials are JSON-serialisable
        return len(plan.partitions), conn.merge(plan, partials, options, ctx)

    whole_parts, whole = run(1 << 30, None)
    split_parts, split = run(32 * 1024, 3)
    _, again = run(32 * 1024, 4)
    assert whole_parts == 1 and split_parts > 5
    assert counts(split) == Counter({("big.log", None, k): v for k, v in truth.items()})
    assert split.inventory == whole.inventory == again.inventory
    assert split.facts == whole.facts
    first_id_line = next(i for i, line in enumerate(lines, 1) if "身份证" in line)
    item = next(i for i in split.inventory if i["entity_type"] == "CN_RESIDENT_ID")
    assert item["location"]["first_line"] == first_id_line


def test_partials_hold_no_raw_value(tmp_path, ctx) -> None:
    gen = Gen(13)
    value = gen.resident_id()
    (tmp_path / "a.log").write_text(f"身份证 {value}\n")
    conn, options = FilesConnector(), ScanOptions()
    plan = conn.plan(str(tmp_path), options, ctx)
    partials = [conn.scan_partition(p, options, ctx) for p in plan.partitions]
    dumped = json.dumps(partials, ensure_ascii=False)
    assert value not in dumped and value[-8:] not in dumped


# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent (a large pytest
# process late in the suite), while VmHWM belongs to this process image alone.
_RSS_SCRIPT = textwrap.dedent("""
    import sys
    from datetime import UTC, datetime

    def hwm_kb():
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))

    from pia.connectors.base import ScanContext, ScanOptions, scan_serial
    from pia.connectors.files import FilesConnector
    from pia.detection.engine import default_engine
    from pia.masking import Fingerprinter
    ctx = ScanContext(engine=default_engine(), fingerprint=Fingerprinter(b"k" * 32),
                      now=datetime.now(UTC))
    scan_serial(FilesConnector(), sys.argv[1], ScanOptions(), ctx)  # warm up on a small file
    base = hwm_kb()
    result = scan_serial(FilesConnector(), sys.argv[2], ScanOptions(), ctx)
    peak = hwm_kb()
    print(base // 1024, peak // 1024, result.inventory[0]["count"])
""")


def test_100_mb_single_line_in_bounded_memory(tmp_path) -> None:
    gen = Gen(14)
    small = tmp_path / "small.log"
    small.write_text(f"身份证 {gen.resident_id()}\n")
    big = tmp_path / "big.log"
    chunk = ". " * (1 << 19)  # 1 MiB of filler
    planted = 0
    with big.open("w") as handle:
        for _ in range(100):
            handle.write(chunk)
            handle.write(f" 身份证 {gen.resident_id()} ")
            planted += 1
    out = subprocess.run([sys.executable, "-c", _RSS_SCRIPT, str(small), str(big)],
                         capture_output=True, text=True, timeout=240, check=True)
    base_mb, peak_mb, count = map(int, out.stdout.split())
    assert count == planted
    assert peak_mb < 300, (base_mb, peak_mb)
    assert peak_mb - base_mb < 60, (base_mb, peak_mb)  # a whole-line read would need >200


@pytest.mark.parametrize("chunk", [5, 97, 1 << 20])
def test_chunk_size_changes_nothing(tmp_path, scan, monkeypatch, chunk) -> None:
    """Whole lines of a chunk go to the engine in bulk, lines cut by a chunk edge one by one:
    both give the same inventory, line numbers and retention facts."""
    gen, truth = Gen(21), Counter()
    lines = gen.log(300, 7, truth)
    crlf = "\r\n".join(lines[:100]) + "\r\n\r\r\n" + "\n".join(lines[100:]) + "\n\n"
    (tmp_path / "app.log").write_text(crlf + "手机 13812345678 no newline at the end")
    (tmp_path / "ids.csv").write_text("name,sfzh\n" + "\n".join(
        f"张{i},{gen.resident_id()}" for i in range(50)) + "\n")
    monkeypatch.setattr(text, "CHUNK_BYTES", 1 << 20)
    expected = scan(tmp_path)
    monkeypatch.setattr(text, "CHUNK_BYTES", chunk)
    got = scan(tmp_path)
    assert got.inventory == expected.inventory
    assert got.facts == expected.facts
    app = next(f for f in got.facts if f["kind"] == "file"
               and f["location"]["path"].endswith("app.log"))
    assert app["attributes"]["lines"] == 303  # the last line has no newline
    assert app["attributes"]["oldest"] is not None
