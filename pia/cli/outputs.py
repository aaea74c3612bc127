"""What `pia scan` checks about its arguments before it opens anything.

Sources are only read. A report (``-o``), a bundle (``--bundle``) or a journal (``--state``)
may therefore not be, or lie inside, a local file or directory the scan reads (a glob
counts as every path it matches), nor be one of the scan's own input files; a journal
directory may not hold a source either (it is emptied unless ``--resume``). Paths are
compared after resolving symlinks. A new file inside a scanned directory is refused too:
this scan would not read it, but the next scan of that directory would. A report or bundle
whose directory does not exist or may not be written, or whose path is a directory, is
refused before the scan, not after it.

A glob that matches nothing is a usage error: nothing would be scanned. So are two sources
that overlap (a directory and a file or folder in it, a bucket and one of its prefixes, the
same database twice): what they share would be read twice and every count, item and
finding of it doubled in the report. Two outputs naming one file (or stdout twice) are
refused too: the second would replace the first.

Every file pia writes for the user goes through ``pia.writes.write_output``.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import NamedTuple

from pia.errors import PiaError, SourceError, UsageError
from pia.writes import write_output  # noqa: F401 (the writer of every -o file)

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


def refuse_mismatch(fmt: str, path: str, implied: str | None, given: str | None = None) -> None:
    """A usage error when ``--format fmt`` contradicts the format ``implied`` by the output
    ``path`` (its extension; JSON for ``-`` in ``pia scan``): Markdown in a .html file
    opens as a page of raw text, and a guess either way would hide the typo. ``given`` is
    the format as the user spelled it (txt, where ``fmt`` is its synonym table)."""
    if implied in (None, fmt):
        return
    spelled = given or fmt
    if path == "-":
        raise UsageError(f"--format {spelled} does not match -o - (JSON on stdout): leave"
                         " --format out, or write the report to a file")
    raise UsageError(f"--format {spelled} does not match {path} ({implied}): give the file"
                     " the format's extension, or leave --format out")


class _Local(NamedTuple):
    pattern: str | None  # the path or glob as given; None for servers and buckets
    paths: list[str]  # the local paths it names
    sqlite: bool = False  # a SQLite database named as a source


def _local(source: str) -> _Local:
    """The local files a source names; none for servers, buckets and anything the scan
    itself will reject."""
    from pia.connectors import connector_for

    try:
        connector = connector_for(source)
        if connector.name == "sqlite":
            return _Local(source, [connector.where(source)], sqlite=True)
        if connector.name != "files":
            return _Local(None, [])
        from pia.uri import file_path

        path = file_path(source)
    except PiaError:
        return _Local(None, [])
    if not os.path.lexists(path) and _MAGIC & set(path):
        return _Local(path, sorted(glob.glob(path, recursive=True)))
    return _Local(path, [path])


def check_sources(sources: list[str]) -> None:
    local: list[tuple[str, bool, set[str]]] = []
    remote = []
    for source in sources:
        if not source:  # "$LOGDIR" unset: the overlap checks took it for the current directory
            raise UsageError("an empty source (''): name a file, directory, glob or URI"
                             " (an unset variable?)")
        pattern, paths, sqlite = _local(source)
        if pattern is not None and not paths:
            from pia.connectors.files.walk import unlisted

            why = unlisted(pattern)  # a folder it cannot list hides what may match
            if why:
                raise SourceError(f"source {source}: {why}")
            raise UsageError(f"source {source}: no file matches this pattern")
        if paths:
            local.append((source, sqlite, {os.path.realpath(p) for p in paths}))
        else:
            remote.append(source)
    _check_overlaps(local, remote)


def _check_overlaps(local: list[tuple[str, bool, set[str]]], remote: list[str]) -> None:
    """Two sources that share files, objects or tables are refused (see the module doc)."""
    for i, (source, sqlite, paths) in enumerate(local):
        for other, other_sqlite, other_paths in local[i + 1:]:
            if sqlite != other_sqlite and not (paths & other_paths):
                continue  # a directory's scan skips the SQLite files in it
            if _shares(paths, other_paths) or _shares(other_paths, paths):
                raise UsageError(f"sources {source} and {other} overlap: what they share would"
                                 " be scanned twice; name it once")
    for i, source in enumerate(remote):
        for other in remote[i + 1:]:
            if _remote_overlap(source, other):
                from pia.uri import redact

                raise UsageError(f"sources {redact(source)} and {redact(other)} overlap: what"
                                 " they share would be scanned twice; name it once")


def _shares(paths: set[str], others: set[str]) -> bool:
    """Whether a path of ``others`` is one of ``paths`` or lies inside one of them."""
    for path in others:
        parent = path
        while True:
            if parent in paths:
                return True
            parent, above = os.path.dirname(parent), parent
            if parent == above:
                break
    return False


def _remote_overlap(first: str, second: str) -> bool:
    """The same database or bucket named twice, or a bucket and a prefix of it (``s3://``
    alone is every bucket), read as the S3 connector reads them (``?`` and ``#`` belong to
    the prefix)."""
    if first[:5].lower() != "s3://" or second[:5].lower() != "s3://":
        return first == second
    from pia.connectors.s3.listing import parse_target

    try:
        a, b = parse_target(first), parse_target(second)
    except UsageError:  # the scan refuses it, with the connector's own message
        return False
    if a.bucket is None or b.bucket is None:
        return True
    return a.bucket == b.bucket and (a.prefix.startswith(b.prefix)
                                     or b.prefix.startswith(a.prefix))


def _inside(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def check_writes(sources: list[str], writes: list[tuple[str, str]],
                 inputs: list[tuple[str, str]]) -> None:
    """Refuse a (flag, path) in ``writes`` that would overwrite or land inside a source, or
    overwrite an input (flag, path)."""
    refuse_repeated(writes)
    read = [(os.path.realpath(p), p) for s in sources for p in _local(s)[1]]
    for flag, path in writes:
        if path == "-":
            continue
        real = os.path.realpath(path)
        what = "report path" if flag == "-o" else f"{flag} path"
        folder = os.path.dirname(path) or "."
        if flag != "--state" and not os.path.isdir(folder):
            raise UsageError(f"{what} {path}: directory {folder} does not exist")
        if flag != "--state":
            _check_writable(what, path, folder)
        for source_real, source in read:
            if real == source_real:
                raise UsageError(f"{what} {path} is a source being scanned")
            if _inside(real, source_real):
                raise UsageError(f"{what} {path} is inside {source}, a source being scanned")
            if flag == "--state" and _inside(source_real, real):
                raise UsageError(f"{what} {path} holds {source}, a source being scanned")
        refuse_inputs(what, path, inputs, "this scan's")


def _check_writable(what: str, path: str, folder: str) -> None:
    """A report or bundle that could not be written is refused before the scan: a directory
    of that name, or a folder this user may not write, failed only once every source had
    been read (``IsADirectoryError`` after an hour of reading)."""
    if os.path.isdir(path):
        raise UsageError(f"{what} {path} is a directory; name a file")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{what} {path}: directory {folder} is not writable")


def refuse_repeated(writes: list[tuple[str, str]]) -> None:
    """A usage error when two outputs (flag, path) name one file (``-o cn.json -o
    ./cn.json``), or stdout twice (``-o - -o -``): the second write replaced the first
    without a word, and with another format the file held only the last one (QA D6)."""
    for i, (flag, path) in enumerate(writes):
        for other_flag, other in writes[i + 1:]:
            if (path == "-") != (other == "-") or not (path == "-" or same_file(path, other)):
                continue
            twice = ("it would be printed twice" if path == "-"
                     else "the second write would replace the first")
            if (flag, path) == (other_flag, other):
                raise UsageError(f"{flag} {path} is given twice: {twice}; give it once")
            raise UsageError(f"{flag} {path} and {other_flag} {other} name the same file:"
                             f" {twice}; give it once")


def same_file(path: str, other: str) -> bool:
    """Whether ``path`` and ``other`` name one file: the same path once symlinks are
    resolved, or one inode under two names (a hard link: same ``st_dev`` and ``st_ino``).
    A path that cannot be examined (missing, too long) is no other file."""
    try:
        if os.path.realpath(path) == os.path.realpath(other):
            return True
        return os.path.samefile(path, other)
    except (OSError, ValueError):
        return False


def refuse_inputs(what: str, path: str, inputs: list[tuple[str, str]],
                  whose: str = "the") -> None:
    """A usage error when the output ``path`` is one of the command's input files (flag,
    path): writing it would destroy what was read (a bundle replaced by its rendering, a
    signing key by the bundle it signed). A directory input (``--trusted-keys DIR``) also
    refuses a path inside it."""
    if path == "-":
        return
    real = os.path.realpath(path)
    for flag, input_path in inputs:
        if not input_path or input_path == "-":
            continue
        if same_file(path, input_path):
            raise UsageError(f"{what} {path} is {whose} {flag} file; write elsewhere")
        if os.path.isdir(input_path) and _inside(real, os.path.realpath(input_path)):
            raise UsageError(f"{what} {path} is inside {whose} {flag} directory {input_path};"
                             " write elsewhere")
