"""An object keyed by a person's number holds that number in its key: the scan reports the key
as PI of its own (``pia.connectors.name_items``, shared with the files connector), masked and
fingerprinted, located at the object with ``origin: name``, read over HTTP from an S3
server; its content is judged apart."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest
from s3_server import make_bucket

from pia.cli import main
from pia.masking import Fingerprinter, mask
from pia.report import validation_errors

KEY = "f" * 32
ID = "110101199003071233"  # its check digit holds
MOBILE = "13812345678"


def test_an_object_key_holding_an_id_is_reported(s3, moto_endpoint, tmp_path, monkeypatch,
                                                 capsys) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    monkeypatch.chdir(tmp_path)
    make_bucket(s3, "kyc-named")
    s3.put_object(Bucket="kyc-named", Key=f"scans/{ID}.txt", Body=b"verified\n")
    s3.put_object(Bucket="kyc-named", Key="scans/readme.txt", Body=f"call {MOBILE}\n".encode())
    with pytest.raises(SystemExit):
        main(["scan", "s3://kyc-named", "--endpoint-url", moto_endpoint, "--executor",
              "serial", "-q", "-o", "r.json"])
    capsys.readouterr()
    text = Path("r.json").read_text(encoding="utf-8")
    assert ID not in text and MOBILE not in text
    report = json.loads(text)
    assert validation_errors(report) == []
    named = [i for i in report["inventory"] if i.get("origin") == "name"]
    assert [(i["location"]["key"], i["entity_type"]) for i in named] == [
        ("scans/1101**********1233.txt", "CN_RESIDENT_ID")]
    assert named[0]["evidence"] == {
        "samples": [mask("CN_RESIDENT_ID", ID)],
        "fingerprints": [Fingerprinter(KEY.encode())("CN_RESIDENT_ID", ID)]}
    # the content's mobile is the other object's, read from its content
    content = [i for i in report["inventory"] if i.get("origin") is None]
    assert [(i["location"]["key"], i["entity_type"]) for i in content] == [
        ("scans/readme.txt", "CN_MOBILE")]
    located = {loc.get("key") for f in report["findings"] for loc in f["locations"]}
    assert "scans/1101**********1233.txt" in located


def test_two_objects_whose_masked_keys_coincide_are_judged_on_their_own_facts(
        s3, moto_endpoint, tmp_path, monkeypatch, capsys) -> None:
    """A log and a note in a log bucket, keyed by two IDs whose masks coincide (check digits
    failing: no item of the names): the log's mobiles are PI in a log (CSL-42), the note's,
    data, are not. Both were looked up by the masked key, so both took one object's verdict
    (pia.rules.index keys objects on path_fingerprints)."""
    from pia.masked_names import location_fingerprint

    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    monkeypatch.chdir(tmp_path)
    make_bucket(s3, "twin-logs")
    log_id, note_id = "110101199003071237", "110101198503071237"  # 1101**********1237
    s3.put_object(Bucket="twin-logs", Key=f"u/{log_id}.txt", Body="".join(
        f"2026-11-2{n} 10:00:00 INFO login phone={MOBILE}\n" for n in range(5)).encode())
    s3.put_object(Bucket="twin-logs", Key=f"u/{note_id}.txt",
                  Body=f"客户 手机号 {MOBILE}\n".encode())
    with pytest.raises(SystemExit):
        main(["scan", "s3://twin-logs", "--endpoint-url", moto_endpoint, "--executor",
              "serial", "-q", "-o", "r.json"])
    capsys.readouterr()
    report = json.loads(Path("r.json").read_text(encoding="utf-8"))
    prints = Fingerprinter(KEY.encode())
    logs = {f["location"]["name_fingerprint"]: f["attributes"]["is_log"]
            for f in report["facts"] if f["kind"] == "object"}
    log = location_fingerprint({"bucket": "twin-logs", "key": f"u/{log_id}.txt"}, prints)
    assert logs[log] is True and list(logs.values()).count(False) == 1
    in_logs = [loc["name_fingerprint"] for f in report["findings"]
               if f["rule_id"] == "CSL-42-PI-IN-LOGS" for loc in f["locations"]]
    assert in_logs == [log]


def _scan(bucket: str, moto_endpoint: str, capsys, *args: str) -> tuple[str, dict]:
    with pytest.raises(SystemExit):
        main(["scan", f"s3://{bucket}", "--endpoint-url", moto_endpoint, "--executor",
              "serial", "-q", "-o", "r.json", *args])
    capsys.readouterr()
    text = Path("r.json").read_text(encoding="utf-8")
    report = json.loads(text)
    assert validation_errors(report) == []
    return text, report


def test_an_archived_objects_members_named_by_numbers_are_reported(
        s3, moto_endpoint, tmp_path, monkeypatch, capsys) -> None:
    """A zip and a tar.gz stored as objects: their members named by a person's number are
    items at the object's key and the member, as an archive's on disk; the others none."""
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    monkeypatch.chdir(tmp_path)
    make_bucket(s3, "kyc-archives")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr(f"{ID}.csv", "status\nok\n")
        archive.writestr("readme.txt", "nothing here\n")
    tarred = io.BytesIO()
    with tarfile.open(fileobj=tarred, mode="w:gz") as archive:
        for name in (f"people/{MOBILE}/a.txt", f"people/{MOBILE}/b.txt", "readme.txt"):
            info = tarfile.TarInfo(name)
            info.size = 7
            archive.addfile(info, io.BytesIO(b"signed\n"))
    s3.put_object(Bucket="kyc-archives", Key="out/batch.zip", Body=zipped.getvalue())
    s3.put_object(Bucket="kyc-archives", Key="out/people.tar.gz", Body=tarred.getvalue())
    text, report = _scan("kyc-archives", moto_endpoint, capsys)
    assert ID not in text and MOBILE not in text
    named = [(i["location"]["key"], i["location"].get("member"), i["entity_type"],
              i.get("files")) for i in report["inventory"] if i.get("origin") == "name"]
    assert sorted(named) == [
        ("out/batch.zip", "1101**********1233.csv", "CN_RESIDENT_ID", None),
        ("out/people.tar.gz", "people/138****5678/", "CN_MOBILE", 2)]
    by_id = next(i for i in report["inventory"] if i["entity_type"] == "CN_RESIDENT_ID")
    assert by_id["evidence"] == {
        "samples": [mask("CN_RESIDENT_ID", ID)],
        "fingerprints": [Fingerprinter(KEY.encode())("CN_RESIDENT_ID", ID)]}
    assert any(loc.get("member") == "1101**********1233.csv"
               for f in report["findings"] for loc in f["locations"])


AVATARS = ("13700001111", MOBILE, "13912345678", "15012345678", "18612345678")


def test_every_key_listed_is_judged_by_its_name_not_the_sample_alone(
        s3, moto_endpoint, tmp_path, monkeypatch, capsys) -> None:
    """--max-objects 1 reads one avatar of five: the other four keys are listed, and named
    by a mobile as much, so each has its item (no read: its name); a folder named by an ID
    is one item counting its two objects; the bucket's fact counts the keys named."""
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    monkeypatch.chdir(tmp_path)
    make_bucket(s3, "kyc-avatars")
    for mobile in AVATARS:
        s3.put_object(Bucket="kyc-avatars", Key=f"avatars/{mobile}.txt", Body=b"avatar\n")
    s3.put_object(Bucket="kyc-avatars", Key="avatars/default.txt", Body=b"avatar\n")
    for name in ("a.txt", "b.txt"):
        s3.put_object(Bucket="kyc-avatars", Key=f"uploads/{ID}/{name}", Body=b"signed\n")
    text, report = _scan("kyc-avatars", moto_endpoint, capsys, "--max-objects", "1")
    assert not any(raw in text for raw in (ID, *AVATARS))
    bucket = next(f for f in report["facts"] if f["kind"] == "bucket")["attributes"]
    assert (bucket["objects_listed"], bucket["objects_sampled"], bucket["objects_named"]) == (
        8, 2, 7)
    named = {(i["location"]["key"], i["entity_type"]): i for i in report["inventory"]
             if i.get("origin") == "name"}
    folder = named.pop(("uploads/1101**********1233/", "CN_RESIDENT_ID"))
    assert (folder["count"], folder["files"]) == (1, 2)
    prints = Fingerprinter(KEY.encode())
    assert sorted(i["evidence"]["fingerprints"][0] for i in named.values()) == sorted(
        prints("CN_MOBILE", m) for m in AVATARS)
    assert {key for key, _ in named} == {f"avatars/{mask('CN_MOBILE', m)}.txt"
                                         for m in AVATARS}


def test_past_so_many_named_keys_a_bucket_counts_them_per_folder(
        s3, moto_endpoint, tmp_path, monkeypatch, capsys) -> None:
    """Memory stays bounded by the folders, not the keys: past MAX_NAMED_PLACES (2 here)
    named places, the others are one item of their folder, counting them, its samples
    bounded; the count of numbers over all items is the keys'."""
    from pia.connectors.s3 import connector

    monkeypatch.setattr(connector, "MAX_NAMED_PLACES", 2)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    monkeypatch.chdir(tmp_path)
    make_bucket(s3, "kyc-many")
    for mobile in AVATARS:
        s3.put_object(Bucket="kyc-many", Key=f"avatars/{mobile}.txt", Body=b"avatar\n")
    text, report = _scan("kyc-many", moto_endpoint, capsys, "--max-objects", "1")
    assert not any(raw in text for raw in AVATARS)
    named = sorted((i for i in report["inventory"] if i.get("origin") == "name"),
                   key=lambda i: i["location"]["key"])
    assert [(i["location"]["key"], i["count"], i.get("names")) for i in named] == [
        ("avatars/", 3, 3),
        (f"avatars/{mask('CN_MOBILE', AVATARS[0])}.txt", 1, None),
        (f"avatars/{mask('CN_MOBILE', AVATARS[1])}.txt", 1, None)]
    prints = Fingerprinter(KEY.encode())
    assert named[0]["evidence"]["fingerprints"] == [prints("CN_MOBILE", m) for m in AVATARS[2:]]
