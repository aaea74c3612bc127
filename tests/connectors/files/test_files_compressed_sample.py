"""A compressed file is analysed within ``--max-bytes`` of decompressed bytes, as an object
is read within it: a 1 MB ``.gz`` that inflates to a gigabyte of a compressible log held a
scan for minutes. The cut is said (read in part, ``bytes_decompressed``), and ``--full``
reads the stream whole, within the ratio limit."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

from pia.sample.synth import Synth

FILLER = b"2026-11-30 00:10:00 INFO heartbeat ok\n"


def _filler(lines: int, start: int) -> bytes:
    """Log lines that compress about 20 to 1 (a zip member compressed 100 to 1 is refused
    as a bomb), numbered from ``start``."""
    return b"".join(b"2026-11-30 00:10:00 INFO heartbeat seq=%07d ok\n" % n
                    for n in range(start, start + lines))


def _log(syn: Synth) -> tuple[bytes, str, str]:
    mobile, resident_id = syn.mobile(), syn.resident_id()
    text = (f"2026-11-30 00:00:00 INFO login mobile={mobile}\n".encode()
            + _filler(20_000, 0)
            + f"2026-11-30 00:20:00 INFO verified id={resident_id}\n".encode()
            + _filler(18_000, 20_000))
    return text, mobile, resident_id


def _entities(report: dict) -> set[str]:
    return {item["entity_type"] for item in report["inventory"]}


def _file_fact(report: dict, name: str) -> dict:
    return next(f["attributes"] for f in report["facts"]
                if f["kind"] == "file" and f["location"]["path"].endswith(name))


def test_a_gzip_log_is_analysed_up_to_max_bytes_decompressed(tmp_path: Path,
                                                             pia_scan) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    text, _, _ = _log(Synth(3))
    assert len(text) > 1_800_000
    (folder / "app.log.1.gz").write_bytes(gzip.compress(text))
    _, _, report = pia_scan(folder, "--max-bytes", "100000")
    fact = _file_fact(report, "app.log.1.gz")
    assert 99_000 <= fact["bytes_decompressed"] <= 100_000
    assert fact["complete"] is False  # read in part: its span is unknown
    assert [s["reason"] for s in report["skipped"]] == [
        "decompressed sample cut at 100000 bytes: gzip stream read in part (raise "
        "--max-bytes, or --full, to read it whole)"]
    assert _entities(report) == {"CN_MOBILE"}  # the ID lies past the sample

    _, _, whole = pia_scan(folder, "--full")
    fact = _file_fact(whole, "app.log.1.gz")
    assert fact["bytes_decompressed"] == len(text)
    assert "complete" not in fact and whole["skipped"] == []
    assert _entities(whole) == {"CN_MOBILE", "CN_RESIDENT_ID"}


def test_a_zip_member_is_analysed_up_to_max_bytes_decompressed(tmp_path: Path,
                                                               pia_scan) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    text, _, _ = _log(Synth(4))
    with zipfile.ZipFile(folder / "logs.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("app.log", text)
    _, _, report = pia_scan(folder, "--max-bytes", "100000")
    assert 99_000 <= _file_fact(report, "logs.zip")["bytes_decompressed"] <= 100_000
    assert [(s["location"].get("member"), s["reason"].split(":")[0])
            for s in report["skipped"]] == [("app.log", "decompressed sample cut at 100000 "
                                                        "bytes")]
    assert _entities(report) == {"CN_MOBILE"}


def test_a_sample_cut_inside_a_value_drops_the_cut_value(tmp_path: Path, pia_scan) -> None:
    """The cut falls in the middle of a resident ID: the 17 digits before it are not read
    as a bank card or a number of some other kind; the text ends at the line before."""
    folder = tmp_path / "logs"
    folder.mkdir()
    resident_id = Synth(5).resident_id()
    head = FILLER * 2629 + b"INFO " + b"=" * 47 + b"\n"  # 99,955 bytes
    line = f"2026-11-30 00:20:00 INFO verified id={resident_id}\n".encode()
    cut = 100_000 - len(head)
    assert line.index(resident_id.encode()) < cut < line.index(resident_id.encode()) + 18
    (folder / "app.log.gz").write_bytes(gzip.compress(head + line + FILLER * 40_000))
    _, _, report = pia_scan(folder, "--max-bytes", "100000")
    assert _file_fact(report, "app.log.gz")["bytes_decompressed"] == len(head)
    assert report["inventory"] == []
