"""A saved report is parsed as ``bundle verify`` parses a bundled one, by ``pia report`` and
``pia bundle create`` alike (QA findings 1 and 6): NaN, a duplicate key or nesting past
verify's 64 levels is one error line naming the file, exit 2; it was a RecursionError
traceback (exit 1), or a NaN report rendered and signed that verify then refused."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from bundle_helpers import run_cli


def _deep_value(text: str) -> str:
    """The report with one value nested 70 levels: parsed without recursion trouble, and
    deeper than verify allows."""
    return text.replace('"complete": true', '"complete": true, "x": ' + "[" * 70 + "]" * 70, 1)


EDITS = {
    "deep-array": lambda text: "[" * 100_000 + "]" * 100_000,
    "deep-object": lambda text: '{"a":' * 3000 + "1" + "}" * 3000,
    "deep-value": _deep_value,
    "nan": lambda text: re.sub(r'"score": [0-9.]+', '"score": NaN', text, count=1),
    "infinity": lambda text: re.sub(r'"score": [0-9.]+', '"score": Infinity', text, count=1),
    "duplicate-key": lambda text: text.replace("{", '{\n  "schema": "x",', 1),
}
WORDS = {"deep-array": "nests deeper than 64 levels", "deep-object": "nests deeper than 64",
         "deep-value": "nests deeper than 64 levels", "nan": "NaN is not JSON",
         "infinity": "Infinity is not JSON", "duplicate-key": "duplicate key 'schema'"}
COMMANDS = {
    "report": ["report", "{}", "-f", "json"],
    "report-html": ["report", "{}", "-f", "html", "-o", "out.html"],
    "bundle-create": ["bundle", "create", "{}", "--key", "signer.key", "--config", "pia.yaml",
                      "-o", "out.zip"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("edit", EDITS)
def test_a_report_verify_would_refuse_is_refused_in_one_line(work, capsys, edit, command):
    text = Path("report.json").read_text(encoding="utf-8")
    edited = EDITS[edit](text)
    assert edited != text
    Path("edited.json").write_text(edited, encoding="utf-8")
    argv = [part.replace("{}", "edited.json") for part in COMMANDS[command]]
    code, out, err = run_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert err.startswith("pia: error: report edited.json") and err.count("\n") == 1
    assert WORDS[edit] in err
    assert not Path("out.zip").exists() and not Path("out.html").exists()


def test_a_deep_report_on_stdin_is_one_line_too(work, capsys, monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(("[" * 100_000 + "]" * 100_000).encode()))
    monkeypatch.setattr("sys.stdin", stdin)
    code, out, err = run_cli(["report", "-", "-f", "json"], capsys)
    assert (code, out) == (2, "")
    assert err == "pia: error: report - nests deeper than 64 levels\n"


def test_the_untouched_report_still_renders_and_bundles(work, capsys):
    """The stricter parser refuses nothing pia writes (BOM included)."""
    text = Path("report.json").read_text(encoding="utf-8")
    Path("bom.json").write_text("\ufeff" + text, encoding="utf-8")
    code, out, err = run_cli(["report", "bom.json", "-f", "json"], capsys)
    assert (code, err) == (0, "") and out == text
    code, _, err = run_cli(["bundle", "create", "bom.json", "--key", "signer.key",
                            "--config", "pia.yaml", "-o", "out.zip"], capsys)
    assert code == 0 and Path("out.zip").read_bytes() == Path("bundle.zip").read_bytes()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_report_of_a_later_schema_says_a_newer_pia_made_it(work, capsys, command):
    """It said ``schema: does not satisfy const "pia-report/1"`` (QA 7)."""
    text = Path("report.json").read_text(encoding="utf-8")
    Path("edited.json").write_text(text.replace('"pia-report/1"', '"pia-report/2"', 1), "utf-8")
    argv = [part.replace("{}", "edited.json") for part in COMMANDS[command]]
    code, out, err = run_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert err == ("pia: error: report edited.json is pia-report/2, made by a newer pia: this"
                   " pia reads pia-report/1; upgrade pia to read it\n")
