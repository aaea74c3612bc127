"""A compressed log cut short (rotated while being written, a partial copy) or damaged: the
lines decompressed before the damage are scanned, whatever the compression, and the file is
said to be read in part, never passed as read in full (nor dated as if it were)."""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
from collections import Counter

import pytest
from files_gen import Gen, counts

from pia.connectors.base import ScanOptions
from pia.connectors.files import FilesConnector

#: bzip2 decompresses whole blocks (100 kB of text at level 1): a log of several blocks
COMPRESSIONS = [
    ("gz", "gzip", lambda data: gzip.compress(data)),
    ("bz2", "bzip2", lambda data: bz2.compress(data, 1)),
    ("xz", "xz", lambda data: lzma.compress(data)),
]


def _estate(tmp_path, suffix: str, compress, keep: float | int, truth: Counter):
    """``logs/app.log`` and ``logs/app.log.1.<suffix>`` of which ``keep`` of the bytes
    are left (a float), or its first ``keep`` bytes (an int)."""
    gen = Gen(7)
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log").write_text("2026-11-29 10:00:00 INFO started\n")
    blob = compress(("\n".join(gen.log(2500, 2, truth)) + "\n").encode())
    (logs / f"app.log.1.{suffix}").write_bytes(
        blob[: keep if isinstance(keep, int) else int(len(blob) * keep)])
    return logs


def _scan(ctx, logs):
    connector, options = FilesConnector(), ScanOptions()
    plan = connector.plan(str(logs), options, ctx)
    partials = {p.key: connector.scan_partition(p, options, ctx) for p in plan.partitions}
    return connector.merge(plan, partials, options, ctx)


def _facts(result, kind: str) -> dict[str, dict]:
    return {os.path.basename(f["attributes"]["path"]): f["attributes"]
            for f in result.facts if f["kind"] == kind}


def _reasons(result) -> dict[str, str]:
    return {os.path.basename(s["location"]["path"]): s["reason"] for s in result.skipped}


@pytest.mark.parametrize(("suffix", "kind", "compress"), COMPRESSIONS)
def test_cut_short_log_scans_what_came_before_and_says_read_in_part(tmp_path, ctx, suffix,
                                                                     kind, compress) -> None:
    truth = Counter()
    logs = _estate(tmp_path, suffix, compress, 0.9, truth)
    result = _scan(ctx, logs)
    name = f"app.log.1.{suffix}"
    found = sum(n for (file, _m, _e), n in counts(result).items() if file == name)
    assert 0.5 * sum(truth.values()) < found < sum(truth.values())
    assert _reasons(result) == {
        name: f"corrupt {kind} stream (cut short: EOFError): read in part, "
              f"{'its whole blocks' if kind == 'bzip2' else 'the lines'} before the damage"}
    cut = _facts(result, "file")[name]
    assert cut["lines"] > 0
    assert (cut["oldest"], cut["newest"], cut.get("complete")) == (None, None, False)
    folder = _facts(result, "log_dir")["logs"]
    assert (folder["oldest"], folder.get("complete"), folder.get("unread")) == (None, False, 1)


@pytest.mark.parametrize(("suffix", "kind", "compress"), COMPRESSIONS)
def test_nothing_readable_before_the_damage_is_not_a_file_of_no_lines(tmp_path, ctx, suffix,
                                                                      kind, compress) -> None:
    """A bzip2 log cut inside its first block (all of a log under 900 kB at the default
    level) yields no line at all, as a gzip or xz one cut inside its header: no fact says
    an empty text file was read, and its folder's span is unknown, not dated by it."""
    truth = Counter()
    # bzip2 at its default level: the log is one block; gzip and xz: cut in their header
    logs = _estate(tmp_path, suffix, bz2.compress if kind == "bzip2" else compress,
                   0.9 if kind == "bzip2" else 10, truth)
    result = _scan(ctx, logs)
    name = f"app.log.1.{suffix}"
    assert not any(file == name for file, _m, _e in counts(result))
    reason = _reasons(result)[name]
    assert reason.startswith(f"corrupt {kind} stream (cut short: EOFError): nothing could "
                             "be read before the damage")
    assert ("900 kB" in reason) == (kind == "bzip2")
    assert name not in _facts(result, "file")
    folder = _facts(result, "log_dir")["logs"]
    assert (folder["oldest"], folder.get("complete"), folder.get("unread")) == (None, False, 1)


@pytest.mark.parametrize(("suffix", "kind", "compress"), COMPRESSIONS)
def test_a_whole_compressed_log_is_read_in_full(tmp_path, ctx, suffix, kind,
                                                compress) -> None:
    truth = Counter()
    logs = _estate(tmp_path, suffix, compress, 1.0, truth)
    result = _scan(ctx, logs)
    assert result.skipped == []
    assert "complete" not in _facts(result, "file")[f"app.log.1.{suffix}"]
    assert sum(counts(result).values()) == sum(truth.values())


@pytest.mark.parametrize("depth", [70, 3000])
def test_a_json_line_nested_past_the_stack_is_read_as_text(tmp_path, ctx, depth) -> None:
    """A JSON log line nested a thousand deep (anyone who can log a string can write one)
    overflowed Python's stack: the scan died with a RecursionError traceback and wrote no
    report. Such a line is now read as text, and the lines around it as JSON records."""
    logs = tmp_path / "logs"
    logs.mkdir()
    deep = '{"a":' * depth + '{"mobile": "13912345678"}' + "}" * depth
    (logs / "app.log").write_text(f'{{"phone": "13812345678"}}\n{deep}\n'
                                  '{"sfzh": "11010519491231002X"}\n')
    result = _scan(ctx, logs)
    found = Counter({i["entity_type"]: i["count"] for i in result.inventory})
    assert found == Counter({"CN_MOBILE": 2, "CN_RESIDENT_ID": 1})
    assert not result.skipped


def test_a_log_with_runs_of_nuls_is_read_around_them(tmp_path, ctx) -> None:
    """A log with a run of NULs (what ext4 or XFS leave after a crash, or a preallocated
    log) was skipped whole as a binary file: the ID before the run and the mobile after it
    went unreported (qa-files 12). The text around the runs is read, line numbers as an
    editor shows them; a binary file with runs of NULs in it stays binary."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log").write_bytes(
        b"2026-11-29 10:00:00 before id=11010519491231002X\n" + b"\0" * 4096
        + b"2026-11-29 10:00:05 after phone=13712345678\n"
        + b"2026-11-29 10:00:06 cut " + b"\0" * 100 + b" mail a@example.com\n")
    (logs / "blob.log").write_bytes((bytes(range(1, 256)) + b"\0" * 64) * 40)
    result = _scan(ctx, logs)
    found = {(i["entity_type"], tuple(i["location"]["lines"])) for i in result.inventory
             if i["location"]["path"].endswith("app.log")}
    assert found == {("CN_RESIDENT_ID", (1,)), ("CN_MOBILE", (2,)), ("EMAIL_ADDRESS", (3,))}
    assert _reasons(result) == {"blob.log": "binary file"}
    app = _facts(result, "file")["app.log"]
    assert (app["lines"], app["oldest"], app["newest"]) == (
        3, "2026-11-29T02:00:00Z", "2026-11-29T02:00:06Z")


def test_a_gzip_log_cut_at_the_bomb_limit_is_not_read_in_full(tmp_path, ctx,
                                                              monkeypatch) -> None:
    """A gzip log cut at its decompression budget (a possible bomb) was dated as if read in
    full: its oldest line, the only one read, made a retention violation of what was a
    partial read (qa-files 1). It is read in part as a damaged one is: no span, and its
    folder's span is unknown."""
    from pia.connectors.files import blobs

    monkeypatch.setattr(blobs, "MIN_BUDGET", 1 << 16)
    logs = tmp_path / "logs"
    logs.mkdir()
    lines = "".join(f"2026-{1 + i // 10_000:02d}-01 10:00:00 INFO request {i} ok\n"
                    for i in range(50_000))
    (logs / "app.log.1.gz").write_bytes(gzip.compress(lines.encode()))
    connector = FilesConnector()
    options = ScanOptions(extra={"archive_max_ratio": 2})
    plan = connector.plan(str(logs), options, ctx)
    partials = {p.key: connector.scan_partition(p, options, ctx) for p in plan.partitions}
    result = connector.merge(plan, partials, options, ctx)
    assert "possible decompression bomb" in _reasons(result)["app.log.1.gz"]
    cut = _facts(result, "file")["app.log.1.gz"]
    assert 0 < cut["lines"] < 50_000
    assert (cut["oldest"], cut["newest"], cut.get("complete")) == (None, None, False)
    folder = _facts(result, "log_dir")["logs"]
    assert (folder.get("complete"), folder.get("unread")) == (False, 1)
