"""A changed migration's history is looked for in every location of the project: the folders
given and Flyway's configured ones, at any depth, in version order whatever the folder. Only
the folder beside the changed file was read, so a table another location defines was not
known, and nothing else is: no SQL outside those locations is read as history."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pia.migrations.files import run_order
from pia.migrations.locations import configured

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
USERS = "CREATE TABLE users (id bigint, id_card varchar(18));\n"
COPY = "CREATE TABLE users_bak LIKE users;\n"
COPIED = f"{S28} users_bak.id_card (a copy of users.id_card)"
MARKED = "CREATE TABLE users (id bigint, id_card varbinary(64) -- pia:encrypted\n);\n"
RENAME = "ALTER TABLE users RENAME COLUMN id_card TO sfzh;\n"
#: a copy of a table no file read defines says so (QA H6): it is not judged
UNRESOLVED = ("warning PIA-SQL-PARSE users_bak copies the columns of users, which no migration "
              "read defines, so the copied columns were not checked: check the migration that "
              "defines users too")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=repo, check=True, capture_output=True)


def _commit_then_change(repo: Path, base: dict[str, str], change: dict[str, str]) -> None:
    """A repository whose branch ``feature`` adds ``change`` to ``base`` on ``main``."""
    for files in (base, change):
        for name, text in files.items():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            (repo / name).write_text(text, "utf-8")
        if files is base:
            _git(repo, "init", "-q", "-b", "main")
        else:
            _git(repo, "checkout", "-q", "-b", "feature")
        _git(repo, "add", ".")
        _git(repo, "commit", "-q", "-m", "x")


def verdicts(out: str) -> list[str]:
    return [line.split(" holds")[0] for line in out.splitlines()]


def test_two_flyway_locations_given_run_as_one_sequence(pia_check) -> None:
    """db/a is checked before db/b, but db/b's V1 ran first: it defines what V2 copies."""
    code, out, _err = pia_check("db/a", "db/b", files={
        "db/a/V2__backup.sql": COPY, "db/b/V1__users.sql": USERS})
    assert code == 1
    assert f"db/a/V2__backup.sql:1:29: {COPIED}" in verdicts(out)


def test_git_diff_reads_the_unchanged_location(pia_check, tmp_path) -> None:
    _commit_then_change(tmp_path, {"db/b/V1__users.sql": USERS}, {"db/a/V2__backup.sql": COPY})
    code, out, _err = pia_check("--git-diff", "main", "db/a", "db/b")
    assert (code, verdicts(out)) == (1, [f"db/a/V2__backup.sql:1:29: {COPIED}"])


def test_django_apps_a_rename_keeps_another_apps_marker(pia_check, tmp_path) -> None:
    """apps/*/migrations, as the shell expands it: billing renames a column accounts made
    encrypted; the marker goes with it. Without accounts among the paths it is not known."""
    _commit_then_change(
        tmp_path, {"apps/accounts/migrations/0001_initial.sql": MARKED,
                   "apps/billing/migrations/0001_initial.sql": "CREATE TABLE bill (id int);\n"},
        {"apps/billing/migrations/0002_sfzh.sql": RENAME})
    code, out, _err = pia_check("--git-diff", "main", "apps/accounts/migrations",
                                "apps/billing/migrations")
    assert (code, out) == (0, "")
    code, out, _err = pia_check("--git-diff", "main", "apps/billing/migrations")
    assert code == 1 and "users.sfzh holds sensitive PI" in out


@pytest.mark.parametrize("conf", [
    ("flyway.conf", "# Flyway\nflyway.url=jdbc:postgresql://db/app\n"
                    "flyway.locations=filesystem:db/a, filesystem:db/b\n"),
    ("flyway.toml", '[flyway]\nlocations = ["filesystem:db/a", "filesystem:db/b"]\n'),
])
def test_a_file_named_alone_reads_flyways_configured_locations(pia_check, conf) -> None:
    """pre-commit names only the staged file; Flyway's configuration says where the rest
    is."""
    files = {"db/a/V2__backup.sql": COPY, "db/b/V1__users.sql": USERS}
    code, out, _err = pia_check("db/a/V2__backup.sql", files=files)
    # db/b is nowhere said to hold migrations
    assert (code, verdicts(out)) == (0, [f"db/a/V2__backup.sql:1:29: {UNRESOLVED}"])
    code, out, _err = pia_check("db/a/V2__backup.sql", files=dict([conf]))
    assert (code, verdicts(out)) == (1, [f"db/a/V2__backup.sql:1:29: {COPIED}"])


def test_classpath_locations_and_nested_folders(pia_check) -> None:
    """Flyway's default prefix is classpath:, which Maven lays out under src/main/resources;
    a location's subfolders are part of it."""
    root = "src/main/resources/db"
    files = {"flyway.conf": "flyway.locations=db/migration,classpath:db/vendor\n",
             f"{root}/vendor/postgres/V1__users.sql": USERS,
             f"{root}/migration/2024/V2__backup.sql": COPY}
    code, out, _err = pia_check(f"{root}/migration/2024/V2__backup.sql", files=files)
    assert (code, verdicts(out)) == (1, [f"{root}/migration/2024/V2__backup.sql:1:29: {COPIED}"])
    assert configured() == [f"{root}/migration", f"{root}/vendor"]


def test_rails_timestamps_in_one_folder(pia_check) -> None:
    files = {"db/migrate/20240101120000_create_users.sql": MARKED,
             "db/migrate/20240301090000_rename.sql": RENAME,
             "db/migrate/20240401090000_later.sql": USERS.replace("users", "later")}
    code, out, _err = pia_check("db/migrate/20240301090000_rename.sql", files=files)
    assert (code, out) == (0, "")


def test_nothing_outside_the_locations_nor_after_the_file_is_read(pia_check) -> None:
    """A dump elsewhere in the repository, and a later version in another location, both
    defining the table, are not its history."""
    files = {"db/a/V2__backup.sql": COPY, "db/b/V3__users.sql": USERS,
             "fixtures/V1__dump.sql": USERS, "db/b/V1__other.sql": "CREATE TABLE other (x int);\n"}
    code, out, _err = pia_check("db/a/V2__backup.sql", "db/b/V1__other.sql", files=files)
    assert (code, verdicts(out)) == (0, [f"db/a/V2__backup.sql:1:29: {UNRESOLVED}"])


def test_a_file_given_reads_beside_it_not_below(pia_check) -> None:
    files = {"V2__backup.sql": COPY, "fixtures/V1__dump.sql": USERS}
    code, out, _err = pia_check("V2__backup.sql", files=files)
    assert (code, verdicts(out)) == (0, [f"V2__backup.sql:1:29: {UNRESOLVED}"])
    code, out, _err = pia_check("V2__backup.sql", "fixtures/V1__dump.sql", files=files)
    assert f"V2__backup.sql:1:29: {COPIED}" in verdicts(out)


def test_run_order_is_by_version_whatever_the_folder() -> None:
    names = ["db/b/V10__c.sql", "db/a/V2__b.sql", "db/a/R__views.sql", "db/b/V1__a.sql",
             "apps/x/migrations/0002_b.sql", "apps/w/migrations/0002_b.sql"]
    assert sorted(names, key=run_order) == [
        "apps/w/migrations/0002_b.sql", "apps/x/migrations/0002_b.sql", "db/b/V1__a.sql",
        "db/a/V2__b.sql", "db/b/V10__c.sql", "db/a/R__views.sql"]
