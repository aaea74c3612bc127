"""Shared helpers of the migration tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pia.cli import main

Run = Callable[..., tuple[int, str, str]]


def every_finding(findings: list) -> str:
    """The text output as it was before ``render.listed`` listed a column's values once:
    every open finding on its own line, for the tests that want each value's place."""
    return "".join(f"{f.file}:{f.line}:{f.col}: {f.severity} {f.rule_id} {f.text('en')}\n"
                   for f in findings if f.status == "open")


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests read the English messages: the language of ``check-migrations`` comes from
    the locale (``--lang``), and a C locale means Chinese. Tests of the language set it."""
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")


@pytest.fixture
def pia_check(tmp_path: Path, capsys: pytest.CaptureFixture[str],
              monkeypatch: pytest.MonkeyPatch) -> Run:
    """``pia_check(args..., files={name: text})``: write the files into a fresh working
    directory, run ``pia check-migrations`` there as CI would (no GITHUB_ACTIONS), and return
    (exit code, stdout, stderr)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)

    def run(*args: str, files: dict[str, str] | None = None) -> tuple[int, str, str]:
        for name, text in (files or {}).items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text, "utf-8")
        with pytest.raises(SystemExit) as done:
            main(["check-migrations", *args])
        out, err = capsys.readouterr()
        return done.value.code, out, err

    return run
