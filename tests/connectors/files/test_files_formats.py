"""Counts per (file, member, entity type) equal the generated truth, across formats,
compressions, archives and encodings; clean, masked and binary files report nothing."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import tarfile
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from files_gen import Gen, counts

from pia.report import finalize, new_report, validate_report

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _lines(gen: Gen, n: int, truth: Counter, name: str, member: str | None = None) -> str:
    local: Counter = Counter()
    text = "\n".join(gen.log(n, 3, local)) + "\n"
    for entity, count in local.items():
        truth[(name, member, entity)] += count
    return text


def _tar_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Counter]:
    root = tmp_path_factory.mktemp("tree")
    gen, truth = Gen(7), Counter()
    (root / "logs").mkdir()
    (root / "logs/plain.log").write_text(_lines(gen, 300, truth, "plain.log"), "utf-8")
    (root / "logs/bom.log").write_bytes(b"\xef\xbb\xbf" + _lines(gen, 90, truth, "bom.log")
                                        .encode())
    (root / "logs/utf16.log").write_text(_lines(gen, 90, truth, "utf16.log"), "utf-16")
    # GBK legacy log, digits typed full-width by a Chinese input method
    legacy = _lines(gen, 120, truth, "legacy.log").translate(FULL_WIDTH)
    (root / "logs/legacy.log").write_bytes(legacy.encode("gbk"))
    (root / "logs/app.log.1.gz").write_bytes(
        gzip.compress(_lines(gen, 150, truth, "app.log.1.gz").encode()))
    (root / "logs/app.log.2.bz2").write_bytes(
        bz2.compress(_lines(gen, 60, truth, "app.log.2.bz2").encode()))
    (root / "logs/app.log.3.xz").write_bytes(
        lzma.compress(_lines(gen, 60, truth, "app.log.3.xz").encode()))
    # a gzip file whose name says nothing: content decides
    (root / "logs/mystery.txt").write_bytes(
        gzip.compress(_lines(gen, 30, truth, "mystery.txt").encode()))
    with zipfile.ZipFile(root / "bundle.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.log", _lines(gen, 60, truth, "bundle.zip", "a.log"))
        zf.writestr("deep/b.log.gz", gzip.compress(
            _lines(gen, 60, truth, "bundle.zip", "deep/b.log.gz").encode()))
    (root / "bundle.tar.gz").write_bytes(_tar_bytes({
        "c.log": _lines(gen, 60, truth, "bundle.tar.gz", "c.log").encode("gb18030"),
    }))
    events = []
    for i in range(40):
        row = {"ts": 1700000000 + i, "id_card": gen.resident_id(), "phone": int(gen.mobile()),
               "msg": f"order {i} paid", "trace": gen.rng.randint(10**17, 10**18 - 1)}
        events.append(json.dumps(row))
    truth[("events.jsonl", None, "CN_RESIDENT_ID")] += 40
    truth[("events.jsonl", None, "CN_MOBILE")] += 40
    (root / "logs/events.jsonl").write_text("\n".join(events) + "\n")
    rows = ["xm,sfzh,lxdh,memo"]
    for i in range(25):
        rows.append(f"张{'伟芳娜敏静'[i % 5]},{gen.resident_id()},{gen.mobile()},batch {i}")
    truth[("people.csv", None, "CN_RESIDENT_ID")] += 25
    truth[("people.csv", None, "CN_MOBILE")] += 25
    truth[("people.csv", None, "CN_NAME")] += 25  # under the xm (姓名) header
    (root / "people.csv").write_text("\n".join(rows) + "\n")
    (root / "logs/clean.log").write_text("\n".join(gen.clean_line(i) for i in range(500)))
    (root / "logs/masked.log").write_text(
        "".join(f"2024-10-10 10:00:00 手机 138****{i:04d} 身份证 1101**********123X\n"
                for i in range(50)))
    (root / "blob.bin").write_bytes(bytes(range(256)) * 64 + os.urandom(4096))
    return root, truth


def test_counts_equal_the_generated_truth(tree, scan) -> None:
    root, truth = tree
    result = scan(root)
    assert counts(result) == truth


def test_clean_masked_and_binary_files_report_nothing(tree, scan) -> None:
    root, _truth = tree
    result = scan(root)
    reported = {item["location"]["path"].rsplit("/", 1)[-1] for item in result.inventory}
    assert not reported & {"clean.log", "masked.log", "blob.bin"}
    skipped = {s["location"]["path"].rsplit("/", 1)[-1]: s["reason"] for s in result.skipped}
    assert skipped == {"blob.bin": "binary file"}


@pytest.mark.parametrize(("name", "encoding", "fmt", "compression"), [
    ("plain.log", "utf-8", "text", None),
    ("bom.log", "utf-8-sig", "text", None),
    ("utf16.log", "utf-16", "text", None),
    ("legacy.log", "gb18030", "text", None),
    ("app.log.1.gz", "utf-8", "text", "gzip"),
    ("app.log.2.bz2", "utf-8", "text", "bzip2"),
    ("app.log.3.xz", "utf-8", "text", "xz"),
    ("mystery.txt", "utf-8", "text", "gzip"),
    ("events.jsonl", "utf-8", "jsonl", None),
    ("people.csv", "utf-8", "csv", None),
    ("bundle.tar.gz", "gb18030", "tar", "gzip"),
    ("bundle.zip", "utf-8", "zip", None),
])
def test_file_facts_name_format_encoding(tree, scan, name, encoding, fmt, compression) -> None:
    root, _truth = tree
    facts = {f["attributes"]["path"].rsplit("/", 1)[-1]: f["attributes"]
             for f in scan(root).facts if f["kind"] == "file"}
    assert (facts[name]["encoding"], facts[name]["format"], facts[name]["compression"]) == (
        encoding, fmt, compression)


def test_items_follow_the_report_contract(tree, scan) -> None:
    root, _truth = tree
    result = scan(root)
    report = new_report([str(root)], {})
    report["inventory"], report["facts"] = result.inventory, result.facts
    report["skipped"] = result.skipped
    validate_report(finalize(report))
    item = next(i for i in result.inventory if i["location"]["path"].endswith("plain.log")
                and i["entity_type"] == "CN_RESIDENT_ID")
    assert item["sampled"] == 300 and item["protection"] == "plaintext"
    assert item["sensitive"] is True and item["protected"] is False
    assert item["location"]["first_line"] == item["location"]["lines"][0]
    assert len(item["location"]["lines"]) == 10
    assert len(item["evidence"]["samples"]) == 3 and len(item["evidence"]["fingerprints"]) == 5
    assert all("*" in s for s in item["evidence"]["samples"])


def test_no_raw_value_in_the_output(tree, scan) -> None:
    """Scanning pia's own output finds nothing: samples are masked, identities keyed."""
    root, _truth = tree
    result = scan(root)
    out = root.parent / "out"
    out.mkdir(exist_ok=True)
    (out / "result.json").write_text(json.dumps(
        [result.inventory, result.facts, result.skipped], ensure_ascii=False))
    assert scan(out).inventory == []


def test_keys_and_headers_count_as_context(tmp_path, scan) -> None:
    """A legacy 15-digit ID is too weak alone, but under an ID key or column it counts."""
    legacy = "110105491231002"
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"sfzh": legacy}) + "\n" + json.dumps({"order_no": legacy}) + "\n")
    (tmp_path / "b.csv").write_text(f"order_no,shenfenzheng\n{legacy},{legacy}\n")
    found = counts(scan(tmp_path))
    assert found == Counter({("a.jsonl", None, "CN_RESIDENT_ID"): 1,
                             ("b.csv", None, "CN_RESIDENT_ID"): 1})


def test_minors_are_counted_from_birth_dates(tmp_path, scan) -> None:
    gen = Gen(1)
    ids = [gen.resident_id(2016), gen.resident_id(2018), gen.resident_id(1980)]
    (tmp_path / "kids.log").write_text("".join(f"身份证 {v}\n" for v in ids))
    (item,) = scan(tmp_path).inventory
    assert (item["count"], item["evidence"]["minors_count"]) == (3, 2)


@pytest.mark.parametrize("compress", [False, True])
def test_gbk_found_past_the_samples(tmp_path, scan, compress) -> None:
    """A legacy log whose sampled parts are ASCII still decodes its GBK lines correctly."""
    gen, truth = Gen(8), Counter()
    ascii_head = "\n".join(gen.clean_line(i) for i in range(1200)) + "\n"
    legacy = "\n".join(gen.log(60, 1, truth)).translate(FULL_WIDTH) + "\n"
    ascii_tail = "\n".join(gen.clean_line(i) for i in range(3000)) + "\n"
    data = ascii_head.encode() + legacy.encode("gbk") + ascii_tail.encode()
    name = "late.log.gz" if compress else "late.log"
    (tmp_path / name).write_bytes(gzip.compress(data) if compress else data)
    result = scan(tmp_path)
    assert counts(result) == Counter({(name, None, k): v for k, v in truth.items()})
    (fact,) = [f for f in result.facts if f["kind"] == "file"]
    assert fact["attributes"]["encoding"] == "gb18030"


def test_a_sqlite_database_in_a_directory_is_named_with_how_to_scan_it(
        tmp_path: Path, scan, ctx) -> None:
    """Skipped as a file, but not as an anonymous "binary file": the reason gives the
    source that reads it as a database, and that source finds what the file holds."""
    import shlex
    import sqlite3

    from pia.connectors import connector_for
    from pia.connectors.base import ScanOptions, scan_serial

    for name in ("app.db", "backup.bin"):
        with sqlite3.connect(tmp_path / name) as db:
            db.execute("CREATE TABLE users (name TEXT, shouji TEXT)")
            db.execute("INSERT INTO users VALUES ('张三', '13812345678')")
        db.close()
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "old.7z").write_bytes(b"7z\xbc\xaf\x27\x1c" + bytes(range(256)))
    reasons = {Path(s["location"]["path"]).name: s["reason"] for s in scan(tmp_path).skipped}
    assert reasons["logo.png"] == "binary file (a PNG image)"
    assert reasons["old.7z"] == "binary file (a 7z archive, a format pia does not open)"
    for name in ("app.db", "backup.bin"):
        prefix = "binary file (a SQLite database: scan it as a source of its own, pia scan "
        assert reasons[name].startswith(prefix) and reasons[name].endswith(")")
        (source,) = shlex.split(reasons[name][len(prefix):-1])
        result = scan_serial(connector_for(source), source, ScanOptions(), ctx)
        assert {(i["location"]["column"], i["entity_type"]) for i in result.inventory} \
            >= {("shouji", "CN_MOBILE")}, (name, source)


@pytest.mark.parametrize(("now", "minors"), [
    ("2026-12-30T15:59:59+00:00", 1),  # 23:59:59 on 30 December in Beijing: still 13
    ("2026-12-30T16:30:00+00:00", 0),  # 00:30 on the 31st in Beijing: 14 today
])
def test_an_age_counts_in_days_in_beijing(tmp_path, now: str, minors: int) -> None:
    """Born 2012-12-31: a minor (under 14) until the 31st begins in Beijing, not in UTC."""
    from datetime import datetime

    from pia.connectors.base import ScanContext, ScanOptions, scan_serial
    from pia.connectors.files import FilesConnector
    from pia.detection.engine import default_engine
    from pia.masking import Fingerprinter

    (tmp_path / "member.log").write_text(f"身份证 {BIRTHDAY_ID}\n", encoding="utf-8")
    ctx = ScanContext(engine=default_engine(), fingerprint=Fingerprinter(b"k" * 32),
                      now=datetime.fromisoformat(now))
    (item,) = scan_serial(FilesConnector(), str(tmp_path), ScanOptions(), ctx).inventory
    assert item["evidence"]["minors_count"] == minors


BIRTHDAY_ID = "110105201212310013"


def test_health_records_in_log_fields_are_sensitive_pi(tmp_path, scan) -> None:
    """病史：… in a clinic's log is health data (PIPL 28): found, counted, never shown."""
    (tmp_path / "clinic.log").write_text(
        "2026-11-29 10:00:01 INFO 复诊 病史：高血压、糖尿病\n"
        '2026-11-29 10:00:02 INFO {"过敏史": "青霉素", "visit": 3}\n'
        "2026-11-29 10:00:03 INFO 过敏史：无\n"
        "2026-11-29 10:00:04 INFO 诊断：磁盘正常\n", encoding="utf-8")
    (item,) = scan(tmp_path).inventory
    assert (item["entity_type"], item["count"], item["location"]["lines"]) == ("HEALTH", 2, [1, 2])
    assert item["sensitive"] is True
    assert all(set(sample) == {"*"} for sample in item["evidence"]["samples"])
