"""Bombs are refused, odd files are skipped with a reason, and the scan always goes on."""

from __future__ import annotations

import gzip
import io
import logging
import os
import tarfile
import zipfile
from collections import Counter

import pytest
from files_gen import Gen, counts

from pia.connectors.base import ScanOptions, scan_serial
from pia.connectors.files import READ_FAILURES, FilesConnector, scan_stream
from pia.connectors.files.connector import _read_error


def _good_log(path, gen: Gen, truth: Counter) -> None:
    path.write_text("\n".join(gen.log(30, 2, truth)) + "\n")


def _reasons(result) -> dict[tuple[str, str | None], str]:
    return {(s["location"]["path"].rsplit("/", 1)[-1], s["location"].get("member")): s["reason"]
            for s in result.skipped}


def test_zip_bomb_member_is_refused_with_a_warning(tmp_path, scan, caplog) -> None:
    gen, truth = Gen(2), Counter()
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.log", b"0" * (20 << 20))  # ratio ≈ 1000
        zf.writestr("ok.log", "\n".join(gen.log(20, 2, truth)))
    with caplog.at_level(logging.WARNING):
        result = scan(tmp_path)
    reasons = _reasons(result)
    assert "possible zip bomb" in reasons[("bomb.zip", "zeros.log")]
    assert counts(result) == Counter({("bomb.zip", "ok.log", k): v for k, v in truth.items()})
    assert any("zip bomb" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(("extra", "expected"), [
    ({"archive_max_members": 2}, "3 members > limit 2"),
    ({"archive_max_member_bytes": 100}, "member refused"),
])
def test_zip_member_count_and_size_limits(tmp_path, scan, extra, expected) -> None:
    with zipfile.ZipFile(tmp_path / "many.zip", "w") as zf:
        for i in range(3):
            zf.writestr(f"m{i}.log", "x" * 200)
    reasons = " ".join(_reasons(scan(tmp_path, extra=extra)).values())
    assert expected in reasons


def test_gzip_bomb_is_cut_at_its_budget(tmp_path, ctx) -> None:
    """A stream whose header cannot be trusted is followed only up to its ratio budget."""
    blob = gzip.compress(b"A" * (8 << 20), compresslevel=9)
    options = ScanOptions(extra={"archive_max_ratio": 2, "archive_max_member_bytes": 1 << 20})
    out = scan_stream(io.BytesIO(blob), "x.gz", {"bucket": "b", "key": "x.gz"}, ctx, options)
    assert any("possible decompression bomb" in s["reason"] for s in out["skipped"])


def test_tar_member_limits_and_links(tmp_path, scan) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        data = b"2024-10-10 10:00:00 hello\n" * 100
        info = tarfile.TarInfo("big.log")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("link.log")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tf.addfile(link)
    (tmp_path / "t.tar.gz").write_bytes(buf.getvalue())
    reasons = _reasons(scan(tmp_path, extra={"archive_max_member_bytes": 1000}))
    assert reasons[("t.tar.gz", "big.log")].startswith("member refused")
    assert reasons[("t.tar.gz", "link.log")] == "link or special member not followed"


def test_corrupt_gzip_keeps_what_was_read(tmp_path, scan) -> None:
    gen, truth = Gen(4), Counter()
    blob = gzip.compress(("\n".join(gen.log(200, 2, truth)) + "\n").encode())
    (tmp_path / "cut.log.gz").write_bytes(blob[: len(blob) - 40])
    result = scan(tmp_path)
    assert "corrupt gzip stream" in _reasons(result)[("cut.log.gz", None)]
    assert 0 < sum(counts(result).values()) <= sum(truth.values())


def test_fifo_and_symlink_out_of_the_tree_are_skipped(tmp_path, scan) -> None:
    gen, truth = Gen(5), Counter()
    tree = tmp_path / "tree"
    tree.mkdir()
    _good_log(tree / "a.log", gen, truth)
    os.mkfifo(tree / "pipe")
    outside = tmp_path / "secret.log"
    _good_log(outside, gen, Counter())
    (tree / "escape.log").symlink_to(outside)
    (tree / "escape_dir").symlink_to(tmp_path)
    (tree / "inside.log").symlink_to(tree / "a.log")
    (tree / "gone.log").symlink_to(tree / "deleted.log")
    (tree / "loop.log").symlink_to(tree / "loop.log")
    result = scan(tree)
    assert _reasons(result) == {
        ("pipe", None): "special file (FIFO)",
        ("escape.log", None): "symlink points outside the scanned tree",
        ("escape_dir", None): "symlink points outside the scanned tree",
        ("gone.log", None): "symlink is dangling or loops",
        ("loop.log", None): "symlink is dangling or loops",
    }
    assert counts(result) == Counter({("a.log", None, k): v for k, v in truth.items()})


def test_file_vanishing_between_plan_and_scan(tmp_path, ctx) -> None:
    gen = Gen(6)
    for name in ("a.log", "b.log"):
        _good_log(tmp_path / name, gen, Counter())
    connector, options = FilesConnector(), ScanOptions()
    plan = connector.plan(str(tmp_path), options, ctx)
    (tmp_path / "a.log").unlink()
    partials = {p.key: connector.scan_partition(p, options, ctx) for p in plan.partitions}
    result = connector.merge(plan, partials, options, ctx)
    assert _reasons(result) == {("a.log", None): "file vanished"}
    assert {i["location"]["path"].rsplit("/", 1)[-1] for i in result.inventory} == {"b.log"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_skipped(tmp_path, scan) -> None:
    _good_log(tmp_path / "a.log", Gen(7), Counter())
    (tmp_path / "a.log").chmod(0)
    assert _reasons(scan(tmp_path)) == {("a.log", None): "permission denied"}


def test_directory_that_cannot_be_listed_is_skipped(tmp_path, ctx, monkeypatch) -> None:
    """Honest for root too: a directory entry removed while the walk is under way."""
    sub = tmp_path / "sub"
    sub.mkdir()
    gone = sub / "gone"
    gone.mkdir()
    real_walk = os.walk

    def walk_removing(top, **kwargs):
        for step in real_walk(top, **kwargs):
            if step[0] == str(sub):
                gone.rmdir()
            yield step

    monkeypatch.setattr(os, "walk", walk_removing)
    result = scan_serial(FilesConnector(), str(tmp_path), ScanOptions(), ctx)
    assert any("cannot list directory" in s["reason"] for s in result.skipped)


def test_every_reason_for_a_file_not_read_is_a_read_failure(tmp_path, scan) -> None:
    """``READ_FAILURES`` is what ``pia.scan`` tells an unread source by: each reason the
    connector gives for a file it could not read starts with one, and a file it looked at and
    passed over (binary) does not, so the two cannot drift apart unnoticed."""
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04garbage")
    blob = gzip.compress(b"nothing\n" * 100)
    (tmp_path / "cut.log.gz").write_bytes(blob[: len(blob) - 40])
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    reasons = {name: reason for (name, _), reason in _reasons(scan(tmp_path)).items()}
    assert set(reasons) == {"broken.zip", "cut.log.gz", "logo.png"}
    read_failures = {name for name, reason in reasons.items()
                     if reason.startswith(READ_FAILURES)}
    assert read_failures == {"broken.zip", "cut.log.gz"}
    assert _read_error(FileNotFoundError()).startswith(READ_FAILURES)
    assert _read_error(PermissionError()).startswith(READ_FAILURES)
    assert _read_error(OSError(5, "Input/output error")).startswith(READ_FAILURES)


def test_a_refused_member_is_warned_of_by_its_masked_name(tmp_path, scan, caplog) -> None:
    """The warning names the archive as the report does: masked where its name holds an ID."""
    raw_id, raw_mobile = "110101199003071233", "13800138000"
    with zipfile.ZipFile(tmp_path / f"{raw_id}.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{raw_mobile}.log", b"0" * (20 << 20))  # ratio ≈ 1000: refused
    with caplog.at_level(logging.WARNING):
        scan(tmp_path)
    warned = [r.getMessage() for r in caplog.records if "zip bomb" in r.getMessage()]
    assert warned and all(raw_id not in m and raw_mobile not in m for m in warned), warned
    assert "1101**********1233.zip" in warned[0]
