"""Earlier migrations the run does not check are read only for the tables a checked file
copies, and then only their statements about those tables (``pia.migrations.history``)."""

from __future__ import annotations

import pytest

import pia.migrations.check as check
from pia.detection.engine import DetectionEngine
from pia.migrations.history import ddl

S28 = "error PIPL-28-SENSITIVE-PLAINTEXT"
SEED = ("CREATE TABLE users (id int, id_card varchar(18), mobile varchar(11));\n"
        + "".join(f"INSERT INTO users (id, id_card, mobile) VALUES ({i}, '11010519491231002X',"
                  f" '1381234{i:04d}');\n" for i in range(200)))


@pytest.fixture
def parsed_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the checker parses, and a detection engine that must not run on them."""
    texts: list[str] = []
    statements = check.iter_statements

    def spy(text: str, dialect: str, **options: bool):
        texts.append(text)
        return statements(text, dialect, **options)

    monkeypatch.setattr(check, "iter_statements", spy)
    return texts


def test_a_file_that_copies_nothing_reads_no_earlier_file(pia_check, parsed_texts) -> None:
    """Pre-commit names one staged file: a 10 MB seed migration beside it was parsed in full
    (193 s for a one-line ALTER), although the file copied no table."""
    code, out, _err = pia_check("db/V2.sql", files={
        "db/V1.sql": SEED, "db/V2.sql": "ALTER TABLE x ADD COLUMN note text;\n"})
    assert (code, out) == (0, "")
    assert parsed_texts == ["ALTER TABLE x ADD COLUMN note text;\n"]


def test_a_copy_reads_only_the_ddl_of_the_table_it_copies(pia_check, parsed_texts,
                                                          monkeypatch) -> None:
    analysed: list[str] = []
    analyze = DetectionEngine.analyze
    monkeypatch.setattr(DetectionEngine, "analyze",
                        lambda self, text: analysed.append(text) or analyze(self, text))
    files = {"db/V1.sql": SEED + "CREATE TABLE other (phone text);\n"
                                 "COMMENT ON COLUMN users.mobile IS '[pia:encrypted]';\n",
             "db/V2.sql": "CREATE TABLE users_bak LIKE users;\n"}
    code, out, _err = pia_check("db/V2.sql", files=files)
    assert code == 1
    assert [line.split(" holds")[0] for line in out.splitlines()] == [
        f"db/V2.sql:1:29: {S28} users_bak.id_card (a copy of users.id_card)"]
    earlier = [t for t in parsed_texts if "users_bak" not in t]
    assert len(earlier) == 1
    assert "INSERT" not in earlier[0] and "other" not in earlier[0]
    assert not any("11010519491231002X" in t for t in analysed)


def test_a_copy_of_a_copy_in_earlier_files(pia_check) -> None:
    files = {"db/V1.sql": "CREATE TABLE users (id int, bank_card varchar(19));\n",
             "db/V2.sql": "CREATE TABLE users_old AS SELECT * FROM users;\n",
             "db/V3.sql": "CREATE TABLE users_old2 (LIKE users_old);\n"}
    _code, out, _err = pia_check("db/V3.sql", files=files)
    assert [line.split(" holds")[0] for line in out.splitlines()] == [
        f"db/V3.sql:1:31: {S28} users_old2.bank_card (a copy of users_old.bank_card)"]


def test_a_later_checked_file_and_an_unchecked_earlier_one(pia_check) -> None:
    """V1 is not checked, V2 and V3 are: V2's ALTER does not hide V1's columns from V3."""
    files = {"db/V1.sql": "CREATE TABLE users (id int, id_card text);\n",
             "db/V2.sql": "ALTER TABLE users ADD COLUMN nickname text;\n",
             "db/V3.sql": "CREATE TABLE users_bak LIKE users;\n"}
    _code, out, _err = pia_check("db/V2.sql", "db/V3.sql", files=files)
    assert [line.split(" holds")[0] for line in out.splitlines()
            if "users_bak" in line] == [
        f"db/V3.sql:1:29: {S28} users_bak.id_card (a copy of users.id_card)"]


def test_ddl_skips_strings_comments_copy_data_and_routines() -> None:
    text = ("INSERT INTO notes VALUES ('x; CREATE TABLE fake (id_card text);');\n"
            "-- CREATE TABLE fake2 (a int);\n"
            "/* ; */ CREATE TABLE real1 (a int); -- after\n"
            "COPY people (a) FROM stdin;\nCREATE TABLE fake3 (b int);\n\\.\n"
            "DO $$ BEGIN ALTER TABLE real2 ADD COLUMN c text; END $$;\n"
            "ALTER TABLE ONLY public.\"Real3\" ADD COLUMN d text;\n"
            "COMMENT ON COLUMN app.real4.e IS 'a;b';\n"
            "SELECT * INTO real5 FROM real1;\n")
    assert [t for t, _s in ddl(text, "postgres")] == [
        "real1", "*do*", "real3", "real4", "real5"]
    mysql = ("INSERT INTO n VALUES ('it\\'s; CREATE TABLE fake (a int);');\n"
             "DELIMITER //\nCREATE PROCEDURE p() BEGIN CREATE TABLE fake2 (a int); END//\n"
             "DELIMITER ;\n#; comment\nCREATE TABLE `real1` (a int) COMMENT 'x;y';\n")
    assert [t for t, _s in ddl(mysql, "mysql")] == ["real1"]
    assert ddl("CREATE TABLE a (b text DEFAULT 'never closed;\n", "postgres").__next__()[0] == "a"
