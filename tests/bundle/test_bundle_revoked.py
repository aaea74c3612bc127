"""`pia bundle verify|show --revoked FILE`: a regulator's list of compromised signing keys.

A key that leaked can sign anything, dated whenever its holder likes (the bundle's times are
the signer's own statement), so a bundle signed by a revoked key fails whatever it says,
trusted key or not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bundle_helpers import resign, run_cli

from pia.bundle import fingerprint, generate_keypair, load_private_key, load_public_key
from pia.bundle.create import MANIFEST, REPORT
from pia.bundle.verify import verify_bundle


def _fp(pub: str) -> str:
    return fingerprint(load_public_key(pub))


def _revoke(*pubs: str, name: str = "revoked.txt") -> str:
    lines = ["# revoked by the regulator", ""]
    lines += [f"{_fp(pub)}   # {pub}, reported stolen" for pub in pubs]
    Path(name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return name


def _trust(*pubs: str) -> str:
    Path("trust").mkdir(exist_ok=True)
    for pub in pubs:
        Path("trust", pub).write_bytes(Path(pub).read_bytes())
    return "trust"


@pytest.mark.parametrize("keys", [["--pubkey", "signer.key.pub"],
                                  ["--trusted-keys", "TRUST"]])
def test_a_trusted_key_revoked_signs_no_valid_bundle(work, capsys, keys):
    """The bundle verifies, then the same key is listed as revoked: exit 1, one line naming
    the key, its file and the list's line."""
    keys = [_trust("signer.key.pub", "other.key.pub") if k == "TRUST" else k for k in keys]
    assert run_cli(["bundle", "verify", "bundle.zip", *keys], capsys)[0] == 0
    revoked = _revoke("signer.key.pub")
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", *keys, "--revoked", revoked],
                             capsys)
    signer = _fp("signer.key.pub")
    assert code == 1
    assert err.count("\n") == 1 and err.startswith(
        "pia: bundle invalid: check signature-trusted failed: ")
    assert f"signed by {signer} (signer.key.pub), a key revoked in revoked.txt:3" in err
    assert "verdict:   INVALID" in out and "signer:    none trusted" in out
    assert "skipped report-schema: needs signature-trusted" in out  # nothing unsigned parsed
    code, out, _ = run_cli(["bundle", "verify", "bundle.zip", *keys, "--revoked", revoked,
                            "-f", "json"], capsys)
    doc = json.loads(out)
    assert code == 1 and not doc["valid"] and doc["signer"] is None
    (check,) = [c for c in doc["checks"] if c["name"] == "signature-trusted"]
    assert check["status"] == "failed" and "revoked" in check["detail"]


def test_show_of_a_revoked_signer_is_not_verified(work, capsys):
    revoked = _revoke("signer.key.pub")
    code, _, err = run_cli(["bundle", "show", "bundle.zip", "--pubkey", "signer.key.pub",
                            "--revoked", revoked, "--lang", "en"], capsys)
    assert code == 1
    assert err.startswith("pia: NOT VERIFIED: check signature-trusted failed (signed by ")
    assert "revoked in revoked.txt:3" in err


def test_no_signing_time_saves_a_revoked_key(work, material, capsys):
    """However early the bundle and its scan say they were made, a revoked key's bundle
    fails; and a list cannot say 'revoked from' a date, which would honour those claims."""
    early = resign(material["bundle"], material["key"], {},
                   manifest_edit=lambda m: m.update(created="2001-01-01T00:00:00Z"))
    Path("early.zip").write_bytes(early)
    revoked = _revoke("signer.key.pub")
    code, _, err = run_cli(["bundle", "verify", "early.zip", "--pubkey", "signer.key.pub",
                            "--revoked", revoked], capsys)
    assert code == 1 and "a key revoked in revoked.txt:3" in err
    Path("dated.txt").write_text(f"{_fp('signer.key.pub')} 2026-12-01\n", encoding="utf-8")
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", "signer.key.pub",
                              "--revoked", "dated.txt"], capsys)
    assert (code, out) == (2, "")
    assert err == ("pia: error: revoked keys file dated.txt:1: one fingerprint a line, then "
                   "nothing but a # comment (a revocation takes no date: it holds for every "
                   "bundle, whenever it says it was signed)\n")


def test_another_trusted_key_not_revoked_still_verifies(work, material, capsys):
    """Revoking one company's key leaves the bundles of the others valid, and the verdict
    says the list was consulted."""
    generate_keypair("company-b.key")
    b_bundle = resign(material["bundle"], load_private_key("company-b.key"), {},
                      manifest_edit=lambda m: m["signer"].update(
                          fingerprint=_fp("company-b.key.pub")))
    Path("b.zip").write_bytes(b_bundle)
    trust = _trust("signer.key.pub", "company-b.key.pub")
    revoked = _revoke("signer.key.pub")
    code, out, err = run_cli(["bundle", "verify", "b.zip", "--trusted-keys", trust,
                              "--revoked", revoked], capsys)
    assert (code, err) == (0, "")
    assert (f"ok      signature-trusted: signed by {_fp('company-b.key.pub')} "
            "(company-b.key.pub); not among 1 revoked key") in out


def test_a_revoked_key_that_is_not_the_given_one_is_named_revoked(work, capsys):
    """The regulator gives the company's new key; the bundle came from its stolen old one."""
    revoked = _revoke("signer.key.pub")
    code, _, err = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", "other.key.pub",
                            "--revoked", revoked], capsys)
    assert code == 1
    assert f"signed by key id {_fp('signer.key.pub')} (revoked), not by the given key" in err


@pytest.mark.parametrize("text, words", [
    ("SHA256:abc\n", "revoked.txt:1: 'SHA256:abc' is not a key fingerprint"),
    ("# ok\n\nsigner.key.pub\n", "revoked.txt:3: 'signer.key.pub' is not a key fingerprint"),
    (b"\xff\xfe", "revoked.txt is not UTF-8 text"),
])
def test_a_revocation_list_that_does_not_parse_is_an_error(work, capsys, text, words):
    """A list that cannot be read must not pass as 'nothing revoked'."""
    data = text if isinstance(text, bytes) else text.encode()
    Path("revoked.txt").write_bytes(data)
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", "signer.key.pub",
                              "--revoked", "revoked.txt"], capsys)
    assert (code, out) == (2, "") and words in err and err.count("\n") == 1
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", "signer.key.pub",
                              "--revoked", "missing.txt"], capsys)
    assert code == 2 and "cannot read revoked keys file missing.txt" in err


def test_lists_add_up_and_an_empty_one_revokes_nothing(work, material, capsys):
    Path("empty.txt").write_text("# nothing revoked yet\n", encoding="utf-8")
    code, out, _ = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", "signer.key.pub",
                            "--revoked", "empty.txt"], capsys)
    assert code == 0 and "verdict:   VALID" in out
    other = _revoke("other.key.pub", name="national.txt")
    mine = _revoke("signer.key.pub", name="mine.txt")
    code, _, err = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", "signer.key.pub",
                            "--revoked", "empty.txt", "--revoked", other, "--revoked", mine],
                           capsys)
    assert code == 1 and "a key revoked in mine.txt:3" in err


def test_verify_bundle_takes_revoked_keys(material):
    """The library call a pipeline makes: the same verdict as the command."""
    signer = fingerprint(material["key"].public_key())
    trusted = {signer: material["key"].public_key()}
    assert verify_bundle(material["bundle"], trusted).valid
    result = verify_bundle(material["bundle"], trusted, revoked={signer: "list.txt:1"})
    assert not result.valid and result.failed[0].name == "signature-trusted"
    assert {MANIFEST, REPORT} <= set(result.members)  # read, hashed, not trusted


def _openssh(pub: str) -> tuple[str, str]:
    """The key as an OpenSSH public key line, and the fingerprint ``ssh-keygen -l`` prints
    for it (the SHA-256 of the base64 blob that line holds)."""
    import base64
    import hashlib

    from cryptography.hazmat.primitives import serialization

    line = load_public_key(pub).public_bytes(serialization.Encoding.OpenSSH,
                                             serialization.PublicFormat.OpenSSH).decode()
    digest = hashlib.sha256(base64.b64decode(line.split()[1])).digest()
    return line, "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


@pytest.mark.parametrize("trusted", ["signer.key.pub", "signer-ssh.pub"])
def test_a_key_revoked_by_its_ssh_keygen_fingerprint_is_revoked(work, capsys, trusted):
    """The two fingerprints look alike: a list written with ssh-keygen -l revoked nothing,
    and the stolen key still made VALID bundles (QA 3)."""
    line, ssh_fingerprint = _openssh("signer.key.pub")
    Path("signer-ssh.pub").write_text(line + " signer\n")
    assert ssh_fingerprint != _fp("signer.key.pub")
    Path("revoked.txt").write_text(f"{ssh_fingerprint}  # from ssh-keygen -l\n")
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", trusted,
                              "--revoked", "revoked.txt"], capsys)
    assert code == 1 and "verdict:   INVALID" in out
    assert err.count("\n") == 1 and "a key revoked in revoked.txt:1" in err


def test_a_revoked_entry_that_names_no_trusted_key_is_warned_about(work, capsys):
    Path("revoked.txt").write_text(f"{_fp('other.key.pub')}\n# a comment\n"
                                   f"{_fp('signer.key.pub')[:-4]}AAAA\n")
    code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", "signer.key.pub",
                              "--revoked", "revoked.txt"], capsys)
    assert code == 0 and "verdict:   VALID" in out
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("pia: warning: revoked keys file ")
                                   and "names none of the keys trusted here" in line
                                   for line in lines)
    assert "revoked.txt:1: " in lines[0] and "revoked.txt:3: " in lines[1]
