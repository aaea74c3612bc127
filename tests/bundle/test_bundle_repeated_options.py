"""QA D8: Typer keeps the last of a repeated single-valued option, so ``bundle verify
--expect-sha256 WRONG --expect-sha256 RIGHT`` said VALID, exit 0, the first expectation
dropped without a word; ``--expect-signer`` twice, ``--trusted-keys`` twice and ``bundle
create``'s ``--key``, ``--config``, ``--created`` and ``-o`` twice did the same. Two different
values are now a usage error (exit 2, one line naming both); the same value given again
passes. Also: ``--expect-signer`` takes the fingerprint's prefix in any case, as
``--expect-sha256`` takes ``sha256:``. Real bundles, real ``pia`` runs in-process."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bundle_helpers import run_cli

from pia.bundle import fingerprint, generate_keypair, load_public_key

VERIFY = ["bundle", "verify", "bundle.zip", "--lang", "en"]


def _refused_for(flag: str, code: int, out: str, err: str) -> None:
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert f"{flag} given twice with different values" in err, err


def test_a_wrong_digest_before_the_right_one_is_refused(work, material, capsys):
    right = hashlib.sha256(material["bundle"]).hexdigest()
    wrong = hashlib.sha256(b"another bundle").hexdigest()
    for first, second in ((wrong, right), (right, wrong)):
        _refused_for("--expect-sha256", *run_cli(
            [*VERIFY, "--pubkey", "signer.key.pub", "--expect-sha256", first,
             "--expect-sha256", second], capsys))
    code, out, err = run_cli([*VERIFY, "--pubkey", "signer.key.pub", "--expect-sha256", right,
                              "--expect-sha256", f"sha256:{right.upper()}"], capsys)
    assert code == 0 and "VALID" in out, err  # the same digest, spelt otherwise


def test_a_wrong_signer_before_the_right_one_is_refused(work, capsys):
    right = fingerprint(load_public_key("signer.key.pub"))
    wrong = fingerprint(load_public_key("other.key.pub"))
    for first, second in ((wrong, right), (right, wrong)):
        _refused_for("--expect-signer", *run_cli(
            [*VERIFY, "--pubkey", "signer.key.pub", "--expect-signer", first,
             "--expect-signer", second], capsys))
    code, out, err = run_cli([*VERIFY, "--pubkey", "signer.key.pub", "--expect-signer", right,
                              "--expect-signer", right], capsys)
    assert code == 0 and "VALID" in out, err


def test_expect_signer_takes_the_prefix_in_any_case(work, capsys):
    right = fingerprint(load_public_key("signer.key.pub"))
    wrong = fingerprint(load_public_key("other.key.pub"))
    lower = "sha256:" + right.removeprefix("SHA256:")
    code, out, err = run_cli([*VERIFY, "--pubkey", "signer.key.pub", "--expect-signer", lower],
                             capsys)
    assert code == 0 and "VALID" in out, err
    code, out, err = run_cli([*VERIFY, "--pubkey", "signer.key.pub", "--expect-signer",
                              "sha256:" + wrong.removeprefix("SHA256:")], capsys)
    assert code == 2 and "not the fingerprint of the key in signer.key.pub" in err, err
    flipped = "SHA256:" + right.removeprefix("SHA256:").swapcase()  # base64 is case-sensitive
    code, out, err = run_cli([*VERIFY, "--pubkey", "signer.key.pub", "--expect-signer",
                              flipped], capsys)
    assert code == 2 and "not the fingerprint" in err, err


def test_two_trusted_key_directories_are_refused(work, capsys):
    """The last directory alone was trusted: the signer's key in the first one was not."""
    for name, key in (("ours", "signer.key.pub"), ("theirs", "other.key.pub")):
        Path(name).mkdir()
        Path(name, "k.pub").write_bytes(Path(key).read_bytes())
    for command in (VERIFY, ["bundle", "show", "bundle.zip"]):
        _refused_for("--trusted-keys", *run_cli(
            [*command, "--trusted-keys", "ours", "--trusted-keys", "theirs"], capsys))
    code, out, err = run_cli([*VERIFY, "--trusted-keys", "ours", "--trusted-keys", "./ours/"],
                             capsys)
    assert code == 0 and "VALID" in out, err  # the same directory by another path


def test_create_refuses_two_of_what_it_signs_or_writes(work, capsys):
    create = ["bundle", "create", "report.json", "--lang", "en"]
    Path("other.yaml").write_text(Path("pia.yaml").read_text(encoding="utf-8") + "\n",
                                  encoding="utf-8")
    generate_keypair("another.key")
    for flag, first, second in (("--key", "signer.key", "another.key"),
                                ("--config", "pia.yaml", "other.yaml"),
                                ("--created", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"),
                                ("--output", "one.zip", "two.zip")):
        given = [flag, first, flag, second]
        if flag != "--key":
            given += ["--key", "signer.key"]
        if flag != "--output":
            given += ["-o", "new.zip"]
        _refused_for(flag, *run_cli([*create, *given], capsys))
    assert not any(Path(name).exists() for name in ("new.zip", "one.zip", "two.zip"))
    code, _, err = run_cli([*create, "--key", "signer.key", "--key", "./signer.key",
                            "-o", "new.zip", "-o", "new.zip"], capsys)
    assert code == 0 and Path("new.zip").is_file(), err
