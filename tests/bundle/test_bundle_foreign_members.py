"""QA Q2 B1, B2: a member pia never writes (``notes.txt`` of raw IDs), listed in the manifest
and signed by the signer's own key, verified VALID and ``unzip`` handed it to the regulator;
``Report.json`` beside ``report.json`` too, which a case-insensitive disk (macOS, Windows)
writes as one file, so the regulator could open the unverified one. Both now fail, exit 1."""

from __future__ import annotations

import pytest
from bundle_helpers import members, raw_zip, resign, run_cli
from qa2_scan import RAW_CARD, RAW_ID

from pia.bundle import load_private_key

NOTES = f"客户 {RAW_ID} 卡 {RAW_CARD}\n".encode()


def _verify(scanned, bundle: bytes, capsys, tmp_path) -> tuple[int, str]:
    path = tmp_path / "b.zip"
    path.write_bytes(bundle)
    code, out, err = run_cli(["bundle", "verify", str(path), "--pubkey",
                              str(scanned["pub_path"]), "--lang", "en"], capsys)
    assert RAW_ID not in out + err and RAW_CARD not in out + err
    return code, out + err


@pytest.mark.parametrize("name", ["notes.txt", "rulesets/acme.yaml", "rulesets/cn-pipl.yml",
                                  "report.json.bak", "docs/README.md"])
def test_a_listed_and_signed_member_pia_does_not_write_fails(scanned, capsys, tmp_path, name):
    key = load_private_key(scanned["key_path"])
    code, said = _verify(scanned, resign(scanned["bundle"], key, {name: NOTES}), capsys,
                         tmp_path)
    assert code == 1 and f"FAILED  members-complete: {name} is no member pia writes" in said


def test_the_members_pia_writes_still_verify(scanned, capsys, tmp_path):
    key = load_private_key(scanned["key_path"])
    assert _verify(scanned, resign(scanned["bundle"], key, {}), capsys, tmp_path)[0] == 0


@pytest.mark.parametrize("twins", [("report.json", "Report.json"),
                                   ("report.json", "REPORT.JSON"),
                                   ("notes\u00e9.txt", "notese\u0301.txt")])  # NFC, NFD
def test_names_equal_but_for_case_or_normal_form_are_duplicates(scanned, capsys, tmp_path,
                                                                twins):
    content = members(scanned["bundle"])
    entries = [*content.items(), *((name, NOTES) for name in twins if name not in content)]
    code, said = _verify(scanned, raw_zip(entries, utf8_flag=True), capsys, tmp_path)
    assert code == 1 and "FAILED  member-names-safe: duplicate member name" in said, said
