"""An archive's members are judged log or data as the same files on disk are (qa-files 4):
a log kept in a zip or a tar (``app-2026-03.log`` in ``logs-2026-03.tar.gz``) is a log for
the PI-in-logs rule, mobiles included, and for the log span; a CSV export beside it is data.
The whole archive once decided for all its members: a zipped log's mobile met no rule, a
zipped export with a date column was a log."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

LOG = ("2026-03-01 10:00:00 INFO login id=110105199003071239\n"
       "2026-03-01 10:00:01 INFO sms to 13812345678\n")
EXPORT = ("name,id_card,created_at\n"
          "张三,440304198501013214,2019-01-02 03:04:05\n"
          "李四,110105199003071239,2019-01-03 03:04:05\n")


def _tar(path: Path, members: dict[str, str]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _rules_by_place(report: dict) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(file name, member or "") → {(rule, entity)} of the findings on PI items."""
    out: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for finding in report["findings"]:
        for loc in finding["locations"]:
            if "path" not in loc or "first_line" not in loc:
                continue
            place = (Path(loc["path"]).name, loc.get("member", ""))
            evidence = finding["evidence"]
            for entity in evidence.get("entity_types", [evidence.get("entity_type")]):
                out.setdefault(place, set()).add((finding["rule_id"], entity))
    return out


def test_a_member_is_judged_as_the_same_file_on_disk(pia_scan, tmp_path) -> None:
    folder = tmp_path / "srv"
    folder.mkdir()
    (folder / "app.log").write_text(LOG, encoding="utf-8")
    (folder / "users.csv").write_text(EXPORT, encoding="utf-8")
    _tar(folder / "old.tar.gz", {"app.log": LOG, "users.csv": EXPORT})
    with zipfile.ZipFile(folder / "old.zip", "w") as zf:
        zf.writestr("app.log", LOG)
        zf.writestr("users.csv", EXPORT)
    _rc, _rules, report = pia_scan(folder, "--lang", "en")
    found = _rules_by_place(report)
    assert ("CSL-42-PI-IN-LOGS", "CN_MOBILE") in found[("app.log", "")]
    assert ("PIPL-28-SENSITIVE-PLAINTEXT", "CN_RESIDENT_ID") in found[("users.csv", "")]
    for archive in ("old.tar.gz", "old.zip"):
        assert found[(archive, "app.log")] == found[("app.log", "")], archive
        assert found[(archive, "users.csv")] == found[("users.csv", "")], archive
    raw = json.dumps(report, ensure_ascii=False)
    assert "13812345678" not in raw and "110105199003071239" not in raw


def test_an_archived_export_is_no_log_and_does_not_date_the_log_span(pia_scan,
                                                                    tmp_path) -> None:
    """An export's ``created_at`` dates are no log entries, in an archive as on disk."""
    folder = tmp_path / "backup"
    folder.mkdir()
    _tar(folder / "dump.tar.gz", {"users.csv": EXPORT})
    _tar(folder / "logs-2026-03.tar.gz", {"app.log": LOG, "users.csv": EXPORT})
    _rc, _rules, report = pia_scan(folder, "--lang", "en")
    files = {Path(f["attributes"]["path"]).name: f["attributes"] for f in report["facts"]
             if f["kind"] == "file"}
    assert files["dump.tar.gz"]["is_log"] is False
    assert files["logs-2026-03.tar.gz"]["is_log"] is True
    assert files["logs-2026-03.tar.gz"]["log_members"] == ["app.log"]
    assert files["logs-2026-03.tar.gz"]["oldest"].startswith("2026-03-01")
    [log_dir] = [f["attributes"] for f in report["facts"] if f["kind"] == "log_dir"]
    assert log_dir["files"] == 1 and log_dir["oldest"].startswith("2026-03-01")
    found = _rules_by_place(report)
    assert found[("dump.tar.gz", "users.csv")] == {
        ("PIPL-28-SENSITIVE-PLAINTEXT", "CN_RESIDENT_ID")}
    assert ("CSL-42-PI-IN-LOGS", "CN_MOBILE") in found[("logs-2026-03.tar.gz", "app.log")]
