"""The HTML report: one self-contained file a manager can open offline and print to PDF.

Everything is inline (CSS, a small vanilla script, SVG charts) and a Content-Security-Policy
forbids any fetch, so the file works from a USB stick and cannot call home. Report content is
untrusted (table names, object keys and titles come from audited systems and rulesets): every
string goes through ``html.escape`` here, and the script never writes HTML. Summary numbers sit
in elements with stable ``data-summary`` attributes so tests and scripts can read them.
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib import resources
from typing import Any

from pia.reports import charts, view
from pia.reports.i18n import (
    entity_label,
    html_lang,
    protection_label,
    severity_label,
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
    sev_rows = [f'<tr><td>{_sev(sev, lang)}</td><td class="num" data-summary="severity.{sev}">'
                f"{n}</td></tr>" for sev, n in s["by_severity"].items()]
    ent_rows = [f"<tr><td>{_e(entity_label(et, lang))} <code>{_e(et)}</code></td>"
                f'<td class="num" data-summary="entity.{_e(et)}">{n}</td></tr>'
                for et, n in view.by_entity(report)]
    art_rows = [f'<tr><td>{_e(label)}</td><td class="num">{n}</td></tr>'
                for label, n in view.findings_by_article(report, lang)]
    sources = "".join(f"<li><code>{_e(view.source_text(u))}</code></li>"
                      for u in report["scan"]["sources"])
    count = (t("count", lang), "number")
    return (
        f'<section id="summary"><h2>{_e(t("summary", lang))}</h2>'
        f'<p class="lead">{_e(view.summary_line(report, lang))}</p>'
        f'<div class="cards">{cards}</div>'
        f'<div class="grid"><div><h3>{_e(t("sources", lang))}</h3><ul class="plain">{sources}'
        f'</ul><h3>{_e(t("by_severity", lang))}</h3>'
        f'{_table([(t("severity", lang), "text"), count], sev_rows)}</div>'
        f'<div><h3>{_e(t("by_entity", lang))}</h3>'
        f'{_table([(t("entity_type", lang), "text"), count], ent_rows)}</div>'
        f'<div><h3>{_e(t("by_article", lang))}</h3>'
        f'{_table([(t("law_article", lang), "text"), count], art_rows)}</div></div>'
        f"{_charts(report, lang)}{_per_source(report, lang)}</section>")


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
        rows.append(f'<tr><td><code>{_e(r["source"])}</code></td><td class="num">{r["items"]}'
                    f'</td><td class="num">{r["sensitive"]}</td>{cells}</tr>')
    head = [(t("source", lang), "text"), (t("inventory_items", lang), "number"),
            (t("sensitive", lang), "number")]
    head += [(severity_label(sev, lang), "number") for sev in view.SEVERITY_ORDER]
    return f'<h3>{_e(t("per_source", lang))}</h3>{_table(head, rows)}'


def _inventory(report: dict[str, Any], lang: str) -> str:
    rows = []
    for item in report["inventory"]:
        samples = dict(view.safe_evidence(item.get("evidence"), lang)).get("samples", "")
        yes_no = t("yes" if item.get("sensitive") else "no", lang)
        rows.append(
            f'<tr data-entity="{_e(item["entity_type"].lower())}">'
            f'<td><code>{_e(view.source_text(item["source"]))}</code></td>'
            f'<td class="mono">{_e(view.location_text(item["location"]))}</td>'
            f'<td data-value="{_e(item["entity_type"])}">'
            f'{_e(entity_label(item["entity_type"], lang))}</td>'
            f'<td class="num">{item["count"]}</td><td class="num">{item["score"]:.2f}</td>'
            f"<td>{_e(yes_no)}</td><td>{_e(protection_label(item['protection'], lang))}</td>"
            f'<td class="mono">{_e(samples)}</td></tr>')
    if not rows:
        return (f'<section id="inventory"><h2>{_e(t("inventory", lang))}</h2>'
                f'<p>{_e(t("no_inventory", lang))}</p></section>')
    head = [(t("source", lang), "text"), (t("location", lang), "text"),
            (t("entity_type", lang), "text"), (t("count", lang), "number"),
            (t("score", lang), "number"), (t("sensitive", lang), "text"),
            (t("protection", lang), "text"), (t("evidence", lang), "text")]
    return (f'<section id="inventory"><h2>{_e(t("inventory", lang))}</h2>'
            f'{_controls("inventory-table", len(rows), lang)}'
            f'{_table(head, rows, "inventory-table", sortable=True)}</section>')


def _controls(table_id: str, total: int, lang: str, selects: str = "") -> str:
    return (f'<div class="controls noprint"><input type="search" data-filter-for="{table_id}" '
            f'placeholder="{_e(t("filter", lang))}" aria-label="{_e(t("filter", lang))}">'
            f'{selects}<span><span data-shown-for="{table_id}">{total}</span> / {total} '
            f'{_e(t("shown", lang))}</span></div>')


def _select(table_id: str, field: str, label: str, options: list[tuple[str, str]],
            lang: str) -> str:
    opts = f'<option value="">{_e(t("all", lang))}</option>' + "".join(
        f'<option value="{_e(v)}">{_e(name)}</option>' for v, name in options)
    return (f'<select data-filter-for="{table_id}" data-field="{field}" '
            f'aria-label="{_e(label)}">{opts}</select>')


def _findings(report: dict[str, Any], lang: str) -> str:
    findings = view.sorted_findings(report)
    if not findings:
        return (f'<section id="findings"><h2>{_e(t("finding_list", lang))}</h2>'
                f'<p>{_e(t("no_findings", lang))}</p></section>')
    rows, details = [], []
    for n, f in enumerate(findings, 1):
        status = f.get("status", "open")
        locs = view.finding_places(f)
        articles = "; ".join(dict.fromkeys(view.article_text(r, lang) for r in f["references"]))
        rows.append(
            f'<tr data-severity="{_e(f["severity"])}" data-status="{_e(status)}">'
            f'<td data-value="{view.severity_rank(f["severity"])}">{_sev(f["severity"], lang)}</td>'
            f'<td><a href="#finding-{n}">{_e(text(f["title"], lang))}</a></td>'
            f'<td><code>{_e(f["rule_id"])}</code></td><td>{_e(articles)}</td>'
            f'<td class="mono">{_e(locs[0] if locs else "")}'
            f'{_e(f" (+{len(locs) - 1})") if len(locs) > 1 else ""}</td>'
            f"<td>{_e(view.status_text(f, lang))}</td></tr>")
        details.append(_finding_detail(n, f, locs, lang))
    head = [(t("severity", lang), "number"), (t("title_col", lang), "text"),
            (t("rule", lang), "text"), (t("law_article", lang), "text"),
            (t("location", lang), "text"), (t("status", lang), "text")]
    selects = _select("findings-table", "severity", t("severity", lang),
                      [(s, severity_label(s, lang)) for s in view.SEVERITY_ORDER], lang)
    selects += _select("findings-table", "status", t("status", lang),
                       [("open", t("open", lang)), ("accepted", t("accepted_status", lang))], lang)
    return (f'<section id="findings"><h2>{_e(t("finding_list", lang))}</h2>'
            f'{_controls("findings-table", len(rows), lang, selects)}'
            f'{_table(head, rows, "findings-table", sortable=True)}{"".join(details)}</section>')


def _finding_detail(n: int, f: dict[str, Any], locs: list[str], lang: str) -> str:
    refs = []
    for ref in f["references"]:
        notes = [t("unverified", lang)] if ref.get("verified") is False else []
        if ref.get("numbering_inferred"):
            notes.append(t("numbering_inferred", lang))
        note = f' <span class="note">({_e("; ".join(notes))})</span>' if notes else ""
        refs.append(f"<div><strong>{_e(view.article_text(ref, lang))}</strong>{note}"
                    f'<blockquote lang="zh-Hans">{_e(ref["quote"])}</blockquote></div>')
    evidence = "".join(f"<li><code>{_e(k)}</code>: <span class=mono>{_e(v)}</span></li>"
                       for k, v in view.safe_evidence(f.get("evidence"), lang))
    loc_list = "".join(f"<li class=mono>{_e(loc)}</li>" for loc in locs)
    source = (f'<dt>{_e(t("source", lang))}</dt><dd><code>{_e(view.source_text(f["source"]))}'
              f"</code></dd>") if f.get("source") else ""
    status = f.get("status", "open")
    fields = view.acceptance_fields(f, lang)
    acceptance = (f'<dt>{_e(t("acceptance", lang))}</dt><dd><ul class="plain">'
                  + "".join(f"<li>{_e(label)}: {_e(value)}</li>" for label, value in fields)
                  + "</ul></dd>") if fields else ""
    lapsed = " lapsed" if (view.acceptance(f) or {}).get("lapsed") else ""
    return (
        f'<article class="finding {_e(f["severity"])} {_e(status)}{lapsed}" id="finding-{n}">'
        f'<h3>{_sev(f["severity"], lang)} {_e(text(f["title"], lang))}</h3><dl>'
        f'<dt>{_e(t("rule", lang))}</dt><dd><code>{_e(f["rule_id"])}</code></dd>'
        f'<dt>{_e(t("status", lang))}</dt><dd>{_e(view.status_text(f, lang))}</dd>{acceptance}'
        f'{source}'
        f'<dt>{_e(t("locations", lang))}</dt><dd><ul class="plain">{loc_list}</ul></dd>'
        f'<dt>{_e(t("legal_basis", lang))}</dt><dd>{"".join(refs)}</dd>'
        f'<dt>{_e(t("evidence", lang))}</dt><dd><ul class="plain">{evidence}</ul></dd>'
        f'<dt>{_e(t("remediation", lang))}</dt><dd>{_e(text(f["remediation"], lang))}</dd>'
        f"</dl></article>")


def _skipped(report: dict[str, Any], lang: str) -> str:
    out = ""
    if report["skipped"]:
        rows = [f'<tr><td><code>{_e(view.source_text(s["source"]))}</code></td>'
                f'<td class="mono">{_e(view.location_text(s["location"]))}</td>'
                f'<td>{_e(s["reason"])}</td></tr>' for s in report["skipped"]]
        head = [(t("source", lang), "text"), (t("location", lang), "text"),
                (t("reason", lang), "text")]
        out += (f'<section id="skipped"><h2>{_e(t("skipped_list", lang))}</h2>'
                f"{_table(head, rows)}</section>")
    if report.get("not_evaluated"):
        rows = [f'<tr><td><code>{_e(n["rule_id"])}</code></td><td>{_e(n["reason"])}</td></tr>'
                for n in report["not_evaluated"]]
        out += (f'<section id="not-evaluated"><h2>{_e(t("not_evaluated", lang))}</h2>'
                f'{_table([(t("rule", lang), "text"), (t("reason", lang), "text")], rows)}'
                f"</section>")
    return out


def render(report: dict[str, Any], *, lang: str = "zh", **_: Any) -> str:
    scan = report["scan"]
    partial = ("" if scan.get("complete", True)
               else f'<p class="partial">{_e(t("partial", lang))}</p>')
    tool = f'{report["tool"]["name"]} {report["tool"]["version"]}'
    rulesets = ", ".join(f'{r["id"]}@{r["sha256"][:12]}' for r in scan.get("rulesets", []))
    meta = (f'{_e(t("started", lang))} {_e(scan["started"])} · {_e(t("finished", lang))} '
            f'{_e(scan["finished"])} · {_e(t("generated_by", lang))} {_e(tool)}')
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang(lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="{_e(tool)}">'
        f'<title>{_e(t("title", lang))}</title><style>{_asset("report.css")}</style></head>'
        f'<body><header><h1>{_e(t("title", lang))}</h1><p class="meta">{meta}</p>'
        f"{partial}</header>"
        f"<main>{_summary(report, lang)}{_inventory(report, lang)}{_findings(report, lang)}"
        f"{_skipped(report, lang)}</main>"
        f'<footer>{_e(t("rulesets", lang))}: {_e(rulesets or t("none", lang))} · {_e(tool)}'
        f"</footer><script>{_asset('report.js')}</script></body></html>\n")
