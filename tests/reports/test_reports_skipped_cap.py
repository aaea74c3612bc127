"""The skipped list in the terminal, HTML and Markdown is capped per kind of reason, as the
other long lists are: 11,000 vanished files printed 11,000 rows ahead of the findings and
220,000 skipped locations made a 30 MB page. The JSON report keeps every record."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from pia.reports import render, view


def _vanished_and_cut(report: dict[str, Any], vanished: int, cut: int) -> dict[str, Any]:
    """``vanished`` files gone mid-scan and ``cut`` files read in part, as a scan records
    them, after the fixture's one binary file."""
    source = report["skipped"][0]["source"]
    report["skipped"] += [{"source": source, "location": {"path": f"/var/log/app/v{n:06d}.log"},
                           "reason": "file vanished"} for n in range(vanished)]
    report["skipped"] += [{"source": source, "location": {"path": f"/var/log/app/c{n:06d}.log"},
                           "reason": f"read in part: first {n + 1} of 999999 bytes (raise "
                                     "--max-bytes to read it whole)"} for n in range(cut)]
    report["summary"]["skipped"] = len(report["skipped"])
    return report


@pytest.mark.parametrize(("fmt", "lang", "more"), [
    ("html", "en", "… +{n} more skipped for the same kind of reason (such as: file vanished)"),
    ("md", "en", "… +{n} more skipped for the same kind of reason (such as: file vanished)"),
    ("table", "en", "… +{n} more skipped for the same kind of reason (such as: file vanished)"),
    ("html", "zh", "……另有 {n} 个位置因同类原因跳过，未列出（如：文件已不存在"),
    ("table", "zh", "……另有 {n} 个位置因同类原因跳过，未列出（如：文件已不存在"),
])
def test_skipped_locations_are_capped_per_kind_of_reason(report: dict[str, Any], fmt: str,
                                                        lang: str, more: str) -> None:
    report = _vanished_and_cut(report, 3000, 150)
    out = render(report, fmt, lang=lang)
    # every kind keeps some rows: the one binary file, a hundred of each of the others
    assert "/var/log/app/core.bin" in out
    assert len(re.findall(r"/var/log/app/v\d{6}\.log", out)) == view.DOCUMENT_SKIPPED
    assert len(re.findall(r"/var/log/app/c\d{6}\.log", out)) == view.DOCUMENT_SKIPPED
    assert more.format(n=3000 - view.DOCUMENT_SKIPPED) in out  # a line whole, not folded
    assert more.format(n=150 - view.DOCUMENT_SKIPPED).split("（如")[0].split(" (such")[0] in out
    # the headline and the summary count every one of them
    assert str(len(report["skipped"])) in out


def test_many_kinds_of_reason_are_capped_in_all(report: dict[str, Any]) -> None:
    """Reasons pia does not know (an operating system's) are each a kind of their own:
    the list stops at ``DOCUMENT_INVENTORY`` rows and counts the rest."""
    source = report["skipped"][0]["source"]
    report["skipped"] += [{"source": source, "location": {"path": f"/x/{n}"},
                           "reason": f"odd error {n}"} for n in range(3000)]
    report["summary"]["skipped"] = len(report["skipped"])
    html = render(report, "html", lang="en")
    section = html[html.index('id="skipped"'):html.index("</section>", html.index('id="skipped"'))]
    assert section.count("<tr>") == view.DOCUMENT_INVENTORY + 1  # and the head
    assert f"+{3001 - view.DOCUMENT_INVENTORY} more, see the JSON report" in section


def test_the_json_keeps_every_skipped_location(report: dict[str, Any]) -> None:
    report = _vanished_and_cut(report, 3000, 0)
    assert len(json.loads(render(report, "json", lang="en"))["skipped"]) == 3001
