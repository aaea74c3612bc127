"""`pia demo`, the README's first command: it runs to the end, its bundle verifies, and its
HTML report shows findings from at least four rules of two laws in a real browser."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "reports"))
from reports_cdp import Browser, chromium_path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_demo_runs_to_the_end(demo) -> None:
    folder, run = demo
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    for name in ("shop.db", "pia.yaml", "report.json", "report.html", "audit-bundle.zip",
                 "demo-signing.key", "demo-signing.key.pub", "migrations/002_add_member_idcard.sql",
                 "logs/legacy/billing-gbk.log"):
        assert (folder / name).exists(), name
    assert "verified" in run.stdout
    assert "1 error," in run.stdout  # the plaintext id_card migration
    assert [line for line in run.stdout.splitlines() if line != line.rstrip()] == []


def test_demo_findings_cover_two_laws(demo) -> None:
    folder, _run = demo
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    rules = {f["rule_id"] for f in report["findings"]}
    laws = {ref["law"] for f in report["findings"] for ref in f["references"]}
    assert len(rules) >= 4 and {"CSL", "PIPL"} <= laws
    # what the estate was built to show
    assert {"PIPL-28-SENSITIVE-PLAINTEXT", "PIPL-31-MINORS", "PIPL-73-PSEUDONYM-REVERSIBLE",
            "CSL-42-PI-IN-LOGS", "CSL-21-LOG-RETENTION"} <= rules
    flagged = {(loc.get("table"), loc.get("column")) for f in report["findings"]
               if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT" for loc in f["locations"]}
    assert ("payments", "card_no_enc") not in flagged and ("members", "sfzh") in flagged
    ledger = [i for i in report["inventory"] if i["location"].get("column") in
              ("order_no", "ledger_no")]
    assert ledger == []


def test_demo_bundle_verifies_from_the_command_line(demo) -> None:
    folder, _run = demo
    run = subprocess.run([sys.executable, "-m", "pia", "bundle", "verify",
                          str(folder / "audit-bundle.zip"), "--pubkey",
                          str(folder / "demo-signing.key.pub")], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


def test_demo_outputs_hold_no_raw_pi(demo) -> None:
    import sqlite3

    folder, _run = demo
    db = sqlite3.connect(folder / "shop.db")
    raw = [row[0] for row in db.execute("SELECT sfzh FROM members LIMIT 200")]
    raw += [row[0] for row in db.execute("SELECT sjh FROM members LIMIT 200")]
    db.close()
    for name in ("report.json", "report.html"):
        text = (folder / name).read_text(encoding="utf-8")
        assert not [value for value in raw if value in text], name


def test_demo_html_in_chromium(demo) -> None:
    binary = chromium_path()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (run scripts/services)", pytrace=False)
        pytest.skip("chromium is not installed")
    folder, _run = demo
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    browser = Browser(binary)
    try:
        url = (folder / "report.html").as_uri()
        browser.call("Page.navigate", url=url)
        browser.wait_for("Page.loadEventFired")
        shown = browser.evaluate(
            "JSON.stringify(Array.from(document.querySelectorAll('#findings-table tbody tr'),"
            " r => r.textContent))")
        rows = json.loads(shown)
        rules_on_page = {rule for rule in {f["rule_id"] for f in report["findings"]}
                         if any(rule in row for row in rows)}
        assert len(rules_on_page) >= 4
        assert browser.console_errors() == []
        assert [u for u in browser.requests() if u != url and not u.startswith("data:")] == []
        artifacts = ROOT / "tests" / "artifacts"
        artifacts.mkdir(exist_ok=True)
        browser.screenshot(str(artifacts / "demo-report.png"))
    finally:
        browser.close()


@pytest.mark.parametrize("where", ["file", "/proc/no-such-dir/pia-demo"])
def test_demo_in_an_unusable_directory_is_a_one_line_error(tmp_path: Path, where: str) -> None:
    """A file where the folder should be, or a parent that cannot be created: exit 2, one
    line naming the folder (was NotADirectoryError / FileNotFoundError tracebacks)."""
    (tmp_path / "file").write_text("not a folder\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pia", "demo", "--dir", where], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.splitlines()) == 1
    assert "choose another --dir" in run.stderr and Path(where).name in run.stderr


def test_demo_makes_its_folder_but_not_a_missing_parent(tmp_path: Path) -> None:
    """A typo in --dir (QA: /nonexist/parent/x laid out a tree from the root, exit 0) is
    refused as pia scan -o refuses a missing directory: exit 2, one line naming the parent,
    nothing made. The folder itself is made (the ``demo`` fixture's pia-demo is new)."""
    where = tmp_path / "typo" / "parent" / "x"
    run = subprocess.run([sys.executable, "-m", "pia", "demo", "--dir", str(where)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert run.stderr.splitlines() == [
        f"pia: error: --dir {where}: directory {where.parent} does not exist; create it or "
        "choose another --dir"]
    assert list(tmp_path.iterdir()) == []


# (how another user set the folder up, what the refusal says)
HOSTILE = [
    ("writable by everyone, with a link at report.json", "is writable by other users"),
    ("another user's", "is owned by another user"),
    ("a link in a folder of ours", "report.json is a symbolic link"),
]


@pytest.mark.parametrize(("how", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_demo_refuses_a_folder_others_control_and_writes_through_no_link(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, message: str) -> None:
    from pia.demo import run_demo
    from pia.errors import UsageError

    victim = tmp_path / "victim.txt"
    victim.write_text("IMPORTANT DATA")
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    (shared / ".pia-demo").touch()
    if how.startswith("writable"):
        shared.chmod(0o777)
    if "link" in how:
        (shared / "report.json").symlink_to(victim)
    if how == "another user's":  # as if another uid owned it (tests create no users)
        uid = os.getuid()
        monkeypatch.setattr(os, "getuid", lambda: uid + 1)
    with pytest.raises(UsageError, match=message):
        run_demo(shared)
    assert victim.read_text() == "IMPORTANT DATA"
    assert sorted(p.name for p in shared.iterdir()) == \
        sorted([".pia-demo", *(["report.json"] if "link" in how else [])])


def test_demo_summary_in_chinese(demo) -> None:
    from pia.demo import DemoResult, summary_lines

    folder, _run = demo
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    outputs = {"json": folder / "report.json", "html": folder / "report.html",
               "bundle": folder / "audit-bundle.zip", "key": folder / "demo-signing.key"}
    lines = summary_lines(DemoResult(root=folder, outputs=outputs, report=report,
                                     bundle_valid=True), "zh")
    text = "\n".join(lines)
    assert "[严重] PIPL-28-SENSITIVE-PLAINTEXT" in text
    assert not any(f"[{s}]" in text for s in ("critical", "high", "medium", "low"))
    assert "最重要的问题：" in text and "示例数据：" in text
    assert "迁移检查: " not in text  # zh labels end with a full-width colon
    # a finding cites every article its rule does, as the full reports do: PIPL-31-MINORS
    # showed only its first reference (PIPL 28), which reads as a mis-citation; the
    # plaintext rule cites PIPL 28, PIPL 51(三) and GB/T 35273 6.3 a)
    (plaintext,) = [i for i, line in enumerate(lines) if "PIPL-28-SENSITIVE-PLAINTEXT" in line]
    assert "《个人信息保护法》第二十八条" in lines[plaintext + 1]
    assert "《个人信息保护法》第五十一条第（三）项" in lines[plaintext + 1]
    assert "GB/T 35273-2020 6.3 a)" in lines[plaintext + 1]


def test_demo_migration_lines_in_the_demos_language(tmp_path: Path, monkeypatch) -> None:
    """pia demo --lang zh said its migration findings in English (finding.message)."""
    from pia.demo import run_demo

    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "demo-test-key-0123456789")
    result = run_demo(tmp_path / "pia-demo", "zh")
    (line,) = [x for x in result.migration_lines if "PIPL-28" in x]
    assert "居民身份证号码" in line and "column" not in line, line
