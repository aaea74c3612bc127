"""Ctrl-C at the moments of a scan that are not reading: before it and after it.

A real SIGINT is raised (``signal.raise_signal``) from a step of the scan, so the moment is
exact; the scan runs in-process through ``pia.cli.main``. Ctrl-C during the reading itself,
with worker processes, is in ``tests/executors``.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

import pia.cli.report_cmd
import pia.scan
from pia.cli import main

MOBILE = "13812345678"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    (tmp_path / "app.log").write_text(f"2026-01-01 12:00:00 user phone {MOBILE}\n",
                                      encoding="utf-8")
    return tmp_path


def scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Exit code and stderr, without the summary line a scan writing files prints there."""
    with pytest.raises(SystemExit) as exited:
        main(["scan", *args])
    err = capsys.readouterr().err
    summary = [line for line in err.splitlines() if line.startswith("pia：")]
    assert len(summary) == 1, err
    return int(exited.value.code or 0), err.replace(summary[0] + "\n", "")


def ctrl_c_before(monkeypatch: pytest.MonkeyPatch, module: object, name: str,
                  when: str = "") -> None:
    """Press Ctrl-C once, as ``module.name`` is called with an argument ending in ``when``
    (twice would be the way out that raises at once)."""
    real = getattr(module, name)
    presses = [signal.SIGINT]

    def pressed(*args: object, **kwargs: object) -> object:
        if presses and any(str(arg).endswith(when) for arg in args):
            signal.raise_signal(presses.pop())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, pressed)


def test_ctrl_c_while_the_report_is_written_waits_for_it(
        here: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The sources were read: the report, the only thing left to do, is written in full
    (it used to be lost, with exit 130 and not a word)."""
    ctrl_c_before(monkeypatch, pia.cli.report_cmd, "emit")
    code, err = scan(capsys, "app.log", "--executor", "serial", "-o", "out.json",
                    "-o", "out.md", "-q")
    assert code == 130, err
    assert err.strip() == ("pia: interrupted once the sources were read; the report was"
                           " written in full")
    report = json.loads((here / "out.json").read_text(encoding="utf-8"))
    assert report["scan"]["complete"] is True
    assert [item["entity_type"] for item in report["inventory"]] == ["CN_MOBILE"]
    assert "CN_MOBILE" in (here / "out.md").read_text(encoding="utf-8")


def test_ctrl_c_while_the_rules_run_still_writes_the_report(
        here: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import pia.rules

    ctrl_c_before(monkeypatch, pia.rules, "apply_rules")
    code, err = scan(capsys, "app.log", "--executor", "serial", "-o", "out.json", "-q")
    assert code == 130, err
    assert "written in full" in err
    assert json.loads((here / "out.json").read_text(encoding="utf-8"))["scan"]["complete"]


def test_ctrl_c_before_any_source_is_read_writes_a_report_that_says_so(
        here: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """It stopped with "pia: interrupted" and no report, although the README promises one
    (a CI job's artefact, a systemd unit's output): now every source is said not scanned."""
    ctrl_c_before(monkeypatch, pia.scan, "resolve_declaration")
    code, err = scan(capsys, "app.log", "--executor", "serial", "-o", "out.json", "-q")
    assert (code, err) == (130, "pia: interrupted before any source was read; the report"
                                " above says none was (complete: false)\n")
    report = json.loads((here / "out.json").read_text(encoding="utf-8"))
    assert report["scan"]["complete"] is False and report["inventory"] == []
    assert [(s["source"], s["reason"]) for s in report["skipped"]] == [
        ("app.log", "not scanned (interrupted)")]


def test_sigterm_before_any_source_is_read_exits_143_with_the_report(
        here: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A SIGTERM then killed pia without a word (exit 143 from the signal, no report)."""
    real = pia.scan.resolve_declaration

    def terminated(*args: object) -> object:
        signal.raise_signal(signal.SIGTERM)
        return real(*args)

    monkeypatch.setattr(pia.scan, "resolve_declaration", terminated)
    code, err = scan(capsys, "app.log", "--executor", "serial", "-o", "out.json", "-q")
    assert (code, err) == (143, "pia: terminated before any source was read; the report"
                                " above says none was (complete: false)\n")
    assert json.loads((here / "out.json").read_text(encoding="utf-8"))["scan"][
        "complete"] is False


def test_ctrl_c_while_reading_keeps_a_partial_report(
        here: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    (here / "second.log").write_text("nothing here\n", encoding="utf-8")
    import pia.connectors.files

    ctrl_c_before(monkeypatch, pia.connectors.files.FilesConnector, "plan", "second.log")
    code, err = scan(capsys, "app.log", "second.log", "--executor", "serial",
                    "-o", "out.json", "-q")
    assert code == 130, err
    assert err.strip() == "pia: interrupted; the report above is partial (complete: false)"
    report = json.loads((here / "out.json").read_text(encoding="utf-8"))
    assert report["scan"]["complete"] is False
    assert [item["entity_type"] for item in report["inventory"]] == ["CN_MOBILE"]  # kept


def test_ctrl_c_while_a_source_is_listed_names_it_and_the_rest_as_not_scanned(
        here: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A report cut short while a directory or bucket was still being listed said nothing of
    it: no item, no skip, '0 skipped', as if it held nothing."""
    from pia.connectors.files.connector import FilesConnector

    for name in ("b", "c"):
        (here / name).mkdir()
        (here / name / "x.log").write_text(f"phone {MOBILE}\n", encoding="utf-8")
    ctrl_c_before(monkeypatch, FilesConnector, "plan", "b")
    code, err = scan(capsys, "app.log", "b", "c", "--executor", "local", "-o", "out.json",
                     "-q")
    assert code == 130, err
    report = json.loads((here / "out.json").read_text(encoding="utf-8"))
    assert report["scan"]["complete"] is False
    assert {item["location"]["path"] for item in report["inventory"]} == {"app.log"}
    assert [(s["source"], s["reason"]) for s in report["skipped"]] == [
        ("b", "not scanned (interrupted)"), ("c", "not scanned (interrupted)")]
    assert report["summary"]["skipped"] == 2


def test_sigterm_while_waiting_on_a_config_pipe_ends_pia(tmp_path: Path) -> None:
    """QA cli13 F3: ``--config`` naming a pipe nobody writes (``<(…)`` gone wrong) blocked in
    open(); the scan's preparation holds SIGTERM until reading starts, so ``timeout`` and
    systemd could only SIGKILL it. A pipe is now waited on with the signal raised at once."""
    import os
    import subprocess
    import sys
    import time

    (tmp_path / "app.log").write_text("手机 13812345678\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pia.yaml")
    proc = subprocess.Popen([sys.executable, "-m", "pia", "scan", "app.log", "--config",
                             "pia.yaml", "-o", "out.json", "-q"], cwd=tmp_path, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, PIA_FINGERPRINT_KEY="k" * 32))
    try:
        wchan = Path(f"/proc/{proc.pid}/wchan")
        deadline = time.monotonic() + 60
        while wchan.read_text() != "wait_for_partner":  # the kernel's wait for a writer
            assert proc.poll() is None and time.monotonic() < deadline, "never opened the pipe"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 143, err
    assert err.startswith("pia: terminated") and err.count("\n") == 1
    assert not (tmp_path / "out.json").exists()
