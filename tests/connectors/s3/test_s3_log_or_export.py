"""An object is a log or a data export as a file is, its bucket standing for its directory: a
CSV export in a bucket whose name says logs is data (PIPL-28-SENSITIVE-PLAINTEXT, critical),
as it is in a ``logs/`` directory, not a log (CSL-42-PI-IN-LOGS, raised to critical for
the resident IDs these logs hold); the bucket's logs,
rotated CSV logs included, stay logs. Scanned over HTTP from moto and from disk, judged by the
bundled rules."""

from __future__ import annotations

import io
import tarfile
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from s3_server import facts_of, make_bucket

from pia.connectors.base import ScanOptions, SourceResult, scan_serial
from pia.connectors.files import FilesConnector
from pia.report import finalize, new_report, validate_report
from pia.rules import apply_rules, load_rulesets

ID1, ID2 = "110105199003071239", "440304198501013214"
#: the same bytes in the bucket qa-logs and under a directory logs/
OBJECTS = {
    "exports/users.csv": f"name,id_card\n张三,{ID2}\n",
    "exports/orders.tsv": f"created_at\tid_card\n2026-11-29 10:00:00\t{ID1}\n",
    "app/2026-11-29.log": f"2026-11-29 10:00:00 phone=13812345678 id={ID1}\n",
    "app/trace.txt": f"2026-11-29 10:00:00 login id={ID1}\n2026-11-29 10:00:01 ok\n",
    "pg/postgresql-2026-11-29.csv": f'2026-11-29 10:00:00 CST,"app",LOG,"id={ID2}"\n',
}


def _judged(sources: list[str], result: SourceResult) -> Iterator[tuple[dict, tuple]]:
    """(location, (rule, severity)) of each finding's locations, judged by the bundled
    rules."""
    report = new_report(sources, ScanOptions().as_parameters(), started="2026-11-30T00:00:00Z")
    report["inventory"], report["facts"] = result.inventory, result.facts
    apply_rules(report, load_rulesets(None), None)
    finalize(report)
    validate_report(report)
    for finding in report["findings"]:
        for loc in finding["locations"]:
            yield loc, (finding["rule_id"], finding["severity"])


def _rules_by_place(sources: list[str], result: SourceResult, place: str) -> dict[str, set]:
    out: dict[str, set] = defaultdict(set)
    for loc, rule in _judged(sources, result):
        if place in loc:
            out[loc[place]].add(rule)
    return dict(out)


def test_an_export_in_a_log_bucket_is_data_as_in_a_log_directory(s3, scan, ctx,
                                                                    tmp_path: Path) -> None:
    make_bucket(s3, "qa-logs")
    for key, body in OBJECTS.items():
        s3.put_object(Bucket="qa-logs", Key=key, Body=body.encode())
    in_bucket = scan("s3://qa-logs")
    assert {k: (a["format"], a["is_log"]) for k, a in facts_of(in_bucket, "object").items()} == {
        "qa-logs/exports/users.csv": ("csv", False), "qa-logs/exports/orders.tsv": ("tsv", False),
        "qa-logs/app/2026-11-29.log": ("text", True), "qa-logs/app/trace.txt": ("text", True),
        "qa-logs/pg/postgresql-2026-11-29.csv": ("csv", True)}
    by_key = _rules_by_place(["s3://qa-logs"], in_bucket, "key")

    plaintext, logs = ("PIPL-28-SENSITIVE-PLAINTEXT", "critical"), ("CSL-42-PI-IN-LOGS", "critical")
    assert by_key == {"exports/users.csv": {plaintext}, "exports/orders.tsv": {plaintext},
                      "app/2026-11-29.log": {logs}, "app/trace.txt": {logs},
                      "pg/postgresql-2026-11-29.csv": {logs}}

    root = tmp_path / "logs"
    for key, body in OBJECTS.items():
        (root / key).parent.mkdir(parents=True, exist_ok=True)
        (root / key).write_text(body, encoding="utf-8")
    on_disk = scan_serial(FilesConnector(), str(root), ScanOptions(), ctx)
    by_path = _rules_by_place([str(root)], on_disk, "path")
    # the files' own findings (the log directories' retention is the directories')
    assert {k: r for p, r in by_path.items()
            if (k := str(Path(p).relative_to(root))) in OBJECTS} == by_key


def test_a_log_is_a_log_in_a_bucket_whose_name_says_nothing_of_logs(s3, scan) -> None:
    """QA: logs/app.log full of mobiles in shop-data was reported by no rule (CSL-42 asked
    for a log bucket), though its object fact says is_log: as a log file in any directory,
    it is a log; the exports beside it are data."""
    make_bucket(s3, "shop-data")
    for key, body in OBJECTS.items():
        s3.put_object(Bucket="shop-data", Key=key, Body=body.encode())
    s3.put_object(Bucket="shop-data", Key="logs/app.log",
                  Body=b"".join(f"2026-11-29 10:00:0{i} sms to 1391234599{i}\n".encode()
                                for i in range(5)))
    by_key = _rules_by_place(["s3://shop-data"], scan("s3://shop-data"), "key")
    plaintext, logs = ("PIPL-28-SENSITIVE-PLAINTEXT", "critical"), ("CSL-42-PI-IN-LOGS", "critical")
    assert by_key == {"exports/users.csv": {plaintext}, "exports/orders.tsv": {plaintext},
                      "app/2026-11-29.log": {logs}, "app/trace.txt": {logs},
                      "logs/app.log": {("CSL-42-PI-IN-LOGS", "high")},
                      # a CSV whose name says nothing of logs, outside a log bucket: data
                      "pg/postgresql-2026-11-29.csv": {plaintext}}


LOG = ("2026-03-01 10:00:00 INFO login id=110105199003071239\n"
       "2026-03-01 10:00:01 INFO sms to 13812345678\n")
EXPORT = f"name,id_card,created_at\n张三,{ID2},2019-01-02 03:04:05\n"


def _archives() -> dict[str, bytes]:
    """A tar.gz and a zip, each holding a log and a CSV export (qa-files 4, in a bucket)."""
    members = {"app.log": LOG, "users.csv": EXPORT}
    tgz, zipped = io.BytesIO(), io.BytesIO()
    with tarfile.open(fileobj=tgz, mode="w:gz") as tar:
        for name, text in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            tar.addfile(info, io.BytesIO(text.encode()))
    with zipfile.ZipFile(zipped, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return {"old.tar.gz": tgz.getvalue(), "old.zip": zipped.getvalue()}


def _by_member(sources: list[str], result: SourceResult, place: str) -> dict[tuple, set]:
    """(file name or key's name, member) → {(rule, severity)}."""
    out: dict[tuple, set] = defaultdict(set)
    for loc, rule in _judged(sources, result):
        if place in loc and "member" in loc:
            out[(Path(loc[place]).name, loc["member"])].add(rule)
    return dict(out)


def test_an_archive_object_is_judged_member_by_member_as_on_disk(s3, scan, ctx,
                                                                   tmp_path: Path) -> None:
    """A log and an export kept together in an archive in a log bucket: the log's PI is PI
    in a log, the export's plaintext data, as in the same archive under a log directory on
    disk (the whole object once decided for both: the export was a log's)."""
    make_bucket(s3, "qa-logs")
    root = tmp_path / "qa-logs"
    (root / "backup").mkdir(parents=True)
    for name, body in _archives().items():
        s3.put_object(Bucket="qa-logs", Key=f"backup/{name}", Body=body)
        (root / "backup" / name).write_bytes(body)
    in_bucket = scan("s3://qa-logs")
    objects = facts_of(in_bucket, "object")
    for name in _archives():
        assert objects[f"qa-logs/backup/{name}"]["is_log"] is True, name
        assert objects[f"qa-logs/backup/{name}"]["log_members"] == ["app.log"], name
    by_key = _by_member(["s3://qa-logs"], in_bucket, "key")
    plaintext, logs = ("PIPL-28-SENSITIVE-PLAINTEXT", "critical"), ("CSL-42-PI-IN-LOGS", "critical")
    assert by_key == {(name, member): {logs if member == "app.log" else plaintext}
                      for name in _archives() for member in ("app.log", "users.csv")}

    on_disk = scan_serial(FilesConnector(), str(root), ScanOptions(), ctx)
    assert _by_member([str(root)], on_disk, "path") == by_key
