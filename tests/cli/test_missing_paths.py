"""A path that does not exist is one line that names it first, as `cat` and `grep` say it,
whichever command was given it."""

from __future__ import annotations

import errno
import json
import os
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


@pytest.mark.parametrize(("command", "message"), [
    (["detect"], "an empty FILE (''): name a text file, or - for standard input"),
    (["scan", "-q"], "an empty source (''): name a file, directory, glob or URI"),
    (["check-migrations"], "an empty path (''): name a migration file or directory"),
])
def test_an_empty_path_is_a_usage_error(tmp_path: Path, capsys, monkeypatch,
                                        command: list[str], message: str) -> None:
    """An unset variable (``pia check-migrations "$MIGRATIONS"``) gave ``''``: check-migrations
    read the whole current directory's SQL as migrations, detect said ': no such file'."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "V1__stray.sql").write_text("ALTER TABLE u ADD COLUMN sfzh text;\n",
                                            encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main([*command, ""])
    out, err = capsys.readouterr()
    assert (done.value.code, out) == (2, "")
    assert err.startswith(f"pia: error: {message}") and err.count("\n") == 1


def _fifo(here: Path) -> str:
    os.mkfifo(here / "fifo.log")
    return "fifo.log"


def _symlink_loop(here: Path) -> str:
    (here / "a.log").symlink_to("b.log")
    (here / "b.log").symlink_to("a.log")
    return "a.log"


@pytest.mark.parametrize(("make", "expected"), [
    (_fifo, "pia: error: fifo.log: special file (FIFO)"),
    (_symlink_loop, f"pia: error: cannot read a.log: {os.strerror(errno.ELOOP)}"),
])
@pytest.mark.parametrize("command", [["detect"], ["scan", "-q"]])
def test_a_path_there_but_not_a_file_says_why_as_scan_does(
        tmp_path: Path, capsys, monkeypatch, command: list[str], make, expected: str) -> None:
    """`pia detect` called a FIFO and a symlink loop missing, although both are there."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    with pytest.raises(SystemExit) as done:
        main([*command, make(tmp_path)])
    _out, err = capsys.readouterr()
    assert done.value.code == 2
    assert err.splitlines() == [expected]


@pytest.mark.parametrize("make", [lambda here: None,  # empty
                                  lambda here: (here / "logs" / "2026" / "11").mkdir(parents=True)])
def test_a_directory_that_holds_no_file_is_an_error(tmp_path: Path, capsys, monkeypatch,
                                                    make) -> None:
    """An empty (or mistyped) log directory passed as a clean audit, exit 0 and nothing
    reported, while an empty bucket is an error (qa-files 5): a CI job pointed at the wrong
    log path went green. It is an error as the bucket is; the other sources still report."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    (tmp_path / "logs").mkdir()
    make(tmp_path)
    (tmp_path / "app.log").write_text("2026-11-29 10:00:00 手机 13812345678\n", encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["scan", "-q", "logs"])
    _out, err = capsys.readouterr()
    assert (done.value.code, err.splitlines()) == (2, ["pia: error: no file under logs"])
    with pytest.raises(SystemExit) as done:
        main(["scan", "-q", "logs", "app.log", "-o", "r.json"])
    _out, err = capsys.readouterr()
    assert (done.value.code, err.splitlines()[-1]) == (2, "pia: error: no file under logs")
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [i["entity_type"] for i in report["inventory"]] == ["CN_MOBILE"]


@pytest.mark.parametrize("name", ["bad\nname.bin", "esc\x1b[31mRED.bin"])
def test_an_error_naming_a_file_shows_its_name_escaped_on_one_line(
        tmp_path: Path, capsys, monkeypatch, name: str) -> None:
    """A newline in a file's name split the one-line error, an ESC was dropped from it
    (click strips escape sequences): the name shown was not the file's (qa-files 6). It is
    escaped as the terminal table escapes it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    (tmp_path / name).write_bytes(bytes(range(256)) * 12)
    with pytest.raises(SystemExit) as done:
        main(["scan", "-q", name])
    _out, err = capsys.readouterr()
    shown = name.replace("\n", "\\n").replace("\x1b", "\\x1b")
    assert (done.value.code, err.splitlines()) == (2, [f"pia: error: {shown}: binary file"])


def test_a_glob_under_a_folder_that_cannot_be_listed_says_so(tmp_path: Path, capsys,
                                                             monkeypatch) -> None:
    """A glob under a folder pia may not list said ``no file matches this pattern``: true,
    but it hid why (qa-files 7). It says the folder cannot be listed, as a directory named
    as the source does. (Root lists any folder: the refusal is the system's answer, here
    given by ``os.scandir`` for that folder alone.)"""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "app.log").write_text("2026-11-29 10:00:00 ok\n", encoding="utf-8")
    scandir = os.scandir

    def refused(path: object = ".") -> object:
        if os.path.basename(os.path.normpath(os.fspath(path))) == "locked":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refused)
    with pytest.raises(SystemExit) as done:
        main(["scan", "-q", "locked/*.log"])
    _out, err = capsys.readouterr()
    assert (done.value.code, err.splitlines()) == (2, [
        "pia: error: source locked/*.log: cannot list directory locked: "
        f"{os.strerror(errno.EACCES)}"])
    with pytest.raises(SystemExit) as done:
        main(["scan", "-q", "elsewhere/*.log"])  # a folder that is not there: nothing matches
    _out, err = capsys.readouterr()
    assert err.splitlines() == ["pia: error: source elsewhere/*.log: no file matches this pattern"]
