"""A path that does not exist is one line that names it first, as `cat` and `grep` say it,
whichever command was given it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pia.cli import main


@pytest.mark.parametrize("command", [["detect"], ["scan", "-q"], ["check-migrations"]])
def test_a_missing_path_is_named_first(tmp_path: Path, capsys, monkeypatch,
                                       command: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    with pytest.raises(SystemExit) as done:
        main([*command, "nope.log"])
    out, err = capsys.readouterr()
    assert done.value.code == 2
    assert "pia: error: nope.log: no such file or directory" in err.splitlines()
    assert "Traceback" not in err
