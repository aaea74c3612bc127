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


def scan_masked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                capsys: pytest.CaptureFixture[str], named: dict[str, str], raw: tuple[str, ...],
                readable: list[str]) -> tuple[list[str], dict[str, Any]]:
    """``scan_named`` of ``named``'s and ``readable``'s names, held to what every such test
    asks: none of the outputs holds any of ``raw``, the report is valid, and each file's facts
    lie under its name as ``named`` masks it or, if ``readable``, as it is."""
    from pia.report import validation_errors

    outputs, report = scan_named(tmp_path, monkeypatch, capsys, [*named, *readable])
    for output in outputs:  # the JSON report, -f json, the table
        assert [r for r in raw if r in output] == []
    assert validation_errors(report) == []
    paths = {f["location"]["path"] for f in report["facts"]}  # every file's facts
    assert {f"estate/{masked}" for masked in named.values()} <= paths
    assert {f"estate/{name}" for name in readable} <= paths
    return outputs, report
