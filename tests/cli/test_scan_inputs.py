"""`pia scan` on inputs it cannot use: exit 2 and one line naming what and where, never a
traceback, and never a write over what it reads. Run in-process through ``pia.cli.main``;
stdout and stderr are checked separately."""

from __future__ import annotations

from pathlib import Path

import pytest

from pia.cli import main

MOBILE = "13812345678"


def pia(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    monkeypatch.delenv("PIA_DEBUG", raising=False)
    (tmp_path / "ok.log").write_text(f"2026-01-01 12:00:00 user phone {MOBILE}\n",
                                     encoding="utf-8")
    (tmp_path / "deep.yaml").write_text("[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    return tmp_path


def one_error_line(code: int, err: str) -> str:
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


# --- unreadable configuration: was FileNotFoundError, IsADirectoryError, RecursionError ---

@pytest.mark.parametrize(("args", "says"), [
    (("scan", "ok.log", "--recognizers", "nope.yaml"), "cannot read recognizer file nope.yaml"),
    (("scan", "ok.log", "--recognizers", "."), "cannot read recognizer file .: Is a directory"),
    (("scan", "ok.log", "--recognizers", "deep.yaml"), "deep.yaml"),
    (("scan", "ok.log", "--config", "deep.yaml"), "deep.yaml: nesting deeper than"),
    (("scan", "ok.log", "--ruleset", "deep.yaml"), "deep.yaml: nesting deeper than"),
    (("rulesets", "validate", "deep.yaml"), "deep.yaml: nesting deeper than"),
    (("detect", "ok.log", "--recognizers", "deep.yaml"), "deep.yaml"),
])
def test_unreadable_configuration_is_one_line(here: Path, capsys, args, says) -> None:
    code, _out, err = pia(capsys, *args, "-q") if args[0] == "scan" else pia(capsys, *args)
    assert says in one_error_line(code, err)
