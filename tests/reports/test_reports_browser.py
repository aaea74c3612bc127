"""The HTML report in a real browser: no console errors, no network, numbers equal the JSON.

Needs Debian's ``chromium`` (``scripts/services`` installs it). Without it the test skips on a
developer machine and fails in CI, where a skipped browser test would hide a broken report.
A screenshot per language goes to ``tests/artifacts/`` (ignored by git) for the release note.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from reports_cdp import Browser, chromium_path

from pia.reports import render

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = chromium_path()


SUMMARY_JS = """JSON.stringify(Object.fromEntries(Array.from(
  document.querySelectorAll('[data-summary]'), e => [e.dataset.summary, e.textContent.trim()])))"""


@pytest.fixture
def browser():
    if CHROMIUM is None:
        message = "chromium is not installed (run scripts/services)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    instance = Browser(CHROMIUM)
    instance.call("Emulation.setDeviceMetricsOverride", width=1280, height=900,
                  deviceScaleFactor=1, mobile=False)
    yield instance
    instance.close()


def _open(browser: Browser, html: str, tmp_path: Path) -> str:
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    url = page.as_uri()
    browser.call("Page.navigate", url=url)
    browser.wait_for("Page.loadEventFired")
    return url


def _expected(report: dict[str, Any]) -> dict[str, str]:
    s = report["summary"]
    out = {k: str(s[k]) for k in ("sources", "inventory_items", "findings", "accepted", "skipped")}
    out.update({f"severity.{k}": str(v) for k, v in s["by_severity"].items()})
    out.update({f"entity.{k}": str(v) for k, v in s["by_entity_type"].items()})
    out["not_evaluated"] = str(len({n["rule_id"] for n in report.get("not_evaluated", [])}))
    return out


def _set(browser: Browser, selector: str, value: str) -> str:
    """Set a filter control as a user would, and return the 'shown' counter of its table."""
    return browser.evaluate(f"""(() => {{
      const c = document.querySelector({selector!r}); c.value = {value!r};
      c.dispatchEvent(new Event(c.tagName === 'SELECT' ? 'change' : 'input'));
      return document.querySelector(
        "[data-shown-for='" + c.dataset.filterFor + "']").textContent; }})()""")


@pytest.mark.parametrize("lang", ["zh", "en", "bo"])
def test_html_report_in_chromium(browser: Browser, report: dict[str, Any], tmp_path: Path,
                                 lang: str) -> None:
    import json

    url = _open(browser, render(report, "html", lang=lang), tmp_path)

    assert json.loads(browser.evaluate(SUMMARY_JS)) == _expected(report)

    # the script works: sorting reorders rows, filters count what they show
    first = "document.querySelector('#inventory-table tbody tr td:nth-child(4)').textContent"
    browser.evaluate("document.querySelector('#inventory-table th:nth-child(4)').click()")
    ascending = browser.evaluate(first)
    browser.evaluate("document.querySelector('#inventory-table th:nth-child(4)').click()")
    descending = browser.evaluate(first)
    counts = sorted(item["count"] for item in report["inventory"])
    assert (ascending, descending) == (str(counts[0]), str(counts[-1]))
    critical = report["summary"]["by_severity"]["critical"]
    assert _set(browser, "select[data-field=status]", "open") == str(report["summary"]["findings"])
    assert _set(browser, "select[data-field=severity]", "critical") == str(critical)
    assert _set(browser, "input[data-filter-for=findings-table]", "zzz-no-such-text") == "0"
    assert _set(browser, "input[data-filter-for=inventory-table]", "customers") == "3"

    assert browser.console_errors() == []
    others = [u for u in browser.requests() if u != url and not u.startswith("data:")]
    assert others == []

    for control in ("input[data-filter-for=findings-table]", "select[data-field=severity]",
                    "select[data-field=status]", "input[data-filter-for=inventory-table]"):
        _set(browser, control, "")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n")
    browser.screenshot(str(ARTIFACTS / f"report-{lang}.png"))


def test_the_harness_sees_a_network_request(browser: Browser, report: dict[str, Any],
                                            tmp_path: Path) -> None:
    """Negative control: a page that fetches something is caught, so the test above can fail."""
    html = render(report, "html", lang="en")
    html = html.replace("Content-Security-Policy", "X-Disabled").replace(
        "</body>", '<img src="http://127.0.0.1:9/beacon.png"></body>')
    _open(browser, html, tmp_path)
    assert any("beacon.png" in u for u in browser.requests())


def test_the_harness_sees_a_console_error(browser: Browser, report: dict[str, Any],
                                          tmp_path: Path) -> None:
    html = render(report, "html", lang="en").replace(
        "</body>", "<script>undefinedFunction()</script></body>")
    _open(browser, html, tmp_path)
    assert browser.console_errors()


def test_print_stylesheet_gives_a_clean_pdf(browser: Browser, report: dict[str, Any],
                                            tmp_path: Path) -> None:
    import base64

    _open(browser, render(report, "html", lang="zh"), tmp_path)
    browser.call("Emulation.setEmulatedMedia", media="print")
    hidden = browser.evaluate("Array.from(document.querySelectorAll('.controls'), "
                              "e => getComputedStyle(e).display)")
    assert hidden == ["none", "none"]
    pdf = base64.b64decode(browser.call("Page.printToPDF", printBackground=False)["data"])
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n")
    (ARTIFACTS / "report-zh.pdf").write_bytes(pdf)
    assert browser.console_errors() == []
