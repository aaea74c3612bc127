"""A signed bundle never carries a raw value, and verify never prints one.

The signer may be careless or buggy: a signature proves who wrote a sample, not that it was
masked. ``samples-masked`` holds every sample to the shape pia's mask gives its entity type,
and every message quoting a sample masks it.
"""

from __future__ import annotations

import copy
import json

import pytest
from bundle_fixture import RAW_VALUES
from bundle_helpers import resign, run_cli

from pia.bundle import fingerprint, load_public_key, verify_bundle
from pia.bundle.create import REPORT
from pia.bundle.masked import is_masked, schema_problem
from pia.masking import Fingerprinter, mask
from pia.report import dumps, summarize, validation_errors
from pia.rules import ENGINE

RAW_ID = RAW_VALUES["CN_RESIDENT_ID"][0]
MASKED_ID = mask("CN_RESIDENT_ID", RAW_ID)


@pytest.fixture(scope="module")
def trusted(material):
    key = load_public_key(material["pub_path"])
    return {fingerprint(key): key}


def _signed(material, edit) -> bytes:
    """The material's bundle with its report edited, summary fitted and re-signed by the
    signer's own key: what a careless producer would hand a regulator."""
    report = copy.deepcopy(material["report"])
    edit(report)
    report["summary"] = summarize(report)
    return resign(material["bundle"], material["key"], {REPORT: dumps(report).encode()})


def _unmask(report, *, inventory=True, findings=True):
    for item in report["inventory"] if inventory else []:
        samples = item["evidence"]["samples"]
        samples[:] = [RAW_ID if s == MASKED_ID else s for s in samples]
    for finding in report["findings"] if findings else []:
        samples = finding["evidence"].get("samples") or []
        samples[:] = [RAW_ID if s == MASKED_ID else s for s in samples]


def _said(result) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("where", ["both", "inventory", "findings"])
def test_a_raw_sample_signed_by_the_signer_is_invalid_and_never_printed(material, trusted,
                                                                        where):
    bundle = _signed(material, lambda r: _unmask(r, inventory=where != "findings",
                                                 findings=where != "inventory"))
    result = verify_bundle(bundle, trusted)
    assert not result.valid and result.failed[0].name == "samples-masked"
    detail = result.failed[0].detail
    assert "is not masked" in detail and f"masked: {MASKED_ID}" in detail
    assert RAW_ID not in _said(result)
    if where == "inventory":  # re-derived findings then differ: said masked too
        assert [c.name for c in result.failed] == ["samples-masked",
                                                   "findings-follow-from-evidence"]
        assert f'<unmasked {MASKED_ID}>' in result.failed[1].detail


def test_the_cli_exits_1_and_prints_no_raw_value(material, work, capsys):
    (work / "raw.zip").write_bytes(_signed(material, _unmask))
    for fmt in ("text", "json"):
        code, out, err = run_cli(["bundle", "verify", "raw.zip", "--pubkey", "signer.key.pub",
                                  "-f", fmt], capsys)
        assert code == 1 and RAW_ID not in out + err
        assert "check samples-masked failed" in err
    code, out, err = run_cli(["bundle", "show", "raw.zip", "--pubkey", "signer.key.pub"], capsys)
    assert code == 1 and "NOT VERIFIED: check samples-masked failed" in out


def test_a_fingerprint_must_be_keyed_as_pia_writes_it(material, trusted):
    mobile = RAW_VALUES["CN_MOBILE"][0]

    def edit(report):  # hex digits only: a mobile passes for one
        report["inventory"][1]["evidence"]["fingerprints"][0] = f"hmac-sha256:{mobile}"

    result = verify_bundle(_signed(material, edit), trusted)
    assert result.failed[0].name == "report-schema"
    assert "[0-9a-f]{32}" in result.failed[0].detail and mobile not in _said(result)


def test_a_sample_of_another_type_is_masked_in_the_schema_message(material, trusted):
    def edit(report):
        report["inventory"][0]["evidence"]["samples"][0] = int(RAW_VALUES["CN_MOBILE"][0])

    result = verify_bundle(_signed(material, edit), trusted)
    assert result.failed[0].name == "report-schema"
    assert "is not of type 'string'" in result.failed[0].detail
    assert RAW_VALUES["CN_MOBILE"][0] not in _said(result)


def test_an_object_in_a_schema_message_is_withheld():
    report = {"inventory": [{"evidence": [RAW_ID]}]}
    problem = "inventory/0/evidence: " + repr([RAW_ID]) + " is not of type 'object'"
    assert schema_problem(report, problem) == \
        "inventory/0/evidence: the value is not of type 'object'"


VALUES = {
    "CN_RESIDENT_ID": ["110101199402125972", "11010519491231002X", "110105491231002", "abc"],
    "CN_MOBILE": ["13812345678", "+86 138 1234 5678", "1abcdefghi2"],
    "CN_LANDLINE": ["010-12345678", "0755-1234567", "12345678", "021 87654321转123"],
    "CN_BANK_CARD": ["6228480402564890018"],
    "EMAIL_ADDRESS": ["zhang.wei@corp.cn", "@x.com"],
    "IP_ADDRESS": ["192.168.1.23", "::1", "１９２．１６８．１．２３", "srv-zhangsan-01:8080"],
    "CN_NAME": ["张三", "欧阳娜娜"],
    "CN_ADDRESS": ["北京市", "广东省深圳市南山区科技园路1号", "上海",
                   "上海市浦东新区世纪大道100号上海环球金融中心大厦"],
    "CN_PASSPORT": ["E12345678", "ZHANG SAN"],
    "CN_LICENSE_PLATE": ["京A12345", "粤B1234警"],
    "CN_USCC": ["91110000100000000X"],
    "CREDENTIAL": ["hunter2"],
    "HEALTH": ["癌症"],
    "DATE_OF_BIRTH": ["1994-02-12"],
}


@pytest.mark.parametrize("entity_type, value",
                         [(t, v) for t, values in VALUES.items() for v in values])
def test_what_mask_makes_is_masked_and_the_value_is_not(entity_type, value):
    assert is_masked(entity_type, mask(entity_type, value))
    assert not is_masked(entity_type, value)


def test_a_fingerprint_as_pia_writes_it_passes_the_schema(material):
    report = copy.deepcopy(material["report"])
    report["inventory"][0]["evidence"]["fingerprints"] = [
        Fingerprinter(b"x" * 32)("CN_RESIDENT_ID", RAW_ID)]
    assert validation_errors(report) == []


def _skipped_by_name(rules: int):
    """A report that lists a file named by a resident ID under its raw name, as pia wrote
    names before it masked them, recorded as made by rules engine ``rules``."""
    def edit(report) -> None:
        report["tool"]["rules"] = rules
        source = report["scan"]["sources"][0]
        report["skipped"].append({"source": source, "reason": "binary file",
                                  "location": {"path": f"scans/2026/{RAW_ID}.jpg"}})
    return edit


def test_a_raw_number_in_a_name_of_a_report_that_masks_names_is_invalid(material, trusted):
    result = verify_bundle(_signed(material, _skipped_by_name(ENGINE)), trusted)
    assert not result.valid and result.failed[0].name == "samples-masked"
    detail = result.failed[0].detail
    assert detail.startswith("skipped[") and ".location.path holds a CN_RESIDENT_ID" in detail
    assert f"masked: {MASKED_ID}" in detail and RAW_ID not in _said(result)


@pytest.mark.parametrize("claimed", [9, 1])
def test_a_raw_number_in_a_name_is_invalid_whatever_engine_the_report_claims(
        material, trusted, claimed):
    """The engine a report names is its producer's word: a bundle claiming engine 9 (before
    pia masked names) carried a raw resident ID in a path under a VALID samples-masked."""
    result = verify_bundle(_signed(material, _skipped_by_name(claimed)), trusted)
    assert not result.valid and "samples-masked" in [c.name for c in result.failed]
    check = next(c for c in result.failed if c.name == "samples-masked")
    assert ".location.path holds a CN_RESIDENT_ID" in check.detail
    assert f"masked: {MASKED_ID}" in check.detail and RAW_ID not in _said(result)
