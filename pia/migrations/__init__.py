"""Migration checks: find unprotected personal information that SQL migrations add.

The public surface the CLI (and a CI wrapper) uses::

    declared = load_declared("pia.yaml")            # or None
    findings, errors = check_files(paths, dialect="auto", declared=declared)

``findings`` carry file/line/col, rule id, severity and a message that never holds a raw PI
value; ``errors`` name files that are not SQL (binary, not UTF-8), which the CLI turns into
exit 2. See ``docs/migrations.md`` for the rules and CI recipes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from pia.errors import InputError
from pia.masking import Fingerprinter
from pia.migrations.check import Declared, Tables, check_findings, check_text
from pia.migrations.files import shown
from pia.migrations.finding import RULE_IDS, Finding, Unread
from pia.migrations.history import Earlier
from pia.migrations.locations import configured, given
from pia.migrations.sqltext import DIALECTS, read_sql

__all__ = ["DIALECTS", "RULE_IDS", "Declared", "Finding", "check_each", "check_files",
           "check_text", "load_declared"]


def load_declared(path: str | Path | None) -> Declared:
    """The columns a declaration protects and lists; an empty ``Declared`` without one."""
    if path is None:
        return Declared()
    from pia.declaration import load_declaration

    return Declared.from_data(load_declaration(path).data)


def check_files(paths: list[str], dialect: str = "auto", declared: Declared | None = None,
                fingerprint: Fingerprinter | None = None,
                notes: list[str] | None = None,
                locations: list[str] | None = None,
                exclude: Sequence[str] = ()) -> tuple[list[Finding], list[str]]:
    """Check each file; a file that is not SQL is reported in ``errors`` and skipped. When
    a file copies a table the run has not seen created, or renames one's column, the
    ``*.sql`` files that run before it and that the run has not checked yet (an unchanged
    migration under ``--git-diff``) are read for what that table holds, so the copy is
    judged; only their statements about that table are read, and their own findings are
    not reported (``history``). They are looked for beside the files checked, and at any
    depth under ``locations`` (the folders the user gave: ``pia check-migrations`` passes
    them; else the folders among ``paths``) and Flyway's configured locations
    (``pia.migrations.locations``).
    The files ``exclude`` matches (``files.excluded``) are not read as earlier ones either.
    ``fingerprint`` keys literal values' fingerprints (a baseline's; else the organisation's
    key when one is configured; else a literal is identified by its place, not its value).
    What the user should know but is not a finding (a suppression not applied) goes to
    ``notes``."""
    findings: list[Finding] = []
    errors = check_each(paths, findings.append, dialect, declared, fingerprint, notes,
                        locations, exclude)
    return findings, errors


def check_each(paths: list[str], add: Callable[[Finding], None], dialect: str = "auto",
               declared: Declared | None = None, fingerprint: Fingerprinter | None = None,
               notes: list[str] | None = None, locations: list[str] | None = None,
               exclude: Sequence[str] = ()) -> list[str]:
    """``check_files``, each finding given to ``add`` as it is made, in the same order:
    ``pia check-migrations`` counts a seed file's values rather than holding them
    (``grouped``). Returns the errors."""
    errors: list[str] = []
    tables: Tables = {}  # a copy of a table defined by an earlier file has its columns
    if locations is None:
        locations = given(paths)
    history = Earlier(dialect, [*locations, *configured()],
                      [os.path.dirname(p) or "." for p in dict.fromkeys(paths)], exclude)
    for path in paths:
        name = shown(path)  # the file is opened by its own name, shown with \xe9 escapes
        try:  # a file not read as SQL fails before its first finding: none is given
            for finding in check_findings(name, read_sql(path), dialect, declared,
                                          fingerprint, notes, tables,
                                          partial(history.fill, path)):
                add(finding)
        except InputError as err:
            errors.append(Unread(name, shown(str(err))))
    return errors
