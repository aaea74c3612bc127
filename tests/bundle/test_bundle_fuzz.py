"""Property: ``verify_bundle`` never raises on a mutated bundle and never accepts one.

"Mutated" means the content the verifier checks differs: the set of member names and their
bytes. A mutation that changes only bytes the verifier does not rely on (a timestamp or an
"external attributes" field of a zip header) leaves the content as it was; the verifier may
then accept, and the test checks that what it accepted is exactly the original content.
Nothing here re-signs: the signer's key is not the attacker's.
"""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from bundle_helpers import members
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pia.bundle import fingerprint, verify_bundle
from pia.bundle.create import MANIFEST, REPORT, SIGNATURE, write_zip


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])

NAMES = st.sampled_from([
    "extra.txt", "rulesets/cn-extra.yaml", "../../x", "/abs", "C:/x", "a\\b", "dir/",
    REPORT, MANIFEST, SIGNATURE, "pia.yaml", "rulesets/cn-pipl.yaml", "REPORT.JSON",
    "report.json ", "rulesets/./cn-csl.yaml", "rulesets//cn-csl.yaml", "ré.json",
])


@pytest.fixture(scope="module")
def original(material):
    key = material["key"].public_key()
    content = members(material["bundle"])
    return {
        "bundle": material["bundle"],
        "content": {n: hashlib.sha256(b).hexdigest() for n, b in content.items()},
        "raw": content,
        "trusted": {fingerprint(key): key},
        "report": material["report"],
    }


def _check(original, data: bytes) -> None:
    result = verify_bundle(data, original["trusted"])  # must not raise
    assert result.checks, "no verdict"
    if result.valid:
        assert result.members == original["content"], "accepted different content"
        assert result.report == original["report"]


@fuzz(1500)
@given(data=st.data())
def test_byte_flips(original, data):
    bundle = bytearray(original["bundle"])
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(bundle) - 1))
        bundle[at] ^= data.draw(st.integers(1, 255))
    _check(original, bytes(bundle))


@fuzz(400)
@given(data=st.data())
def test_truncation_and_insertion(original, data):
    bundle = original["bundle"]
    at = data.draw(st.integers(0, len(bundle) - 1))
    if data.draw(st.booleans()):
        mutated = bundle[:at]
    else:
        mutated = bundle[:at] + data.draw(st.binary(min_size=1, max_size=64)) + bundle[at:]
    _check(original, mutated)


def _edit_bytes(data, body: bytes) -> bytes:
    choice = data.draw(st.integers(0, 3))
    if choice == 0 or not body:
        return body + data.draw(st.binary(min_size=1, max_size=16))
    at = data.draw(st.integers(0, len(body) - 1))
    if choice == 1:
        return body[:at] + bytes([body[at] ^ data.draw(st.integers(1, 255))]) + body[at + 1:]
    if choice == 2:
        return body[:at]
    return body[:at] + data.draw(st.binary(min_size=1, max_size=16)) + body[at:]


@fuzz(1200)
@given(data=st.data())
def test_member_operations(original, data):
    """Insert, delete, rename or rewrite members, then re-zip (valid CRCs, no re-signing)."""
    content = dict(original["raw"])
    for _ in range(data.draw(st.integers(1, 2))):
        names = sorted(content)
        op = data.draw(st.sampled_from(["insert", "delete", "rename", "rewrite"]))
        if op == "insert":
            content[data.draw(NAMES)] = data.draw(st.binary(max_size=64))
        elif op == "delete" and names:
            content.pop(data.draw(st.sampled_from(names)))
        elif op == "rename" and names:
            old = data.draw(st.sampled_from(names))
            content[data.draw(NAMES)] = content.pop(old)
        elif names:
            name = data.draw(st.sampled_from(names))
            content[name] = _edit_bytes(data, content[name])
    _check(original, write_zip(content))


MANIFEST_EDITS = ["member-hash", "member-size", "drop-member", "add-member", "signer",
                  "created", "ruleset-hash", "format", "counts"]


@fuzz(500)
@given(edit=st.sampled_from(MANIFEST_EDITS), index=st.integers(0, 10), text=st.text(max_size=8))
def test_manifest_edits(original, edit, index, text):
    """The manifest changed (and, half the time, the envelope's payload with it)."""
    content = dict(original["raw"])
    manifest = json.loads(content[MANIFEST])
    entries = manifest["members"]
    entry = entries[index % len(entries)]
    if edit == "member-hash":
        entry["sha256"] = hashlib.sha256(text.encode()).hexdigest()
    elif edit == "member-size":
        entry["size"] += 1 + index
    elif edit == "drop-member":
        entries.remove(entry)
    elif edit == "add-member":
        entries.append({"name": text or "x", "sha256": "0" * 64, "size": 0})
    elif edit == "signer":
        manifest["signer"]["fingerprint"] = "SHA256:" + text
    elif edit == "created":
        manifest["created"] = text + "2030-01-01T00:00:00Z"
    elif edit == "ruleset-hash":
        manifest["rulesets"][index % len(manifest["rulesets"])]["sha256"] = "f" * 64
    elif edit == "format":
        manifest["format"] = text
    else:
        manifest["counts"]["findings"] = index
    body = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    content[MANIFEST] = body
    if index % 2:
        envelope = json.loads(content[SIGNATURE])
        envelope["payload"] = base64.b64encode(body).decode()
        content[SIGNATURE] = json.dumps(envelope).encode()
    _check(original, write_zip(content))
