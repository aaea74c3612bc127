"""Baselines: findings a team has accepted, so CI fails only on new ones.

Like detect-secrets, a baseline entry's identity ignores line numbers: it is a SHA-256 over
(file, rule id, ``table.column``, kind), where kind is the entity type, or for a literal the
entity type and how the literal is known. Each entry counts its occurrences: a third copy of
a value accepted twice is new.

How a literal is known depends on the organisation key (``PIA_FINGERPRINT_KEY`` or
``PIA_FINGERPRINT_KEY_FILE``, ``pia.migrations.literals.organisation_fingerprinter``), which
is never written into the baseline:

- with the key, by a keyed fingerprint of its value (HMAC-SHA256, as ``pia scan`` makes):
  another person's ID number with the same masked form is a new finding, and the file, even
  with the masked value CI printed, gives nothing to try the 10^4 or 10^8 candidates with.
  Runs and machines that share the key share the baseline; keep the key a CI secret.
- without it, by its place among its file's findings (``CN_MOBILE:literal-2``): stable on
  any machine and holding nothing derived from the value, but a value replaced by another
  in the same place stays accepted, and one inserted above renumbers those below it.

A baseline written with the key names it by its ``key_id`` (an HMAC of a fixed text, which
gives nothing of the key). Read without the key, or with another one, its keyed literal
entries match nothing and every literal they accepted is new: one warning says so (QA: a
pull request from a fork, which gets no secrets, failed with no word why).

Moving a statement, or adding migrations above it, does not resurrect an accepted column
finding; renaming the column does. Moving or renaming the file does not either, with or
without ``--git-diff`` (QA: the pull request passed, the full check of main failed on the
same migrations): an entry's fingerprint names its file, so a finding first matches the
entries of its own path, or under ``--git-diff`` of the path git says it came from
(``apply``'s ``moves``); then an entry whose file no longer exists matches by the finding's
own identity — rule, ``table.column`` and kind (for a literal, its key's fingerprint or its
place in the file) — with the file as a hint only (one of the same file name first). An
entry that matches nothing, of a file checked or gone, is said on stderr (``unmatched``):
``--update-baseline`` drops it.
The file holds only what is safe to commit: paths, rule ids, column names, fingerprints —
never a raw value nor a key.

Version 2 baselines kept a random ``salt`` beside the fingerprints it keyed, so the file and
a masked sample gave the value back. They are still read, with a warning: their literals
match under that salt until ``--update-baseline`` writes version 3, which drops the salt and
the salt-keyed literal entries of files it did not check (they come back when checked).
Version 1 baselines (no salt, no counts, literals by their masked form) are still read:
their column and parse entries match as before, without a count; their literal entries
match nothing any more.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pia.errors import ConfigError, InputError
from pia.masking import Fingerprinter
from pia.migrations.files import shown
from pia.migrations.finding import Finding
from pia.migrations.literals import organisation_fingerprinter
from pia.migrations.messages import Note
from pia.writes import write_output

VERSION = 3
READABLE = (1, 2, 3)
#: a literal entry keyed by a fingerprint (a version 2 salt's, or the organisation key's)
_KEYED = ":" + Fingerprinter.PREFIX


@dataclass
class Baseline:
    """Accepted findings by fingerprint; ``salt`` only for a version 2 file still read."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    salt: str | None = None
    warnings: list[str] = field(default_factory=list)
    key_id: str | None = None  # of the organisation key its keyed literal entries used

    def fingerprinter(self, updating: bool = False) -> Fingerprinter | None:
        """What keys literal fingerprints: a version 2 file's salt while it is only read,
        else the organisation key, else None (literals are known by their place)."""
        if self.salt and not updating:
            return Fingerprinter(self.salt.encode("ascii"))
        return organisation_fingerprinter()


def load(path: str | Path) -> Baseline:
    """The baseline in ``path``; a missing file is an empty baseline with a new salt."""
    path = Path(path)
    if not path.exists():
        return Baseline()
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"baseline {path}: not a readable JSON file ({err})") from None
    except RecursionError:  # nested past the parser's stack: a traceback, exit 1 (QA)
        raise ConfigError(f"baseline {path}: not a readable JSON file (nested too deep)"
                          ) from None
    if not isinstance(data, dict) or data.get("version") not in READABLE or not isinstance(
            data.get("results"), list):
        raise ConfigError(f"baseline {path}: expected {{'version': {VERSION}, 'results': [...]}}")
    salt = data.get("salt")
    if data["version"] == 2 and not (isinstance(salt, str) and len(salt) >= 32):
        raise ConfigError(f"baseline {path}: 'salt' must be a string of at least 32 characters")
    warnings = []
    if data["version"] == 2:
        salt = str(salt)
        warnings.append(Note("baseline_v2", {"path": str(path)}))
    else:
        salt = None
    out = {}
    for entry in data["results"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise ConfigError(f"baseline {path}: every result needs a 'fingerprint'")
        count = entry.get("count", 1 if data["version"] >= 2 else None)
        if count is not None and not (isinstance(count, int) and count >= 1):
            raise ConfigError(f"baseline {path}: a result's 'count' must be a positive integer")
        out[entry["fingerprint"]] = {**entry, "count": count}
    key_id = data.get("key_id") if isinstance(data.get("key_id"), str) else None
    if salt is None:
        warnings += _key_warnings(path, out, key_id)
    return Baseline(out, salt, warnings, key_id)


def _key_warnings(path: Path, entries: dict[str, dict[str, Any]],
                  key_id: str | None) -> list[Note]:
    """A warning when the baseline's keyed literal entries cannot match: no organisation
    key is set, or another one than the baseline was written with."""
    keyed = sum(1 for e in entries.values() if _KEYED in str(e.get("kind", "")))
    if not keyed:
        return []
    current = organisation_fingerprinter()
    where = {"path": str(path), "count": keyed}
    if current is None:
        return [Note("baseline_keyed_no_key", where)]
    if key_id is not None and key_id != current.key_id:
        return [Note("baseline_keyed_other_key", where)]
    return []


def apply(findings: list[Finding], accepted: Baseline,
          moves: dict[str, str] | None = None) -> set[str]:
    """Mark open findings the baseline holds as ``baselined``, as many of each as it counts
    (a version 1 entry, without a count, accepts them all). ``moves`` names the file each
    moved file was at (``--git-diff``: git's renames): an entry for the old path accepts
    the finding in the new one, so a migration moved into an archive folder, or renamed
    with edits, keeps what was accepted of it. Then what is still open is matched with the
    entries of files that no longer exist by its own identity (``_orphans``), so a full
    check reaches the verdict a ``--git-diff`` run does. Returns the fingerprints of the
    entries that accepted a finding."""
    matcher = Matcher(accepted, moves)
    still_open = [f for f in findings if f.status == "open" and not matcher.own(f)]
    for finding in still_open:
        matcher.orphan(finding)
    return matcher.used


class Matcher:
    """``apply``'s two passes, a finding at a time: a seed file's values are matched as
    they are read (``pia.migrations.grouped``), none of them held. ``own`` is the first
    pass (the entry of the finding's file, or of the file git says it came from); ``orphan``
    the second, which must wait until every finding had its first pass: an entry of a
    moved file may accept a later finding of the file it moved to first."""

    def __init__(self, accepted: Baseline, moves: dict[str, str] | None = None) -> None:
        self.left = {fp: e.get("count") for fp, e in accepted.entries.items()}
        self.used: set[str] = set()
        self.moves = moves or {}
        self.orphans = _orphans(accepted)

    def own(self, finding: Finding) -> bool:
        """Accept an open ``finding`` by its fingerprint in its file, or in the file it
        moved from; False when no entry with a count left holds it."""
        fp = next((fp for fp in (finding.fingerprint, finding.fingerprint_in(
            self.moves.get(finding.file, finding.file))) if self.left.get(fp, 0) != 0), None)
        if fp is None:
            return False
        _accept(finding, fp, self.left, self.used)
        return True

    def may_orphan(self, finding: Finding) -> float:
        """How many findings of ``finding``'s identity the entries of gone files may still
        accept (infinite for a version 1 entry, without a count): the second pass gives
        them to the first that come, so a finding past that many stays open whatever
        comes."""
        left = [self.left.get(fp, 0) for fp, _file in self.orphans.get(orphan_key(finding), [])]
        return float("inf") if None in left else sum(left)  # type: ignore[arg-type]

    def orphan(self, finding: Finding) -> None:
        """The second pass for a finding still open after the first of every finding:
        an entry of a file that no longer exists, one of the same file name first."""
        candidates = self.orphans.get(orphan_key(finding), [])
        name = os.path.basename(finding.file)
        fp = next((fp for fp, file in sorted(candidates, key=lambda c: os.path.basename(
            c[1]) != name) if self.left.get(fp, 0) != 0), None)
        if fp is not None:
            _accept(finding, fp, self.left, self.used)


def _accept(finding: Finding, fp: str, left: dict[str, int | None], used: set[str]) -> None:
    finding.status = "baselined"
    used.add(fp)
    if left[fp] is not None:
        left[fp] = left[fp] - 1  # type: ignore[operator]


#: what an entry of a gone file matches a finding by: (rule id, ``table.column``, kind)
OrphanKey = tuple[str, str, str]


def orphan_key(finding: Finding) -> OrphanKey:
    """The identity by which an entry of a file that no longer exists accepts ``finding``
    (``_orphans``): its rule, ``table.column`` and kind, not its file."""
    return (finding.rule_id, finding.target, finding.kind)


def _orphans(accepted: Baseline) -> dict[OrphanKey, list[tuple[str, str]]]:
    """The entries whose file no longer exists (moved, renamed or deleted), by the identity
    of the finding they accepted: (rule id, ``table.column``, kind) → [(fingerprint,
    file)]. An entry of a file still there keeps to it: the same column defined in another
    migration is another finding. A version 1 entry without these fields matches only by
    its fingerprint, as before."""
    out: dict[OrphanKey, list[tuple[str, str]]] = {}
    for fp, e in accepted.entries.items():
        file = e.get("file")
        if not (isinstance(file, str) and file and e.get("rule_id") and e.get("kind")):
            continue
        if not os.path.lexists(file):
            key = (str(e["rule_id"]), str(e.get("target", "")), str(e["kind"]))
            out.setdefault(key, []).append((fp, file))
    return out


def unmatched(accepted: Baseline, used: set[str], checked_files: list[str],
              path: str | Path, whole: bool = True) -> list[Note]:
    """A warning for the entries that accepted nothing in a file checked now (the finding
    was fixed or silenced) or, in a ``whole`` check (not ``--git-diff``), in one that no
    longer exists (nothing it accepted was found where it went): ``--update-baseline``
    drops them. Entries of files a ``--git-diff`` run did not check are not counted: a
    file moved without edits is no change, and nothing was asked of them."""
    checked = {shown(f) for f in checked_files}
    # keyed literal entries that could not match (no key, another key) were said already
    unkeyable = any(getattr(w, "key", "") in ("baseline_keyed_no_key",
                                              "baseline_keyed_other_key")
                    for w in accepted.warnings)
    stale = [e for fp, e in accepted.entries.items() if fp not in used
             and isinstance(e.get("file"), str)
             and not (unkeyable and _KEYED in str(e.get("kind", "")))
             and (e["file"] in checked or whole and not os.path.lexists(e["file"]))]
    if not stale:
        return []
    gone = sum(1 for e in stale if not os.path.lexists(e["file"]))
    return [Note("baseline_unmatched", {"path": str(path), "count": len(stale), "gone": gone})]


def entry(finding: Finding, count: int = 1) -> dict[str, Any]:
    return {"fingerprint": finding.fingerprint, "file": finding.file,
            "rule_id": finding.rule_id, "target": finding.target, "kind": finding.kind,
            "severity": finding.severity, "count": count}


def _gone(file: str, scopes: list[str]) -> bool:
    """Is ``file`` under one of the paths checked (``scopes``), and no longer there (deleted
    or renamed)? A file outside them is not known to be gone: it was not looked at."""
    if os.path.lexists(file):
        return False
    where = os.path.abspath(file)
    return any(where == top or where.startswith(top.rstrip(os.sep) + os.sep)
               for top in map(os.path.abspath, scopes))


class Tally:
    """The open and baselined findings as ``update`` writes them, added one at a time: by
    fingerprint, the entry of the last one and how many there are. A seed file's values
    are counted as they are read, not held (``pia.migrations.grouped``)."""

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        self.entries: dict[str, dict[str, Any]] = {}
        for finding in findings:
            self.add(finding)

    def add(self, finding: Finding) -> None:
        if finding.status not in ("open", "baselined"):
            return
        fp = finding.fingerprint
        before = self.entries.get(fp)
        self.entries[fp] = entry(finding, before["count"] + 1 if before else 1)


def update(path: str | Path, findings: list[Finding] | Tally, checked_files: list[str],
           accepted: Baseline, scopes: list[str] | None = None) -> int:
    """Rewrite the baseline: entries for the files checked now are replaced by their current
    open or baselined findings, counted; entries for other files are kept (a ``--git-diff``
    run must not forget the rest of the repository), but for files under the paths checked
    (``scopes``) that no longer exist: a file re-added under a deleted file's name (a revert,
    a reused name) must not inherit its accepted findings. The findings must have been made
    with ``accepted.fingerprinter(updating=True)``. A version 2 file's literal entries keyed
    under its salt are not kept. Returns the number of findings accepted. A directory that
    does not exist is not made: a mistyped path must not leave a baseline where no later
    run reads it."""
    checked = {shown(f) for f in checked_files}
    kept = [e for e in accepted.entries.values() if e.get("file") not in checked
            and not (accepted.salt and _KEYED in str(e.get("kind", "")))
            and not _gone(str(e.get("file", "")), scopes or [])]
    current = findings if isinstance(findings, Tally) else Tally(findings)
    results = {e["fingerprint"]: {k: v for k, v in e.items() if v is not None} for e in kept}
    results.update(current.entries)
    ordered = sorted(results.values(), key=lambda e: (e.get("file", ""), e.get("target", ""),
                                                      e.get("rule_id", ""), e["fingerprint"]))
    doc: dict[str, Any] = {"version": VERSION, "generated_by": "pia check-migrations"}
    key = organisation_fingerprinter()
    if key is not None and any(_KEYED in str(e.get("kind", "")) for e in ordered):
        doc["key_id"] = key.key_id  # names the key, so a run with another one says so
    doc["results"] = ordered
    try:
        write_output(path, [json.dumps(doc, ensure_ascii=False, indent=2) + "\n"])
    except OSError as err:  # exit 2, not 1: to CI a 1 is a finding, this is its setup
        parent = os.path.dirname(os.path.abspath(path))
        why = f"no such directory {parent}" if not os.path.isdir(parent) else err.strerror
        raise InputError(f"cannot write baseline {path}: {why}") from None
    return sum(e.get("count") or 1 for e in ordered)
