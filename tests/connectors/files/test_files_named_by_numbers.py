"""A file named by a person's number holds that person's number in its name: the scan reports
the name as PI of its own (``pia.connectors.name_items``), masked and fingerprinted, located at
the file with ``origin: name``, and the rules judge it; its content is judged apart."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

from pia.masking import Fingerprinter, mask
from pia.report import validation_errors

ID = "110101199003071233"  # its check digit holds
BAD_ID = "110101199003071237"  # an ID's shape, its check digit fails: no item
SCAN_ID = "110101196603071233"  # a photo's name: the file is binary, never read
MOBILE = "13812345678"
CARD = "6222021234567890128"  # passes Luhn
RAW = (ID, BAD_ID, MOBILE, CARD, SCAN_ID)


def test_a_file_name_holding_an_id_a_mobile_or_a_card_is_reported(tmp_path: Path,
                                                                  pia_scan) -> None:
    estate = tmp_path / "estate"
    (estate / "logs").mkdir(parents=True)
    (estate / "contracts" / MOBILE).mkdir(parents=True)
    (estate / "logs" / f"{ID}.log").write_text("2026-01-01 12:00:00 heartbeat ok\n",
                                               encoding="utf-8")
    (estate / "contracts" / MOBILE / f"card_{CARD}.txt").write_text("signed\n",
                                                                    encoding="utf-8")
    (estate / "notes" / BAD_ID).parent.mkdir()
    (estate / "scans").mkdir()
    (estate / "scans" / f"{SCAN_ID}.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)))
    (estate / "notes" / f"{BAD_ID}.txt").write_text("nothing here\n", encoding="utf-8")
    _code, rules, report = pia_scan(estate)
    text = (tmp_path / "estate.report.json").read_text(encoding="utf-8")
    assert not any(raw in text for raw in RAW)
    assert validation_errors(report) == []

    named = {(i["location"]["path"], i["entity_type"]): i for i in report["inventory"]
             if i.get("origin") == "name"}
    prints = Fingerprinter(b"k" * 32)
    log = named.pop(("estate/logs/1101**********1233.log", "CN_RESIDENT_ID"))
    assert log["count"] == 1 and log["signals"] == ["values"]
    assert log["evidence"] == {"samples": [mask("CN_RESIDENT_ID", ID)],
                               "fingerprints": [prints("CN_RESIDENT_ID", ID)]}
    assert log["sensitive"] and log["protection"] == "plaintext"
    card = f"estate/contracts/138****5678/card_{mask('CN_BANK_CARD', CARD)}.txt"
    assert named.pop((card, "CN_BANK_CARD"))["evidence"]["fingerprints"] == [
        prints("CN_BANK_CARD", CARD)]
    # the mobile is the directory's name: its item stands there, with the file under it
    folder = named.pop(("estate/contracts/138****5678", "CN_MOBILE"))
    assert folder["evidence"]["samples"] == [mask("CN_MOBILE", MOBILE)]
    assert folder["files"] == 1
    # a photo pia does not read (a binary file, skipped) is named by a person all the same
    photo = named.pop(("estate/scans/1101**********1233.jpg", "CN_RESIDENT_ID"))
    assert photo["evidence"]["fingerprints"] == [prints("CN_RESIDENT_ID", SCAN_ID)]
    assert any(s["location"]["path"] == "estate/scans/1101**********1233.jpg"
               and s["reason"].startswith("binary file") for s in report["skipped"])
    assert named == {}  # the ID whose check digit fails is masked, and no item
    # the content holds no PI: every item is a name's, and the rules see them
    assert all(i.get("origin") == "name" for i in report["inventory"])
    located = {loc["path"] for f in report["findings"] for loc in f["locations"]}
    assert "estate/logs/1101**********1233.log" in located and card in located
    assert rules


def scan_members(estate: Path, pia_scan) -> tuple[set[str], dict, dict[tuple, dict]]:
    """``pia scan`` of ``estate``, its report holding no raw number and valid: its rules,
    the report, and its name items by (path, member, entity type)."""
    _code, rules, report = pia_scan(estate)
    text = (estate.parent / f"{estate.name}.report.json").read_text(encoding="utf-8")
    assert not any(raw in text for raw in RAW)
    assert validation_errors(report) == []
    return rules, report, {(i["location"]["path"], i["location"].get("member"),
                            i["entity_type"]): i
                           for i in report["inventory"] if i.get("origin") == "name"}


def test_a_zip_member_named_by_a_number_is_reported_at_the_member(tmp_path: Path,
                                                                  pia_scan) -> None:
    """An archive's member is named by a person as a file is (an export zipped to be sent):
    its name item stands at the member, the archive's other members named by nobody."""
    estate = tmp_path / "estate"
    (estate / "exports").mkdir(parents=True)
    with zipfile.ZipFile(estate / "exports" / "batch.zip", "w") as archive:
        archive.writestr(f"{ID}.csv", "status,amount\nok,12\n")
        archive.writestr(f"people/{MOBILE}/notes.txt", "signed\n")
        archive.writestr(f"{BAD_ID}.txt", "nothing here\n")
        archive.writestr("readme.txt", "nothing here\n")
    rules, report, named = scan_members(estate, pia_scan)
    prints = Fingerprinter(b"k" * 32)
    zipped = "estate/exports/batch.zip"
    by_id = named.pop((zipped, "1101**********1233.csv", "CN_RESIDENT_ID"))
    assert by_id["evidence"] == {"samples": [mask("CN_RESIDENT_ID", ID)],
                                 "fingerprints": [prints("CN_RESIDENT_ID", ID)]}
    assert by_id["sensitive"] and by_id["protection"] == "plaintext"
    by_mobile = named.pop((zipped, "people/138****5678/", "CN_MOBILE"))  # the directory's
    assert by_mobile["evidence"]["fingerprints"] == [prints("CN_MOBILE", MOBILE)]
    assert named == {}  # the ID whose check digit fails, the readme: no item
    # the members hold no PI: every item is a name's, and the ID's is stored sensitive PI
    assert all(i.get("origin") == "name" for i in report["inventory"])
    assert any(loc.get("member") == "1101**********1233.csv"
               for f in report["findings"] for loc in f["locations"]) and rules


def test_a_directory_named_by_a_number_is_one_item_counting_its_files(tmp_path: Path,
                                                                      pia_scan) -> None:
    """uploads/<ID>/ holding three files (one in a subdirectory) stores the ID once: one
    item at the directory, files 3, count 1, not three items of the same number; a zip's
    directory so named likewise; a file's own name under it is its own item still."""
    estate = tmp_path / "estate"
    person = estate / "uploads" / ID
    (person / "old").mkdir(parents=True)
    for name in ("a.jpg", "b.jpg", "old/c.txt"):
        (person / name).write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)))
    (person / f"{MOBILE}.txt").write_text("signed\n", encoding="utf-8")
    with zipfile.ZipFile(estate / "uploads" / "batch.zip", "w") as archive:
        archive.writestr(f"people/{MOBILE}/a.txt", "signed\n")
        archive.writestr(f"people/{MOBILE}/b.txt", "signed\n")
    _code, rules, report = pia_scan(estate)
    text = (tmp_path / "estate.report.json").read_text(encoding="utf-8")
    assert not any(raw in text for raw in RAW)
    assert validation_errors(report) == []
    named = [(i["location"]["path"], i["location"].get("member"), i["entity_type"],
              i["count"], i.get("files")) for i in report["inventory"]
             if i.get("origin") == "name"]
    assert sorted(named) == [
        ("estate/uploads/1101**********1233", None, "CN_RESIDENT_ID", 1, 4),
        ("estate/uploads/1101**********1233/138****5678.txt", None, "CN_MOBILE", 1, None),
        ("estate/uploads/batch.zip", "people/138****5678/", "CN_MOBILE", 1, 2)]
    # the ID's directory is stored sensitive PI, reported once at the directory
    located = [loc["path"] for f in report["findings"]
               if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT" for loc in f["locations"]]
    assert located.count("estate/uploads/1101**********1233") == 1 and rules


def tar_gz(members: dict[str, bytes], link: str | None = None) -> bytes:
    """A .tar.gz of ``members``, and a symbolic link named ``link`` (a member pia does not
    follow, so never reads)."""
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        if link is not None:
            info = tarfile.TarInfo(link)
            info.type, info.linkname = tarfile.SYMTYPE, "readme.txt"
            archive.addfile(info)
    return packed.getvalue()


def test_a_tar_member_named_by_a_number_is_reported_at_the_member(tmp_path: Path,
                                                                  pia_scan) -> None:
    """A tar is seen member by member as it is read, not planned as a zip is: its members
    named by a person have their items all the same, at the member, read or not (a link
    pia does not follow); a directory of members so named once."""
    estate = tmp_path / "estate"
    (estate / "exports").mkdir(parents=True)
    (estate / "exports" / "batch.tgz").write_bytes(tar_gz({
        f"{ID}.csv": b"status,amount\nok,12\n",
        f"people/{MOBILE}/a.txt": b"signed\n", f"people/{MOBILE}/b.txt": b"signed\n",
        f"{BAD_ID}.txt": b"nothing here\n", "readme.txt": b"nothing here\n"},
        link=f"card_{CARD}.txt"))
    rules, report, named = scan_members(estate, pia_scan)
    prints = Fingerprinter(b"k" * 32)
    tgz = "estate/exports/batch.tgz"
    by_id = named.pop((tgz, "1101**********1233.csv", "CN_RESIDENT_ID"))
    assert by_id["evidence"] == {"samples": [mask("CN_RESIDENT_ID", ID)],
                                 "fingerprints": [prints("CN_RESIDENT_ID", ID)]}
    by_mobile = named.pop((tgz, "people/138****5678/", "CN_MOBILE"))
    assert by_mobile["files"] == 2 and by_mobile["count"] == 1
    link = named.pop((tgz, f"card_{mask('CN_BANK_CARD', CARD)}.txt", "CN_BANK_CARD"))
    assert link["evidence"]["fingerprints"] == [prints("CN_BANK_CARD", CARD)]
    assert named == {}  # the ID whose check digit fails, the readme: no item
    assert all(i.get("origin") == "name" for i in report["inventory"])
    assert any(loc.get("member") == "1101**********1233.csv"
               for f in report["findings"] for loc in f["locations"]) and rules
