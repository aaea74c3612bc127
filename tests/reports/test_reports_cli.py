"""`pia report`: re-rendering a saved report gives what scan-time rendering gives; exit codes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from pia.cli import main
from pia.report import dumps
from pia.reports import FORMATS, render


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


@pytest.fixture
def saved(report: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "report.json"
    path.write_text(dumps(report), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_file_output_equals_direct_rendering(report: dict[str, Any], saved: Path,
                                             tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             fmt: str, lang: str) -> None:
    target = tmp_path / f"out.{fmt}"
    code, out, err = _run(["report", str(saved), "--format", fmt, "-o", str(target),
                           "--lang", lang], capsys)
    assert (code, out) == (0, "")
    # the report's language, the format by its name (QA: 已将 table 报告写入)
    named = {"table": "终端表格报告", "json": " JSON 报告", "html": " HTML 报告",
             "md": " Markdown 报告", "sarif": " SARIF 报告"}[fmt]
    said = {"en": f"pia: wrote {fmt} report to {target}\n",
            "zh": f"pia：已将{named}写入 {target}\n"}[lang]
    assert err == said
    assert target.read_text(encoding="utf-8") == render(report, fmt, lang=lang)


def test_stdout_is_plain_table_when_not_a_tty(report: dict[str, Any], saved: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["report", str(saved), "--lang", "en"], capsys)
    assert (code, err) == (0, "")
    assert out == render(report, "table", lang="en")


def test_quiet_prints_the_summary_line(report: dict[str, Any], saved: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["report", str(saved), "--quiet", "--lang", "en"], capsys)
    assert code == 0
    assert out.splitlines() == [render(report, "table", lang="en", quiet=True).strip()]


def test_language_defaults_to_the_locale(saved: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert _run(["report", str(saved), "-q"], capsys)[1].startswith("pia: 5 sources")
    monkeypatch.setenv("LANG", "C")
    assert _run(["report", str(saved), "-q"], capsys)[1].startswith("pia：5 个数据源")


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "pdf"], "unknown report format 'pdf'"),
    # with -o too: "--format xyz does not match x.txt (table)" hid the typo
    (["--format", "xyz", "-o", "x.txt"], "unknown report format 'xyz'"),
    (["--lang", "fr"], "unknown language 'fr'"),
])
def test_bad_options_exit_2(saved: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                            message: str) -> None:
    code, out, err = _run(["report", str(saved), *args], capsys)
    assert (code, out) == (2, "")
    assert message in err


def test_a_summary_that_contradicts_the_findings_is_refused(
        report: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An edited summary ("0 critical") was rendered as the report's verdict, exit 0; bundle
    verify refuses the same report (report-schema), so re-rendering refuses it too."""
    report["summary"]["findings"] += 7
    path = tmp_path / "edited.json"
    path.write_text(dumps(report), encoding="utf-8")
    for fmt in ("table", "html"):
        code, out, err = _run(["report", str(path), "--format", fmt], capsys)
        assert (code, out) == (2, "")
        assert err.startswith("pia: error: ") and err.count("\n") == 1
        assert "summary.findings is" in err


def test_a_report_edited_to_hold_raw_values_is_refused_in_every_format(
        report: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """QA cli13 F4: ``-o out.json`` copied a hand-edited report's raw sample and the password
    of a source through (the other formats mask and redact what they show): refused, as
    ``bundle create`` refuses them."""
    item = next(i for i in report["inventory"] if i["evidence"].get("samples"))
    raw = dict(report, inventory=[dict(item, evidence=dict(
        item["evidence"], samples=["440106200009016001"])), *report["inventory"][1:]])
    sources = ["postgresql://auditor:hunter2@db.example.cn/crm", *report["scan"]["sources"][1:]]
    leaky = dict(report, scan=dict(report["scan"], sources=sources))
    for name, edited, words in (("raw", raw, "evidence.samples[0] is not masked"),
                                ("leaky", leaky, "holds a credential")):
        path = tmp_path / f"{name}.json"
        path.write_text(dumps(edited), encoding="utf-8")
        for fmt in FORMATS:
            out_file = tmp_path / f"{name}-out.{fmt}"
            code, out, err = _run(["report", str(path), "--format", fmt, "-o", str(out_file)]
                                  if fmt != "table" else ["report", str(path)], capsys)
            assert (code, out) == (2, ""), (name, fmt)
            assert words in err and err.count("\n") == 1
            assert "hunter2" not in err and "440106200009016001" not in err
            assert not out_file.exists()


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "is not JSON"),
    ('{"schema": "pia-report/1"}', "does not match pia-report/1"),
])
def test_bad_reports_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str,
                            message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    code, out, err = _run(["report", str(path), "--format", "html"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("pia: error: ") and message in err


@pytest.mark.parametrize("via_stdin", [False, True], ids=["file", "stdin"])
def test_a_report_saved_with_a_utf8_bom_is_read(report: dict[str, Any], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch,
                                                via_stdin: bool) -> None:
    """Windows editors and PowerShell's ``Out-File`` save JSON with a BOM: it was refused as
    ``not JSON: line 1 col 1``."""
    path = tmp_path / "bom.json"
    path.write_text(dumps(report), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    if via_stdin:
        monkeypatch.setattr("sys.stdin", io.StringIO(path.read_text(encoding="utf-8")))
    code, out, err = _run(["report", "-" if via_stdin else str(path), "--format", "md",
                           "--lang", "en"], capsys)
    assert (code, err) == (0, "")
    assert out == render(report, "md", lang="en")


def test_missing_report_and_unwritable_output_exit_2(saved: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["report", str(tmp_path / "nope.json")], capsys)[0] == 2
    code, _, err = _run(["report", str(saved), "-o", str(tmp_path / "no" / "dir.html"),
                         "--format", "html"], capsys)
    assert code == 2 and "cannot write" in err


@pytest.mark.parametrize(("suffix", "fmt"), [(".html", "html"), (".htm", "html"),
                                             (".md", "md"), (".sarif", "sarif"),
                                             (".json", "json"), (".txt", "table")])
def test_the_output_extension_picks_the_format(report: dict[str, Any], saved: Path,
                                               tmp_path: Path, suffix: str, fmt: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """As `pia scan -o` does: `-o r.html` without --format is HTML, not a table."""
    target = tmp_path / f"out{suffix}"
    code, _out, _err = _run(["report", str(saved), "-o", str(target), "--lang", "en"], capsys)
    assert code == 0
    assert target.read_text(encoding="utf-8") == render(report, fmt, lang="en")


def test_an_output_that_would_replace_the_report_or_is_unknown_is_refused(
        saved: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = saved.read_bytes()
    code, out, err = _run(["report", str(saved), "-o", str(saved)], capsys)
    assert (code, out) == (2, "") and "is the report being read" in err
    assert saved.read_bytes() == before
    code, _out, err = _run(["report", str(saved), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 2 and "unknown extension .csv" in err
