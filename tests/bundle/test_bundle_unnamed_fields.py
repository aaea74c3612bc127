"""QA Q2 B6, B7, B9: a raw value where the report's schema names no field (an inventory
item's extra property, a fact's extra key, a key that is itself an ID, the manifest's own
extra field), a "fingerprint" that is an ID padded with zeros, and a ``tool.version`` holding
an ID were signed by ``bundle create``, re-rendered by ``pia report`` and verified VALID (or
quoted by the undecided message). Each is now refused, masked; a real scan's bundle is not."""

from __future__ import annotations

import copy
import json

import pytest
from bundle_helpers import members, resign, run_cli
from qa2_scan import RAW_CARD, RAW_ID, RAW_MOBILE

from pia.bundle import load_private_key
from pia.bundle.create import MANIFEST, REPORT
from pia.report import dumps

RAW = (RAW_ID, RAW_MOBILE, RAW_CARD, RAW_ID[:14])


def _verify(scanned, bundle: bytes, capsys, tmp_path) -> tuple[int, str]:
    path = tmp_path / "edited.zip"
    path.write_bytes(bundle)
    code, out, err = run_cli(["bundle", "verify", str(path), "--pubkey",
                              str(scanned["pub_path"]), "--lang", "en"], capsys)
    said = out + err
    for raw in RAW:
        assert raw not in said
    return code, said


def _signed(scanned, report: dict, manifest_edit=None) -> bytes:
    key = load_private_key(scanned["key_path"])
    return resign(scanned["bundle"], key, {REPORT: dumps(report).encode()},
                  manifest_edit=manifest_edit)


def test_the_scans_bundle_is_valid(scanned, capsys, tmp_path):
    assert _verify(scanned, scanned["bundle"], capsys, tmp_path)[0] == 0
    assert _verify(scanned, _signed(scanned, scanned["report"]), capsys, tmp_path)[0] == 0


def _item_note(report):
    report["inventory"][0]["note"] = RAW_ID


def _fact_extra(report):
    report["facts"][0]["extra"] = {"contact": f"call {RAW_MOBILE}"}


def _key_is_a_card(report):
    report["facts"][0]["attributes"][RAW_CARD] = "x"


def _location_note(report):
    report["inventory"][0]["location"]["note"] = RAW_ID


def _finding_reference(report):
    report["findings"][0]["references"][0]["quote"] = f"身份证 {RAW_ID}"


def _tool_version(report):
    report["tool"]["version"] = f"0.0.1-{RAW_ID}"


def _padded_fingerprint(report):
    report["inventory"][0]["evidence"]["fingerprints"][0] = f"hmac-sha256:{RAW_ID}{'0' * 14}"


def _padded_finding_digest(report):
    report["findings"][0]["fingerprint"] = RAW_ID + "0" * 46


EDITS = {"item-note": (_item_note, "inventory[0].note holds a CN_RESIDENT_ID"),
         "fact-extra": (_fact_extra, "facts[0].extra.contact holds a CN_MOBILE"),
         "key-is-a-card": (_key_is_a_card, "(a key) holds a CN_BANK_CARD"),
         "location-note": (_location_note, "inventory[0].location.note holds"),
         "reference": (_finding_reference, "references[0].quote holds a CN_RESIDENT_ID"),
         "tool-version": (_tool_version, "tool.version is not a version"),
         "fingerprint": (_padded_fingerprint, "evidence.fingerprints[0] is not"),
         "finding-digest": (_padded_finding_digest, "findings[0].fingerprint is all decimal")}


@pytest.mark.parametrize("edit", EDITS)
def test_a_raw_value_anywhere_fails_verify(scanned, capsys, tmp_path, edit):
    change, said = EDITS[edit]
    report = copy.deepcopy(scanned["report"])
    change(report)
    code, out = _verify(scanned, _signed(scanned, report), capsys, tmp_path)
    assert code == 1 and "FAILED  samples-masked" in out and said in out, out


@pytest.mark.parametrize("edit", ["item-note", "fact-extra", "key-is-a-card", "tool-version"])
def test_report_and_bundle_create_refuse_it(scanned, capsys, tmp_path, edit):
    report = copy.deepcopy(scanned["report"])
    EDITS[edit][0](report)
    path = tmp_path / "edited.json"
    path.write_text(dumps(report), encoding="utf-8")
    for argv in (["report", str(path), "-f", "json", "-o", str(tmp_path / "out.json")],
                 ["bundle", "create", str(path), "--key", str(scanned["key_path"]), "-o",
                  str(tmp_path / "out.zip")]):
        code, out, err = run_cli(argv, capsys)
        assert code == 2 and EDITS[edit][1] in err, err
        assert not any(raw in out + err for raw in RAW)
    assert not (tmp_path / "out.json").exists() and not (tmp_path / "out.zip").exists()


def test_a_raw_value_in_the_manifest_fails_verify(scanned, capsys, tmp_path):
    def edit(manifest):
        manifest["note"] = f"客户 {RAW_ID}"

    code, out = _verify(scanned, _signed(scanned, scanned["report"], edit), capsys, tmp_path)
    assert code == 1 and "manifest.json: note holds a CN_RESIDENT_ID" in out, out


def test_a_manifest_version_holding_an_id_fails_verify(scanned, capsys, tmp_path):
    def edit(manifest):
        manifest["report"]["tool_version"] = f"0.1.0+{RAW_ID}"

    code, out = _verify(scanned, _signed(scanned, scanned["report"], edit), capsys, tmp_path)
    assert code == 1 and "manifest.json report.tool_version is not a version" in out, out


def test_the_undecided_message_does_not_quote_a_version_holding_an_id(scanned, capsys,
                                                                      tmp_path):
    report = copy.deepcopy(scanned["report"])
    report["tool"].update(rules=99, version=f"9.9.9+{RAW_ID}")
    code, out = _verify(scanned, _signed(scanned, report), capsys, tmp_path)
    assert code == 2 and "made by a newer pia (pia <not a version>" in out, out


def test_the_scans_report_holds_what_it_signed(scanned):
    """The bundled report is the scan's, byte for byte (the fixture is a real scan)."""
    bundled = json.loads(members(scanned["bundle"])[REPORT])
    assert bundled == scanned["report"] and MANIFEST in members(scanned["bundle"])
