"""`pia detect` on a rotated log as logrotate leaves it (gzip, bzip2, xz), as `pia scan`
reads one: the text inside is detected, line by line; an archive, or compressed data cut
short, is an input error that names the file."""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import json
import lzma
import tarfile
import zipfile
from pathlib import Path

import pytest

from pia.cli import main

TEXT = "2026-11-01 登录 手机13812345678\n身份证号11010519491231002X 邮箱 a@example.com\n"
WANT = [[("CN_MOBILE", 16, 27)], [("CN_RESIDENT_ID", 4, 22), ("EMAIL_ADDRESS", 26, 39)]]


def _detect(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(["detect", *args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


@pytest.mark.parametrize(("suffix", "compress"), [
    (".gz", gzip.compress), (".bz2", bz2.compress), (".xz", lzma.compress),
    (".1", gzip.compress),  # logrotate's compressed app.log.1: the bytes say what it is
])
def test_a_compressed_log_is_read_through(tmp_path: Path, capsys, suffix, compress) -> None:
    source = tmp_path / f"app.log{suffix}"
    source.write_bytes(compress(TEXT.encode("utf-8")))
    code, out, err = _detect(capsys, str(source))
    assert (code, err) == (0, "")
    rows = [json.loads(line)["entities"] for line in out.splitlines()]
    assert [[(e["entity_type"], e["start"], e["end"]) for e in row] for row in rows] == WANT


def test_gbk_inside_gzip_is_decoded(tmp_path: Path, capsys) -> None:
    source = tmp_path / "legacy.log.gz"
    source.write_bytes(gzip.compress(TEXT.encode("gbk")))
    code, out, _err = _detect(capsys, str(source), "--format", "table")
    assert code == 0 and "138****5678" in out and "13812345678" not in out


def test_an_archive_or_cut_data_is_an_input_error(tmp_path: Path, capsys) -> None:
    archive = tmp_path / "logs.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("app.log", TEXT)
    archive.write_bytes(buffer.getvalue())
    code, out, err = _detect(capsys, str(archive))
    assert (code, out) == (2, "")
    assert err == (f"pia: error: {archive}: a zip archive (pia detect reads one text file; "
                   "pia scan reads archives)\n")

    tarball = tmp_path / "logs.tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(tmp_path / "logs.zip", arcname="app.log")
    code, out, err = _detect(capsys, str(tarball))
    assert (code, out) == (2, "")
    assert err == (f"pia: error: {tarball}: a gzip-compressed tar archive (pia detect reads "
                   "one text file; pia scan reads archives)\n")

    whole = gzip.compress((TEXT * 20000).encode("utf-8"))
    cut = tmp_path / "cut.log.gz"
    cut.write_bytes(whole[:len(whole) // 2])  # a copy interrupted mid-file
    readable = b""
    with gzip.open(cut) as stream, contextlib.suppress(EOFError):
        while chunk := stream.read1(8192):
            readable += chunk
    code, out, err = _detect(capsys, str(cut))
    # every whole line that could be read was (a buffer around the stream lost its last ones)
    assert code == 2 and len(out.splitlines()) == readable.count(b"\n") > 1000
    assert err.startswith(f"pia: error: {cut}: cannot read: ") and err.count("\n") == 1
    assert "Traceback" not in err

    head_only = tmp_path / "head.gz"
    head_only.write_bytes(whole[:20])
    code, out, err = _detect(capsys, str(head_only))
    assert (code, out) == (2, "")
    assert err.startswith(f"pia: error: {head_only}: not a readable gzip file: ")
