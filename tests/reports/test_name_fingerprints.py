"""Places whose masked names coincide stay distinct wherever a location is rendered (QA):
``scans/110101199003071233.jpg``, ``scans/110101 19900307 1233.jpg`` and
``scans/110101-19900307-1233.jpg`` are all ``scans/1101**********1233.jpg`` masked, and gave
three SARIF results with one URI and three Markdown and HTML rows alike, their
``name_fingerprint`` in the JSON alone. SARIF's URI now carries it (one path per place, as a
noncurrent version's ``versionId``), and every document names the place with its first
digits (``#9f1195fec524``)."""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urljoin

import pytest

from pia.cli import main
from pia.reports import render

MASKED = "scans/1101**********1233.jpg"
NAMES = ("110101199003071233", "110101 19900307 1233", "110101-19900307-1233")
PRINTS = [f"hmac-sha256:{c * 32}" for c in "abc"]


def _uris(report: dict[str, Any], rule_id: str) -> list[str]:
    sarif = json.loads(render(report, "sarif", lang="en"))
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == rule_id)
    return [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in result["locations"]]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``pia scan`` of three photos named by one ID written three ways (binary files: only
    their names are read), its JSON report."""
    base = tmp_path_factory.mktemp("named")
    (base / "scans").mkdir()
    for name in NAMES:
        (base / "scans" / f"{name}.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(64)))
    before = os.getcwd()
    os.chdir(base)
    try:
        os.environ["PIA_FINGERPRINT_KEY"] = "k" * 32
        with pytest.raises(SystemExit):
            main(["scan", "scans", "-o", "r.json", "-q", "--lang", "en", "--executor",
                  "serial"])
    finally:
        os.chdir(before)
        del os.environ["PIA_FINGERPRINT_KEY"]
    return json.loads((base / "r.json").read_text(encoding="utf-8"))


def test_three_files_whose_masks_coincide_have_three_uris(scanned: dict[str, Any]) -> None:
    findings = [f for f in scanned["findings"] if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT"]
    assert len(findings) == 3
    assert {loc["path"] for f in findings for loc in f["locations"]} == {MASKED}
    sarif = json.loads(render(scanned, "sarif", lang="en"))
    locations = [loc for r in sarif["runs"][0]["results"] for loc in r["locations"]
                 if r["ruleId"] == "PIPL-28-SENSITIVE-PLAINTEXT"]
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in locations]
    prints = sorted(loc["name_fingerprint"] for f in findings for loc in f["locations"])
    assert sorted(uris) == [f"{MASKED}?nameFingerprint={p}" for p in prints]
    # resolved against the base, they still name three places
    assert len({urljoin("file:///src/", uri) for uri in uris}) == 3
    assert sorted(loc["properties"]["nameFingerprint"] for loc in locations) == prints
    messages = {r["message"]["text"] for r in sarif["runs"][0]["results"]
                if r["ruleId"] == "PIPL-28-SENSITIVE-PLAINTEXT"}
    assert len(messages) == 3


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_three_files_whose_masks_coincide_have_three_rows(scanned: dict[str, Any],
                                                          fmt: str) -> None:
    prints = sorted(loc["name_fingerprint"].removeprefix("hmac-sha256:")[:12]
                    for f in scanned["findings"] for loc in f["locations"])
    text = render(scanned, fmt, lang="en")
    for mark in prints:  # each place: its finding, its inventory item, its skipped file
        assert text.count(f"{MASKED} #{mark}") >= 3, mark
    assert text.count(MASKED) == text.count(f"{MASKED} #")  # every time it is named


def test_a_noncurrent_version_and_a_table_keep_their_fingerprint_in_the_uri(
        report: dict[str, Any]) -> None:
    finding = next(f for f in report["findings"] if f["rule_id"] == "CSL-40-PUBLIC-EXPOSURE")
    finding["locations"] = [
        {"bucket": "b", "key": MASKED, "name_fingerprint": PRINTS[0]},
        {"bucket": "b", "key": MASKED, "version_id": "v1", "name_fingerprint": PRINTS[1]},
        {"bucket": "b", "key": "plain.jpg"}]
    assert _uris(report, "CSL-40-PUBLIC-EXPOSURE") == [
        f"s3/b/{MASKED}?nameFingerprint={PRINTS[0]}",
        f"s3/b/{MASKED}?versionId=v1&nameFingerprint={PRINTS[1]}",
        "s3/b/plain.jpg"]
    finding = next(f for f in report["findings"]
                   if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT")
    db = next(loc for loc in finding["locations"] if "table" in loc)
    before = _uris(report, "PIPL-28-SENSITIVE-PLAINTEXT")
    db["name_fingerprint"] = PRINTS[2]
    after = _uris(report, "PIPL-28-SENSITIVE-PLAINTEXT")
    assert f"{before[0]}?nameFingerprint={PRINTS[2]}" in after


def test_a_sqlite_column_keeps_its_database_file_as_the_uri(report: dict[str, Any]) -> None:
    """A SQLite column's artifact is its database file, a real file every column shares: the
    fingerprint goes to the location's properties and logical location, not to the URI."""
    finding = next(f for f in report["findings"] if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT")
    finding["source"] = "shop.db"
    finding["locations"] = [{"table": "user_1101**********1233", "column": "phone",
                             "name_fingerprint": PRINTS[0]}]
    sarif = json.loads(render(report, "sarif", lang="en"))
    result = next(r for r in sarif["runs"][0]["results"]
                  if r["ruleId"] == "PIPL-28-SENSITIVE-PLAINTEXT")
    (loc,) = result["locations"]
    assert loc["physicalLocation"]["artifactLocation"] == {"uri": "shop.db",
                                                           "uriBaseId": "SRCROOT"}
    assert loc["properties"] == {"nameFingerprint": PRINTS[0]}
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == (
        "user_1101**********1233.phone #aaaaaaaaaaaa")


def test_a_location_masking_left_alone_has_no_mark(report: dict[str, Any]) -> None:
    for fmt in ("md", "html"):
        assert " #" not in "".join(line for line in render(report, fmt, lang="en").splitlines()
                                   if "app.log" in line or "exports-bucket" in line)
    sarif = json.loads(render(report, "sarif", lang="en"))
    assert "nameFingerprint" not in json.dumps(sarif)
