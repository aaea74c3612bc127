"""The HTML report: one self-contained file a manager can open offline and print to PDF.

Everything is inline (CSS, a small vanilla script, SVG charts) and a Content-Security-Policy
forbids any fetch, so the file works from a USB stick and cannot call home. Report content is
untrusted (table names, object keys and titles come from audited systems and rulesets): every
string goes through ``html.escape`` here, and the script never writes HTML. Summary numbers sit
in elements with stable ``data-summary`` attributes so tests and scripts can read them.
"""

from __future__ import annotations

import re
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from pia.reports import charts, evidence, overview, references, view
from pia.reports.i18n import (
    entity_label,
    field,
    html_lang,
    item_protection,
    item_sensitivity,
    reason_label,
    severity_label,
    skipped_label,
    t,
    text,
)

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'")


@cache
def _asset(name: str) -> str:
    return resources.files("pia.reports").joinpath("templates", name).read_text("utf-8")


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


_LATIN = re.compile("[A-Za-z]")
_TIBETAN = re.compile("[\u0f00-\u0fff]")


def _x(value: Any, lang: str) -> str:
    """Human text, escaped; in a Tibetan report, text that fell back to English (no Tibetan
    in it, Latin letters) is marked ``lang="en"`` for readers, screen readers and fonts."""
    s = str(value)
    if lang == "bo" and _LATIN.search(s) and not _TIBETAN.search(s):
        return f'<span lang="en">{_e(s)}</span>'
    return _e(s)


def _n(value: Any) -> str:
    """A name from the audited systems (path, table, key, source), escaped and printable:
    a newline shows as ``\\n``, so ``new\\nline.log`` and ``new line.log`` differ."""
    return _e(view.name(value))


def _sev(severity: str, lang: str) -> str:
    return f'<span class="sev sev-{_e(severity)}">{_e(severity_label(severity, lang))}</span>'


def _card(key: str, value: int, label: str) -> str:
    return (f'<div class="card"><span class="num" data-summary="{_e(key)}">{value}</span>'
            f'<span class="lbl">{_e(label)}</span></div>')


def _table(head: list[tuple[str, str]], rows: list[str], table_id: str = "",
           sortable: bool = False) -> str:
    """``head`` is ``(label, 'text'|'number')``; rows are pre-rendered ``<tr>`` strings."""
    cls = ' class="sortable"' if sortable else ""
    ident = f' id="{table_id}"' if table_id else ""
    ths = "".join(f'<th data-type="{kind}"{" class=num" if kind == "number" else ""}>'
                  f"{_e(label)}</th>" for label, kind in head)
    return f"<table{ident}{cls}><thead><tr>{ths}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _summary(report: dict[str, Any], lang: str) -> str:
    s = view.summary(report)
    cards = "".join(_card(k, s[k], t(k, lang)) for k in
                    ("sources", "inventory_items", "findings", "accepted", "skipped"))
    cards += _card("not_evaluated", len(view.not_evaluated_rules(report)),
                   t("not_evaluated", lang))
    sev_rows = [f'<tr><td>{_sev(sev, lang)}</td><td class="num" data-summary="severity.{sev}">'
                f"{n}</td></tr>" for sev, n in s["by_severity"].items()]
    ent_rows = [f"<tr><td>{_x(entity_label(et, lang), lang)} <code>{_e(et)}</code></td>"
                f'<td class="num" data-summary="entity.{_e(et)}">{n}</td></tr>'
                for et, n in view.by_entity(report)]
    art_rows = [f'<tr><td>{_x(label, lang)}</td><td class="num">{n}</td></tr>'
                for label, n in references.findings_by_article(report, lang)]
    sources = "".join(f"<li><code>{_n(view.source_text(u))}</code></li>"
                      for u in report["scan"]["sources"])
    count = (t("count", lang), "number")
    places = (t("location_count", lang), "number")  # inventory items, not values
    return (
        f'<section id="summary"><h2>{_x(t("summary", lang), lang)}</h2>{_contents(report, lang)}'
        f'<p class="lead">{_n(view.summary_sentence(report, lang))}</p>'
        f'<div class="cards">{cards}</div>{_top(report, lang)}'
        f'<div class="grid"><div><h3>{_x(t("sources", lang), lang)}</h3><ul class="plain">{sources}'
        f'</ul><h3>{_x(t("by_severity", lang), lang)}</h3>'
        f'{_table([(t("severity", lang), "text"), count], sev_rows)}</div>'
        f'<div><h3>{_x(t("by_entity", lang), lang)}</h3>'
        f'{_table([(t("entity_type", lang), "text"), places], ent_rows)}</div>'
        f'<div><h3>{_x(t("by_article", lang), lang)}</h3>'
        f'{_table([(t("law_article", lang), "text"), count], art_rows)}</div></div>'
        f"{_charts(report, lang)}{_per_source(report, lang)}</section>")


def _sections(report: dict[str, Any]) -> list[tuple[str, str]]:
    """The report's sections in their order, (id, heading key), those it has: the findings
    before the inventory (a manager reads what is wrong before what is held)."""
    out = [("summary", "summary"), ("scope", "audit_scope"), ("findings", "finding_list")]
    if any(view.acceptance(f) is not None for f in report["findings"]):
        out.append(("accepted", "accepted_risks"))
    out.append(("inventory", "inventory"))
    if report["skipped"]:
        out.append(("skipped", "skipped_list"))
    if report.get("not_evaluated"):
        out.append(("not-evaluated", "not_evaluated"))
    return out


def _contents(report: dict[str, Any], lang: str) -> str:
    """Links to the sections, at the top of the summary (a report of a thousand rows had no
    way to reach the rules not evaluated at its end but scrolling)."""
    links = [(f"#{ident}", t(key, lang)) for ident, key in _sections(report)[1:]]
    if overview.top_findings(report):
        links.insert(0, ("#top-findings", t("top_findings", lang)))
    items = "".join(f'<li><a href="{href}">{_x(label, lang)}</a></li>' for href, label in links)
    return (f'<nav class="contents noprint" aria-label="{_e(t("contents", lang))}">'
            f'<ul>{items}</ul></nav>')


def _top(report: dict[str, Any], lang: str) -> str:
    """The most severe open findings (``overview.top_findings``), each with its law and
    place, linked to its rule's card."""
    rows = overview.top_rows(report, lang)
    if not rows:
        return ""
    anchors = {rule_id: n for n, rule_id in enumerate(view.by_rule(view.sorted_findings(report)),
                                                      1)}
    items = "".join(
        f'<li>{_sev(r["severity"], lang)} <a href="#rule-{anchors[r["rule_id"]]}">'
        f'{_x(text(r["finding"]["title"], lang), lang)}</a> <code>{_e(r["rule_id"])}</code>'
        f'<br><span class="note">{_x(r["articles"], lang)}</span>'
        f'<br><span class="mono">{_n(r["place"])}</span>'
        f'<span class="note">{_x(r["count_text"], lang)}</span></li>' for r in rows)
    return (f'<h3 id="top-findings">{_x(t("top_findings", lang), lang)}</h3>'
            f'<ol class="top">{items}</ol>')


def _charts(report: dict[str, Any], lang: str) -> str:
    s = view.summary(report)
    entities = [(entity_label(et, lang), n) for et, n in view.by_entity(report)]
    sources = [(r["source"], r["items"]) for r in view.per_source(report)]
    sevs = list(s["by_severity"].items())
    return (
        '<div class="charts">'
        + charts.bar_chart(entities, t("by_entity", lang))
        + charts.bar_chart(sources, t("by_source", lang))
        + charts.donut_chart([(severity_label(k, lang), n) for k, n in sevs],
                             t("by_severity", lang),
                             [charts.SEVERITY_COLOURS[k] for k, _ in sevs])
        + "</div>")


def _per_source(report: dict[str, Any], lang: str) -> str:
    rows = []
    for r in view.per_source(report):
        cells = "".join(f'<td class="num">{r["findings"].get(sev, 0)}</td>'
                        for sev in view.SEVERITY_ORDER)
        rows.append(f'<tr><td><code>{_n(r["source"])}</code></td><td class="num">{r["items"]}'
                    f'</td><td class="num">{r["sensitive"]}</td>{cells}</tr>')
    head = [(t("source", lang), "text"), (t("inventory_items", lang), "number"),
            (t("sensitive", lang), "number")]
    head += [(severity_label(sev, lang), "number") for sev in view.SEVERITY_ORDER]
    return f'<h3>{_x(t("per_source", lang), lang)}</h3>{_table(head, rows)}'


def _inventory(report: dict[str, Any], lang: str) -> str:
    rows = []
    items = report["inventory"]
    for item in view.inventory_shown(report):
        samples = dict(evidence.safe_evidence(item.get("evidence"), lang)).get("samples", "")
        yes_no = item_sensitivity(item, lang)
        rows.append(
            f'<tr data-entity="{_e(item["entity_type"].lower())}">'
            f'<td><code>{_n(view.source_text(item["source"]))}</code></td>'
            f'<td class="mono">{_n(view.location_text(item["location"]))}</td>'
            f'<td data-value="{_e(item["entity_type"])}">'
            f'{_x(entity_label(item["entity_type"], lang), lang)}</td>'
            f'<td class="num">{item["count"]}</td><td class="num">{item["score"]:.2f}</td>'
            f"<td>{_x(yes_no, lang)}</td><td>{_x(item_protection(item, lang), lang)}"
            f'</td><td class="mono">{_e(samples)}</td></tr>')
    if not rows:
        return (f'<section id="inventory"><h2>{_x(t("inventory", lang), lang)}</h2>'
                f'<p>{_x(t("no_inventory", lang), lang)}</p></section>')
    head = [(t("source", lang), "text"), (t("location", lang), "text"),
            (t("entity_type", lang), "text"), (t("count", lang), "number"),
            (t("score", lang), "number"), (t("sensitive", lang), "text"),
            (t("protection", lang), "text"), (t("evidence", lang), "text")]
    return (f'<section id="inventory"><h2>{_x(t("inventory", lang), lang)}</h2>'
            f'{_controls("inventory-table", len(rows), lang, total=len(items))}'
            f'{_table(head, rows, "inventory-table", sortable=True)}'
            f'{_more(len(items) - len(rows), lang)}</section>')


def _more(hidden: int, lang: str) -> str:
    """The line that says how many rows a capped list leaves to the JSON report."""
    if hidden <= 0:
        return ""
    return (f'<p class="more" data-more="{hidden}">'
            f'{_x(t("more_locations", lang).format(n=hidden), lang)}</p>')


def _controls(table_id: str, rows: int, lang: str, selects: str = "",
              total: int | None = None) -> str:
    """A table's filter and its "shown / total" counter. ``total`` counts what the report
    has, when the table lists only ``rows`` of it (capped): "1000 / 1000" over a list of
    2,000 read as if nothing was left out, and the filter searches only the rows listed."""
    total = rows if total is None else total
    return (f'<div class="controls noprint"><input type="search" data-filter-for="{table_id}" '
            f'placeholder="{_e(t("filter", lang))}" aria-label="{_e(t("filter", lang))}">'
            f'{selects}<span><span data-shown-for="{table_id}">{rows}</span> / '
            f'<span data-total-for="{table_id}">{total}</span> {_x(t("shown", lang), lang)}</span>'
            "</div>")


def _select(table_id: str, field: str, label: str, options: list[tuple[str, str]],
            lang: str) -> str:
    opts = f'<option value="">{_e(t("all", lang))}</option>' + "".join(
        f'<option value="{_e(v)}">{_e(name)}</option>' for v, name in options)
    return (f'<select data-filter-for="{table_id}" data-field="{field}" '
            f'aria-label="{_e(label)}">{opts}</select>')


def _findings(report: dict[str, Any], lang: str) -> str:
    """One row per rule, severity and status in a table, then one card per rule: its law,
    quotes and remediation once, then its findings' places (at most ``DOCUMENT_LOCATIONS``;
    the rest are counted and left to the JSON report)."""
    findings = view.sorted_findings(report)
    if not findings:
        return (f'<section id="findings"><h2>{_x(t("finding_list", lang), lang)}</h2>'
                f'<p>{_x(t("no_findings", lang), lang)}</p></section>')
    rules = view.by_rule(findings)
    anchors = {rule_id: n for n, rule_id in enumerate(rules, 1)}
    rows = []
    for group in view.groups(findings):
        f = group[0]
        status = f.get("status", "open")
        articles = references.rule_articles(group, lang)
        rows.append(
            f'<tr data-severity="{_e(f["severity"])}" data-status="{_e(status)}">'
            f'<td data-value="{view.severity_rank(f["severity"])}">{_sev(f["severity"], lang)}</td>'
            f'<td><a href="#rule-{anchors[f["rule_id"]]}">{_x(text(f["title"], lang), lang)}</a>'
            f'</td><td><code>{_e(f["rule_id"])}</code></td><td>{_x(articles, lang)}</td>'
            f'<td class="num">{len(group)}</td>'
            f"<td>{_x(view.status_text(f, lang), lang)}</td></tr>")
    head = [(t("severity", lang), "number"), (t("title_col", lang), "text"),
            (t("rule", lang), "text"), (t("law_article", lang), "text"),
            (t("count", lang), "number"), (t("status", lang), "text")]
    selects = _select("findings-table", "severity", t("severity", lang),
                      [(s, severity_label(s, lang)) for s in view.SEVERITY_ORDER], lang)
    selects += _select("findings-table", "status", t("status", lang),
                       [("open", t("open", lang)), ("accepted", t("accepted_status", lang))], lang)
    cards = "".join(_rule_card(anchors[rule_id], group, lang)
                    for rule_id, group in rules.items())
    return (f'<section id="findings"><h2>{_x(t("finding_list", lang), lang)}</h2>'
            f'{_controls("findings-table", len(rows), lang, selects)}'
            f'{_table(head, rows, "findings-table", sortable=True)}{cards}</section>')


def _references(cited: list[dict[str, Any]], lang: str, custom: bool) -> str:
    refs = []
    for ref in cited:
        notes = references.reference_notes(ref, lang, custom=custom)
        note = f' <span class="note">({_x(notes, lang)})</span>' if notes else ""
        refs.append(f"<div><strong>{_x(references.article_text(ref, lang), lang)}</strong>{note}"
                    f'<blockquote lang="zh-Hans">{_e(ref["quote"])}</blockquote></div>')
    return "".join(refs)


def _rule_card(n: int, findings: list[dict[str, Any]], lang: str) -> str:
    """A rule's law and remediation once, then a row per finding (capped)."""
    f = findings[0]
    cited = references.cited_references(findings)
    shown = findings[:view.DOCUMENT_LOCATIONS]
    rows = "".join(_finding_row(finding, cited, lang) for finding in shown)
    head = [(t("severity", lang), "text"), (t("locations", lang), "text"),
            (t("status", lang), "text"), (t("evidence", lang), "text")]
    worst = min(findings, key=lambda x: view.severity_rank(x["severity"]))["severity"]
    return (
        f'<article class="finding {_e(worst)}" id="rule-{n}">'
        f'<h3>{_sev(worst, lang)} {_x(text(f["title"], lang), lang)} '
        f'<code>{_e(f["rule_id"])}</code> <span class="note">({len(findings)})</span></h3><dl>'
        f'<dt>{_x(t("legal_basis", lang), lang)}</dt>'
        f'<dd>{_references(cited, lang, references.from_custom_ruleset(f))}</dd>'
        f'<dt>{_x(t("remediation", lang), lang)}</dt>'
        f'<dd>{_x(text(f["remediation"], lang), lang)}</dd>'
        f"</dl>{_table(head, [rows])}{_more(len(findings) - len(shown), lang)}</article>")


def _finding_row(f: dict[str, Any], cited: list[dict[str, Any]], lang: str) -> str:
    """A finding's row; where its rule's findings cite different clauses, the ones it cites."""
    places = "".join(f"<li>{_n(place)}</li>" for place in view.finding_places(f, lang))
    source = ('<li class="note">' + field(_e(t("source", lang)),
                                           f'<code>{_n(view.source_text(f["source"]))}</code>',
                                           lang) + "</li>") if f.get("source") else ""
    own = references.own_articles(f, cited, lang)
    basis = ('<li class="note">' + field(_e(t("legal_basis", lang)), _x(own, lang), lang)
             + "</li>") if own else ""
    fields = "".join("<li>" + field(_x(label, lang), _n(value), lang) + "</li>"
                     for label, value in view.acceptance_fields(f, lang))
    shown = "".join("<li>" + field(_x(label, lang), f"<span class=mono>{_x(value, lang)}</span>",
                                   lang) + "</li>"
                    for label, value in evidence.evidence_rows(f.get("evidence"), lang,
                                                               f.get("locations")))
    status = f.get("status", "open")
    lapsed = " lapsed" if (view.acceptance(f) or {}).get("lapsed") else ""
    return (f'<tr class="{_e(status)}{lapsed}"><td>{_sev(f["severity"], lang)}</td>'
            f'<td class="mono"><ul class="plain">{places}{source}{basis}</ul></td>'
            f'<td>{_x(view.status_text(f, lang), lang)}<ul class="plain">{fields}</ul></td>'
            f'<td><ul class="plain">{shown}</ul></td></tr>')


def _skipped(report: dict[str, Any], lang: str) -> str:
    out = ""
    if report["skipped"]:
        shown, notes = view.skipped_shown(report, lang)
        rows = [f'<tr><td><code>{_n(view.source_text(s["source"]))}</code></td>'
                f'<td class="mono">{_n(view.location_text(s["location"]))}</td>'
                f'<td>{_n(skipped_label(str(s["reason"]), lang))}</td></tr>'
                for s in shown]
        head = [(t("source", lang), "text"), (t("location", lang), "text"),
                (t("reason", lang), "text")]
        more = "".join(f'<p class="more">{_n(note)}</p>' for note in notes)
        out += (f'<section id="skipped"><h2>{_x(t("skipped_list", lang), lang)}</h2>'
                f"{_table(head, rows)}{more}</section>")
    if report.get("not_evaluated"):
        rows = [f'<tr><td><code>{_e(n["rule_id"])}</code></td>'
                f'<td>{_x(reason_label(str(n["reason"]), lang), lang)}</td></tr>'
                for n in report["not_evaluated"]]
        out += (f'<section id="not-evaluated"><h2>{_x(t("not_evaluated", lang), lang)}</h2>'
                f'{_table([(t("rule", lang), "text"), (t("reason", lang), "text")], rows)}'
                f"</section>")
    return out


def _scope(report: dict[str, Any], lang: str) -> str:
    rows = "".join(f"<tr><th scope=row>{_x(label, lang)}</th><td>{_n(value)}</td></tr>"
                   for label, value in view.scope(report, lang))
    return (f'<section id="scope"><h2>{_x(t("audit_scope", lang), lang)}</h2>'
            f'<table class="scope"><tbody>{rows}</tbody></table></section>')


def _accepted(report: dict[str, Any], lang: str) -> str:
    rows = [f"<tr><td><code>{_e(rule)}</code></td><td class=mono>{_n(place)}</td>"
            f"<td>{_n(owner)}</td><td>{_n(reason)}</td><td>{_x(expires, lang)}</td></tr>"
            for rule, place, owner, reason, expires in
            view.accepted_rows(view.sorted_findings(report), lang)]
    if not rows:
        return ""
    head = [(t(k, lang), "text") for k in ("rule", "location", "owner", "reason", "expires")]
    return (f'<section id="accepted"><h2>{_x(t("accepted_risks", lang), lang)}</h2>'
            f'{_table(head, rows[:view.DOCUMENT_INVENTORY])}'
            f"{_more(len(rows) - view.DOCUMENT_INVENTORY, lang)}</section>")


def render_declaration(declared: list[Any], *, lang: str = "zh") -> str:
    """The sections of a declaration (``pia.reports.declaration``) as one ``<section>``,
    every cell escaped and printable as the report's names are."""
    out = []
    for section in declared:
        rows = ["<tr>" + "".join(f"<td>{_n(cell)}</td>" for cell in row) + "</tr>"
                for row in section.rows] or [
            f'<tr><td colspan="{max(1, len(section.headers))}">{_x(t("decl_none", lang), lang)}'
            "</td></tr>"]
        head = [(h, "text") for h in section.headers] if any(section.headers) else []
        table = _table(head, rows) if head else f"<table class=scope><tbody>{''.join(rows)}" \
            "</tbody></table>"
        out.append(f'<h3 id="{_e(section.id)}">{_x(section.title, lang)}</h3>{table}')
    return (f'<section id="declaration"><h2>{_x(t("decl_title", lang), lang)}</h2>'
            f'{"".join(out)}</section>')


def render(report: dict[str, Any], *, lang: str = "zh", **_: Any) -> str:
    scan = report["scan"]
    partial = ("" if scan.get("complete", True)
               else f'<p class="partial">{_x(t("partial", lang), lang)}</p>')
    partial += "".join(f'<p class="partial">{_x(line, lang)}</p>'
                       for line in view.headlines(report, lang))
    tool = f'{report["tool"]["name"]} {report["tool"]["version"]}'
    rulesets = ", ".join(f'{r["id"]}@{r["sha256"][:12]}' for r in scan.get("rulesets", []))
    meta = (f'{_x(t("started", lang), lang)} {_e(view.china_time(scan["started"]))} · '
            f'{_x(t("finished", lang), lang)} {_e(view.china_time(scan["finished"]))} · '
            f'{_x(t("generated_by", lang), lang)} {_e(tool)}')
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang(lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="{_e(tool)}">'
        f'<title>{_e(t("title", lang))}</title><style>{_asset("report.css")}</style></head>'
        f'<body><header><h1>{_x(t("title", lang), lang)}</h1><p class="meta">{meta}</p>'
        f"{partial}</header>"
        f"<main>{_summary(report, lang)}{_scope(report, lang)}{_findings(report, lang)}"
        f"{_accepted(report, lang)}{_inventory(report, lang)}{_skipped(report, lang)}</main>"
        f'<footer>{field(_e(t("rulesets", lang)), _e(rulesets or t("none", lang)), lang)} · '
        f'{_e(tool)}'
        f"</footer><script>{_asset('report.js')}</script></body></html>\n")
