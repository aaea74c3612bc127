"""Reading a zip archive that someone else made, assuming they meant harm.

For a verifier, hostile input is the normal case. Nothing here writes to disk: members are
decompressed into memory, one at a time, within limits fixed before reading (member count,
per-member and total size, compression ratio), and the sizes a header claims are never
trusted on their own (``zipfile`` stops at the declared size and then checks the CRC). Names are
checked before anything is read: no ``..``, no absolute path or drive letter, no backslash, no
control character, no directory, symlink or device entry, no duplicate, no name outside ASCII
unless flagged as UTF-8. Every header says what pia's writer writes, the local one what the
central one says (no hash covers a header, and other readers believe the local one). JSON is
bounded in size before it is parsed and in nesting depth during parsing (the parser's
recursion guard) and after it (an iterative walk); duplicate keys and NaN are refused, so two
parsers cannot read two different documents from it.

Each step raises ``Refused`` with the name of the check that failed, so a verification report
can say which one.
"""

from __future__ import annotations

import io
import json
import re
import stat
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

from pia.printable import printable as _printable


@dataclass(frozen=True)
class Limits:
    archive_bytes: int = 256 * 1024 * 1024
    members: int = 1000
    member_bytes: int = 128 * 1024 * 1024
    total_bytes: int = 256 * 1024 * 1024
    ratio: int = 200
    """Largest uncompressed/compressed ratio, applied to members over ``ratio_floor`` bytes
    (a small member of repeated text may legitimately compress very well)."""
    ratio_floor: int = 1024 * 1024
    name_chars: int = 255
    json_depth: int = 64


DEFAULT_LIMITS = Limits()
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


class Refused(Exception):
    """Input refused by check ``check``; ``reason`` is safe to print."""

    def __init__(self, check: str, reason: str) -> None:
        super().__init__(f"{check}: {reason}")
        self.check = check
        self.reason = reason


def read_file(path: Any, limit: int, what: str, error: type[Exception]) -> bytes:
    """At most ``limit + 1`` bytes of a file (so the caller can tell "too large" without
    reading a huge file); an I/O failure becomes ``error``."""
    try:
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except OSError as err:
        raise error(f"cannot read {what} {path}: {err.strerror}") from None


def open_archive(data: bytes, limits: Limits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Parse the central directory (check ``archive-readable``)."""
    if len(data) > limits.archive_bytes:
        raise Refused("archive-readable", f"larger than {limits.archive_bytes} bytes")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except UnicodeDecodeError:
        raise Refused("archive-readable", "a member name flagged UTF-8 is not UTF-8") from None
    except Exception as err:  # hostile bytes: zipfile raises many kinds; all mean "unreadable"
        reason = f"not a readable zip archive ({describe_error(err)})"
        raise Refused("archive-readable", reason) from None
    stray = _stray_bytes(archive, data)
    if stray:
        archive.close()
        raise Refused("archive-readable", stray)
    return archive


def _stray_bytes(archive: zipfile.ZipFile, data: bytes) -> str | None:
    """Where the archive holds bytes that are in no member: before the first (a shell script
    prepended to a VALID bundle ran as one), between two, after the end record (a file of
    raw values appended), or as a comment or extra field, of the archive or of a member. No
    member hash nor the signature covers them, and pia never writes them."""
    expected = 0
    for info in sorted(archive.infolist(), key=lambda i: i.header_offset):
        offset = info.header_offset
        if offset < 0:  # the end record's sizes or offsets are wrong (QA: "offset -256")
            return (f"the end of central directory record places a member {-offset} bytes"
                    " before the start of the file")
        if offset != expected:
            return f"{abs(offset - expected)} bytes at offset {min(offset, expected)} belong" \
                   " to no member"
        header = data[offset:offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            return f"no member header at offset {offset}"
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        if info.comment or info.extra or extra_len:
            what = "a comment" if info.comment else "an extra field"
            return f"member {ascii(info.orig_filename)[1:-1][:80]!r} has {what} (bytes in no" \
                   " member)"
        expected = offset + 30 + name_len + extra_len + info.compress_size
        if info.flag_bits & 0x08:  # a data descriptor follows the data
            expected += 16 if data[expected:expected + 4] == b"PK\x07\x08" else 12
    if archive.start_dir != expected:
        return f"{abs(archive.start_dir - expected)} bytes before the central directory" \
               " belong to no member"
    if archive.comment:
        return "the archive has a comment (bytes in no member)"
    return _after_directory(archive, data)


def _after_directory(archive: zipfile.ZipFile, data: bytes) -> str | None:
    """The central directory (its entries hold no comment nor extra field, checked before)
    must be followed by the end record(s) and then by nothing."""
    end = archive.start_dir
    for info in archive.infolist():
        name = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
        end += 46 + len(name)
    if data[end:end + 4] == b"PK\x06\x06":  # zip64 end record (44 bytes) and its locator
        size = struct.unpack("<Q", data[end + 4:end + 12])[0] if len(data) >= end + 12 else 0
        if size != 44:
            return "the zip64 end record holds extensible data (bytes in no member)"
        end += 12 + size + 20
    if data[end:end + 4] != b"PK\x05\x06":
        return f"no end of central directory record at offset {end}"
    end += 22  # its comment is refused above
    if len(data) != end:
        return f"{len(data) - end} bytes after the end of the archive belong to no member"
    return None


def describe_error(err: BaseException) -> str:
    """An exception as a short, printable phrase (no member bytes are ever in it)."""
    text = str(err).splitlines()[0][:120] if str(err) else ""
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def printable(value: Any, limit: int = 200) -> str:
    """Text from a bundle made safe for a terminal (``pia.printable``), length bounded."""
    return _printable(value, limit)


def name_problem(info: zipfile.ZipInfo, limits: Limits = DEFAULT_LIMITS) -> str | None:
    """Why this member's name or type is unsafe, or None."""
    name = info.orig_filename
    shown = ascii(name)[1:-1][:80]
    if not name:
        return "empty member name"
    if len(name) > limits.name_chars:
        return f"member name longer than {limits.name_chars} characters"
    if _CONTROL.search(name):
        return f"control character in member name {shown!r}"
    if not info.flag_bits & 0x800 and not name.isascii():
        return f"member name {shown!r} is neither ASCII nor flagged UTF-8"
    if "\\" in name:
        return f"backslash in member name {shown!r}"
    if name.startswith("/"):
        return f"absolute member name {shown!r}"
    if _DRIVE.match(name):
        return f"drive letter in member name {shown!r}"
    parts = name.split("/")
    if ".." in parts:
        return f"path traversal in member name {shown!r}"
    if name.endswith("/") or "" in parts or "." in parts:
        return f"directory or empty path segment in member name {shown!r}"
    mode = info.external_attr >> 16
    if info.create_system == 3 and mode and stat.S_IFMT(mode) not in (0, stat.S_IFREG):
        kind = "symlink" if stat.S_ISLNK(mode) else "special file"
        return f"{kind} member {shown!r}"
    return None


def check_names(archive: zipfile.ZipFile, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """Check ``member-names-safe``; returns the names in archive order."""
    names: list[str] = []
    seen: set[str] = set()
    for info in archive.infolist():
        problem = name_problem(info, limits)
        if problem:
            raise Refused("member-names-safe", problem)
        folded = unicodedata.normalize("NFC", info.orig_filename).casefold()
        if folded in seen:  # on a desktop's case-insensitive disk, unzip writes one file
            raise Refused("member-names-safe", f"duplicate member name "
                          f"{ascii(info.orig_filename)[1:-1][:80]!r} (names equal but for case "
                          "or Unicode normal form are one file on macOS and Windows)")
        seen.add(folded)
        names.append(info.orig_filename)
    return names


def check_limits(archive: zipfile.ZipFile, limits: Limits = DEFAULT_LIMITS) -> None:
    """Check ``archive-limits`` from the headers, before decompressing anything."""
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise Refused("archive-limits", f"{len(infos)} members, more than {limits.members}")
    total = 0
    for info in infos:
        name = info.orig_filename
        if info.compress_type not in _METHODS:
            raise Refused("archive-limits", f"{name}: compression method {info.compress_type} "
                          "is not stored or deflate")
        if info.flag_bits & 0x1:
            raise Refused("archive-limits", f"{name}: encrypted member")
        if info.file_size > limits.member_bytes:
            raise Refused("archive-limits", f"{name}: {info.file_size} bytes uncompressed, more "
                          f"than {limits.member_bytes}")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.ratio:
            raise Refused("archive-limits", f"{name}: compression ratio {ratio:.0f}, more than "
                          f"{limits.ratio} (zip bomb?)")
        total += info.file_size
        if total > limits.total_bytes:
            raise Refused("archive-limits", f"more than {limits.total_bytes} bytes uncompressed")


#: every member's header as pia's writer (``create.write_zip``) makes it, and the local
#: header's bytes (signature, version, flags, method, time, date, CRC, sizes, name and extra
#: lengths) as ``struct`` reads them
WRITTEN = {"flag_bits": 0, "compress_type": zipfile.ZIP_DEFLATED,
           "date_time": (1980, 1, 1, 0, 0, 0), "create_system": 3, "create_version": 20,
           "extract_version": 20, "external_attr": (stat.S_IFREG | 0o644) << 16,
           "internal_attr": 0, "volume": 0, "reserved": 0}
_LOCAL = struct.Struct("<4s5H3L2H")


def _dos_time(date_time: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def check_headers(archive: zipfile.ZipFile, data: bytes) -> None:
    """Check ``members-intact``'s headers: each member's local header says what its central
    directory entry says, and both what pia's writer writes. No hash covers a header, and
    other readers trust the local one (QA: a method changed to stored there made ``unzip -p``
    print raw deflate bytes of a bundle that verified VALID, and a mode of 0777, an MS-DOS
    origin or another time gave VALID byte-variants of one signed bundle)."""
    for info in archive.infolist():
        name = ascii(info.orig_filename)[1:-1][:80]
        for field, expected in WRITTEN.items():
            value = getattr(info, field)
            if value != expected:
                shown = oct(value >> 16) if field == "external_attr" else value
                raise Refused("members-intact", f"{name}: {field} is {shown} in the central "
                              "directory, which pia's writer never makes")
        local = _LOCAL.unpack_from(data, info.header_offset)  # its length was checked
        central = (b"PK\x03\x04", info.extract_version, info.flag_bits, info.compress_type,
                   *_dos_time(info.date_time), info.CRC, info.compress_size, info.file_size)
        fields = ("signature", "version", "flags", "method", "time", "date", "CRC",
                  "compressed size", "size")
        for field, was, now in zip(fields, local, central, strict=False):
            if was != now:
                raise Refused("members-intact", f"{name}: the local header says {field} "
                              f"{was}, the central directory {now}")


def read_members(archive: zipfile.ZipFile, data: bytes,
                 limits: Limits = DEFAULT_LIMITS) -> dict[str, bytes]:
    """Decompress every member of the archive ``data`` holds into memory (check
    ``members-intact``: headers, CRC, sizes). Call ``check_names`` and ``check_limits``
    first."""
    check_headers(archive, data)
    out: dict[str, bytes] = {}
    total = 0
    for info in archive.infolist():
        name = info.orig_filename
        try:
            with archive.open(info) as handle:
                data = handle.read(limits.member_bytes + 1)
        except Exception as err:  # CRC, truncated deflate, header mismatch, overlap...
            raise Refused("members-intact", f"{name}: {describe_error(err)}") from None
        total += len(data)
        if len(data) != info.file_size or len(data) > limits.member_bytes:
            raise Refused("members-intact", f"{name}: size differs from its header")
        if total > limits.total_bytes:
            raise Refused("archive-limits", f"more than {limits.total_bytes} bytes uncompressed")
        out[name] = data
    return out


def read_zip(data: bytes, limits: Limits = DEFAULT_LIMITS) -> dict[str, bytes]:
    """All four steps at once: the members of a hostile zip, or ``Refused``."""
    archive = open_archive(data, limits)
    with archive:
        check_names(archive, limits)
        check_limits(archive, limits)
        return read_members(archive, data, limits)


def json_depth(value: Any) -> int:
    """Nesting depth of parsed JSON, walked iteratively (no recursion to exhaust)."""
    depth, level = 0, [value] if isinstance(value, dict | list) else []
    while level:  # one level at a time, containers only: a report's scalars are most of it
        depth += 1
        below = []
        for node in level:
            for child in node.values() if type(node) is dict else node:
                if type(child) is dict or type(child) is list:
                    below.append(child)
        level = below
    return depth


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) == len(pairs):  # the common case, at C speed
        return out
    out = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {ascii(key)[1:-1][:40]!r}")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_json(data: bytes, check: str, what: str, *, max_bytes: int,
              limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse untrusted JSON within a size and a depth bound, refusing duplicate keys and NaN."""
    if len(data) > max_bytes:
        raise Refused(check, f"{what} is larger than {max_bytes} bytes")
    try:
        text = data.decode("utf-8")
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise Refused(check, f"{what} is not UTF-8") from None
    except json.JSONDecodeError as err:
        raise Refused(check, f"{what} is not JSON (line {err.lineno} col {err.colno})") from None
    except RecursionError:  # the C parser's own guard, far below the C stack's limit
        raise Refused(check, f"{what} nests deeper than {limits.json_depth} levels") from None
    except ValueError as err:
        raise Refused(check, f"{what}: {describe_error(err)}") from None
    if json_depth(value) > limits.json_depth:
        raise Refused(check, f"{what} nests deeper than {limits.json_depth} levels")
    return value


def load_text(data: bytes, check: str, what: str, *, max_bytes: int) -> str:
    """A text member (YAML) as ``str``; parse it with ``pia.rules.yamlsafe`` only."""
    if len(data) > max_bytes:
        raise Refused(check, f"{what} is larger than {max_bytes} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(check, f"{what} is not UTF-8") from None
