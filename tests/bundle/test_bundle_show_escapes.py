"""`pia bundle show` of a bundle whose report carries terminal escapes: the verdict printed
above the report stays on screen, the hostile strings are shown escaped, never obeyed.

The bundle is what an attacker can make: any report, signed with their own key (so the
signature check, or the key's trust, is all that may fail)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from bundle_helpers import resign, run_cli

from pia.bundle import show

# clear screen and scrollback and print a fake verdict; set the window title; 8-bit CSI;
# a right-to-left override; a newline and a tab; Chinese and Tibetan around them
ATTACK = "示例 བོད\x1b[2J\x1b[3J\x1b[HVERIFIED\x1b]0;ok\x07\x9b2J\u202e\n\t"
SHOWN = r"示例 བོད\x1b[2J\x1b[3J\x1b[HVERIFIED\x1b]0;ok\x07\x9b2J\u202e\n\t"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _hostile(report: dict) -> dict:
    report = copy.deepcopy(report)
    finding = report["findings"][0]
    finding["title"] = {lang: f"{text} {ATTACK}" for lang, text in finding["title"].items()}
    finding["locations"][0] = {"path": f"/data/{ATTACK}"}
    for item in report["findings"]:
        if item.get("acceptance"):
            item["acceptance"]["reason"] = ATTACK
    return report


def test_show_prints_the_report_escaped_under_its_verdict(material, sandbox, capsys,
                                                          monkeypatch):
    monkeypatch.setattr("pia.reports.table.DEFAULT_WIDTH", 1000)  # no folding inside a string
    report = _hostile(material["report"])
    data = resign(material["bundle"], material["key"],
                  {"report.json": json.dumps(report, ensure_ascii=False).encode()})
    Path("hostile.zip").write_bytes(data)
    Path("signer.pub").write_bytes(material["pub_path"].read_bytes())
    code, out, err = run_cli(["bundle", "show", "hostile.zip", "--pubkey", "signer.pub",
                              "--lang", "en"], capsys)
    assert code == 1 and out.splitlines()[1].startswith("NOT VERIFIED: "), err
    assert RAW.findall(out) == []
    assert out.count(SHOWN) >= 3 and f"/data/{SHOWN}" in out  # title, path, reason


def test_fallback_without_renderers_is_escaped_too(material):
    out = show._fallback(_hostile(material["report"]))
    assert RAW.findall(out.replace("\n", "")) == [] and SHOWN in out
