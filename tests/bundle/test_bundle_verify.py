"""Round trip, tampering and hostile archives, through the library verifier."""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from bundle_helpers import failed, members, raw_zip, resign, with_members

from pia.bundle import create_bundle, dsse, fingerprint, load_public_key, verify_bundle
from pia.bundle.create import MANIFEST, REPORT, SIGNATURE
from pia.bundle.safezip import Limits
from pia.bundle.verify import CHECKS
from pia.errors import BundleError


@pytest.fixture(scope="module")
def trusted(material):
    key = load_public_key(material["pub_path"])
    return {fingerprint(key): key}


def test_round_trip_verifies_every_check(material, trusted):
    result = verify_bundle(material["bundle"], trusted)
    assert [(c.name, c.status) for c in result.checks] == [
        (n, "skipped" if n == "bundle-digest" else "passed") for n in CHECKS]  # none expected
    assert result.valid and result.signer == next(iter(trusted))
    assert result.report == material["report"]


def test_same_inputs_same_bytes(material):
    args = (material["report"], material["rulesets"], material["declaration"], material["key"])
    assert create_bundle(*args) == material["bundle"]
    assert create_bundle(*args, created="2027-01-01T00:00:00Z") != material["bundle"]


def test_members_are_sorted_with_fixed_time_and_mode(material):
    with zipfile.ZipFile(io.BytesIO(material["bundle"])) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {stat.S_IFREG | 0o644}


def _flip(data: bytes) -> bytes:
    i = len(data) // 2
    return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]


MEMBER_FLIP_CHECK = {  # one byte changed in a member (re-zipped, so CRCs are right)
    REPORT: "member-hashes",
    "pia.yaml": "member-hashes",
    "rulesets/cn-csl.yaml": "member-hashes",
    "rulesets/cn-pipl.yaml": "member-hashes",
    "rulesets/cn-gbt35273.yaml": "member-hashes",
    MANIFEST: "manifest-matches-signature",
}


@pytest.mark.parametrize("name", sorted(MEMBER_FLIP_CHECK) + [SIGNATURE])
def test_one_byte_change_in_any_member_is_refused(material, trusted, name):
    content = members(material["bundle"])
    result = verify_bundle(with_members(material["bundle"], {name: _flip(content[name])}),
                           trusted)
    assert not result.valid and result.readable
    expected = MEMBER_FLIP_CHECK.get(name, {"signature-envelope", "signature-trusted"})
    assert failed(result) in expected


@pytest.mark.parametrize("name, check", [
    (REPORT, "members-complete"),
    ("rulesets/cn-pipl.yaml", "members-complete"),
    ("pia.yaml", "members-complete"),
    (MANIFEST, "manifest-matches-signature"),
    (SIGNATURE, "signature-envelope"),
])
def test_removed_member_is_refused(material, trusted, name, check):
    result = verify_bundle(with_members(material["bundle"], {name: None}), trusted)
    assert failed(result) == check and not result.valid


@pytest.mark.parametrize("name", ["extra.txt", "rulesets/cn-extra.yaml", "report.json.bak"])
def test_added_member_is_refused(material, trusted, name):
    result = verify_bundle(with_members(material["bundle"], {name: b"{}"}), trusted)
    assert failed(result) == "members-complete"
    assert name in result.failed[0].detail


def test_signature_by_another_key_is_refused(material, trusted, tmp_path):
    from pia.bundle import generate_keypair, load_private_key

    generate_keypair(tmp_path / "intruder")
    forged = resign(material["bundle"], load_private_key(tmp_path / "intruder"), {})
    result = verify_bundle(forged, trusted)
    assert failed(result) == "signature-trusted"
    # and the intruder's own key verifies the signature but not the manifest's named signer
    intruder = load_public_key(tmp_path / "intruder.pub")
    result = verify_bundle(forged, {fingerprint(intruder): intruder})
    assert failed(result) == "manifest-well-formed" and "signer" in result.failed[0].detail


@pytest.mark.parametrize("cut", [0, 1, 22, 100, 5000, -1, -22, -23])
def test_truncated_file_is_unreadable(material, trusted, cut):
    data = material["bundle"][:cut]
    result = verify_bundle(data, trusted)
    assert not result.valid
    assert failed(result) in {"archive-readable", "members-intact"}


def test_raw_byte_flip_in_compressed_data_fails_crc(material, trusted):
    data = bytearray(material["bundle"])
    data[200] ^= 0xFF  # inside manifest.json's deflate stream (first member)
    result = verify_bundle(bytes(data), trusted)
    assert failed(result) == "members-intact"


HOSTILE = [  # (entries, zip options, failed check, words in the reason)
    ([("../../x", b"pwned")], {}, "member-names-safe", "traversal"),
    ([("rulesets/../../x", b"pwned")], {}, "member-names-safe", "traversal"),
    ([("/etc/passwd", b"pwned")], {}, "member-names-safe", "absolute"),
    ([("C:/Windows/x", b"pwned")], {}, "member-names-safe", "drive"),
    ([("..\\..\\x", b"pwned")], {}, "member-names-safe", "backslash"),
    ([("rulesets/", b"")], {}, "member-names-safe", "directory"),
    ([("a//b", b"")], {}, "member-names-safe", "empty path segment"),
    ([("x\x1b[31m", b"")], {}, "member-names-safe", "control character"),
    ([("report.json", b"{}"), ("report.json", b"[]")], {}, "member-names-safe", "duplicate"),
    ([("link", b"/etc/passwd")], {"mode": stat.S_IFLNK | 0o777}, "member-names-safe", "symlink"),
    ([("fifo", b"")], {"mode": stat.S_IFIFO | 0o644}, "member-names-safe", "special"),
    ([(b"r\xe9port.json", b"{}")], {}, "member-names-safe", "neither ASCII"),
    ([(b"r\xe9port.json", b"{}")], {"utf8_flag": True}, "archive-readable", "UTF-8"),
]


@pytest.mark.parametrize("entries, options, check, words", HOSTILE)
def test_hostile_archives_are_refused_and_nothing_is_written(trusted, sandbox, entries, options,
                                                             check, words):
    before = sandbox()
    result = verify_bundle(raw_zip(entries, **options), trusted)
    assert failed(result) == check
    assert words in result.failed[0].detail
    assert "\x1b" not in result.failed[0].detail
    assert sandbox() == before and not Path("x").exists()


@pytest.mark.parametrize("limits, data, words", [
    (Limits(members=3), raw_zip([(f"m{i}", b"") for i in range(4)]), "members"),
    (Limits(member_bytes=1000), raw_zip([("big", b"a" * 1001)]), "uncompressed"),
    (Limits(total_bytes=1500), raw_zip([("a", b"a" * 800), ("b", b"b" * 800)]), "uncompressed"),
    (Limits(ratio_floor=1000), raw_zip([("bomb", b"\0" * 1_000_000)]), "ratio"),
])
def test_zip_bomb_limits(trusted, limits, data, words):
    result = verify_bundle(data, trusted, limits)
    assert failed(result) == "archive-limits" and words in result.failed[0].detail


def test_zip_bomb_with_default_limits(trusted):
    result = verify_bundle(raw_zip([("report.json", b"\0" * 20_000_000)]), trusted)
    assert failed(result) == "archive-limits" and "ratio" in result.failed[0].detail


def test_header_lying_about_size_is_caught(material, trusted):
    """A central directory that claims a smaller size than the data inflates to."""
    data = bytearray(material["bundle"])
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(REPORT)
    central = data.rfind(b"PK\x01\x02" + data[data.find(b"PK\x01\x02") + 4:][:0])
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        name_len = int.from_bytes(data[offset + 28:offset + 30], "little")
        if data[offset + 46:offset + 46 + name_len] == REPORT.encode():
            data[offset + 24:offset + 28] = (info.file_size // 2).to_bytes(4, "little")
            break
        offset = data.find(b"PK\x01\x02", offset + 4)
    assert central != -1 and offset != -1
    result = verify_bundle(bytes(data), trusted)
    assert failed(result) == "members-intact"


HOSTILE_JSON = [
    (b"[" * 100_000 + b"]" * 100_000, "deeper"),
    (b"[" * 70 + b"]" * 70, "deeper"),
    (b'{"schema": 1, "schema": 2}', "duplicate key"),
    (b'{"a": NaN}', "NaN"),
    (b'{"a": 1' + b"0" * 5000 + b"}", "ValueError"),
    (b"\xff\xfe{}", "UTF-8"),
]


@pytest.mark.parametrize("body, words", HOSTILE_JSON)
def test_hostile_json_is_bounded_even_when_signed(material, trusted, body, words):
    bundle = resign(material["bundle"], material["key"], {REPORT: body})
    result = verify_bundle(bundle, trusted)
    assert failed(result) == "report-schema" and words in result.failed[0].detail


@pytest.mark.parametrize("body, words", HOSTILE_JSON)
def test_hostile_signed_manifest_is_bounded(material, trusted, body, words):
    bundle = with_members(material["bundle"], {SIGNATURE: dsse.sign(body, material["key"]),
                                               MANIFEST: body})
    result = verify_bundle(bundle, trusted)
    assert failed(result) == "manifest-well-formed" and words in result.failed[0].detail


def test_unsigned_content_is_never_parsed(material, trusted):
    bundle = with_members(material["bundle"], {REPORT: b"[" * 100_000})
    result = verify_bundle(bundle, trusted)
    assert failed(result) == "member-hashes"
    statuses = {c.name: c.status for c in result.checks}
    assert statuses["report-schema"] == "skipped" and result.report is None


def test_deep_envelope_is_bounded(material, trusted):
    result = verify_bundle(with_members(material["bundle"], {SIGNATURE: b"[" * 100_000}), trusted)
    assert failed(result) == "signature-envelope" and "deeper" in result.failed[0].detail


YAML_TAG = b"!!python/object/apply:os.system [\"touch pwned-by-yaml\"]\n"


@pytest.mark.parametrize("member, check", [
    ("rulesets/cn-csl.yaml", "rulesets-match-report"),
    ("pia.yaml", "declaration-readable"),
])
def test_signed_yaml_with_tags_is_refused_not_executed(material, trusted, tmp_path, monkeypatch,
                                                       member, check):
    """Even a bundle signed by a trusted key cannot make the verifier run code."""
    monkeypatch.chdir(tmp_path)
    bundle = material["bundle"]
    if member.startswith("rulesets/"):
        report = json.loads(members(bundle)[REPORT])
        import hashlib
        for entry in report["scan"]["rulesets"]:
            if entry["id"] == "cn-csl":
                entry["sha256"] = hashlib.sha256(YAML_TAG).hexdigest()
        changes = {member: YAML_TAG, REPORT: json.dumps(report).encode()}
    else:
        changes = {member: YAML_TAG}
    result = verify_bundle(resign(bundle, material["key"], changes), trusted)
    assert failed(result) == check and "tag" in result.failed[0].detail
    assert not (tmp_path / "pwned-by-yaml").exists() and not os.path.exists("pwned-by-yaml")


def _report_edit(material, edit) -> bytes:
    """The report edited, its summary counted again, as a careful tamperer would."""
    from pia.report import dumps, summarize

    report = json.loads(json.dumps(material["report"]))
    edit(report)
    report["summary"] = summarize(report)
    return resign(material["bundle"], material["key"], {REPORT: dumps(report).encode()})


def _lower_severity(report):
    report["findings"][0]["severity"] = "info"


def _drop_finding(report):
    report["findings"].pop()


def _encrypt_column(report):
    for item in report["inventory"]:
        item.update(protection="encrypted", protected=True)


def _accept_everything(report):
    for finding in report["findings"]:
        finding["status"] = "accepted"


@pytest.mark.parametrize("edit", [_lower_severity, _drop_finding, _encrypt_column,
                                  _accept_everything])
def test_findings_must_follow_from_the_evidence(material, trusted, edit):
    """Signed by the trusted key, hashes right, schema valid: only the re-evaluation can tell
    that the recorded verdicts are not what the bundled rules say about the bundled facts."""
    result = verify_bundle(_report_edit(material, edit), trusted)
    assert [c.name for c in result.failed] == ["findings-follow-from-evidence"]


def test_ruleset_swapped_for_another_is_refused(material, trusted):
    changes = {"rulesets/cn-csl.yaml": members(material["bundle"])["rulesets/cn-pipl.yaml"]}
    result = verify_bundle(resign(material["bundle"], material["key"], changes), trusted)
    assert failed(result) == "rulesets-match-report"


@pytest.mark.parametrize("data, check", [
    (b"", "archive-readable"),
    (b"PK", "archive-readable"),
    (os.urandom(4096), "archive-readable"),
    (b"PK\x05\x06" + b"\0" * 18, "signature-envelope"),  # a valid, empty zip
])
def test_garbage_never_raises(trusted, data, check):
    result = verify_bundle(data, trusted)
    assert not result.valid and failed(result) == check


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _stray_padding_bits(envelope):
    """The same signature bytes, spelled with non-zero bits in the base64 padding."""
    sig = envelope["signatures"][0]["sig"]
    assert sig.endswith("==")  # 64 bytes: the last character carries 4 unused bits
    index = B64.index(sig[-3])
    other = B64[(index & 0b110000) | ((index + 1) & 0b001111)]
    envelope["signatures"][0]["sig"] = sig[:-3] + other + "=="
    return dsse.serialize(envelope)


@pytest.mark.parametrize("edit, words", [
    (_stray_padding_bits, "canonical base64"),
    (lambda e: json.dumps(e).encode(), "canonical form"),  # same JSON, other whitespace
])
def test_envelope_must_be_canonical(material, trusted, edit, words):
    """No byte of the envelope may change while it still verifies."""
    body = edit(json.loads(members(material["bundle"])[SIGNATURE]))
    result = verify_bundle(with_members(material["bundle"], {SIGNATURE: body}), trusted)
    assert failed(result) == "signature-envelope" and words in result.failed[0].detail


def test_bundle_of_a_report_without_declaration(material, trusted):
    from bundle_fixture import build_report

    report = build_report(None)
    bundle = create_bundle(report, material["rulesets"], None, material["key"])
    result = verify_bundle(bundle, trusted)
    assert result.valid and "pia.yaml" not in result.members
    assert report["not_evaluated"]  # rules needing a declaration were recorded as such
    # adding a declaration the report did not use is refused by the signer and the verifier
    with pytest.raises(BundleError, match="without a declaration"):
        create_bundle(report, material["rulesets"], material["declaration"], material["key"])
    changes = {"pia.yaml": members(material["bundle"])["pia.yaml"]}
    result = verify_bundle(resign(bundle, material["key"], changes), trusted)
    assert failed(result) == "declaration-readable"


def _leaky_source(report):
    report["scan"]["sources"][0] = "postgresql://auditor:hunter2@db.example.cn/crm"


def _raw_sample(report):
    """QA cli13 F1: signed and packed, caught only by the regulator's verify."""
    item = next(i for i in report["inventory"] if i["entity_type"] == "CN_RESIDENT_ID")
    item["evidence"]["samples"] = ["叶明 440106200009016001 15222787129"]


def _bad_schema(report):
    del report["inventory"]


def _other_ruleset_hash(report):
    report["scan"]["rulesets"][0]["sha256"] = "0" * 64


@pytest.mark.parametrize("edit, words", [
    (_leaky_source, "holds a credential"),
    (_raw_sample, r"evidence.samples\[0\] is not masked"),
    (_bad_schema, "does not match its schema"),
    (_other_ruleset_hash, "is not one the report was evaluated with"),
])
def test_create_refuses_what_could_not_verify_or_would_leak(material, edit, words):
    report = json.loads(json.dumps(material["report"]))
    edit(report)
    with pytest.raises(BundleError, match=words) as info:
        create_bundle(report, material["rulesets"], material["declaration"], material["key"])
    assert "hunter2" not in str(info.value) and "440106200009016001" not in str(info.value)


def test_oversized_signed_report_is_not_parsed(material, trusted, monkeypatch):
    from pia.bundle import verify

    monkeypatch.setattr(verify, "MAX_REPORT", 1000)
    result = verify_bundle(material["bundle"], trusted)
    assert failed(result) == "report-schema" and "larger than 1000 bytes" in result.failed[0].detail


def test_a_valid_bundle_of_a_partial_scan_says_so(material, trusted):
    """A signature proves who sealed the report, not that the scan read everything: a
    regulator must see that an interrupted scan's findings cover only what was read."""
    from pia.bundle.show import format_text

    complete = verify_bundle(material["bundle"], trusted)
    assert complete.scope()["complete"] is True
    assert "INCOMPLETE" not in format_text(complete, "b.zip")
    partial_report = json.loads(json.dumps(material["report"]))
    partial_report["scan"]["complete"] = False
    partial = verify_bundle(create_bundle(partial_report, material["rulesets"],
                                          material["declaration"], material["key"]), trusted)
    assert partial.valid and partial.to_dict()["complete"] is False
    assert "INCOMPLETE: interrupted, or a source could not be read" in format_text(
        partial, "b.zip")


def _zero_summary(report):
    report["summary"].update(findings=0, inventory_items=0,
                             by_severity={k: 0 for k in report["summary"]["by_severity"]})


def test_a_summary_that_does_not_count_the_findings_is_refused(material, trusted):
    """Signed by the trusted key: "0 open findings" over a list of 43 is still a lie."""
    from pia.report import dumps

    report = json.loads(json.dumps(material["report"]))
    assert report["summary"]["findings"] > 0
    _zero_summary(report)
    result = verify_bundle(resign(material["bundle"], material["key"],
                                  {REPORT: dumps(report).encode()}), trusted)
    assert failed(result) == "report-schema"
    assert "summary.inventory_items" in result.failed[0].detail or \
        "summary.findings" in result.failed[0].detail


@pytest.mark.parametrize(("section", "key", "value"), [
    ("counts", "findings", 0), ("scan", "complete", False), ("scan", "sources", ["nothing.db"]),
])
def test_a_manifest_that_misstates_the_report_is_refused(material, trusted, section, key,
                                                         value):
    """The manifest's scan and counts are what verify prints: they must be the report's."""
    content = members(material["bundle"])
    manifest = json.loads(content[MANIFEST])
    assert manifest[section][key] != value
    manifest[section][key] = value
    bundle = resign(material["bundle"], material["key"],
                    {MANIFEST: (json.dumps(manifest) + "\n").encode()}, fit_manifest=False)
    result = verify_bundle(bundle, trusted)
    assert failed(result) == "report-schema"
    assert f"{section}.{key} differs" in result.failed[0].detail


@pytest.mark.parametrize("keyid, check", [
    ("\x1b]0;HACKED\x07", "signature-envelope"), ("SHA256:someone-else", "signature-envelope"),
    ("", "signature-envelope"), ("SHA256:" + "A" * 43, "signature-trusted"),
])
def test_a_signature_counts_only_under_the_key_id_it_names(material, trusted, keyid, check):
    """DSSE does not sign the key id: a changed one left bytes in a VALID bundle that nobody
    signed (an escape sequence, say). It must be a fingerprint, that of the key that made the
    signature."""
    content = members(material["bundle"])
    envelope = json.loads(content[SIGNATURE])
    envelope["signatures"][0]["keyid"] = keyid
    result = verify_bundle(with_members(material["bundle"],
                                       {SIGNATURE: dsse.serialize(envelope)}), trusted)
    assert failed(result) == check
    assert "\x1b" not in result.failed[0].detail
    assert verify_bundle(material["bundle"], trusted).valid  # the untouched one still is


@pytest.mark.parametrize("where", ["before", "comment"])
def test_bytes_in_no_member_make_a_bundle_unreadable(material, trusted, where):
    """A shell script prepended to a VALID bundle, or a zip comment: bytes that no hash and
    no signature cover."""
    bundle = material["bundle"]
    if where == "before":
        bundle = b"#!/bin/sh\necho pwned\nexit\n" + bundle
    else:
        buf = io.BytesIO(bundle)
        with zipfile.ZipFile(buf, "a") as zf:
            zf.comment = b"unsigned words"
        bundle = buf.getvalue()
    result = verify_bundle(bundle, trusted)
    assert failed(result) == "archive-readable"
    assert "no member" in result.failed[0].detail
