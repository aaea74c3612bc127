"""A run's findings counted as they come (``grouped``) print what holding every value's
finding and listing them printed: the counts of each group, its first value's place, its
last line, and a baseline's verdict on each of many rows. The held way (``check_files``,
``baseline.apply``, ``render.listed``, ``render.summary``) is what they are compared with."""

from __future__ import annotations

import os

import pytest
from stdnum.iso7064 import mod_11_2

from pia.migrations import baseline as baselines
from pia.migrations import check_each, check_files
from pia.migrations.check import check_text
from pia.migrations.grouped import Grouped
from pia.migrations.render import chunks, listed, summary

HEAD = "INSERT INTO members (id, xm, sfzh, mobile) VALUES "
CREATE = "CREATE TABLE members (id bigint, xm text, sfzh varchar(18), mobile varchar(11));\n"


def _id(n: int) -> str:
    body = f"1101011990{n % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
    return body + mod_11_2.calc_check_digit(body)


def _row(n: int) -> str:
    return f"({n}, '王秀英', '{_id(n)}', '1381234{n:04d}')"


def _seed(rows: int, ignore_every: int = 0) -> str:
    """One row a line after the table (line 2 on): a name, an ID number, a mobile; with
    ``ignore_every``, a ``pia:ignore`` of the mobiles' rule before every so many rows."""
    out = [CREATE]
    for n in range(rows):
        if ignore_every and n % ignore_every == 1:
            out.append("-- pia:ignore PIPL-51-ENCRYPT-DEIDENT test fixture\n")
        out.append(f"{HEAD}{_row(n)};\n")
    return "".join(out)


def _held(files: list[str], accepted=None, moves=None):
    findings, errors = check_files(files)
    used = baselines.apply(findings, accepted, moves) if accepted is not None else set()
    return findings, errors, used


def _grouped(files: list[str], accepted=None, moves=None, tally=False):
    grouped = Grouped(accepted, moves, tally=tally)
    errors = check_each(files, grouped.add)
    used = grouped.finish()
    return grouped, errors, used


def _same(files: list[str], accepted_path=None, moves=None) -> Grouped:
    """The grouped run prints, counts and accepts what the held one does, in every format."""
    load = (lambda: baselines.load(accepted_path)) if accepted_path else (lambda: None)
    findings, errors, used = _held(files, load(), moves)
    grouped, grouped_errors, grouped_used = _grouped(files, load(), moves)
    listing = grouped.listing()
    assert errors == grouped_errors and used == grouped_used
    assert summary(listing) == summary(findings)
    assert [f.as_dict() for f in listing] == [f.as_dict() for f in listed(findings)]
    for fmt in ("text", "json", "sarif", "github"):
        assert "".join(chunks(listing, fmt, "en")) == "".join(chunks(findings, fmt, "en"))
    return grouped


@pytest.fixture
def seed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for key in ("PIA_FINGERPRINT_KEY", "PIA_FINGERPRINT_KEY_FILE"):
        monkeypatch.delenv(key, raising=False)
    return tmp_path


def _values(listing, column: str, status: str = "open"):
    return [f for f in listing if f.column == column and f.key in ("literal", "literal_at")
            and f.status == status]


def test_a_column_of_many_rows_is_one_listing_counting_each(seed) -> None:
    (seed / "V1.sql").write_text(_seed(300), "utf-8")
    grouped = _same(["V1.sql"])
    listing = grouped.listing()
    for column, rule in (("sfzh", "PIPL-28-SENSITIVE-PLAINTEXT"),
                         ("mobile", "PIPL-51-ENCRYPT-DEIDENT")):
        (first,) = [f for f in _values(listing, column) if f.rule_id == rule]
        assert (first.line, first.more, first.last_line) == (2, 299, 301)
        assert first.col == len(HEAD) + (len("(0, '王秀英', ") if column == "sfzh" else
                                         len(f"(0, '王秀英', '{_id(0)}', ")) + 1
        assert first.kind.endswith(":literal-1")
    assert grouped.counts["error"] >= 300 and grouped.counts["warning"] >= 300
    assert grouped.failing("error")


def test_suppressed_rows_are_a_group_of_their_own(seed) -> None:
    (seed / "V1.sql").write_text(_seed(300, ignore_every=10), "utf-8")
    grouped = _same(["V1.sql"])
    (suppressed,) = _values(grouped.listing(), "mobile", "suppressed")
    (still,) = _values(grouped.listing(), "mobile")
    assert suppressed.more + 1 == 30
    assert grouped.counts["suppressed"] == 60  # the mobiles and the names: one rule
    assert still.more + 1 == 270
    assert suppressed.line == 4  # the row after the first comment (line 3)
    assert still.line == 2


def test_a_baseline_of_many_rows_accepts_each_and_no_more(seed) -> None:
    (seed / "V1.sql").write_text(_seed(400), "utf-8")
    findings, _ = check_files(["V1.sql"])
    baselines.update("b.json", findings, ["V1.sql"], baselines.load("b.json"))
    # rows added at the end: the first 400 of each column are accepted, the rest are new
    (seed / "V1.sql").write_text(_seed(450), "utf-8")
    grouped = _same(["V1.sql"], "b.json")
    (accepted,) = _values(grouped.listing(), "mobile", "baselined")
    (new,) = _values(grouped.listing(), "mobile")
    assert (accepted.line, accepted.more, accepted.last_line) == (2, 399, 401)
    assert (new.line, new.more, new.last_line) == (402, 49, 451)
    assert new.kind.endswith(":literal-401")


def test_a_keyed_baseline_counts_a_repeated_value(seed, monkeypatch) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 40)
    same = f"{HEAD}(1, '王秀英', NULL, '13812340001');\n"
    (seed / "V1.sql").write_text(CREATE + same * 5, "utf-8")
    findings, _ = check_files(["V1.sql"])
    baselines.update("b.json", findings, ["V1.sql"], baselines.load("b.json"))
    (seed / "V1.sql").write_text(CREATE + same * 8, "utf-8")
    grouped = _same(["V1.sql"], "b.json")
    (accepted,) = _values(grouped.listing(), "mobile", "baselined")
    (new,) = _values(grouped.listing(), "mobile")
    assert (accepted.more, new.line, new.more) == (4, 7, 2)


def test_a_renamed_file_is_matched_by_identity_at_the_end(seed) -> None:
    """Entries of a file that is gone match by identity only after every finding had its
    own entry's chance: the values they may accept wait, the rest are counted at once."""
    (seed / "V1.sql").write_text(_seed(120), "utf-8")
    findings, _ = check_files(["V1.sql"])
    baselines.update("b.json", findings, ["V1.sql"], baselines.load("b.json"))
    (seed / "V1.sql").write_text(_seed(150), "utf-8")
    os.rename("V1.sql", "V2.sql")
    grouped = _same(["V2.sql"], "b.json")
    (accepted,) = _values(grouped.listing(), "mobile", "baselined")
    (new,) = _values(grouped.listing(), "mobile")
    assert (accepted.more, new.line, new.more) == (119, 122, 29)


def test_a_moved_file_keeps_its_entries_before_the_gone_files(seed) -> None:
    (seed / "V1.sql").write_text(_seed(50), "utf-8")
    findings, _ = check_files(["V1.sql"])
    baselines.update("b.json", findings, ["V1.sql"], baselines.load("b.json"))
    os.rename("V1.sql", "V3.sql")
    (seed / "V2.sql").write_text(_seed(60), "utf-8")  # checked first, same identities
    grouped = _same(["V2.sql", "V3.sql"], "b.json", moves={"V3.sql": "V1.sql"})
    assert grouped.counts["baselined"] >= 100


def test_update_baseline_counts_what_the_held_findings_count(seed, monkeypatch) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 40)
    text = _seed(200) + f"{HEAD}{_row(3)}, {_row(3)};\n"  # one value twice on a line
    (seed / "V1.sql").write_text(text, "utf-8")
    findings, _ = check_files(["V1.sql"])
    grouped, _, _ = _grouped(["V1.sql"], tally=True)
    assert grouped.tally.entries == baselines.Tally(findings).entries
    baselines.update("held.json", findings, ["V1.sql"], baselines.load("held.json"))
    baselines.update("grouped.json", grouped.tally, ["V1.sql"], baselines.load("x.json"))
    assert (seed / "held.json").read_text("utf-8") == (seed / "grouped.json").read_text("utf-8")
    def counts(column: str) -> list[int]:
        return sorted(e["count"] for e in grouped.tally.entries.values()
                      if e["target"] == f"members.{column}" and ":" in e["kind"])

    # a value twice on a line is said once there: row 3's mobile on its line and the last,
    # the one name of every row on each of the 201 lines
    assert counts("mobile") == [1] * 199 + [2] and counts("xm") == [201]


def test_findings_come_in_file_order_when_literals_do_not(seed) -> None:
    """A COPY block's values are read after the INSERTs' and come first in the file: they
    are given first and numbered first all the same."""
    copy = "COPY members (id, xm, sfzh, mobile) FROM stdin;\n" + "".join(
        f"{n}\t王秀英\t{_id(n)}\t1381234{n:04d}\n" for n in range(40)) + "\\.\n"
    text = CREATE + copy + "".join(f"{HEAD}{_row(n)};\n" for n in range(40, 80))
    findings = check_text("V1.sql", text, "postgres")
    places = [(f.line, f.col, f.rule_id) for f in findings]
    assert places == sorted(places)
    mobiles = [f for f in findings if f.column == "mobile" and ":literal-" in f.kind]
    assert [f.kind.rpartition("-")[2] for f in mobiles] == [str(n) for n in range(1, 81)]
    assert [f.line for f in mobiles] == sorted(f.line for f in mobiles)
    assert mobiles[0].line == 3 and mobiles[40].line == 44
