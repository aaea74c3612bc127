"""Bytes in a bundle that no member hash and no signature cover: appended after the end of
the archive, or written as a member's comment or extra field. pia writes none of them, so a
VALID verdict would vouch for unsigned content (raw values appended, say)."""

from __future__ import annotations

import io
import zipfile

import pytest
from bundle_helpers import failed, members, run_cli

from pia.bundle import load_public_key, verify_bundle
from pia.bundle.create import FIXED_TIME, REPORT

RAW_ID = "110101199402125972"


@pytest.fixture
def trusted(material):
    key = load_public_key(material["pub_path"])
    from pia.bundle import fingerprint

    return {fingerprint(key): key}


def _rezip(bundle: bytes, *, comment: bytes = b"", extra: bytes = b"") -> bytes:
    """The bundle's members written as pia writes them, but report.json with a comment or an
    extra field in its headers."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in sorted(members(bundle).items()):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            if name == REPORT:
                info.comment, info.extra = comment, extra
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def test_pia_own_layout_rezipped_is_still_valid(material, trusted):
    """The rebuild below changes nothing by itself: each refusal is the added bytes'."""
    assert _rezip(material["bundle"]) == material["bundle"]
    assert verify_bundle(material["bundle"], trusted).valid


@pytest.mark.parametrize("tail", [b"GARBAGE", f"idcard {RAW_ID}\n".encode(), b"\0"])
def test_bytes_after_the_end_of_the_archive_are_refused(material, trusted, tail):
    result = verify_bundle(material["bundle"] + tail, trusted)
    assert failed(result) == "archive-readable" and not result.readable
    assert result.failed[0].detail == (f"{len(tail)} bytes after the end of the archive belong "
                                       "to no member")


@pytest.mark.parametrize("edit, words", [
    ({"comment": f"idcard {RAW_ID}".encode()}, "member 'report.json' has a comment"),
    ({"extra": b"UT\x05\x00\x01\x00\x00\x00\x00"}, "member 'report.json' has an extra field"),
])
def test_a_member_comment_or_extra_field_is_refused(material, trusted, edit, words):
    result = verify_bundle(_rezip(material["bundle"], **edit), trusted)
    assert failed(result) == "archive-readable"
    assert words in result.failed[0].detail and RAW_ID not in result.failed[0].detail


def test_the_cli_says_one_line_and_exits_2_like_other_stray_bytes(work, capsys):
    bundle = work / "bundle.zip"
    bundle.write_bytes(bundle.read_bytes() + f"{RAW_ID} 13822202972\n".encode())
    code, out, err = run_cli(["bundle", "verify", str(bundle), "--pubkey", "signer.key.pub"],
                             capsys)
    assert code == 2
    assert err == ("pia: bundle unreadable: check archive-readable failed: 31 bytes after the "
                   "end of the archive belong to no member\n")
    assert RAW_ID not in out + err


def test_an_end_record_that_places_a_member_before_the_file_says_so(material, trusted):
    """QA: a flipped bit in the end record's directory offset was said as "256 bytes at
    offset -256 belong to no member"."""
    data = bytearray(material["bundle"])
    data[-5] ^= 1  # the high byte of the central directory's offset
    result = verify_bundle(bytes(data), trusted)
    assert failed(result) == "archive-readable" and not result.readable
    assert "places a member" in result.failed[0].detail
    assert "-" not in result.failed[0].detail
