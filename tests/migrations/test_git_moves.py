"""``--git-diff`` and git's renames (QA F5): a migration moved with no change to its content
is no change, and baseline entries follow a file git says was moved."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

LEGACY = ("CREATE TABLE member (\n  id INT PRIMARY KEY,\n  id_card VARCHAR(18),\n"
          "  mobile VARCHAR(11),\n  sfzh_md5 CHAR(32)\n);\n")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(pia_check, tmp_path: Path) -> Path:
    """The working directory as a repository: main holds a legacy migration with open
    findings and V2; the branch ``feature`` is checked out."""
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "V1__init.sql").write_text(LEGACY, "utf-8")
    (tmp_path / "db" / "V2__k.sql").write_text("CREATE TABLE k (x int);\n", "utf-8")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "base")
    _git(tmp_path, "checkout", "-q", "-b", "feature")
    return tmp_path


def _files(out: str) -> set[str]:
    return {line.split(":")[0] for line in out.splitlines()}


@pytest.mark.parametrize("committed", [True, False])
def test_a_file_moved_unchanged_is_no_change(pia_check, repo, committed) -> None:
    (repo / "db" / "archive").mkdir()
    _git(repo, "mv", "db/V1__init.sql", "db/archive/V1__init.sql")
    if committed:
        _git(repo, "commit", "-q", "-m", "archive")
    code, out, err = pia_check("--git-diff", "main", "db")
    assert (code, out) == (0, ""), err
    assert err.startswith("pia: 0 files checked")


def test_a_file_moved_in_from_elsewhere_is_new(pia_check, repo) -> None:
    (repo / "sql").mkdir()
    (repo / "sql" / "V3__m.sql").write_text(LEGACY, "utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "draft")
    _git(repo, "checkout", "-q", "main")
    _git(repo, "merge", "-q", "feature")
    _git(repo, "checkout", "-q", "-b", "next")
    _git(repo, "mv", "sql/V3__m.sql", "db/V3__m.sql")
    code, out, _ = pia_check("--git-diff", "main", "db")
    assert code == 1
    assert _files(out) == {"db/V3__m.sql"}


def test_a_file_moved_with_an_edit_keeps_its_accepted_findings(pia_check, repo) -> None:
    code, _, _ = pia_check("--baseline", "b.json", "--update-baseline", "db")
    assert code == 0
    _git(repo, "add", "b.json")
    _git(repo, "commit", "-q", "-m", "baseline")
    _git(repo, "mv", "db/V1__init.sql", "db/V1__members.sql")
    with (repo / "db" / "V1__members.sql").open("a", encoding="utf-8") as f:
        f.write("ALTER TABLE member ADD COLUMN passport VARCHAR(20);\n")
    code, out, err = pia_check("--git-diff", "main", "--baseline", "b.json", "db")
    assert code == 1
    assert [line.split(" ")[2] for line in out.splitlines()] == [
        "PIPL-28-SENSITIVE-PLAINTEXT"]
    assert "member.passport" in out and "member.id_card" not in out
    assert "3 baselined" in err or "baselined 3" in err, err


def test_update_baseline_writes_a_moved_files_entries_under_its_new_path(pia_check,
                                                                         repo) -> None:
    code, _, _ = pia_check("--baseline", "b.json", "--update-baseline", "db")
    before = json.loads((repo / "b.json").read_text("utf-8"))["results"]
    assert {e["file"] for e in before} == {"db/V1__init.sql"}
    (repo / "db" / "old").mkdir()
    _git(repo, "mv", "db/V1__init.sql", "db/old/V1__init.sql")
    code, _, _ = pia_check("--git-diff", "main", "--baseline", "b.json", "--update-baseline",
                           "db")
    assert code == 0
    after = json.loads((repo / "b.json").read_text("utf-8"))["results"]
    assert {e["file"] for e in after} == {"db/old/V1__init.sql"}
    assert sorted((e["rule_id"], e["target"]) for e in after) == sorted(
        (e["rule_id"], e["target"]) for e in before)
    code, out, err = pia_check("--baseline", "b.json", "db")  # a full run after the merge
    assert (code, out) == (0, ""), err
