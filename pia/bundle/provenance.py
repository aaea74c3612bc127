"""Where a bundle's rulesets and declaration come from: the ones pia ships and the ones the
report names. A company signs its own bundles, so a ruleset under an official id, a version
on the page or a ``pia.yaml`` swapped after the scan must be caught by comparison, not by
the signature. Each function raises ``Refused`` naming the first difference.
"""

from __future__ import annotations

import json
from typing import Any

from pia.bundle import safezip
from pia.bundle.create import DECLARATION, MANIFEST, REPORT, sha256
from pia.bundle.safezip import Refused


def versions_agree(ruleset: Any, report: dict[str, Any], manifest: dict[str, Any]) -> None:
    """The version the report and the manifest name (which show renders) is the bundled
    ruleset's own: ``cn-pipl 2027.9`` on the page must not stand for the text of 2026.2."""
    for where, entries in ((REPORT, report["scan"]["rulesets"]), (MANIFEST, manifest["rulesets"])):
        for entry in entries:
            if entry.get("id") == ruleset.id and entry.get("version", ruleset.version) != \
                    ruleset.version:
                raise Refused("rulesets-match-report", f"{where} names {ruleset.id} version "
                              f"{safezip.printable(entry.get('version'), 40)} but the bundled "
                              f"ruleset is version {ruleset.version}")


class OtherRelease(Refused):
    """A bundled ruleset under an official id names another version than this pia ships:
    another pia's release of it (rules change between releases), which this pia cannot judge,
    whatever version string the pia that made it gave itself."""


def shipped(rulesets: list[Any]) -> str:
    """A bundled ruleset with the id of one pia ships (``cn-pipl``) is this pia's own copy,
    byte for byte: otherwise its findings follow from rules the regulator has not read, under
    an official name. A bundle made by another pia version differs too, and says so."""
    from pia import __version__
    from pia.rules import BUNDLED, bundled_text, load_ruleset_text

    checked = []
    for ruleset in rulesets:
        if ruleset.id not in BUNDLED:
            continue
        text = bundled_text(ruleset.id)
        ours, theirs = sha256(text.encode("utf-8")), sha256(ruleset.text.encode("utf-8"))
        if ours != theirs:
            version = load_ruleset_text(text, f"pia:{ruleset.id}").version
            refusal = OtherRelease if str(ruleset.version) != str(version) else Refused
            raise refusal("rulesets-as-shipped", f"bundled ruleset {ruleset.id} version "
                          f"{safezip.printable(ruleset.version, 40)} (sha256 {theirs}) is not the "
                          f"{ruleset.id} {version} shipped with this pia {__version__} (sha256 "
                          f"{ours}); the bundle may come from another pia version: verify it "
                          "with that version, or read the bundled rules")
        checked.append(ruleset.id)
    return (f"{', '.join(checked)} as shipped with pia {__version__}" if checked
            else "no ruleset shipped with pia")


def declaration_agrees(body: bytes, declaration: Any, recorded: dict[str, Any],
                        report: dict[str, Any], manifest: dict[str, Any] | None) -> None:
    """The bundled ``pia.yaml`` is the declaration the report names: its digest is the one
    the scan recorded (``redacted_sha256``, in reports since it was added), and what the report
    derived from it (organisation, unmatched assets and columns) follows from it."""
    digest = recorded.get("redacted_sha256")
    if digest is not None and sha256(body) != digest:
        raise Refused("declaration-readable", f"{DECLARATION} (sha256 {sha256(body)}) is not the "
                      f"redacted declaration the scan recorded (sha256 "
                      f"{safezip.printable(digest, 70)})")
    claimed = (manifest or {}).get("declaration")
    if isinstance(claimed, dict) and claimed.get("source_sha256") != recorded.get("sha256"):
        raise Refused("declaration-readable", f"{MANIFEST} names declaration sha256 "
                      f"{safezip.printable(claimed.get('source_sha256'), 70)}, the report "
                      f"{safezip.printable(recorded.get('sha256'), 70)}")
    derived = declaration.reference(report)
    for key in ("organisation", "unmatched_assets", "unmatched_columns"):
        if key in recorded and recorded.get(key) != derived.get(key):
            was = json.dumps(recorded.get(key), ensure_ascii=False)
            now = json.dumps(derived.get(key), ensure_ascii=False)
            raise Refused("declaration-readable", f"scan.declaration.{key} is "
                          f"{safezip.printable(was, 80)} but {DECLARATION} gives "
                          f"{safezip.printable(now, 80)}")
