"""What a regulator received apart from the bundle: the file's SHA-256 and the signer's
fingerprint, which verify compares for them.

QA D5: the verdict did not print the bundle's own digest, so a replayed older bundle, or
the same content zipped otherwise, could not be matched with a digest sent out of band.
QA D6: the README said the key "(or its fingerprint)" is handed over, but a fingerprint
could only be compared by eye with the printed signer.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from bundle_helpers import failed, members, run_cli

from pia.bundle import fingerprint, load_public_key, verify_bundle
from pia.bundle.keys import openssh_fingerprint
from pia.bundle.safezip import WRITTEN


@pytest.fixture(scope="module")
def trusted(material):
    key = load_public_key(material["pub_path"])
    return {fingerprint(key): key}


def _rezipped(bundle: bytes) -> bytes:
    """The same members zipped at another deflate level: content verifies, bytes differ."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in sorted(members(bundle).items()):
            info = zipfile.ZipInfo(name, date_time=WRITTEN["date_time"])
            info.compress_type = WRITTEN["compress_type"]
            info.create_system = WRITTEN["create_system"]
            info.external_attr = WRITTEN["external_attr"]
            archive.writestr(info, body, compresslevel=1)
    return buffer.getvalue()


def test_the_verdict_carries_the_files_own_digest(material, trusted):
    result = verify_bundle(material["bundle"], trusted)
    digest = hashlib.sha256(material["bundle"]).hexdigest()
    assert result.valid and result.sha256 == digest and result.to_dict()["sha256"] == digest


def test_a_bundle_other_than_the_one_expected_is_invalid(material, trusted):
    original = hashlib.sha256(material["bundle"]).hexdigest()
    other = _rezipped(material["bundle"])
    assert other != material["bundle"] and verify_bundle(other, trusted).valid
    result = verify_bundle(other, trusted, expect_sha256=original)
    assert not result.valid and failed(result) == "bundle-digest"
    assert f"not the expected {original}" in result.failed[0].detail
    matched = verify_bundle(material["bundle"], trusted, expect_sha256=original)
    assert matched.valid
    assert next(c for c in matched.checks if c.name == "bundle-digest").status == "passed"


def test_the_cli_prints_and_compares_the_digest(work, material, capsys):
    digest = hashlib.sha256(material["bundle"]).hexdigest()
    code, out, _ = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", "signer.key.pub",
                            "--lang", "en"], capsys)
    assert code == 0 and f"sha256:    {digest}" in out
    for given in (digest.upper(), f"sha256:{digest}"):
        code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", "signer.key.pub",
                                  "--expect-sha256", given, "-f", "json"], capsys)
        assert code == 0 and json.loads(out)["sha256"] == digest, err
    Path("other.zip").write_bytes(_rezipped(material["bundle"]))
    code, out, err = run_cli(["bundle", "verify", "other.zip", "--pubkey", "signer.key.pub",
                              "--expect-sha256", digest], capsys)
    assert code == 1 and err.count("\n") == 1 and "check bundle-digest failed" in err
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", "signer.key.pub",
                              "--expect-sha256", digest[:40]], capsys)
    assert code == 2 and "is not a SHA-256" in err and out == ""


def test_expect_signer_compares_the_key_file_with_the_fingerprint(work, capsys):
    key = load_public_key("signer.key.pub")
    for given in (fingerprint(key), openssh_fingerprint(key)):
        code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", "signer.key.pub",
                                  "--expect-signer", given], capsys)
        assert code == 0, err
    other = fingerprint(load_public_key("other.key.pub"))
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", "signer.key.pub",
                              "--expect-signer", other], capsys)
    assert code == 2 and out == "" and "not the fingerprint of the key in signer.key.pub" in err


def test_expect_signer_narrows_a_trusted_keys_directory(work, capsys):
    """Both companies trusted, the bundle signed by one: expecting the other refuses it."""
    Path("trust").mkdir()
    Path("trust/a.pub").write_bytes(Path("signer.key.pub").read_bytes())
    Path("trust/b.pub").write_bytes(Path("other.key.pub").read_bytes())
    other = fingerprint(load_public_key("other.key.pub"))
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--trusted-keys", "trust",
                              "--expect-signer", other], capsys)
    assert code == 1 and "check signature-trusted failed" in err
    code, _, err = run_cli(["bundle", "verify", "bundle.zip", "--trusted-keys", "trust"], capsys)
    assert code == 0, err


def test_a_fingerprint_as_pubkey_says_what_to_give(work, capsys):
    given = fingerprint(load_public_key("signer.key.pub"))
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", given], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "public key file" in err and "--expect-signer" in err
