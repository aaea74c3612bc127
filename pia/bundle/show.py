"""What a regulator reads of a verification: ``verify``'s summary, and a bundled report shown
without trusting it blindly.

The rendering always carries the verdict inside it (first lines of a table, an alert at the
top of an HTML page), so a copy saved to a file or printed cannot lose it. Without a key the
signature cannot be checked, and the report is shown as *not verified*, whatever else passed.
The bundled declaration follows the report (organisation, assets, activities with their
purpose, legal basis, consent and impact assessment, cross-border transfers, accepted risks):
the cross-border and consent findings are judged against it, and a regulator should not have
to unzip the bundle to read it. Both are shown with every identifier in them masked
(``masked.shown_masked``), names too, whatever the bundle holds and whatever its verdict.
"""

from __future__ import annotations

import html
import re
from typing import Any

from pia.bundle import safezip
from pia.bundle.masked import shown_masked
from pia.bundle.verify import Verification
from pia.bundle.words import check_name, counted, passed_detail, say, text_lang
from pia.printable import printable

FORMATS = ("table", "html")
SEVERITIES = ("critical", "high", "medium", "low", "info")
_BODY = re.compile(r"<body[^>]*>", re.I)


def verdict(result: Verification, key_given: bool, lang: str = "en") -> tuple[str, int]:
    """One sentence (in ``lang``, zh or en) and the exit code: 0 verified, 1 not verified,
    2 unreadable or undecided (made by another pia, which this one cannot judge)."""
    if not result.readable:
        return say("ban_unreadable", lang, detail=result.failed[0].detail), 2
    failed = [c for c in result.failed if key_given or c.name != "signature-trusted"]
    if failed:
        return say("ban_failed", lang, check=failed[0].name, detail=failed[0].detail), 1
    if result.undecided:
        check = result.undecided[0]
        return say("ban_undecided", lang, check=check.name, detail=check.detail), 2
    if not key_given:
        return say("ban_no_key", lang), 1
    key = f" ({printable(result.signer_key, 100)})" if result.signer_key else ""
    return say("ban_verified", lang, signer=result.signer, key=key), 0


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
                      lang: str, width: int | None = None) -> str:
    """The rendered report with the bundled declaration after it (HTML: at the end of its
    ``<main>``); as it is when the bundle has none."""
    from pia.reports import declaration as declared

    sections = declared.sections(declaration, lang)
    if not sections:
        return body
    if fmt == "table":
        from pia.reports.table import render_declaration

        return body + "\n" + render_declaration(sections, lang=lang, width=width)
    from pia.reports.html import render_declaration as html_declaration

    at = body.rfind("</main>")
    at = at if at >= 0 else len(body)
    return body[:at] + html_declaration(sections, lang=lang) + body[at:]


def render_bundle(result: Verification, fmt: str, *, lang: str | None = None,
                  key_given: bool = True, width: int | None = None) -> tuple[str, str, int]:
    """(rendering, verdict sentence, exit code). No rendering when the report is unusable.
    ``width``: a terminal's columns, which the tables fit (else the fixed width of a file)."""
    from pia.errors import UsageError

    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    sentence, code = verdict(result, key_given, text_lang(lang))
    if result.report is None:
        return "", say("no_report", text_lang(lang), sentence=sentence), code
    # masked whatever the bundle says and whatever passed: a name samples-masked refused, a
    # number in the declaration's purpose, were rendered raw (QA D2, D3)
    report, declaration = shown_masked(result.report), shown_masked(result.declaration)
    try:
        from pia.reports import default_lang, render
    except ImportError:
        body = _fallback(report)
    else:
        lang = lang or default_lang()
        body = _with_declaration(render(report, fmt, lang=lang, width=width),
                                 declaration, fmt, lang, width)
    if fmt == "html":
        alert = ('<div role="alert" style="padding:12px;font:bold 16px sans-serif;'
                 f'background:{"#dff0d8" if code == 0 else "#f2dede"}">'
                 f"{html.escape(sentence)}</div>")
        match = _BODY.search(body)
        at = match.end() if match else 0
        return body[:at] + alert + body[at:], sentence, code
    rule = "=" * 78
    return f"{rule}\n{sentence}\n{rule}\n{body}", sentence, code


def _created(scope: dict[str, Any], manifest: dict[str, Any], lang: str) -> str:
    """When the bundle says it was made; by default (``bundle create`` without ``--created``,
    so that one report always gives the same bytes) that is the scan's finish, and is said
    to be, lest a regulator read it as the day the bundle was packed."""
    from pia.reports.view import china_time

    scan = manifest.get("scan") if isinstance(manifest.get("scan"), dict) else {}
    finished = scan.get("finished")
    note = (say("created_is_finished", lang)
            if finished is not None and finished == scope["created"] else "")
    return safezip.printable(china_time(scope["created"]), 40) + note


def format_text(verification: Verification, path: str, lang: str = "en") -> str:
    """The verification summary a regulator reads: verdict, signer, scope, every check, in
    ``lang`` (zh or en; check ids and details as the checks wrote them)."""
    from pia.reports.view import china_time

    show = safezip.printable  # bounded: every line is the bundle maker's text
    verdict = say(verification.verdict, lang)
    scope = verification.scope()
    trust = "" if verification.valid else say("unverified", lang)
    counts = scope["counts"] if isinstance(scope["counts"], dict) else {}
    by_severity = counts.get("by_severity") if isinstance(counts.get("by_severity"), dict) else {}
    severities = say("list_sep", lang).join(
        f"{say(k, lang) if k in SEVERITIES else k} {v}" for k, v in by_severity.items() if v)
    key = f" ({show(scope['signer_key'], 100)})" if scope["signer_key"] else ""
    lines = [say("bundle", lang, path=path),
             *([say("sha256", lang, digest=scope["sha256"])] if scope["sha256"] else []),
             say("verdict", lang, verdict=verdict),
             say("signer", lang, signer=scope["signer"] or say("none_trusted", lang), key=key)]
    if verification.manifest is not None:
        sources = [show(s) for s in scope["sources"]] if isinstance(
            scope["sources"], list) else []
        lines += [
            # in China time, as every report format dates the scan (-f json keeps the UTC)
            say("created", lang, time=_created(scope, verification.manifest, lang), trust=trust),
            say("scan", lang, time=show(china_time(scope["started"]), 40), count=len(sources),
                sources=counted(len(sources), "source", "sources"), trust=trust),
            *[f"           - {s}" for s in sources[:20]],
            # a valid signature over a partial scan: the findings cover what was read only
            *([say("incomplete", lang, trust=trust)] if scope["complete"] is False else []),
            say("rulesets", lang, rulesets=say("list_sep", lang).join(
                show(r, 60) for r in scope["rulesets"])
                or say("none", lang), trust=trust),
            show(say("counts", lang, items=(items := counts.get("inventory_items", "?")),
                     findings=(findings := counts.get("findings", "?")),
                     items_en=counted(items, "inventory item", "inventory items"),
                     findings_en=counted(findings, "open finding", "open findings"),
                     accepted=counts.get("accepted", 0),
                     severities=say("severities", lang, list=severities) if severities else "",
                     trust=trust), 400),
        ]
    lines.append(say("checks", lang))
    marks = {"passed": say("passed", lang), "failed": say("failed", lang),
             "skipped": say("skipped", lang), "undecided": say("undecided_mark", lang)}
    for check in verification.checks:
        detail = say("detail", lang, detail=_detail(check, lang)) if check.detail else ""
        lines.append(f"  {marks[check.status]} {check_name(check.name, lang)}{detail}")
    return "\n".join(lines) + "\n"


def _detail(check: Any, lang: str) -> str:
    """A check's detail as the check wrote it, but for a check not run, whose ``needs X`` (the
    one sentence verify itself writes there), and a passed check's sentence, which a Chinese
    reader got in English (``passed_detail``)."""
    if check.status == "passed":
        return passed_detail(check.detail, lang)
    needs = re.fullmatch(r"needs (\S+)", check.detail) if check.status == "skipped" else None
    if needs:
        return say("needs", lang, check=needs[1])
    return passed_detail(check.detail, lang) if check.status == "skipped" else check.detail
