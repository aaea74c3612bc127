"""Scan one blob of bytes of any supported format: the entry point object storage reuses.

A blob is sniffed by content, unwrapped through gzip/bzip2/xz layers, opened as a zip or tar
archive (members scanned one by one, within limits; an Excel workbook among them read as
tables, ``xlsx``), read as tables when a legacy Excel workbook (``xls``), skipped when
binary, or decoded and scanned as text, JSON lines or CSV/TSV. Limits refuse decompression
bombs before they are followed: a zip member's declared ratio, a member count, per-member
and total sizes; and because headers can lie, every decompressed stream is also cut off at
its budget. A refusal is a ``skipped`` record plus a logged warning; whatever was scanned
before it still counts.
A compressed stream cut short or damaged is scanned up to the damage (``damaged`` says what
of it was) and is a ``skipped`` record; one of which nothing could be read is no blob.
An archive member that is an image named as PI (``kyc.zip!faces/u1.jpg``) is what a local
image of that name is (``images``): an item of its entity type, not an unread binary.
A member named by a person's number (``outbox.tar.gz!110101199003071233.csv``) is PI of its
own, read or refused at a limit (``names``, ``pia.connectors.name_items``), as a file so
named is: the files connector plans a zip on disk itself, but a tar is only seen as it is
read, and an object storage's archive too.
"""

from __future__ import annotations

import contextlib
import logging
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import IO, Any

from pia.connectors.files.images import image_entity, named_image
from pia.connectors.files.sampling import (
    SAMPLE_CUT,
    Sampled,
    cut_reason,
    sample_bytes,
    sampled,
)
from pia.connectors.files.sniff import (
    COMPRESSED,
    HEAD_BYTES,
    STREAM_ERRORS,
    binary_reason,
    container,
    decompressed,
    encoding,
    head_text,
    is_binary,
    newline,
    text_format,
)
from pia.connectors.files.text import TextScan
from pia.connectors.files.xls import MAX_BYTES as XLS_MAX_BYTES
from pia.connectors.files.xls import is_ole, scan_legacy_workbook
from pia.connectors.files.xlsx import (
    WORKBOOK_PARTS,
    WORKBOOK_SUFFIXES,
    is_workbook,
    scan_workbook,
)
from pia.connectors.name_items import NamedPlaces
from pia.masked_names import NameMasker

log = logging.getLogger(__name__)

#: decompressed bytes always allowed, whatever the ratio (small files compress very well)
MIN_BUDGET = 64 << 20
MAX_LAYERS = 3
_SUFFIXES = {"gzip": (".gz", ".tgz"), "bzip2": (".bz2",), "xz": (".xz",)}
_STREAM_ERRORS = (*STREAM_ERRORS, zipfile.BadZipFile)
#: the prefixes of a ``skipped`` reason that says a blob was cut at a limit (a possible
#: decompression bomb, an archive's member count or total): read in part, what came after
#: the cut unread, so a log's span is unknown as a damaged one's is
CUT_AT_A_LIMIT = (*(f"{kind} stream cut at" for kind in sorted(COMPRESSED)), "archive cut:",
                  SAMPLE_CUT)


@dataclass(frozen=True)
class Limits:
    """Archive and decompression limits; ``ScanOptions.extra`` keys ``archive_<field>``,
    and ``sample_bytes``, the decompressed bytes analysed per compressed stream
    (``sampling.sample_bytes``: ``--max-bytes``, none under ``--full``)."""

    max_members: int = 10_000
    max_member_bytes: int = 1 << 30
    max_total_bytes: int = 4 << 30
    max_ratio: int = 100
    sample_bytes: int | None = None

    @classmethod
    def from_options(cls, options: Any) -> Limits:
        extra = getattr(options, "extra", {}) or {}
        return cls(sample_bytes=sample_bytes(options), **{
            name: int(extra[f"archive_{name}"])
            for name in cls.__dataclass_fields__ if f"archive_{name}" in extra
        })


class Prefixed:
    """A reader that first returns ``head`` (already read to sniff), then the rest."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._stream = stream

    def read(self, n: int = -1) -> bytes:
        if self._head:
            if n < 0:
                data, self._head = self._head + self._stream.read(), b""
                return data
            data, self._head = self._head[:n], self._head[n:]
            return data
        return self._stream.read(n)

    def readable(self) -> bool:
        return True


class Guarded:
    """A reader that stops at a byte budget and turns stream errors into an end of data.

    ``exceeded`` and ``error`` say why it stopped early, so the caller can record it."""

    def __init__(self, stream: IO[bytes] | Prefixed, budget: int | None) -> None:
        self._stream = stream
        self._budget = budget
        self.count = 0
        self.exceeded = False
        self.error: str | None = None
        self._read1 = getattr(stream, "read1", stream.read)

    def read(self, n: int = -1) -> bytes:
        if self.exceeded or self.error:
            return b""
        if self._budget is not None:
            left = self._budget - self.count
            if left <= 0:
                with contextlib.suppress(_STREAM_ERRORS):
                    self.exceeded = bool(self._stream.read(1))
                return b""
            n = left if n < 0 else min(n, left)
        try:
            # read1: one decompressed piece at a time, so an error loses no data already read
            data = self._read1(n) if n > 0 else self._stream.read(n)
        except _STREAM_ERRORS as err:
            self.error = type(err).__name__
            return b""
        self.count += len(data)
        return data

    def readable(self) -> bool:
        return True


def read_head(stream: IO[bytes] | Guarded | Prefixed, size: int = HEAD_BYTES) -> bytes:
    parts, got = [], 0
    while got < size:
        data = stream.read(size - got)
        if not data:
            break
        parts.append(data)
        got += len(data)
    return b"".join(parts)


def _strip_suffix(name: str, kind: str) -> str:
    for suffix in _SUFFIXES.get(kind, ()):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] + (".tar" if suffix == ".tgz" else "")
    return name


@contextlib.contextmanager
def _spooled(stream: Any, head: bytes, budget: int) -> Iterator[IO[bytes] | None]:
    """``head`` and the rest of ``stream`` in a temporary file, at its start (a zip is read
    from its end); None when the rest holds more than ``budget`` bytes."""
    with tempfile.TemporaryFile() as spool:
        spool.write(head)
        guarded = Guarded(stream, budget)
        while data := guarded.read(1 << 20):
            spool.write(data)
        spool.seek(0)
        yield None if guarded.exceeded else spool


def _may_be_workbook(name: str, head: bytes) -> bool:
    """Whether a zip inside an archive may be an Excel workbook, worth spooling to see: by
    its name, or its first bytes naming a workbook's part (Excel writes them first)."""
    return (name.lower().endswith(WORKBOOK_SUFFIXES)
            or any(part.encode() in head for part in WORKBOOK_PARTS))


def zip_members(zf: zipfile.ZipFile, limits: Limits) -> tuple[list[zipfile.ZipInfo],
                                                                 list[tuple[str | None, str]]]:
    """Members to scan and (member or None for the whole archive, reason) refusals."""
    infos = [info for info in zf.infolist() if not info.is_dir()]
    if len(infos) > limits.max_members:
        return [], [(None, f"archive refused: {len(infos)} members > limit "
                           f"{limits.max_members}")]
    chosen, refused, total = [], [], 0
    for info in sorted(infos, key=lambda i: i.filename):
        reason = None
        if info.flag_bits & 0x1:
            reason = "encrypted member"
        elif info.file_size > limits.max_member_bytes:
            reason = f"member refused: {info.file_size} bytes > limit {limits.max_member_bytes}"
        elif info.file_size > max(info.compress_size, 1) * limits.max_ratio and (
            info.file_size > 1 << 20
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            reason = (f"member refused: compression ratio {ratio} > limit {limits.max_ratio} "
                      "(possible zip bomb)")
        elif total + info.file_size > limits.max_total_bytes:
            reason = f"member refused: archive total exceeds {limits.max_total_bytes} bytes"
        if reason:
            refused.append((info.filename, reason))
        else:
            total += info.file_size
            chosen.append(info)
    return chosen, refused


def damaged(kind: str, error: str, read: bool) -> str:
    """Why a compressed stream ended early, and what of it was scanned: the lines before the
    damage (gzip, xz), or the whole blocks before it (bzip2 decompresses a block of up to
    900 kB of text at once, so a block cut short is lost whole: a log cut inside its first
    block yields nothing). An ``EOFError`` is a stream cut short (a log rotated while being
    written, a partial copy). The reason starts ``corrupt`` (``READ_FAILURES``)."""
    why = f"cut short: {error}" if error == "EOFError" else error
    if read:
        what = "its whole blocks" if kind == "bzip2" else "the lines"
        return f"corrupt {kind} stream ({why}): read in part, {what} before the damage"
    return (f"corrupt {kind} stream ({why}): nothing could be read before the damage"
            + (" (bzip2 reads whole blocks of up to 900 kB)" if kind == "bzip2" else ""))


def blob_name(location: dict[str, Any]) -> str:
    """A blob as a user finds it: ``path``, ``bucket/key``, ``…!member`` inside an archive."""
    where = location.get("path") or f"{location.get('bucket')}/{location.get('key', '')}"
    return f"{where}!{location['member']}" if location.get("member") else str(where)


class BlobScanner:
    """Scans blobs into ``blobs`` (one result per text blob or named image) and ``skipped``
    records. ``name`` is the scanned blob's name as an image's is judged (``images``): an
    archive member's image name is it, ``/`` and the member's path. ``full`` (``--full``)
    lifts the cap of what is sampled of a blob: a sheet's cells (``xlsx``). ``names`` holds
    the archive members named by a person's number (``pia.connectors.name_items``)."""

    def __init__(self, ctx: Any, limits: Limits, mtime: datetime | None = None,
                 name: str | None = None, *, full: bool = False) -> None:
        self.ctx = ctx
        self.limits = limits
        self.full = full
        self.mtime = mtime or ctx.now
        self.name = name
        self.blobs: list[dict[str, Any]] = []
        self.skipped: list[dict[str, Any]] = []
        self.names = NamedPlaces(ctx.fingerprint)

    def skip(self, location: dict[str, Any], reason: str, warn: bool = False) -> None:
        self.skipped.append({"location": dict(location), "reason": reason})
        if warn:  # named as the report names it: masked (an object's key may hold an ID)
            where = blob_name(location) if location.get("path") else f"s3://{blob_name(location)}"
            log.warning("pia: warning: %s: %s",
                        NameMasker(self.ctx.fingerprint, self.ctx.engine).name(where),
                        reason)

    def scan(self, stream: IO[bytes] | Guarded | Prefixed, name: str, location: dict[str, Any],
             *, size: int | None = None, depth: int = 0, in_archive: bool = False) -> None:
        head = read_head(stream)
        kind = container(head)
        if kind in COMPRESSED:
            self._decompress(stream, head, kind, name, location, size, depth, in_archive)
        elif kind == "zip" and in_archive and _may_be_workbook(name, head):
            self._member_workbook(stream, head, location)
        elif kind in ("zip", "tar") and in_archive:
            self.skip(location, f"nested {kind} archive not scanned")
        elif kind == "zip":
            self._zip(stream, head, location, depth)
        elif kind == "tar":
            self._tar(Prefixed(head, stream), location, depth)
        elif kind == "binary" and is_ole(head):
            self._legacy_workbook(stream, head, location)
        elif kind == "binary":
            if not (in_archive and self._image(name, location)):
                self.skip(location, binary_reason(head))
        else:
            self.text(Prefixed(head, stream), head, name, location, in_archive=in_archive)

    def text(self, stream: Prefixed | Guarded, head: bytes, name: str,
             location: dict[str, Any], *, in_archive: bool = False) -> None:
        codec = encoding([head])
        if is_binary(head, codec):
            if not (in_archive and self._image(name, location)):
                self.skip(location, "binary file")
            return
        text = head_text(head, codec)
        fmt, delimiter = text_format(name, text)
        scan = TextScan(self.ctx, fmt=fmt, delimiter=delimiter, header_in_blob=True,
                        mtime=self.mtime, name=blob_name(location))
        scan.run(stream.read, codec, newline(text))
        self.blobs.append({"location": dict(location), **scan.result()})

    def _image(self, name: str, location: dict[str, Any]) -> bool:
        """A binary archive member named as an image of PI becomes its blob (True)."""
        entity = image_entity(f"{self.name}/{name}" if self.name else name)
        if entity is not None:
            self.blobs.append(named_image(entity, location))
        return entity is not None

    def _decompress(self, stream: Any, head: bytes, kind: str, name: str,
                    location: dict[str, Any], size: int | None, depth: int,
                    in_archive: bool) -> None:
        if depth >= MAX_LAYERS:
            self.skip(location, "too many nested compression layers", warn=True)
            return
        inner = decompressed(kind, Prefixed(head, stream))
        budget = (max(self.limits.max_ratio * size, MIN_BUDGET) if size
                  else self.limits.max_member_bytes)
        guarded = Guarded(inner, budget)
        before = len(self.blobs)
        # the outer layer is sampled: the layers inside it only add what it holds
        sample = sampled(guarded, self.limits.sample_bytes if depth == 0 else None)
        self.scan(sample, _strip_suffix(name, kind), location, depth=depth + 1,
                  in_archive=in_archive)
        self._decompressed(before, sample)
        if sample.cut:
            self._sample_cut(location, kind)
        elif guarded.exceeded:
            self.skip(location, f"{kind} stream cut at {budget} decompressed bytes "
                      f"(ratio limit {self.limits.max_ratio}, possible decompression bomb)",
                      warn=True)
        elif guarded.error:
            if not guarded.count:  # not an empty text blob: nothing of it was read
                del self.blobs[before:]
            self.skip(location, damaged(kind, guarded.error, bool(guarded.count)))

    def _decompressed(self, before: int, sample: Sampled) -> None:
        """The blobs scanned since ``before`` from a sampled stream carry its count of bytes
        analysed (``decompressed``), which the file's or object's fact reports."""
        if len(self.blobs) > before:
            self.blobs[before]["decompressed"] = sample.count

    def _sample_cut(self, location: dict[str, Any], kind: str) -> None:
        """A stream cut at its sample (``sampling``): read in part, not a bomb, no warning;
        a tar cut with it reads as damaged, which it is not."""
        self.skipped = [s for s in self.skipped if s["location"] != location
                        or not s["reason"].startswith("corrupt tar archive")]
        self.skip(location, cut_reason(kind, self.limits.sample_bytes or 0))

    def _zip(self, stream: Any, head: bytes, location: dict[str, Any], depth: int) -> None:
        seekable = getattr(stream, "seekable", None)
        if seekable is not None and seekable():
            stream.seek(0)
            self.zip_file(stream, location, depth)
            return
        with _spooled(stream, head, self.limits.max_total_bytes) as spool:
            if spool is None:
                self.skip(location, "zip archive larger than the total limit", warn=True)
                return
            self.zip_file(spool, location, depth)

    def zip_file(self, fileobj: IO[bytes], location: dict[str, Any], depth: int,
                 only: str | None = None) -> None:
        """Scan a zip's members (or only the member ``only``) within the limits."""
        try:
            with zipfile.ZipFile(fileobj) as zf:
                chosen, refused = zip_members(zf, self.limits)
                if only is None and is_workbook(zf):
                    self._workbook(fileobj, location, refused)
                    return
                if only is None:  # ``only``: planned member by member, named by the plan
                    for member, reason in refused:
                        where = {**location, "member": member} if member else location
                        self.skip(where, reason, warn=True)
                    members = [member for member, _ in refused if member]
                    for name in sorted([*members, *(info.filename for info in chosen)]):
                        self._name(name, location)
                for info in chosen:
                    if only is not None and info.filename != only:
                        continue
                    where = {**location, "member": info.filename}
                    with zf.open(info) as member:
                        guarded = Guarded(member, info.file_size)
                        before = len(self.blobs)
                        sample = sampled(guarded, self.limits.sample_bytes
                                         if info.compress_type != zipfile.ZIP_STORED else None)
                        self.scan(sample, info.filename, where, size=info.file_size,
                                  depth=depth + 1, in_archive=True)
                        self._decompressed(before, sample)
                    if sample.cut:
                        self._sample_cut(where, "zip member")
                    elif guarded.exceeded or guarded.error:
                        self.skip(where, "member larger than declared or corrupt", warn=True)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, *_STREAM_ERRORS) as err:
            self.skip(location, f"corrupt zip archive ({type(err).__name__})")

    def _name(self, member: str, location: dict[str, Any]) -> None:
        """An archive's member, whose name may hold a person's number (``names``)."""
        self.names.add(member, lambda name: {**location, "member": name})

    def _workbook(self, fileobj: IO[bytes], location: dict[str, Any],
                  refused: list[tuple[str | None, str]]) -> None:
        """An Excel workbook is read as tables (``xlsx``), once its parts pass the limits
        an archive's members do: a part refused (a zip bomb) leaves the workbook unread."""
        if refused:
            self.skip(location, "xlsx workbook refused: " + "; ".join(
                f"{member or 'archive'}: {reason}" for member, reason in refused), warn=True)
            return
        fileobj.seek(0)
        scan_workbook(self, fileobj, location)

    def _legacy_workbook(self, stream: IO[bytes] | Guarded | Prefixed, head: bytes,
                         location: dict[str, Any]) -> None:
        """An OLE compound file, read as a legacy Excel workbook when it is one (``xls``).
        xlrd reads it from memory: one over ``xls.MAX_BYTES`` (or a member's cap) is
        refused unread."""
        budget = min(XLS_MAX_BYTES, self.limits.max_member_bytes)
        guarded = Guarded(Prefixed(head, stream), budget)
        data = b"".join(iter(lambda: guarded.read(1 << 20), b""))
        if guarded.exceeded:
            self.skip(location, f"legacy Excel workbook refused: more than {budget} bytes",
                      warn=True)
            return
        scan_legacy_workbook(self, data, location)

    def _member_workbook(self, stream: IO[bytes] | Guarded | Prefixed, head: bytes,
                         location: dict[str, Any]) -> None:
        """An Excel workbook inside an archive (an export zipped to be sent) is read as a
        workbook on its own is. It is spooled to a temporary file, no more than
        ``max_member_bytes`` of it, and its own parts are held to a member's limits: the
        ratio, and ``max_member_bytes`` for all of them uncompressed, so a workbook cannot
        unpack to more than one member may. A zip that is no workbook is not opened."""
        nested = replace(self.limits, max_total_bytes=min(self.limits.max_total_bytes,
                                                          self.limits.max_member_bytes))
        with _spooled(stream, head, self.limits.max_member_bytes) as spool:
            if spool is None:
                self.skip(location, f"member refused: more than {self.limits.max_member_bytes}"
                          " bytes", warn=True)
                return
            try:
                with zipfile.ZipFile(spool) as zf:
                    workbook = is_workbook(zf)
                    refused = zip_members(zf, nested)[1]
            except (zipfile.BadZipFile, zipfile.LargeZipFile, *_STREAM_ERRORS):
                workbook = False
            if not workbook:
                self.skip(location, "nested zip archive not scanned")
                return
            self._workbook(spool, location, refused)

    def _tar(self, stream: Prefixed, location: dict[str, Any], depth: int) -> None:
        count = total = 0
        try:
            with tarfile.open(fileobj=stream, mode="r|") as tf:  # type: ignore[call-overload]
                for member in tf:
                    if member.isdir():
                        continue
                    where = {**location, "member": member.name}
                    count += 1
                    if count > self.limits.max_members:
                        self.skip(location, f"archive cut: more than {self.limits.max_members} "
                                  "members", warn=True)
                        return
                    self._name(member.name, location)  # read or not
                    if not member.isfile():
                        self.skip(where, "link or special member not followed")
                        continue
                    if member.size > self.limits.max_member_bytes:
                        self.skip(where, f"member refused: {member.size} bytes > limit "
                                  f"{self.limits.max_member_bytes}", warn=True)
                        continue
                    total += member.size
                    if total > self.limits.max_total_bytes:
                        self.skip(location, "archive cut: total exceeds "
                                  f"{self.limits.max_total_bytes} bytes", warn=True)
                        return
                    extracted = tf.extractfile(member)
                    if extracted is not None:
                        self.scan(extracted, member.name, where, size=member.size,
                                  depth=depth + 1, in_archive=True)
        except (tarfile.TarError, *_STREAM_ERRORS) as err:
            self.skip(location, f"corrupt tar archive ({type(err).__name__})")


def scan_stream(
    read: IO[bytes],
    name: str,
    location: dict[str, Any],
    ctx: Any,
    options: Any,
    *,
    size: int | None = None,
    mtime: datetime | None = None,
) -> dict[str, Any]:
    """Scan one blob (see the package docstring): ``{"blobs": [...], "skipped": [...],
    "names": [...]}``, the name items of its archive's members, without their source."""
    scanner = BlobScanner(ctx, Limits.from_options(options), mtime, name=name,
                          full=bool(getattr(options, "full", False)))
    scanner.scan(read, name, location, size=size)
    return {"blobs": scanner.blobs, "skipped": scanner.skipped,
            "names": scanner.names.items(None)}
