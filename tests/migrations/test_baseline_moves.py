"""A baseline follows a migration moved or renamed in a full check too, not only where
``--git-diff`` saw git's rename (QA: the pull request passed, the full check of main then
failed on the same migrations), and says which of its entries matched nothing."""

from __future__ import annotations

import os
from pathlib import Path

LEGACY = ("CREATE TABLE member (\n  id INT PRIMARY KEY,\n  id_card VARCHAR(18),\n"
          "  mobile VARCHAR(11),\n  sfzh_md5 CHAR(32)\n);\n"
          "INSERT INTO member (id, mobile) VALUES (1, '13912345678');\n")


def test_a_full_check_accepts_what_the_baseline_accepted_of_a_moved_migration(
        pia_check, tmp_path: Path) -> None:
    files = {"db/migration/V1__users.sql": "CREATE TABLE users (id int, sfzh varchar(18));\n",
             "db/migration/V3__mysql_profile.sql": LEGACY}
    code, _out, err = pia_check("db", "--baseline", "b.json", "--update-baseline",
                                files=files)
    assert code == 0, err
    os.rename(tmp_path / "db" / "migration", tmp_path / "db" / "migrations_pg")
    os.rename(tmp_path / "db" / "migrations_pg" / "V3__mysql_profile.sql",
              tmp_path / "db" / "migrations_pg" / "V3__customer.sql")
    code, out, err = pia_check("db", "--baseline", "b.json")
    assert (code, out) == (0, ""), err
    assert "0 errors, 0 warnings, 0 suppressed, 5 baselined" in err
    assert "pia: warning" not in err
    # an accepted column defined again in a new migration, its own still there, is new
    code, out, err = pia_check("db", "--baseline", "b.json", files={
        "db/migrations_pg/V4__again.sql": "CREATE TABLE users (id int, sfzh varchar(18));\n"})
    assert code == 1
    assert out.startswith("db/migrations_pg/V4__again.sql:1:29: error "
                          "PIPL-28-SENSITIVE-PLAINTEXT users.sfzh")


def test_baseline_entries_that_match_nothing_are_said(pia_check, tmp_path: Path) -> None:
    files = {"db/V1__users.sql": "CREATE TABLE users (id int, sfzh varchar(18));\n",
             "db/V2__kyc.sql": "CREATE TABLE kyc (id int, id_card varchar(18));\n"}
    pia_check("db", "--baseline", "b.json", "--update-baseline", files=files)
    (tmp_path / "db" / "V2__kyc.sql").unlink()
    code, _out, err = pia_check("db", "--baseline", "b.json", files={
        "db/V1__users.sql": "CREATE TABLE users (id int, sfzh_enc varchar(64));\n"})
    assert code == 0
    assert ("pia: warning: baseline b.json: 2 entries matched no finding (1 of them name "
            "files that no longer exist)") in err
