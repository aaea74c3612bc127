"""The signature envelope holds exactly what pia writes: one signature, under a fingerprint.

QA D3: ``dsse.verify`` skipped entries it could not use and took the first that verified, so
a signature list padded with a copy, zero bytes, a bad signature under the trusted key id,
a co-signature or 18 KB of raw PI in a key id still verified VALID, and with a co-signature
the verdict depended on the entries' order.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from bundle_helpers import failed, members, run_cli, with_members

from pia.bundle import dsse, fingerprint, load_private_key, load_public_key, verify_bundle
from pia.bundle.create import MANIFEST, SIGNATURE

RAW_ID, RAW_MOBILE = "110105199003071239", "13912345678"


@pytest.fixture(scope="module")
def trusted(material):
    key = load_public_key(material["pub_path"])
    return {fingerprint(key): key}


def _envelope(material) -> dict:
    return json.loads(members(material["bundle"])[SIGNATURE])


def _with_signatures(material, signatures: list) -> bytes:
    envelope = _envelope(material)
    envelope["signatures"] = signatures
    return with_members(material["bundle"], {SIGNATURE: dsse.serialize(envelope)})


def _other_signature(material) -> dict:
    """A valid signature of the same manifest by the other key pair of the session."""
    other = load_private_key(Path(str(material["other_pub_path"])[:-len(".pub")]))
    manifest = members(material["bundle"])[MANIFEST]
    return json.loads(dsse.sign(manifest, other))["signatures"][0]


def _padded(material) -> dict[str, list]:
    good = _envelope(material)["signatures"][0]
    zeros = base64.b64encode(bytes(64)).decode()
    other = _other_signature(material)
    return {
        "zero-bytes-appended": [good, {"keyid": "x", "sig": zeros}],
        "same-entry-twice": [good, good],
        "bad-under-trusted-keyid-first": [{"keyid": good["keyid"], "sig": zeros}, good],
        "pi-in-keyid": [good, {"keyid": f"客户 {RAW_ID} {RAW_MOBILE} " * 600, "sig": zeros}],
        "cosigned-after": [good, other],
        "cosigned-before": [other, good],
    }


@pytest.mark.parametrize("case", ["zero-bytes-appended", "same-entry-twice",
                                  "bad-under-trusted-keyid-first", "pi-in-keyid",
                                  "cosigned-after", "cosigned-before"])
def test_only_one_signature_entry_verifies(material, trusted, case):
    signatures = _padded(material)[case]
    result = verify_bundle(_with_signatures(material, signatures), trusted)
    assert not result.valid and failed(result) == "signature-envelope"
    detail = result.failed[0].detail
    assert f"holds {len(signatures)} entries, not exactly one" in detail
    assert RAW_ID not in detail and RAW_MOBILE not in detail


@pytest.mark.parametrize("edit, words", [
    (lambda s: {**s, "note": "unsigned words"}, "exactly keyid and sig"),
    (lambda s: {"sig": s["sig"]}, "exactly keyid and sig"),
    (lambda s: {**s, "keyid": s["keyid"] + "A"}, "not a key fingerprint"),
    (lambda s: {**s, "keyid": f"SHA256:{RAW_ID}"}, "not a key fingerprint"),
    (lambda s: {**s, "sig": base64.b64encode(base64.b64decode(s["sig"]) + b"\0").decode()},
     "65 bytes, not the 64"),
    (lambda s: {**s, "sig": base64.b64encode(base64.b64decode(s["sig"])[:63]).decode()},
     "63 bytes, not the 64"),
])
def test_the_one_entry_is_what_pia_writes(material, trusted, edit, words):
    """An unknown field in the entry would be unsigned bytes in a valid bundle; a key id not
    fingerprint-shaped and a signature of other than 64 bytes are never pia's."""
    signature = edit(_envelope(material)["signatures"][0])
    result = verify_bundle(_with_signatures(material, [signature]), trusted)
    assert failed(result) == "signature-envelope" and words in result.failed[0].detail
    assert RAW_ID not in result.failed[0].detail


#: unauthenticated text no masker recognises: only never quoting the envelope keeps it out
UNSIGNED = "Zhang-wrote-this"


def test_an_unknown_envelope_field_is_refused_without_quoting_it(material, trusted):
    envelope = _envelope(material)
    envelope[UNSIGNED] = "x"
    result = verify_bundle(with_members(material["bundle"], {SIGNATURE: dsse.serialize(envelope)}),
                           trusted)
    assert failed(result) == "signature-envelope" and UNSIGNED not in result.failed[0].detail


def test_a_duplicate_envelope_key_is_refused_without_quoting_it(material, trusted):
    body = members(material["bundle"])[SIGNATURE]
    body = body.replace(b'"payload":', f'"{UNSIGNED}": 1, "{UNSIGNED}": 2, "payload":'.encode(),
                        1)
    result = verify_bundle(with_members(material["bundle"], {SIGNATURE: body}), trusted)
    assert failed(result) == "signature-envelope" and UNSIGNED not in result.failed[0].detail


def test_cosigned_bundle_is_invalid_whatever_the_order_under_trusted_keys(work, material,
                                                                        capsys):
    """Both signers trusted: the verdict no longer depends on which entry comes first."""
    Path("trust").mkdir()
    Path("trust/a.pub").write_bytes(Path("signer.key.pub").read_bytes())
    Path("trust/b.pub").write_bytes(Path("other.key.pub").read_bytes())
    for case in ("cosigned-after", "cosigned-before"):
        Path(f"{case}.zip").write_bytes(_with_signatures(material, _padded(material)[case]))
        code, out, err = run_cli(["bundle", "verify", f"{case}.zip", "--trusted-keys", "trust"],
                                 capsys)
        assert code == 1 and "INVALID" in out
        assert err.count("\n") == 1 and "check signature-envelope failed" in err


def test_pi_in_a_key_id_is_never_printed(work, material, capsys):
    Path("pi.zip").write_bytes(_with_signatures(material, _padded(material)["pi-in-keyid"]))
    for argv in (["verify", "pi.zip", "--pubkey", "signer.key.pub"],
                 ["verify", "pi.zip", "--pubkey", "signer.key.pub", "-f", "json"],
                 ["show", "pi.zip", "--pubkey", "signer.key.pub"]):
        code, out, err = run_cli(["bundle", *argv], capsys)
        assert code == 1
        assert RAW_ID not in out + err and RAW_MOBILE not in out + err
