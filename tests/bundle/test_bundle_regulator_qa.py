"""Regulator QA (2026-12-01): nothing verify or show prints of a bundle carries a raw
identifier, whatever the bundle holds and whatever its verdict; a declaration holding one is
refused; a key file holding two keys is refused."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from bundle_helpers import members, resign, run_cli

from pia.bundle import create_bundle, verify_bundle
from pia.bundle.create import DECLARATION, REPORT
from pia.bundle.keys import fingerprint
from pia.errors import BundleError

ID, MOBILE = "110101199003071233", "13912345678"


def test_verify_masks_what_a_forged_manifest_says(material, work, capsys):
    def plant(manifest):
        manifest["scan"]["sources"] = [f"db-{ID}", f"tel {MOBILE}"]
        manifest["created"] = f"2026-12-01 {ID}"
        manifest["counts"]["inventory_items"] = MOBILE

    Path("forged.zip").write_bytes(resign(material["bundle"], material["key"], {},
                                          manifest_edit=plant))
    for fmt in ("text", "json"):
        code, out, err = run_cli(["bundle", "verify", "forged.zip", "--pubkey",
                                  str(material["pub_path"]), "-f", fmt], capsys)
        assert code == 1
        assert ID not in out + err and MOBILE not in out + err
        assert "1101**********1233" in out and "139****5678" in out


def test_show_masks_a_name_samples_masked_refused(material, work, capsys):
    report = json.loads(members(material["bundle"])[REPORT])
    path = report["inventory"][0]["location"]
    key = next(k for k in ("path", "table", "column") if k in path)
    path[key] = f"{ID}.log"
    Path("raw.zip").write_bytes(resign(material["bundle"], material["key"], {
        REPORT: json.dumps(report, ensure_ascii=False).encode()}))
    for fmt in ("table", "html"):
        code, out, err = run_cli(["bundle", "show", "raw.zip", "--pubkey",
                                  str(material["pub_path"]), "-f", fmt], capsys)
        assert code == 1 and ID not in out + err
        assert "1101**********1233" in out


def test_a_declaration_holding_an_identifier_is_refused_and_masked(material, work, capsys):
    bundled = yaml.safe_load(members(material["bundle"])[DECLARATION])
    bundled.setdefault("organisation", {})["name"] = f"示例 电话{MOBILE}"
    text = yaml.safe_dump(bundled, allow_unicode=True, sort_keys=False).encode()
    forged = resign(material["bundle"], material["key"], {DECLARATION: text})
    public = material["key"].public_key()
    result = verify_bundle(forged, {fingerprint(public): public})
    declared = next(c for c in result.checks if c.name == "declaration-readable")
    assert declared.status == "failed" and "CN_MOBILE" in declared.detail
    assert MOBILE not in declared.detail
    Path("decl.zip").write_bytes(forged)
    code, out, err = run_cli(["bundle", "show", "decl.zip", "--pubkey",
                              str(material["pub_path"])], capsys)
    assert code == 1 and MOBILE not in out + err


def test_bundle_create_refuses_a_declaration_holding_an_identifier(material, monkeypatch):
    declaration = material["declaration"]
    original = declaration.redacted

    def planted():
        data = original()
        data.setdefault("organisation", {})["name"] = f"身份证{ID}"
        return data

    monkeypatch.setattr(declaration, "redacted", planted)
    try:
        create_bundle(material["report"], material["rulesets"], declaration, material["key"])
    except BundleError as err:
        assert "organisation.name holds a CN_RESIDENT_ID (masked: 1101**********1233)" in str(err)
        assert ID not in str(err)
    else:
        raise AssertionError("bundled a declaration holding a resident ID")


def test_a_key_file_holding_two_keys_is_refused(material, work, capsys):
    two = material["pub_path"].read_bytes() + material["other_pub_path"].read_bytes()
    Path("two.pub").write_bytes(two)
    Path("trailing.pub").write_bytes(material["pub_path"].read_bytes() + b"text\n")
    for name in ("two.pub", "trailing.pub"):
        code, out, err = run_cli(["bundle", "verify", "bundle.zip", "--pubkey", name], capsys)
        assert code == 2 and "holds more than one key" in err and "\n" not in err.strip()
