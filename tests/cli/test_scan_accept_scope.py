"""An ``accept:`` entry is held to what a compliance manager signs (QA finding 3): one that
names no rule and no location (``rule: "*"``) is refused with its file and line, exit 2; one
that accepts critical findings or children's data is warned of with its counts, on stderr
and in ``scan.declaration.serious_accepts``; one that runs more than a year past the scan is
warned of too (``distant_accepts``). Real pia scans of a shop database."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pia.sample.synth import Synth

DECLARATION = """\
version: 1
organisation: {{name: 质检商城有限公司, ciio: false}}
assets:
  - id: shop
    source: shop.db
    pi_categories: [CN_NAME, CN_MOBILE]
accept:
{accept}"""
NEAR = (dt.date.today() + dt.timedelta(days=90)).isoformat()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Members with plaintext resident IDs (critical) and a pupils' table (children's data)."""
    root = tmp_path_factory.mktemp("shop")
    synth = Synth(seed=3)
    with sqlite3.connect(root / "shop.db") as conn:
        conn.execute("CREATE TABLE members (xingming TEXT, shoujihao TEXT, shenfenzheng TEXT)")
        conn.executemany("INSERT INTO members VALUES (?, ?, ?)",
                         [(f"张{n}", synth.mobile(), synth.resident_id()) for n in range(30)])
        conn.execute("CREATE TABLE pupils (xm TEXT, sfzh TEXT)")
        conn.executemany("INSERT INTO pupils VALUES (?, ?)",
                         [(f"李{n}", synth.minor_resident_id()) for n in range(30)])
    conn.close()
    return root


def pia_scan(root: Path, accept: str) -> tuple[subprocess.CompletedProcess[str], dict | None]:
    (root / "pia.yaml").write_text(DECLARATION.format(accept=accept), encoding="utf-8")
    report = root / "r.json"
    report.unlink(missing_ok=True)
    run = subprocess.run([sys.executable, "-m", "pia", "scan", "shop.db", "-q", "-o", "r.json",
                          "--lang", "en", "--fail-on", "critical"], cwd=root, text=True,
                         capture_output=True, timeout=300,
                         env=dict(os.environ, PIA_FINGERPRINT_KEY="k" * 32))
    return run, json.loads(report.read_text(encoding="utf-8")) if report.exists() else None


@pytest.mark.parametrize(("rule", "narrowed"), [
    ("*", ""),  # the QA report's entry
    ("*-*", "source: shop.db, "),  # every rule of a whole database is no narrower
])
def test_an_entry_that_names_no_rule_and_no_location_is_refused(shop: Path, rule: str,
                                                                 narrowed: str) -> None:
    run, report = pia_scan(shop, f'  - {{rule: "{rule}", {narrowed}reason: accept everything,'
                                 " owner: intern@example.cn, expires: 2099-12-31}\n")
    assert run.returncode == 2 and report is None
    assert run.stderr.splitlines() == [
        f"pia: error: pia.yaml:8: accept rule '{rule}' names "
        "no rule and the entry no location: it would accept every finding, critical ones and "
        "children's data included; name the rule ids it accepts, or add location: or "
        "fingerprint:"]


def test_an_entry_that_accepts_critical_findings_and_childrens_data_is_warned_with_counts(
        shop: Path) -> None:
    run, report = pia_scan(shop, f"  - {{rule: PIPL-*, reason: r, owner: o, expires: {NEAR}}}\n")
    assert run.returncode == 0, run.stderr  # accepted: the gate passes, but not silently
    accepted = [f for f in report["findings"] if f["status"] == "accepted"]
    critical = sum(f["severity"] == "critical" for f in accepted)
    children = sum(bool(f["evidence"].get("minors_count")) for f in accepted)
    assert critical and children
    assert report["scan"]["declaration"]["serious_accepts"] == [
        {"entry": "pia.yaml:8: rule PIPL-*", "accepted": len(accepted), "critical": critical,
         "children": children}]
    assert report["scan"]["declaration"]["distant_accepts"] == []
    assert (f"pia: warning: pia.yaml:8: rule PIPL-*: this accept entry accepts {len(accepted)}"
            f" findings, {critical} critical, {children} on the data of children under 14"
            ) in run.stderr.splitlines()
    # and a reader of the HTML or Markdown report sees it beside the declaration it names
    from pia.reports import render

    for fmt in ("md", "html"):
        assert (f"pia.yaml:8: rule PIPL-*: {len(accepted)} findings accepted, {critical} "
                f"critical, {children} on the data of children under 14"
                ) in render(report, fmt, lang="en").replace("\\*", "*")


def test_an_entry_that_runs_past_a_year_is_warned_and_a_narrow_one_is_not(shop: Path) -> None:
    run, report = pia_scan(shop, (
        "  - {rule: PIPL-51-CLASSIFICATION, location: {table: members, column: shoujihao},\n"
        "     reason: r, owner: o, expires: 2099-12-31}\n"
        f"  - {{rule: \"*\", location: {{table: members}}, reason: r, owner: o,\n"
        f"     expires: {NEAR}}}\n"))
    assert run.returncode in (0, 1), run.stderr
    declared = report["scan"]["declaration"]
    assert declared["distant_accepts"] == [{"entry": "pia.yaml:8: rule PIPL-51-CLASSIFICATION",
                                            "expires": "2099-12-31"}]
    distant = [line for line in run.stderr.splitlines() if "more than a year" in line]
    assert len(distant) == 1 and distant[0].startswith(
        "pia: warning: pia.yaml:8: rule PIPL-51-CLASSIFICATION: this accept entry expires "
        "2099-12-31, more than a year after the scan (")
    # the members table's findings (critical: plaintext IDs) are accepted by the second entry
    assert [s["entry"] for s in declared["serious_accepts"]] == ["pia.yaml:10: rule *"]
