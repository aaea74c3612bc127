"""What a bundle holds: no raw PI value, no credential, rulesets as shipped; key formats."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from bundle_fixture import CREDENTIAL, RAW_VALUES
from bundle_helpers import members
from cryptography.hazmat.primitives import serialization

from pia.bundle import fingerprint, load_public_key, load_trusted_keys
from pia.bundle.create import DECLARATION, MANIFEST, REPORT, SIGNATURE
from pia.bundle.keys import parse_public_key
from pia.detection.engine import default_engine
from pia.errors import ConfigError
from pia.rules import bundled_text


def test_no_raw_value_and_no_credential_in_any_member(material):
    content = members(material["bundle"])
    raw = [v for values in RAW_VALUES.values() for v in values] + [CREDENTIAL]
    for name, body in content.items():
        text = body.decode("utf-8")
        for value in raw:
            assert value not in text, f"{name} holds a raw value"
    # the evidence is there, masked and fingerprinted: the test is not vacuous
    report = json.loads(content[REPORT])
    assert any("*" in s for i in report["inventory"] for s in i["evidence"]["samples"])
    assert "auditor:***@" in content[DECLARATION].decode()


@pytest.mark.parametrize("name", [REPORT, DECLARATION, MANIFEST, SIGNATURE])
def test_pia_finds_no_pi_in_what_the_bundle_adds(material, name):
    """pia's own detector over the report, declaration, manifest and envelope: nothing."""
    text = members(material["bundle"])[name].decode("utf-8")
    assert default_engine().analyze(text) == []


def test_detector_would_see_a_raw_value(material):
    """Positive control: the same scan over a report holding a raw value finds it."""
    text = members(material["bundle"])[REPORT].decode("utf-8")
    leaked = text.replace("1101**********002X", RAW_VALUES["CN_RESIDENT_ID"][0], 1)
    assert leaked != text
    assert [m.entity_type for m in default_engine().analyze(leaked)] == ["CN_RESIDENT_ID"]


def test_rulesets_are_the_exact_text_evaluated(material):
    content = members(material["bundle"])
    manifest = json.loads(content[MANIFEST])
    recorded = {r["id"]: r["sha256"] for r in material["report"]["scan"]["rulesets"]}
    for entry in manifest["rulesets"]:
        body = content[entry["member"]]
        assert body.decode("utf-8") == bundled_text(entry["id"])
        assert hashlib.sha256(body).hexdigest() == entry["sha256"] == recorded[entry["id"]]


def test_manifest_records_what_the_issue_asks(material):
    content = members(material["bundle"])
    manifest = json.loads(content[MANIFEST])
    listed = {m["name"]: m["sha256"] for m in manifest["members"]}
    assert listed == {n: hashlib.sha256(b).hexdigest() for n, b in content.items()
                      if n not in (MANIFEST, SIGNATURE)}
    assert manifest["signer"]["fingerprint"] == fingerprint(material["key"].public_key())
    assert manifest["scan"]["parameters"] == material["report"]["scan"]["parameters"]
    assert manifest["tool"]["name"] == "pia" and manifest["created"]
    envelope = json.loads(content[SIGNATURE])
    assert envelope["payloadType"] == "application/vnd.pia.manifest+json"
    assert base64.b64decode(envelope["payload"]) == content[MANIFEST]


def test_dsse_pae_matches_the_spec():
    from pia.bundle.dsse import pae

    # the spec's own example: PAE("http://example.com/HelloWorld", "hello world")
    assert pae("http://example.com/HelloWorld", b"hello world") == \
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"


def test_fingerprint_is_sha256_of_raw_key_base64_unpadded(material):
    public = material["key"].public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    expected = base64.b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")
    assert fingerprint(public) == "SHA256:" + expected


def test_openssh_public_key_is_accepted(material):
    public = material["key"].public_key()
    line = public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert fingerprint(parse_public_key(line + b" auditor@example\n", "x")) == fingerprint(public)


@pytest.mark.parametrize("content, words", [
    (b"not a key", "not a PEM or OpenSSH"),
    (b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "not a PEM"),
])
def test_bad_public_keys_are_config_errors(tmp_path, content, words):
    (tmp_path / "bad.pub").write_bytes(content)
    with pytest.raises(ConfigError, match=words):
        load_public_key(tmp_path / "bad.pub")
    with pytest.raises(ConfigError, match=words):
        load_trusted_keys(tmp_path)


def test_trusted_keys_dir_must_hold_keys(tmp_path):
    with pytest.raises(ConfigError, match="no \\*.pub key"):
        load_trusted_keys(tmp_path)
    with pytest.raises(ConfigError, match="does not exist"):
        load_trusted_keys(tmp_path / "missing")
