"""Where dialects lex differently: backslashes in strings, nested comments (PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pia.cli import main

BACKSLASH_PATH = ("INSERT INTO settings (k, v) VALUES ('path', 'C:\\');\n"
                  "CREATE TABLE kyc (id_card text);\n"
                  "INSERT INTO settings (k, v) VALUES ('x', 'y');\n")


def check(tmp_path: Path, name: str, sql: str, dialect: str,
          capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
          ) -> tuple[int, list[str]]:
    """Exit code and the open findings as ``file:line:col: severity rule target``."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / name).write_text(sql, "utf-8")
    with pytest.raises(SystemExit) as done:
        main(["check-migrations", "--dialect", dialect, name])
    out, _err = capsys.readouterr()
    return done.value.code, [line.split(" holds ")[0] for line in out.splitlines()]


CLI_CASES = [
    # MySQL: \' escapes the quote, so the string runs on: one unreadable statement, named at
    # its start, the unexpected quote where it is
    (BACKSLASH_PATH, "mysql", 0, [
        "q.sql:1:1: warning PIA-SQL-PARSE cannot parse the statement at line 1 (unexpected "
        "\"'\" at 3:44); it was not checked"]),
]


@pytest.mark.parametrize(("sql", "dialect", "code", "expected"), CLI_CASES)
def test_dialect_lexing(sql: str, dialect: str, code: int, expected: list[str], tmp_path,
                        capsys, monkeypatch) -> None:
    assert check(tmp_path, "q.sql", sql, dialect, capsys, monkeypatch) == (code, expected)
