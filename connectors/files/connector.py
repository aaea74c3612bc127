"""The files connector: plan files into partitions, scan each, merge into items and facts.

Partitions are one per small file, byte ranges cut at line boundaries for big plain-text
files (so several workers share a 2 GB log), one per zip member, and one per compressed file
or tar (a stream cannot be entered in the middle). Each partial carries what it needs to be
merged on its own: newline counts let merge turn range-local line numbers into file line
numbers, whatever order the partials arrive in.
"""

from __future__ import annotations

import os
import shlex
import zipfile
from datetime import UTC, datetime
from typing import Any

from pia.connectors.base import Partial, Partition, Plan, ScanContext, ScanOptions, SourceResult
from pia.connectors.files.blobs import (
    CUT_AT_A_LIMIT,
    BlobScanner,
    Guarded,
    Limits,
    log,
    read_head,
    zip_members,
)
from pia.connectors.files.images import image_blob, image_entity
from pia.connectors.files.merge import file_fact, merge_partials, stamp_trees
from pia.connectors.files.sniff import (
    HEAD_BYTES,
    SQLITE,
    binary_reason,
    container,
    csv_header,
    encoding,
    head_text,
    is_binary,
    newline,
    splittable,
    text_format,
)
from pia.connectors.files.text import TextScan
from pia.connectors.files.walk import UNLISTED, Entry, source_path, special_reason, walk
from pia.connectors.files.xls import is_ole
from pia.connectors.files.xlsx import is_workbook
from pia.connectors.name_items import NamedPlaces
from pia.errors import SourceError, UsageError
from pia.masked_names import NameMasker
from pia.printable import short_path
from pia.uri import redact, source_kind

#: plain-text files above this size are split into byte ranges of about this size
SPLIT_BYTES = 8 << 20
#: what the walk passed over without reading it (not what it chose to skip, as a FIFO)
_UNREAD = (UNLISTED, "cannot stat", "file vanished")
#: the prefixes of a ``skipped`` reason that says a file or directory was not read at all:
#: the walk's (``_UNREAD``), a symlink with nothing behind it, a file that could not be
#: opened or read (``_read_error``, a stream error), a corrupt archive or compressed stream;
#: a file passed over by choice (a binary file, a FIFO) was looked at, and is not one of them
READ_FAILURES = (*_UNREAD, "symlink is dangling", "permission denied", "cannot read",
                 "read error", "corrupt")


def _read_error(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "file vanished"
    if isinstance(err, PermissionError):
        return "permission denied"
    return f"cannot read: {err.strerror or type(err).__name__}"


def _samples(handle: Any, head: bytes, size: int) -> list[bytes]:
    """The head plus samples from the middle and the end, each starting at a line start, so
    that a GBK file whose first 64 KiB happen to be ASCII is still recognised."""
    samples = [head]
    if size <= len(head):
        return samples
    for offset in sorted({size // 2, max(size - HEAD_BYTES, len(head))}):
        handle.seek(offset)
        data = handle.read(HEAD_BYTES)
        nl = data.find(b"\n")
        if 0 <= nl < len(data) - 1:
            samples.append(data[nl + 1:])
    return samples


def _line_cuts(handle: Any, size: int, end: bytes = b"\n") -> list[int]:
    """Offsets just after a line end ``end``, about ``SPLIT_BYTES`` apart (0 and size
    included)."""
    cuts = [0]
    target = SPLIT_BYTES
    while target < size:
        handle.seek(target)
        pos = target
        while True:
            data = handle.read(64 * 1024)
            if not data:
                pos = size
                break
            nl = data.find(end)
            if nl >= 0:
                pos += nl + 1
                break
            pos += len(data)
        if pos >= size:
            break
        cuts.append(pos)
        target = pos + SPLIT_BYTES
    cuts.append(size)
    return cuts


class FilesConnector:
    """Local files and directories: plain text, logs, JSON lines, CSV/TSV, compressed, archives."""

    name = "files"

    def accepts(self, uri: str) -> bool:
        return source_kind(uri) == "file"

    # --- plan ------------------------------------------------------------------------------

    def plan(self, uri: str, options: ScanOptions, ctx: ScanContext) -> Plan:
        source = redact(uri)
        plan = Plan()
        entries, passed = walk(uri, options.include, options.exclude)
        if not entries and (options.include or options.exclude):
            # a typo (*.CSV) must not pass as a clean audit: as for tables and objects
            found = len(walk(uri, [], [])[0])
            if found:
                raise UsageError(f"{options.filters()}: no file of {source} is selected "
                                 f"({found} found)")
        if not entries and not passed and os.path.isdir(source_path(uri)):
            # an empty or mistyped log directory must not pass as a clean audit either: as
            # a bucket that holds no object
            raise SourceError(f"no file under {short_path(source)}")
        for path, reason in passed:
            plan.skipped.append({"source": source, "location": {"path": path}, "reason": reason})
        limits = Limits.from_options(options)
        masker = NameMasker(ctx.fingerprint, ctx.engine)
        # a directory that could not be listed is no unread file: merge says it apart
        unread = [path for path, reason in passed
                  if reason.startswith(_UNREAD) and not reason.startswith(UNLISTED)]
        roots: dict[str, str] = {}
        places = NamedPlaces(ctx.fingerprint)
        for entry in entries:
            root = roots[entry.path] = entry.path[: len(entry.path) - len(entry.rel)]
            # its name is PI of its own when it holds a person's number, read or not (a
            # binary scan, an unreadable file): its path below the scanned directory, the
            # source's own name being the user's choice; a directory so named once
            places.add(entry.rel, lambda rel, root=root: {"path": root + rel.rstrip("/")})
            try:
                if not self._plan_file(plan, source, entry, limits, masker, places):
                    unread.append(entry.path)
            except OSError as err:
                plan.skipped.append({"source": source, "location": {"path": entry.path},
                                     "reason": _read_error(err)})
                unread.append(entry.path)
        plan.inventory.extend(places.items(source))
        stamp_trees(plan, roots, unread)
        return plan

    def _plan_file(self, plan: Plan, source: str, entry: Entry, limits: Limits,
                   masker: NameMasker, places: NamedPlaces) -> bool:
        """Plan one file; False when it cannot be read (a corrupt archive). A zip's members
        named by a person's number are added to ``places``."""
        base = {"path": entry.path, "rel": entry.rel, "size": entry.size,
                "mtime_ns": entry.mtime_ns}
        state = f"{entry.size}:{entry.mtime_ns}"

        def add(key: str, spec: dict[str, Any], weight: int) -> None:
            plan.partitions.append(Partition("files", source, key, {**base, **spec}, state,
                                             max(weight, 1)))

        with open(entry.path, "rb") as handle:
            head = read_head(handle)
            kind = container(head)
            if kind == "zip":
                try:
                    with zipfile.ZipFile(handle) as zf:
                        chosen, refused = zip_members(zf, limits)
                        workbook = is_workbook(zf)
                except (zipfile.BadZipFile, OSError, EOFError) as err:
                    plan.skipped.append({"source": source, "location": {"path": entry.path},
                                         "reason": f"corrupt zip archive ({type(err).__name__})"})
                    return False
                if workbook:  # read whole, as tables: its sheets are its blobs (xlsx)
                    add(entry.path, {"mode": "blob", "container": "xlsx"}, entry.size)
                    return True
                for member, reason in refused:
                    where = {"path": entry.path, **({"member": member} if member else {})}
                    plan.skipped.append({"source": source, "location": where, "reason": reason})
                    # named as the report names it: masked (an archive's name may hold an ID)
                    named = f"{entry.path}!{member}" if member else entry.path
                    log.warning("pia: warning: %s: %s", masker.name(named), reason)
                # a member named by a person's number is PI of its own, as a file is, read or
                # not (an encrypted member, one refused at a limit)
                members = [member for member, _ in refused if member]
                for member in sorted([*members, *(info.filename for info in chosen)]):
                    places.add(member, lambda name: {"path": entry.path, "member": name})
                for info in chosen:
                    add(f"{entry.path}!{info.filename}",
                        {"mode": "zip_member", "member": info.filename, "container": "zip"},
                        info.file_size)
                if not chosen:
                    plan.facts.append(_static_file_fact(source, entry, "zip"))
                return True
            name = _image_name(entry.path, entry.rel)
            if kind == "binary" and image_entity(name):  # a face photo, an ID-card scan
                add(entry.path, {"mode": "named_image", "name": name, "container": None}, 1)
                return True
            if kind == "binary" and is_ole(head):  # maybe a legacy Excel workbook (xls)
                add(entry.path, {"mode": "blob", "container": "xls"}, entry.size)
                return True
            if kind == "binary":
                reason = binary_reason(head)
                if reason.endswith(f"({SQLITE})"):  # pia reads it as a database, given alone
                    reason = (f"binary file ({SQLITE}: scan it as a source of its own,"
                              f" pia scan {shlex.quote(_sqlite_source(entry.path))})")
                plan.skipped.append({"source": source, "location": {"path": entry.path},
                                     "reason": reason})
                return True
            if kind is not None:  # compressed streams and tar: one sequential partition
                add(entry.path, {"mode": "blob", "container": kind}, entry.size)
                return True
            codec = encoding(_samples(handle, head, entry.size))
            if is_binary(head, codec):
                if image_entity(name):  # an image format without a magic pia knows (WebP)
                    add(entry.path, {"mode": "named_image", "name": name, "container": None}, 1)
                else:
                    plan.skipped.append({"source": source, "location": {"path": entry.path},
                                         "reason": "binary file"})
                return True
            text = head_text(head, codec)
            fmt, delimiter = text_format(entry.rel, text)
            ends = newline(text)
            header = None
            if delimiter is not None:
                first = text.split(ends, 1)[0].rstrip("\r")
                header = csv_header(first, delimiter)
            cuts = (_line_cuts(handle, entry.size, ends.encode())
                    if splittable(codec) and entry.size > SPLIT_BYTES and fmt != "json"
                    else [0, entry.size])
        for start, end in zip(cuts, cuts[1:], strict=False):
            add(f"{entry.path}@{start}-{end}",
                {"mode": "range", "start": start, "end": end, "codec": codec, "format": fmt,
                 "delimiter": delimiter, "header": header, "newline": ends, "container": None},
                end - start)
        return True

    # --- scan ------------------------------------------------------------------------------

    def scan_partition(self, partition: Partition, options: ScanOptions,
                       ctx: ScanContext) -> Partial:
        spec = partition.spec
        path = spec["path"]
        location = {"path": path}
        partial: Partial = {"blobs": [], "skipped": []}
        mtime = datetime.fromtimestamp(spec["mtime_ns"] / 1e9, UTC)
        if spec["mode"] == "named_image":  # nothing to read (see pia.connectors.files.images)
            partial["blobs"] = [image_blob(spec["name"], location, partial)]
            return partial
        try:
            reason = special_reason(os.stat(path).st_mode)
            if reason:
                partial["skipped"].append({"location": location, "reason": reason})
                return partial
            with open(path, "rb") as handle:
                if spec["mode"] == "range":
                    handle.seek(spec["start"])
                    reader = Guarded(handle, spec["end"] - spec["start"])
                    first = spec["start"] == 0
                    scan = TextScan(ctx, fmt=spec["format"], delimiter=spec["delimiter"],
                                    header=None if first else spec["header"],
                                    header_in_blob=first, mtime=mtime,
                                    name=path if first else f"{path} from byte {spec['start']}")
                    scan.run(reader.read, spec["codec"], spec.get("newline", "\n"))
                    partial["blobs"].append(
                        {"location": location, **scan.result(), "bytes": reader.count})
                    if reader.error:
                        partial["skipped"].append(
                            {"location": location, "reason": f"read error ({reader.error})"})
                    elif reader.count < spec["end"] - spec["start"]:
                        now = os.fstat(handle.fileno()).st_size
                        partial["skipped"].append({"location": location, "reason": (
                            f"changed while being scanned (truncated from {spec['size']} to "
                            f"{now} bytes): read in part")})
                    if partial["skipped"]:  # what was lost may hold its oldest entries
                        partial["partly"] = True
                    return partial
                scanner = BlobScanner(ctx, Limits.from_options(options), mtime,
                                      name=_image_name(path, spec["rel"]), full=options.full)
                if spec["mode"] == "zip_member":
                    scanner.zip_file(handle, location, 0, only=spec["member"])
                else:
                    scanner.scan(handle, spec["rel"], location, size=spec["size"])
                partial["blobs"], partial["skipped"] = scanner.blobs, scanner.skipped
                partial["names"] = scanner.names.items(None)  # a tar's members' (merge)
                if any(s["reason"].startswith((*READ_FAILURES, *CUT_AT_A_LIMIT))
                       for s in scanner.skipped):
                    # a damaged stream or archive, or one cut at a limit: read in part, or
                    # not at all (no fact)
                    partial["unread" if not scanner.blobs else "partly"] = True
        except OSError as err:
            partial["skipped"].append({"location": location, "reason": _read_error(err)})
            partial["unread"] = True  # merge gives the file no fact when nothing of it was read
        return partial

    # --- merge -----------------------------------------------------------------------------

    def partition_location(self, partition: Partition) -> dict[str, Any]:
        """Where a partition left unscanned (an interrupted scan) lies: its file, and the
        archive member when it is one."""
        spec = partition.spec
        return {"path": spec["path"], **({"member": spec["member"]} if spec.get("member") else {})}

    def merge(self, plan: Plan, partials: dict[str, Partial], options: ScanOptions,
              ctx: ScanContext) -> SourceResult:
        return merge_partials(plan, partials)


def _image_name(path: str, rel: str) -> str:
    """What an image's name says it is, judged on its path below the scanned folder and that
    folder's own name (``faces`` in ``pia scan /srv/kyc/faces``), not on the folders above,
    which say where the estate lives (``/home/iris/...``), not what a picture shows."""
    root = path[: len(path) - len(rel)]
    return os.path.join(os.path.basename(os.path.normpath(root)) if root else "", rel)


def _static_file_fact(source: str, entry: Entry, fmt: str) -> dict[str, Any]:
    return file_fact(source, entry.path, entry.rel, entry.size, entry.mtime_ns, fmt=fmt,
                     encoding=None, compression=None, blobs=[])


def _sqlite_source(path: str) -> str:
    """How to name a SQLite file as a source: its path when its suffix says SQLite, else a
    ``sqlite://`` URI (a path ending ``.bin`` would be scanned as a file again)."""
    from pia.connectors.sqlite import SUFFIXES

    if path.lower().endswith(SUFFIXES):
        return path
    return "sqlite:///" + os.path.abspath(path).lstrip("/")
