"""The Markdown report: the HTML report's content for wikis and merge-request comments.

Wikis and GitLab/GitHub render inline HTML and Markdown links from the text they are given,
and report strings come from audited systems, so every cell is escaped: HTML metacharacters
become entities, Markdown punctuation is backslash-escaped, and newlines cannot break a table.
"""

from __future__ import annotations

import re
from typing import Any

from pia.reports import view
from pia.reports.i18n import entity_label, protection_label, severity_label, t, text

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LEADING = re.compile(r"^([#+\-!>=]|\d+[.)])")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def esc(value: Any) -> str:
    """Escape a string for inline Markdown (tables included): no HTML, links or emphasis."""
    s = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", _NEWLINES.sub(" ", s))
    return _LEADING.sub(r"\\\1", s)


def code(value: Any, *, cell: bool = True) -> str:
    """A code span shows text literally; its fence outgrows any backtick run inside it.

    In a table cell a pipe still ends the cell (GFM), so it is escaped there.
    """
    s = _NEWLINES.sub(" ", str(value))
    if not s:
        return ""
    if cell:
        s = s.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", s)), default=0) + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def _table(head: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> list[str]:
    numeric = numeric or set()
    aligns = ["---:" if i in numeric else "---" for i in range(len(head))]
    lines = ["| " + " | ".join(esc(h) for h in head) + " |", "| " + " | ".join(aligns) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _summary(report: dict[str, Any], lang: str) -> list[str]:
    s = view.summary(report)
    out = [f"## {t('summary', lang)}", "", esc(view.summary_line(report, lang)), ""]
    out += _table([t("summary", lang), t("count", lang)],
                  [[esc(t(k, lang)), str(s[k])] for k in
                   ("sources", "inventory_items", "findings", "accepted", "skipped")], {1})
    out += [f"### {t('sources', lang)}", ""]
    out += [f"- {code(view.source_text(u), cell=False)}" for u in report["scan"]["sources"]] + [""]
    out += [f"### {t('by_severity', lang)}", ""]
    out += _table([t("severity", lang), t("count", lang)],
                  [[esc(severity_label(k, lang)), str(n)] for k, n in s["by_severity"].items()],
                  {1})
    out += [f"### {t('by_entity', lang)}", ""]
    out += _table([t("entity_type", lang), t("count", lang)],
                  [[f"{esc(entity_label(et, lang))} {code(et)}", str(n)]
                   for et, n in view.by_entity(report)], {1})
    out += [f"### {t('by_article', lang)}", ""]
    out += _table([t("law_article", lang), t("count", lang)],
                  [[esc(label), str(n)] for label, n in view.findings_by_article(report, lang)],
                  {1})
    out += [f"### {t('per_source', lang)}", ""]
    rows = [[code(r["source"]), str(r["items"]), str(r["sensitive"])]
            + [str(r["findings"].get(sev, 0)) for sev in view.SEVERITY_ORDER]
            for r in view.per_source(report)]
    head = [t("source", lang), t("inventory_items", lang), t("sensitive", lang)]
    out += _table(head + [severity_label(sev, lang) for sev in view.SEVERITY_ORDER], rows,
                  set(range(1, 3 + len(view.SEVERITY_ORDER))))
    return out


def _inventory(report: dict[str, Any], lang: str) -> list[str]:
    out = [f"## {t('inventory', lang)}", ""]
    if not report["inventory"]:
        return out + [esc(t("no_inventory", lang)), ""]
    rows = []
    for item in report["inventory"]:
        samples = dict(view.safe_evidence(item.get("evidence"), lang)).get("samples", "")
        rows.append([code(view.source_text(item["source"])),
                     code(view.location_text(item["location"])),
                     esc(entity_label(item["entity_type"], lang)), str(item["count"]),
                     f"{item['score']:.2f}", esc(t("yes" if item.get("sensitive") else "no", lang)),
                     esc(protection_label(item["protection"], lang)), code(samples)])
    head = [t(k, lang) for k in ("source", "location", "entity_type", "count", "score",
                                 "sensitive", "protection", "evidence")]
    return out + _table(head, rows, {3, 4})


def _finding(n: int, f: dict[str, Any], lang: str) -> list[str]:
    heading = f"\\[{esc(severity_label(f['severity'], lang))}\\] {esc(text(f['title'], lang))}"
    out = [f"### {n}. {heading}",
           "", f"- **{esc(t('rule', lang))}**: {code(f['rule_id'], cell=False)}",
           f"- **{esc(t('status', lang))}**: {esc(view.status_text(f, lang))}"]
    fields = view.acceptance_fields(f, lang)
    if fields:
        out.append(f"- **{esc(t('acceptance', lang))}**:")
        out += [f"  - {esc(label)}: {esc(value)}" for label, value in fields]
    if f.get("source"):
        out.append(f"- **{esc(t('source', lang))}**: "
                   f"{code(view.source_text(f['source']), cell=False)}")
    out.append(f"- **{esc(t('locations', lang))}**:")
    out += [f"  - {code(place, cell=False)}" for place in view.finding_places(f)]
    out.append(f"- **{esc(t('evidence', lang))}**:")
    out += [f"  - {code(k, cell=False)}: {code(v, cell=False)}"
            for k, v in view.safe_evidence(f.get("evidence"), lang)]
    out += ["", f"**{esc(t('legal_basis', lang))}**", ""]
    for ref in f["references"]:
        notes = [t("unverified", lang)] if ref.get("verified") is False else []
        if ref.get("numbering_inferred"):
            notes.append(t("numbering_inferred", lang))
        note = f" ({esc('; '.join(notes))})" if notes else ""
        out += [f"- {esc(view.article_text(ref, lang))}{note}", "", f"  > {esc(ref['quote'])}", ""]
    out += [f"**{esc(t('remediation', lang))}**: {esc(text(f['remediation'], lang))}", ""]
    return out


def render(report: dict[str, Any], *, lang: str = "zh", **_: Any) -> str:
    scan = report["scan"]
    tool = f"{report['tool']['name']} {report['tool']['version']}"
    out = [f"# {t('title', lang)}", "",
           f"{esc(t('started', lang))}: {esc(scan['started'])} · {esc(t('finished', lang))}: "
           f"{esc(scan['finished'])} · {esc(t('generated_by', lang))}: {esc(tool)}", ""]
    if not scan.get("complete", True):
        out += [f"> **{esc(t('partial', lang))}**", ""]
    out += _summary(report, lang) + _inventory(report, lang)
    out += [f"## {t('finding_list', lang)}", ""]
    findings = view.sorted_findings(report)
    if not findings:
        out += [esc(t("no_findings", lang)), ""]
    for n, f in enumerate(findings, 1):
        out += _finding(n, f, lang)
    if report["skipped"]:
        out += [f"## {t('skipped_list', lang)}", ""]
        out += _table([t("source", lang), t("location", lang), t("reason", lang)],
                      [[code(view.source_text(s["source"])),
                        code(view.location_text(s["location"])), esc(s["reason"])]
                       for s in report["skipped"]])
    if report.get("not_evaluated"):
        out += [f"## {t('not_evaluated', lang)}", ""]
        out += _table([t("rule", lang), t("reason", lang)],
                      [[code(n["rule_id"]), esc(n["reason"])] for n in report["not_evaluated"]])
    return "\n".join(out).rstrip("\n") + "\n"
