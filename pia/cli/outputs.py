"""What `pia scan` checks about its arguments before it opens anything.

Sources are only read. A report (``-o``), a bundle (``--bundle``) or a journal (``--state``)
may therefore not be, or lie inside, a local file or directory the scan reads (a glob
counts as every path it matches), nor be one of the scan's own input files; a journal
directory may not hold a source either (it is emptied unless ``--resume``). Paths are
compared after resolving symlinks. A new file inside a scanned directory is refused too:
this scan would not read it, but the next scan of that directory would.

A glob that matches nothing is a usage error: nothing would be scanned.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

from pia.errors import PiaError, UsageError

#: report formats by file extension (``-`` is JSON on stdout)
EXTENSIONS = {".json": "json", ".html": "html", ".htm": "html", ".md": "md",
              ".sarif": "sarif", ".txt": "table"}
_MAGIC = set("*?[")


def report_format(path: str) -> str:
    """The format ``-o PATH`` writes; an extension pia does not know is a usage error."""
    if path == "-":
        return "json"
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise UsageError(f"report path {path}: unknown extension {suffix or '(none)'}; use"
                         f" one of {', '.join(EXTENSIONS)}")
    return EXTENSIONS[suffix]


def _local(source: str) -> tuple[str | None, list[str]]:
    """(the path or glob as given, the local paths it names) — (None, []) for servers,
    buckets and anything the scan itself will reject."""
    from pia.connectors import connector_for

    try:
        connector = connector_for(source)
        if connector.name == "sqlite":
            return source, [connector.where(source)]
        if connector.name != "files":
            return None, []
        from pia.uri import file_path

        path = file_path(source)
    except PiaError:
        return None, []
    if not os.path.lexists(path) and _MAGIC & set(path):
        return path, sorted(glob.glob(path, recursive=True))
    return path, [path]


def check_sources(sources: list[str]) -> None:
    for source in sources:
        pattern, paths = _local(source)
        if pattern is not None and not paths:
            raise UsageError(f"source {source}: no file matches this pattern")


def _inside(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def check_writes(sources: list[str], writes: list[tuple[str, str]],
                 inputs: list[tuple[str, str]]) -> None:
    """Refuse a (flag, path) in ``writes`` that would overwrite or land inside a source, or
    overwrite an input (flag, path)."""
    read = [(os.path.realpath(p), p) for s in sources for p in _local(s)[1]]
    for flag, path in writes:
        if path == "-":
            continue
        real = os.path.realpath(path)
        what = "report path" if flag == "-o" else f"{flag} path"
        for source_real, source in read:
            if real == source_real:
                raise UsageError(f"{what} {path} is a source being scanned")
            if _inside(real, source_real):
                raise UsageError(f"{what} {path} is inside {source}, a source being scanned")
            if flag == "--state" and _inside(source_real, real):
                raise UsageError(f"{what} {path} holds {source}, a source being scanned")
        for input_flag, input_path in inputs:
            if real == os.path.realpath(input_path):
                raise UsageError(f"{what} {path} is this scan's {input_flag} file")
