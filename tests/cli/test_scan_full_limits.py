"""``--full`` reads every row and every object whole: a sample or a limit given beside it
is a usage error, not silently ignored (QA: ``--full --sample 10`` was taken, and the
report recorded both)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pia.cli import main


def _scan(argv: list[str], capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(["scan", "app.log", "-q", "-o", "r.json", *argv])
    return done.value.code, capsys.readouterr().err


@pytest.fixture
def here(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    (tmp_path / "app.log").write_text("2026-05-01 10:00:01 INFO started\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("argv", "named"), [
    (["--full", "--sample", "10"], "--sample with --full"),
    (["--sample", "1000", "--full"], "--sample with --full"),  # the default, but given
    (["--full", "--max-objects", "3", "--max-bytes", "4096"],
     "--max-objects and --max-bytes with --full"),
])
def test_a_limit_beside_full_is_refused(here, capsys, argv, named):
    code, err = _scan(argv, capsys)
    assert code == 2 and not (here / "r.json").exists()
    assert err == (f"pia: error: {named}: --full reads every row and every object whole; "
                   "give one or the other\n")


@pytest.mark.parametrize("argv", [["--full"], ["--sample", "10"], ["--max-bytes", "4096"]])
def test_full_alone_or_a_limit_alone_scans(here, capsys, argv):
    code, err = _scan(argv, capsys)
    assert code == 0, err
    assert (here / "r.json").exists()
