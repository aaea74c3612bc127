"""The evaluator: rules × subjects → findings, deterministically.

A *subject* is what a rule is asked about: one inventory item (``item``), one metadata fact
(``fact:bucket``, ``fact:column``...), one declared asset (``asset``) or the organisation
(``organisation``). For each subject the engine builds a context — plain data under a few
names the condition language can reach — and a rule fires when its ``when`` is definitely true:

- ``item`` / ``fact``: the subject itself; ``scope``, ``source``, ``location``.
- ``database``, ``table``, ``column``, ``file``, ``log_dir``, ``bucket``, ``object``,
  ``migration``: the *attributes* of the subject's own fact and of the facts that contain it
  (an item in column ``t.c`` sees the ``column`` and ``table`` facts of ``t.c``).
- ``pi``: what the inventory holds in the subject: ``items``, ``count``, ``entity_types``,
  ``sensitive``, ``minors_count``.
- ``age``: ``oldest_days``, ``newest_days``, ``last_modified_days``: days before ``today``
  (and the timestamps themselves); for a log directory, over its whole subtree, none
  when that subtree's oldest log lies in a subdirectory holding logs of its own (whose
  own subject then reports it).
- ``asset`` (the declared asset covering the subject, with ``retention_days`` and its
  ``cross_border`` entries), ``org``,
  ``policy`` (``min_log_retention_days`` ≥ 180, ``max_pi_retention_days``; for a database
  subject ``deletion_grace_days``, from its asset, the organisation or the default, and
  ``deletion_grace_from`` saying which), ``declaration``.

A rule with ``triggers`` (named conditions, e.g. PIPL 55's sensitive PI, provision to other
processors, transfer abroad) fires when ``when`` and at least one trigger hold; its finding names
those in ``evidence.triggers`` and cites only the references without triggers and those naming
one that holds, so a finding never cites a clause its subject does not meet.

Severity rises one level (to at most critical) when the subject holds minors' data, unless
the rule says ``escalate_minors: false`` (CONTROLS.md: "Severity rises one level for
sensitive PI or minors' data"). Sensitivity is in the base severity of the rules about
sensitive PI; a rule whose base severity is that of general PI says ``escalate_sensitive:
true`` and rises one level for an item of sensitive PI by its kind, once (children's data
raised it already, or it did not rise). A
column, an item, a table, a file or an object holds minors' data when its table (log file,
object) counts children in any column: a child's name and phone are children's data as much
as the birth date that tells its age. A database, log directory, bucket, asset or the
organisation holds those its ``pi.minors_count`` counts.
"""

from __future__ import annotations

import calendar
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pia.detection.persons import ADULTS, adult_named
from pia.entities import NOT_PERSONAL
from pia.errors import ConfigError
from pia.report import item_sort_key, location_key
from pia.rules import conditions
from pia.rules.acceptance import apply_acceptance
from pia.rules.access import pi_columns, pi_grants
from pia.rules.conditions import UNDECIDED
from pia.rules.findings import finding_key, group_by_location, make_finding
from pia.rules.index import Index, ages, item_scope, summarise
from pia.rules.loader import Ruleset
from pia.rules.predicates import PREDICATES

#: The engine's evaluation semantics, recorded in every evaluated report (``tool.rules``).
#: Bump it with any change here, in the predicates, the index or acceptance that makes the same
#: rulesets, declaration and evidence give other findings (a day counted in Beijing rather
#: than UTC, minors counted per table): ``pia bundle verify`` re-derives a bundle's findings
#: with its own engine, and when they differ this number tells a regulator that the bundle
#: needs the pia that made it, not that it was forged (``pia.bundle.versions``: a bundle of
#: a newer engine is not judged at all, one of an older engine whose findings differ is
#: undecided, exit 2). 2: an image member of an archive (``logs/backup.zip!faces/u1.png``) is
#: an image file (``image_file``), as a loose one was. 3: a rule left undecided because a
#: predicate could not answer (a bucket region of unknown jurisdiction for CSL-37/PIPL-38, a
#: replication that could not be read) is listed in ``not_evaluated`` with the subjects and
#: why (``UNDECIDED``), where it passed in silence. 4: a log directory whose oldest log lies in
#: a subdirectory holding logs of its own leaves CSL-21-LOG-RETENTION to that subdirectory
#: (``logs`` and ``logs/app`` reported the same oldest log twice). 5: a log directory of
#: unknown span (files not read in full, or only empty logs) leaves CSL-21-LOG-RETENTION
#: undecided, listed in ``not_evaluated`` with why, where it passed in silence. 6: a log
#: directory some of whose files were not read in full passes when the entries read already
#: go back far enough (a missing part only makes the span longer), and is undecided only
#: when they do not; each subject a rule leaves undecided has its own ``not_evaluated``
#: entry, with its ``source`` and ``location``. 7: a column a name calls resident IDs whose
#: values have an ID's shape but fail the check digit leaves the plaintext rules undecided,
#: listed in ``not_evaluated`` with why (their values do not validate, as PIPL-28 asks).
#: 8: the predicates ``sensitive_type`` and ``children_data`` (an item's whole table, file
#: or object counts children under 14: ``pi.holder_minors_count``), which cn-pipl 2026.18
#: reads; a pia of engine 7 does not know them. 9: an item whose ``data_subject`` is an adult
#: beside the children (``guardian``, ``contact``) is no child's data: it neither counts as
#: ``children_data`` nor raises a severity for minors; engine 8 read it as the children's.
#: 10: a file, object or log directory whose masked path coincides with another's
#: (``logs/1101**********1237.log`` for two IDs) is judged on its own facts and holds its own
#: items, found by its ``path_fingerprints``; engine 9 took the first of them for all.
#: 11: the PI of an asset declared ``minors: true`` is children's data (``children_data``,
#: ``has_minors``, ``sensitive``, a severity raised for minors) though no age under 14 was
#: seen, and the evidence says so (``minors_from: declared``); engine 10 counted only the
#: children whose ages it saw, so a table of pupils' names alone was nobody's in particular.
#: 12: an item of sensitive PI raises the severity of a rule saying ``escalate_sensitive``
#: (CSL-42-PI-IN-LOGS: a resident ID in a log is critical, as in a column); the consent
#: predicates are unknown, not false, for an asset that lists no activity; CSL 21(三)'s "不少于
#: 六个月" is six calendar months before the scan date (181 to 184 days), not 180 days; a
#: database is where its asset's declared ``region`` says. 13: a number a file's name or an
#: object's key holds (``origin: name``, ``name_item``) is no log line: CSL-42-PI-IN-LOGS
#: leaves it aside and PIPL-28-SENSITIVE-PLAINTEXT judges it as stored PI; engine 12 reported
#: a clean ``logs/13800138000.log`` as PI in logs. 14: the PI of an asset declared ``minors:
#: true`` (an adult's beside it excepted) is sensitive wherever sensitive PI is counted, not
#: only in the item's own findings: the ``pi.sensitive`` of the facts, assets and organisation
#: holding it, and the organisation holds children's data (``minors_from: declared``, PIPL-54
#: raised for it as for children seen); ``apply_rules`` marks those items
#: ``children_declared`` in the inventory. Engine 13 counted only what the scan marked.
#: 15: the predicate ``retention_undated`` (a table of PI whose asset declares
#: ``retention.period`` and no ``retention.timestamp_column``), which cn-pipl 2026.25 reads:
#: PIPL-19-OVER-RETENTION is undecided for such a table, listed in ``not_evaluated`` with
#: the column to declare, where engine 14 passed it in silence.
#: 16: a reference saying ``raised_for: sensitive`` is cited only by a finding raised for
#: sensitive PI (PIPL 28 beside PIPL-73's digest of resident IDs, not of mobiles); engine 15
#: cited it always. A group of one location's findings cites what its most severe one does.
#: cn-pipl 2026.26 raises PIPL-6-MINIMISATION and PIPL-73-PSEUDONYM-REVERSIBLE for sensitive
#: PI with it. Since 16 too, an accepted finding's ``accept.reason`` and ``owner`` are
#: written masked (a resident ID quoted in a reason was written raw by engine 15).
ENGINE = 16

NO_DECLARATION = "not evaluated: no declaration"
#: what PIPL-19 says of a timestamp column whose connector did not count the rows past the
#: period (counting them is a full scan of a table that may have no index on that column)
ROWS_NOT_COUNTED = "not counted: the scan reads only the column's oldest and newest values"
#: Entity types that identify one person each: their distinct count estimates the subjects.
IDENTIFIERS = frozenset({"CN_RESIDENT_ID", "CN_MOBILE", "EMAIL_ADDRESS", "CN_PASSPORT"})
FACT_SCOPES = {"database": "db", "table": "db", "column": "db", "file": "log", "log_dir": "log",
               "bucket": "object", "object": "object", "migration": "migration"}
#: facts whose findings rise for the children of the table, file or object they belong to
HELD = frozenset({"table", "column", "file", "object"})
#: subjects of an undecided rule given a ``not_evaluated`` entry each; the rest are counted
UNDECIDED_SHOWN = 10
#: the age in days of a part not read, as ``_judge`` supposes it: older than any period
UNBOUNDED_DAYS = 10**6


def six_months_days(today: date) -> int:
    """The days from six calendar months before ``today`` (China's date) to it: CSL 21(三)
    asks logs be kept "不少于六个月", which 180 days falls short of by one to four days
    (QA). A day the earlier month lacks (31 August back to 29 February) is its last."""
    month = today.month - 6
    year, month = (today.year - 1, month + 12) if month <= 0 else (today.year, month)
    day = min(today.day, calendar.monthrange(year, month)[1])
    return (today - date(year, month, day)).days


def _an_adults(item: dict[str, Any], column: dict[str, Any] | None) -> bool:
    """Whether an item is an adult's PI beside children's: its ``data_subject`` says so, which
    a connector writes where it saw children; where it saw none, the name of its column (with
    the column's comment) or field names the guardian or a contact (监护人手机,
    ``guardian.mobile``: ``persons.adult_named``)."""
    if item.get("data_subject") in ADULTS:
        return True
    loc = item["location"]
    name = loc.get("column") or loc.get("field")
    comment = (column or {}).get("attributes", {}).get("comment") if loc.get("column") else None
    return bool(name) and adult_named(str(name), comment) is not None


def _minors_from(ctx: dict[str, Any], observed: int, adults: bool = False) -> bool:
    """Say in the subject's ``pi.minors_from`` where its children's data was learnt:
    ``observed`` (an age under 14 seen in its table, file or object), or ``declared`` when
    none was but its asset says ``minors: true`` and it holds PI that is no adult's beside
    the children (``adults``: a guardian's column): a table of pupils' names without their
    birth dates is children's data all the same, which only the organisation can say. True
    when declared (the predicates ``children_data``, ``has_minors`` and ``sensitive`` read
    it, and a finding's severity rises for it as for children seen)."""
    pi = ctx["pi"]
    if observed > 0:
        pi["minors_from"] = "observed"
    elif not adults and pi.get("items") and (ctx.get("asset") or {}).get("minors") is True:
        pi["minors_from"] = "declared"
    return pi.get("minors_from") == "declared"


@dataclass
class Result:
    findings: list[dict[str, Any]] = field(default_factory=list)
    not_evaluated: list[dict[str, Any]] = field(default_factory=list)
    #: inventory items the scan did not mark sensitive that are children's PI because their
    #: asset declares ``minors: true`` (PIPL 28), an adult's beside them excepted
    children_declared: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Subject:
    kind: str
    scope: str | None
    source: str
    location: dict[str, Any]
    ctx: dict[str, Any]
    entity_type: str | None = None
    #: the children whose data the subject holds, which raise its findings' severity: for a
    #: column, an item or a table, those of its whole table (or log file, or object)
    minors: int = 0
    #: no age under 14 was seen, but the subject's asset declares ``minors: true`` and the
    #: subject holds PI that is no adult's: its PI is children's data all the same
    #: (``pi.minors_from``)
    minors_declared: bool = False
    #: why the subject's own facts leave its rules unknown (what, hint), said when a rule it
    #: is asked about is undecided: a log directory's span that is unknown
    unknown: list[tuple[str, str]] = field(default_factory=list)


class Evaluation:
    """One evaluation run: builds the subjects once, then asks every rule about them."""

    def __init__(self, inventory, facts, declaration, today: date) -> None:
        inventory = sorted(inventory, key=item_sort_key)
        facts = sorted(facts, key=lambda f: (f["kind"], f["source"], location_key(f["location"])))
        self.index = Index(inventory, facts)
        self.inventory = inventory
        self.declaration = declaration
        self.today = today
        self._asset_cache: dict[str, dict | None] = {}
        self.base: dict[str, Any] = {"today": today}
        policy: dict[str, Any] = {"min_log_retention_days": six_months_days(today)}
        if declaration is not None:
            data = declaration.data
            self.base["declaration"] = data
            self.base["org"] = data.get("organisation", {})
            log_policy = data.get("log_policy", {})
            policy["min_log_retention_days"] = max(
                policy["min_log_retention_days"], log_policy.get("min_retention_days", 0))
            if "max_pi_retention_days" in log_policy:
                policy["max_pi_retention_days"] = log_policy["max_pi_retention_days"]
        self.base["policy"] = policy
        self.subjects: dict[str, list[Subject]] = {}
        from pia.declaration import DEFAULT_DELETION_GRACE_DAYS  # it imports pia.rules
        self.default_grace = (DEFAULT_DELETION_GRACE_DAYS, "default")
        self.children_declared = self._declared_children()
        self.children = frozenset(id(item) for item in self.children_declared)

    def _declared_children(self) -> list[dict[str, Any]]:
        """The items the scan did not mark sensitive that are children's PI all the same:
        their asset declares ``minors: true`` and they are no adult's (a guardian's or a
        contact's column, ``_an_adults``). PIPL 28 makes a child's PI sensitive whatever its
        type, so what counts sensitive PI (``summarise``, the report's inventory) counts
        them, as the item's own rules do (``pi.minors_from: declared``)."""
        if self.declaration is None or not any(a.get("minors") is True
                                               for a in self.declaration.assets):
            return []
        out = []
        for item in self.inventory:
            if item.get("sensitive") or item.get("entity_type") in NOT_PERSONAL:
                continue
            source, loc = item["source"], item["location"]
            if (self.asset(source, loc) or {}).get("minors") is not True:
                continue
            column = self.index.related(source, loc, item_scope(loc)).get("column")
            if not _an_adults(item, column):
                out.append(item)
        return out

    def asset(self, source: str, loc: dict) -> dict | None:
        if self.declaration is None:
            return None
        key = json.dumps([source, loc.get("path"), loc.get("bucket"), loc.get("key"),
                          loc.get("database")])
        if key not in self._asset_cache:
            found = self.declaration.asset_for(source, loc)
            self._asset_cache[key] = None if found is None else self._enrich(found)
        return self._asset_cache[key]

    def _enrich(self, asset: dict[str, Any]) -> dict[str, Any]:
        """The asset as rules see it: its declaration plus ``retention_days`` and its
        ``cross_border`` entries (where it goes, to whom, under which mechanism)."""
        out = dict(asset)
        days = self.declaration.retention_days(asset)
        if days is not None:
            out["retention_days"] = days
        transfers = [dict(t) for t in self.declaration.data.get("cross_border", [])
                     if t.get("asset") == asset["id"]]
        if transfers:
            out["cross_border"] = transfers
        return out

    def _context(self, source, loc, scope, related, own_attrs, pi) -> dict[str, Any]:
        ctx = {**self.base, "scope": scope, "source": source, "location": loc, "pi": pi}
        if scope in ("db", "object") and "max_pi_retention_days" in self.base["policy"]:
            # log_policy.max_pi_retention_days is a period for logs, not tables or objects
            ctx["policy"] = {k: v for k, v in self.base["policy"].items()
                             if k != "max_pi_retention_days"}
        for kind, fact in related.items():
            ctx[kind] = fact["attributes"]
        ctx["age"] = ages(own_attrs, self.today)
        asset = self.asset(source, loc)
        if asset is not None:
            ctx["asset"] = asset
        if scope == "db":  # how long rows marked deleted may keep PI (PIPL-47-DELETE)
            days, said = (self.default_grace if self.declaration is None
                          else self.declaration.deletion_grace(asset))
            ctx["policy"] = {**ctx["policy"], "deletion_grace_days": days,
                             "deletion_grace_from": said}
        return ctx

    def _build(self, kind: str) -> list[Subject]:
        out = []
        if kind == "item":
            for item in self.inventory:
                loc, source = item["location"], item["source"]
                scope = item_scope(loc)
                related = self.index.related(source, loc, scope)
                own = next((related[k] for k in ("column", "object", "file") if k in related),
                           None)
                pi = summarise([item], [related["column"]] if "column" in related else [],
                               self.children)
                # the children of its whole table, file or object (``children_data``); a
                # guardian's or an emergency contact's column beside them is an adult's PI
                pi["holder_minors_count"] = (0 if item.get("data_subject") in ADULTS
                                             else self.index.holder_minors(source, loc))
                ctx = self._context(source, loc, scope, related,
                                    own["attributes"] if own else {}, pi)
                ctx["item"] = item
                ctx["subject"] = "item"
                declared = _minors_from(ctx, pi["holder_minors_count"],
                                        _an_adults(item, related.get("column")))
                out.append(Subject("item", scope, source, loc, ctx, item["entity_type"],
                                   pi["holder_minors_count"], declared))
        elif kind.startswith("fact:"):
            fact_kind = kind[5:]
            for fact in self.index.facts.get(fact_kind, []):
                loc, source = fact["location"], fact["source"]
                scope = FACT_SCOPES[fact_kind]
                related = self.index.related(source, loc, scope)
                related[fact_kind] = fact
                items = self.index.contained(fact)
                pi = summarise(items, [fact] if fact_kind == "column" else [], self.children)
                own = fact["attributes"]
                if fact_kind == "log_dir":
                    own = self.index.log_tree_span(fact)
                if fact_kind == "table":  # who reaches its PI columns, by any route
                    pi["columns"] = pi_columns(items)
                    reach = pi_grants(own, pi["columns"])
                    if reach is not None:
                        pi["grants"] = reach
                if fact_kind == "column":  # a timestamp column's table holds the PI it dates
                    table = summarise(self.index.by_table[(source, loc.get("table"))],
                                      children=self.children)
                    pi.update(table_items=table["items"],
                              table_entity_types=table["entity_types"])
                ctx = self._context(source, loc, scope, related, own, pi)
                if fact_kind == "column" and "oldest_days" in ctx["age"]:
                    ctx["age"]["rows_past_period"] = own.get("rows_past_period", ROWS_NOT_COUNTED)
                ctx["fact"] = fact
                ctx["subject"] = kind
                # a guardian's (a contact's) column beside children's rows: an adult's PI
                guardians = fact_kind == "column" and bool(items) and all(
                    i.get("data_subject") in ADULTS for i in items)
                minors = (self.index.holder_minors(source, loc)
                          if fact_kind in HELD and not guardians else pi.get("minors_count", 0))
                unknown = (self.index.log_tree_unknown(fact) if fact_kind == "log_dir"
                           else [])
                column = fact if fact_kind == "column" else None
                adults = bool(items) and all(_an_adults(i, column) for i in items)
                out.append(Subject(kind, scope, source, loc, ctx, minors=minors,
                                   minors_declared=_minors_from(ctx, minors, adults),
                                   unknown=unknown))
        elif kind == "asset" and self.declaration is not None:
            by_asset: dict[str, list[dict]] = defaultdict(list)
            for item in self.inventory:
                asset = self.asset(item["source"], item["location"])
                if asset is not None:
                    by_asset[asset["id"]].append(item)
            for asset in self.declaration.assets:
                items = by_asset.get(asset["id"], [])
                # shown against the scanned source it covers (the pattern when none was seen)
                source = min((i["source"] for i in items), default=asset["source"])
                enriched = {**self._enrich(asset),
                            "scopes": sorted({item_scope(i["location"]) for i in items})}
                ctx = {**self.base, "scope": None, "source": source, "location": {},
                       "pi": summarise(items, self._column_facts(items), self.children),
                       "asset": enriched, "subject": "asset",
                       "holders": self._holders(items)}
                minors = ctx["pi"].get("minors_count", 0)
                out.append(Subject("asset", None, source, {}, ctx, minors=minors,
                                   minors_declared=_minors_from(ctx, minors)))
        elif kind == "organisation" and self.declaration is not None:
            pi = summarise(self.inventory, children=self.children)
            estimates = [f["attributes"]["distinct_estimate"] for f in self.index.facts["column"]
                         if isinstance(f["attributes"].get("distinct_estimate"), int)
                         and any(i["entity_type"] in IDENTIFIERS
                                 for i in self.index.contained(f))]
            if estimates:
                pi["subjects_estimate"] = max(estimates)
            ctx = {**self.base, "scope": None, "source": "", "location": {}, "pi": pi,
                   "subject": "organisation"}
            # an organisation whose declared children no age showed holds children's data
            # all the same, as each of its assets does (``_minors_from``)
            declared = not pi.get("minors_count") and bool(self.children_declared)
            if declared:
                pi["minors_from"] = "declared"
            out.append(Subject("organisation", None, "", {}, ctx,
                               minors=pi.get("minors_count", 0), minors_declared=declared))
        return out

    def _holders(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The buckets and databases holding items, once each, as their region facts with
        the kind of store (``store``: a database's place is its asset's declared region, and
        the hint for an unknown one differs; ``stored_outside_mainland`` judges where the
        asset's PI is observed)."""
        found: dict[int, dict[str, Any]] = {}
        for item in items:
            scope = item_scope(item["location"])
            if scope not in ("db", "object"):
                continue
            related = self.index.related(item["source"], item["location"], scope)
            store = "bucket" if scope == "object" else "database"
            fact = related.get(store)
            if fact is not None:
                found.setdefault(id(fact), {**fact["attributes"], "store": store})
        return list(found.values())

    def _column_facts(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The column facts of database items, once each: a database counts its minors per
        column, so an asset's findings (PIPL-29, PIPL-55) rise for children's data too."""
        found: dict[int, dict[str, Any]] = {}
        for item in items:
            if item_scope(item["location"]) == "db":
                fact = self.index.related(item["source"], item["location"], "db").get("column")
                if fact is not None:
                    found.setdefault(id(fact), fact)
        return list(found.values())

    def subjects_for(self, kind: str) -> list[Subject]:
        if kind not in self.subjects:
            self.subjects[kind] = self._build(kind)
        return self.subjects[kind]


def _truth(ruleset: Ruleset, rule: Any, cond: Any, ctx: dict[str, Any]) -> bool | None:
    """``cond`` of a subject: true, false or unknown (None)."""
    try:
        return conditions.evaluate(cond, ctx, PREDICATES)
    except conditions.TooCostly as err:
        raise ConfigError(f"rule {rule.id} of ruleset {ruleset.id}: {err}") from None


def _judge_once(ruleset: Ruleset, rule: Any, subject: Subject
                ) -> tuple[list[str] | None, list]:
    notes: list[tuple[str, str]] = list(subject.unknown)
    subject.ctx[UNDECIDED] = notes
    held = _truth(ruleset, rule, rule["when"], subject.ctx)
    if held is not True:
        return None, notes if held is None else []
    if not rule.get("triggers"):
        return [], []
    notes.clear()
    truths = {name: _truth(ruleset, rule, cond, subject.ctx)
              for name, cond in rule["triggers"].items()}
    fired = [name for name, truth in truths.items() if truth is True]
    if fired:
        return fired, []
    return None, notes if None in truths.values() else []


def _judge(ruleset: Ruleset, rule: Any, subject: Subject) -> tuple[list[str] | None, list]:
    """(the triggers that hold, ``[]`` for a rule without them; None when the rule does not
    fire) and why it could not be decided: the predicates' notes (``UNDECIDED``) when
    ``when``, or every trigger that is not false, is unknown.

    A subject whose oldest date is only bounded (a log directory with files not read in
    full: ``subject.unknown``, and ``age.oldest_days`` the oldest entry read) is judged at
    that bound and as if the part not read were older than anything: the same answer both
    ways is decided (a directory whose logs read already go back 329 days keeps them six
    months, whatever the rest holds); different answers leave the rule undecided."""
    age = subject.ctx.get("age") or {}
    if not subject.unknown or "oldest_days" not in age:
        return _judge_once(ruleset, rule, subject)
    near = _judge_once(ruleset, rule, subject)
    subject.ctx["age"] = {**age, "oldest_days": UNBOUNDED_DAYS}
    try:
        far = _judge_once(ruleset, rule, subject)
    finally:
        subject.ctx["age"] = age
    if near[0] == far[0] and not (near[0] is None and (near[1] or far[1])):
        return near
    return None, near[1] or far[1] or list(subject.unknown)


def _subject_name(subject: Subject) -> str:
    """``bucket logs-bj``, ``database crm``, ``asset crm-users``: what an undecided rule was
    asked about."""
    if subject.kind == "asset":
        return f"asset {subject.ctx['asset'].get('id')}"
    loc = subject.location
    named = [f"{k} {loc[k]}" for k in ("bucket", "database", "table", "path") if k in loc]
    return " ".join(named) or subject.source or subject.kind


def _undecided_entries(ruleset: Ruleset, rule: Any,
                       undecided: list[tuple[Subject, list]]) -> list[dict[str, Any]]:
    """The ``not_evaluated`` entries of a rule some subjects left undecided: one for each
    subject (the first ``UNDECIDED_SHOWN``), naming it with why and how to decide it, and
    its ``source`` and ``location`` when it has one (QA: several log directories pooled in
    one entry, their hints after the last of them, the entry at no location); one more
    counts the rest, with their hints."""
    out: list[dict[str, Any]] = []
    for subject, notes in undecided[:UNDECIDED_SHOWN]:
        why = "; ".join(dict.fromkeys(w for w, _ in notes))
        hints = "; ".join(dict.fromkeys(h for _, h in notes))
        out.append({"rule_id": rule.id, "ruleset": ruleset.id,
                    "reason": f"undecided for {_subject_name(subject)}: {why} ({hints})",
                    **({"source": subject.source, "location": dict(subject.location)}
                       if subject.location else {})})
    rest = undecided[UNDECIDED_SHOWN:]
    if rest:
        hints = "; ".join(dict.fromkeys(h for _, notes in rest for _, h in notes))
        out.append({"rule_id": rule.id, "ruleset": ruleset.id,
                    "reason": f"undecided for {len(rest)} more ({hints})"})
    return out


def evaluate(
    rulesets: list[Ruleset],
    inventory: list[dict[str, Any]],
    facts: list[dict[str, Any]],
    declaration: Any = None,
    *,
    today: date,
    scope: set[str] | None = None,
) -> Result:
    """Findings of every rule over the inventory, the facts and the declaration.

    ``scope`` narrows evaluation (``{"migration"}`` for check-migrations): a rule runs when
    its scope meets it, over the items and facts of those scopes (and, for declaration-level
    rules, over assets and the organisation). The same inputs always give the same result.
    """
    run = Evaluation(inventory, facts, declaration, today)
    result = Result(children_declared=list(run.children_declared))
    for ruleset in rulesets:
        for rule in ruleset.rules:
            scopes = set(rule["scope"]) if scope is None else set(rule["scope"]) & set(scope)
            if not scopes:
                continue
            if rule.requires_declaration and declaration is None:
                result.not_evaluated.append(
                    {"rule_id": rule.id, "ruleset": ruleset.id, "reason": NO_DECLARATION})
                continue
            found: dict[str, dict[str, Any]] = {}
            undecided: list[tuple[Subject, list]] = []
            for kind in rule["applies_to"]:
                for subject in run.subjects_for(kind):
                    if subject.scope is not None and subject.scope not in scopes:
                        continue
                    fired, notes = _judge(ruleset, rule, subject)
                    if fired is None:
                        if notes:
                            undecided.append((subject, notes))
                        continue
                    finding = make_finding(ruleset, rule, subject, fired or None)
                    found.setdefault(finding["fingerprint"], finding)
            if undecided:
                result.not_evaluated.extend(_undecided_entries(ruleset, rule, undecided))
            findings = list(found.values())
            if rule.get("group_by") == "location":
                findings = group_by_location(findings)
            result.findings.extend(findings)
    if declaration is not None:
        apply_acceptance(result.findings, declaration.data.get("accept", []), today,
                         declaration.base_dir, declaration.cwd)
    result.findings.sort(key=finding_key)
    result.not_evaluated.sort(key=lambda n: (n["ruleset"], n["rule_id"]))
    return result
