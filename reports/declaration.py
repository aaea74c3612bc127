"""A declaration (``pia.yaml``) as a regulator reads it: what the organisation says it does.

``pia bundle show`` renders the bundled, signed declaration beside the report, so that the
cross-border and consent findings can be judged without unzipping the bundle: where the data
goes, to whom and under which mechanism, for which purpose and on which legal basis, and the
risks the organisation accepted. A declaration holds no personal information, but its strings
are the organisation's own text: every renderer escapes them as it escapes a report's names.
Sections are ``(id, title, headers, rows)`` of plain strings; the table and HTML renderers
only lay them out, so both say the same thing.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pia.reports.i18n import entity_label, has_key, t
from pia.reports.view import location_text, source_text


class Section(NamedTuple):
    id: str
    title: str
    headers: list[str]
    rows: list[list[str]]


def _flag(value: Any, lang: str) -> str:
    if value is None:
        return "-"
    return t("yes", lang) if value is True else t("no", lang) if value is False else str(value)


def _join(values: Any, lang: str) -> str:
    if not isinstance(values, list) or not values:
        return "-"
    return t("list_sep", lang).join(str(v) for v in values)


def _known(prefix: str, value: Any, lang: str) -> str:
    """A legal basis or transfer mechanism by its name; an unknown one as it is."""
    if value in (None, ""):
        return "-"
    key = f"{prefix}:{value}"
    return t(key, lang) if has_key(key) else str(value)


def _organisation(org: dict[str, Any], lang: str) -> Section:
    rows = [[t("organisation", lang), str(org.get("name") or "-")],
            [t("decl_ciio", lang), _flag(org.get("ciio"), lang)]]
    for key, label in (("subjects", "decl_subjects"), ("last_pi_audit", "decl_last_audit"),
                       ("records_asset", "decl_records_asset")):
        if org.get(key) is not None:
            rows.append([t(label, lang), str(org[key])])
    if org.get("mainland_regions"):
        rows.append([t("decl_regions", lang), _join(org["mainland_regions"], lang)])
    return Section("declared-organisation", t("organisation", lang), ["", ""], rows)


def _assets(assets: list[dict[str, Any]], lang: str) -> Section:
    rows = []
    for asset in assets:
        categories = [entity_label(str(c), lang) for c in asset.get("pi_categories") or []]
        retention = (asset.get("retention") or {}).get("period")
        rows.append([str(asset.get("id", "")), source_text(str(asset.get("source", ""))),
                     _join(categories, lang), _flag(asset.get("sensitive"), lang),
                     _flag(asset.get("minors"), lang), str(retention or "-"),
                     _join(asset.get("activities"), lang), _join(asset.get("recipients"), lang)])
    headers = [t(k, lang) for k in ("decl_asset", "source", "entity_type", "sensitive",
                                    "decl_minors", "decl_retention", "decl_activities",
                                    "decl_recipients")]
    return Section("declared-assets", t("decl_assets", lang), headers, rows)


def _activities(activities: list[dict[str, Any]], lang: str) -> Section:
    rows = []
    for activity in activities:
        consent = activity.get("consent") or {}
        given = [_consent(k, consent[k], lang)
                 for k in ("separate", "written", "guardian") if k in consent]
        assessment = activity.get("pia") or {}
        done = " ".join(str(assessment[k]) for k in ("id", "date") if assessment.get(k))
        rows.append([str(activity.get("id", "")), str(activity.get("purpose") or "-"),
                     _known("basis", activity.get("legal_basis"), lang),
                     t("list_sep", lang).join(given) or "-", done or "-"])
    headers = [t(k, lang) for k in ("decl_activity", "decl_purpose", "legal_basis",
                                    "decl_consent", "decl_assessment")]
    return Section("declared-activities", t("decl_activities", lang), headers, rows)


def _consent(kind: str, given: Any, lang: str) -> str:
    """``已取得单独同意`` / ``未取得单独同意`` (``单独同意 否`` read as a fragment, QA); English
    ``separate no``, as before; a value that is not yes or no after its label."""
    key = f"decl_consent_{kind}:{'yes' if given else 'no'}"
    if isinstance(given, bool) and has_key(key):
        return t(key, lang)
    return t(f"decl_consent_{kind}", lang) + " " + _flag(given, lang)


def _transfers(transfers: list[dict[str, Any]], lang: str) -> Section:
    """The declared transfers abroad; none declared is said as a sentence, in a section with
    no headers (a row ``未登记`` under 资产 read as an asset named "undeclared", QA)."""
    if not transfers:
        return Section("declared-cross-border", t("decl_cross_border", lang), [""],
                       [[t("decl_no_transfers", lang)]])
    rows = [[str(x.get("asset", "")), str(x.get("destination") or "-"),
             str(x.get("recipient") or "-"), _known("mechanism", x.get("mechanism"), lang)]
            for x in transfers]
    headers = [t(k, lang) for k in ("decl_asset", "decl_destination", "decl_recipient",
                                    "decl_mechanism")]
    return Section("declared-cross-border", t("decl_cross_border", lang), headers, rows)


def _accepted(accepts: list[dict[str, Any]], lang: str) -> Section:
    rows = []
    for acc in accepts:
        place = [source_text(str(acc["source"]))] if acc.get("source") else []
        if isinstance(acc.get("location"), dict) and acc["location"]:
            place.append(location_text(acc["location"]))
        if acc.get("fingerprint"):
            place.append(str(acc["fingerprint"])[:12] + "…")
        rows.append([str(acc.get("rule", "")), " · ".join(place) or t("decl_everywhere", lang),
                     str(acc.get("owner", "")), str(acc.get("reason", "")),
                     str(acc.get("expires", ""))])
    headers = [t(k, lang) for k in ("rule", "location", "owner", "reason", "expires")]
    return Section("declared-accept", t("decl_accept", lang), headers, rows)


def sections(data: dict[str, Any] | None, lang: str) -> list[Section]:
    """The declaration's sections, in the order a reviewer asks: who, what is held where, why
    and on what basis, where it goes abroad (always: none declared is an answer), what risks
    were accepted. Sections other than that and the organisation only when declared."""
    if not isinstance(data, dict):
        return []
    out = [_organisation(data.get("organisation") or {}, lang)]
    for key, build in (("assets", _assets), ("activities", _activities),
                       ("cross_border", _transfers), ("accept", _accepted)):
        entries = [e for e in data.get(key) or [] if isinstance(e, dict)]
        if entries or key == "cross_border":  # "none declared" is an answer too
            out.append(build(entries, lang))
    return out
