"""What every format shows, computed once: locations as text, groupings, scope, citations.

The renderers differ only in markup; the numbers, the order and the choice of what may be
shown are decided here, so that HTML, Markdown, SARIF and the terminal agree. Report content
is untrusted text (table names and object keys come from the audited systems); what evidence
may show is decided in ``pia.reports.evidence``.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from pia.clock import CHINA_TIME, parse_instant
from pia.printable import printable
from pia.report import SEVERITIES
from pia.reports.i18n import (
    counted,
    entity_label,
    has_key,
    reason_label,
    skipped_label,
    t,
)
from pia.reports.reasons import SKIPPED, kind
from pia.reports.sampling import sampling
from pia.uri import redact

#: Most severe first: the order of every table and list.
SEVERITY_ORDER: tuple[str, ...] = tuple(reversed(SEVERITIES))
#: findings listed per rule in HTML and Markdown, and inventory rows; the rest are counted
#: ("+N more, see the JSON"): 20,000 findings made a 33 MB page that took 54 s to open. A
#: hundred places show a rule's spread; the JSON report lists them all.
DOCUMENT_LOCATIONS = 100
DOCUMENT_INVENTORY = 1000
#: skipped locations listed per kind of reason (and at most ``DOCUMENT_INVENTORY`` in all):
#: 11,000 vanished files printed 11,000 rows ahead of the findings, and 220,000 skipped
#: locations made a 30 MB page; the JSON report lists them all
DOCUMENT_SKIPPED = DOCUMENT_LOCATIONS

def china_time(stamp: Any) -> str:
    """A report's UTC time as its readers keep time: China Standard Time, said so
    (``2027-03-31T23:00:00Z`` → ``2027-04-01 07:00:00 (UTC+8)``). The day is the one the rules
    counted from (``pia.rules.report_today``); a board read 31 March off a UTC stamp taken
    at 07:00 on 1 April in Beijing. A value that is no time is shown as it is."""
    when = parse_instant(stamp)
    if when is None:
        return str(stamp)
    return when.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M:%S") + " (UTC+8)"


def name(value: Any) -> str:
    """A name from an audited system as a document shows it: every control escaped
    (``pia.printable``), so a newline reads ``\\n`` and is not folded into a space."""
    return printable(value)


def location_kind(loc: dict[str, Any]) -> str:
    """``migration`` | ``file`` | ``object`` | ``db`` | ``other`` (see the report schema)."""
    if "file" in loc:
        return "migration"
    if "path" in loc:
        return "file"
    if "bucket" in loc:
        return "object"
    if "table" in loc or "column" in loc:
        return "db"
    return "other"


def db_parts(loc: dict[str, Any]) -> tuple[str, ...]:
    """The keys that name a database location: ``database, schema, table, column``, those
    present; a schema that is the database (MySQL's, where the two are one) is named once."""
    keys = [k for k in ("database", "schema", "table", "column") if loc.get(k)]
    if "database" in keys and "schema" in keys and loc["schema"] == loc["database"]:
        keys.remove("schema")
    return tuple(keys)


def location_text(loc: dict[str, Any]) -> str:
    """One line naming a location: ``db.schema.table.column``, ``path:line``,
    ``bucket/key:line``; an archive's member follows a ``!`` (``path!member:line``,
    ``bucket/key!member:line``); a field whose name said what its values are (a CSV header,
    a JSON or log key) follows in parentheses, as a migration's column does
    (``users.csv:2 (password)``, ``bucket/key:3 (password)``). A location whose names were
    masked ends with its name fingerprint's first digits after a ``#``
    (``scans/1101**********1233.jpg #9f1195fec524``): masks coincide, and two places must
    not read as one (``pia.masked_names.short_name_fingerprint``)."""
    # imported here: masked_names loads numpy (through masking), which pia --help and the
    # commands that render nothing need not pay for (tests/cli/test_cli_startup.py)
    from pia.masked_names import short_name_fingerprint

    text = _location_text(loc)
    mark = short_name_fingerprint(loc) if location_kind(loc) != "other" else None
    return f"{text} #{mark}" if mark else text


def _location_text(loc: dict[str, Any]) -> str:
    kind = location_kind(loc)
    if kind == "migration":
        text = f"{loc['file']}:{loc.get('line', 1)}"
        if loc.get("col"):
            text += f":{loc['col']}"
        target = ".".join(str(loc[k]) for k in ("table", "column") if loc.get(k))
        return f"{text} ({target})" if target else text
    if kind in ("file", "object"):  # an object's lines are as precise as a file's
        if kind == "file":
            text = str(loc["path"])
        else:
            text = f"{loc['bucket']}/{loc['key']}" if loc.get("key") else str(loc["bucket"])
            # a noncurrent version (--versions), as S3 names it
            text += f"?versionId={loc['version_id']}" if loc.get("version_id") else ""
        text += f"!{loc['member']}" if loc.get("member") else ""
        line = first_line(loc)
        text = f"{text}:{line}" if line else text
        return f"{text} ({loc['field']})" if loc.get("field") else text
    if kind == "db":
        return ".".join(str(loc[k]) for k in db_parts(loc))
    return ", ".join(f"{k}={v}" for k, v in sorted(loc.items()))


def finding_places(finding: dict[str, Any], lang: str) -> list[str]:
    """Where a finding is, one line each: its locations, with the entity type when the finding
    is about one (a column with IDs and mobiles has a finding per type, which looked like the
    same row twice), by its name in ``lang``; a declared asset's finding has no location, so it
    is named by the asset id and the scanned source it covers (an empty cell told a manager
    nothing)."""
    evidence = finding.get("evidence") or {}
    entity = evidence.get("entity_type")
    suffix = f" [{entity_label(entity, lang)}]" if isinstance(entity, str) and entity else ""
    locs = finding.get("locations") or []
    if locs:
        return [location_text(loc) + suffix for loc in locs]
    asset = evidence.get("asset")
    if isinstance(asset, str) and asset:
        source = finding.get("source")
        key = "asset_source_fmt" if source else "asset_fmt"
        return [t(key, lang).format(asset=asset, source=source_text(source) if source else "")
                + suffix]
    return []


def where(finding: dict[str, Any], lang: str) -> str:
    """A finding's first place, with how many more it has: ``path:42 (+1)``."""
    places = finding_places(finding, lang)
    text = places[0] if places else ""
    return text + (f" (+{len(places) - 1})" if len(places) > 1 else "")


def first_line(loc: dict[str, Any]) -> int | None:
    if loc.get("first_line"):
        return int(loc["first_line"])
    lines = loc.get("lines") or []
    return int(min(lines)) if lines else None


def source_text(uri: str) -> str:
    """Sources in a report are redacted already; redact again, never trust the input."""
    return redact(uri)


def acceptance(finding: dict[str, Any]) -> dict[str, Any] | None:
    """The risk acceptance a finding carries (``pia.yaml`` ``accept:``), live or lapsed.

    ``{"owner", "reason", "expires"}`` as strings (absent keys as ``""``, so old reports render)
    and ``lapsed``: the acceptance expired and the finding is open again. None without one.
    """
    acc = finding.get("acceptance")
    if not isinstance(acc, dict) or not acc:
        return None
    out: dict[str, Any] = {k: "" if acc.get(k) is None else str(acc[k])
                           for k in ("owner", "reason", "expires")}
    out["lapsed"] = finding.get("status", "open") == "open" and bool(acc.get("expired"))
    return out


def status_text(finding: dict[str, Any], lang: str) -> str:
    """待处理 / 已接受, or the open status with the date a lapsed acceptance expired on."""
    acc = acceptance(finding)
    if finding.get("status", "open") != "open":
        return t("accepted_status", lang)
    if acc and acc["lapsed"]:
        return t("lapsed_status_fmt", lang).format(date=acc["expires"] or "?")
    return t("open", lang)


def acceptance_fields(finding: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """``(label, value)`` rows of a finding's acceptance: owner, reason, expiry (or lapse:
    an acceptance holds through its expiry day, so it lapsed after it, not on it)."""
    acc = acceptance(finding)
    if acc is None:
        return []
    expiry = (t("expired_on", lang), t("lapsed_date_fmt", lang).format(date=acc["expires"])) \
        if acc["lapsed"] else (t("expires", lang), acc["expires"])
    return [(t("owner", lang), acc["owner"]), (t("reason", lang), acc["reason"]), expiry]


def expiry_text(finding: dict[str, Any], lang: str) -> str:
    """The expiry cell of the accepted-risks table: the date, or that it lapsed after it."""
    acc = acceptance(finding) or {}
    if acc.get("lapsed"):
        return t("lapsed_expiry_fmt", lang).format(date=acc["expires"])
    return str(acc.get("expires", ""))


def severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def sorted_findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Open before accepted, most severe first, then by rule and first location."""
    def key(f: dict[str, Any]) -> tuple:
        locs = f.get("locations") or [{}]
        return (f.get("status", "open") != "open", severity_rank(f["severity"]), f["rule_id"],
                location_text(locs[0]) if locs[0] else "")
    return sorted(report["findings"], key=key)


def groups(findings: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Sorted findings of one rule, severity and status together, in their order."""
    out: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for f in findings:
        out.setdefault((f["rule_id"], f["severity"], status_text(f, "en")), []).append(f)
    return list(out.values())


def by_rule(findings: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Sorted findings by rule, rules in the order of their first (most urgent) finding."""
    out: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        out.setdefault(f["rule_id"], []).append(f)
    return out


def accepted_rows(findings: list[dict[str, Any]], lang: str) -> list[tuple[str, str, str, str,
                                                                           str]]:
    """Who accepted which risk, why and until when: (rule, place, owner, reason, expiry);
    a lapsed acceptance says that it expired after its date."""
    rows = []
    for f in findings:
        acc = acceptance(f)
        if acc is not None:
            rows.append((f["rule_id"], where(f, lang), acc["owner"], acc["reason"],
                         expiry_text(f, lang)))
    return rows


def scope(report: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """Who was audited and how, as (label, value) rows: the organisation, the declaration
    used, the sampling, the declared assets nothing scanned fell under, the accept entries
    that accept critical findings or children's data or run past a year, the fingerprint
    key."""
    scan = report["scan"]
    declaration = scan.get("declaration") or {}
    organisation = declaration.get("organisation")
    if isinstance(organisation, dict):
        organisation = organisation.get("name")
    rows = []
    if isinstance(organisation, str) and organisation:
        rows.append((t("organisation", lang), organisation))
    if declaration.get("path"):
        digest = str(declaration.get("sha256") or "")[:12]
        rows.append((t("declaration", lang), str(declaration["path"])
                     + (f" (sha256 {digest}…)" if digest else "")))
    else:
        rows.append((t("declaration", lang), t("no_declaration", lang)))
    unmatched = declaration.get("unmatched_assets") or []
    if unmatched:
        rows.append((t("unmatched_assets", lang),
                     t("list_sep", lang).join(str(a) for a in unmatched)))
    serious = declaration.get("serious_accepts") or []
    if serious:  # a sign-off of critical findings or children's data, in plain sight
        rows.append((t("serious_accepts", lang), t("list_sep", lang).join(
            t("serious_accept_counts", lang).format(**entry) for entry in serious)))
    distant = declaration.get("distant_accepts") or []
    if distant:
        rows.append((t("distant_accepts", lang), t("list_sep", lang).join(
            t("distant_accept_until", lang).format(**entry) for entry in distant)))
    read_how = sampling(report, lang)  # only the kinds of sources scanned
    if read_how:
        rows.append((t("sampling", lang), t("list_sep", lang).join(read_how)))
    read = coverage(report, lang)
    if read:
        rows.append((t("coverage", lang), t("list_sep", lang).join(read)))
    if scan.get("fingerprint_key_id"):
        rows.append((t("fingerprint_key", lang), str(scan["fingerprint_key_id"])))
    rulesets = t("list_sep", lang).join(f'{r["id"]} {r.get("version", "")}'.strip()
                         for r in scan.get("rulesets", []))
    if rulesets:
        rows.append((t("rulesets", lang), rulesets))
    return rows


def coverage(report: dict[str, Any], lang: str) -> list[str]:
    """How much of each bucket was read: ``logs-bj/app: 200 of 1500 objects read``, named by
    the bucket and the prefix its source scanned. ``objects_listed`` and ``objects_sampled``
    (those selected) come from its fact; those read are its object facts (one per object
    read), so a bucket whose objects were refused, or an interrupted scan, says how many of
    those selected were not read, and why (``_unread``). A bucket whose fact has no counts
    (posture alone) is left out; so are those past ``DOCUMENT_LOCATIONS`` (the JSON report
    has every fact). A bucket whose listing was cut short says "at least" its count. The
    noncurrent versions read (``--versions``) are not among its objects."""
    read = _per_bucket(f for f in report.get("facts") or [] if f.get("kind") == "object"
                       and not (f.get("attributes") or {}).get("noncurrent"))
    denied = _per_bucket(s for s in report.get("skipped") or []
                         if s.get("reason") == "access denied"
                         and set(s.get("location") or {}) == {"bucket", "key"})
    out = []
    for fact in report.get("facts") or []:
        attrs = fact.get("attributes") or {}
        bucket = (fact.get("location") or {}).get("bucket")
        listed, sampled = attrs.get("objects_listed"), attrs.get("objects_sampled")
        if fact.get("kind") != "bucket" or not bucket or not isinstance(listed, int) \
                or isinstance(listed, bool) or not isinstance(sampled, int):
            continue
        where = (fact.get("source"), bucket)
        # a listing cut short (an outage, a timeout) counted only the objects it reached
        cut = attrs.get("listing_complete") is False
        text = counted("coverage_cut_fmt" if cut else "coverage_fmt", lang,
                       where=_scanned(str(bucket), fact.get("source")),
                       read=read[where], objects=listed)  # type: ignore[arg-type]
        if read[where] < sampled:
            text += _unread(sampled, read[where], denied[where], lang)
        out.append(text)
    hidden = len(out) - DOCUMENT_LOCATIONS
    return out[:DOCUMENT_LOCATIONS] + ([t("more_locations", lang).format(n=hidden)]
                                       if hidden > 0 else [])


def _per_bucket(records: Any) -> Counter[tuple[Any, Any]]:
    """How many of ``records`` (facts or skipped records) each (source, bucket) has."""
    return Counter((r.get("source"), (r.get("location") or {}).get("bucket")) for r in records)


def _unread(sampled: int, read: int, denied: int, lang: str) -> str:
    """`` (2 selected, 2 not read: 2 access denied)``: the objects of a bucket's sample that
    were not read, those refused (an object's own ``access denied`` record under
    ``skipped``) apart from the rest (failed, or not scanned when the scan was cut short)."""
    denied = min(denied, sampled - read)
    why = [counted(key, lang, n=n) for key, n in (("coverage_denied", denied),
                                                  ("coverage_failed", sampled - read - denied))
           if n]
    return counted("coverage_unread_fmt", lang, sampled=sampled, unread=sampled - read,
                   why=t("list_sep", lang).join(why))  # type: ignore[arg-type]


def _scanned(bucket: str, source: Any) -> str:
    """``bucket/prefix`` when the fact's source scanned a prefix of the bucket, else the
    bucket."""
    if isinstance(source, str) and source[:5].lower() == "s3://":
        named, _, prefix = source[5:].partition("/")
        if named == bucket and prefix:
            return f"{bucket}/{prefix}"
    return bucket


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """The report's own summary, with the optional counts defaulted: never recomputed."""
    s = dict(report["summary"])
    s.setdefault("accepted", 0)
    s.setdefault("skipped", 0)
    s["by_severity"] = {sev: int(s.get("by_severity", {}).get(sev, 0)) for sev in SEVERITY_ORDER}
    return s


def by_entity(report: dict[str, Any]) -> list[tuple[str, int]]:
    items = summary(report)["by_entity_type"].items()
    return sorted(items, key=lambda kv: (-kv[1], kv[0]))


def per_source(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Per scanned source: inventory items, sensitive items, open findings by severity."""
    rows: dict[str, dict[str, Any]] = {}

    def row(uri: str) -> dict[str, Any]:
        name = source_text(uri)
        return rows.setdefault(name, {"source": name, "items": 0, "sensitive": 0,
                                      "entities": Counter(), "findings": Counter()})
    for uri in report["scan"]["sources"]:
        row(uri)
    for item in report["inventory"]:
        r = row(item["source"])
        r["items"] += 1
        r["sensitive"] += bool(item.get("sensitive") or item.get("children_declared"))
        r["entities"][item["entity_type"]] += 1
    for finding in report["findings"]:
        if finding.get("status", "open") == "open" and finding.get("source"):
            row(finding["source"])["findings"][finding["severity"]] += 1
    return list(rows.values())


def summary_line(report: dict[str, Any], lang: str) -> str:
    """The one line ``--quiet`` prints and the terminal report starts with: the summary
    sentence led by ``pia:`` as the CLI's other lines are."""
    return t("cli_prefix", lang) + summary_sentence(report, lang)


def summary_sentence(report: dict[str, Any], lang: str) -> str:
    """The counts as one sentence, as a document's summary opens (without the CLI's
    ``pia:``, which read as a command's output in a report for managers)."""
    s = summary(report)
    severities = t("list_sep", lang).join(f"{t(sev, lang)} {n}"
                                          for sev, n in s["by_severity"].items())
    return counted("summary_line", lang, severities=severities, **{  # type: ignore[arg-type]
        k: s[k] for k in ("sources", "inventory_items", "findings", "accepted", "skipped")})


def not_evaluated_rules(report: dict[str, Any]) -> list[str]:
    """The distinct rules the scan did not evaluate, in their order."""
    return list(dict.fromkeys(str(n["rule_id"]) for n in report.get("not_evaluated") or []))


#: the hint is the last parenthesis, which holds none (``reasons._FOR``): a why may hold one,
#: ``region unknown (it could not be read)``, which was cut to "region unknown" (QA)
_UNDECIDED_FOR = re.compile(r"undecided for [^:]*: (?P<why>.*?)(?: \([^()]*\))?$", re.DOTALL)


def _reason_kind(reason: str) -> str:
    """A reason as the headline counts it: a rule left undecided for one subject (``undecided
    for path logs/app: log span unknown: … (hint)``) by why, not where, so that many log
    directories make one count; the report's other formats name each."""
    reason = reason.removeprefix("not evaluated: ")
    match = _UNDECIDED_FOR.match(reason)
    return f"undecided: {match.group('why').strip()}" if match else reason


def _reason_count(reason: str, count: int, lang: str) -> str:
    """``17 条因未提供处理活动清单（pia.yaml）而未评估`` (a reason pia has a counted sentence
    for: "17 条未提供处理活动清单" read as seventeen rules that failed to provide one, QA); any
    other reason said in ``lang`` after its count; a ruleset's own reason, in English, is set
    off by a space after the Chinese count (``1 条 custom``), as Chinese text sets off Latin
    words."""
    key = f"reason_count:{reason.removeprefix('not evaluated: ')}"
    if has_key(key):
        return t(key, lang).format(n=count)
    said = reason_label(reason, lang)
    if lang == "zh" and said[:1].isascii():
        said = " " + said
    return t("reason_count", lang).format(reason=said, n=count)


def inventory_shown(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The inventory items a document lists: at most ``DOCUMENT_INVENTORY``, shared evenly
    between the entity types (a type with fewer items leaves its share to the others), in the
    report's order. The first thousand alone were all resident IDs of 1,000 tables with an ID
    and a mobile each: not one mobile-number row was shown, nor could the page's filter find
    one. The JSON report lists every item."""
    items = report["inventory"]
    if len(items) <= DOCUMENT_INVENTORY:
        return list(items)
    by_type: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        by_type.setdefault(str(item.get("entity_type")), []).append(index)
    share, left = 0, DOCUMENT_INVENTORY
    sizes = sorted(len(indexes) for indexes in by_type.values())
    for n, size in enumerate(sizes):  # the smallest types take all they have, the rest share
        even = left // (len(sizes) - n)
        if size > even:
            share = even
            break
        left -= size
    else:
        share = max(sizes)
    extra = left - share * sum(len(i) > share for i in by_type.values())
    chosen: list[int] = []
    for indexes in by_type.values():  # a remainder goes to the first types, one each
        take = share + (1 if len(indexes) > share and extra > 0 else 0)
        extra -= take > share
        chosen += indexes[:take]
    return [items[index] for index in sorted(chosen)]


def skipped_shown(report: dict[str, Any], lang: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The skipped records a document lists, and the lines that count the rest.

    Records go by kind of reason (``pia.reports.reasons.kind``: "file vanished", "read in
    part: first … of … bytes"), the most frequent kind first, each kind's records in the
    report's order, at most ``DOCUMENT_SKIPPED`` of a kind and ``DOCUMENT_INVENTORY`` in all;
    a kind cut short is counted in a line of its own, with its first reason as the example.
    Every format but the JSON (the contract, which keeps every record) shows this."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for record in report.get("skipped") or []:
        by_kind.setdefault(kind(str(record.get("reason")), SKIPPED), []).append(record)
    shown: list[dict[str, Any]] = []
    notes: list[str] = []
    hidden_kinds = 0
    for records in sorted(by_kind.values(), key=len, reverse=True):
        room = min(DOCUMENT_SKIPPED, DOCUMENT_INVENTORY - len(shown))
        shown += records[:room]
        if len(records) <= room:
            continue
        if room <= 0:
            hidden_kinds += len(records)
            continue
        notes.append(t("more_skipped", lang).format(
            n=len(records) - room, reason=skipped_label(str(records[0]["reason"]), lang)))
    if hidden_kinds:
        notes.append(t("more_locations", lang).format(n=hidden_kinds))
    return shown, notes


def headlines(report: dict[str, Any], lang: str) -> list[str]:
    """What was not checked, said at the top: rules not evaluated and locations skipped (a
    clean summary line reads as compliant otherwise)."""
    out = []
    rules = len(not_evaluated_rules(report))
    if rules:
        reasons = Counter(_reason_kind(str(n["reason"])) for n in report["not_evaluated"])
        said = sorted((reason_label(reason, lang), reason, count)
                      for reason, count in reasons.items())
        listed = t("reasons_sep", lang).join(
            _reason_count(reason, count, lang) if len(reasons) > 1 else label
            for label, reason, count in said)
        out.append(counted("not_evaluated_headline", lang, n=rules, reasons=listed))
    if report["skipped"]:
        out.append(counted("skipped_headline", lang, n=len(report["skipped"])))
    return out
