"""`pia scan` end to end through a real subprocess: reports, exit codes, no leaks."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pia.report import validation_errors

ID = "11010519491231002X"
MOBILE = "13812345678"


def pia(*args: str, cwd: Path, env_key: str = "k" * 32):
    import os

    env = dict(os.environ, PIA_FINGERPRINT_KEY=env_key)
    return subprocess.run([sys.executable, "-m", "pia", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=300, env=env)


def estate(root: Path) -> None:
    logs = root / "logs"
    logs.mkdir()
    (logs / "app.log").write_text(
        f"2026-01-01 12:00:00 INFO 注册 身份证号{ID} 手机{MOBILE}\n"
        "2026-01-02 12:00:00 INFO heartbeat ok\n", encoding="utf-8")
    (logs / "clean.log").write_text("2026-01-01 00:00:00 INFO nothing here\n", encoding="utf-8")
    db = sqlite3.connect(root / "shop.db")
    db.execute("CREATE TABLE members (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, memo TEXT)")
    db.executemany("INSERT INTO members (xm, sfzh, memo) VALUES (?, ?, ?)",
                   [("张三", ID, "ok")] * 50)
    db.commit()
    db.close()


def test_scan_without_sources_prints_a_usage_hint(tmp_path: Path) -> None:
    run = pia("scan", cwd=tmp_path)
    assert run.returncode == 2
    assert "usage: pia scan SOURCE" in run.stderr and "Traceback" not in run.stderr


def test_scan_writes_valid_reports_and_exits_on_findings(tmp_path: Path) -> None:
    estate(tmp_path)
    run = pia("scan", "logs", "shop.db", "-o", "r.json", "-o", "r.html", "-o", "r.sarif",
              "-o", "r.md", "-q", cwd=tmp_path)
    assert run.returncode == 1, run.stderr  # a critical plaintext ID column
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert validation_errors(report) == []
    located = {(i["location"].get("path") or i["location"].get("column"), i["entity_type"])
               for i in report["inventory"]}
    assert ("logs/app.log", "CN_RESIDENT_ID") in located
    assert ("sfzh", "CN_RESIDENT_ID") in located
    assert not any(path == "logs/clean.log" for path, _ in located)
    assert {f["rule_id"] for f in report["findings"]} >= {"PIPL-28-SENSITIVE-PLAINTEXT",
                                                          "CSL-42-PI-IN-LOGS"}
    for name in ("r.json", "r.html", "r.sarif", "r.md"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert ID not in text and MOBILE not in text, name
    # quiet, with the reports in files: nothing on stdout, the summary line on stderr (a
    # failed CI job says why), and no "wrote" lines
    assert run.stdout == ""
    summary = [line for line in run.stderr.splitlines() if line.startswith("pia")
               and "pia: warning" not in line]
    assert len(summary) == 1 and "wrote" not in run.stderr, run.stderr
    assert ID not in run.stderr and MOBILE not in run.stderr


def test_fail_on_threshold(tmp_path: Path) -> None:
    (tmp_path / "a.log").write_text(f"2026-01-01 x 手机{MOBILE}\n", encoding="utf-8")
    assert pia("scan", "a.log", "-q", "--fail-on", "critical", cwd=tmp_path).returncode == 0
    assert pia("scan", "a.log", "-q", "--fail-on", "low", cwd=tmp_path).returncode == 1
    bad = pia("scan", "a.log", "--fail-on", "severe", cwd=tmp_path)
    assert bad.returncode == 2 and "--fail-on" in bad.stderr


def test_fail_on_none_reports_without_gating(tmp_path: Path) -> None:
    """A resident ID in a log is critical; ``--fail-on none`` still exits 0: the run only
    reports, and its status says whether the scan completed (2 on an error)."""
    (tmp_path / "a.log").write_text(f"2026-01-01 x 身份证{ID}\n", encoding="utf-8")
    assert pia("scan", "a.log", "-q", "--fail-on", "critical", cwd=tmp_path).returncode == 1
    run = pia("scan", "a.log", "-q", "--fail-on", "none", "-o", "r.json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert any(f["severity"] == "critical"
               for f in json.loads((tmp_path / "r.json").read_text())["findings"])
    missing = pia("scan", "nothing.log", "--fail-on", "none", cwd=tmp_path)
    assert missing.returncode == 2


def test_unreachable_source_exits_2_keeps_the_rest_and_hides_the_password(tmp_path) -> None:
    (tmp_path / "a.log").write_text(f"2026-01-01 x 手机{MOBILE}\n", encoding="utf-8")
    secret = "s3cr3t-Pa55"
    run = pia("scan", "a.log", f"postgresql://audit:{secret}@127.0.0.1:1/crm", "-o", "r.json",
              "-q", cwd=tmp_path)
    assert run.returncode == 2
    assert secret not in run.stderr and "Traceback" not in run.stderr
    assert "127.0.0.1" in run.stderr
    report = (tmp_path / "r.json").read_text(encoding="utf-8")
    assert secret not in report
    data = json.loads(report)
    assert data["inventory"], "the log was still scanned"
    assert data["scan"]["complete"] is False, "a source is missing from the report"
    assert [s["source"] for s in data["skipped"]] == ["postgresql://audit:***@127.0.0.1:1/crm"]
    assert validation_errors(data) == []


def test_no_source_opens_exits_2_with_only_the_error(tmp_path: Path, tmp_path_factory) -> None:
    keys = tmp_path_factory.mktemp("keys")  # the key is read before the scan: a real one
    assert pia("keygen", "signer.key", cwd=keys).returncode == 0
    for args in (["postgresql://postgres@127.0.0.1:1/qa"],
                 ["mysql://root:S3cr3t%40x@127.0.0.1:1/qa", "-o", "err.json"],
                 ["mysql://root@127.0.0.1:1/qa", "-o", "e.html", "--bundle", "b.zip",
                  "--key", str(keys / "signer.key")]):
        run = pia("scan", *args, cwd=tmp_path)
        assert run.returncode == 2, args
        assert run.stdout == "", args
        [line] = run.stderr.splitlines()
        assert line.startswith("pia: error: ") and "127.0.0.1:1/qa" in line, line
        assert "S3cr3t" not in line
    assert list(tmp_path.iterdir()) == []


def test_bundle_from_scan_verifies(tmp_path: Path) -> None:
    estate(tmp_path)
    assert pia("keygen", "signer.key", cwd=tmp_path).returncode == 0
    run = pia("scan", "logs", "shop.db", "-q", "--bundle", "audit.zip", "--key", "signer.key",
              cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    verify = pia("bundle", "verify", "audit.zip", "--pubkey", "signer.key.pub", cwd=tmp_path)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert ID.encode() not in (tmp_path / "audit.zip").read_bytes()


@pytest.mark.parametrize("option, value, message", [
    ("--sample", "-1", "--sample must be a positive number of rows, not -1"),
    ("--sample", "0", "--sample must be a positive number of rows, not 0"),
    ("--max-objects", "0", "--max-objects must be a positive number of objects, not 0"),
    ("--max-bytes", "-5", "--max-bytes must be a positive number of bytes, not -5"),
    ("--workers", "0", "--workers must be a positive number of processes, not 0"),
    # QA s3dask13 F2: read as 512 while the report said 100
    ("--max-bytes", "100", "--max-bytes must be at least 512 (the bytes that tell an object's"
                           " format), not 100"),
])
def test_counts_below_one_are_usage_errors(tmp_path: Path, option: str, value: str,
                                           message: str) -> None:
    # port 1: had the scan reached the source, the error would be "cannot connect"
    run = pia("scan", "postgresql://postgres@127.0.0.1:1/qa", option, value, "-o", "r.json",
              cwd=tmp_path)
    assert (run.returncode, run.stdout, run.stderr) == (2, "", f"pia: error: {message}\n")
    assert not (tmp_path / "r.json").exists()
