"""A member's headers as pia writes them, and a local header agreeing with the central
directory (QA finding 5): no hash covers them, and ``unzip`` trusts the local one, so a
method changed to stored there made ``unzip -p`` print raw deflate bytes of a bundle that
verified VALID; a mode of 0777, an MS-DOS origin or another time made VALID variants."""

from __future__ import annotations

import struct

import pytest
from bundle_helpers import failed, run_cli

from pia.bundle import fingerprint, load_public_key, verify_bundle

#: (header signature, field offset in it, struct format, new value, words of the refusal)
EDITS = {
    "local-method-stored": (b"PK\x03\x04", 8, "<H", 0, "the local header says method 0"),
    "local-encrypted-flag": (b"PK\x03\x04", 6, "<H", 1, "the local header says flags 1"),
    "local-time": (b"PK\x03\x04", 10, "<H", 0x3412, "the local header says time 13330"),
    "local-crc-zero": (b"PK\x03\x04", 14, "<L", 0, "the local header says CRC 0"),
    "local-size-zero": (b"PK\x03\x04", 22, "<L", 0, "the local header says size 0"),
    "local-version": (b"PK\x03\x04", 4, "<H", 45, "the local header says version 45"),
    "central-time": (b"PK\x01\x02", 12, "<H", 0x3412, "date_time is (1980, 1, 1, 6, 32, 36)"),
    "central-mode-777": (b"PK\x01\x02", 38, "<L", 0o100777 << 16, "external_attr is 0o100777"),
    "central-made-by-msdos": (b"PK\x01\x02", 5, "<B", 0, "create_system is 0"),
}


def _edited(bundle: bytes, edit: str) -> bytes:
    """The bundle with one header field of its first member changed, nothing else."""
    signature, offset, fmt, value, _ = EDITS[edit]
    data = bytearray(bundle)
    struct.pack_into(fmt, data, data.find(signature) + offset, value)
    return bytes(data)


@pytest.fixture(scope="module")
def trusted(material):
    key = load_public_key(material["pub_path"])
    return {fingerprint(key): key}


def test_the_bundle_as_written_verifies(material, trusted):
    assert verify_bundle(material["bundle"], trusted).valid


@pytest.mark.parametrize("edit", EDITS)
def test_a_header_pia_never_writes_is_refused(material, trusted, edit):
    data = _edited(material["bundle"], edit)
    assert data != material["bundle"]
    result = verify_bundle(data, trusted)
    assert failed(result) == "members-intact" and result.readable
    assert result.failed[0].detail.startswith(f"manifest.json: {EDITS[edit][4]}")


def test_the_cli_calls_it_invalid(work, capsys):
    (work / "edited.zip").write_bytes(_edited((work / "bundle.zip").read_bytes(),
                                              "local-method-stored"))
    code, out, err = run_cli(["bundle", "verify", "edited.zip", "--pubkey", "signer.key.pub"],
                             capsys)
    assert code == 1 and "verdict:   INVALID" in out
    assert err == ("pia: bundle invalid: check members-intact failed: manifest.json: the local "
                   "header says method 0, the central directory 8\n")
