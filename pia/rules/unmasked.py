"""A custom ruleset holds no number that identifies a person (QA: a remediation "请联系 张伟
13812345678" passed ``rulesets validate``, was copied into every finding, and then ``pia
report`` and ``bundle create`` refused each report as edited after the scan).

A rule's title, remediation and references are copied into every finding it raises, and a
bundle carries the ruleset's file whole (its descriptions, conditions and comments too). The
report's own check (``pia.bundle.masked``: ``samples-masked``, "which pia never writes there
unmasked") refuses a resident ID, mobile, card, passport or permit number in any of its free
text; a ruleset is held to that same check (``identifiers_of``) when it is loaded, so that
its author hears of it, naming the rule and field, before any report is written. Every
string and key of the ruleset is read, and every line of its text (a comment reaches the
bundle as well). The rulesets pia ships are pia's own text, as verified bundles carry them
byte for byte: they are not read again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pia.rules.yamlsafe import Document, where

#: why the value must go, after where it is
ADVICE = ("which pia never writes unmasked: a ruleset's text is copied into every report and "
          "bundle made with it; remove it from the ruleset")


def _texts(node: Any, path: tuple[Any, ...]) -> Iterator[tuple[str, tuple[Any, ...], bool]]:
    """(text, path, is_key) of every string, integer and key under ``node``, each key before
    what it holds (the first place named is the outermost, and a path named holds none)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key), (*path, key), True
            yield from _texts(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, (*path, i))
    elif isinstance(node, str | int) and not isinstance(node, bool):
        yield str(node), path, False


def _field(path: tuple[Any, ...], rule_ids: dict[int, str]) -> str:
    """``ACME-1: remediation.zh`` for a rule's field, ``title.en`` for the ruleset's."""
    def joined(parts: tuple[Any, ...]) -> str:
        return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")

    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rule = rule_ids.get(path[1], f"rules[{path[1]}]")
        return f"{rule}: {joined(path[2:])}" if path[2:] else rule
    return joined(path)


def raw_identifier(doc: Document, text: str, origin: str) -> str | None:
    """Where the ruleset (parsed as ``doc`` from ``text``) holds a resident ID, mobile, card,
    passport or permit number, one line naming the file, line, rule, field and the number
    masked; else None."""
    from pia.bundle.masked import identifiers_of
    from pia.masking import mask

    places: dict[str, tuple[tuple[Any, ...], bool, int | None]] = {}
    for value, path, is_key in _texts(doc.data, ()):
        if any(c.isdigit() for c in value):
            places.setdefault(value, (path, is_key, doc.line(path)))
    for number, line in enumerate(text.splitlines(), 1):
        if any(c.isdigit() for c in line):
            places.setdefault(line, ((), False, number))
    found = dict(zip(places, identifiers_of(list(places)), strict=True))
    rules = doc.data.get("rules") if isinstance(doc.data, dict) else None
    rule_ids = {i: rule["id"] for i, rule in enumerate(rules or [])
                if isinstance(rule, dict) and isinstance(rule.get("id"), str)
                and not found.get(rule["id"])}  # an id holding the number is not named
    for value, (path, is_key, line) in places.items():
        if found[value]:
            entity, start, end = found[value][0]
            if path:
                held = _field(path[:-1] if is_key else path, rule_ids) or "the ruleset"
                held += " (a key)" if is_key else ""
            else:
                held = "this line" + (" (a comment)" if "#" in value else "")
            return (f"{where(origin, line)}: {held} holds a {entity} (masked: "
                    f"{mask(entity, value[start:end])}), {ADVICE}")
    return None
