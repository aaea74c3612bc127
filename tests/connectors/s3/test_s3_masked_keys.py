"""Objects keyed by a person's number (``scans/110101199003071237.txt``), read over HTTP from
an S3 server, are named masked in every output of `pia scan` and in the bundle, each with a
keyed fingerprint of its real key; two objects whose masked keys coincide stay two."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from s3_server import make_bucket

from pia.cli import main
from pia.masked_names import location_fingerprint
from pia.masking import Fingerprinter

KEY = "f" * 32
ID_A, ID_B = "110101199003071237", "110101198503071237"  # both mask as 1101**********1237
MOBILE = "13812345678"
RAW = (ID_A, ID_B, MOBILE)
FORMATS = ("json", "html", "md", "sarif")


def test_object_keys_named_by_numbers_are_masked(s3, moto_endpoint, tmp_path, monkeypatch,
                                                 capsys) -> None:
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", KEY)
    monkeypatch.chdir(tmp_path)
    make_bucket(s3, "id-scans")
    for raw in (ID_A, ID_B):
        s3.put_object(Bucket="id-scans", Key=f"scans/{raw}.txt",
                      Body=f"客户 手机号 {MOBILE}\n".encode())
    s3.put_object(Bucket="id-scans", Key=f"contracts/{MOBILE}.csv",
                  Body=f"name,phone\nA,{MOBILE}\n".encode())
    with pytest.raises(SystemExit):
        main(["scan", "s3://id-scans", "--endpoint-url", moto_endpoint, "--executor",
              "serial", "--lang", "en", *(a for ext in FORMATS for a in ("-o", f"r.{ext}"))])
    out, err = capsys.readouterr()
    for text, where in [(out + err, "terminal"),
                        *((Path(f"r.{ext}").read_text(encoding="utf-8"), ext)
                          for ext in FORMATS)]:
        assert not any(raw in text for raw in RAW), where
    report = json.loads(Path("r.json").read_text(encoding="utf-8"))
    scans = [i["location"] for i in report["inventory"]
             if i["location"]["key"] == "scans/1101**********1237.txt"]
    prints = Fingerprinter(KEY.encode())
    assert sorted(loc["name_fingerprint"] for loc in scans) == sorted(
        location_fingerprint({"bucket": "id-scans", "key": f"scans/{raw}.txt"}, prints)
        for raw in (ID_A, ID_B))
    assert "contracts/138****5678.csv" in {i["location"]["key"] for i in report["inventory"]}
    objects = {f["location"]["key"] for f in report["facts"] if f["kind"] == "object"}
    assert "scans/1101**********1237.txt" in objects

    with pytest.raises(SystemExit) as exited:
        main(["keygen", "signer.key"])
    assert not exited.value.code
    for command in (["bundle", "create", "r.json", "--key", "signer.key", "-o", "b.zip"],
                    ["bundle", "verify", "b.zip", "--pubkey", "signer.key.pub"]):
        with pytest.raises(SystemExit) as exited:
            main(command)
        assert not exited.value.code, capsys.readouterr()
    with zipfile.ZipFile("b.zip") as bundle:
        for name in bundle.namelist():
            text = bundle.read(name).decode("utf-8", "replace")
            assert not any(raw in text for raw in RAW), name
