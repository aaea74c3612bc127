"""QA Q2 B5, B8, B3: what verify says of an edited finding or summary. An ID with a
zero-width space in it, appended to a finding's title, was quoted whole by
``findings-follow-from-evidence`` (escaped past the masker) in verify's output and show's
banner; an edited ``source`` or ``locations`` was reported as "7 recorded, 7 re-derived",
naming no field; an edited severity as ``summary.by_severity is {"<not a type name>": 2}``."""

from __future__ import annotations

import copy
import re

import pytest
from bundle_helpers import resign, run_cli
from qa2_scan import RAW_ID

from pia.bundle import load_private_key
from pia.bundle.create import REPORT
from pia.report import dumps, summarize

HIDDEN = RAW_ID[:9] + "\u200b" + RAW_ID[9:]


def _run(scanned, report, capsys, tmp_path, command="verify") -> tuple[int, str]:
    key = load_private_key(scanned["key_path"])
    path = tmp_path / "b.zip"
    path.write_bytes(resign(scanned["bundle"], key, {REPORT: dumps(report).encode()}))
    code, out, err = run_cli(["bundle", command, str(path), "--pubkey",
                              str(scanned["pub_path"]), "--lang", "en"], capsys)
    said = out + err
    seen = re.sub(r"\\u200b|\u200b", "", said)  # the ID as a reader sees it
    assert RAW_ID not in seen and RAW_ID[:14] not in seen, said
    return code, said


def _finding(report, rule="PIPL-28-SENSITIVE-PLAINTEXT"):
    return next(f for f in report["findings"] if f["rule_id"] == rule)


@pytest.mark.parametrize("command", ["verify", "show"])
def test_an_id_hidden_by_a_zero_width_space_in_a_title_is_not_quoted(scanned, capsys,
                                                                     tmp_path, command):
    report = copy.deepcopy(scanned["report"])
    _finding(report)["title"]["en"] += " " + HIDDEN
    code, said = _run(scanned, report, capsys, tmp_path, command)
    assert code == 1, said
    if command == "verify":  # show's banner names the first check failed, samples-masked
        assert 'title.en is "Sensitive personal information stored in plaintext 1' in said


def test_an_edited_source_is_named(scanned, capsys, tmp_path):
    report = copy.deepcopy(scanned["report"])
    _finding(report)["source"] = "sqlite:///tmp/other.db"
    code, out = _run(scanned, report, capsys, tmp_path)
    assert code == 1 and "does not follow from the evidence: source is " \
        '"sqlite:///tmp/other.db" in the report but "sqlite:///' in out, out


def test_an_edited_location_is_named(scanned, capsys, tmp_path):
    report = copy.deepcopy(scanned["report"])
    location = _finding(report)["locations"][0]
    location["column"] = "phone" if location["column"] != "phone" else "card"
    code, out = _run(scanned, report, capsys, tmp_path)
    assert code == 1 and "does not follow from the evidence: locations is " \
        f'[{{"column": "{location["column"]}"' in out, out


def test_a_summary_disagreeing_by_severity_names_the_severity(scanned, capsys, tmp_path):
    report = copy.deepcopy(scanned["report"])
    _finding(report)["severity"] = "low"
    was = summarize(scanned["report"])["by_severity"]["low"]
    code, out = _run(scanned, report, capsys, tmp_path)
    assert code == 1 and f"summary.by_severity.low is {was} but the report holds {was + 1}" \
        in out, out
