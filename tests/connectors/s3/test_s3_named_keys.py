"""An object keyed by a person's number holds that number in its key: the scan reports the key
as PI of its own (``pia.connectors.name_items``, shared with the files connector), masked and
fingerprinted, located at the object with ``origin: name``, read over HTTP from an S3
server; its content is judged apart."""

from __future__ import annotations

import json
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
