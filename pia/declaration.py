"""The declared processing inventory (``pia.yaml``): what only the organisation can say.

A scanner sees data; it cannot see purposes, legal bases, retention periods, CIIO status or
cross-border mechanisms. Those come from this file (shape: CONTROLS.md, "What only the
organisation can declare"; schema: ``pia/schemas/declaration.schema.json``). Rules compare the
two: what was found against what was declared.
"""

from __future__ import annotations

import copy
import fnmatch
import hashlib
import os
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from pia.entities import ENTITY_TYPES
from pia.errors import ConfigError
from pia.printable import printable
from pia.rules.yamlsafe import Document, YamlProblem, parse, read_utf8, schema_problems, where
from pia.source_match import source_matches
from pia.uri import scrub

_SECRET_KEY = re.compile(r"(pass|pwd|secret|token|credential|private|api_?key)", re.I)
_PERIOD = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
#: the location keys an ``accept:`` entry may narrow by: those a scanned finding's locations
#: have (a database's {database, schema, table, column}, a file's {path, member}, an
#: object's {bucket, key}; the report schema's location, less check-migrations' file, line
#: and col and the line numbers a finding's identity leaves out); a misspelled key (tabel)
#: matched no finding and accepted nothing, silently
ACCEPT_LOCATION_KEYS = ("database", "schema", "table", "column", "path", "member", "bucket",
                        "key", "version_id", "field", "name_fingerprint")


#: how long rows marked deleted (soft-deleted, closed accounts) may keep their PI when
#: neither their asset nor the organisation declares it (PIPL-47-DELETE): the law names no
#: period, so a month, long enough for a monthly purge job and an account's cooling-off
#: period, short enough not to hide accounts kept for years
DEFAULT_DELETION_GRACE_DAYS = 30


def period_days(period: str) -> int | None:
    """ISO 8601 period (``P3Y``, ``P18M``, ``P90D``) in days; a year is 365, a month 30."""
    match = _PERIOD.match(period or "")
    if not match or not any(match.groups()):
        return None
    y, m, w, d = (int(g or 0) for g in match.groups())
    return y * 365 + m * 30 + w * 7 + d


#: where ``connector_data`` keeps its directories (pia.yaml's schema allows no such key)
_DIRS_KEY = "__dirs__"


@dataclass
class Declaration:
    """A validated ``pia.yaml``. ``data`` is plain JSON-like data (dates as ISO strings)."""

    data: dict[str, Any]
    path: str
    sha256: str
    text: str = ""
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict, repr=False)
    #: the directory relative declared paths are taken from: the declaration file's own
    #: (None: the current directory, e.g. for text or a bundle's copy)
    base_dir: str | None = None
    #: the directory the scan ran in, which relative scanned paths are taken from (None: the
    #: current directory); ``bind`` fixes both from a report being re-evaluated
    cwd: str | None = None

    @property
    def assets(self) -> list[dict[str, Any]]:
        return self.data.get("assets", [])

    @property
    def organisation(self) -> dict[str, Any]:
        return self.data.get("organisation", {})

    def connector_data(self) -> dict[str, Any]:
        """The declaration as a scan hands it to connectors (plain data: it travels to worker
        processes), with the directories relative paths resolve from: a database connector
        matches declared assets to its source, and ``pia scan pia-demo/shop.db --config
        pia-demo/pia.yaml`` must find the asset whose source is ``shop.db``."""
        return {**self.data, _DIRS_KEY: [self.base_dir, self.cwd or os.getcwd()]}

    @classmethod
    def from_connector_data(cls, data: dict[str, Any]) -> Declaration:
        """``connector_data``'s declaration again, for matching assets to sources."""
        data = dict(data)
        base_dir, cwd = data.pop(_DIRS_KEY, None) or (None, None)
        return cls(data, "", "", base_dir=base_dir, cwd=cwd)

    def asset_for(self, source: str, location: dict[str, Any] | None = None) -> dict | None:
        """The declared asset covering a scanned source; the most specific pattern wins
        (longest ``source``), ties broken by declaration order."""
        best = None
        for asset in self.assets:
            if source_matches(asset["source"], source, location, self.base_dir, self.cwd) and (
                best is None or len(asset["source"]) > len(best["source"])
            ):
                best = asset
        return best

    def retention_days(self, asset: dict[str, Any]) -> int | None:
        """The asset's declared ``retention.period`` in days (None when not declared)."""
        return period_days((asset.get("retention") or {}).get("period", ""))

    def deletion_grace(self, asset: dict[str, Any] | None) -> tuple[int, str]:
        """How long rows marked deleted may keep their PI, in days, and who said so: the
        asset's ``retention.deletion_grace``, else ``organisation.deletion_grace``, else
        ``DEFAULT_DELETION_GRACE_DAYS`` (``asset``, ``organisation``, ``default``)."""
        own = period_days(((asset or {}).get("retention") or {}).get("deletion_grace", ""))
        if own is not None:
            return own, "asset"
        org = period_days(self.organisation.get("deletion_grace", ""))
        if org is not None:
            return org, "organisation"
        return DEFAULT_DELETION_GRACE_DAYS, "default"

    def activities_of(self, asset: dict[str, Any]) -> list[dict[str, Any]]:
        wanted = set(asset.get("activities", []))
        return [a for a in self.data.get("activities", []) if a["id"] in wanted]

    def transfers_of(self, asset: dict[str, Any]) -> list[dict[str, Any]]:
        return [t for t in self.data.get("cross_border", []) if t["asset"] == asset["id"]]

    def bind(self, report: dict[str, Any]) -> None:
        """Fix the directories paths are resolved from before evaluating ``report``: those the
        report recorded when its declaration is re-evaluated elsewhere (a bundle's copy has
        no directory of its own), else the declaration file's and the current one."""
        recorded = report.get("scan", {}).get("declaration") or {}
        if self.base_dir is None and recorded.get("base_dir"):
            self.base_dir, self.cwd = recorded["base_dir"], recorded.get("cwd")
        if self.cwd is None:
            self.cwd = os.getcwd()

    def asset_lines(self) -> dict[str, int]:
        """Each declared asset's line in the declaration text (where its entry starts), so a
        finding about an asset can point at it (SARIF's region); empty for a declaration read
        from data, such as a bundle's redacted copy, whose lines are not the file's."""
        out = {}
        for i, asset in enumerate(self.assets):
            line = self.lines.get(("assets", i))
            if line:
                out[asset["id"]] = line
        return out

    def unmatched_assets(self, report: dict[str, Any]) -> list[str]:
        """Ids of declared assets that no scanned source, item or fact of ``report`` falls
        under: a typo in ``source``, or a part of the estate this scan did not cover."""
        seen: dict[str, tuple[str, dict[str, Any]]] = {}
        for source in report.get("scan", {}).get("sources", []):
            seen.setdefault(source, (source, {}))
        for section in ("inventory", "facts", "skipped"):
            for item in report.get(section, []):
                loc = item.get("location") or {}
                key = repr((item.get("source", ""), loc.get("path"), loc.get("bucket"),
                            loc.get("key"), loc.get("database")))
                seen.setdefault(key, (item.get("source", ""), loc))
        return [a["id"] for a in self.assets
                if not any(source_matches(a["source"], src, loc, self.base_dir, self.cwd)
                           for src, loc in seen.values())]

    def unmatched_columns(self, report: dict[str, Any]) -> list[str]:
        """Declared columns (``retention.timestamp_column``, ``protection.*_columns``) that no
        scanned column of their asset matches, as ``asset: key column``: a typo there turned
        the retention check off, or claims protection for a column that is not there (or
        holds no PI). Assets nothing scanned fell under are ``unmatched_assets`` instead."""
        names: dict[str, set[str]] = {}
        for section in ("facts", "inventory"):
            for entry in report.get(section, []):
                loc = entry.get("location") or {}
                if section == "facts" and entry.get("kind") != "column" or "column" not in loc:
                    continue
                asset = self.asset_for(entry.get("source", ""), loc)
                if asset is not None:
                    column, table, schema_ = loc["column"], loc.get("table"), loc.get("schema")
                    names.setdefault(asset["id"], set()).update(
                        {column, f"{table}.{column}", f"{schema_}.{table}.{column}"})
        skip = set(self.unmatched_assets(report))
        out = []
        for asset in self.assets:
            if asset["id"] in skip:
                continue
            seen = names.get(asset["id"], set())
            declared = [("retention.timestamp_column", c) for c in
                        [(asset.get("retention") or {}).get("timestamp_column")] if c]
            declared += [(f"protection.{key}", c)
                         for key, columns in (asset.get("protection") or {}).items()
                         for c in columns]
            out += [f"{asset['id']}: {key} {c}" for key, c in declared if c not in seen]
        return out

    def unreferenced_activities(self) -> list[str]:
        """Ids of declared activities no asset lists under ``activities``: their legal basis
        and consent apply to nothing, and the consent rules (PIPL 23, 29, 31, 39) are left
        undecided for the assets that list none (``pia.rules.activities``)."""
        listed = {name for asset in self.assets for name in asset.get("activities") or []}
        return [a["id"] for a in self.data.get("activities", []) if a["id"] not in listed]

    def unmatched_accepts(self, report: dict[str, Any]) -> list[str]:
        """``accept:`` entries that matched none of ``report``'s findings, as ``file:line:
        rule ID`` (the entry's line): a ``source`` that was not scanned, a location that
        names no finding's, or a risk no longer found. Run after the rules (and acceptance)."""
        from pia.rules.acceptance import matches

        findings = report.get("findings") or []
        return [f"{where(self.path, _line(self.lines, ('accept', i)))}: rule {entry['rule']}"
                for i, entry in enumerate(self.data.get("accept", []))
                if not any(matches(entry, f, self.base_dir, self.cwd) for f in findings)]

    def ambiguous_accepts(self, report: dict[str, Any]) -> list[str]:
        """``accept:`` entries without ``source`` whose location is in several scanned
        sources, each as ``file:line: rule ID: source, source``: they accept the finding in
        every one of them (``acceptance.sources_named``), which ``pia scan`` warns of."""
        from pia.rules.acceptance import sources_named

        out = []
        for i, entry in enumerate(self.data.get("accept", [])):
            sources = sources_named(entry, report)
            if len(sources) > 1:
                out.append(f"{where(self.path, _line(self.lines, ('accept', i)))}: rule "
                           f"{entry['rule']}: {', '.join(sources)}")
        return out

    def serious_accepts(self, report: dict[str, Any]) -> list[dict[str, Any]]:
        """``accept:`` entries that accept critical findings or children's data, each as
        ``{entry: 'file:line: rule ID', accepted, critical, children}``
        (``acceptance.serious``), which ``pia scan`` warns of."""
        from pia.rules.acceptance import serious

        return [{"entry": self._accept_named(index), **counts}
                for index, counts in sorted(self._accepted_counts(report).items())
                if serious(counts)]

    def distant_accepts(self, report: dict[str, Any]) -> list[dict[str, Any]]:
        """``accept:`` entries that accept findings and expire more than a year after the
        scan, each as ``{entry: 'file:line: rule ID', expires}``
        (``acceptance.distant_expiries``); one that accepts nothing is said to match no
        finding (``unmatched_accepts``)."""
        from pia.rules import report_today
        from pia.rules.acceptance import distant_expiries

        entries, accepting = self.data.get("accept", []), self._accepted_counts(report)
        return [{"entry": self._accept_named(index), "expires": entries[index]["expires"]}
                for index in distant_expiries(entries, report_today(report))
                if index in accepting]

    def _accepted_counts(self, report: dict[str, Any]) -> dict[int, dict[str, int]]:
        from pia.rules import report_today
        from pia.rules.acceptance import accepted_counts

        return accepted_counts(self.data.get("accept", []), report.get("findings") or [],
                               report_today(report), self.base_dir, self.cwd)

    def _accept_named(self, index: int) -> str:
        """An ``accept:`` entry as warnings and the report name it: ``file:line: rule ID``."""
        entry = self.data["accept"][index]
        return f"{where(self.path, _line(self.lines, ('accept', index)))}: rule {entry['rule']}"

    def check_names(self, rule_ids: Collection[str],
                    recognizer_files: Collection[str | Path] = ()) -> None:
        """Refuse names that match nothing, before a scan: an unknown ``pi_categories`` entry
        (CN_NAEM) made every item of that type 'beyond the declared scope', and an ``accept``
        rule naming no rule (a shell pattern may) silently accepted nothing. Known entity
        types are pia's and those of the recognizers (plug-ins, ``recognizer_files``); rule
        ids should be those of every ruleset pia knows, not only the selected ones (one
        declaration serves scans with different selections). An ``accept`` entry that names
        no rule and no location (``rule: "*"``) is refused: it accepts everything."""
        from pia.rules.acceptance import accepts_everything

        problems = []
        entity_types: Collection[str] = ENTITY_TYPES
        categories = [name for a in self.assets for name in a.get("pi_categories", [])]
        if any(name not in ENTITY_TYPES for name in categories):
            from pia.detection.registry import build_registry

            registry = build_registry(list(recognizer_files))
            entity_types = set(ENTITY_TYPES) | {info.entity for info in registry.info()}
        for i, asset in enumerate(self.assets):
            for j, name in enumerate(asset.get("pi_categories", [])):
                if name not in entity_types:
                    problems.append((("assets", i, "pi_categories", j),
                                     f"unknown entity type {name!r} in pi_categories (known: "
                                     f"{', '.join(sorted(entity_types))})"))
        for i, entry in enumerate(self.data.get("accept", [])):
            if not any(fnmatch.fnmatchcase(rule, entry["rule"]) for rule in rule_ids):
                problems.append((("accept", i, "rule"),
                                 f"accept rule {entry['rule']!r} matches no rule id"))
            elif accepts_everything(entry, rule_ids):
                problems.append((("accept", i), (
                    f"accept rule {entry['rule']!r} names no rule and the entry no location: "
                    "it would accept every finding, critical ones and children's data "
                    "included; name the rule ids it accepts, or add location: or "
                    "fingerprint:")))
        if problems:
            path, reason = problems[0]
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ConfigError(f"{where(self.path, _line(self.lines, path))}: "
                              f"{scrub(reason)}{more}")

    def reference(self, report: dict[str, Any] | None = None) -> dict[str, Any]:
        """What a report records: which declaration, by path and content hash, and whose
        (the organisation's name); the
        directories relative paths were resolved from; each asset's line in the file
        (``asset_lines``, when read from a file); and, given the report, the declared
        assets nothing scanned fell under (``unmatched_assets``), the declared columns no
        scanned column matched (``unmatched_columns``), the activities no asset lists
        (``unreferenced_activities``), the ``accept:`` entries no finding
        matched (``unmatched_accepts``) and those without ``source`` whose location is in
        several sources (``ambiguous_accepts``), those that accept critical findings or
        children's data (``serious_accepts``) and those that expire more than a year after
        the scan (``distant_accepts``)."""
        from pia.masked_names import masked_directory

        # named by the organisation, but a number in them is masked as in any name
        out: dict[str, Any] = {"path": masked_directory(self.path), "sha256": self.sha256}
        name = self.organisation.get("name")
        if isinstance(name, str) and name:
            out["organisation"] = _redact(name)  # who was audited, for the report's reader
        if self.base_dir is not None:
            out["base_dir"] = masked_directory(self.base_dir)
        if self.cwd is not None:
            out["cwd"] = masked_directory(self.cwd)
        lines = self.asset_lines()
        if lines:
            out["asset_lines"] = lines
        if report is not None:
            out["unmatched_assets"] = self.unmatched_assets(report)
            out["unmatched_columns"] = self.unmatched_columns(report)
            out["unreferenced_activities"] = self.unreferenced_activities()
            out["unmatched_accepts"] = self.unmatched_accepts(report)
            out["ambiguous_accepts"] = self.ambiguous_accepts(report)
            if (report.get("scan") or {}).get("started"):  # the day acceptance is judged on
                out["serious_accepts"] = self.serious_accepts(report)
                out["distant_accepts"] = self.distant_accepts(report)
        # the pia.yaml a bundle will carry is this text: the digest binds it to the report
        out["redacted_sha256"] = hashlib.sha256(self.redacted_text().encode("utf-8")).hexdigest()
        return out

    def redacted(self) -> dict[str, Any]:
        """The declaration with credentials removed, fit for a bundle or a report."""
        return _redact(copy.deepcopy(self.data))

    def redacted_text(self) -> str:
        """``redacted()`` as YAML: the ``pia.yaml`` an audit bundle carries."""
        return yaml.safe_dump(self.redacted(), allow_unicode=True, sort_keys=False,
                              default_flow_style=False)


def _line(lines: dict[tuple[Any, ...], int], path: tuple[Any, ...]) -> int | None:
    """The line of ``path`` in the declaration text, or of its nearest ancestor (None for a
    declaration read from data)."""
    return Document(None, lines).line(path)


def _redact(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _redact(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, key) for v in value]
    if isinstance(value, str):
        if _SECRET_KEY.search(key):
            return "***"
        return scrub(value)  # a URI in a reason or a purpose, or a password=… in a note
    return value


def _check_references(doc_data: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """Cross-references the schema cannot check: unique ids, known assets and activities."""
    out = []
    for section in ("assets", "activities"):
        seen: set[str] = set()
        for i, entry in enumerate(doc_data.get(section, [])):
            if entry["id"] in seen:
                out.append(((section, i, "id"), f"duplicate {section[:-1]} id {entry['id']!r}"))
            seen.add(entry["id"])
    assets = {a["id"] for a in doc_data.get("assets", [])}
    activities = {a["id"] for a in doc_data.get("activities", [])}
    for i, asset in enumerate(doc_data.get("assets", [])):
        for j, name in enumerate(asset.get("activities", [])):
            if name not in activities:
                out.append((("assets", i, "activities", j), f"unknown activity {name!r}"))
    dates = [(("organisation", "last_pi_audit"), doc_data.get("organisation", {}).get(
        "last_pi_audit"))]
    dates += [(("activities", i, "pia", "date"), (a.get("pia") or {}).get("date"))
              for i, a in enumerate(doc_data.get("activities", []))]
    dates += [(("accept", i, "expires"), e["expires"]) for i, e in enumerate(
        doc_data.get("accept", []))]
    for path, value in dates:
        try:
            if value is not None:
                date.fromisoformat(value)
        except ValueError:
            out.append((path, "must be a calendar date (YYYY-MM-DD)"))
    periods = [(("organisation", "deletion_grace"),
                doc_data.get("organisation", {}).get("deletion_grace"))]
    for i, asset in enumerate(doc_data.get("assets", [])):
        periods += [(("assets", i, "retention", key), (asset.get("retention") or {}).get(key))
                    for key in ("period", "deletion_grace")]
    for path, period in periods:
        if period is not None and period_days(period) is None:
            out.append((path, "invalid ISO 8601 duration: years, months, weeks or days with at "
                        "least one number (P3Y, P18M, P90D)"))
    for i, entry in enumerate(doc_data.get("accept", [])):
        for key in entry.get("location", {}):
            if key not in ACCEPT_LOCATION_KEYS:
                out.append((("accept", i, "location", key),
                            f"unknown location key {printable(key, 40)!r}: a finding's "
                            f"location has {', '.join(ACCEPT_LOCATION_KEYS)}"))
    records = doc_data.get("organisation", {}).get("records_asset")
    if records is not None and records not in assets:
        out.append((("organisation", "records_asset"), f"unknown asset {records!r}"))
    for i, transfer in enumerate(doc_data.get("cross_border", [])):
        if transfer["asset"] not in assets:
            out.append((("cross_border", i, "asset"), f"unknown asset {transfer['asset']!r}"))
    return out


def _validate(doc: Document, origin: str) -> None:
    if not isinstance(doc.data, dict):
        raise ConfigError(f"{where(origin, 1)}: a declaration is a mapping with 'version: 1'")
    problems = schema_problems(doc, "declaration.schema.json", echo_values=False)
    if not problems:
        problems = [(doc.line(p), "/".join(map(str, p)) + ": " + r)
                    for p, r in _check_references(doc.data)]
    if problems:
        line, reason = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ConfigError(f"{where(origin, line)}: {reason}{more}")


def load_declaration_text(text: str, origin: str = "pia.yaml") -> Declaration:
    """Parse and validate a declaration; errors name ``origin:line`` and the reason."""
    try:
        doc = parse(text)
    except YamlProblem as err:
        raise ConfigError(f"{where(origin, err.line)}: {err.reason}") from None
    _validate(doc, origin)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Declaration(doc.data, origin, digest, text, doc.lines)


def load_declaration_data(data: Any, origin: str = "declaration", sha256: str = "") -> Declaration:
    """A declaration from already-parsed data, e.g. the redacted copy a bundle carries as
    JSON; validated the same way (without line numbers). ``sha256`` is the recorded hash of
    the original file, kept for the report."""
    doc = Document(copy.deepcopy(data))
    _validate(doc, origin)
    return Declaration(doc.data, origin, sha256)


def load_declaration(path: str | Path) -> Declaration:
    """Load ``pia.yaml`` from a file; ``sha256`` is that of the file's exact bytes."""
    declaration = load_declaration_text(read_utf8(path, "declaration", ConfigError), str(path))
    declaration.base_dir = os.path.dirname(os.path.abspath(path))
    return declaration
