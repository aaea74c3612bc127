"""The Markdown report: the HTML report's content for wikis and merge-request comments.

Wikis and GitLab/GitHub render inline HTML and Markdown links from the text they are given,
and report strings come from audited systems, so every cell is escaped: HTML metacharacters
become entities, Markdown punctuation is backslash-escaped, and newlines cannot break a table.
"""

from __future__ import annotations

import re
from typing import Any

from pia.reports import evidence, overview, references, view
from pia.reports.i18n import (
    entity_label,
    field,
    item_protection,
    item_sensitivity,
    reason_label,
    severity_label,
    skipped_label,
    t,
    text,
)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LEADING = re.compile(r"^([#+\-!>=]|\d+[.)])")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")
#: a code span as CommonMark reads one: a backtick run, text, then a run of the same length
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def esc(value: Any) -> str:
    """Escape a string for inline Markdown (tables included): no HTML, links or emphasis."""
    return _LEADING.sub(r"\\\1", _inline(_NEWLINES.sub(" ", str(value))))


def prose(value: Any, *, cell: bool = True) -> str:
    """A ruleset's sentence (title, remediation): its code spans (``Mark the asset
    `sensitive: true` ``) stay code spans, everything else is escaped as ``esc`` escapes it;
    a backtick that opens no span is escaped too."""
    s = _NEWLINES.sub(" ", str(value))
    out, pos = [], 0
    for span in _CODE_SPAN.finditer(s):
        if span.group(2).strip():
            out += [esc(s[pos:span.start()]) if pos == 0 else _inline(s[pos:span.start()]),
                    code(span.group(2).strip(), cell=cell)]
            pos = span.end()
    rest = s[pos:]
    return "".join(out) + (esc(rest) if pos == 0 else _inline(rest))


def _inline(value: str) -> str:
    """``esc`` for text that does not start a line."""
    s = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


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
    out = [f"## {t('summary', lang)}", "", esc(view.summary_sentence(report, lang)), ""]
    out += _top(report, lang)
    out += _table([t("summary", lang), t("count", lang)],
                  [[esc(t(k, lang)), str(s[k])] for k in
                   ("sources", "inventory_items", "findings", "accepted", "skipped")]
                  + [[esc(t("not_evaluated", lang)), str(len(view.not_evaluated_rules(report)))]],
                  {1})
    out += [f"### {t('sources', lang)}", ""]
    out += [f"- {code(view.name(view.source_text(u)), cell=False)}"
            for u in report["scan"]["sources"]] + [""]
    out += [f"### {t('by_severity', lang)}", ""]
    out += _table([t("severity", lang), t("count", lang)],
                  [[esc(severity_label(k, lang)), str(n)] for k, n in s["by_severity"].items()],
                  {1})
    out += [f"### {t('by_entity', lang)}", ""]
    out += _table([t("entity_type", lang), t("location_count", lang)],  # items, not values
                  [[f"{esc(entity_label(et, lang))} {code(et)}", str(n)]
                   for et, n in view.by_entity(report)], {1})
    out += [f"### {t('by_article', lang)}", ""]
    out += _table([t("law_article", lang), t("count", lang)],
                  [[esc(label), str(n)]
                   for label, n in references.findings_by_article(report, lang)],
                  {1})
    out += [f"### {t('per_source', lang)}", ""]
    rows = [[code(view.name(r["source"])), str(r["items"]), str(r["sensitive"])]
            + [str(r["findings"].get(sev, 0)) for sev in view.SEVERITY_ORDER]
            for r in view.per_source(report)]
    head = [t("source", lang), t("inventory_items", lang), t("sensitive", lang)]
    out += _table(head + [severity_label(sev, lang) for sev in view.SEVERITY_ORDER], rows,
                  set(range(1, 3 + len(view.SEVERITY_ORDER))))
    return out


def _top(report: dict[str, Any], lang: str) -> list[str]:
    """The most severe open findings (``overview.top_findings``), each with its law and
    place, as the HTML summary lists them."""
    rows = overview.top_rows(report, lang)
    if not rows:
        return []
    out = [f"### {t('top_findings', lang)}", ""]
    for n, r in enumerate(rows, 1):
        out.append(f"{n}. **{esc(severity_label(r['severity'], lang))}** "
                   f"{prose(text(r['finding']['title'], lang), cell=False)} "
                   f"{code(r['rule_id'], cell=False)} — {esc(r['articles'])} · "
                   f"{code(view.name(r['place']), cell=False)}{esc(r['count_text'])}")
    return out + [""]


def _inventory(report: dict[str, Any], lang: str) -> list[str]:
    out = [f"## {t('inventory', lang)}", ""]
    if not report["inventory"]:
        return out + [esc(t("no_inventory", lang)), ""]
    rows = []
    items = report["inventory"]
    for item in view.inventory_shown(report):
        samples = dict(evidence.safe_evidence(item.get("evidence"), lang)).get("samples", "")
        rows.append([code(view.name(view.source_text(item["source"]))),
                     code(view.name(view.location_text(item["location"]))),
                     esc(entity_label(item["entity_type"], lang)), str(item["count"]),
                     f"{item['score']:.2f}", esc(item_sensitivity(item, lang)),
                     esc(item_protection(item, lang)), code(samples)])
    head = [t(k, lang) for k in ("source", "location", "entity_type", "count", "score",
                                 "sensitive", "protection", "evidence")]
    return out + _table(head, rows, {3, 4}) + _more(len(items) - len(rows), lang)


def _more(hidden: int, lang: str) -> list[str]:
    return [esc(t("more_locations", lang).format(n=hidden)), ""] if hidden > 0 else []


def _rule(n: int, findings: list[dict[str, Any]], lang: str) -> list[str]:
    """A rule's law, quotes and remediation once, then its findings (at most
    ``DOCUMENT_LOCATIONS``, the rest counted)."""
    f = findings[0]
    cited = references.cited_references(findings)
    out = [f"### {n}. {prose(text(f['title'], lang), cell=False)} "
           f"{code(f['rule_id'], cell=False)} "
           f"({len(findings)})", "", f"**{esc(t('legal_basis', lang))}**", ""]
    custom = references.from_custom_ruleset(f)
    for ref in cited:
        notes = references.reference_notes(ref, lang, custom=custom)
        note = f" ({esc(notes)})" if notes else ""
        out += [f"- {esc(references.article_text(ref, lang))}{note}", "",
                f"  > {esc(ref['quote'])}", ""]
    out += [field(f"**{esc(t('remediation', lang))}**",
                  prose(text(f["remediation"], lang), cell=False), lang), ""]
    rows = []
    for finding in findings[:view.DOCUMENT_LOCATIONS]:
        places = " · ".join(code(view.name(place)) for place in view.finding_places(finding, lang))
        if finding.get("source"):
            source = view.name(view.source_text(finding["source"]))
            places += " · " + field(esc(t("source", lang)), code(source), lang)
        own = references.own_articles(finding, cited, lang)
        if own:
            places += " · " + field(esc(t("legal_basis", lang)), esc(own), lang)
        status = esc(view.status_text(finding, lang))
        fields = view.acceptance_fields(finding, lang)
        if fields:
            status += " · " + " · ".join(field(esc(label), esc(view.name(value)), lang)
                                           for label, value in fields)
        shown = " · ".join(field(esc(label), code(value), lang) for label, value
                           in evidence.evidence_rows(finding.get("evidence"), lang,
                                                     finding.get("locations")))
        rows.append([esc(severity_label(finding["severity"], lang)), places, status, shown])
    out += _table([t(k, lang) for k in ("severity", "locations", "status", "evidence")], rows)
    return out + _more(len(findings) - len(rows), lang)


def _scope(report: dict[str, Any], lang: str) -> list[str]:
    out = [f"## {t('audit_scope', lang)}", ""]
    return out + ["- " + field(f"**{esc(label)}**", esc(view.name(value)), lang)
                  for label, value in view.scope(report, lang)] + [""]


def _accepted(findings: list[dict[str, Any]], lang: str) -> list[str]:
    rows = [[code(rule), code(view.name(place)), esc(view.name(owner)), esc(view.name(reason)),
             esc(expires)] for rule, place, owner, reason, expires in
            view.accepted_rows(findings, lang)]
    if not rows:
        return []
    out = [f"## {t('accepted_risks', lang)}", ""]
    out += _table([t(k, lang) for k in ("rule", "location", "owner", "reason", "expires")],
                  rows[:view.DOCUMENT_INVENTORY])
    return out + _more(len(rows) - view.DOCUMENT_INVENTORY, lang)


def render(report: dict[str, Any], *, lang: str = "zh", **_: Any) -> str:
    scan = report["scan"]
    tool = f"{report['tool']['name']} {report['tool']['version']}"
    out = [f"# {t('title', lang)}", "",
           " · ".join((field(esc(t("started", lang)), esc(view.china_time(scan["started"])), lang),
                       field(esc(t("finished", lang)), esc(view.china_time(scan["finished"])),
                             lang),
                       field(esc(t("generated_by", lang)), esc(tool), lang))), ""]
    if not scan.get("complete", True):
        out += [f"> **{esc(t('partial', lang))}**", ""]
    for line in view.headlines(report, lang):
        out += [f"> **{esc(line)}**", ""]
    # the findings before the inventory: a manager reads what is wrong before what is held
    out += _summary(report, lang) + _scope(report, lang)
    out += [f"## {t('finding_list', lang)}", ""]
    findings = view.sorted_findings(report)
    if not findings:
        out += [esc(t("no_findings", lang)), ""]
    else:
        overview = []
        for group in view.groups(findings):
            f = group[0]
            articles = references.rule_articles(group, lang)
            overview.append([esc(severity_label(f["severity"], lang)), code(f["rule_id"]),
                             prose(text(f["title"], lang)), esc(articles), str(len(group)),
                             esc(view.status_text(f, lang))])
        out += _table([t(k, lang) for k in ("severity", "rule", "title_col", "law_article",
                                            "count", "status")], overview, {4})
    for n, group in enumerate(view.by_rule(findings).values(), 1):
        out += _rule(n, group, lang)
    out += _accepted(findings, lang)
    out += _inventory(report, lang)
    if report["skipped"]:
        shown, notes = view.skipped_shown(report, lang)
        out += [f"## {t('skipped_list', lang)}", ""]
        out += _table([t("source", lang), t("location", lang), t("reason", lang)],
                      [[code(view.name(view.source_text(s["source"]))),
                        code(view.name(view.location_text(s["location"]))),
                        esc(view.name(skipped_label(str(s["reason"]), lang)))]
                       for s in shown])
        out += [line for note in notes for line in (esc(note), "")]
    if report.get("not_evaluated"):
        out += [f"## {t('not_evaluated', lang)}", ""]
        out += _table([t("rule", lang), t("reason", lang)],
                      [[code(n["rule_id"]), esc(reason_label(str(n["reason"]), lang))]
                       for n in report["not_evaluated"]])
    return "\n".join(out).rstrip("\n") + "\n"
