"""Cloud region → jurisdiction (``mainland`` | ``hmt`` | ``overseas`` | ``unknown``).

Localisation (CSL 37 [39], PIPL 40) and cross-border provision (PIPL 38) turn on where data
sits; Hong Kong, Macao and Taiwan count as outside the mainland. The table is data
(``rulesets/regions.yaml``) so that a reviewer can check it without reading code. Exact names
win over patterns, across all providers. Without a provider, providers are tried in table
order (AWS first: the S3 API's default), because the same name can mean different places:
Huawei's ``ap-southeast-1`` is Hong Kong, AWS's is Singapore.
"""

from __future__ import annotations

import fnmatch
from functools import cache
from importlib import resources
from typing import Any

import yaml

JURISDICTIONS = ("mainland", "hmt", "overseas")


@cache
def table() -> dict[str, dict[str, list[str]]]:
    text = resources.files("pia.rulesets").joinpath("regions.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data["providers"]


def _lookup(region: str, entries: dict[str, list[str]], exact: bool) -> str | None:
    for jurisdiction in JURISDICTIONS:
        names = entries.get(jurisdiction, [])
        if exact and region in names:
            return jurisdiction
        if not exact and any(fnmatch.fnmatchcase(region, p) for p in names):
            return jurisdiction
    return None


def jurisdiction(region: str | None, provider: str | None = None) -> str:
    """Where a region is, for the law: ``mainland``, ``hmt``, ``overseas`` or ``unknown``."""
    if not region:
        return "unknown"
    region = region.strip().lower()
    providers = table()
    order = [provider] if provider in providers else list(providers)
    for exact in (True, False):
        for name in order:
            found = _lookup(region, providers[name], exact)
            if found:
                return found
    return "unknown"


def declared_mainland(region: str | None, patterns: Any) -> bool:
    """Whether the organisation's ``mainland_regions`` (shell patterns, without case) name
    ``region``: how a private cloud's region, or one no table knows, is placed. Connectors
    (the fact they record) and rules (``pia.rules.predicates``) place it alike."""
    if not region or not isinstance(patterns, list):
        return False
    name = region.strip().lower()
    return any(fnmatch.fnmatchcase(name, str(p).lower()) for p in patterns)


def place(region: str | None, known: str, patterns: Any) -> str:
    """A region's jurisdiction: ``known`` (a table's answer, or ``unknown``), else
    ``mainland`` when ``mainland_regions`` names it. A declaration can place a region no
    table knows; it cannot move a known one."""
    if known != "unknown":
        return known
    return "mainland" if declared_mainland(region, patterns) else "unknown"
