"""Images named as PI, local or inside a zip or tar: one item each, not an unread binary too.

A face photo in a scanned folder was an inventory item and also a ``skipped`` binary file;
the same photo inside a zip or a tar was only skipped, so a KYC backup archive reported
nothing. Now an image member is judged as a local image is: on its path, below the archive's
own name (``faces.zip`` is a folder of faces), and listed once, as what it is.
"""

from __future__ import annotations

import io
import os
import tarfile
import zipfile

from pia.connectors.base import ScanOptions
from pia.connectors.files import scan_stream

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
WEBP = b"RIFF\x24\x04\x00\x00WEBPVP8 " + bytes(range(256)) * 4  # no magic pia lists
MEMBERS = {"faces/u1.jpg": JPEG, "人脸/u2.png": PNG, "idcard_front_u3.jpg": JPEG,
           "logo.png": PNG, "notes.txt": b"hello\n"}
NAMED = {"faces/u1.jpg": "BIOMETRIC", "人脸/u2.png": "BIOMETRIC",
         "idcard_front_u3.jpg": "CN_RESIDENT_ID"}


def _tar(path, members: dict[str, bytes], mode: str = "w:gz") -> None:
    with tarfile.open(path, mode) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _zip(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _members(result, archive: str) -> tuple[dict, dict]:
    """member → entity of the archive's items, member → reason of its skipped records."""
    items = {i["location"]["member"]: i["entity_type"] for i in result.inventory
             if i["location"]["path"].endswith(archive)}
    skipped = {s["location"].get("member"): s["reason"] for s in result.skipped
               if s["location"]["path"].endswith(archive)}
    return items, skipped


def test_a_local_image_named_as_pi_is_listed_once(tmp_path, scan) -> None:
    kyc = tmp_path / "kyc"
    (kyc / "faces").mkdir(parents=True)
    (kyc / "faces" / "u1.png").write_bytes(PNG)
    (kyc / "faces" / "u2.webp").write_bytes(WEBP)
    (kyc / "cat.png").write_bytes(PNG)
    result = scan(kyc)
    assert sorted(os.path.relpath(i["location"]["path"], kyc) for i in result.inventory) == [
        "faces/u1.png", "faces/u2.webp"]
    assert [(os.path.relpath(s["location"]["path"], kyc), s["reason"])
            for s in result.skipped] == [("cat.png", "binary file (a PNG image)")]
    formats = {os.path.relpath(f["location"]["path"], kyc): f["attributes"]["format"]
               for f in result.facts if f["kind"] == "file"}
    assert formats == {"faces/u1.png": "image", "faces/u2.webp": "image"}


def test_images_in_a_zip_and_a_tar_are_items_as_local_images_are(tmp_path, scan) -> None:
    backup = tmp_path / "backup"
    backup.mkdir()
    _zip(backup / "kyc.zip", MEMBERS)
    _tar(backup / "kyc.tar.gz", MEMBERS)
    _tar(backup / "kyc.tar", MEMBERS, mode="w")
    result = scan(backup)
    for archive in ("kyc.zip", "kyc.tar.gz", "kyc.tar"):
        items, skipped = _members(result, archive)
        assert items == NAMED, archive
        assert skipped == {"logo.png": "binary file (a PNG image)"}, archive
    for item in result.inventory:
        assert (item["count"], item["evidence"]["samples"], item["protection"]) == (
            1, [], "plaintext")
    formats = {f["location"]["path"].rsplit("/", 1)[-1]: f["attributes"]["format"]
               for f in result.facts if f["kind"] == "file"}
    assert formats == {"kyc.zip": "zip", "kyc.tar.gz": "tar", "kyc.tar": "tar"}


def test_an_archive_named_as_pi_names_its_images(tmp_path, scan) -> None:
    """``faces.zip`` holding ``u1.jpg`` is a folder of faces, as ``faces/u1.jpg`` is; the
    folders above the scanned one do not count."""
    backup = tmp_path / "faces" / "backup"
    backup.mkdir(parents=True)
    _zip(backup / "faces.zip", {"u1.jpg": JPEG, "2024/u2.jpg": JPEG})
    _zip(backup / "photos.zip", {"u1.jpg": JPEG})
    result = scan(backup)
    assert _members(result, "faces.zip")[0] == {"u1.jpg": "BIOMETRIC", "2024/u2.jpg":
                                                "BIOMETRIC"}
    assert _members(result, "photos.zip") == ({}, {"u1.jpg": "binary file (a JPEG image)"})
    assert not scan(backup / "photos.zip").inventory


def test_object_storage_archives_classify_their_images(tmp_path, ctx) -> None:
    """``scan_stream`` (what the S3 connector reads a blob with) judges members by the key."""
    path = tmp_path / "kyc.zip"
    _zip(path, MEMBERS)
    with open(path, "rb") as handle:
        scanned = scan_stream(handle, "backups/kyc.zip", {"bucket": "b", "key": "backups/kyc.zip"},
                              ctx, ScanOptions())
    found = {b["location"]["member"]: list(b["entities"]) for b in scanned["blobs"]
             if b["format"] == "image"}
    assert found == {member: [entity] for member, entity in NAMED.items()}
    assert [s["location"]["member"] for s in scanned["skipped"]] == ["logo.png"]
