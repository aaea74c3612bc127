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
  (and the timestamps themselves); for a log directory, over its whole subtree.
- ``asset`` (the declared asset covering the subject, with ``retention_days``), ``org``,
  ``policy`` (``min_log_retention_days`` ≥ 180, ``max_pi_retention_days``), ``declaration``.

Severity rises one level (to at most critical) when the subject holds minors' data
(``pi.minors_count`` > 0), unless the rule says ``escalate_minors: false`` (CONTROLS.md:
"Severity rises one level for sensitive PI or minors' data"; sensitivity is already in each
rule's base severity).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pia.entities import NOT_PERSONAL
from pia.report import SEVERITIES, item_sort_key, location_key
from pia.rules import conditions
from pia.rules.acceptance import apply_acceptance
from pia.rules.loader import Rule, Ruleset
from pia.rules.predicates import PREDICATES
from pia.uri import redact

MIN_LOG_RETENTION_DAYS = 180  # CSL 21(三): 不少于六个月
NO_DECLARATION = "not evaluated: no declaration"
LINE_FIELDS = frozenset({"line", "col", "lines", "first_line"})
#: Entity types that identify one person each: their distinct count estimates the subjects.
IDENTIFIERS = frozenset({"CN_RESIDENT_ID", "CN_MOBILE", "EMAIL_ADDRESS", "CN_PASSPORT"})
FACT_SCOPES = {"database": "db", "table": "db", "column": "db", "file": "log", "log_dir": "log",
               "bucket": "object", "object": "object", "migration": "migration"}


@dataclass
class Result:
    findings: list[dict[str, Any]] = field(default_factory=list)
    not_evaluated: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Subject:
    kind: str
    scope: str | None
    source: str
    location: dict[str, Any]
    ctx: dict[str, Any]
    entity_type: str | None = None


def item_scope(location: dict[str, Any]) -> str:
    if "file" in location and "line" in location:
        return "migration"
    if "bucket" in location:
        return "object"
    if "path" in location:
        return "log"
    return "db"


def _same(a: dict[str, Any], b: dict[str, Any], keys: tuple[str, ...]) -> bool:
    """Locations agree on every key both of them know."""
    return all(a.get(k) in (None, b.get(k)) or b.get(k) is None for k in keys)


def _day(value: Any) -> date | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC).date()
        except (ValueError, OverflowError, OSError):
            return None
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _ages(attrs: dict[str, Any], today: date) -> dict[str, Any]:
    out = {}
    for name in ("oldest", "newest", "last_modified", "mtime"):
        day = _day(attrs.get(name))
        if day is not None:
            out[f"{name}_days"] = (today - day).days
            out[name] = attrs[name]
    return out


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def summarise(items: list[dict[str, Any]], minors_facts: list[dict[str, Any]] = ()) -> dict:
    """What the inventory holds in a subject (ignoring non-personal types such as USCC)."""
    pi = [i for i in items if i.get("entity_type") not in NOT_PERSONAL]
    minors = [i["evidence"]["minors_count"] for i in pi
              if _count(i.get("evidence", {}).get("minors_count"))]
    minors += [f["attributes"]["minors_count"] for f in minors_facts
               if _count(f.get("attributes", {}).get("minors_count"))]
    out: dict[str, Any] = {
        "items": len(pi),
        "count": sum(i.get("count", 0) for i in pi),
        "entity_types": sorted({i["entity_type"] for i in pi}),
        "sensitive": any(i.get("sensitive") for i in pi),
    }
    if minors:
        out["minors_count"] = sum(minors)
    return out


def _fact_key(fact: dict[str, Any]) -> tuple | None:
    """How a fact is looked up from the locations it contains."""
    kind, loc = fact["kind"], fact["location"]
    if kind == "database":
        return (kind, fact["source"])
    if kind == "file":
        return (kind, loc.get("path"))
    if kind == "log_dir":
        return (kind, str(loc.get("path", "")).rstrip("/") or "/")
    if kind == "bucket":
        return (kind, loc.get("bucket"))
    if kind == "object":
        return (kind, loc.get("bucket"), loc.get("key"))
    return None


class Index:
    """Inventory and facts indexed by location, so each subject finds what contains it."""

    def __init__(self, inventory: list[dict], facts: list[dict]) -> None:
        self.facts: dict[str, list[dict]] = defaultdict(list)
        for fact in facts:
            self.facts[fact["kind"]].append(fact)
        self.by_table: dict[tuple, list[dict]] = defaultdict(list)
        self.by_source: dict[str, list[dict]] = defaultdict(list)
        self.by_path: dict[str, list[dict]] = defaultdict(list)
        self.by_bucket: dict[str, list[dict]] = defaultdict(list)
        self.by_file: dict[str, list[dict]] = defaultdict(list)
        for item in inventory:
            loc = item["location"]
            scope = item_scope(loc)
            if scope == "db":
                self.by_source[item["source"]].append(item)
                self.by_table[(item["source"], loc.get("table"))].append(item)
            elif scope == "log":
                self.by_path[loc["path"]].append(item)
            elif scope == "object":
                self.by_bucket[loc["bucket"]].append(item)
            else:
                self.by_file[loc["file"]].append(item)
        self._column_facts = defaultdict(list)
        self._table_facts = defaultdict(list)
        for fact in self.facts["column"]:
            loc = fact["location"]
            self._column_facts[(fact["source"], loc.get("table"), loc.get("column"))].append(fact)
        for fact in self.facts["table"]:
            self._table_facts[(fact["source"], fact["location"].get("table"))].append(fact)
        self._keyed: dict[tuple, list[dict]] = defaultdict(list)
        for fact in facts:
            key = _fact_key(fact)
            if key is not None:
                self._keyed[key].append(fact)

    def contained(self, fact: dict) -> list[dict]:
        """Inventory items inside a fact's location."""
        kind, loc, source = fact["kind"], fact["location"], fact["source"]
        if kind == "database":
            return [i for i in self.by_source[source] if _same(loc, i["location"], ("database",))]
        if kind in ("table", "column"):
            keys = ("database", "schema", "column") if kind == "column" else ("database", "schema")
            return [i for i in self.by_table[(source, loc.get("table"))]
                    if _same(loc, i["location"], keys)]
        if kind == "file":
            return list(self.by_path.get(loc.get("path"), []))
        if kind == "log_dir":
            base = str(loc.get("path", "")).rstrip("/") + "/"
            return [i for p, items in self.by_path.items() if p.startswith(base) for i in items]
        if kind in ("bucket", "object"):
            items = self.by_bucket.get(loc.get("bucket"), [])
            return items if kind == "bucket" else [
                i for i in items if i["location"].get("key") == loc.get("key")]
        return [i for i in self.by_file.get(loc.get("file"), [])
                if _same(loc, i["location"], ("table", "column"))]

    def log_tree_span(self, fact: dict) -> dict[str, Any]:
        """A log directory's oldest and newest log, counting its subdirectories: rotated logs
        moved to ``archive/`` still count towards the six months CSL 21 asks for."""
        base = str(fact["location"].get("path", "")).rstrip("/")
        tree = [f for f in self.facts["log_dir"] if f["source"] == fact["source"]
                and (str(f["location"].get("path", "")).rstrip("/") == base
                     or str(f["location"].get("path", "")).startswith(base + "/"))]
        out = {}
        for name, pick in (("oldest", min), ("newest", max)):
            days = [(d, f["attributes"][name]) for f in tree
                    if (d := _day(f["attributes"].get(name))) is not None]
            if days:
                out[name] = pick(days)[1]
        return out

    def _one(self, *key: Any) -> dict | None:
        found = self._keyed.get(key)
        return found[0] if found else None

    def _first(self, candidates: list[dict], loc: dict, keys: tuple[str, ...]) -> dict | None:
        return next((f for f in candidates if _same(f["location"], loc, keys)), None)

    def related(self, source: str, loc: dict, scope: str) -> dict[str, dict]:
        """The facts containing a location, by kind (the location's own included)."""
        out: dict[str, dict | None] = {}
        if scope == "db":
            out["column"] = self._first(self._column_facts[(source, loc.get("table"),
                                                            loc.get("column"))],
                                        loc, ("database", "schema"))
            out["table"] = self._first(self._table_facts[(source, loc.get("table"))], loc,
                                       ("database", "schema"))
            out["database"] = self._first(self._keyed.get(("database", source), []), loc,
                                          ("database",))
        elif scope == "log":
            path = str(loc.get("path", ""))
            out["file"] = self._one("file", path)
            parent = path.rstrip("/")
            while "/" in parent and out.get("log_dir") is None:
                parent = parent.rsplit("/", 1)[0]
                out["log_dir"] = self._one("log_dir", parent or "/")
        elif scope == "object":
            out["bucket"] = self._one("bucket", loc.get("bucket"))
            if "key" in loc:
                out["object"] = self._one("object", loc.get("bucket"), loc["key"])
        return {k: v for k, v in out.items() if v is not None}


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
        policy: dict[str, Any] = {"min_log_retention_days": MIN_LOG_RETENTION_DAYS}
        if declaration is not None:
            data = declaration.data
            self.base["declaration"] = data
            self.base["org"] = data.get("organisation", {})
            log_policy = data.get("log_policy", {})
            policy["min_log_retention_days"] = max(
                MIN_LOG_RETENTION_DAYS, log_policy.get("min_retention_days", 0))
            if "max_pi_retention_days" in log_policy:
                policy["max_pi_retention_days"] = log_policy["max_pi_retention_days"]
        self.base["policy"] = policy
        self.subjects: dict[str, list[Subject]] = {}

    def asset(self, source: str, loc: dict) -> dict | None:
        if self.declaration is None:
            return None
        key = json.dumps([source, loc.get("path"), loc.get("bucket"), loc.get("key"),
                          loc.get("database")])
        if key not in self._asset_cache:
            found = self.declaration.asset_for(source, loc)
            if found is not None:
                found = dict(found)
                from pia.declaration import period_days

                days = period_days(found.get("retention", {}).get("period", ""))
                if days is not None:
                    found["retention_days"] = days
            self._asset_cache[key] = found
        return self._asset_cache[key]

    def _context(self, source, loc, scope, related, own_attrs, pi) -> dict[str, Any]:
        ctx = {**self.base, "scope": scope, "source": source, "location": loc, "pi": pi}
        for kind, fact in related.items():
            ctx[kind] = fact["attributes"]
        ctx["age"] = _ages(own_attrs, self.today)
        asset = self.asset(source, loc)
        if asset is not None:
            ctx["asset"] = asset
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
                pi = summarise([item], [related["column"]] if "column" in related else [])
                ctx = self._context(source, loc, scope, related,
                                    own["attributes"] if own else {}, pi)
                ctx["item"] = item
                ctx["subject"] = "item"
                out.append(Subject("item", scope, source, loc, ctx, item["entity_type"]))
        elif kind.startswith("fact:"):
            fact_kind = kind[5:]
            for fact in self.index.facts.get(fact_kind, []):
                loc, source = fact["location"], fact["source"]
                scope = FACT_SCOPES[fact_kind]
                related = self.index.related(source, loc, scope)
                related[fact_kind] = fact
                items = self.index.contained(fact)
                pi = summarise(items, [fact] if fact_kind == "column" else [])
                own = fact["attributes"]
                if fact_kind == "log_dir":
                    own = self.index.log_tree_span(fact)
                ctx = self._context(source, loc, scope, related, own, pi)
                ctx["fact"] = fact
                ctx["subject"] = kind
                out.append(Subject(kind, scope, source, loc, ctx))
        elif kind == "asset" and self.declaration is not None:
            by_asset: dict[str, list[dict]] = defaultdict(list)
            for item in self.inventory:
                asset = self.asset(item["source"], item["location"])
                if asset is not None:
                    by_asset[asset["id"]].append(item)
            for asset in self.declaration.assets:
                matched = self.asset(asset["source"], {}) or dict(asset)
                ctx = {**self.base, "scope": None, "source": asset["source"], "location": {},
                       "pi": summarise(by_asset.get(asset["id"], [])), "asset": matched,
                       "subject": "asset"}
                out.append(Subject("asset", None, asset["source"], {}, ctx))
        elif kind == "organisation" and self.declaration is not None:
            pi = summarise(self.inventory)
            estimates = [f["attributes"]["distinct_estimate"] for f in self.index.facts["column"]
                         if isinstance(f["attributes"].get("distinct_estimate"), int)
                         and any(i["entity_type"] in IDENTIFIERS
                                 for i in self.index.contained(f))]
            if estimates:
                pi["subjects_estimate"] = max(estimates)
            ctx = {**self.base, "scope": None, "source": "", "location": {}, "pi": pi,
                   "subject": "organisation"}
            out.append(Subject("organisation", None, "", {}, ctx))
        return out

    def subjects_for(self, kind: str) -> list[Subject]:
        if kind not in self.subjects:
            self.subjects[kind] = self._build(kind)
        return self.subjects[kind]


def fingerprint(rule_id: str, source: str, location: dict, entity_type: str | None) -> str:
    """Identity of a finding for baselines and acceptance: no line numbers, so a moved line
    does not resurrect an accepted finding."""
    stable = {k: v for k, v in location.items() if k not in LINE_FIELDS}
    data = json.dumps([rule_id, source, stable, entity_type or ""], sort_keys=True,
                      ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def raise_severity(severity: str) -> str:
    return SEVERITIES[min(SEVERITIES.index(severity) + 1, len(SEVERITIES) - 1)]


def _evidence(rule: Rule, subject: Subject) -> dict[str, Any]:
    ctx = subject.ctx
    evidence: dict[str, Any] = {}
    if subject.kind == "item":
        item = ctx["item"]
        for key in ("entity_type", "count", "sampled", "share", "score", "protection"):
            if key in item:
                evidence[key] = item[key]
        samples = (item.get("evidence") or {}).get("samples")
        if isinstance(samples, list) and samples:
            evidence["samples"] = [str(s) for s in samples[:10]]
    else:
        evidence["entity_types"] = ctx["pi"]["entity_types"]
        evidence["pi_items"] = ctx["pi"]["items"]
    if "asset" in ctx:
        evidence["asset"] = ctx["asset"]["id"]
    for name, path in rule.get("evidence", {}).items():
        value = conditions.resolve(ctx, path)
        if value is not conditions.MISSING:
            evidence[name] = value
    return evidence


def _finding(ruleset: Ruleset, rule: Rule, subject: Subject) -> dict[str, Any]:
    severity = rule.severity
    evidence = _evidence(rule, subject)
    if rule.get("escalate_minors", True) and subject.ctx["pi"].get("minors_count", 0) > 0:
        severity = raise_severity(severity)
        evidence["severity_raised"] = {"from": rule.severity, "reason": "minors"}
        evidence["minors_count"] = subject.ctx["pi"]["minors_count"]
    source = redact(subject.source) if subject.source else ""
    location = dict(subject.location)
    finding = {
        "rule_id": rule.id,
        "ruleset": ruleset.id,
        "severity": severity,
        "title": dict(rule["title"]),
        "references": [dict(r) for r in rule["references"]],
        "source": source,
        "locations": [location] if location else [],
        "evidence": evidence,
        "remediation": dict(rule["remediation"]),
        "status": "open",
        "fingerprint": fingerprint(rule.id, source, location, subject.entity_type),
    }
    if subject.kind == "asset":
        finding["evidence"]["asset"] = subject.ctx["asset"]["id"]
    return finding


_ITEM_KEYS = ("entity_type", "count", "sampled", "share", "score", "protection", "samples")


def group_by_location(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One finding per location instead of one per (location, entity type): a log file with
    IDs and mobiles is one problem to fix. Line numbers are merged, counts added up."""
    groups: dict[str, dict[str, Any]] = {}
    others = []
    for f in findings:
        if "entity_type" not in f["evidence"]:  # a fact's finding is already per location
            others.append(f)
            continue
        loc = f["locations"][0] if f["locations"] else {}
        key = fingerprint(f["rule_id"], f["source"], loc, None)
        ev = f["evidence"]
        group = groups.get(key)
        if group is None:
            stable = {k: v for k, v in loc.items() if k not in ("lines", "first_line")}
            group = {**f, "locations": [stable] if loc else [], "fingerprint": key,
                     "evidence": {k: v for k, v in ev.items() if k not in _ITEM_KEYS}}
            group["evidence"].update(by_entity_type={}, count=0, samples=[])
            groups[key] = group
        gev, gloc = group["evidence"], group["locations"][0] if group["locations"] else {}
        if "entity_type" in ev:
            gev["by_entity_type"][ev["entity_type"]] = ev.get("count", 0)
        gev["count"] += ev.get("count", 0)
        gev["samples"] = (gev["samples"] + list(ev.get("samples", [])))[:10]
        if "first_line" in loc:
            gloc["first_line"] = min(gloc.get("first_line", loc["first_line"]), loc["first_line"])
        if "lines" in loc:
            gloc["lines"] = sorted(set(gloc.get("lines", [])) | set(loc["lines"]))[:100]
        if SEVERITIES.index(f["severity"]) > SEVERITIES.index(group["severity"]):
            group["severity"] = f["severity"]
    for group in groups.values():
        group["evidence"]["entity_types"] = sorted(group["evidence"]["by_entity_type"])
        if not group["evidence"]["samples"]:
            del group["evidence"]["samples"]
    return others + list(groups.values())


def _finding_key(f: dict[str, Any]) -> tuple:
    locs = [location_key(loc) for loc in f["locations"]]
    return (f["ruleset"], f["rule_id"], f["source"], locs, f["fingerprint"])


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

    ``scope`` narrows evaluation (``{"migration"}`` for check-migrations); asset and
    organisation rules then do not run. The same inputs always give the same result.
    """
    run = Evaluation(inventory, facts, declaration, today)
    result = Result()
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
            for kind in rule["applies_to"]:
                for subject in run.subjects_for(kind):
                    if subject.scope is None and scope is not None:
                        continue
                    if subject.scope is not None and subject.scope not in scopes:
                        continue
                    if conditions.evaluate(rule["when"], subject.ctx, PREDICATES) is not True:
                        continue
                    finding = _finding(ruleset, rule, subject)
                    found.setdefault(finding["fingerprint"], finding)
            findings = list(found.values())
            if rule.get("group_by") == "location":
                findings = group_by_location(findings)
            result.findings.extend(findings)
    if declaration is not None:
        apply_acceptance(result.findings, declaration.data.get("accept", []), today)
    result.findings.sort(key=_finding_key)
    result.not_evaluated.sort(key=lambda n: (n["ruleset"], n["rule_id"]))
    return result
