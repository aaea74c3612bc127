"""Loading rulesets: bundled ones by id, custom ones by path, bundled text by a verifier.

A ruleset is validated in three layers, each reporting ``file:line: reason`` so that the
author can fix it: safe YAML (``yamlsafe``), the JSON Schema
(``pia/schemas/ruleset.schema.json``, unknown keys refused) and the checks a schema cannot
express (known predicates, paths naming fields the context can hold (``fields``), unique rule
ids); a custom ruleset's text, which every report and bundle made with it carries, holds no
identifier pia never writes unmasked (``unmasked``). The ``sha256`` of the exact bytes is
kept so a report records which rules produced its findings and a verifier can re-evaluate
from the same text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pia.errors import RulesetError
from pia.rules import conditions, fields, unmasked
from pia.rules.predicates import PREDICATES
from pia.rules.yamlsafe import (
    YamlProblem,
    parse,
    read_utf8,
    schema,
    schema_problems,
    where,
)

BUNDLED = ("cn-csl", "cn-pipl", "cn-gbt35273")


@dataclass(frozen=True)
class Rule:
    id: str
    data: dict[str, Any] = field(repr=False)
    line: int | None = None

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def severity(self) -> str:
        return self.data["severity"]

    @property
    def requires_declaration(self) -> bool:
        return "declaration" in self.data.get("requires", [])


@dataclass(frozen=True)
class Ruleset:
    id: str
    version: str | int
    sha256: str
    text: str = field(repr=False)
    origin: str
    rules: tuple[Rule, ...] = field(repr=False)
    title: dict[str, str] = field(default_factory=dict, repr=False)
    description: dict[str, str] = field(default_factory=dict, repr=False)

    def reference(self) -> dict[str, Any]:
        """What a report records about the ruleset used."""
        return {"id": self.id, "version": self.version, "sha256": self.sha256}

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise RulesetError(f"ruleset {self.id} has no rule {rule_id}")


def _fail(origin: str, line: int | None, reason: str, count: int = 1) -> RulesetError:
    more = f" (and {count - 1} more)" if count > 1 else ""
    return RulesetError(f"{where(origin, line)}: {reason}{more}")


def load_ruleset_text(text: str, origin: str = "<ruleset>") -> Ruleset:
    """Parse and validate one ruleset from its YAML text; ``origin`` names it in errors.

    Results are cached by (text, origin): a ruleset is immutable data, and scans, tests and
    verifiers load the same bundled texts many times."""
    return _load_ruleset_text(text, origin)


@lru_cache(maxsize=64)
def _load_ruleset_text(text: str, origin: str) -> Ruleset:
    try:
        doc = parse(text)
    except YamlProblem as err:
        raise _fail(origin, err.line, err.reason) from None
    if not isinstance(doc.data, dict):
        raise _fail(origin, 1, "a ruleset is a mapping with 'ruleset', 'version', 'rules'")
    rules, most = doc.data.get("rules"), schema("ruleset.schema.json")["properties"]["rules"]
    if isinstance(rules, list) and len(rules) > most["maxItems"]:  # not a dump of the rules
        raise _fail(origin, doc.line(("rules",)), f"{len(rules)} rules, at most {most['maxItems']}")
    problems = schema_problems(doc, "ruleset.schema.json")
    if not problems:
        seen: dict[str, int] = {}
        for i, rule in enumerate(doc.data["rules"]):
            if rule["id"] in seen:
                problems.append((doc.line(("rules", i, "id")),
                                 f"duplicate rule id {rule['id']} (first at line "
                                 f"{seen[rule['id']]})"))
            seen.setdefault(rule["id"], doc.line(("rules", i, "id")) or 0)
            conds = [(("when",), rule["when"])]
            conds += [(("triggers", name), cond) for name, cond in rule.get("triggers", {}).items()]
            for at, cond in conds:
                for path, reason in [*conditions.problems(cond, PREDICATES),
                                     *fields.problems(cond), *_mismatches(cond)]:
                    problems.append((doc.line(("rules", i, *at, *path)),
                                     f"{rule['id']}: {reason}"))
            if "triggers" in rule and all("triggers" in r for r in rule["references"]):
                problems.append((doc.line(("rules", i, "references")),
                                 f"{rule['id']}: a rule with triggers cites the duty itself in "
                                 "a reference without triggers"))
            for j, ref in enumerate(rule["references"]):
                if "raised_for" in ref and not rule.get("escalate_sensitive"):
                    problems.append((doc.line(("rules", i, "references", j, "raised_for")),
                                     f"{rule['id']}: reference cited when raised for sensitive "
                                     "PI, but the rule does not say escalate_sensitive: true"))
                for name in ref.get("triggers", []):
                    if name not in rule.get("triggers", {}):
                        problems.append((doc.line(("rules", i, "references", j, "triggers")),
                                         f"{rule['id']}: reference cited on trigger {name!r}, "
                                         "which the rule's triggers do not name"))
            for name, value in rule.get("evidence", {}).items():
                found = fields.resolve(value, None)
                if value.split(".")[0] not in conditions.NAMESPACES:
                    found = conditions.UNKNOWN_NAME
                if isinstance(found, str):
                    problems.append((doc.line(("rules", i, "evidence", name)),
                                     f"{rule['id']}: evidence path {value!r}: {found}"))
    if problems:
        line, reason = problems[0]
        raise _fail(origin, line, reason, len(problems))
    held = None if text in _shipped_texts() else unmasked.raw_identifier(doc, text, origin)
    if held:  # copied into every report, which would then be refused as edited (QA)
        raise RulesetError(held)
    data = doc.data
    rules = tuple(Rule(r["id"], r, doc.line(("rules", i))) for i, r in enumerate(data["rules"]))
    return Ruleset(
        id=data["ruleset"],
        version=data["version"],
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text,
        origin=origin,
        rules=rules,
        title=data["title"],
        description=data.get("description", {}),
    )


def _mismatches(cond: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Comparisons whose literal is of a type the compared field never holds (a count
    against ``"0"``): they are unknown on every subject, so the rule could never fire."""
    nodes = dict(conditions.walk(cond))
    for at, node in nodes.items():
        if not isinstance(node, dict) or not isinstance(node.get("path"), str):
            continue
        it: fields.Schema | None = None  # what the quantifiers above bind, outermost first
        for i, key in enumerate(at):
            if key == "where":
                over = nodes[at[:i]]
                found = fields.resolve(over.get("some") or over.get("every"), it)
                it = fields.OPEN if isinstance(found, str) else fields.element(found)
        found = fields.resolve(node["path"], it)
        kind = found.get("type") if isinstance(found, dict) else None
        types = {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else None
        for op, value in node.items():
            reason = None if isinstance(value, dict) else conditions.mismatch(op, value, types)
            if reason:
                yield (*at, op), f"path {node['path']!r}: {reason}"


@lru_cache(maxsize=1)
def _shipped_texts() -> frozenset[str]:
    """The texts of the rulesets pia ships (as a bundle carries them too, byte for byte)."""
    return frozenset(bundled_text(ruleset_id) for ruleset_id in BUNDLED)


def bundled_text(ruleset_id: str) -> str:
    if ruleset_id not in BUNDLED:
        raise RulesetError(f"unknown ruleset {ruleset_id!r} (bundled: {', '.join(BUNDLED)})")
    return resources.files("pia.rulesets").joinpath(f"{ruleset_id}.yaml").read_text("utf-8")


def load_ruleset_file(path: str | Path) -> Ruleset:
    return load_ruleset_text(read_utf8(path, "ruleset", RulesetError), str(path))


def load_ruleset(selector: str) -> Ruleset:
    """A bundled ruleset by id (``cn-pipl``) or a custom one by path."""
    if selector in BUNDLED:
        return load_ruleset_text(bundled_text(selector), f"{selector}.yaml")
    if selector.endswith((".yaml", ".yml")) or "/" in selector or Path(selector).is_file():
        return load_ruleset_file(selector)
    raise RulesetError(f"unknown ruleset {selector!r} (bundled: {', '.join(BUNDLED)}; "
                       "or a path to a YAML file)")


def load_rulesets(selectors: list[str] | None = None) -> list[Ruleset]:
    """The rulesets to evaluate (``--ruleset``, repeatable): bundled ids narrow, paths add.

    No selector: every bundled ruleset. Only custom paths: every bundled ruleset plus those.
    Any bundled id: exactly the ids given, plus any paths.

    A custom ruleset may not take a bundled ruleset's id, and a rule id may be used by one
    loaded ruleset only: a report would cite ``cn-pipl`` for rules that are not the bundled
    ones, and an ``accept:`` entry (which matches by rule id) would cover two different rules.
    To replace a bundled ruleset, select the bundled ids to keep and add the custom file
    under an id of its own.
    """
    chosen = list(selectors or [])
    rulesets = [load_ruleset(s) for s in chosen]
    for selector, ruleset in zip(chosen, rulesets, strict=True):
        if selector not in BUNDLED and ruleset.id in BUNDLED:
            line = next((n for n, text in enumerate(ruleset.text.splitlines(), 1)
                         if text.startswith("ruleset:")), None)
            raise RulesetError(
                f"{where(ruleset.origin, line)}: ruleset id {ruleset.id!r} is a bundled "
                "ruleset's; give a custom ruleset an id of its own (to leave the bundled one "
                "out, select the bundled ids to keep with --ruleset)")
    if not any(s in BUNDLED for s in chosen):
        rulesets = [load_ruleset(b) for b in BUNDLED] + rulesets
    ids = [r.id for r in rulesets]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise RulesetError(f"ruleset {duplicate!r} selected twice")
    owners: dict[str, str] = {}
    for ruleset in rulesets:
        for rule in ruleset.rules:
            if rule.id in owners:
                raise RulesetError(
                    f"{where(ruleset.origin, rule.line)}: rule id {rule.id} is already used by "
                    f"ruleset {owners[rule.id]}; rule ids must be unique across the rulesets "
                    "evaluated together (accept: entries match by rule id)")
            owners[rule.id] = ruleset.id
    return rulesets
