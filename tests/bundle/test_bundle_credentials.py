"""A signed bundle names no source with its credential, and verify and show never print one.

QA D2: a bundle signed with the trusted key whose sources (scan, inventory, facts) held
``postgresql://u:hunter2@…`` verified VALID and printed the password in the verdict and in
``-f json``; when another check failed, the one-line error and the ``bundle show`` banner
quoted it. ``bundle create`` refused only ``scan.sources``.
"""

from __future__ import annotations

import copy
import json
import re

import pytest
from bundle_fixture import DB_REDACTED
from bundle_helpers import failed, resign, run_cli

from pia.bundle import create_bundle, fingerprint, load_public_key, verify_bundle
from pia.bundle.create import REPORT
from pia.errors import BundleError
from pia.report import dumps, summarize

PASSWORD = "hunter2"
LEAKED = f"postgresql://u:{PASSWORD}@10.0.0.1/db"
SHOWN = "postgresql://u:***@10.0.0.1/db"


@pytest.fixture(scope="module")
def trusted(material):
    key = load_public_key(material["pub_path"])
    return {fingerprint(key): key}


def _leak(report, *, scan=True, items=True):
    """The database source named with its password: in ``scan.sources`` and, with
    ``items``, in every inventory item and fact read from it (consistent, as QA's C09c)."""
    if scan:
        report["scan"]["sources"] = [LEAKED if s == DB_REDACTED else s
                                     for s in report["scan"]["sources"]]
    for entry in (report["inventory"] + report["facts"]) if items else []:
        if entry.get("source") == DB_REDACTED:
            entry["source"] = LEAKED


def _signed(material, **where) -> bytes:
    report = copy.deepcopy(material["report"])
    _leak(report, **where)
    report["summary"] = summarize(report)
    return resign(material["bundle"], material["key"], {REPORT: dumps(report).encode()})


@pytest.mark.parametrize("where, named", [
    ({}, r"scan\.sources\[0\]"),
    ({"scan": False}, r"inventory\[\d+\]\.source"),
])
def test_a_signed_credential_is_invalid_and_never_said(material, trusted, where, named):
    result = verify_bundle(_signed(material, **where), trusted)
    assert not result.valid and failed(result) == "credentials-redacted"
    assert re.match(rf"{named} {re.escape(SHOWN)} holds a credential", result.failed[0].detail)
    said = json.dumps(result.to_dict())
    assert PASSWORD not in said
    assert PASSWORD not in json.dumps(result.report)  # what bundle show renders


def test_a_credential_a_failing_check_quotes_is_redacted(material, trusted):
    """Only scan.sources edited: the item-less source also fails scan-consistent, whose
    message quotes the source."""
    result = verify_bundle(_signed(material, items=False), trusted)
    names = [c.name for c in result.failed]
    assert names[0] == "credentials-redacted" and "scan-consistent" in names
    assert all(PASSWORD not in c.detail for c in result.checks)
    assert any(SHOWN in c.detail for c in result.failed if c.name == "scan-consistent")


def test_the_cli_prints_sources_redacted_everywhere(material, work, capsys):
    (work / "leak.zip").write_bytes(_signed(material, items=False))
    for argv in (["verify", "leak.zip", "--pubkey", "signer.key.pub", "--lang", "en"],
                 ["verify", "leak.zip", "--pubkey", "signer.key.pub", "-f", "json"],
                 ["show", "leak.zip", "--pubkey", "signer.key.pub", "--lang", "en"],
                 ["show", "leak.zip"]):
        code, out, err = run_cli(["bundle", *argv], capsys)
        assert code == 1 and PASSWORD not in out + err, argv
        assert SHOWN in out + err
    code, out, err = run_cli(["bundle", "verify", "leak.zip", "--pubkey", "signer.key.pub",
                              "--lang", "en"], capsys)
    assert f"- {SHOWN}" in out
    assert "check credentials-redacted failed" in err and err.count("\n") == 1


def test_create_refuses_a_credential_in_an_items_source(material):
    report = copy.deepcopy(material["report"])
    _leak(report, scan=False)
    with pytest.raises(BundleError) as refused:
        create_bundle(report, material["rulesets"], material["declaration"], material["key"])
    assert re.search(rf"inventory\[\d+\]\.source {re.escape(SHOWN)} holds a credential",
                     str(refused.value))
    assert PASSWORD not in str(refused.value)


def test_a_redacted_source_passes(material, trusted):
    result = verify_bundle(material["bundle"], trusted)
    check = next(c for c in result.checks if c.name == "credentials-redacted")
    assert check.status == "passed" and "none with a credential" in check.detail
