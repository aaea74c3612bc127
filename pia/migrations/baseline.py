"""Baselines: findings a team has accepted, so CI fails only on new ones.

Like detect-secrets, a baseline entry's identity ignores line numbers: it is a SHA-256 over
(file, rule id, ``table.column``, kind), where kind is the entity type, or for a literal the
entity type and its masked form. Moving a statement, or adding migrations above it, does not
resurrect an accepted finding; renaming the column or the file does. The file holds only
what is safe to commit: paths, rule ids, column names, masked values — never a raw value.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pia.errors import ConfigError
from pia.migrations.files import shown
from pia.migrations.finding import Finding

VERSION = 1


def load(path: str | Path) -> dict[str, dict[str, Any]]:
    """Accepted findings by fingerprint; a missing file is an empty baseline."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"baseline {path}: not a readable JSON file ({err})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(
            data.get("results"), list):
        raise ConfigError(f"baseline {path}: expected {{'version': {VERSION}, 'results': [...]}}")
    out = {}
    for entry in data["results"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise ConfigError(f"baseline {path}: every result needs a 'fingerprint'")
        out[entry["fingerprint"]] = entry
    return out


def apply(findings: list[Finding], accepted: dict[str, dict[str, Any]]) -> None:
    """Mark open findings whose fingerprint the baseline holds as ``baselined``."""
    for finding in findings:
        if finding.status == "open" and finding.fingerprint in accepted:
            finding.status = "baselined"


def entry(finding: Finding) -> dict[str, Any]:
    return {"fingerprint": finding.fingerprint, "file": finding.file,
            "rule_id": finding.rule_id, "target": finding.target, "kind": finding.kind,
            "severity": finding.severity}


def update(path: str | Path, findings: list[Finding], checked_files: list[str]) -> int:
    """Rewrite the baseline: entries for the files checked now are replaced by their current
    open or baselined findings; entries for other files are kept (a ``--git-diff`` run must
    not forget the rest of the repository). Returns the number of entries written."""
    checked = {shown(f) for f in checked_files}
    kept = [e for e in load(path).values() if e.get("file") not in checked]
    current = [entry(f) for f in findings if f.status in ("open", "baselined")]
    results = {e["fingerprint"]: e for e in kept + current}
    ordered = sorted(results.values(), key=lambda e: (e.get("file", ""), e.get("target", ""),
                                                      e.get("rule_id", ""), e["fingerprint"]))
    doc = {"version": VERSION, "generated_by": "pia check-migrations", "results": ordered}
    Path(path).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return len(ordered)
