"""Where reports go: `pia report` refuses a format its file's extension contradicts, and
`pia scan -o` into a directory that does not exist fails before it scans (exit 2, one line);
the `pia demo` headline uses the separators of its language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_scan_inputs import here, pia  # noqa: F401 (a fixture)

from pia.demo import DemoResult, summary_lines
from pia.report import dumps, finalize, new_report


@pytest.mark.usefixtures("here")
def test_a_format_the_extension_contradicts_is_a_usage_error(capsys) -> None:
    report = finalize(new_report(["ok.log"], {}, started="2026-01-01T00:00:00Z"))
    Path("r.json").write_text(dumps(report), encoding="utf-8")
    code, out, err = pia(capsys, "report", "r.json", "--format", "md", "-o", "x.html")
    assert (code, out) == (2, "")
    assert "--format md does not match x.html (html)" in err and len(err.splitlines()) == 1
    assert not Path("x.html").exists()
    assert pia(capsys, "report", "r.json", "--format", "md", "-o", "x.md")[0] == 0
    assert pia(capsys, "report", "r.json", "-o", "x.html", "-q")[0] == 0


@pytest.mark.usefixtures("here")
def test_txt_is_the_text_format_as_the_o_extension_says(capsys) -> None:
    """`pia report --format txt` was refused (`choose one of json, html, md, sarif, table`)
    although `-o x.txt` writes that format and `scan --format text` takes it."""
    report = finalize(new_report(["ok.log"], {}, started="2026-01-01T00:00:00Z"))
    Path("r.json").write_text(dumps(report), encoding="utf-8")
    code, out, err = pia(capsys, "report", "r.json", "--format", "txt", "--lang", "en")
    table = pia(capsys, "report", "r.json", "--format", "table", "--lang", "en")
    assert (code, err) == (0, "") and out == table[1]
    assert pia(capsys, "report", "r.json", "--format", "txt", "-o", "x.txt", "-q")[0] == 0
    assert pia(capsys, "report", "r.json", "--format", "table", "-o", "y.txt", "-q")[0] == 0
    assert Path("x.txt").read_bytes() == Path("y.txt").read_bytes() != b""
    code, out, err = pia(capsys, "rulesets", "list", "--format", "txt")
    assert code == 0 and "cn-pipl" in out
    code, _out, err = pia(capsys, "report", "r.json", "--format", "txt", "-o", "x.md")
    assert code == 2 and "--format txt does not match x.md (md)" in err  # as the user wrote it


@pytest.mark.usefixtures("here")
def test_scan_into_a_missing_directory_fails_before_scanning(capsys, monkeypatch) -> None:
    from pia import scan as scan_module

    def never(*_: Any, **__: Any) -> None:
        raise AssertionError("the scan ran")

    monkeypatch.setattr(scan_module, "run_scan", never)
    code, out, err = pia(capsys, "scan", "ok.log", "-o", "missing_dir/r.json")
    assert (code, out) == (2, "")
    assert err.strip().endswith("report path missing_dir/r.json: directory missing_dir does"
                                " not exist")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("lang", "counts"), [("zh", "（严重 1，高 18，中 24）"),
                                               ("en", "(critical 1, high 18, medium 24)")])
def test_demo_headline_separators(tmp_path: Path, lang: str, counts: str) -> None:
    result = DemoResult(tmp_path, outputs={k: tmp_path / k for k in ("json", "html", "bundle",
                                                                       "key")})
    result.report = {"summary": {"inventory_items": 22, "findings": 43, "by_severity": {
        "critical": 1, "high": 18, "medium": 24, "low": 0, "info": 0}}, "findings": []}
    assert any(line.endswith(counts) for line in summary_lines(result, lang)), \
        json.dumps(summary_lines(result, lang), ensure_ascii=False)


@pytest.mark.usefixtures("here")
def test_each_o_gets_its_own_file_as_in_pia_scan(capsys) -> None:
    """QA: `pia report r.json -o a.sarif -o b.txt` wrote b.txt alone and said nothing."""
    report = finalize(new_report(["ok.log"], {}, started="2026-01-01T00:00:00Z"))
    Path("r.json").write_text(dumps(report), encoding="utf-8")
    code, out, _err = pia(capsys, "report", "r.json", "-o", "a.sarif", "-o", "b.txt", "-q")
    assert (code, out) == (0, "")
    assert json.loads(Path("a.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert Path("b.txt").read_text(encoding="utf-8").strip()
    code, _out, err = pia(capsys, "report", "r.json", "--format", "md", "-o", "c.md",
                          "-o", "d.html")
    assert code == 2 and "--format md does not match d.html (html)" in err
    assert not Path("c.md").exists()  # refused before anything is written
