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
from pia.detection.checksums import luhn_valid, resident_id_check_valid
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


EDITS = {"comment": (_comment, "attributes.comment"), "skipped": (_skipped, "skipped[0].reason"),
         "not-evaluated": (_not_evaluated, "not_evaluated[0].reason"),
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


def test_paths_are_judged_as_names_whatever_engine_the_report_claims(material, trusted):
    """A file named by a mobile number is judged as a name (one path segment at a time), not
    as free text; and a report claiming rules engine 9, made before pia masked names, is
    refused for it all the same: the claim is the producer's, the number is in the bundle
    (test_bundle_masked: ..._is_invalid_whatever_engine_the_report_claims)."""
    def edit(report):
        report["tool"]["rules"] = 9
        report["skipped"].append({"source": "/var/log/app", "location": {
            "path": f"/var/log/app/{RAW_MOBILE}.log"}, "reason": "permission denied"})
        fact = next(f for f in report["facts"] if f["location"].get("path"))
        fact["location"]["path"] += f"/{RAW_MOBILE}"
        fact["attributes"]["path"] = f"/var/log/app/{RAW_ID}.log"
    report = _edited(material, edit)
    bundle = resign(material["bundle"], material["key"], {REPORT: dumps(report).encode()})
    check = next(c for c in verify_bundle(bundle, trusted).checks if c.name == "samples-masked")
    assert check.status == "failed", check.detail
    assert "which a pia of rules engine 10 or later writes masked in a name" in check.detail
    assert RAW_MOBILE not in check.detail and RAW_ID not in check.detail


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


# --- QA D1: identifiers whose check digit is wrong -------------------------------------------
# A legacy or hand-typed resident ID (or card) is still a person's: in a comment or a note it
# was signed, verified VALID and quoted raw in verify's own message. samples-masked (and so
# bundle create and pia report) now refuses any value with an ID's province code and birth
# date, or a Chinese card's BIN, whatever its check digit, and every message quotes it masked.

BAD_ID = "110105199003071234"  # check digit should be 9
BAD_CARD = "6222021234567890124"  # fails Luhn
BAD_RAW = (BAD_ID, BAD_CARD)
assert not resident_id_check_valid(BAD_ID) and not luhn_valid(BAD_CARD)


def _bad_note(report):
    report["findings"][0]["evidence"]["note"] = f"客户 {BAD_ID}"


def _bad_comment(report):
    fact = next(f for f in report["facts"] if "comment" in f["attributes"])
    fact["attributes"]["comment"] = f"姓名, e.g. 王** {BAD_ID}"


def _bad_card_comment(report):
    fact = next(f for f in report["facts"] if "comment" in f["attributes"])
    fact["attributes"]["comment"] = f"卡号 如 {BAD_CARD}"


BAD_EDITS = {"note": (_bad_note, "evidence.note", "1101**********1234"),
             "comment": (_bad_comment, "attributes.comment", "1101**********1234"),
             "card-comment": (_bad_card_comment, "attributes.comment", "6222***********0124")}


@pytest.mark.parametrize("edit", BAD_EDITS)
def test_a_bad_check_digit_in_free_text_fails_samples_masked(material, trusted, edit):
    change, where, masked = BAD_EDITS[edit]
    bundle = resign(material["bundle"], material["key"],
                    {REPORT: dumps(_edited(material, change)).encode()})
    result = verify_bundle(bundle, trusted)
    assert not result.valid and result.failed[0].name == "samples-masked"
    assert where in result.failed[0].detail and f"(masked: {masked})" in result.failed[0].detail
    said = json.dumps(result.to_dict(), ensure_ascii=False)
    assert not any(raw in said for raw in BAD_RAW)


@pytest.mark.parametrize("edit", BAD_EDITS)
def test_bundle_create_and_report_refuse_it_in_one_line(material, work, capsys, edit):
    change, where, _ = BAD_EDITS[edit]
    (work / "edited.json").write_text(dumps(_edited(material, change)), "utf-8")
    for argv in (["bundle", "create", "edited.json", "--key", "signer.key", "--config",
                  "pia.yaml", "-o", "x.zip"], ["report", "edited.json", "-f", "html"]):
        code, out, err = run_cli(argv, capsys)
        assert (code, out) == (2, "") and err.count("\n") == 1, argv
        assert err.startswith("pia: error: report edited.json: ") and where in err
        assert not any(raw in err for raw in BAD_RAW)
    assert not (work / "x.zip").exists()


def test_verify_cli_quotes_the_note_masked(material, work, capsys):
    report = _edited(material, _bad_note)
    (work / "raw.zip").write_bytes(resign(material["bundle"], material["key"],
                                          {REPORT: dumps(report).encode()}))
    for argv in (["verify", "-f", "json"], ["verify"], ["show"]):
        code, out, err = run_cli(["bundle", argv[0], "raw.zip", "--pubkey", "signer.key.pub",
                                  *argv[1:]], capsys)
        assert code == 1 and "samples-masked failed" in err, argv
        assert BAD_ID not in out + err and "1101**********1234" in out + err, argv
