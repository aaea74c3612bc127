"""`pia scan --bundle --key K` reads the signing key before it scans: a missing key, a public
key or a passphrase-protected one without its passphrase were found only after the whole
scan (hours on a large estate), and the passphrase hint named options scan did not have.
Scan now takes --passphrase-env/--passphrase-file as bundle create does, and --key without
--bundle (which signed nothing) is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_scan_inputs import here, one_error_line, pia  # noqa: F401 (a fixture)

from pia.bundle import generate_keypair

SCAN = ("scan", "ok.log", "-q", "--fail-on", "critical", "--bundle", "b.zip")


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources opened: none may be when the key is unusable."""
    import pia.scan

    opened: list[str] = []
    real = pia.scan.run_scan
    monkeypatch.setattr(pia.scan, "run_scan",
                        lambda request, progress: opened.extend(request.sources)
                        or real(request, progress))
    return opened


@pytest.mark.usefixtures("here")
@pytest.mark.parametrize(("key", "says"), [
    ("nosuch.key", "cannot read private key nosuch.key"),
    ("plain.key.pub", "plain.key.pub is a public key: --key takes the private key"),
    ("locked.key", "private key locked.key is encrypted: give --passphrase-env or"),
])
def test_an_unusable_key_stops_the_scan_before_it_starts(capsys, scanned, monkeypatch, key,
                                                         says) -> None:
    generate_keypair(Path("plain.key"))
    generate_keypair(Path("locked.key"), b"correct horse")
    code, out, err = pia(capsys, *SCAN, "--key", key)
    assert says in one_error_line(code, err) and out == ""
    assert scanned == [] and not Path("b.zip").exists()


@pytest.mark.usefixtures("here")
def test_a_passphrase_protected_key_signs_with_the_passphrase_options(capsys,
                                                                      monkeypatch) -> None:
    generate_keypair(Path("locked.key"), b"correct horse")
    monkeypatch.setenv("PIA_TEST_PASS", "correct horse")
    code, _, err = pia(capsys, *SCAN, "--key", "locked.key", "--passphrase-env", "PIA_TEST_PASS")
    assert code == 0, err
    code, out, err = pia(capsys, "bundle", "verify", "b.zip", "--pubkey", "locked.key.pub")
    assert code == 0, out + err
    Path("pass.txt").write_text("correct horse\n")
    code, _, err = pia(capsys, *SCAN, "--key", "locked.key", "--passphrase-file", "pass.txt")
    assert code == 0, err
    code, _, err = pia(capsys, "scan", "ok.log", "-q", "--bundle", "pass.txt", "--key",
                       "locked.key", "--passphrase-file", "pass.txt")
    assert "is this scan's --passphrase-file file" in one_error_line(code, err)


@pytest.mark.usefixtures("here")
def test_a_key_without_a_bundle_is_refused(capsys) -> None:
    generate_keypair(Path("plain.key"))
    code, out, err = pia(capsys, "scan", "ok.log", "-q", "--key", "plain.key")
    assert "give --bundle FILE too" in one_error_line(code, err) and out == ""
