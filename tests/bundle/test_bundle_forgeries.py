"""Bundles forged by a company that holds its own signing key (QA, regulator's seat): each edits
the report (or a ruleset, the declaration, the manifest), re-derives what it can so that the lie
is self-consistent, rebuilds the manifest and signs it again. The signature is then genuine;
only verify's re-derivation and cross-checks can expose the lie, and each test says which one.
Every forgery fails exactly one check, so that without that check the bundle would be VALID."""

from __future__ import annotations

import copy
import json

import pytest
import yaml
from bundle_fixture import DB_REDACTED
from bundle_helpers import members, resign

from pia.bundle import create_bundle, fingerprint, load_public_key, verify_bundle
from pia.bundle.create import DECLARATION, REPORT, declaration_text, ruleset_member, sha256
from pia.declaration import load_declaration_text
from pia.errors import BundleError
from pia.report import dumps, summarize
from pia.rules import apply_rules, bundled_text, load_ruleset_text


@pytest.fixture(scope="module")
def trusted(material):
    key = load_public_key(material["pub_path"])
    return {fingerprint(key): key}


def forge(material, edit=None, *, reapply=False, bundle=None, changes=None, report=None,
          manifest_edit=None) -> bytes:
    """The material's bundle with its report edited (and, with ``reapply``, its findings
    re-derived from the edited evidence, as ``tools/forge.py`` did), re-signed."""
    report = copy.deepcopy(report or material["report"])
    if edit is not None:
        edit(report)
    if reapply:
        recorded = report["scan"]["declaration"]
        apply_rules(report, material["rulesets"], material["declaration"])
        report["scan"]["declaration"] = recorded
    report["summary"] = summarize(report)
    return resign(bundle or material["bundle"], material["key"],
                  {REPORT: dumps(report).encode(), **(changes or {})},
                  manifest_edit=manifest_edit)


def refused(result, check: str, *words: str) -> str:
    assert [c.name for c in result.failed] == [check], [(c.name, c.detail) for c in result.failed]
    detail = result.failed[0].detail
    for word in words:
        assert word in detail, detail
    return detail


def test_untouched_forge_is_valid(material, trusted):
    """The harness itself: re-signing an unchanged report gives a valid bundle."""
    assert verify_bundle(forge(material), trusted).valid


# 1: a scope pia scan never writes would leave every db, log and object rule out
def test_a_scope_in_the_parameters_is_refused(material, trusted):
    report = copy.deepcopy(material["report"])
    report["scan"]["parameters"]["scope"] = ["migration"]
    apply_rules(report, material["rulesets"], material["declaration"], scope={"migration"})
    assert not report["findings"]  # what the forger wanted: nothing found
    result = verify_bundle(forge(material, report=report), trusted)
    refused(result, "findings-follow-from-evidence", "scan.parameters.scope")


# 2: an official id and version over rules with one deleted
def test_a_weakened_official_ruleset_is_refused(material, trusted):
    data = yaml.safe_load(bundled_text("cn-pipl"))
    data["rules"] = [r for r in data["rules"] if r["id"] != "PIPL-28-SENSITIVE-PLAINTEXT"]
    weak_text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    weak = load_ruleset_text(weak_text, "cn-pipl.yaml")
    rulesets = [weak if r.id == "cn-pipl" else r for r in material["rulesets"]]
    report = copy.deepcopy(material["report"])
    recorded = report["scan"]["declaration"]
    apply_rules(report, rulesets, material["declaration"])
    report["scan"]["declaration"] = recorded
    assert not any(f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT" for f in report["findings"])
    bundle = forge(material, report=report,
                   changes={ruleset_member("cn-pipl"): weak_text.encode()})
    detail = refused(verify_bundle(bundle, trusted), "rulesets-as-shipped",
                     f"cn-pipl version {weak.version}", sha256(weak_text.encode()),
                     sha256(bundled_text("cn-pipl").encode()), "another pia version")
    assert "not the cn-pipl" in detail


# 3: "N rules not evaluated (no declaration)" deleted
def test_deleting_not_evaluated_is_refused(material, trusted):
    report = copy.deepcopy(material["report"])
    apply_rules(report, material["rulesets"], None)
    assert report["not_evaluated"]
    report["summary"] = summarize(report)
    bundle = create_bundle(report, material["rulesets"], None, material["key"])
    assert verify_bundle(bundle, trusted).valid

    def hide(r):
        r["not_evaluated"] = []

    result = verify_bundle(forge(material, hide, report=report, bundle=bundle), trusted)
    refused(result, "findings-follow-from-evidence", "not_evaluated omits", "no declaration")


def _accepted(report):
    return [f for f in report["findings"] if "acceptance" in f]


def _approval(report):
    for f in _accepted(report):
        f["acceptance"] = {"reason": "已经网信办书面同意豁免", "owner": "网信办 审批",
                           "expires": "2099-12-31"}


def _unexpire(report):
    for f in _accepted(report):
        f["acceptance"].pop("expired")


def _expire_later(report):  # a scan after the acceptances ran out
    report["scan"]["started"] = "2027-01-02T08:00:00Z"
    report["scan"]["finished"] = "2027-01-02T08:05:00Z"


def _critical(report):
    return next(f for f in report["findings"] if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT")


# 4 and 5: every field of a finding is re-derived; the message names finding and field
@pytest.mark.parametrize("edit, field", [
    (_approval, "acceptance.expires"),
    (lambda r: _critical(r).update(title={"zh": "格式提示", "en": "Formatting notice"}),
     "title.en"),
    (lambda r: _critical(r).update(references=[{"law": "GB/T", "article": "0",
                                                      "quote": "仅供参考"}]),
     "references"),
    (lambda r: _critical(r)["remediation"].update(en="None required"), "remediation.en"),
    (lambda r: _critical(r)["evidence"].update(count=1), "evidence.count"),
    (lambda r: _critical(r).update(severity="low"), "severity"),
])
def test_a_rewritten_finding_names_its_field(material, trusted, edit, field):
    result = verify_bundle(forge(material, edit), trusted)
    refused(result, "findings-follow-from-evidence", f": {field} is ", "re-derived")


def test_every_differing_field_is_named(material, trusted):
    def rewrite(report):
        finding = _critical(report)
        finding["title"] = {"zh": "格式提示", "en": "Formatting notice"}
        finding["evidence"]["count"] = 1

    detail = refused(verify_bundle(forge(material, rewrite), trusted),
                     "findings-follow-from-evidence")
    assert "evidence.count is 1 in the report" in detail and "(also differs: title)" in detail


def test_an_expired_acceptance_cannot_be_unexpired(material, trusted):
    report = copy.deepcopy(material["report"])
    _expire_later(report)
    apply_rules(report, material["rulesets"], material["declaration"])
    assert all(f["acceptance"].get("expired") for f in _accepted(report))
    report["summary"] = summarize(report)
    bundle = create_bundle(report, material["rulesets"], material["declaration"],
                           material["key"])
    assert verify_bundle(bundle, trusted).valid
    result = verify_bundle(forge(material, _unexpire, report=report, bundle=bundle), trusted)
    refused(result, "findings-follow-from-evidence", "acceptance.expired is absent in the report "
            "but true re-derived")


# 9: complete: true over a source that was not read
def _drop_bucket(report):
    bucket = "s3://crm-exports"
    report["inventory"] = [i for i in report["inventory"] if i["source"] != bucket]
    report["facts"] = [f for f in report["facts"] if f["source"] != bucket]


def _skipped_whole(report):
    _drop_bucket(report)
    report["skipped"].append({"source": "s3://crm-exports", "location": {},
                              "reason": "bucket does not exist"})


@pytest.mark.parametrize("edit, words", [
    (_skipped_whole, ["was skipped whole", "bucket does not exist"]),
    (_drop_bucket, ["s3://crm-exports", "has no inventory item or fact"]),
])
def test_complete_contradicted_by_the_evidence_is_refused(material, trusted, edit, words):
    refused(verify_bundle(forge(material, edit, reapply=True), trusted), "scan-consistent",
            "complete is true", *words)


def test_an_incomplete_scan_that_says_so_is_valid(material, trusted):
    def honest(report):
        _skipped_whole(report)
        report["scan"]["complete"] = False

    assert verify_bundle(forge(material, honest, reapply=True), trusted).valid


# 10a: full claimed, sampled in fact
def _table(rows):
    def edit(report):
        report["facts"].append({
            "kind": "table", "source": DB_REDACTED,
            "location": {"database": "crm", "schema": "public", "table": "customer"},
            "attributes": {"row_estimate": rows, "grants": [], "public_read": False}})
        report["scan"]["parameters"].update(full=True, sample=None)
    return edit


def test_full_contradicted_by_the_rows_read_is_refused(material, trusted):
    result = verify_bundle(forge(material, _table(1500), reapply=True), trusted)
    refused(result, "scan-consistent", "parameters.full is true", "read on 200 of about 1500")


def test_full_over_a_table_read_whole_is_valid(material, trusted):
    assert verify_bundle(forge(material, _table(200), reapply=True), trusted).valid


# 11: versions the report and manifest name are the bundled rulesets'
def _report_version(report):
    report["scan"]["rulesets"][0]["version"] = "2027.9"


def _manifest_version(manifest):
    manifest["rulesets"][0]["version"] = "2027.9"


@pytest.mark.parametrize("edit, manifest_edit, where", [
    (_report_version, None, "report.json names"),
    (None, _manifest_version, "manifest.json names"),
])
def test_ruleset_versions_must_be_the_bundled_ones(material, trusted, edit, manifest_edit,
                                                    where):
    result = verify_bundle(forge(material, edit, manifest_edit=manifest_edit), trusted)
    refused(result, "rulesets-match-report", where, "version 2027.9 but the bundled ruleset is "
            "version")


# 14: the bundled declaration is the one the report names
@pytest.fixture(scope="module")
def bound(material):
    """A report that records the redacted declaration's digest, as a scan does, bundled."""
    report = copy.deepcopy(material["report"])
    text = declaration_text(material["declaration"])
    report["scan"]["declaration"]["redacted_sha256"] = sha256(text.encode("utf-8"))
    bundle = create_bundle(report, material["rulesets"], material["declaration"],
                           material["key"])
    return report, bundle, text


def test_a_report_that_records_its_redacted_declaration_verifies(bound, trusted):
    assert verify_bundle(bound[1], trusted).valid


def test_a_swapped_declaration_is_refused_by_its_digest(material, bound, trusted):
    report, bundle, text = bound
    forged = text.replace("安全合规部", "网信办 审批")
    declaration = load_declaration_text(forged, DECLARATION)

    def reapply(r):  # the findings follow from the forged declaration
        recorded = r["scan"]["declaration"]
        apply_rules(r, material["rulesets"], declaration)
        r["scan"]["declaration"] = recorded

    bundle = forge(material, reapply, report=report, bundle=bundle,
                   changes={DECLARATION: forged.encode()})
    refused(verify_bundle(bundle, trusted), "declaration-readable",
            "is not the redacted declaration the scan recorded", sha256(forged.encode()))


def test_a_renamed_organisation_is_refused_without_a_digest(material, trusted):
    """A report made before scans recorded redacted_sha256: what it derived from its
    declaration still has to follow from the bundled copy."""
    text = members(material["bundle"])[DECLARATION].decode()
    forged = text.replace("示例科技有限公司", "另一家公司")

    def older(report):
        report["scan"]["declaration"].pop("redacted_sha256", None)

    bundle = forge(material, older, changes={DECLARATION: forged.encode()})
    refused(verify_bundle(bundle, trusted), "declaration-readable",
            "scan.declaration.organisation is")


# 8: time lines
def _finished_before_started(report):
    report["scan"]["finished"] = "2026-03-01T00:00:00Z"


def _log_after_scan(hours):
    def edit(report):
        fact = next(f for f in report["facts"] if f["kind"] == "log_dir")
        fact["attributes"]["newest"] = f"2026-03-0{2 + hours // 24}T{8 + hours % 24:02d}:05:00Z"
    return edit


def _created_before(manifest):
    manifest["created"] = "2026-03-01T00:00:00Z"


@pytest.mark.parametrize("edit, manifest_edit, words", [
    (_finished_before_started, None, ["finished", "before it started"]),
    (None, _created_before, ["created", "before the scan finished"]),
])
def test_impossible_time_lines_are_refused(material, trusted, edit, manifest_edit, words):
    bundle = forge(material, edit, reapply=True, manifest_edit=manifest_edit)
    refused(verify_bundle(bundle, trusted), "scan-consistent", *words)


def test_a_log_a_few_hours_ahead_is_clock_skew_not_forgery(material, trusted):
    assert verify_bundle(forge(material, _log_after_scan(12), reapply=True), trusted).valid


def test_evidence_dated_after_the_scan_is_noted_not_refused(material, trusted):
    """Devices log years ahead and archives keep wrong mtimes: a genuine bundle stays valid,
    and the regulator is told the times do not fit."""
    result = verify_bundle(forge(material, _log_after_scan(48), reapply=True), trusted)
    assert result.valid
    (check,) = [c for c in result.checks if c.name == "scan-consistent"]
    assert "NOTE: 1 observed time more than a day after the scan finished" in check.detail
    assert "log_dir" in check.detail and "newest" in check.detail


def test_create_refuses_a_bundle_older_than_its_scan(material):
    with pytest.raises(BundleError, match="before the scan finished"):
        create_bundle(material["report"], material["rulesets"], material["declaration"],
                      material["key"], created="2026-03-01T00:00:00Z")


def test_verify_names_the_bundled_findings_exactly(material, trusted):
    """The passing detail counts findings and rules not evaluated from the re-derivation."""
    result = verify_bundle(material["bundle"], trusted)
    check = next(c for c in result.checks if c.name == "findings-follow-from-evidence")
    assert check.detail == f"{len(material['report']['findings'])} findings re-derived"
    assert json.loads(json.dumps(result.to_dict()))["valid"]


def test_an_evaluated_report_records_its_rules_engine(material):
    from pia.rules import ENGINE

    assert material["report"]["tool"]["rules"] == ENGINE
