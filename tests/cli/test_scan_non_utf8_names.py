"""A file whose name is not UTF-8 (GBK bytes from a Windows upload, Latin-1 ``café``) is
scanned and reported like any other: `pia scan DIR` crashed with a traceback and exit 1
(UnicodeEncodeError in the finding's fingerprint), leaving no report. Every format and the
resume journal now name it with each undecodable byte written ``\\xbf``, as
`pia check-migrations` does, and a bundle of the report verifies."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_scan_inputs import MOBILE, pia
from test_scan_inputs import here as here  # noqa: F401 (a fixture)

from pia.bundle import generate_keypair

GBK_NAME = "客户名单.log".encode("gbk")  # b'\xbf\xcd\xbb\xa7\xc3\xfb\xb5\xa5.log'
SHOWN = "gbk/\\xbf\\xcd\\xbb\\xa7\\xc3\\xfb\\xb5\\xa5.log"  # \\xcd\\xbb (UTF-8 ͻ) too
FORMATS = ("json", "html", "md", "sarif", "txt")


@pytest.fixture
def gbk(here: Path) -> Path:  # noqa: F811 (the fixture imported above)
    folder = here / "gbk"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), GBK_NAME), "wb") as handle:
        handle.write(f"2026-01-01 12:00:00 login phone={MOBILE} ok\n".encode())
    return folder


def _no_crash(code: int, err: str) -> None:
    assert "Traceback" not in err and "UnicodeEncodeError" not in err, err
    assert code == 0, err


def test_every_report_format_names_the_file_escaped(gbk: Path, capsys) -> None:
    outputs = [f"r.{ext}" for ext in FORMATS]
    code, _, err = pia(capsys, "scan", "gbk", "-q", "--lang", "en", "--fail-on", "critical",
                       *(arg for path in outputs for arg in ("-o", path)))
    _no_crash(code, err)
    report = json.loads(Path("r.json").read_text(encoding="utf-8"))
    paths = {item["location"]["path"] for item in report["inventory"]}
    assert paths == {SHOWN}
    assert [loc["path"] for f in report["findings"] for loc in f["locations"]] == [SHOWN]
    for path in outputs:
        text = Path(path).read_bytes().decode("utf-8")  # valid UTF-8 throughout
        assert "\\xbf" in text and MOBILE not in text, path


def test_the_terminal_table_and_json_on_stdout(gbk: Path, capsys) -> None:
    code, out, err = pia(capsys, "scan", "gbk", "--lang", "en", "--fail-on", "critical")
    _no_crash(code, err)
    assert "\\xbf" in out
    code, out, err = pia(capsys, "scan", "gbk", "-f", "json", "--fail-on", "critical")
    _no_crash(code, err)
    assert json.loads(out)["inventory"][0]["location"]["path"] == SHOWN


def test_a_file_named_directly_and_a_resumed_scan(gbk: Path, capsys) -> None:
    latin = os.fsdecode(b"caf\xe9.log")
    Path(latin).write_text(f"phone {MOBILE}\n", encoding="utf-8")
    code, _, err = pia(capsys, "scan", latin, "-q", "--fail-on", "critical", "-o", "c.json")
    _no_crash(code, err)
    assert json.loads(Path("c.json").read_text())["inventory"][0]["location"]["path"] == \
        "caf\\xe9.log"
    for extra in ([], ["--resume"]):
        code, _, err = pia(capsys, "scan", "gbk", "-q", "--fail-on", "critical", "--state",
                           "journal", *extra, "-o", "s.json")
        _no_crash(code, err)
        assert json.loads(Path("s.json").read_text())["summary"]["inventory_items"] == 1


def test_a_bundle_of_the_report_verifies(gbk: Path, capsys) -> None:
    generate_keypair(Path("k"))
    code, _, err = pia(capsys, "scan", "gbk", "-q", "--fail-on", "critical", "-o", "r.json")
    _no_crash(code, err)
    code, _, err = pia(capsys, "bundle", "create", "r.json", "--key", "k", "-o", "b.zip")
    _no_crash(code, err)
    code, out, err = pia(capsys, "bundle", "verify", "b.zip", "--pubkey", "k.pub",
                         "--lang", "en")
    assert code == 0, out + err
