"""``--exclude GLOB``: files left out of the run, as rollback scripts (``*.down.sql``) must
be. They are not checked, not counted, not in any output, and not read as the earlier
migrations of a file checked alone (QA: golang-migrate's down files failed CI for the columns
they restore, and a rollback's DROP TABLE read as a step made a copy pass unchecked)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
#: golang-migrate: the up file drops the ID number column, the down file restores it
GOLANG = {"db/000001_users.up.sql": "CREATE TABLE users (id int, mobile_enc bytea);\n",
          "db/000001_users.down.sql": "DROP TABLE users;\n",
          "db/000002_kyc.up.sql": "ALTER TABLE users DROP COLUMN id_card;\n",
          "db/000002_kyc.down.sql": "ALTER TABLE users ADD COLUMN id_card text;\n",
          "db/000003_gbk.down.sql": "-- \xd6\xd0\n"}


def _files(out: str) -> set[str]:
    return {line.split(":", 1)[0] for line in out.splitlines()}


def test_excluded_rollbacks_are_not_checked_counted_or_reported(pia_check, tmp_path) -> None:
    for name, text in GOLANG.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(text.encode("latin-1"))
    code, out, _err = pia_check("--lang", "en", "db")
    assert code == 2 and _files(out) == {"db/000002_kyc.down.sql"}  # the GBK one unread
    code, out, err = pia_check("--lang", "en", "--exclude", "*.down.sql", "db")
    assert (code, out) == (0, "")
    assert err == "pia: 2 files checked: 0 errors, 0 warnings, 0 suppressed, 0 baselined\n"
    code, out, _err = pia_check("-f", "json", "--exclude", "*.down.sql", "db")
    report = json.loads(out)
    assert (code, report["findings"], report["unreadable"]) == (0, [], [])
    code, out, _err = pia_check("-f", "sarif", "--exclude", "*.down.sql", "db")
    (run,) = json.loads(out)["runs"]
    assert run["results"] == [] and "down" not in out
    assert run["invocations"][0]["executionSuccessful"] is True


def test_an_excluded_file_is_not_read_as_an_earlier_migration(pia_check) -> None:
    """V2 is checked alone (pre-commit): V1 defines users, V1's rollback drops it. Read as a
    step, the rollback left the copy of users a copy of nothing: exit 0 on ID numbers."""
    files = {"db/V1__users.sql": "CREATE TABLE users (id int, id_card text);\n",
             "db/V1__users_rollback.sql": "DROP TABLE users;\n",
             "db/V2__bak.sql": "CREATE TABLE bak (LIKE users);\n"}
    code, out, _err = pia_check("--lang", "en", "db/V2__bak.sql", files=files)
    assert code == 0 and "PIA-SQL-PARSE bak copies the columns of users" in out
    excluded = pia_check("--lang", "en", "--exclude", "*_rollback.sql", "db/V2__bak.sql")
    assert excluded[0] == 1 and excluded[1].split(" holds")[0] == (
        f"db/V2__bak.sql:1:24: {S28} bak.id_card (a copy of users.id_card)")


def test_a_glob_with_a_slash_matches_the_path_and_a_named_file_is_left_out(pia_check) -> None:
    files = {"db/V1.sql": "CREATE TABLE a (id int);\n",
             "db/rollback/V1.sql": "CREATE TABLE a (sfzh varchar(18));\n",
             "db/rollback.sql": "CREATE TABLE b (sfzh varchar(18));\n"}
    code, out, err = pia_check("--exclude", "db/rollback/*", "db", files=files)
    assert code == 1 and _files(out) == {"db/rollback.sql"}
    assert err.startswith("pia: 2 files checked")
    code, out, err = pia_check("--exclude", "rollback*", "--exclude", "db/rollback/*",
                               "db/rollback.sql", "db/V1.sql", "db/rollback/V1.sql")
    assert (code, out) == (0, "") and err.startswith("pia: 1 file checked")


def test_a_directory_whose_every_file_is_excluded_is_an_error(pia_check) -> None:
    files = {"db/V1.down.sql": "DROP TABLE a;\n"}
    code, out, err = pia_check("--exclude", "*.down.sql", "db", files=files)
    assert (code, out) == (2, "")
    assert err == ("pia: error: db: every .sql file under this directory matches --exclude "
                   "(1 files)\n")
    code, _out, err = pia_check("--exclude", "", "db")
    assert code == 2 and "--exclude ''" in err


def test_git_diff_leaves_out_an_excluded_changed_file(pia_check, tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                       cwd=tmp_path, check=True, capture_output=True)

    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "V1.sql").write_text("CREATE TABLE a (id int);\n", "utf-8")
    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-q", "-m", "base")
    (tmp_path / "db" / "V2.up.sql").write_text("ALTER TABLE a ADD COLUMN x int;\n", "utf-8")
    (tmp_path / "db" / "V2.down.sql").write_text("ALTER TABLE a ADD sfzh text;\n", "utf-8")
    code, out, err = pia_check("--git-diff", "main", "--exclude", "*.down.sql", "db")
    assert (code, out) == (0, "") and err.startswith("pia: 1 file checked")


def test_help_tells_what_exclude_matches(pia_check) -> None:
    code, out, _err = pia_check("--help")
    assert code == 0 and "--exclude GLOB" in out and "'*.down.sql'" in out


def test_files_named_that_are_all_excluded_pass_with_a_warning(pia_check) -> None:
    """QA r2 D7: a job naming only rollbacks passed with only '0 files checked'. It says so
    now, and still passes: a hook names a commit's staged files, and a commit that stages
    only a rollback must not be blocked by the glob that leaves rollbacks out. Some of the
    files named excluded is said nothing of."""
    files = {"mig/002_add.down.sql": "ALTER TABLE a ADD sfzh text;\n",
             "mig/003_b.down.sql": "ALTER TABLE a ADD sfzh text;\n",
             "mig/002_add.sql": "ALTER TABLE a ADD x int;\n"}
    code, out, err = pia_check("--exclude", "*.down.sql", "mig/002_add.down.sql", files=files)
    assert (code, out) == (0, "")
    assert err.splitlines()[0] == ("pia: warning: mig/002_add.down.sql: every file named matches"
                                   " --exclude (1 files): nothing was checked")
    code, _out, err = pia_check("--exclude", "*.down.sql", "mig/002_add.down.sql",
                                "mig/003_b.down.sql")
    assert code == 0 and "(2 files): nothing was checked" in err
    code, out, err = pia_check("--exclude", "*.down.sql", "mig/002_add.down.sql",
                               "mig/002_add.sql")
    assert "every file named" not in err
    assert (code, out) == (0, "") and err.startswith("pia: 1 file checked")


ROLLBACK = {"mig/db/V1.sql": "CREATE TABLE a (id int);\n",
            "mig/db/rollback/r.sql": "ALTER TABLE a ADD bank_card text;\n"}


def test_a_glob_written_with_dot_slash_or_absolute_matches_the_reported_path(
        pia_check, tmp_path: Path) -> None:
    """QA r2 D7: './db/rollback/*' and "$PWD/db/rollback/*" matched nothing (paths are
    reported relative to the working directory) and the rollback failed CI."""
    pia_check("mig", files=ROLLBACK)
    for glob in ("./mig/db/rollback/*", ".//mig/db/rollback/*",
                 f"{tmp_path}/mig/db/rollback/*", f"{tmp_path.resolve()}/mig/db/rollback/*"):
        code, out, err = pia_check("--lang", "en", "--exclude", glob, "mig")
        assert (code, out) == (0, ""), glob
        assert err == "pia: 1 file checked: 0 errors, 0 warnings, 0 suppressed, 0 baselined\n"
    code, out, _err = pia_check("--exclude", f"{tmp_path}/mig/db/rollback/*",
                                f"{tmp_path}/mig")
    assert (code, out) == (0, "")


def test_a_glob_that_matches_no_file_is_warned_about(pia_check) -> None:
    """Run from the folder above, 'db/rollback/*' (the help's example) matches nothing:
    one warning line per such glob; none when only files are named (a hook's staged files
    hold no rollback on most commits)."""
    code, out, err = pia_check("--lang", "en", "--exclude", "db/rollback/*", "--exclude",
                               "*.undo.sql", "--exclude", "*/rollback/*", "mig", files=ROLLBACK)
    assert code == 0 and out == ""
    assert err.splitlines() == [
        "pia: warning: --exclude 'db/rollback/*' matched no file: a glob with / is matched "
        "against the paths as reported, relative to the working directory (such as "
        "mig/db/V1.sql)",
        "pia: warning: --exclude '*.undo.sql' matched no file name",
        "pia: 1 file checked: 0 errors, 0 warnings, 0 suppressed, 0 baselined"]
    code, _out, err = pia_check("--lang", "en", "--exclude", "*.undo.sql", "mig/db/V1.sql")
    assert code == 0 and "pia: warning" not in err
