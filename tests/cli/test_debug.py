"""``--debug``, before or after the command: the one-line message, then its traceback on
stderr, exit code unchanged; credentials in any exception's message stay redacted."""

from __future__ import annotations

from pathlib import Path

import pytest

from pia.cli import main
from pia.cli.debug import traceback_text
from pia.errors import SourceError


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    monkeypatch.delenv("PIA_DEBUG", raising=False)
    return tmp_path


def run(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    return done.value.code, capsys.readouterr().err


@pytest.mark.parametrize("args", [
    ("--debug", "scan", "-q", "nope.log"),
    ("scan", "-q", "nope.log", "--debug"),
    ("scan", "--debug", "-q", "nope.log"),
])
def test_a_source_that_does_not_open_shows_its_traceback(here: Path, capsys, args) -> None:
    code, err = run(capsys, *args)
    assert code == 2
    lines = err.splitlines()
    assert lines[0] == "pia: error: nope.log: no such file or directory"
    assert lines[1] == "Traceback (most recent call last):"
    assert lines[-1] == "pia.errors.SourceError: nope.log: no such file or directory"


def test_without_debug_one_line_even_after_a_debug_run(here: Path, capsys) -> None:
    run(capsys, "--debug", "scan", "-q", "nope.log")
    code, err = run(capsys, "scan", "-q", "nope.log")
    assert code == 2 and err == "pia: error: nope.log: no such file or directory\n"


@pytest.mark.parametrize("where", ["before", "after"])
def test_an_error_raised_by_a_command_shows_its_traceback(here: Path, capsys, where) -> None:
    args = ["rulesets", "validate", "missing.yaml"]
    code, err = run(capsys, *(["--debug", *args] if where == "before" else [*args, "--debug"]))
    assert code == 2
    lines = err.splitlines()
    assert lines[0] == "pia: error: cannot read ruleset missing.yaml: No such file or directory"
    assert lines[1] == "Traceback (most recent call last):"
    assert lines[-1].startswith("pia.errors.RulesetError: cannot read ruleset missing.yaml")


def test_an_unreadable_bundle_shows_where_it_was_refused(here: Path, capsys) -> None:
    assert run(capsys, "keygen", "k")[0] == 0
    (here / "bad.zip").write_bytes(b"not a zip")
    code, err = run(capsys, "bundle", "verify", "bad.zip", "--pubkey", "k.pub", "--debug")
    assert code == 2
    assert "pia: bundle unreadable: check archive-readable failed" in err
    assert "Traceback (most recent call last):" in err
    assert err.rstrip().endswith("not a readable zip archive (BadZipFile: File is not a zip "
                                 "file)")
    code, err = run(capsys, "bundle", "verify", "bad.zip", "--pubkey", "k.pub")
    assert code == 2 and "Traceback" not in err


def test_credentials_in_a_chained_message_are_redacted() -> None:
    """A driver's message (the cause of pia's own error) goes through ``pia.uri.scrub``."""
    message = "cannot connect to mysql://root:s3cretpw@db:3306/shop (password=hunter22)"
    try:
        try:
            raise ValueError(message)  # the source line, not the message, is in the frame
        except ValueError as cause:
            raise SourceError("mysql db:3306/shop: cannot connect") from cause
    except SourceError as err:
        text = traceback_text(err)
    assert "s3cretpw" not in text and "hunter22" not in text
    assert "mysql://root:***@db:3306/shop" in text
    assert "direct cause of the following exception" in text
    assert text.rstrip().endswith("pia.errors.SourceError: mysql db:3306/shop: cannot connect")


RAW_ID = "110101199003076632"  # made up, checksum-valid: it must never be printed whole


@pytest.mark.parametrize("debug", [False, True])
def test_a_bug_is_one_line_and_exit_2_never_a_traceback_and_exit_1(
        here: Path, capsys, monkeypatch: pytest.MonkeyPatch, debug: bool) -> None:
    """An unexpected exception (a bug) exited 1, which CI reads as findings, after Python's
    traceback; now one line saying what and where, its message masked and scrubbed, exit 2,
    and the traceback (masked too) only with --debug."""
    import pia.reports

    def broken(*_args, **_kwargs):
        raise RuntimeError(f"bad row {RAW_ID} from postgresql://audit:s3cret@db/crm")

    monkeypatch.setattr(pia.reports, "render", broken)
    Path("a.log").write_text("手机 13812345678\n", "utf-8")
    code, err = run(capsys, "scan", "-q", "a.log", *(["--debug"] if debug else []))
    assert code == 2
    lines = err.splitlines()
    assert lines[0].startswith("pia: internal error: RuntimeError in reports/__init__.py:")
    assert "bad row 1101**********6632 from postgresql://audit:***@db/crm" in lines[0]
    assert lines[0].endswith("(a bug in pia: please report it with the traceback that "
                             "--debug shows)")
    assert RAW_ID not in err and "s3cret" not in err
    assert (len(lines) > 3 and lines[1] == "Traceback (most recent call last):") is debug
