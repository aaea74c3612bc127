"""`pia scan` on inputs it cannot use: exit 2 and one line naming what and where, never a
traceback, and never a write over what it reads. Run in-process through ``pia.cli.main``;
stdout and stderr are checked separately."""

from __future__ import annotations

import json
import re
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
    (("scan", "ok.log", "--config", "deep.yaml"), "deep.yaml:1: nesting deeper than"),
    (("scan", "ok.log", "--ruleset", "deep.yaml"), "deep.yaml:1: nesting deeper than"),
    (("rulesets", "validate", "deep.yaml"), "deep.yaml:1: nesting deeper than"),
    (("detect", "ok.log", "--recognizers", "deep.yaml"), "deep.yaml"),
])
def test_unreadable_configuration_is_one_line(here: Path, capsys, args, says) -> None:
    code, _out, err = pia(capsys, *args, "-q") if args[0] == "scan" else pia(capsys, *args)
    assert says in one_error_line(code, err)


# --- outputs never replace what the scan reads: -o s.db replaced the database with JSON ---

def _estate(root: Path) -> None:
    import sqlite3

    (root / "logs").mkdir()
    (root / "logs" / "a.log").write_text(f"phone {MOBILE}\n", encoding="utf-8")
    (root / "events.json").write_text(json.dumps({"phone": MOBILE}) + "\n", encoding="utf-8")
    db = sqlite3.connect(root / "s.db")
    db.execute("CREATE TABLE t (a TEXT)")
    db.commit()
    db.close()
    (root / "link.json").symlink_to(root / "events.json")
    # a valid declaration: an invalid one is refused as such first (test_scan_inputs_first)
    (root / "pia.yaml").write_text("version: 1\nassets: []\n", encoding="utf-8")


@pytest.mark.parametrize(("args", "says"), [
    (("s.db", "-o", "s.db"), "report path s.db is a source being scanned"),
    (("events.json", "-o", "events.json"), "report path events.json is a source being scanned"),
    (("events.json", "-o", "link.json"), "report path link.json is a source being scanned"),
    (("*.json", "-o", "events.json"), "report path events.json is a source being scanned"),
    (("logs", "-o", "logs/a.log"), "report path logs/a.log is inside logs, a source"),
    (("logs", "-o", "logs/new.json"), "report path logs/new.json is inside logs, a source"),
    (("logs", "--state", "logs/st"), "--state path logs/st is inside logs, a source"),
    (("logs/a.log", "--state", "logs"), "--state path logs holds logs/a.log, a source"),
    (("logs", "-o", "pia.yaml", "--config", "pia.yaml"), "this scan's --config file"),
])
def test_an_output_over_a_source_is_refused_before_scanning(here: Path, capsys, args,
                                                            says) -> None:
    _estate(here)
    before = {p: p.read_bytes() for p in here.rglob("*") if p.is_file() and not p.is_symlink()}
    code, out, err = pia(capsys, "scan", *args, "-q")
    assert says in one_error_line(code, err) and out == ""
    assert {p: p.read_bytes() for p in before} == before
    assert not (here / "logs" / "new.json").exists() and not (here / "logs" / "st").exists()


# --- overlapping sources: what they share would be counted twice ---

@pytest.mark.parametrize(("args", "says"), [
    (("logs", "logs/a.log"), "sources logs and logs/a.log overlap"),
    (("logs/a.log", "./logs"), "sources logs/a.log and ./logs overlap"),
    (("logs/*.log", "logs"), "sources logs/*.log and logs overlap"),
    (("events.json", "link.json"), "sources events.json and link.json overlap"),
    ((".", "events.json"), "sources . and events.json overlap"),
    (("s.db", "sqlite:s.db"), "sources s.db and sqlite:s.db overlap"),
    (("s3://bkt", "s3://bkt/exports/"), "sources s3://bkt and s3://bkt/exports/ overlap"),
    (("s3://", "s3://bkt/x"), "sources s3:// and s3://bkt/x overlap"),
    (("s3://bkt/x", "s3://bkt/x?1"), "sources s3://bkt/x and s3://bkt/x?1 overlap"),  # ? is in keys
    (("mysql://root@127.0.0.1/test", "mysql://root@127.0.0.1/test"), "overlap"),
])
def test_overlapping_sources_are_refused_before_scanning(here: Path, capsys, args,
                                                         says) -> None:
    _estate(here)
    code, out, err = pia(capsys, "scan", *args, "-q")
    assert says in one_error_line(code, err) and out == ""
    assert "scanned twice" in err


def test_a_sqlite_file_in_a_scanned_directory_may_be_named_on_its_own(here: Path,
                                                                    capsys) -> None:
    """A directory's scan skips the SQLite files in it (they are not logs): naming one
    beside the directory reads it once, as a database."""
    _estate(here)
    (here / "logs" / "s.db").write_bytes((here / "s.db").read_bytes())
    code, _, err = pia(capsys, "scan", "logs", "sqlite:logs/s.db", "-o", "r.json", "-q")
    assert code == 1, err
    report = json.loads((here / "r.json").read_text(encoding="utf-8"))
    assert report["scan"]["sources"] == ["logs", "sqlite:logs/s.db"]
    assert any("SQLite" in s["reason"] for s in report["skipped"])


# --- what was not read is not a clean scan: globs matching nothing, unreadable files ---

@pytest.mark.parametrize("pattern", ["*.nomatch", "[unclosed"])
def test_a_glob_that_matches_nothing_is_a_usage_error(here: Path, capsys, pattern) -> None:
    code, out, err = pia(capsys, "scan", pattern, "-q")
    assert f"source {pattern}: no file matches" in one_error_line(code, err) and out == ""


@pytest.mark.parametrize("args", [["", "-o", "a.json"], ["logs", "", "-o", "elsewhere/a.json"]],
                         ids=["alone", "beside another"])
def test_an_empty_source_is_a_usage_error_that_names_it(here: Path, capsys, args) -> None:
    """An unset ``$LOGDIR`` gave ``report path a.json is inside , a source being scanned``
    (the overlap check took '' for the current directory) or ``: no such file``."""
    _estate(here)
    (here / "elsewhere").mkdir()
    code, out, err = pia(capsys, "scan", *args)
    assert one_error_line(code, err).startswith("pia: error: an empty source ('')")
    assert out == "" and not (here / "a.json").exists()
    assert not (here / "elsewhere" / "a.json").exists()


def _broken(root: Path) -> None:
    import io
    import tarfile

    (root / "broken.zip").write_bytes(b"PK\x03\x04garbage")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(root / "ok.log", arcname="ok.log")
    (root / "cut.tar.gz").write_bytes(buffer.getvalue()[:40])


@pytest.mark.parametrize(("name", "says"), [("broken.zip", "corrupt zip"),
                                            ("cut.tar.gz", "corrupt")])
def test_a_named_file_that_cannot_be_read_fails_the_scan(here: Path, capsys, name, says):
    _broken(here)
    code, out, err = pia(capsys, "scan", name, "-q", "-o", "r.json")
    assert f"{name}: {says}" in one_error_line(code, err) and out == ""
    assert not (here / "r.json").exists()  # as when no source opens: nothing to report
    code, out, err = pia(capsys, "scan", "ok.log", name, "-q", "-o", "r.json")
    assert code == 2 and f"{name}: {says}" in err and "Traceback" not in err
    report = json.loads((here / "r.json").read_text(encoding="utf-8"))
    assert report["scan"]["complete"] is False
    assert [s["location"] for s in report["skipped"]][:1] == [{"path": name}]


def test_a_directory_with_one_bad_member_is_still_scanned(here: Path, capsys) -> None:
    _broken(here)
    (here / "mixed").mkdir()
    (here / "mixed" / "ok.log").write_text(f"phone {MOBILE}\n", encoding="utf-8")
    (here / "mixed" / "broken.zip").write_bytes((here / "broken.zip").read_bytes())
    code, _out, err = pia(capsys, "scan", "mixed", "-q", "-o", "r.json", "--fail-on",
                          "critical")
    assert code == 0, err
    report = json.loads((here / "r.json").read_text(encoding="utf-8"))
    assert [s["location"] for s in report["skipped"]] == [{"path": "mixed/broken.zip"}]
    assert report["scan"]["complete"] is True


# --- -q quiets the terminal, not a file; an unknown extension is not silently JSON ---

def test_quiet_still_writes_the_whole_report_file(here: Path, capsys) -> None:
    pia(capsys, "scan", "ok.log", "-o", "loud.txt", "--fail-on", "critical")
    code, out, err = pia(capsys, "scan", "ok.log", "-q", "-o", "quiet.txt", "--fail-on",
                         "critical")
    # the terminal: the summary line only, on stderr (stdout is for a report, in the file)
    assert code == 0 and out == "" and len(err.splitlines()) == 1 and "wrote" not in err
    # the same report but for the scans' times, which may fall on either side of a second
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
    loud = stamp.sub("T", (here / "loud.txt").read_text(encoding="utf-8"))
    assert stamp.sub("T", (here / "quiet.txt").read_text(encoding="utf-8")) == loud
    assert len(loud.splitlines()) > 5 and MOBILE not in loud


@pytest.mark.parametrize("path", ["r.pdf", "r.gz", "r"])
def test_an_unknown_report_extension_is_a_usage_error(here: Path, capsys, path) -> None:
    code, out, err = pia(capsys, "scan", "ok.log", "-q", "-o", path)
    assert ".json, .html, .htm, .md, .sarif, .txt" in one_error_line(code, err)
    assert out == "" and not (here / path).exists()


@pytest.mark.parametrize(("args", "message"), [
    (("ok.log", "--include", "*.csv"), "--include '*.csv': no file of ok.log is selected"),
    ((".", "--include", "nomatch*"), "--include 'nomatch*': no file of . is selected"),
    (("ok.log", "--exclude", "*"), "--exclude '*': no file of ok.log is selected"),
])
def test_filters_that_select_no_file_are_a_usage_error(here: Path, capsys, args,
                                                       message) -> None:
    """A typo in a glob (*.CSV) gave '0 open findings' and exit 0, a clean audit of nothing;
    tables and objects were already refused this way."""
    code, _out, err = pia(capsys, "scan", *args, "-q")
    assert message in one_error_line(code, err)


def test_filters_that_select_some_files_scan_them(here: Path, capsys) -> None:
    out = here.parent / f"{here.name}.json"  # not inside the source
    code, _out, _err = pia(capsys, "scan", ".", "--include", "*.log", "-q", "-o", str(out))
    report = json.loads(out.read_text(encoding="utf-8"))
    assert code == 1 and [i["entity_type"] for i in report["inventory"]] == ["CN_MOBILE"]


def test_a_scan_writing_files_says_on_stderr_why_it_fails(here: Path, capsys) -> None:
    """Exit 1 came with only "pia: wrote json report to r.json": no count, no severity,
    while -q printed the summary line. Both now print it; -q leaves out the "wrote" line."""
    code, out, err = pia(capsys, "scan", "ok.log", "-o", "r.json", "--fail-on", "low",
                         "--lang", "en")
    assert code == 1 and out == ""
    wrote, summary = err.splitlines()
    assert wrote == "pia: wrote json report to r.json"
    counts = json.loads((here / "r.json").read_text(encoding="utf-8"))["summary"]
    assert counts["findings"] and summary.startswith("pia")
    for number in (counts["findings"], *counts["by_severity"].values()):
        assert str(number) in summary, summary  # the counts, by severity
    assert MOBILE not in err
    code, out, quiet = pia(capsys, "scan", "ok.log", "-o", "r.json", "--fail-on", "low", "-q",
                           "--lang", "en")
    assert (code, out, quiet.splitlines()) == (1, "", [summary])


@pytest.mark.parametrize(("args", "message"), [
    (("--format", "md", "-o", "x.html"), "--format md does not match x.html (html): give the"
                                          " file the format's extension, or leave --format out"),
    (("-o", "r.json", "--format", "html", "-o", "x.html"), "--format html does not match"
                                                           " r.json (json)"),
    (("--format", "md", "-o", "-"), "--format md does not match -o - (JSON on stdout)"),
    (("--format", "txt", "-o", "x.html"), "--format txt does not match x.html (html)"),
])
def test_scan_refuses_a_format_its_output_file_contradicts(here: Path, capsys, args,
                                                           message) -> None:
    """`pia scan --format md -o x.html` wrote HTML and said nothing; `pia report` refused."""
    code, out, err = pia(capsys, "scan", "ok.log", *args)
    assert message in one_error_line(code, err)
    assert out == "" and not (here / "x.html").exists() and not (here / "r.json").exists()


def test_a_format_that_matches_every_file_is_accepted(here: Path, capsys) -> None:
    code, _out, err = pia(capsys, "scan", "ok.log", "--format", "text", "-o", "r.txt",
                          "--fail-on", "critical")
    assert code == 0, err
    assert (here / "r.txt").read_text(encoding="utf-8").strip()
