"""The small pure pieces: DSNs, quoting, globs, ranges, samples, labels, sketches, reasons."""

from __future__ import annotations

import datetime as dt
import ipaddress
import sqlite3
from pathlib import Path

import pytest

from pia.connectors.db.classify import distinct_estimate
from pia.connectors.db.dsn import parse, reason
from pia.connectors.db.facts import classification_label
from pia.connectors.db.model import selected
from pia.connectors.db.sampling import keep_row, sample_keys, split_range
from pia.connectors.db.stats import KMV_SIZE, as_date, as_text, looks_like_name
from pia.connectors.mysql import quote_ident as mysql_quote
from pia.connectors.sqlite import db_path
from pia.connectors.sqlite import quote_ident as sqlite_quote
from pia.masking import Fingerprinter


@pytest.mark.parametrize("uri, where, user, password, database", [
    ("postgresql://u:p%40ss@db.internal:6432/crm", "db.internal:6432/crm", "u", "p@ss", "crm"),
    ("postgres://db/crm", "db:5432/crm", None, None, "crm"),
    ("mysql://root@127.0.0.1/shop", "127.0.0.1:5432/shop", "root", None, "shop"),
])
def test_parse(uri: str, where: str, user: str | None, password: str | None,
               database: str) -> None:
    dsn = parse(uri, 5432)
    assert (dsn.where, dsn.user, dsn.password, dsn.database) == (where, user, password,
                                                                 database)
    assert "p@ss" not in dsn.where


@pytest.mark.parametrize("uri, path", [
    ("sqlite:///abs/path.db", "/abs/path.db"),
    ("sqlite:///abs/with%20space.sqlite3", "/abs/with space.sqlite3"),
    ("/plain/file.sqlite", "/plain/file.sqlite"),
])
def test_sqlite_paths(uri: str, path: str) -> None:
    assert str(db_path(uri)) == path


def test_sqlalchemy_four_slashes_name_an_absolute_path(sqlite_estate: Path) -> None:
    """``sqlite:////abs/path.db`` (SQLAlchemy's form) was read as ``//abs/path.db`` and
    refused: 'cannot open database file (invalid uri authority: abs)'."""
    from pia.connectors.sqlite import SqliteConnector

    uri = f"sqlite:///{sqlite_estate}"
    assert uri.startswith("sqlite:////") and db_path(uri) == sqlite_estate
    SqliteConnector().connect(uri).close()


@pytest.mark.parametrize("name", ['plain', 'with "quotes"', "back`tick", "semi; DROP TABLE x; --",
                                  "空格 和 中文", "new\nline"])
def test_identifiers_round_trip_through_sqlite(name: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE TABLE {sqlite_quote(name)} ({sqlite_quote(name)} TEXT)")
    assert conn.execute("SELECT name FROM sqlite_master").fetchone()[0] == name
    assert mysql_quote(name).count("`") % 2 == 0 and mysql_quote(name).startswith("`")


@pytest.mark.parametrize("table, include, exclude, expected", [
    (("public", "users"), [], [], True),
    (("public", "users"), ["public.*"], [], True),
    (("public", "users"), ["users"], [], True),
    (("public", "users"), ["crm.*"], [], False),
    (("public", "users"), [], ["*.users"], False),
    (("public", "users"), ["public.*"], ["public.u*"], False),
    # a bare glob is matched against the whole table name, dots and all
    (("public", 'Weird "Table" name.with dots'), ["Weird*"], [], True),
    (("public", 'Weird "Table" name.with dots'), [], ["Weird*"], False),
    (("public", 'Weird "Table" name.with dots'), ["with dots"], [], False),
])
def test_selected(table: tuple[str, str], include: list[str], exclude: list[str],
                  expected: bool) -> None:
    assert selected(*table, include, exclude) is expected


@pytest.mark.parametrize("lo, hi, rows, part", [(1, 1000, 1000, 300), (5, 5, 1, 10),
                                                (0, 99, 10_000, 1000), (1, 10**9, 50, 10)])
def test_split_range_covers_exactly(lo: int, hi: int, rows: int, part: int) -> None:
    ranges = split_range(lo, hi, rows, part)
    assert ranges[0][0] == lo and ranges[-1][1] == hi
    assert all(a[1] + 1 == b[0] for a, b in zip(ranges, ranges[1:], strict=False))


def test_sample_keys_reproducible_and_in_span() -> None:
    keys = sample_keys(7, "main.t", 1, 10_000, 10_000, 100)
    assert keys == sample_keys(7, "main.t", 1, 10_000, 10_000, 100)
    assert keys != sample_keys(8, "main.t", 1, 10_000, 10_000, 100)
    assert len(keys) == 100 and keys == sorted(keys) and keys[0] >= 1 and keys[-1] <= 10_000
    # sparse keys: more candidates, capped
    assert len(sample_keys(7, "t", 1, 10**9, 1000, 100)) == 2000
    assert sample_keys(7, "t", 1, 0, 0, 100) == []


def test_keep_row_fraction() -> None:
    kept = sum(keep_row(1, "t", (i, "x"), 0.1) for i in range(5000))
    assert 350 < kept < 650
    assert all(keep_row(1, "t", (i,), 1.0) for i in range(10))


@pytest.mark.parametrize("comment, label", [("身份证号 [class:L3]", "L3"), ("[CLASS:core]", "core"),
                                            ("no tag", None), (None, None)])
def test_classification_label(comment: str | None, label: str | None) -> None:
    assert classification_label(comment) == label


def test_distinct_estimate_is_exact_below_k_and_close_above() -> None:
    fp = Fingerprinter(b"x" * 32)
    small = sorted({fp("X", str(i)) for i in range(100)})
    assert distinct_estimate(small) == 100
    big = sorted(fp("X", str(i)) for i in range(20_000))[:KMV_SIZE]
    assert abs(distinct_estimate(big) - 20_000) < 0.2 * 20_000


@pytest.mark.parametrize("text, words", [
    ('connection to server at "h", port 1 failed: Connection refused',
     "cannot connect: connection refused"),
    ('password authentication failed for user "u"', "authentication failed"),
    ("(1045, \"Access denied for user 'u'@'h' (using password: YES)\")",
     "authentication failed"),
    ('database "x" does not exist', "database does not exist"),
    ("(1049, \"Unknown database 'x'\")", "database does not exist"),
    ("permission denied for table patients", "permission denied"),
    ("(1142, \"SELECT command denied to user 'u'@'h' for table 't'\")", "permission denied"),
    ("canceling statement due to statement timeout", "statement or connection timed out"),
    ("something odd happened with value 13812345678", "database error"),
    # a connection that was open and went away is not one that could not be made
    ("terminating connection due to administrator command", "connection lost during the scan"),
    ("server closed the connection unexpectedly\n\tThis probably means the server terminated"
     " abnormally", "connection lost during the scan"),
    ("(2013, 'Lost connection to MySQL server during query')", "connection lost during the scan"),
    ("(2006, 'MySQL server has gone away')", "connection lost during the scan"),
])
def test_reasons_never_quote_the_driver(text: str, words: str) -> None:
    assert reason(RuntimeError(text)) == words


@pytest.mark.parametrize("value, text", [(13812345678, "13812345678"), (True, None),
                                         (b"\xe5\xbc\xa0", "张"), (b"\xff\x00", "ff00"),
                                         (None, None), (1.5, "1.5"),
                                         (ipaddress.ip_address("10.1.2.3"), "10.1.2.3"),
                                         ({"tel": "13812345678"}, '{"tel": "13812345678"}'),
                                         (dt.date(2020, 1, 1), None), (dt.time(1, 2), None)])
def test_as_text(value: object, text: str | None) -> None:
    assert as_text(value) == text


def test_as_date_and_name_shape() -> None:
    assert as_date("2019-03-07 10:00:00").isoformat() == "2019-03-07"
    assert as_date("2019年3月7日").isoformat() == "2019-03-07"
    assert as_date("not a date") is None
    assert [looks_like_name(v) for v in ("王芳", "欧阳娜娜", "成都火锅底料", "Alice", "芳")] == [
        True, True, False, False, False]


def test_a_common_word_or_a_thing_is_not_name_shaped() -> None:
    from pia.connectors.db.stats import name_shaped

    assert [name_shaped(v) for v in ("王芳", "欧阳娜娜", "普通", "黄金", "红烧牛肉", "徐汇区")] == [
        True, True, False, False, False, False]


@pytest.mark.parametrize(("raw", "latin1", "cp1252"), [
    ("张三".encode("gbk"), "张三", "张三"),  # a GBK application's text
    ("张三".encode(), "张三", "张三"),
    ("café".encode("latin-1"), "café", "café"),
    # GB18030 reads these bytes as characters, but not as Chinese text: the code page wins
    (b"\xe9t\xe9", "été", "été"),
    ("naïve €".encode("cp1252"), "naïve \x80", "naïve €"),  # MySQL's latin1 is cp1252
    (b"", "", ""),
])
def test_legacy_bytes_read_alike_from_mysql_and_postgresql(raw: bytes, latin1: str,
                                                            cp1252: str) -> None:
    from pia.connectors.db.pg_types import legacy_text as sql_ascii
    from pia.connectors.mysql import legacy_text as mysql_latin1

    assert (sql_ascii(raw), mysql_latin1(raw)) == (latin1, cp1252)
    assert mysql_latin1(None) is None and mysql_latin1(7) == 7
