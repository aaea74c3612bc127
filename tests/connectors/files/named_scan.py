"""A real ``pia scan`` of a directory of files named as a test says, in every output: for the
tests that a name holding a person's number is written masked wherever the scan writes it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from pia.cli import main


def _scan(folder: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit):
        main(["scan", os.path.relpath(folder), "--fail-on", "none", "--lang", "en", *args])
    captured = capsys.readouterr()
    return captured.out + captured.err


def scan_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str],
               names: list[str]) -> tuple[list[str], dict[str, Any]]:
    """``tmp_path/estate`` holding a small CSV of no one under each of ``names``, scanned
    with ``-o`` (a JSON report), ``-f json`` and the table: the three outputs as written or
    printed (stdout and stderr), the JSON report, and that ``-f json`` printed its inventory."""
    folder = tmp_path / "estate"
    folder.mkdir()
    for name in names:
        (folder / name).write_text("name,city\nsomeone,Beijing\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)

    _scan(folder, capsys, "-o", "r.json")
    written = (tmp_path / "r.json").read_text(encoding="utf-8")
    printed = _scan(folder, capsys, "-f", "json", "-q")
    table = _scan(folder, capsys)
    report = json.loads(written)
    assert json.loads(printed[printed.index("{"):])["inventory"] == report["inventory"]
    return [written, printed, table], report
