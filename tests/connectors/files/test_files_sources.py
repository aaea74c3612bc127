"""Which URIs the connector takes, how sources are walked, and the retention facts."""

from __future__ import annotations

import gzip
import json
import os
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pia.connectors import connector_for
from pia.connectors.files import FilesConnector
from pia.connectors.files.timestamps import (
    HEAD,
    epoch_or_text,
    find_timestamp,
    find_timestamps,
    iso,
)

MTIME = datetime(2025, 1, 15, tzinfo=UTC)


@pytest.mark.parametrize(("uri", "accepted"), [
    ("/var/log", True),
    ("logs/*.log", True),
    ("file:///var/log/nginx", True),
    ("app.db", False),
    ("data/app.sqlite", False),
    ("x.SQLITE3", False),
    ("postgresql://u@h/db", False),
    ("s3://bucket/prefix", False),
])
def test_accepts(uri, accepted) -> None:
    assert FilesConnector().accepts(uri) is accepted


def test_registry_finds_the_files_connector() -> None:
    assert isinstance(connector_for("/var/log"), FilesConnector)


def _tree(root) -> None:
    (root / "app").mkdir()
    (root / "app/a.log").write_text("身份证 11010519491231002X\n")
    (root / "app/b.txt").write_text("手机 13812345678\n")
    (root / "app/skip.log").write_text("手机 13912345678\n")
    (root / "c.log").write_text("mail a@example.com\n")


def _paths(result) -> list[str]:
    return sorted({os.path.basename(i["location"]["path"]) for i in result.inventory})


@pytest.mark.parametrize(("source", "include", "exclude", "expected"), [
    ("{root}", [], [], ["a.log", "b.txt", "c.log", "skip.log"]),
    ("{root}", ["*.log"], [], ["a.log", "c.log", "skip.log"]),
    ("{root}", ["app/*"], ["*/skip.log"], ["a.log", "b.txt"]),
    ("{root}/app/*.log", [], [], ["a.log", "skip.log"]),
    ("file://{root}/app", [], ["skip*"], ["a.log", "b.txt"]),
    ("{root}/c.log", [], [], ["c.log"]),
])
def test_sources_and_globs(tmp_path, scan, source, include, exclude, expected) -> None:
    _tree(tmp_path)
    result = scan(source.format(root=tmp_path), include=include, exclude=exclude)
    assert _paths(result) == expected


def test_missing_source_is_a_source_error(tmp_path, scan) -> None:
    from pia.errors import SourceError

    with pytest.raises(SourceError):
        scan(tmp_path / "nope")


@pytest.mark.parametrize(("line", "expected"), [
    ("2024-10-10T13:55:36Z GET /", "2024-10-10T13:55:36Z"),
    ("2024-10-10T13:55:36.123+08:00 x", "2024-10-10T05:55:36Z"),
    ("2024-10-10 13:55:36,789 INFO x", "2024-10-10T05:55:36Z"),  # no zone: Beijing time
    ('1.2.3.4 - - [10/Oct/2024:13:55:36 +0800] "GET / HTTP/1.1" 200', "2024-10-10T05:55:36Z"),
    ("Oct 10 13:55:36 host sshd[1]: ok", "2024-10-10T05:55:36Z"),  # year before the mtime
    ("Jan  5 01:02:03 host cron: ok", "2025-01-04T17:02:03Z"),
    ("<34>Jan  5 01:02:03 host su: ok", "2025-01-04T17:02:03Z"),
    ("order 20241010135536 paid", None),
    ("2024-13-45 99:00:00 nonsense", None),
    ("no time here", None),
])
def test_timestamps_in_lines(line, expected) -> None:
    assert iso(find_timestamp(line, MTIME)) == expected


#: pieces of log-line heads: every timestamp form, digits that glue to them, padding that
#: pushes a timestamp (or its time-zone) across the searched head, and invalid dates
TIME_PIECES = ["2024-10-10T13:55:36Z", "2024-10-10 13:55:36,789", "2024-10-10T13:55:36.1+08:00",
               "[10/Oct/2024:13:55:36 +0800]", "[10/Foo/2024:13:55:36]", "Oct 10 13:55:36",
               "<34>Jan  5 01:02:03", "2024-13-45 99:00:00", "2024-10-10 13:55:61", "7", " ",
               "x" * 120, "x" * (HEAD - 20), ".1234567890", "订单", "\r"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(TIME_PIECES), max_size=5).map("".join), max_size=12))
def test_timestamps_of_many_lines_equal_one_line_at_a_time(lines) -> None:
    expected = [t for t in (find_timestamp(line, MTIME) for line in lines) if t is not None]
    assert find_timestamps(lines, MTIME) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (1728568536, "2024-10-10T13:55:36Z"),
    (1728568536123, "2024-10-10T13:55:36Z"),
    ("1728568536", "2024-10-10T13:55:36Z"),
    ("2024-10-10T13:55:36Z", "2024-10-10T13:55:36Z"),
    (True, None),
    (42, None),
])
def test_epochs_in_json_fields(value, expected) -> None:
    assert iso(epoch_or_text(value, MTIME)) == expected


def test_file_and_log_dir_facts(tmp_path, scan) -> None:
    logs = tmp_path / "var/log/app"
    logs.mkdir(parents=True)
    (logs / "app.log").write_text("2024-10-01 00:00:00 start\n2024-10-31 12:00:00 stop\n")
    (logs / "app.log.1.gz").write_bytes(gzip.compress(b"2024-04-01 00:00:00 old\n"))
    (logs / "events.json").write_text(json.dumps({"ts": 1727740800000, "msg": "x"}) + "\n")
    (tmp_path / "var/notes.txt").write_text("just a note\n")
    os.utime(logs / "app.log", (1730419200, 1730419200))
    result = scan(tmp_path)
    files = {os.path.basename(f["attributes"]["path"]): f["attributes"]
             for f in result.facts if f["kind"] == "file"}
    assert files["app.log"]["oldest"] == "2024-09-30T16:00:00Z"  # Beijing's midnight
    assert files["app.log"]["newest"] == "2024-10-31T04:00:00Z"
    assert files["app.log"]["mtime"] == "2024-11-01T00:00:00Z"
    assert [files[n]["is_log"] for n in ("app.log", "app.log.1.gz", "events.json",
                                          "notes.txt")] == [True, True, True, False]
    assert files["events.json"]["format"] == "jsonl"
    (log_dir,) = [f for f in result.facts if f["kind"] == "log_dir"]
    assert log_dir["location"] == {"path": str(logs)}
    assert log_dir["attributes"] == {
        "path": str(logs), "oldest": "2024-03-31T16:00:00Z", "newest": "2024-10-31T04:00:00Z",
        "span_days": 213.5, "files": 3,
    }


@pytest.mark.parametrize(("path", "lines", "timestamped", "fmt", "expected"), [
    ("/srv/app/app.log", 0, 0, "text", True),
    ("/srv/app/app.log.3", 0, 0, "text", True),
    ("/srv/app/app.log.2024-10-10.gz", 0, 0, "text", True),
    ("/var/log/nginx/access.gz", 0, 0, "text", True),
    ("/srv/app-logs/2024/x.bz2", 0, 0, "text", True),
    ("/srv/catalog/x.gz", 0, 0, "text", False),
    ("/srv/blog/post.txt", 10, 2, "text", False),
    ("/srv/app/out.txt", 10, 6, "text", True),
    # a CSV export with a created_at column is data, however many lines carry a time
    ("/srv/exports/users.csv", 20, 20, "csv", False),
    ("/srv/exports/users.csv.1", 20, 20, "csv", False),
    ("/srv/exports/users.tsv", 20, 20, "tsv", False),
    ("/srv/exports/dump.txt", 20, 20, "csv", False),  # sniffed as CSV
    # unless its name says log
    ("/srv/app/dump.log", 20, 20, "csv", True),
    ("/var/log/postgresql/postgresql-2026-11-29_000000.csv", 20, 20, "csv", True),
    ("/var/log/app/access.csv.1", 20, 20, "csv", True),
    ("/var/log/app/access.csv.gz", 20, 20, "csv", True),
    ("/var/log/app/users.csv", 20, 20, "csv", False),  # neither rotated nor dated
])
def test_is_log(path, lines, timestamped, fmt, expected) -> None:
    from pia.connectors.files.merge import is_log

    assert is_log(os.path.basename(path), path, lines, timestamped, fmt) is expected


def _users_export(path, gen, *, created_at: bool) -> list[str]:
    rows = [["id", "name", "sfzh", "password", *(["created_at"] if created_at else [])]]
    ids = [gen.resident_id() for _ in range(20)]
    rows += [[str(i), f"张三{i}", ids[i], f"Passw0rd{i}!",
              *([f"2026-11-{i + 1:02d} 10:00:{i:02d}"] if created_at else [])]
             for i in range(20)]
    path.write_text("".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    return ids


def test_a_csv_export_with_a_timestamp_column_is_data_not_a_log(tmp_path, scan,
                                                               pia_scan) -> None:
    """QA regress #4: a created_at column made a users export a log, so its plaintext IDs
    and passwords gave CSL-42 and a false CSL-21 log retention instead of PIPL-28 critical."""
    from files_gen import Gen

    export = tmp_path / "exports"
    export.mkdir()
    ids = _users_export(export / "users_export.csv", Gen(4), created_at=True)
    (file_fact,) = [f for f in scan(export).facts if f["kind"] == "file"]
    assert (file_fact["attributes"]["format"], file_fact["attributes"]["is_log"]) == ("csv",
                                                                                      False)
    code, rules, report = pia_scan(export, "--fail-on", "critical")
    assert (code, rules) == (1, {"PIPL-28-SENSITIVE-PLAINTEXT"})
    assert {(i["location"].get("field"), i["entity_type"]) for i in report["inventory"]} >= {
        ("password", "CREDENTIAL"), (None, "CN_RESIDENT_ID")}
    assert not any(value in json.dumps(report, ensure_ascii=False) for value in ids)


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4


def test_images_named_as_faces_or_id_cards_are_inventory_items(tmp_path, scan) -> None:
    """A directory of face photos and ID-card scans reported nothing (JPEGs are skipped as
    binary); their names say what they are, as object keys do in a bucket."""
    for rel in ("kyc/faces/u1.jpg", "kyc/人脸/u2.png", "kyc/idcard_front_u3.jpg",
                "kyc/logo.jpg"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(JPEG)
    result = scan(tmp_path / "kyc")
    found = {os.path.relpath(i["location"]["path"], tmp_path): (i["entity_type"], i["count"],
                                                                i["evidence"]["samples"])
             for i in result.inventory}
    assert found == {"kyc/faces/u1.jpg": ("BIOMETRIC", 1, []),
                     "kyc/人脸/u2.png": ("BIOMETRIC", 1, []),
                     "kyc/idcard_front_u3.jpg": ("CN_RESIDENT_ID", 1, [])}
    # an image named as PI is listed once, as what it is, not also as an unread binary
    # (as in a bucket); the logo is what it is: a JPEG not read
    assert [(os.path.relpath(s["location"]["path"], tmp_path), s["reason"])
            for s in result.skipped] == [("kyc/logo.jpg", "binary file (a JPEG image)")]
    formats = {os.path.relpath(f["location"]["path"], tmp_path): f["attributes"]["format"]
               for f in result.facts if f["kind"] == "file"}
    assert formats == {p: "image" for p in found}
    # the scanned folder's own name counts; the folders above it do not (the test's own
    # temporary folder is named after this test, "faces" and "id_cards" in it)
    inside = scan(tmp_path / "kyc" / "faces")
    assert [i["entity_type"] for i in inside.inventory] == ["BIOMETRIC"]
    assert "faces" in str(tmp_path) and not scan(tmp_path / "kyc" / "logo.jpg").inventory
