"""Reports and bundles are written through a fresh temporary file renamed over the target:
a symlink planted at an output path is replaced, never written through."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from test_scan_inputs import here, pia  # noqa: F401 (a fixture)

from pia.writes import write_output


@pytest.mark.usefixtures("here")
@pytest.mark.parametrize("command", [["scan", "ok.log", "-q"], ["report", "r.json"]],
                         ids=["scan -o", "report -o"])
def test_a_symlink_at_the_report_path_is_replaced_not_followed(capsys, command) -> None:
    assert pia(capsys, "scan", "ok.log", "-q", "--fail-on", "critical", "-o", "r.json")[0] == 0
    victim = Path("victim.txt")
    victim.write_text("ROOT DATA")
    Path("out.json").symlink_to(victim.resolve())
    code, _, err = pia(capsys, *command, "--fail-on", "critical", "-o", "out.json") \
        if command[0] == "scan" else pia(capsys, *command, "-o", "out.json")
    assert code == 0, err
    assert victim.read_text() == "ROOT DATA"
    assert not Path("out.json").is_symlink() and Path("out.json").read_text().startswith("{")


def test_write_output_gives_the_umask_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        write_output(tmp_path / "a.json", ["{", "}"])
        write_output(tmp_path / "b.zip", b"PK")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == 0o644
    assert (tmp_path / "a.json").read_text() == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.zip"]
