"""Baselines: findings a team has accepted, so CI fails only on new ones.

Like detect-secrets, a baseline entry's identity ignores line numbers: it is a SHA-256 over
(file, rule id, ``table.column``, kind), where kind is the entity type, or for a literal the
entity type and a keyed fingerprint of the value (HMAC-SHA256, ``pia.masking``) under the
baseline's own random ``salt``. Keyed, so that another person's ID number with the same first
and last four characters is a new finding (a masked form made them one), and nobody can try
the 10^8 mobile numbers against the file without it. The salt is written in the baseline, which
is committed beside the migrations that hold the accepted values: it reveals nothing they do
not. Each entry counts its occurrences: a third copy of a value accepted twice is new.

Moving a statement, or adding migrations above it, does not resurrect an accepted finding;
renaming the column or the file does. The file holds only what is safe to commit: paths, rule
ids, column names, fingerprints — never a raw value.

Version 1 baselines (no salt, no counts, literals by their masked form) are still read: their
column and parse entries match as before, without a count; their literal entries match
nothing any more, so such findings come back until ``--update-baseline`` rewrites the file.
"""

from __future__ import annotations

import json
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pia.errors import ConfigError
from pia.masking import Fingerprinter
from pia.migrations.files import shown
from pia.migrations.finding import Finding

VERSION = 2
READABLE = (1, 2)


@dataclass
class Baseline:
    """Accepted findings by fingerprint, and the salt literal values are fingerprinted with."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    salt: str = field(default_factory=lambda: secrets.token_hex(32))

    def fingerprinter(self) -> Fingerprinter:
        return Fingerprinter(self.salt.encode("ascii"))


def load(path: str | Path) -> Baseline:
    """The baseline in ``path``; a missing file is an empty baseline with a new salt."""
    path = Path(path)
    if not path.exists():
        return Baseline()
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"baseline {path}: not a readable JSON file ({err})") from None
    if not isinstance(data, dict) or data.get("version") not in READABLE or not isinstance(
            data.get("results"), list):
        raise ConfigError(f"baseline {path}: expected {{'version': {VERSION}, 'results': [...]}}")
    salt = data.get("salt")
    if data["version"] >= 2 and not (isinstance(salt, str) and len(salt) >= 32):
        raise ConfigError(f"baseline {path}: 'salt' must be a string of at least 32 characters")
    out = {}
    for entry in data["results"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise ConfigError(f"baseline {path}: every result needs a 'fingerprint'")
        count = entry.get("count", 1 if data["version"] >= 2 else None)
        if count is not None and not (isinstance(count, int) and count >= 1):
            raise ConfigError(f"baseline {path}: a result's 'count' must be a positive integer")
        out[entry["fingerprint"]] = {**entry, "count": count}
    return Baseline(out, salt) if salt else Baseline(out)


def apply(findings: list[Finding], accepted: Baseline) -> None:
    """Mark open findings the baseline holds as ``baselined``, as many of each as it counts
    (a version 1 entry, without a count, accepts them all)."""
    left = {fp: e.get("count") for fp, e in accepted.entries.items()}
    for finding in findings:
        fp = finding.fingerprint
        if finding.status != "open" or fp not in left:
            continue
        if left[fp] is None or left[fp] > 0:
            finding.status = "baselined"
            if left[fp] is not None:
                left[fp] -= 1


def entry(finding: Finding, count: int = 1) -> dict[str, Any]:
    return {"fingerprint": finding.fingerprint, "file": finding.file,
            "rule_id": finding.rule_id, "target": finding.target, "kind": finding.kind,
            "severity": finding.severity, "count": count}


def update(path: str | Path, findings: list[Finding], checked_files: list[str],
           accepted: Baseline) -> int:
    """Rewrite the baseline: entries for the files checked now are replaced by their current
    open or baselined findings, counted; entries for other files are kept (a ``--git-diff``
    run must not forget the rest of the repository). The findings must have been made with
    ``accepted.fingerprinter()``. Returns the number of findings accepted."""
    checked = {shown(f) for f in checked_files}
    kept = [e for e in accepted.entries.values() if e.get("file") not in checked]
    current = [f for f in findings if f.status in ("open", "baselined")]
    counts = Counter(f.fingerprint for f in current)
    results = {e["fingerprint"]: {k: v for k, v in e.items() if v is not None} for e in kept}
    results.update({f.fingerprint: entry(f, counts[f.fingerprint]) for f in current})
    ordered = sorted(results.values(), key=lambda e: (e.get("file", ""), e.get("target", ""),
                                                      e.get("rule_id", ""), e["fingerprint"]))
    doc = {"version": VERSION, "generated_by": "pia check-migrations", "salt": accepted.salt,
           "results": ordered}
    Path(path).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return sum(e.get("count") or 1 for e in ordered)
