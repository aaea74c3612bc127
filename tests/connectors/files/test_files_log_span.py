"""Where a log's retention is judged: a log file named as the source is its own log
directory (QA: ``pia scan app.log`` located CSL-21-LOG-RETENTION at ``.``, a directory never
scanned), and an empty log (no line to date) does not date its directory: a brand-new empty
log raised 'kept for less than six months' at age 0."""

from __future__ import annotations

import os
from datetime import date

from pia.connectors.base import ScanOptions
from pia.connectors.files import FilesConnector
from pia.rules import evaluate, load_rulesets


def _scan(ctx, uri: str):
    connector, options = FilesConnector(), ScanOptions()
    plan = connector.plan(uri, options, ctx)
    partials = {p.key: connector.scan_partition(p, options, ctx) for p in plan.partitions}
    return connector.merge(plan, partials, options, ctx)


def _log_dirs(result) -> dict[str, dict]:
    return {f["location"]["path"]: f["attributes"] for f in result.facts
            if f["kind"] == "log_dir"}


def _retention(result) -> list[list[dict]]:
    found = evaluate(load_rulesets(), result.inventory, result.facts, None,
                     today=date(2026, 11, 30)).findings
    return [f["locations"] for f in found if f["rule_id"] == "CSL-21-LOG-RETENTION"]


def test_a_log_file_named_as_the_source_is_judged_at_its_path(tmp_path, ctx,
                                                               monkeypatch) -> None:
    (tmp_path / "app.log").write_text("2026-11-29 10:00:00 INFO 13912345678 logged in\n")
    monkeypatch.chdir(tmp_path)
    for uri in ("app.log", str(tmp_path / "app.log"), f"file://{tmp_path}/app.log"):
        result = _scan(ctx, uri)
        path = uri.removeprefix("file://")
        (span,) = _log_dirs(result).values()
        assert (span["path"], span["oldest"], span["files"]) == (
            path, "2026-11-29T02:00:00Z", 1), uri
        assert _retention(result) == [[{"path": path}]], uri


def test_a_directory_source_is_still_judged_by_folder(tmp_path, ctx) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log").write_text("2026-11-29 10:00:00 INFO started\n")
    result = _scan(ctx, str(logs))
    assert list(_log_dirs(result)) == [str(logs)]
    assert _retention(result) == [[{"path": str(logs)}]]


def test_an_empty_log_has_no_span_to_judge(tmp_path, ctx, monkeypatch) -> None:
    (tmp_path / "empty.log").write_text("")
    monkeypatch.chdir(tmp_path)
    result = _scan(ctx, "empty.log")
    assert _log_dirs(result) == {"empty.log": {"path": "empty.log", "oldest": None,
                                               "newest": None, "span_days": None,
                                               "files": 1}}
    assert _retention(result) == []


def test_an_empty_log_does_not_date_its_directory(tmp_path, ctx) -> None:
    """A log rotated a moment ago (empty, mtime now) beside one of 200 days: the span is the
    200 days, not 'now'; a newest of 'now' would be a guess too."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log.1").write_text("2026-05-01 10:00:00 INFO started\n"
                                    "2026-05-02 10:00:00 INFO stopped\n")
    (logs / "app.log").write_text("")
    old = 1_777_680_000  # 2026-05-02: the rotated log's last write
    os.utime(logs / "app.log.1", (old, old))
    span = _log_dirs(_scan(ctx, str(logs)))[str(logs)]
    assert (span["oldest"], span["newest"], span["files"]) == (
        "2026-05-01T02:00:00Z", "2026-05-02T02:00:00Z", 2)


def test_a_log_read_in_part_leaves_retention_undecided_in_a_complete_scan(tmp_path,
                                                                          monkeypatch) -> None:
    """QA: a gzip log cut short was listed as skipped while its directory kept a full span and
    CSL-21-LOG-RETENTION was evaluated on it. Now the span is unknown, the rule is undecided
    for that directory (said under not_evaluated, not passed in silence), and the scan is
    complete: every source was scanned to its end, what of it was read only in part is under
    skipped (as an unreadable member of a directory is)."""
    import gzip

    from pia.scan import ScanRequest, run_scan

    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    monkeypatch.chdir(tmp_path)
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log").write_text("2026-11-29 10:00:00 INFO started\n")
    lines = "".join(f"2026-11-{1 + i % 28:02d} 10:00:00 INFO request {os.urandom(24).hex()}\n"
                    for i in range(20000)).encode()  # incompressible: cut mid-stream
    blob = gzip.compress(lines)
    (logs / "old.log.gz").write_bytes(blob[: len(blob) // 2])
    report = run_scan(ScanRequest(sources=[str(logs)])).report
    assert report["scan"]["complete"] is True
    (skipped,) = report["skipped"]
    assert skipped["reason"].startswith("corrupt gzip stream (cut short: EOFError): read in part")
    assert not [f for f in report["findings"] if f["rule_id"] == "CSL-21-LOG-RETENTION"]
    (undecided,) = [e for e in report["not_evaluated"] if e["rule_id"] == "CSL-21-LOG-RETENTION"]
    assert undecided["reason"].startswith(
        f"undecided for path {logs}: log span unknown: a log file in it or below it not read "
        "in full")


def _lock(folder, monkeypatch) -> None:
    """Make ``folder`` unlistable: mode 000, and for root (which the mode does not stop) the
    refusal the kernel gives any other user, at the same call the walk makes."""
    folder.chmod(0)
    if os.geteuid() == 0:
        real_scandir = os.scandir

        def scandir(path="."):
            if os.fspath(path) == str(folder):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)


def test_an_unlistable_directory_is_no_unread_log_file(tmp_path, monkeypatch) -> None:
    """QA: a sub-directory the scan could not list was counted among the "log files not read
    in full" of its parents. It is a directory, of which not even the files are known: it is
    said as one, by its path; the log directories above it still have no known span (the
    oldest logs may lie in it), so CSL-21-LOG-RETENTION stays undecided, saying why."""
    from pia.scan import ScanRequest, run_scan

    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "f" * 32)
    monkeypatch.chdir(tmp_path)
    logs = tmp_path / "logs"
    (logs / "archive").mkdir(parents=True)
    (logs / "access.log").write_text("2026-11-29 10:00:00 INFO started\n")
    (logs / "archive" / "access.log.9").write_text("2025-01-01 10:00:00 INFO old\n")
    _lock(logs / "archive", monkeypatch)
    try:
        report = run_scan(ScanRequest(sources=[str(logs)])).report
    finally:
        (logs / "archive").chmod(0o755)
    archive = str(logs / "archive")
    assert report["skipped"] == [{"source": str(logs), "location": {"path": archive},
                                  "reason": "cannot list directory: Permission denied"}]
    (log_dir,) = [f["attributes"] for f in report["facts"] if f["kind"] == "log_dir"]
    assert (log_dir["complete"], log_dir["oldest"], log_dir["files"]) == (False, None, 1)
    assert log_dir["unlisted"] == [archive]
    assert "unread" not in log_dir  # no log file of it went unread: a directory did
    assert not [f for f in report["findings"] if f["rule_id"] == "CSL-21-LOG-RETENTION"]
    (undecided,) = [e for e in report["not_evaluated"] if e["rule_id"] == "CSL-21-LOG-RETENTION"]
    assert undecided["reason"] == (
        f"undecided for path {logs}: log span unknown: a directory in it or below it could not "
        f"be listed ({archive}) (see skipped, and scan again as a user who may list it)")


def test_a_source_of_which_only_unlistable_directories_remain_says_so(tmp_path,
                                                                      monkeypatch) -> None:
    """A source whose one sub-directory could not be listed, and whose one file could not be
    read, fails as a source; the error used to count the directory among its files ("none
    of its 2 file(s) could be read")."""
    from pia.scan import ScanRequest, run_scan

    logs = tmp_path / "logs"
    (logs / "archive").mkdir(parents=True)
    (logs / "archive" / "access.log.9").write_text("2025-01-01 10:00:00 INFO old\n")
    (logs / "gone.log").symlink_to(tmp_path / "nowhere.log")
    _lock(logs / "archive", monkeypatch)
    try:
        outcome = run_scan(ScanRequest(sources=[str(logs)]))
    finally:
        (logs / "archive").chmod(0o755)
    assert outcome.failures == [
        f"{logs}: nothing in it could be read: 1 file(s) unreadable and 1 sub-directory "
        "unlistable (cannot list directory: Permission denied; symlink is dangling or loops)"]
    assert outcome.nothing_scanned
