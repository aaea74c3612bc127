"""A file, directory, archive member or table named by a person's number is written masked in
every output of `pia scan`, `pia report` and the bundle, with a keyed fingerprint of its real
name: a report listing `scans/110101199003071237.jpg` handed that ID to every reader. Two
files whose masks coincide stay two items, and a bundle of the masked report verifies (its
findings follow from the masked evidence and the declaration)."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from pia.cli import main
from pia.masked_names import location_fingerprint
from pia.masking import Fingerprinter

KEY = "k" * 32
ID_A, ID_B = "110101199003071237", "110101198503071237"  # both mask as 1101**********1237
MASKED_ID = "1101**********1237"
MOBILE, OTHER_MOBILE = "13812345678", "13998765432"
PASSPORT = "E12345678"
RAW = (ID_A, ID_B, MOBILE, OTHER_MOBILE, PASSPORT)
FORMATS = ("json", "html", "md", "sarif")
DECLARATION = """\
version: 1
organisation:
  name: 示例科技有限公司
  ciio: false
assets:
  - id: logs
    source: estate/logs/**
    pi_categories: [CN_MOBILE, CN_RESIDENT_ID]
    retention: {period: P1Y}
accept:
  - rule: "CSL-21*"
    reason: 新系统上线不足六个月
    owner: 安全合规部
    expires: "2099-12-31"
"""


def pia(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def _no_raw(text: str, where: str) -> None:
    for raw in RAW:
        assert raw not in text, f"{where} holds a raw number"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    monkeypatch.delenv("PIA_DEBUG", raising=False)
    return tmp_path


@pytest.fixture
def estate(here: Path) -> Path:
    """Logs named by two residents' IDs whose masks coincide, a directory named by one, an
    export named by a mobile, a scan named by a passport, an archive whose member is named
    by a mobile, and a corrupt gzip named by an ID."""
    logs, scans = here / "estate" / "logs", here / "estate" / "scans"
    (logs / ID_A).mkdir(parents=True)
    scans.mkdir()
    line = "2026-01-01 12:00:00 login phone={}\n"
    (logs / f"{ID_A}.log").write_text(line.format(MOBILE), encoding="utf-8")
    (logs / f"{ID_B}.log").write_text(line.format(OTHER_MOBILE), encoding="utf-8")
    (logs / ID_A / "app.log").write_text(line.format(MOBILE), encoding="utf-8")
    (logs / f"{ID_B}.log.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"x" * 16)  # corrupt
    (scans / f"{MOBILE}.csv").write_text(f"name,phone\nA,{OTHER_MOBILE}\n", encoding="utf-8")
    (scans / f"{PASSPORT}.txt").write_text(f"phone {MOBILE}\n", encoding="utf-8")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(f"exports/{OTHER_MOBILE}.csv", f"name,phone\nB,{MOBILE}\n")
    (scans / "batch.zip").write_bytes(archive.getvalue())
    (here / "pia.yaml").write_text(DECLARATION, encoding="utf-8")
    return here


def test_files_named_by_numbers_are_masked_everywhere_and_the_bundle_verifies(
        estate: Path, capsys) -> None:
    code, out, err = pia(capsys, "scan", "estate", "--lang", "en",
                         *(a for ext in FORMATS for a in ("-o", f"r.{ext}")))
    assert code == 1, err  # findings; the cut gzip is skipped, not fatal
    _no_raw(out + err, "the scan's terminal output")
    for ext in FORMATS:
        _no_raw(Path(f"r.{ext}").read_text(encoding="utf-8"), f"r.{ext}")
    report = json.loads(Path("r.json").read_text(encoding="utf-8"))

    # the two logs whose masks coincide stay two items, told apart by their fingerprints
    prints = Fingerprinter(KEY.encode())
    logs = [i["location"] for i in report["inventory"]
            if i["location"]["path"] == f"estate/logs/{MASKED_ID}.log"]
    assert len(logs) == 2
    assert sorted(loc["name_fingerprint"] for loc in logs) == sorted(
        location_fingerprint({"path": f"estate/logs/{raw}.log"}, prints) for raw in (ID_A, ID_B))
    paths = {i["location"]["path"] for i in report["inventory"]}
    assert f"estate/logs/{MASKED_ID}/app.log" in paths
    assert "estate/scans/138****5678.csv" in paths
    members = {i["location"].get("member") for i in report["inventory"]}
    assert "exports/139****5432.csv" in members
    # a directory is masked alike in its own fact and in the paths below it
    dirs = {f["location"]["path"] for f in report["facts"] if f["kind"] == "log_dir"}
    assert f"estate/logs/{MASKED_ID}" in dirs
    files = {f["location"]["path"]: f["attributes"]["path"] for f in report["facts"]
             if f["kind"] == "file"}
    assert "estate/scans/E********.txt" in files and all(k == v for k, v in files.items())
    skipped = [s for s in report["skipped"] if "gz" in s["location"].get("path", "")]
    assert skipped and skipped[0]["location"]["path"] == f"estate/logs/{MASKED_ID}.log.gz"
    # a finding is located masked: the log directory's retention finding was accepted by
    # the declaration's entry, its PI in logs are in the declared asset (no PIPL-4 there)
    located = {loc.get("path") for f in report["findings"] for loc in f["locations"]}
    assert f"estate/logs/{MASKED_ID}.log" in located
    undeclared = [loc["path"] for f in report["findings"] if f["rule_id"].startswith("PIPL-4")
                  for loc in f["locations"]]
    assert undeclared and all(p.startswith("estate/scans/") for p in undeclared)

    code, out, err = pia(capsys, "report", "r.json", "-f", "table", "--lang", "en")
    assert code == 0, err
    assert MASKED_ID in out
    _no_raw(out + err, "pia report's table")

    code, _, err = pia(capsys, "keygen", "signer.key")
    assert code == 0, err
    code, out, err = pia(capsys, "bundle", "create", "r.json", "--key", "signer.key",
                         "-o", "b.zip", "--config", "pia.yaml", "--lang", "en")
    assert code == 0, err
    with zipfile.ZipFile("b.zip") as bundle:
        for name in bundle.namelist():
            _no_raw(bundle.read(name).decode("utf-8", "replace"), f"bundle member {name}")
    code, out, err = pia(capsys, "bundle", "verify", "b.zip", "--pubkey", "signer.key.pub",
                         "--lang", "en")
    assert code == 0, out + err
    assert "findings-follow-from-evidence" in out
    code, out, err = pia(capsys, "bundle", "show", "b.zip", "--pubkey", "signer.key.pub",
                         "--lang", "en")
    assert code == 0, err
    _no_raw(out + err, "bundle show")


def test_a_table_named_by_an_id_is_masked(here: Path, capsys) -> None:
    with sqlite3.connect(here / "crm.db") as db:
        db.execute(f"CREATE TABLE user_{ID_A} (id INTEGER PRIMARY KEY, phone_{MOBILE} TEXT)")
        db.executemany(f"INSERT INTO user_{ID_A} (phone_{MOBILE}) VALUES (?)",
                       [(f"1391234{i:04d}",) for i in range(50)])
    db.close()
    code, out, err = pia(capsys, "scan", "crm.db", "--lang", "en", "--fail-on", "medium",
                         *(a for ext in FORMATS for a in ("-o", f"r.{ext}")))
    assert code == 1, err
    _no_raw(out + err, "the scan's terminal output")
    for ext in FORMATS:
        _no_raw(Path(f"r.{ext}").read_text(encoding="utf-8"), f"r.{ext}")
    report = json.loads(Path("r.json").read_text(encoding="utf-8"))
    item = next(i for i in report["inventory"] if i["entity_type"] == "CN_MOBILE")
    assert item["location"]["table"] == f"user_{MASKED_ID}"
    assert item["location"]["column"] == "phone_138****5678"
    real = {k: v for k, v in item["location"].items() if k != "name_fingerprint"}
    real.update(table=f"user_{ID_A}", column=f"phone_{MOBILE}")
    assert item["location"]["name_fingerprint"] == location_fingerprint(
        real, Fingerprinter(KEY.encode()))
    tables = [f for f in report["facts"] if f["kind"] == "table"]
    assert tables and all(f["location"]["table"] == f"user_{MASKED_ID}" for f in tables)


def test_an_accept_entry_names_one_of_two_files_whose_masks_coincide(here: Path,
                                                                    capsys) -> None:
    (here / "logs").mkdir()
    for raw in (ID_A, ID_B):
        (here / "logs" / f"{raw}.log").write_text(f"login phone={MOBILE}\n", encoding="utf-8")
    chosen = location_fingerprint({"path": f"logs/{ID_A}.log"}, Fingerprinter(KEY.encode()))
    (here / "pia.yaml").write_text(
        "version: 1\norganisation: {name: 示例, ciio: false}\naccept:\n"
        f"  - rule: CSL-42-PI-IN-LOGS\n    location: {{name_fingerprint: \"{chosen}\"}}\n"
        "    reason: 迁移中\n    owner: sec\n    expires: \"2099-12-31\"\n", encoding="utf-8")
    code, _, err = pia(capsys, "scan", "logs", "-q", "-o", "r.json", "--fail-on", "critical")
    assert code == 0, err
    report = json.loads(Path("r.json").read_text(encoding="utf-8"))
    status = {loc["name_fingerprint"]: f["status"] for f in report["findings"]
              if f["rule_id"] == "CSL-42-PI-IN-LOGS" for loc in f["locations"]}
    assert len(status) == 2 and status.pop(chosen) == "accepted"
    assert list(status.values()) == ["open"]


def _log_lines(when: date, phone: str | None) -> str:
    said = f" login phone={phone}" if phone else " heartbeat ok"
    return "".join(f"{when.isoformat()} 12:0{n}:00{said}\n" for n in range(3))


def test_two_logs_whose_masks_coincide_are_judged_on_their_own_facts(here: Path,
                                                                     capsys) -> None:
    """An old log without PI and a fresh log with PI, named by two IDs whose masks coincide:
    the old one holds no PI, so it is kept past no PI period, and the fresh one is young.
    Both were looked up by their masked path, so the old log took the fresh one's PI."""
    today = date.today()
    (here / "logs").mkdir()
    (here / "logs" / f"{ID_A}.log").write_text(_log_lines(today - timedelta(days=800), None),
                                               encoding="utf-8")
    (here / "logs" / f"{ID_B}.log").write_text(_log_lines(today - timedelta(days=3), MOBILE),
                                               encoding="utf-8")
    (here / "pia.yaml").write_text(
        "version: 1\norganisation: {name: 示例, ciio: false}\n"
        "log_policy: {min_retention_days: 180, max_pi_retention_days: 365}\n", encoding="utf-8")
    code, _, err = pia(capsys, "scan", "logs", "-q", "-o", "r.json", "--fail-on", "critical")
    assert code == 0, err
    report = json.loads(Path("r.json").read_text(encoding="utf-8"))
    prints = Fingerprinter(KEY.encode())
    fresh = location_fingerprint({"path": f"logs/{ID_B}.log"}, prints)
    facts = {f["location"]["name_fingerprint"]: f for f in report["facts"]
             if f["kind"] == "file"}
    assert facts[fresh]["location"]["path_fingerprints"] == [fresh]
    over = [f for f in report["findings"] if f["rule_id"] == "PIPL-19-OVER-RETENTION"]
    assert over == []


def test_two_log_directories_whose_masks_coincide_keep_their_own_logs(here: Path,
                                                                    capsys) -> None:
    """Two log directories named by IDs whose masks coincide: one kept its logs for two
    years, the other for three days, which CSL 21 finds too short. The young one took the
    old one's logs for its own, and passed."""
    today = date.today()
    for raw, days in ((ID_A, 800), (ID_B, 3)):
        (here / "logs" / raw).mkdir(parents=True)
        (here / "logs" / raw / "app.log").write_text(
            _log_lines(today - timedelta(days=days), MOBILE), encoding="utf-8")
    code, _, err = pia(capsys, "scan", "logs", "-q", "-o", "r.json", "--fail-on", "critical")
    assert code == 0, err
    report = json.loads(Path("r.json").read_text(encoding="utf-8"))
    young = location_fingerprint({"path": f"logs/{ID_B}"}, Fingerprinter(KEY.encode()))
    short = [loc for f in report["findings"] if f["rule_id"] == "CSL-21-LOG-RETENTION"
             for loc in f["locations"]]
    assert [loc.get("name_fingerprint") for loc in short] == [young]
    assert short[0]["path"] == f"logs/{MASKED_ID}"
