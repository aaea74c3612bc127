"""Check ``credentials-redacted``: no source a report names holds a password, key or token.

pia writes every source redacted (``pia.uri.redact``: ``postgresql://u:***@host/db``), in
``scan.sources`` and wherever an inventory item, a fact or a skipped place says where it
was read. A report edited by hand, or made by a careless producer, may name a source with
its password; signed, it would hand the regulator the organisation's database credentials
under a VALID verdict, and every message that quoted the source would print them (QA D2).
``bundle create`` refuses such a report with this same test, and ``pia report`` with the
test on ``scan.sources``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from pia.bundle.safezip import Refused
from pia.bundle.words import counted
from pia.uri import redact

CHECK = "credentials-redacted"
#: keys whose string value names a source, and the key of the list of sources
_SOURCE_KEYS = ("source",)
_SOURCES_KEY = "sources"


def _source_names(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """(where, name) of every source the report names: ``scan.sources`` and every string
    under a ``source`` key, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{where}.{key}" if where else str(key)
            if key in _SOURCE_KEYS and isinstance(item, str):
                yield here, item
            elif key == _SOURCES_KEY and isinstance(item, list):
                yield from ((f"{here}[{i}]", s) for i, s in enumerate(item) if isinstance(s, str))
            else:
                yield from _source_names(item, here)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _source_names(item, f"{where}[{i}]")


def credential_in(report: dict[str, Any]) -> str | None:
    """Where the report names a source with a credential, and that source redacted (the one
    form a message may quote), or None."""
    for where, name in _source_names(report, ""):
        if redact(name) != name:
            return f"{where} {redact(name)} holds a credential"
    return None


def check(report: dict[str, Any]) -> str:
    """Check ``credentials-redacted`` (a ``Refused`` names the first source that fails)."""
    found = credential_in(report)
    if found:
        raise Refused(CHECK, f"{found}: pia writes every source redacted, so the report was "
                      "edited after the scan")
    names = {name for _, name in _source_names(report, "")}
    return f"{counted(len(names), 'source name', 'source names')}, none with a credential"


def redacted(report: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``report`` with every source it names redacted, for ``bundle show`` to
    render a report that failed the check without printing the credential."""
    out = copy.deepcopy(report)

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in _SOURCE_KEYS and isinstance(item, str):
                    value[key] = redact(item)
                elif key == _SOURCES_KEY and isinstance(item, list):
                    value[key] = [redact(s) if isinstance(s, str) else s for s in item]
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(out)
    return out
