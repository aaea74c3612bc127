"""QA D6: ``--format markdown`` and ``--format terminal`` (the names of the report modules)
are the formats md and table, wherever ``--format`` takes those; and an output named twice
(``-o cn.json -o ./cn.json``, or a report and a bundle in one file) is refused before the
scan, with one line naming the path, where the file was written twice without a word. Real
``pia`` runs, in-process, on a small SQLite database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_scan_inputs import here, pia  # noqa: F401 (a fixture)

MOBILES = [f"1381234{i:04d}" for i in range(40)]


@pytest.fixture
def cn_db(here: Path) -> Path:  # noqa: F811 (the fixture imported above)
    """cn.db: a table of names and mobiles, and cn.json, its scan's report."""
    conn = sqlite3.connect(here / "cn.db")
    conn.execute("CREATE TABLE users(xm text, shouji text)")
    conn.executemany("INSERT INTO users VALUES (?, ?)", [("张伟", m) for m in MOBILES])
    conn.commit()
    conn.close()
    return here / "cn.db"


@pytest.fixture
def cn_json(cn_db: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, _, err = pia(capsys, "scan", "cn.db", "-q", "-o", "cn.json")
    assert code == 0, err
    return cn_db.parent / "cn.json"


def _one_usage_line(code: int, out: str, err: str) -> str:
    assert (code, out) == (2, ""), err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


# --- markdown and terminal -------------------------------------------------------------------

@pytest.mark.parametrize(("alias", "canonical"), [("markdown", "md"), ("terminal", "table")])
def test_report_takes_the_module_names_of_md_and_table(capsys, cn_json: Path, alias: str,
                                                       canonical: str) -> None:
    code, out, err = pia(capsys, "report", "cn.json", "--format", alias, "--lang", "en")
    assert (code, err) == (0, "")
    assert out == pia(capsys, "report", "cn.json", "--format", canonical, "--lang", "en")[1]


def test_markdown_with_an_md_file_is_no_mismatch(capsys, cn_json: Path) -> None:
    code, _, err = pia(capsys, "report", "cn.json", "--format", "markdown", "-o", "a.md", "-q")
    assert (code, err) == (0, "")
    assert pia(capsys, "report", "cn.json", "--format", "terminal", "-o", "a.txt", "-q")[0] == 0
    assert pia(capsys, "report", "cn.json", "-o", "b.md", "-q")[0] == 0
    assert Path("a.md").read_bytes() == Path("b.md").read_bytes()
    err = _one_usage_line(*pia(capsys, "report", "cn.json", "--format", "markdown",
                               "-o", "c.html"))
    assert "--format markdown does not match c.html (html)" in err  # named as it was given
    assert not Path("c.html").exists()


def test_scan_takes_them_too(capsys, cn_db: Path) -> None:
    code, out, err = pia(capsys, "scan", "cn.db", "--format", "markdown", "--lang", "en")
    assert code == 0, err
    assert out.startswith("# Personal information compliance audit report")
    code, _, err = pia(capsys, "scan", "cn.db", "-q", "--format", "markdown", "-o", "s.md",
                       "-o", "s2.md")
    assert code == 0, err
    assert Path("s.md").read_text(encoding="utf-8").startswith("# ")
    code, _, err = pia(capsys, "scan", "cn.db", "-q", "--format", "terminal", "-o", "s.txt")
    assert code == 0, err


def test_the_text_commands_take_terminal_for_their_table(capsys) -> None:
    """rulesets list and detect (whose plain rendering is text or table) take it too."""
    listed = pia(capsys, "rulesets", "list", "--format", "terminal")
    assert listed[0] == 0 and listed[1] == pia(capsys, "rulesets", "list", "--format",
                                               "text")[1]


@pytest.mark.parametrize(("command", "said"), [
    (["scan"], "table (the default; or text, txt, terminal), json, html, md (or markdown)"),
    (["report"], "One of: json, html, md, sarif, table (markdown: md; text, txt or terminal:"
                 " table)"),
    (["bundle", "show"], "table (or text, txt, terminal) or html"),
])
def test_help_names_the_aliases(capsys, command: list[str], said: str) -> None:
    code, out, _ = pia(capsys, *command, "--help")
    assert code == 0 and said in " ".join(out.split())


# --- one output, named twice -----------------------------------------------------------------

@pytest.mark.parametrize(("outputs", "said"), [
    (["-o", "cn.json", "-o", "cn.json"], "-o cn.json is given twice"),
    (["-o", "cn.json", "-o", "./cn.json"], "-o cn.json and -o ./cn.json name the same file"),
    (["-o", "-", "-o", "-"], "-o - is given twice: it would be printed twice"),
    (["-o", "a.html", "-o", "cn.json", "-o", "sub/../cn.json"],
     "-o cn.json and -o sub/../cn.json name the same file"),
])
def test_scan_refuses_an_output_named_twice(capsys, cn_db: Path, outputs: list[str],
                                            said: str) -> None:
    Path("sub").mkdir()
    err = _one_usage_line(*pia(capsys, "scan", "cn.db", "-q", *outputs))
    assert err.startswith(f"pia: error: {said}"), err
    assert not Path("cn.json").exists() and not Path("a.html").exists()  # before the scan


def test_scan_refuses_a_report_and_a_bundle_in_one_file(capsys, cn_db: Path) -> None:
    code, _, err = pia(capsys, "keygen", "k.key")
    assert code == 0, err
    err = _one_usage_line(*pia(capsys, "scan", "cn.db", "-q", "-o", "out.zip.json",
                               "--bundle", "./out.zip.json", "--key", "k.key"))
    assert "-o out.zip.json and --bundle ./out.zip.json name the same file" in err


def test_report_refuses_an_output_named_twice(capsys, cn_json: Path) -> None:
    Path("r.md").write_text("kept\n", encoding="utf-8")
    Path("link.md").symlink_to("r.md")
    for second in ("r.md", "./r.md", str(Path("r.md").resolve()), "link.md"):
        err = _one_usage_line(*pia(capsys, "report", "cn.json", "-o", "r.md", "-o", second))
        assert "-o r.md " in err and "give it once" in err, err
    assert Path("r.md").read_text(encoding="utf-8") == "kept\n"
    assert pia(capsys, "report", "cn.json", "-q", "-o", "r.md", "-o", "r.html")[0] == 0
