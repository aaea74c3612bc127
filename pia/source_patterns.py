"""How ``--include``/``--exclude`` apply to a scan of several kinds of source.

A pattern names tables (``schema.table``, or a bare table name), files (a path below the
directory scanned, or a file's name) or objects (a key below the prefix). One command line
may scan a database and a log directory: ``pia scan postgresql://… logs --include
'crm.*'``. A pattern for the tables selected no file of the logs, and the scan failed, after
the database had been read (QA estate D4). So, per kind of source:

- The local files are checked against the patterns before anything is connected to
  (``scope``). When no ``--include`` pattern selects a file of any file source and the scan
  names a database or a bucket too, the patterns are theirs: the files are read whole
  (``--exclude`` still applies to them). Otherwise a file source in which they select no
  file is a usage error, said now rather than once the sources before it were read.
- When every ``--include`` pattern selects local files, they are the files': a database in
  which they select no table is read whole (``PATTERNS_OF_FILES``). Otherwise such a
  database is a usage error, as a typo (``crm.ordres``) must not pass as a clean audit.
- A bucket applies them to its keys as ever: its objects are files too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pia.connectors import connector_for
from pia.connectors.base import PATTERNS_OF_FILES, ScanOptions
from pia.errors import PiaError, UsageError
from pia.uri import redact


@dataclass
class PatternScope:
    """Which sources the ``--include`` patterns narrow (see the module doc)."""

    #: the file sources read without the ``--include`` patterns (they select none of their
    #: files, and are the databases' or buckets')
    files_whole: set[str] = field(default_factory=set)
    #: every ``--include`` pattern selects a local file
    of_files: bool = False

    def options_for(self, uri: str, options: ScanOptions) -> ScanOptions:
        """The options ``uri`` is read with."""
        if uri in self.files_whole:
            return replace(options, include=[])
        if self.of_files:
            return replace(options, extra={**options.extra, PATTERNS_OF_FILES: True})
        return options


def scope(sources: list[str], options: ScanOptions) -> PatternScope:
    """Check the local files of ``sources`` against the patterns, before any source is
    opened, and say which sources they narrow; ``UsageError`` for a file source of which
    they select no file (``--include '*.CSV'``), as its reading would have."""
    out = PatternScope()
    if not (options.include or options.exclude):
        return out
    files: dict[str, list[str]] = {}  # each file source: the paths below it
    for uri in sources:
        try:
            if connector_for(uri).name == "files":
                files[uri] = _paths(uri)
        except PiaError:
            continue  # refused when it is read, with its own message
    others = len(files) < len(sources)
    some_file = [p for p in options.include
                 if any(_selected(rel, [p], options.exclude) for rels in files.values()
                        for rel in rels)]
    out.of_files = bool(options.include) and len(some_file) == len(options.include)
    whole = bool(options.include) and not some_file and others
    for uri, rels in files.items():
        include = [] if whole else options.include
        if whole:
            out.files_whole.add(uri)
        if rels and not any(_selected(rel, include, options.exclude) for rel in rels):
            shown = ScanOptions(include=include, exclude=options.exclude).filters()
            raise UsageError(f"{shown}: no file of {redact(uri)} is selected "
                             f"({len(rels)} found)")
    return out


def _paths(uri: str) -> list[str]:
    """The paths below a file source that its walk finds (relative, as patterns see them);
    none when it cannot be walked (its reading says why)."""
    from pia.connectors.files.walk import walk

    try:
        return [entry.rel for entry in walk(uri, [], [])[0]]
    except PiaError:
        return []


def _selected(rel: str, include: list[str], exclude: list[str]) -> bool:
    from pia.connectors.files.walk import selected

    return selected(rel, include, exclude)
