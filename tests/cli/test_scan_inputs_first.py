"""`pia scan` refuses its local inputs (declaration, rulesets, recognizers, keys, output
paths) before it loads a connector or opens a source: an invalid pia.yaml was said only once
the scan had run, 44 s of logs or ten minutes of PostgreSQL later (QA estate D3)."""

from __future__ import annotations

from pathlib import Path

import pytest

import pia.connectors
from pia.cli import main

MOBILE = "13812345678"
PG = "postgresql://postgres@127.0.0.1:5432/test"

BAD_DECLARATION = """\
version: 1
organisation: {name: 测试公司, ciio: false}
assets:
  - {id: logs, source: logs, pi_categories: [CN_MOBILE], activities: [hr]}
activities:
  - {id: hr, purpose: 人力资源管理, legal_basis: hr_management}
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    monkeypatch.delenv("PIA_DEBUG", raising=False)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "app.log").write_text(f"2026-01-01 12:00:00 phone {MOBILE}\n",
                                               encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(BAD_DECLARATION, encoding="utf-8")
    (tmp_path / "rules.yaml").write_text("id: custom\nrules: 3\n", encoding="utf-8")
    (tmp_path / "recognizers.yaml").write_text("recognizers: [{name: x}]\n", encoding="utf-8")
    (tmp_path / "short.key").write_text("short\n", encoding="utf-8")
    (tmp_path / "report.json").mkdir()
    return tmp_path


@pytest.fixture
def connectors_loaded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources a connector was looked up for: the first thing a scan does with one
    (``pia scan`` checks local sources and outputs with it, then reads them)."""
    asked: list[str] = []
    real = pia.connectors.connector_for

    def looked_up(uri: str) -> object:
        asked.append(uri)
        return real(uri)

    monkeypatch.setattr(pia.connectors, "connector_for", looked_up)
    return asked


def scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(["scan", PG, "logs", "--executor", "serial", "-q", *args])
    return int(exited.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize(("args", "says"), [
    (("--config", "bad.yaml"), 'pia: error: bad.yaml:6: activities/0/legal_basis: must be one'
                               ' of "consent", "contract", "hr", "legal_duty", "emergency",'
                               ' "news", "public_info", "other_law"\n'),
    (("--ruleset", "rules.yaml"), "pia: error: rules.yaml"),
    (("--recognizers", "recognizers.yaml"), "pia: error: "),
    (("--fingerprint-key-file", "short.key"), "pia: error: short.key"),
])
def test_a_bad_local_input_is_refused_before_any_source_is_looked_at(
        here: Path, capsys: pytest.CaptureFixture[str], connectors_loaded: list[str],
        args: tuple[str, ...], says: str) -> None:
    code, err = scan(capsys, *args)
    assert code == 2, err
    assert err.startswith(says) and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    assert connectors_loaded == [], "a source was looked at before the input was refused"


def test_a_report_path_that_is_a_directory_is_refused_before_the_scan(
        here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It failed with IsADirectoryError once every source had been read."""
    code, err = scan(capsys, "-o", "report.json")
    assert (code, err) == (2, "pia: error: report path report.json is a directory; name a"
                              " file\n")
