"""What a regulator reads of a verification: ``verify``'s summary, and a bundled report shown
without trusting it blindly.

The rendering always carries the verdict inside it (first lines of a table, an alert at the
top of an HTML page), so a copy saved to a file or printed cannot lose it. Without a key the
signature cannot be checked, and the report is shown as *not verified*, whatever else passed.
The bundled declaration follows the report (organisation, assets, activities with their
purpose, legal basis, consent and impact assessment, cross-border transfers, accepted risks):
the cross-border and consent findings are judged against it, and a regulator should not have
to unzip the bundle to read it.
"""

from __future__ import annotations

import html
import re
from typing import Any

from pia.bundle import safezip
from pia.bundle.verify import Verification
from pia.printable import printable

FORMATS = ("table", "html")
_BODY = re.compile(r"<body[^>]*>", re.I)


def verdict(result: Verification, key_given: bool) -> tuple[str, int]:
    """One sentence and the exit code: 0 verified, 1 not verified, 2 unreadable or undecided
    (made by another pia, which this one cannot judge)."""
    if not result.readable:
        return f"UNREADABLE: {result.failed[0].detail}", 2
    failed = [c for c in result.failed if key_given or c.name != "signature-trusted"]
    if failed:
        return (f"NOT VERIFIED: check {failed[0].name} failed ({failed[0].detail}); the content "
                "below is untrusted"), 1
    if result.undecided:
        check = result.undecided[0]
        return (f"NOT VERIFIED: check {check.name} undecided ({check.detail}); the content "
                "below is not vouched for"), 2
    if not key_given:
        return ("NOT VERIFIED: no key given (--pubkey or --trusted-keys), so the signer is "
                "unknown; the content is intact and its findings follow from its evidence"), 1
    key = f" ({printable(result.signer_key, 100)})" if result.signer_key else ""
    return f"VERIFIED: signed by {result.signer}{key}; all checks passed", 0


def _fallback(report: dict[str, Any]) -> str:
    """A minimal summary for when the renderers are not installed; every line printable,
    like the table renderer's (the report is the bundle maker's text)."""
    summary = report.get("summary", {})
    lines = [f"sources: {', '.join(report['scan']['sources'])}",
             f"inventory items: {summary.get('inventory_items')}",
             f"open findings: {summary.get('findings')}"]
    lines += [f"  {f['severity']:<8} {f['rule_id']}  {f['title'].get('en', '')}"
              for f in report["findings"] if f.get("status", "open") == "open"]
    return "".join(printable(line) + "\n" for line in lines)


def _with_declaration(body: str, declaration: dict[str, Any] | None, fmt: str,
                      lang: str) -> str:
    """The rendered report with the bundled declaration after it (HTML: at the end of its
    ``<main>``); as it is when the bundle has none."""
    from pia.reports import declaration as declared

    sections = declared.sections(declaration, lang)
    if not sections:
        return body
    if fmt == "table":
        from pia.reports.table import render_declaration

        return body + "\n" + render_declaration(sections, lang=lang)
    from pia.reports.html import render_declaration as html_declaration

    at = body.rfind("</main>")
    at = at if at >= 0 else len(body)
    return body[:at] + html_declaration(sections, lang=lang) + body[at:]


def render_bundle(result: Verification, fmt: str, *, lang: str | None = None,
                  key_given: bool = True) -> tuple[str, str, int]:
    """(rendering, verdict sentence, exit code). No rendering when the report is unusable."""
    from pia.errors import UsageError

    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    sentence, code = verdict(result, key_given)
    report = result.report
    if report is None:
        return "", f"{sentence}; no report to show", code
    try:
        from pia.reports import default_lang, render
    except ImportError:
        body = _fallback(report)
    else:
        lang = lang or default_lang()
        body = _with_declaration(render(report, fmt, lang=lang), result.declaration, fmt, lang)
    if fmt == "html":
        alert = ('<div role="alert" style="padding:12px;font:bold 16px sans-serif;'
                 f'background:{"#dff0d8" if code == 0 else "#f2dede"}">'
                 f"{html.escape(sentence)}</div>")
        match = _BODY.search(body)
        at = match.end() if match else 0
        return body[:at] + alert + body[at:], sentence, code
    rule = "=" * 78
    return f"{rule}\n{sentence}\n{rule}\n{body}", sentence, code


def format_text(verification: Verification, path: str) -> str:
    """The verification summary a regulator reads: verdict, signer, scope, every check."""
    from pia.reports.view import china_time

    show = safezip.printable  # bounded: every line is the bundle maker's text
    verdict = verification.verdict.upper()
    if verification.verdict == "undecided":
        verdict += (": intact and signed, but made by another pia, which this pia cannot judge "
                    "(see the check marked UNDECIDED)")
    scope = verification.scope()
    trust = "" if verification.valid else " (unverified)"
    counts = scope["counts"] if isinstance(scope["counts"], dict) else {}
    by_severity = counts.get("by_severity") if isinstance(counts.get("by_severity"), dict) else {}
    severities = ", ".join(f"{k} {v}" for k, v in by_severity.items() if v)
    key = f" ({show(scope['signer_key'], 100)})" if scope["signer_key"] else ""
    lines = [f"bundle:    {path}", f"verdict:   {verdict}",
             f"signer:    {scope['signer'] or 'none trusted'}{key}"]
    if verification.manifest is not None:
        sources = [show(s) for s in scope["sources"]] if isinstance(
            scope["sources"], list) else []
        lines += [
            # in China time, as every report format dates the scan (-f json keeps the UTC)
            f"created:   {show(china_time(scope['created']), 40)}{trust}",
            f"scan:      started {show(china_time(scope['started']), 40)}, {len(sources)} "
            f"source(s){trust}",
            *[f"           - {s}" for s in sources[:20]],
            # a valid signature over a partial scan: the findings cover what was read only
            *([f"           INCOMPLETE: interrupted, or a source could not be read; the "
               f"findings cover only what was scanned{trust}"]
              if scope["complete"] is False else []),
            f"rulesets:  {', '.join(show(r, 60) for r in scope['rulesets']) or 'none'}{trust}",
            show(f"counts:    {counts.get('inventory_items', '?')} inventory items, "
                 f"{counts.get('findings', '?')} open findings"
                 f"{' (' + severities + ')' if severities else ''}, "
                 f"{counts.get('accepted', 0)} accepted{trust}", 400),
        ]
    lines.append("checks:")
    marks = {"passed": "ok     ", "failed": "FAILED ", "skipped": "skipped",
             "undecided": "UNDECIDED"}
    for check in verification.checks:
        detail = f": {check.detail}" if check.detail else ""
        lines.append(f"  {marks[check.status]} {check.name}{detail}")
    return "\n".join(lines) + "\n"
