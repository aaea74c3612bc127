"""``samples-masked`` reads the report's free text too (QA finding 2): a column comment, a
skipped or not-evaluated reason, an evidence note holding a resident ID or a mobile verified
VALID, and ``bundle create`` and ``pia report`` passed it on. Where a thing is (a path may be
any file's name), digests and fingerprints are not free text and never trip it."""

from __future__ import annotations

import copy
import json

import pytest
from bundle_fixture import RAW_VALUES
from bundle_helpers import resign, run_cli

from pia.bundle import fingerprint, load_public_key, verify_bundle
from pia.bundle.create import REPORT
from pia.report import dumps, summarize

RAW_ID = RAW_VALUES["CN_RESIDENT_ID"][0]
RAW_MOBILE = RAW_VALUES["CN_MOBILE"][0]
TEXT = f"客户身份证 {RAW_ID} 手机 {RAW_MOBILE}"


def _comment(report):
    fact = next(f for f in report["facts"] if "comment" in f["attributes"])
    fact["attributes"]["comment"] = TEXT


def _skipped(report):
    report["skipped"].append({"source": "/var/log/app", "location": {
        "path": "/var/log/app/x.log"}, "reason": f"read error near {RAW_MOBILE} / {RAW_ID}"})


def _not_evaluated(report):
    report["not_evaluated"].append({"rule_id": "CSL-21-LOG-RETENTION", "reason": TEXT})


def _finding_evidence(report):
    report["findings"][0]["evidence"]["note"] = TEXT


def _inventory_evidence(report):
    report["inventory"][0]["evidence"]["matched_term"] = TEXT


EDITS = {"comment": (_comment, "attributes.comment"), "skipped": (_skipped, "skipped[0]: reason"),
         "not-evaluated": (_not_evaluated, "not_evaluated[0]: reason"),
         "finding-evidence": (_finding_evidence, "evidence.note"),
         "inventory-evidence": (_inventory_evidence, "evidence.matched_term")}


def _edited(material, edit):
    report = copy.deepcopy(material["report"])
    edit(report)
    report["summary"] = summarize(report)
    return report


@pytest.fixture(scope="module")
def trusted(material):
    key = load_public_key(material["pub_path"])
    return {fingerprint(key): key}


@pytest.mark.parametrize("edit", EDITS)
def test_raw_values_in_free_text_fail_samples_masked(material, trusted, edit):
    """Signed by the trusted key itself, as a buggy producer or a careless hand would."""
    change, where = EDITS[edit]
    report = _edited(material, change)
    result = verify_bundle(resign(material["bundle"], material["key"],
                                  {REPORT: dumps(report).encode()}), trusted)
    assert not result.valid and result.failed[0].name == "samples-masked"
    detail = result.failed[0].detail
    assert where in detail and "holds a CN_" in detail and "(masked: " in detail
    said = json.dumps(result.to_dict(), ensure_ascii=False)
    assert RAW_ID not in said and RAW_MOBILE not in said


@pytest.mark.parametrize("edit", EDITS)
def test_create_and_report_refuse_it_in_one_line_naming_no_value(material, work, capsys, edit):
    (work / "edited.json").write_text(dumps(_edited(material, EDITS[edit][0])), "utf-8")
    for argv in (["bundle", "create", "edited.json", "--key", "signer.key", "--config",
                  "pia.yaml", "-o", "x.zip"], ["report", "edited.json", "-f", "html"]):
        code, out, err = run_cli(argv, capsys)
        assert (code, out) == (2, "") and err.count("\n") == 1, argv
        assert err.startswith("pia: error: report edited.json: ") and EDITS[edit][1] in err
        assert RAW_ID not in err and RAW_MOBILE not in err
    assert not (work / "x.zip").exists()


def test_paths_digests_and_fingerprints_are_not_free_text(material, trusted):
    """A file named by a mobile number is where something is, not a leak of it."""
    def edit(report):
        report["skipped"].append({"source": "/var/log/app", "location": {
            "path": f"/var/log/app/{RAW_MOBILE}.log"}, "reason": "permission denied"})
        fact = next(f for f in report["facts"] if f["location"].get("path"))
        fact["location"]["path"] += f"/{RAW_MOBILE}"
        fact["attributes"]["path"] = f"/var/log/app/{RAW_ID}.log"
    report = _edited(material, edit)
    bundle = resign(material["bundle"], material["key"], {REPORT: dumps(report).encode()})
    check = next(c for c in verify_bundle(bundle, trusted).checks if c.name == "samples-masked")
    assert check.status == "passed", check.detail


@pytest.mark.parametrize("edit", EDITS)
def test_verify_and_show_quote_no_raw_value_of_it(material, work, capsys, edit):
    """Later checks quote the entries they compare, and show renders the untrusted report
    under its warning: the free text's identifiers are masked in both."""
    report = _edited(material, EDITS[edit][0])
    (work / "raw.zip").write_bytes(resign(material["bundle"], material["key"],
                                          {REPORT: dumps(report).encode()}))
    for argv in (["verify", "-f", "json"], ["verify"], ["show"], ["show", "-o", "x.html"]):
        code, out, err = run_cli(["bundle", argv[0], "raw.zip", "--pubkey", "signer.key.pub",
                                  *argv[1:]], capsys)
        written = (work / "x.html").read_text("utf-8") if "-o" in argv else ""
        assert code == 1 and "samples-masked failed" in err, argv
        assert RAW_ID not in out + err + written and RAW_MOBILE not in out + err + written


def test_a_scan_masks_what_a_skipped_reason_quotes_so_its_report_can_be_signed() -> None:
    """A driver's or a server's message may quote the value it failed on; a report holding
    it raw is one bundle create refuses to sign, so the scan masks it as it finalizes."""
    from pia.bundle.masked import check
    from pia.report import finalize, new_report

    report = new_report(["postgresql://h/crm"], {}, started="2026-01-01T00:00:00Z")
    report["skipped"].append({
        "source": "postgresql://h/crm", "location": {"table": "kyc"},
        "reason": "crm.kyc: invalid input 11010519491231002X near 13812345678 (22P02)"})
    finalize(report, complete=True)
    reason = report["skipped"][0]["reason"]
    assert "11010519491231002X" not in reason and "13812345678" not in reason
    assert reason.startswith("crm.kyc: invalid input 1101") and reason.endswith("(22P02)")
    check(report)  # samples-masked passes
