"""Files that change between the plan and the scan (a log truncated or removed by rotation
while pia reads it) are reported as they were read, not as they were planned."""

from __future__ import annotations

import os

from pia.connectors.base import ScanOptions
from pia.connectors.files import FilesConnector, connector

LINE = "1.2.3.4 - - [29/Nov/2026:10:00:00 +0800] \"GET /a HTTP/1.1\" 200 1 mobile=13812345678\n"


def _scan_after(tmp_path, ctx, monkeypatch, change) -> tuple[object, object]:
    """Plan ``logs``, let ``change`` alter it, then scan every partition and merge."""
    monkeypatch.setattr(connector, "SPLIT_BYTES", 16 << 10)
    logs = tmp_path / "logs"
    logs.mkdir()
    for name in ("a.log", "b.log", "c.log"):
        (logs / name).write_text(LINE * 1000)  # 84 kB: about 5 byte ranges each
    conn, options = FilesConnector(), ScanOptions()
    plan = conn.plan(str(logs), options, ctx)
    change(logs)
    partials = {p.key: conn.scan_partition(p, options, ctx) for p in plan.partitions}
    return plan, conn.merge(plan, partials, options, ctx)


def _files(result) -> dict[str, dict]:
    return {os.path.basename(f["attributes"]["path"]): f["attributes"]
            for f in result.facts if f["kind"] == "file"}


def test_truncated_and_vanished_files_while_scanned(tmp_path, ctx, monkeypatch) -> None:
    full = len(LINE) * 1000

    def change(logs) -> None:
        os.truncate(logs / "b.log", len(LINE) * 100)
        (logs / "c.log").unlink()

    plan, result = _scan_after(tmp_path, ctx, monkeypatch, change)
    assert sum(p.spec["path"].endswith("b.log") for p in plan.partitions) > 2
    files = _files(result)
    assert sorted(files) == ["a.log", "b.log"]  # nothing of c.log was read: no fact for it
    assert (files["a.log"]["size"], files["a.log"]["lines"]) == (full, 1000)
    assert "bytes_read" not in files["a.log"]
    # the size is the file's as listed; what was read is said apart, as an object's is
    assert (files["b.log"]["size"], files["b.log"]["bytes_read"], files["b.log"]["lines"]) \
        == (full, len(LINE) * 100, 100)
    reasons = sorted((os.path.basename(s["location"]["path"]), s["reason"])
                     for s in result.skipped)
    assert reasons == [
        ("b.log", f"changed while being scanned (truncated from {full} to "
                  f"{len(LINE) * 100} bytes): read in part"),
        ("c.log", "file vanished"),  # once, not once per byte range
    ]
    counts = {os.path.basename(i["location"]["path"]): i["count"] for i in result.inventory}
    assert counts == {"a.log": 1000, "b.log": 100}
    # b.log, read in part, is not read in full: its span and its folder's are unknown
    assert (files["b.log"]["oldest"], files["b.log"].get("complete")) == (None, False)
    (folder,) = [f["attributes"] for f in result.facts if f["kind"] == "log_dir"]
    assert (folder.get("complete"), folder.get("unread")) == (False, 2)


def test_a_file_unchanged_reads_as_planned(tmp_path, ctx, monkeypatch) -> None:
    _plan, result = _scan_after(tmp_path, ctx, monkeypatch, lambda logs: None)
    assert result.skipped == []
    assert {name: a["size"] for name, a in _files(result).items()} == {
        name: len(LINE) * 1000 for name in ("a.log", "b.log", "c.log")}


def test_a_file_cut_short_keeps_its_size(tmp_path, ctx, monkeypatch) -> None:
    """An interrupted scan reads some of a file's byte ranges: its fact says the file's size
    and, apart, the bytes read (a 300 MB log read in part said ``size: 117441620``)."""
    monkeypatch.setattr(connector, "SPLIT_BYTES", 16 << 10)
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "a.log").write_text(LINE * 1000)
    conn, options = FilesConnector(), ScanOptions()
    plan = conn.plan(str(logs), options, ctx)
    first, *rest = sorted(plan.partitions, key=lambda p: p.spec.get("start", 0))
    assert rest  # several byte ranges, of which only the first is read
    result = conn.merge(plan, {first.key: conn.scan_partition(first, options, ctx)}, options,
                        ctx)
    (attributes,) = _files(result).values()
    assert attributes["size"] == len(LINE) * 1000
    assert 0 < attributes["bytes_read"] < attributes["size"]
    assert attributes["complete"] is False
