"""`pia check-migrations` as CI runs it: exit codes, stdout and stderr checked separately."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import jsonschema
import pytest
import yaml

from pia.cli import main

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).parents[2]
RAW_ID = "11010519491231002X"  # the resident ID in pg_seed_literal.sql: must never be printed


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(["check-migrations", *args])
    out, err = capsys.readouterr()
    return done.value.code, out, err


def copy(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copy(CASES / name, target)
    return target


TEXT_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning) "
                       r"(?P<rule>[A-Z0-9.\-]+) (?P<message>.+)$")


def test_text_format(capsys, monkeypatch) -> None:
    monkeypatch.chdir(CASES)
    code, out, err = run(["pg_plain_sensitive.sql", "pg_general_warning.sql"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert [TEXT_LINE.match(line).group("file", "line", "col", "severity", "rule")
            for line in lines] == [
        ("pg_plain_sensitive.sql", "4", "5", "error", "PIPL-28-SENSITIVE-PLAINTEXT"),
        ("pg_plain_sensitive.sql", "5", "5", "warning", "PIPL-51-ENCRYPT-DEIDENT"),
        ("pg_general_warning.sql", "2", "16", "warning", "PIPL-51-ENCRYPT-DEIDENT"),
        ("pg_general_warning.sql", "3", "30", "warning", "PIPL-51-ENCRYPT-DEIDENT"),
    ]
    assert "public.customers.id_card" in lines[0] and "PIPL Art. 28" in lines[0]
    assert err == "pia: 2 files checked: 1 error, 3 warnings, 0 suppressed, 0 baselined\n"


def test_json_format_carries_status_and_fingerprints(capsys, monkeypatch) -> None:
    monkeypatch.chdir(CASES)
    monkeypatch.delenv("PIA_FINGERPRINT_KEY", raising=False)
    monkeypatch.delenv("PIA_FINGERPRINT_KEY_FILE", raising=False)
    code, out, _err = run(["--format", "json", "pg_ignore.sql", "pg_seed_literal.sql"], capsys)
    assert code == 1
    doc = json.loads(out)
    assert doc["summary"] == {"error": 1, "warning": 0, "suppressed": 1, "baselined": 0}
    by_status = {f["status"]: f for f in doc["findings"]}
    assert by_status["suppressed"]["reason"].startswith("archive column dropped")
    # without a key, the value by its place: no part of it, not even masked
    # kind is the entity type; the place a value is known by is apart (QA L6)
    assert (by_status["open"]["kind"], by_status["open"]["instance"]) == ("CN_RESIDENT_ID",
                                                                          "literal-1")
    assert all(":" not in f["kind"] for f in doc["findings"])
    assert "1101**********002X" in by_status["open"]["message"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", f["fingerprint"]) for f in doc["findings"])


def test_sarif_is_valid_sarif_2_1_0(capsys, monkeypatch) -> None:
    monkeypatch.chdir(CASES)
    code, out, _err = run(["--format", "sarif", "mysql_pinyin.sql", "pg_ignore.sql",
                           "mysql_alter_multi.sql", "parse_problem.sql"], capsys)
    assert code == 1
    doc = json.loads(out)
    schema = json.loads((ROOT / "pia/schemas/sarif-2.1.0.json").read_text("utf-8"))
    jsonschema.validate(doc, schema)
    run_ = doc["runs"][0]
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert rules == sorted(rules)
    for result in run_["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
    first = run_["results"][0]["locations"][0]["physicalLocation"]
    # relative to the repository's root, which code scanning resolves it against (this
    # checkout's, or the working directory when the tests run outside a repository)
    assert first["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    base = run_["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    where = urlparse(base + first["artifactLocation"]["uri"]).path
    assert Path(url2pathname(where)) == (CASES / "mysql_pinyin.sql").resolve()
    assert first["region"] == {"startLine": 3, "startColumn": 3}
    suppressed = [r for r in run_["results"] if r.get("suppressions")]
    assert [s["suppressions"][0]["kind"] for s in suppressed] == ["inSource"]


@pytest.mark.parametrize("explicit", [True, False])
def test_github_annotations(explicit: bool, capsys, monkeypatch) -> None:
    monkeypatch.chdir(CASES)
    if not explicit:
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _err = run([*(["--format", "github"] if explicit else []),
                           "pg_plain_sensitive.sql"], capsys)
    assert code == 1
    lines = out.splitlines()
    # the file from the repository's root, as GitHub places annotations (this checkout's
    # root, or the working directory when the tests run outside a repository)
    file = re.escape("pg_plain_sensitive.sql")
    assert re.match(f"::error file=(tests/migrations/cases/)?{file},line=4,col=5,"
                    "title=PIPL-28-SENSITIVE-PLAINTEXT::public.customers.id_card", lines[0])
    assert re.match(f"::warning file=(tests/migrations/cases/)?{file},line=5,col=5,", lines[1])


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1)])
def test_fail_on(fail_on: str, code: int, capsys, monkeypatch) -> None:
    monkeypatch.chdir(CASES)
    assert run(["--fail-on", fail_on, "pg_general_warning.sql"], capsys)[0] == code


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_no_raw_literal_in_any_output(fmt: str, capsys, monkeypatch) -> None:
    monkeypatch.chdir(CASES)
    code, out, err = run(["--format", fmt, "pg_seed_literal.sql"], capsys)
    assert code == 1
    assert "1101**********002X" in out
    assert RAW_ID not in out + err


def test_directory_argument_checks_every_sql_file(capsys, tmp_path, monkeypatch) -> None:
    """The command the README shows."""
    migrations = tmp_path / "db" / "migrations"
    (migrations / "v2").mkdir(parents=True)
    copy("pg_protected.sql", migrations)
    copy("sqlite_plain.sql", migrations / "v2")
    (migrations / "README.md").write_text("id_card\n", "utf-8")
    (migrations / "V9__kyc.SQL").write_text("CREATE TABLE kyc (id_card text);\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["db/migrations"], capsys)
    assert code == 1
    assert out.startswith("db/migrations/V9__kyc.SQL:1:19: error PIPL-28-SENSITIVE-PLAINTEXT")
    assert "db/migrations/v2/sqlite_plain.sql:3:5: error" in out
    assert err.startswith("pia: 3 files checked")


def test_baseline_accepts_and_survives_moved_lines(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    migration = copy("pg_plain_sensitive.sql", tmp_path)
    seed = copy("pg_seed_literal.sql", tmp_path)
    code, out, err = run(["--baseline", "b.json", "--update-baseline", migration.name,
                          seed.name], capsys)
    assert (code, out) == (0, "")
    assert err == "pia: baseline b.json: 3 accepted findings\n"
    text = (tmp_path / "b.json").read_text("utf-8")
    assert RAW_ID not in text and '"line"' not in text
    assert run(["--baseline", "b.json", migration.name, seed.name], capsys)[0] == 0
    # moving the statements down does not resurrect them...
    migration.write_text("-- moved\n\n\n" + migration.read_text("utf-8"), "utf-8")
    code, out, err = run(["--baseline", "b.json", migration.name, seed.name], capsys)
    assert (code, out) == (0, "")
    assert "3 baselined" in err
    # ...but a new PI column fails
    with migration.open("a", encoding="utf-8") as f:
        f.write("ALTER TABLE public.customers ADD COLUMN bank_card TEXT;\n")
    code, out, _err = run(["--baseline", "b.json", migration.name, seed.name], capsys)
    assert code == 1
    assert out.splitlines() == [line for line in out.splitlines() if "bank_card" in line]
    assert len(out.splitlines()) == 1


def test_update_baseline_keeps_entries_of_files_not_checked(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    copy("pg_plain_sensitive.sql", tmp_path)
    copy("sqlite_plain.sql", tmp_path)
    run(["--baseline", "b.json", "--update-baseline", "pg_plain_sensitive.sql",
         "sqlite_plain.sql"], capsys)
    run(["--baseline", "b.json", "--update-baseline", "sqlite_plain.sql"], capsys)
    files = {e["file"] for e in json.loads((tmp_path / "b.json").read_text("utf-8"))["results"]}
    assert files == {"pg_plain_sensitive.sql", "sqlite_plain.sql"}


def test_update_baseline_drops_entries_of_files_gone_from_the_paths_checked(
        capsys, tmp_path, monkeypatch) -> None:
    """A renamed migration's old entries go (a file later re-added under the old name must
    not be accepted); entries of files outside the paths checked stay."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "db").mkdir()
    (tmp_path / "other").mkdir()
    copy("pg_plain_sensitive.sql", tmp_path / "db")
    copy("sqlite_plain.sql", tmp_path / "other")
    run(["--baseline", "b.json", "--update-baseline", "db", "other"], capsys)
    (tmp_path / "other" / "sqlite_plain.sql").unlink()  # not under the paths checked below
    (tmp_path / "db" / "pg_plain_sensitive.sql").rename(tmp_path / "db" / "V1__b.sql")
    code, _out, err = run(["--baseline", "b.json", "--update-baseline", "db"], capsys)
    assert code == 0
    files = [e["file"] for e in json.loads((tmp_path / "b.json").read_text("utf-8"))["results"]]
    assert sorted(set(files)) == ["db/V1__b.sql", "other/sqlite_plain.sql"]
    assert err == f"pia: baseline b.json: {len(files)} accepted findings\n"


DECLARATION = """\
version: 1
assets:
  - id: crm
    source: postgresql://db.internal/crm
    pi_categories: [CN_RESIDENT_ID, CN_NAME]
    columns: [public.customers.full_name]
    protection:
      encrypted_columns: [customers.id_card]
"""


def test_declaration_protects_and_lists_columns(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(CASES)
    config = tmp_path / "pia.yaml"
    config.write_text(DECLARATION, "utf-8")
    code, out, _err = run(["--config", str(config), "pg_plain_sensitive.sql"], capsys)
    # id_card is declared encrypted; full_name is declared (no PIPL-6) but stored plain
    assert code == 0
    assert [line.split()[2] for line in out.splitlines()] == ["PIPL-51-ENCRYPT-DEIDENT"]
    assert "customers.full_name" in out
    code, out, _err = run(["--config", str(config), "pg_general_warning.sql"], capsys)
    assert code == 0
    assert [line.split()[2] for line in out.splitlines()] == [
        "PIPL-51-ENCRYPT-DEIDENT", "PIPL-6-MINIMISATION",
        "PIPL-51-ENCRYPT-DEIDENT", "PIPL-6-MINIMISATION"]


def test_the_declaration_in_the_working_directory_counts(capsys, tmp_path,
                                                          monkeypatch) -> None:
    """As pia scan does: ./pia.yaml is read when --config is not given."""
    copy("pg_plain_sensitive.sql", tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _err = run(["pg_plain_sensitive.sql"], capsys)
    assert code == 1  # no declaration: id_card is sensitive and plain
    (tmp_path / "pia.yaml").write_text(DECLARATION, "utf-8")
    code, out, _err = run(["pg_plain_sensitive.sql"], capsys)
    assert code == 0  # declared encrypted
    assert [line.split()[2] for line in out.splitlines()] == ["PIPL-51-ENCRYPT-DEIDENT"]


def test_bad_declaration_is_exit_2(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(CASES)
    config = tmp_path / "pia.yaml"
    config.write_text("version: 1\nassets: {}\n", "utf-8")
    code, out, err = run(["--config", str(config), "pg_plain_sensitive.sql"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("pia: error: ") and err.count("\n") == 1


def test_suppression_needs_a_reason(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.sql").write_text(
        "ALTER TABLE t ADD COLUMN id_card text; -- pia:ignore PIPL-28-SENSITIVE-PLAINTEXT\n"
        "ALTER TABLE t ADD COLUMN bank_card text; -- pia:ignore PIPL-28-SENSITIVE-PLAINTEXT "
        "legacy, SEC-7\n", "utf-8")
    code, out, err = run(["m.sql"], capsys)
    assert code == 1
    assert [line.split(":")[1] for line in out.splitlines()] == ["1"]
    assert "1 suppressed" in err
    # the author is told why the first one did not apply, and where
    assert err.splitlines()[0] == (
        "pia: warning: m.sql:1: a pia:ignore comment without a reason was not applied: "
        "a reason is required (-- pia:ignore RULE_ID reason)")
    assert err.count("pia:ignore") == 2


def test_a_suppression_without_a_reason_in_a_block_comment_is_reported(pia_check) -> None:
    sql = ("/* pia:ignore PIPL-28-SENSITIVE-PLAINTEXT */\nALTER TABLE t ADD COLUMN sfzh text;\n"
           "-- pia:ignore\nALTER TABLE t ADD COLUMN yhkh text;\n")
    code, out, err = pia_check("V.sql", files={"V.sql": sql})
    assert code == 1 and len(out.splitlines()) == 2
    assert [line.split()[2] for line in err.splitlines()[:2]] == ["V.sql:1:", "V.sql:3:"]


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "xml", "pg_protected.sql"], "--format must be one of"),
    (["--dialect", "oracle", "pg_protected.sql"], "--dialect must be one of"),
    (["--fail-on", "info", "pg_protected.sql"], "--fail-on must be one of"),
    (["--update-baseline", "pg_protected.sql"], "--update-baseline needs --baseline"),
    ([], "give at least one migration"),
    (["missing.sql"], "missing.sql: no such file or directory"),
])
def test_usage_errors_exit_2(args: list[str], message: str, capsys, monkeypatch) -> None:
    monkeypatch.chdir(CASES)
    code, out, err = run(args, capsys)
    assert (code, out) == (2, "")
    assert err.startswith("pia: error: ") and message in err


def test_binary_file_among_others_reports_the_rest_then_exits_2(capsys, monkeypatch) -> None:
    monkeypatch.chdir(CASES)
    code, out, err = run(["sqlite_plain.sql", "binary.sql"], capsys)
    assert code == 2
    assert out.startswith("sqlite_plain.sql:3:5: error")
    assert err.splitlines()[-1] == "pia: error: binary.sql: not a SQL file (binary content)"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=repo, check=True, capture_output=True)


def _db_repo(tmp_path: Path) -> Path:
    """A repository whose main branch holds db/V0.sql."""
    repo = tmp_path / "repo"
    (repo / "db").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    (repo / "db" / "V0.sql").write_text("CREATE TABLE k (x int);\n", "utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    return repo


def test_git_diff_checks_only_added_or_changed_files(capsys, tmp_path, monkeypatch) -> None:
    repo = tmp_path / "repo"
    (repo / "migrations").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    copy("pg_plain_sensitive.sql", repo / "migrations")  # old, already merged
    copy("pg_protected.sql", repo / "migrations")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    _git(repo, "checkout", "-q", "-b", "feature")
    copy("sqlite_plain.sql", repo / "migrations")  # added and committed on the branch
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "feature")
    with (repo / "migrations" / "pg_protected.sql").open("a", encoding="utf-8") as f:
        f.write("ALTER TABLE accounts ADD COLUMN email TEXT;\n")  # modified, not committed
    copy("mysql_pinyin.sql", repo / "migrations")  # untracked
    (repo / "notes.sql").write_text("CREATE TABLE x (id_card text);\n", "utf-8")  # not in PATH
    monkeypatch.chdir(repo)
    code, out, err = run(["--git-diff", "main", "migrations"], capsys)
    assert code == 1
    files = sorted({line.split(":")[0] for line in out.splitlines()})
    assert files == ["migrations/mysql_pinyin.sql", "migrations/pg_protected.sql",
                     "migrations/sqlite_plain.sql"]
    assert err.startswith("pia: 3 files checked")
    code, out, err = run(["--git-diff", "no-such-branch", "migrations"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("pia: error: --git-diff")


def test_git_diff_still_fails_a_directory_without_migrations(capsys, tmp_path,
                                                            monkeypatch) -> None:
    """A CI job pointed at the wrong directory (one with no .sql at all) must not pass having
    checked nothing; a directory of migrations none of which changed passes."""
    repo = _db_repo(tmp_path)
    (repo / "app").mkdir()
    (repo / "app" / "main.py").write_text("print(1)\n", "utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "app")
    _git(repo, "checkout", "-q", "-b", "feature")
    (repo / "db" / "V2.sql").write_text("ALTER TABLE u ADD COLUMN id_card varchar(18);\n",
                                        "utf-8")
    monkeypatch.chdir(repo)
    for args in (["app"], ["--git-diff", "main", "app"], ["--git-diff", "main", "db", "app"]):
        code, out, err = run(args, capsys)
        assert (code, out) == (2, ""), args
        assert err.strip().splitlines()[-1] == "pia: error: app: no .sql files under this directory"
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "v2")
    code, out, err = run(["--git-diff", "HEAD", "db"], capsys)
    assert (code, out) == (0, "")
    assert err.startswith("pia: 0 files checked")


def test_git_diff_finds_files_with_chinese_names_and_upper_case_extensions(
        capsys, tmp_path, monkeypatch) -> None:
    """git quotes a non-ASCII path unless asked for NUL-separated output."""
    repo = _db_repo(tmp_path)
    _git(repo, "checkout", "-q", "-b", "feature")
    (repo / "db" / "V5__中文 迁移.sql").write_text(
        'ALTER TABLE a ADD COLUMN "身份证" text;\n', "utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "feature")
    (repo / "db" / "V6__新表.SQL").write_text("CREATE TABLE b (sfzh text);\n", "utf-8")
    monkeypatch.chdir(repo)
    code, out, err = run(["--git-diff", "main", "db"], capsys)
    assert code == 1
    assert sorted(line.split(":")[0] for line in out.splitlines()) == [
        "db/V5__中文 迁移.sql", "db/V6__新表.SQL"]
    assert err.startswith("pia: 2 files checked")


def test_git_diff_names_files_as_given_wherever_it_runs(capsys, tmp_path, monkeypatch) -> None:
    """From a subdirectory, files are named through the path given (``../db/V1.sql``), as
    without --git-diff, and SARIF URIs are relative to the repository's root; from outside
    the repository, the repository is the one the path is in."""
    repo = _db_repo(tmp_path)
    (repo / "sub").mkdir()
    _git(repo, "checkout", "-q", "-b", "feature")
    (repo / "db" / "V1.sql").write_text("ALTER TABLE a ADD COLUMN id_card text;\n", "utf-8")
    monkeypatch.chdir(repo / "sub")
    for args in (["../db"], ["--git-diff", "main", "../db"]):
        code, out, _err = run([*args, "-f", "sarif"], capsys)
        assert code == 1
        uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in json.loads(out)["runs"][0]["results"]]
        assert uris == ["db/V1.sql"]
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    code, out, err = run(["--git-diff", "main", str(repo / "db")], capsys)
    assert code == 1, err
    assert out.startswith(f"{(repo / 'db' / 'V1.sql').as_posix()}:1:26: error ")


def test_console_script_and_pre_commit_hook(tmp_path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    hook = next(h for h in hooks if h["id"] == "pia-check-migrations")
    assert hook["entry"] == "pia check-migrations" and hook["language"] == "python"
    assert re.search(hook["files"], "db/migrations/001_init.sql")
    assert not re.search(hook["files"], "db/migrations/README.md")
    done = subprocess.run([sys.executable, "-m", "pia", "check-migrations", "pg_rename.sql"],
                          cwd=CASES, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 1
    assert done.stdout.startswith("pg_rename.sql:2:48: error PIPL-28-SENSITIVE-PLAINTEXT ")
    # no locale: Chinese, as pia scan chooses
    assert done.stderr.startswith("pia：已检查 1 个文件：错误 1 个，")


def test_large_seed_file_beyond_sqlparse_grouping_limits(capsys, tmp_path, monkeypatch) -> None:
    rows = [f"({i}, 'user{i}', '2024-01-01')" for i in range(3000)]
    rows[1700] = "(1700, '11010519491231002X', '2024-01-01')"
    (tmp_path / "seed.sql").write_text(
        "INSERT INTO t (id, note, day) VALUES\n" + ",\n".join(rows) + ";\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _err = run(["seed.sql"], capsys)
    assert code == 1
    assert out.startswith("seed.sql:1702:8: error PIPL-28-SENSITIVE-PLAINTEXT t.note: ")
    assert len(out.splitlines()) == 1


def test_file_names_that_are_not_utf8(capsys, tmp_path, monkeypatch) -> None:
    """A name with a byte that is not UTF-8 is shown with the byte escaped, never a traceback."""
    repo = _db_repo(tmp_path)
    name = os.fsdecode(b"V7__latin\xe9.sql")
    (repo / "db" / name).write_text("ALTER TABLE users ADD COLUMN huzhao TEXT;\n", "utf-8")
    monkeypatch.chdir(repo)
    for args in (["db"], ["--git-diff", "main", "db"]):
        code, out, err = run(args, capsys)
        assert code == 1
        assert out.startswith("db/V7__latin\\xe9.sql:1:30: error PIPL-28-SENSITIVE-PLAINTEXT ")
        assert err.startswith("pia: 1 file checked: 1 error,") or args == ["db"]
    code, _out, err = run(["db", "--baseline", "b.json", "--update-baseline"], capsys)
    assert code == 0
    assert '"file": "db/V7__latin\\\\xe9.sql"' in (repo / "b.json").read_text("utf-8")
    code, _out, err = run(["db", "--baseline", "b.json"], capsys)
    assert code == 0 and "1 baselined" in err
    (repo / "db" / os.fsdecode(b"V8__\xff.sql")).write_bytes(b"\xff\xfe\x00")
    code, _out, err = run(["db"], capsys)
    assert code == 2
    assert "db/V8__\\xff.sql: not a SQL file" in err
    (repo / "db" / "V8__\udcff.sql").unlink()
    # a GBK name: every byte of it escaped, not only those that are not UTF-8 (\xcd\xbb is)
    (repo / "db" / os.fsdecode("V9__客户.sql".encode("gbk"))).write_text(
        "ALTER TABLE users ADD COLUMN huzhao TEXT;\n", "utf-8")
    code, out, _err = run(["db"], capsys)
    assert code == 1
    assert "db/V9__\\xbf\\xcd\\xbb\\xa7.sql:1:30: error " in out


def test_each_unreadable_statement_has_its_own_fingerprint(capsys, tmp_path,
                                                           monkeypatch) -> None:
    """An accepted parse warning does not hide a new one; moving it keeps it accepted."""
    monkeypatch.chdir(tmp_path)
    migration = tmp_path / "V1.sql"
    migration.write_text("CREAT TABLE a (id int);\n", "utf-8")
    assert run(["V1.sql", "--baseline", "b.json", "--update-baseline"], capsys)[0] == 0
    migration.write_text("\nCREAT TABLE a (id int);\nCREAT TABLE b (id int);\n", "utf-8")
    code, out, err = run(["V1.sql", "--baseline", "b.json", "--fail-on", "warning"], capsys)
    assert code == 1
    assert [line.split(" statement")[0] for line in out.splitlines()] == [
        "V1.sql:3:1: warning PIA-SQL-PARSE"]
    assert err.endswith("1 warning, 0 suppressed, 1 baselined\n")


def test_a_parse_warning_fingerprint_gives_back_no_literal(capsys, tmp_path,
                                                           monkeypatch) -> None:
    """The fingerprint of an unreadable statement is a hash of its line without the values
    in it: two lines that differ only in a seeded mobile number share it, and a baseline
    (committed to the repository) holds nothing to brute-force."""
    monkeypatch.chdir(tmp_path)
    kinds = []
    for mobile in ("13812345678", "13987654321"):
        (tmp_path / "V1.sql").write_text(
            f"INSERT INTO members (lxdh, note) VALUES ('{mobile}', 'O'Brien');\n", "utf-8")
        assert mobile not in run(["V1.sql", "--format", "json"], capsys)[1]
        assert run(["V1.sql", "--baseline", "b.json", "--update-baseline"], capsys)[0] == 0
        baseline = (tmp_path / "b.json").read_text("utf-8")
        assert mobile not in baseline
        kinds += [r["kind"] for r in json.loads(baseline)["results"]
                  if r["kind"].startswith("parse:")]
    assert kinds and kinds[0] == kinds[-1]


def test_a_gbk_migration_is_refused_with_how_to_convert_it(tmp_path, capsys,
                                                            monkeypatch) -> None:
    """Legacy Chinese repositories hold GBK migrations: still refused (a guessed encoding
    could hide a comment), but the error says how to convert the file (QA)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "V1__gbk.sql").write_bytes(
        "CREATE TABLE t (xm varchar(20) COMMENT '姓名');\n".encode("gbk"))
    (tmp_path / "V2__latin1.sql").write_bytes("-- caf\xe9\nSELECT 1;\n".encode("latin-1"))
    code, out, err = run(["V1__gbk.sql"], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        "pia: error: V1__gbk.sql: not a SQL file in UTF-8 (invalid byte at offset 40); it reads"
        " as GBK: convert it with iconv -f GB18030 -t UTF-8")
    code, _out, err = run(["V2__latin1.sql"], capsys)
    assert code == 2 and "GBK" not in err
