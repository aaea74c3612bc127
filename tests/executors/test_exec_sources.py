"""Sources as the executors get them: local paths made absolute for workers that may run
elsewhere, and a directory none of whose files could be read failing as a source."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from exec_util import KEY, write_logs

from pia.connectors.base import scan_serial
from pia.scan import ScanRequest, absolute_source, run_scan


@pytest.mark.parametrize(("source", "expected"), [
    ("logs", "{cwd}/logs"),
    ("./logs/app.log", "{cwd}/logs/app.log"),
    ("logs/*.log", "{cwd}/logs/*.log"),
    ("shop.db", "{cwd}/shop.db"),
    ("sqlite://data/shop.db", "sqlite://{cwd}/data/shop.db"),
    # already absolute, or not on this machine's disk: as given
    ("/var/log/app", "/var/log/app"),
    ("file:///var/log/app", "file:///var/log/app"),
    ("sqlite:///srv/shop.db", "sqlite:///srv/shop.db"),
    ("postgresql://u:p@db:5432/crm", "postgresql://u:p@db:5432/crm"),
    ("s3://bucket/logs", "s3://bucket/logs"),
])
def test_local_sources_are_made_absolute(source: str, expected: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert absolute_source(source) == expected.format(cwd=tmp_path)


def test_a_pattern_in_a_directory_whose_name_looks_like_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "run[1]"
    (here / "logs").mkdir(parents=True)
    monkeypatch.chdir(here)
    assert absolute_source("logs/*.log") == f"{tmp_path}/run[[]1]/logs/*.log"


def _vanishing(names: set[str]):
    """The serial executor, with the files named removed between the plan and the scan
    (a log rotated away, or a worker that does not see the driver's disk)."""
    def executor(connector, uri, options, ctx):
        plan = connector.plan(uri, options, ctx)
        for partition in plan.partitions:
            if Path(partition.spec["path"]).name in names:
                with_name = Path(partition.spec["path"])
                if with_name.exists():
                    with_name.unlink()
        partials = {p.key: connector.scan_partition(p, options, ctx) for p in plan.partitions}
        return connector.merge(plan, partials, options, ctx)
    return executor


def test_a_directory_none_of_whose_files_could_be_read_fails_as_a_source(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file of the directory vanished: the scan used to count it as scanned, exit 0
    and ``complete: true`` with nothing read."""
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    logs = write_logs(tmp_path / "logs", files=4, lines=20)
    outcome = run_scan(ScanRequest(sources=[str(tmp_path / "logs")],
                                   executor=_vanishing({p.name for p in logs})))
    assert outcome.failures == [f"{tmp_path / 'logs'}: none of its 4 file(s) could be read"
                                " (file vanished)"]
    assert outcome.nothing_scanned
    assert outcome.report["scan"]["complete"] is False
    assert sum(s["reason"] == "file vanished" for s in outcome.report["skipped"]) == 4


def test_a_directory_of_dangling_and_looping_symlinks_fails_as_a_source(tmp_path: Path) -> None:
    """Links with nothing behind them are as unread as files that vanished: the scan used to
    count such a directory as scanned, exit 0 and ``complete: true`` with nothing read."""
    links = tmp_path / "links"
    links.mkdir()
    (links / "gone.log").symlink_to(tmp_path / "nowhere" / "gone.log")
    (links / "a.log").symlink_to("b.log")
    (links / "b.log").symlink_to("a.log")
    (links / "self").symlink_to("../links")
    outcome = run_scan(ScanRequest(sources=[str(links)], executor=scan_serial))
    assert outcome.failures == [f"{links}: none of its 3 file(s) could be read"
                                " (symlink is dangling or loops)"]
    assert outcome.nothing_scanned
    assert outcome.report["scan"]["complete"] is False


def test_a_directory_with_a_dangling_symlink_and_a_readable_file_is_scanned(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    write_logs(tmp_path / "logs", files=1, lines=20)
    (tmp_path / "logs" / "gone.log").symlink_to(tmp_path / "nowhere.log")
    outcome = run_scan(ScanRequest(sources=[str(tmp_path / "logs")], executor=scan_serial))
    assert not outcome.failures and outcome.scanned == 1
    assert outcome.report["inventory"]
    assert [s["reason"] for s in outcome.report["skipped"]] == ["symlink is dangling or loops"]


def test_a_directory_with_some_files_read_is_scanned(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    logs = write_logs(tmp_path / "logs", files=4, lines=20)
    outcome = run_scan(ScanRequest(sources=[str(tmp_path / "logs")],
                                   executor=_vanishing({logs[0].name})))
    assert not outcome.failures and outcome.scanned == 1
    assert outcome.report["inventory"]
    assert [s["reason"] for s in outcome.report["skipped"]] == ["file vanished"]


def test_an_empty_directory_fails_as_a_source(tmp_path: Path) -> None:
    """A directory with no file is a mistyped log path until shown otherwise (f510ded): it
    fails as a source, as a bucket with no object does, and nothing is written into it."""
    (tmp_path / "empty").mkdir()
    outcome = run_scan(ScanRequest(sources=[str(tmp_path / "empty")], executor=scan_serial))
    assert outcome.failures == [f"no file under {tmp_path / 'empty'}"]
    assert outcome.scanned == 0
    assert os.listdir(tmp_path / "empty") == []


def test_a_directory_of_corrupt_archives_fails_as_a_source(tmp_path: Path) -> None:
    """The files connector's read failures (``READ_FAILURES``) are what tells it: a corrupt
    archive was not read at all."""
    (tmp_path / "exports").mkdir()
    for name in ("a.zip", "b.zip"):
        (tmp_path / "exports" / name).write_bytes(b"PK\x03\x04garbage")
    outcome = run_scan(ScanRequest(sources=[str(tmp_path / "exports")],
                                   executor=scan_serial))
    assert outcome.failures == [f"{tmp_path / 'exports'}: none of its 2 file(s) could be read"
                                " (corrupt zip archive (BadZipFile))"]
    assert outcome.report["scan"]["complete"] is False
