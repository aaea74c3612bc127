"""A scan that did not read everything it planned never dates what it did not read.

The interrupt is the executors' own: they merge the finished partitions only (with a plan
holding just those), as ``pia.executors.core`` does when Ctrl-C stops a scan.
"""

from __future__ import annotations

import gzip
import os

from pia.connectors.base import Plan, ScanOptions
from pia.connectors.files import FilesConnector


def _estate(tmp_path):
    logs = tmp_path / "logs"
    (logs / "app" / "archive").mkdir(parents=True)
    (logs / "app" / "app.log").write_text("2025-12-20 10:00:00 start\n2025-12-30 10:00:00 ok\n")
    (logs / "app" / "app.log.1.gz").write_bytes(gzip.compress(b"2024-09-01 00:00:00 old\n"))
    (logs / "app" / "archive" / "app.log.9.gz").write_bytes(
        gzip.compress(b"2024-01-01 00:00:00 older\n"))
    return logs


def _run(ctx, uri, keep=lambda partition: True):
    connector, options = FilesConnector(), ScanOptions()
    plan = connector.plan(str(uri), options, ctx)
    partials = {p.key: connector.scan_partition(p, options, ctx)
                for p in plan.partitions if keep(p)}
    done = Plan(partitions=[p for p in plan.partitions if p.key in partials],
                facts=plan.facts, skipped=plan.skipped)
    result = connector.merge(done, partials, options, ctx)
    return {f["attributes"]["path"]: f["attributes"] for f in result.facts
            if f["kind"] == "log_dir"}


def test_whole_scan_dates_every_log_dir(tmp_path, ctx) -> None:
    logs = _estate(tmp_path)
    dirs = _run(ctx, logs)
    assert dirs[str(logs / "app")]["oldest"] == "2024-08-31T16:00:00Z"  # Beijing's midnight
    assert dirs[str(logs / "app" / "archive")]["oldest"] == "2023-12-31T16:00:00Z"
    assert not any("complete" in d for d in dirs.values())


def test_interrupted_scan_leaves_the_oldest_unknown(tmp_path, ctx) -> None:
    logs = _estate(tmp_path)
    dirs = _run(ctx, logs, keep=lambda p: not p.spec["path"].endswith(".gz"))
    # only app.log was read: 10 days of logs, but the rotated ones may go back years
    app = dirs[str(logs / "app")]
    assert (app["oldest"], app["newest"], app["span_days"]) == (None, None, None)
    assert (app["complete"], app["unread"], app["files"]) == (False, 2, 1)
    assert str(logs / "app" / "archive") not in dirs  # nothing of it was read


def test_interrupted_subdirectory_makes_its_parents_unknown(tmp_path, ctx) -> None:
    logs = _estate(tmp_path)
    dirs = _run(ctx, logs, keep=lambda p: "archive" not in p.spec["path"])
    assert dirs[str(logs / "app")]["oldest"] is None
    assert dirs[str(logs / "app")]["unread"] == 1


def test_member_vanished_after_planning_leaves_the_oldest_unknown(tmp_path, ctx) -> None:
    logs = _estate(tmp_path)
    connector, options = FilesConnector(), ScanOptions()
    plan = connector.plan(str(logs), options, ctx)
    os.remove(logs / "app" / "app.log.1.gz")
    partials = {p.key: connector.scan_partition(p, options, ctx) for p in plan.partitions}
    result = connector.merge(plan, partials, options, ctx)
    app = next(f["attributes"] for f in result.facts
               if f["kind"] == "log_dir" and f["attributes"]["path"] == str(logs / "app"))
    assert (app["oldest"], app["complete"], app["unread"]) == (None, False, 1)
    assert any(s["reason"] == "file vanished" for s in result.skipped)


def test_corrupt_rotated_archive_leaves_the_oldest_unknown(tmp_path, ctx) -> None:
    logs = _estate(tmp_path)
    (logs / "app" / "app.log.2.zip").write_bytes(b"PK\x03\x04" + b"\0" * 40)
    app = _run(ctx, logs)[str(logs / "app")]
    assert (app["oldest"], app["complete"], app["unread"]) == (None, False, 1)


def test_file_split_in_ranges_and_interrupted_is_not_dated(tmp_path, ctx, monkeypatch) -> None:
    from pia.connectors.files import connector as module

    monkeypatch.setattr(module, "SPLIT_BYTES", 64)
    logs = tmp_path / "logs"
    logs.mkdir()
    lines = [f"2025-{m:02d}-01 00:00:00 line {m}\n" for m in range(1, 13)]
    (logs / "big.log").write_text("".join(lines))
    connector, options = FilesConnector(), ScanOptions()
    plan = connector.plan(str(logs), options, ctx)
    assert len(plan.partitions) > 2
    last = plan.partitions[1:]  # the first range, with the oldest lines, was not read
    partials = {p.key: connector.scan_partition(p, options, ctx) for p in last}
    result = connector.merge(Plan(partitions=last, facts=plan.facts, skipped=plan.skipped),
                             partials, options, ctx)
    (big,) = [f["attributes"] for f in result.facts if f["kind"] == "file"]
    assert (big["oldest"], big["newest"], big["complete"]) == (None, None, False)


def _mobile_lines(tmp_path, ctx, monkeypatch, keep, after_plan=lambda path: None):
    """A log split in byte ranges, a mobile number on every 40th line; the ranges ``keep``
    picks are scanned, the others are not (an interrupt), and the merged item's lines are
    returned with the file's real lines holding a mobile."""
    from pia.connectors.files import connector as module

    monkeypatch.setattr(module, "SPLIT_BYTES", 4096)
    logs = tmp_path / "logs"
    logs.mkdir()
    lines = [f"2025-11-02 10:00:00 GET /api/items/{i} 200\r\n" if i % 40 else
             f"2025-11-02 10:00:00 login user mobile 1381234{i:04d} ok\r\n"
             for i in range(1, 2001)]
    (logs / "app.log").write_text("".join(lines))
    connector, options = FilesConnector(), ScanOptions()
    plan = connector.plan(str(logs), options, ctx)
    after_plan(logs / "app.log")
    kept = [p for i, p in enumerate(plan.partitions) if keep(i)]
    assert len(kept) < len(plan.partitions)
    partials = {p.key: connector.scan_partition(p, options, ctx) for p in kept}
    result = connector.merge(Plan(partitions=kept, facts=plan.facts, skipped=plan.skipped),
                             partials, options, ctx)
    (item,) = [i for i in result.inventory if i["entity_type"] == "CN_MOBILE"]
    truth = {n for n, line in enumerate(lines, 1) if "mobile" in line}
    return item["location"].get("lines", []), truth


def test_interrupted_scan_names_the_real_lines_after_an_unread_range(tmp_path, ctx,
                                                                     monkeypatch) -> None:
    """Ranges after one that did not finish were numbered as if it held no line: a partial
    report sent the auditor to line 22,352 of a log whose PI sat past line 1.5 million."""
    named, truth = _mobile_lines(tmp_path, ctx, monkeypatch, keep=lambda i: i % 3 == 2)
    assert named and set(named) <= truth


def test_lines_after_an_unread_range_of_a_changed_file_are_not_named(tmp_path, ctx,
                                                                      monkeypatch) -> None:
    """When the file changed since the plan, the unread range's lines cannot be counted:
    its values still count, but no line is named rather than a wrong one."""
    def grow(path):
        with path.open("a") as log:
            log.write("2025-11-02 10:00:01 rotated soon\r\n")

    named, _truth = _mobile_lines(tmp_path, ctx, monkeypatch, keep=lambda i: i != 0,
                                  after_plan=grow)
    assert named == []
