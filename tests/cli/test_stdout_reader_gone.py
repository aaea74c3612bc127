"""`pia … | head`: the reader of stdout goes away before pia is done printing.

The reading end of the pipe is closed before pia writes anything, so its first write fails
with EPIPE whatever the timing. That is not a failure of pia: no traceback, no stray
"Exception ignored" at exit, and the exit code the command would have had otherwise
(typer's answer was exit 1, the code of a policy violation).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    path = tmp_path / "app.log"
    path.write_text("".join(f"user {i} phone 1381234{i:04d} mail u{i}@example.com\n"
                            for i in range(2000)), encoding="utf-8")
    return path


def pia_into_closed_pipe(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    read, write = os.pipe()
    os.close(read)  # the reader has gone
    try:
        run = subprocess.run([sys.executable, "-m", "pia", *args], stdout=write, cwd=cwd,
                             stderr=subprocess.PIPE, text=True, timeout=300,
                             env=dict(os.environ, PIA_FINGERPRINT_KEY="k" * 32))
    finally:
        os.close(write)
    assert "Traceback" not in run.stderr and "Exception" not in run.stderr, run.stderr
    return run


def test_detect_into_a_closed_pipe_exits_0_quietly(logs: Path) -> None:
    run = pia_into_closed_pipe("detect", str(logs), cwd=logs.parent)
    assert (run.returncode, run.stderr) == (0, "")


def test_scan_still_writes_its_bundle_and_keeps_its_exit_code(logs: Path) -> None:
    here = logs.parent
    assert subprocess.run([sys.executable, "-m", "pia", "keygen", "audit.key"], cwd=here,
                          capture_output=True).returncode == 0
    run = pia_into_closed_pipe("scan", str(logs), "-f", "json", "--fail-on", "medium",
                               "--bundle", "audit.zip", "--key", "audit.key", "-q",
                               "-o", "-", "-o", "report.json", cwd=here)
    assert run.returncode == 1, run.stderr  # the findings, as with a reader that stays
    assert (here / "audit.zip").stat().st_size > 0
    assert (here / "report.json").stat().st_size > 0


def test_check_migrations_keeps_its_verdict(tmp_path: Path) -> None:
    """A CI step `pia check-migrations … | tee` with pipefail must still fail the change."""
    (tmp_path / "001.sql").write_text("CREATE TABLE users (id int, sfzh varchar(18));\n",
                                      encoding="utf-8")
    run = pia_into_closed_pipe("check-migrations", "--lang", "en", "001.sql", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "1 error," in run.stderr


def test_bundle_verify_keeps_its_verdict(logs: Path) -> None:
    here = logs.parent
    for key in ("signer.key", "other.key"):
        assert subprocess.run([sys.executable, "-m", "pia", "keygen", key], cwd=here,
                              capture_output=True).returncode == 0
    assert subprocess.run([sys.executable, "-m", "pia", "scan", str(logs), "-q",
                           "--fail-on", "critical", "--bundle", "audit.zip",
                           "--key", "signer.key", "-o", "r.json"], cwd=here,
                          env=dict(os.environ, PIA_FINGERPRINT_KEY="k" * 32),
                          capture_output=True).returncode == 0
    run = pia_into_closed_pipe("bundle", "verify", "audit.zip", "--pubkey", "other.key.pub",
                               cwd=here)
    assert run.returncode == 1, run.stderr  # signed by another key: invalid
    assert "pia: bundle invalid" in run.stderr


@pytest.mark.parametrize("args", [("rulesets", "show", "cn-pipl"), ("rulesets", "list"),
                                  ("rulesets", "show", "cn-pipl", "PIPL-51-ENCRYPT-DEIDENT")])
def test_rulesets_tables_into_a_closed_pipe_exit_0(tmp_path: Path, args) -> None:
    """rich answered the broken pipe with exit 1 (`pia rulesets show cn-pipl | head -1`)."""
    assert pia_into_closed_pipe(*args, cwd=tmp_path).returncode == 0


def pia_with_stderr_gone(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``pia ARGS 2>&1 | true``: stderr's reader has gone before pia writes a word."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "pia", *args], stderr=write, cwd=cwd,
                              stdout=subprocess.PIPE, text=True, timeout=300,
                              env=dict(os.environ, PIA_FINGERPRINT_KEY="k" * 32))
    finally:
        os.close(write)


def test_a_usage_error_keeps_exit_2_when_stderrs_reader_has_gone(tmp_path: Path) -> None:
    """QA: `pia scan missing 2>&1 | true` exited 0: a CI gate passed a broken command."""
    assert pia_with_stderr_gone("scan", "missing.log", cwd=tmp_path).returncode == 2


def test_findings_keep_exit_1_and_every_output_is_written(logs: Path) -> None:
    """QA: the scan's summary line on a closed stderr made its exit 0 (critical findings
    passed CI), and `pia report -o … -o …` stopped before its later files."""
    here = logs.parent
    run = pia_with_stderr_gone("scan", str(logs), "--fail-on", "medium", "-o", "r.json",
                               cwd=here)
    assert run.returncode == 1
    outputs = [f"again.{ext}" for ext in ("html", "md", "sarif", "txt")]
    run = pia_with_stderr_gone("report", "r.json", *[a for o in outputs for a in ("-o", o)],
                               cwd=here)
    assert run.returncode == 0
    assert all((here / name).stat().st_size > 0 for name in outputs)
