"""SARIF 2.1.0: findings as results, for code-scanning dashboards and CI annotations.

Every result has a ``physicalLocation``: GitHub code scanning rejects the whole file when one
result has none (``expected at least one location``, ``expected a physical location``) and
GitLab drops such results. Files that exist on disk (logs, migrations) are artifacts with a
region, so a CI annotates the offending line. What is not a file gets the artifact that best
names it, and keeps its ``logicalLocations`` (``db.schema.table.column``, ``bucket/key``) beside
it, as scanners of non-file targets do (Trivy names a container image's findings by the image
as a relative path, at line 1; dependency scanners name the manifest that declares a package):

- a SQLite table's column: the database file, the table and column as the logical location;
- a server database's column: ``postgresql/host:port/db/schema/table/column``, and an object:
  ``s3/bucket/key`` (at its first line, as a file), relative paths under the ``uriBaseId``
  ``PIASOURCE`` that ``originalUriBaseIds`` describes as scanned sources, not repository
  files. They are stable from scan to scan (credentials, ports aside, never in them) and say
  in the alert list what was found where. One place has one path and no other: a ``.`` or
  ``..`` segment is ``%2E``/``%2E%2E`` (resolved against the base it would name another
  bucket or table), and a key's ``/`` that would leave an empty segment is ``%2F``; a
  noncurrent object version's URI ends ``?versionId=ID``, and a place whose names were
  masked ends with its name fingerprint (``?nameFingerprint=hmac-sha256:…``; a SQLite
  column's, whose artifact is its database file, is in the location's properties and its
  logical location alone, as every masked place's is): two files whose masked names
  coincide are two places;
- a file's or an object's field (a CSV header, a JSON or log key whose name said what its
  values are): the field as a logical location of kind ``member``, as a column is, and in the
  message (``users.csv:2 (password)``);
- a declared asset's finding (no location of its own): the declaration file that declares the
  asset (``pia.yaml``), at the line where the asset's entry starts (``scan.declaration.
  asset_lines``; a report that does not record it gets no region rather than a guessed one),
  with the asset as the logical location.

URIs are percent-encoded references: a backslash, ``?``, ``#`` or ``%`` in a Linux file name is
a character of the name, and a first segment with a colon (``c:data/a.log``) is written
``./c:data/a.log`` so that it cannot read as a scheme or a drive. Every string a viewer shows
is printable (``pia.printable``): a bidi override in a table name would reorder GitHub's alert
line. Rule help is Markdown escaped as the Markdown report escapes it (rulesets are untrusted).

A local path as given on the command line (``shop.db``, ``logs/app.log``, ``pia.yaml``) is
relative to the directory the scan ran in: it names the ``uriBaseId`` ``SRCROOT``, which
``originalUriBaseIds`` describes but gives no ``uri``. The report does not record that
directory (it would put the auditor's home path into every report and bundle) and a rendering
from a saved report runs elsewhere; a base without a ``uri`` is the consumer's to supply (the
SARIF viewer asks for it, code scanning takes the checkout, where CI runs pia). An absolute
path is a ``file://`` URI and names no base.

Links (``helpUri``, the driver's ``informationUri``) must be absolute URIs, and pia has no
public home that every installation could reach: README tells each organisation to install
from its own mirror. ``PIA_DOCS_URL`` names where that mirror serves the repository's files
(``https://git.example.com/sec/pia/-/blob/v0.1.0/``); with it, a bundled rule links to its
section of ``docs/rules.md`` and the driver to ``README.md``. Without it, or for a custom
ruleset's rule (not in docs/rules.md), there is no link and the rule's ``help`` says it all.

A rule's descriptor carries the severity its ruleset declares (a finding the engine raised says
so in ``evidence.severity_raised``); each result carries its own ``level``. Skipped sources and
rules not evaluated are invocation notifications. Output is deterministic: the same report gives
the same bytes, so SARIF files can be diffed and committed. Accepted findings are kept as
results with an external, accepted suppression, which is what SARIF viewers hide by default.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from pia.printable import document_safe, map_strings, printable
from pia.report import SEVERITIES
from pia.reports import evidence, references, view
from pia.reports.i18n import reason_label, severity_label, t, text
from pia.reports.markdown import esc

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
#: GitHub code scanning reads this property to rank security results (CVSS-like scale).
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
#: the base of the artifact paths that name a database column or an object, not a file
SOURCE_BASE = "PIASOURCE"
#: the base of local paths given relative to the directory the scan ran in
LOCAL_BASE = "SRCROOT"
#: the environment variable that says where pia's repository files are served (module doc)
DOCS_URL_VARIABLE = "PIA_DOCS_URL"
_SAFE = "/:@-._~!$&'()*+,;="


def _uri(path: str) -> str:
    """A URI reference for a file path: absolute paths become ``file://`` URIs; everything
    outside RFC 3986's path characters (backslash included) is percent-encoded, and a
    relative path whose first segment holds a colon starts with ``./``."""
    encoded = quote(path, safe=_SAFE)
    if path.startswith("/"):
        return "file://" + encoded
    return "./" + encoded if ":" in encoded.partition("/")[0] else encoded


def _local(path: str) -> dict[str, str]:
    """The artifact location of a local path: relative to ``SRCROOT`` (the directory the scan
    ran in) unless absolute (a ``file://`` URI, which may name no base)."""
    uri = _uri(path)
    return {"uri": uri} if uri.startswith("file://") else {"uri": uri, "uriBaseId": LOCAL_BASE}


def docs_url() -> str | None:
    """``PIA_DOCS_URL`` with a trailing ``/``, if it is an absolute http(s) URL; else None
    (a relative or malformed value would make an invalid ``helpUri``)."""
    base = os.environ.get(DOCS_URL_VARIABLE, "").strip()
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return base if base.endswith("/") else base + "/"


def _rule_anchor(rule_id: str) -> str:
    """The anchor of a rule's heading in docs/rules.md (``### CSL-21-LOG-RETENTION`` →
    ``csl-21-log-retention``), as ``pia.rules.docs`` links its own rules."""
    return re.sub(r"[^a-z0-9\-]", "", rule_id.lower())


def _encoded(value: Any) -> str:
    """A part of a segment, percent-encoded whole (a ``/`` in a table name stays in it)."""
    return quote(str(value), safe=_SAFE.replace("/", ""))


def _dots(segment: str) -> str:
    """``.`` and ``..`` as ``%2E`` and ``%2E%2E``: as segments they would climb out of their
    parent when the reference is resolved against its base (RFC 3986 5.2.4)."""
    return segment.replace(".", "%2E") if segment in (".", "..") else segment


def _segments(*parts: Any) -> str:
    """Path segments, each percent-encoded whole, dot segments too; absent parts left out."""
    return "/".join(_dots(_encoded(p)) for p in parts if p not in (None, ""))


def _key_path(key: str) -> str:
    """An object key as the path under ``s3/bucket/``, one URI per key: a ``/`` between two
    non-empty parts stays a separator; one that would leave an empty segment (a leading or
    trailing ``/``, a run ``//``) is written ``%2F``, since resolvers and viewers fold empty
    segments (``dup//a.txt`` and ``dup/a.txt``, ``/lead.txt`` and ``lead.txt`` were one
    artifact); a ``.`` or ``..`` segment is ``%2E``/``%2E%2E`` (``../etc/passwd`` resolved to
    another bucket). Percent-decoding the path gives the key back."""
    parts = key.split("/")
    path = _encoded(parts[0]) + "".join(
        ("/" if before and part else "%2F") + _encoded(part)
        for before, part in zip(parts, parts[1:], strict=False))
    return "/".join(_dots(segment) for segment in path.split("/"))


def _local_path(source: str) -> str | None:
    """The file a source names (a SQLite file, a log directory), None for a server."""
    if "://" not in source:
        return source
    parts = urlsplit(source)
    if parts.scheme.lower() in ("file", "sqlite") and not parts.netloc:
        return unquote(parts.path)
    return None


def _source_artifact(source: str, *, database: Any = None, tail: tuple = ()) -> dict[str, Any]:
    """The artifact of a source's column or object: its file (a SQLite database), or the
    server's ``scheme/host[:port]/database/...tail`` under ``PIASOURCE``."""
    source = view.source_text(source)
    path = _local_path(source)
    if path is not None:
        return _local(path)
    parts = urlsplit(source)
    host = parts.hostname or ""
    with contextlib.suppress(ValueError):  # a port that is no number: the host alone
        host += f":{parts.port}" if parts.port else ""
    base = [database] if database else [s for s in parts.path.split("/") if s]
    return {"uri": _segments(parts.scheme.lower() or "source", host, *base, *tail),
            "uriBaseId": SOURCE_BASE}


def _rule_name(rule_id: str) -> str:
    """``CSL-21-LOG-RETENTION`` → ``Csl21LogRetention`` (SARIF names are identifiers)."""
    return "".join(part.capitalize() for part in re.split(r"[^0-9A-Za-z]+", rule_id) if part)


def _logical(name: Any, qualified: str, kind: str) -> list[dict[str, Any]]:
    return [{"name": printable(name), "fullyQualifiedName": printable(qualified), "kind": kind}]


def _physical(artifact: dict[str, Any], loc: dict[str, Any]) -> dict[str, Any]:
    """A file's or an object's physical location, at its first line when one is recorded."""
    out: dict[str, Any] = {"artifactLocation": artifact}
    line = view.first_line(loc)
    if line:
        out["region"] = {"startLine": max(1, line)}
    return out


def _without_field(loc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in loc.items() if k != "field"}


def _location(loc: dict[str, Any], source: str) -> dict[str, Any]:
    """A location of a finding or a notification (the module doc says which artifact); one
    whose names were masked has its artifact's URI end with its name fingerprint
    (``?nameFingerprint=hmac-sha256:…``, after a version's ``versionId``) when the URI
    names the place: masks coincide (``scans/1101**********1233.jpg`` for three IDs alike in
    their first and last four digits), and one URI stood for three files (QA), where one
    path names one place. A SQLite column's artifact is its database file, whose path names
    it and every other column: its fingerprint is in the location's properties, and its
    logical location's name ends with its first digits (``view.location_text``)."""
    from pia.masked_names import name_fingerprint  # here: it loads numpy, which --help need not

    out = _placed(loc, source)
    printed = name_fingerprint(loc)
    if printed:
        out["properties"] = {**out.get("properties", {}), "nameFingerprint": printed}
        artifact = out["physicalLocation"]["artifactLocation"]
        kind = view.location_kind(loc)
        # not a SQLite file's, which is every one of its columns' artifact and a real file
        if kind in ("file", "object") or (kind == "db"
                                          and artifact.get("uriBaseId") == SOURCE_BASE):
            artifact["uri"] += ("&" if "?" in artifact["uri"] else "?") + (
                "nameFingerprint=" + printed)
    return out


def _placed(loc: dict[str, Any], source: str) -> dict[str, Any]:
    kind = view.location_kind(loc)
    if kind == "migration":
        region: dict[str, Any] = {"startLine": max(1, int(loc.get("line") or 1))}
        if loc.get("col"):
            region["startColumn"] = max(1, int(loc["col"]))
        out: dict[str, Any] = {"physicalLocation": {
            "artifactLocation": _local(loc["file"]), "region": region}}
        target = ".".join(str(loc[k]) for k in ("table", "column") if loc.get(k))
        if target:
            out["logicalLocations"] = _logical(loc.get("column") or target, target, "member")
        return out
    name = view.location_text(loc)
    if kind == "file":
        out = {"physicalLocation": _physical(_local(loc["path"]), loc)}
        if loc.get("member"):
            out["properties"] = {"member": printable(loc["member"])}
        if loc.get("field"):
            out["logicalLocations"] = _logical(loc["field"], name, "member")
        return out
    if kind == "object":
        key = str(loc.get("key") or "")
        uri = _segments("s3", loc["bucket"]) + (f"/{_key_path(key)}" if key else "")
        if loc.get("version_id"):  # a noncurrent version is an artifact of its own (QA)
            uri += "?versionId=" + _encoded(loc["version_id"]).replace("&", "%26")
        out = {"physicalLocation": _physical({"uri": uri, "uriBaseId": SOURCE_BASE}, loc),
               "logicalLocations": _logical(loc.get("member") or loc.get("key") or loc["bucket"],
                                            view.location_text(_without_field(loc)),
                                            "resource")}
        if loc.get("field"):
            out["logicalLocations"] += _logical(loc["field"], name, "member")
        if loc.get("member"):
            out["properties"] = {"member": printable(loc["member"])}
        return out
    if kind == "db":
        tail = tuple(loc.get(k) for k in ("schema", "table", "column")
                     if k in view.db_parts(loc) or k != "schema")
        artifact = _source_artifact(source or "database://", database=loc.get("database"),
                                    tail=tail)
        return {"physicalLocation": {"artifactLocation": artifact},
                "logicalLocations": _logical(loc.get("column") or name, name, "member")}
    return {"physicalLocation": {"artifactLocation": _source_artifact(source or "unknown")},
            "logicalLocations": _logical(name, name, "resource")}


def _locations(finding: dict[str, Any], declared: dict[str, Any]) -> list[dict[str, Any]]:
    """One location per place, each with a physical location (see the module doc);
    ``declared`` is the report's ``scan.declaration``."""
    source = finding.get("source") or ""
    locs = finding.get("locations") or []
    if locs:
        return [_location(loc, source) for loc in locs]
    asset = (finding.get("evidence") or {}).get("asset")
    declaration = declared.get("path") or None
    physical: dict[str, Any]
    if isinstance(asset, str) and asset and declaration:
        physical = {"artifactLocation": _local(declaration)}
        line = (declared.get("asset_lines") or {}).get(asset)
        if isinstance(line, int) and not isinstance(line, bool) and line > 0:
            physical["region"] = {"startLine": line}
    else:
        physical = {"artifactLocation": _source_artifact(source or declaration or "unknown")}
    out: dict[str, Any] = {"physicalLocation": physical}
    if isinstance(asset, str) and asset:
        out["logicalLocations"] = _logical(asset, f"asset {asset}", "resource")
    return [out]


def declared_severity(finding: dict[str, Any]) -> str:
    """The severity the ruleset declares for the finding's rule: what it was raised from, if
    the engine raised it (``evidence.severity_raised.from``), else its own."""
    raised = (finding.get("evidence") or {}).get("severity_raised")
    if isinstance(raised, dict) and raised.get("from") in SEVERITIES:
        return str(raised["from"])
    return finding["severity"]


def _rule(findings: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """A rule's descriptor from its findings: the references any of them cites (a rule with
    triggers has each cite only its clauses; a result names its own in ``legalBasis``)."""
    finding = findings[0]
    refs = references.cited_references(findings)
    articles = [references.article_text(r, lang) for r in refs]
    # what HTML and Markdown say of a quote (a secondary copy, not verified), said here too
    custom = references.from_custom_ruleset(finding)
    notes = [references.reference_notes(r, lang, custom=custom) for r in refs]
    # a Chinese label takes a full-width colon and brackets (法律依据：), as the other formats
    colon = t("field_fmt", lang).format(label="", value="")
    quotes = "\n".join(t("field_fmt", lang).format(
        label=t("paren_fmt", lang).format(text=a, inner=n) if n else a, value=f"「{r['quote']}」")
        for a, n, r in zip(articles, notes, refs, strict=True))
    remediation = text(finding["remediation"], lang)
    title = text(finding["title"], lang)
    md_quotes = "\n".join(
        f"- **{esc(a)}**{t('paren_fmt', lang).format(text='', inner=esc(n)) if n else ''}"
        f"{colon}「{esc(r['quote'])}」" for a, n, r in zip(articles, notes, refs, strict=True))
    severity = declared_severity(finding)
    return {
        "id": finding["rule_id"],
        "name": _rule_name(finding["rule_id"]),
        **_help_uri(finding["rule_id"], custom),
        "shortDescription": {"text": printable(title)},
        "fullDescription": {"text": printable(
            t("paren_fmt", lang).format(text=title, inner=references.rule_articles(findings,
                                                                                   lang)))},
        "help": {"text": f"{t('legal_basis', lang)}{colon.rstrip()}\n{quotes}\n\n"
                         f"{t('remediation', lang)}{colon}{remediation}",
                 "markdown": f"**{esc(t('legal_basis', lang))}**\n\n{md_quotes}\n\n"
                             f"**{esc(t('remediation', lang))}**{colon}{esc(remediation)}"},
        "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
        "properties": {
            "tags": ["privacy", "compliance", *dict.fromkeys(r["law"] for r in refs)],
            "severity": severity,
            "security-severity": SECURITY_SEVERITY.get(severity, "5.5"),
            "ruleset": finding.get("ruleset", ""),
            "references": [{**{k: r[k] for k in ("law", "article", "article_2016", "clause",
                                                 "quote", "verified", "quote_edition",
                                                 "numbering_inferred")
                               if k in r},
                            # no one checked a custom ruleset's article and quote (see
                            # references.from_custom_ruleset): said here as in the help text
                            **({"checkedAgainstLaw": False} if custom else {})}
                           for r in refs],
        },
    }


def _help_uri(rule_id: str, custom: bool) -> dict[str, str]:
    """A bundled rule's ``helpUri``, its section of docs/rules.md where ``PIA_DOCS_URL`` says
    the docs are served; nothing otherwise (see the module doc)."""
    base = docs_url()
    if base is None or custom:
        return {}
    return {"helpUri": f"{base}docs/rules.md#{_rule_anchor(rule_id)}"}


def _unevaluated_rule(entry: dict[str, Any]) -> dict[str, Any]:
    """The descriptor of a rule the scan did not evaluate, which a configuration notification
    names: the report records its id and ruleset, not its text (its link has that)."""
    rule_id = str(entry["rule_id"])
    custom = references.from_custom_ruleset(entry)
    return {"id": rule_id, "name": _rule_name(rule_id), **_help_uri(rule_id, custom),
            "properties": {"ruleset": str(entry.get("ruleset") or ""), "evaluated": False}}


def _evidence(evidence_: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    """A finding's evidence as the other formats read it (``readable_evidence``), but a
    number the report shows as it is stays a number: ``"count": 60``, not ``"60"``, for the
    scripts that read SARIF. A number said in words (a share as ``39.3%`` in Chinese) is
    said so here too."""
    raw = evidence_ or {}

    def kept(key: str, shown: str) -> Any:
        value = raw.get(key)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return value if number and shown == str(value) else shown
    return {key: kept(key, shown) for key, shown in evidence.readable_evidence(evidence_, lang)}


def _result(finding: dict[str, Any], index: int, lang: str,
            declared: dict[str, Any]) -> dict[str, Any]:
    where = view.where(finding, lang)
    message = text(finding["title"], lang) + (f" — {where}" if where else "")
    result: dict[str, Any] = {
        "ruleId": finding["rule_id"],
        "ruleIndex": index,
        "level": LEVELS.get(finding["severity"], "warning"),
        "message": {"text": printable(message)},
        "locations": _locations(finding, declared),
        "properties": {
            "severity": finding["severity"],
            "severityLabel": severity_label(finding["severity"], lang),
            "evidence": _evidence(finding.get("evidence"), lang),
            "legalBasis": references.finding_articles(finding, lang),
        },
    }
    if declared_severity(finding) != finding["severity"]:
        result["properties"]["declaredSeverity"] = declared_severity(finding)
    if finding.get("source"):
        result["properties"]["source"] = view.source_text(finding["source"])
    if finding.get("fingerprint"):
        result["partialFingerprints"] = {"piaFinding/v1": str(finding["fingerprint"])}
    acc = view.acceptance(finding)
    if finding.get("status") == "accepted":
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
        if acc and acc["reason"]:
            suppression["justification"] = acc["reason"]
        who = {k: acc[k] for k in ("owner", "expires") if acc and acc[k]}
        if who:
            suppression["properties"] = who
        result["suppressions"] = [suppression]
    elif acc and acc["lapsed"]:  # open again: no suppression, but the lapsed decision is shown
        result["properties"]["lapsedAcceptance"] = {
            k: acc[k] for k in ("owner", "reason", "expires") if acc[k]}
        result["message"]["text"] += printable(f" [{view.status_text(finding, lang)}]")
    return result


def _notifications(report: dict[str, Any], lang: str) -> dict[str, Any]:
    """Skipped sources as tool execution notifications, rules not evaluated as rule
    configuration notifications: a viewer shows what was not checked next to what was."""
    out: dict[str, Any] = {}
    skipped = [{"level": "warning",
                "message": {"text": printable(f"{t('skipped', lang)}: "
                                              f"{view.location_text(s['location'])} — "
                                              f"{s['reason']}")},
                "descriptor": {"id": "pia/skipped"},
                "properties": {"source": view.source_text(s["source"])}}
               for s in report["skipped"]]
    if skipped:
        out["toolExecutionNotifications"] = skipped
    rules = [{"level": "note",
              "message": {"text": printable(f"{t('not_evaluated_one', lang)}: "
                                            f"{reason_label(str(n['reason']), lang)}")},
              "descriptor": {"id": "pia/not-evaluated"},
              "associatedRule": {"id": str(n["rule_id"])},
              # a rule left undecided for one subject (a log directory) names where
              **({"locations": [_location(n["location"], str(n.get("source") or ""))]}
                 if isinstance(n.get("location"), dict) and n["location"] else {})}
             for n in report.get("not_evaluated") or []]
    if rules:
        out["toolConfigurationNotifications"] = rules
    return out


def _safe(value: Any) -> Any:
    """Every string of the log made printable but its line breaks (help text has them)."""
    return map_strings(value, document_safe)


def build(report: dict[str, Any], *, lang: str = "zh") -> dict[str, Any]:
    """The SARIF log as a dict (``render`` serialises it)."""
    findings = view.sorted_findings(report)
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for finding in sorted(findings, key=lambda f: f["rule_id"]):
        by_rule.setdefault(finding["rule_id"], []).append(finding)
    rules = {rule_id: _rule(group, lang) for rule_id, group in by_rule.items()}
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    # after the rules of the results (their indexes stay): the rules not evaluated, which the
    # configuration notifications name and a viewer looks up here
    for entry in report.get("not_evaluated") or []:
        rules.setdefault(str(entry["rule_id"]), _unevaluated_rule(entry))
    scan = report["scan"]
    declared = scan.get("declaration") or {}
    invocation = {"executionSuccessful": bool(scan.get("complete", True)),
                  "startTimeUtc": scan["started"], "endTimeUtc": scan["finished"],
                  **_notifications(report, lang)}
    return _safe({
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": report["tool"]["name"],
                "version": report["tool"]["version"],
                "semanticVersion": report["tool"]["version"],
                **({"informationUri": f"{docs_url()}README.md"} if docs_url() else {}),
                "rules": list(rules.values()),
            }},
            "invocations": [invocation],
            "originalUriBaseIds": {
                LOCAL_BASE: {"description": {"text": (
                    "The directory pia scan ran in: local paths are as given on its command "
                    "line (not recorded in the report)")}},
                SOURCE_BASE: {"description": {"text": (
                    "Not repository files: the databases and buckets pia scanned, as "
                    "scheme/host/database/schema/table/column or s3/bucket/key")}}},
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index[f["rule_id"]], lang, declared) for f in findings],
            "properties": {
                "summary": view.summary(report),
                "sources": [view.source_text(u) for u in scan["sources"]],
                "rulesets": [{"id": r["id"], "sha256": r["sha256"]} for r in scan["rulesets"]],
                "lang": lang,
            },
        }],
    })


def render(report: dict[str, Any], *, lang: str = "zh", **_: Any) -> str:
    return json.dumps(build(report, lang=lang), ensure_ascii=False, indent=2) + "\n"
