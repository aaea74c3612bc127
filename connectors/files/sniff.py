"""What a blob is, by its content first: compression, archive, binary, text encoding, text format.

Extensions lie (``app.log`` that is gzip, ``export.csv`` that is an Excel file), so magic
bytes decide; the extension only picks between text formats the content cannot tell apart
(CSV vs plain text). Encodings are decided per file from samples: a BOM wins; otherwise
strict UTF-8, then strict GB18030 (a superset of GBK and GB2312, the encodings Chinese legacy
systems still write), then UTF-8 with replacement so that bad bytes never stop a scan.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import json
import lzma
import re
import zlib
from typing import IO, Any

from pia.connectors.files.mixed_lines import MIXED, decode_lines
from pia.connectors.files.structured import split_row

#: bytes read from the start of a blob to sniff it
HEAD_BYTES = 64 * 1024

COMPRESSED = {"gzip", "bzip2", "xz"}
ARCHIVES = {"zip", "tar"}
#: what reading a compressed stream raises when its data is cut short or corrupt
STREAM_ERRORS = (OSError, EOFError, lzma.LZMAError, zlib.error)


def decompressed(kind: str, stream: IO[bytes]) -> Any:
    """``stream`` read through its ``kind`` of compression (one of ``COMPRESSED``): a file
    object that buffers and peeks itself."""
    if kind == "gzip":
        return gzip.GzipFile(fileobj=stream)
    return {"bzip2": bz2.BZ2File, "xz": lzma.LZMAFile}[kind](stream)

#: what a SQLite database in a scanned directory is called (the files connector adds how to
#: scan it: as a source of its own)
SQLITE = "a SQLite database"

#: formats recognised so that they are skipped, saying what they are, not read as text
_BINARY: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "an executable"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document, not read"),
    (b"SQLite format 3\x00", SQLITE),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive, a format pia does not open"),
    (b"Rar!", "a RAR archive, a format pia does not open"),
    (b"\x28\xb5\x2f\xfd", "a zstd stream, a format pia does not open"),
    # Excel 97-2003 (.xls), Word .doc, and an .xlsx saved with a password (encrypted
    # inside an OLE file): none is read
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "an OLE compound file: a legacy Excel .xls or Word .doc, or an encrypted .xlsx,"
     " not read"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # empty zip
    *((magic, "binary") for magic, _what in _BINARY),
)

_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_DELIMITERS = {",": "csv", "\t": "tsv"}


def container(head: bytes) -> str | None:
    """``gzip``/``bzip2``/``xz``/``zip``/``tar``/``binary`` from magic bytes, None for text."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "tar"
    return None


def binary_reason(head: bytes) -> str:
    """Why a blob was skipped as binary, saying what it is when its magic bytes tell."""
    for magic, what in _BINARY:
        if head.startswith(magic):
            return f"binary file ({what})"
    return "binary file"


def _utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM: NULs in every other byte of mostly-ASCII text."""
    sample = head[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _decodes(codec: str, samples: list[bytes]) -> bool:
    """Every sample decodes strictly (samples after the first start at a line start); in
    ``MIXED``, each of its lines in UTF-8 or GB18030."""
    if codec == MIXED:
        return all(_decodes("utf-8", [line]) or _decodes("gb18030", [line])
                   for sample in samples for line in sample.split(b"\n"))
    for sample in samples:
        try:
            # not final: a sample may end inside a character
            codecs.getincrementaldecoder(codec)("strict").decode(sample, final=False)
        except UnicodeDecodeError:
            return False
    return True


def encoding(samples: list[bytes]) -> str:
    """The codec to read a text blob with, decided from samples (the first is its head).

    A UTF-16 byte-order mark is a hint only: bytes that read as lines of 8-bit text and as
    UTF-16 without a single line end are 8-bit text after two stray bytes. UTF-8 wins when
    any sample holds UTF-8 beyond ASCII, even if another does not decode: a shared UTF-8 log
    with a legacy component's GBK lines is read per line (``text.Decoder``). Samples holding
    both UTF-8 lines and GBK lines are ``MIXED`` even when they also decode whole as GB18030
    (UTF-8 Chinese often does, as nonsense): read so, the UTF-8 lines lost every Chinese word.
    Text that is valid Big5 and whose GB18030 reading is mostly outside the common
    simplified characters is Big5 (``cp950``)."""
    head = samples[0] if samples else b""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if _utf16_plausible(head):
            return "utf-16"
        # the stray bytes may start a line of junk: the codec is judged on the lines after it
        samples = [head[head.find(b"\n") + 1:], *samples[1:]]
    guess = _utf16(head)
    if guess:
        return guess
    valid = [_decodes("utf-8", [sample]) for sample in samples]
    if all(valid):
        return "utf-8"
    if _mixed(samples):
        return MIXED
    if any(ok and not sample.isascii() for ok, sample in zip(valid, samples, strict=True)):
        return "utf-8"
    if _decodes("gb18030", samples):
        return "cp950" if _big5(samples) else "gb18030"
    return "utf-8"


def _mixed(samples: list[bytes]) -> bool:
    """The samples hold a line of UTF-8 with a character of three bytes or more (Chinese)
    and a line that is not UTF-8 but is GB18030. A GBK line seldom reads as UTF-8, and never
    as three-byte characters all along: a pure GBK file is not mixed. (A sample's last line
    may be cut inside a character: it is judged as far as it goes.)"""
    utf8 = gbk = False
    for sample in samples:
        lines = sample.split(b"\n")
        for index, line in enumerate(lines):
            if line.isascii():
                continue
            try:
                text = codecs.getincrementaldecoder("utf-8")("strict").decode(
                    line, final=index < len(lines) - 1)
            except UnicodeDecodeError:
                gbk = gbk or _decodes("gb18030", [line])
            else:
                utf8 = utf8 or any(char >= "\u0800" for char in text)
            if utf8 and gbk:
                return True
    return False


def head_text(head: bytes, codec: str) -> str:
    """A blob's head as text, to tell its format and what ends its lines: a ``MIXED`` one
    line by line, as ``text.Decoder`` reads it (``mixed_lines``)."""
    if codec != MIXED:
        return head.decode(codec, errors="replace")
    return decode_lines(head)[0]


def _utf16_plausible(head: bytes) -> bool:
    """A blob opening with a UTF-16 BOM reads as UTF-16: it has a line end or a NUL byte (an
    ASCII character) in UTF-16, or too few bytes to tell, or no 8-bit line either."""
    body = head[2:4096]
    if len(body) < 64 or b"\x00" in body or b"\n" not in body:
        return True
    codec = "utf-16-le" if head.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
    text = body.decode(codec, errors="replace")
    return "\n" in text or "\r" in text


#: below this share of GB2312 characters, a GB18030 reading that is also valid Big5 is Big5
_GB2312_SHARE = 0.8


def _big5(samples: list[bytes]) -> bool:
    """Valid Big5 whose GB18030 reading is implausible: Big5's common characters read as
    GB18030 land largely outside GB2312 (kana, Cyrillic, rare ideographs), while simplified
    Chinese text is almost all GB2312. Text in GBK with traditional characters is not valid
    Big5 and stays GB18030."""
    if not _decodes("cp950", samples):
        return False
    chars = [c for sample in samples
             for c in codecs.getincrementaldecoder("gb18030")("replace").decode(sample)
             if c >= "\x80"]
    if len(chars) < 8:
        return False
    common = sum(1 for c in chars if _in_gb2312(c))
    return common < _GB2312_SHARE * len(chars)


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


#: NULs from this many on in a row are a hole in a log, not binary content
_NUL_RUN = 32
_NUL_RUNS = re.compile(rb"\x00{%d,}" % _NUL_RUN)


def is_binary(head: bytes, codec: str) -> bool:
    """Many NUL or control bytes in the head of a blob not in a 16-bit encoding, or NULs
    in bytes that are not text in its encoding.

    A few NULs in otherwise valid text are text: a log a crashed writer left a stray NUL
    in still holds its personal information, and is read with the NUL as a character.
    Runs of NULs do not count, wherever they are: logrotate's ``copytruncate`` leaves one at
    the start where the old content was, a crash leaves one where a file system had
    allocated blocks the log's last lines never reached, a preallocated log ends in one, and
    the log goes on after it. What is around the runs is judged, and must be text in its
    encoding (a run, not a single NUL: many binary formats hold single NULs, and runs of
    them between bytes that are no text).
    """
    if codec.startswith("utf-16"):
        return False
    sample = _NUL_RUNS.sub(b"\n", head)[:8192]
    if not sample.strip(b"\n"):
        return False
    holed = b"\x00" * _NUL_RUN in head
    if (holed or b"\x00" in sample) and not _decodes(codec, [sample]):
        return True
    return len(_CONTROL.findall(sample)) > 0.1 * len(sample)


def splittable(codec: str) -> bool:
    """True when a newline byte is always a newline character, so byte ranges can be cut at
    newline bytes (UTF-8 and GB18030; not UTF-16)."""
    return not codec.startswith("utf-16")


def newline(head_text: str) -> str:
    """``"\\r"`` when the head's lines end in a lone CR (classic Mac OS, some devices' logs):
    no LF at all, and a CR before the head's last character; else ``"\\n"`` (LF and CRLF)."""
    return "\r" if "\n" not in head_text and "\r" in head_text[:-1] else "\n"


#: how a whole JSON document opens (``json``): an array of objects, lists, strings or none,
#: or an object whose first key follows; a log line opening with ``[`` holds a time or a
#: level there (``[2026-11-29 …``, ``[INFO]``)
_DOCUMENT_START = re.compile(r'\ufeff?\s*(?:\[\s*[\[{"\]]|\{\s*(?:"|}))')


def text_format(name: str, head_text: str) -> tuple[str, str | None]:
    """``(format, delimiter)``: ``jsonl``, ``json`` (one or more whole documents over many
    lines, ``json_document``: by the name ``.json`` or by how the content opens; read as
    text after all when it does not parse), ``csv``/``tsv`` (with their delimiter) or
    ``text``."""
    lines = [line for line in head_text.splitlines()[:20] if line.strip()]  # CR ends one too
    if len(lines) > 1:
        lines = lines[:-1]  # the last line of a sample may be cut
    if not lines:
        return "text", None
    objects = 0
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("{") and stripped.endswith("}"):
            try:
                if isinstance(json.loads(stripped), dict):
                    objects += 1
            except (ValueError, RecursionError):  # nested past Python's stack: not a record
                pass
    if objects and objects >= 0.8 * len(lines):
        return "jsonl", None
    lower = _unrotated(name.lower())
    opening = head_text.lstrip("\ufeff \t\r\n")[:1]
    if _DOCUMENT_START.match(head_text) or (lower.endswith(".json") and opening in ("[", "{")):
        return "json", None
    if lower.endswith((".csv", ".tsv", ".tab")):
        delimiter = "\t" if lower.endswith((".tsv", ".tab")) else ","
        return _DELIMITERS[delimiter], delimiter
    # tab-separated exports without an extension: the same number (≥ 2) of tabs per line
    counts = {line.count("\t") for line in lines}
    if len(lines) >= 3 and len(counts) == 1 and counts.pop() >= 2:
        return "tsv", "\t"
    if _comma_separated(lines):
        return "csv", ","
    return "text", None


_COMPRESSION = (".gz", ".bz2", ".xz")
#: a rotated name's suffix: logrotate's number (``.1``) or date (``-20261129``, ``.2026-11-29``)
_ROTATION = re.compile(r"[.\-]\d[\d\-]*$")
#: a header's cell: a field's name (``user_id``, ``出生日期``, ``e-mail``), as a column's is
_HEADER_CELL = re.compile(r"[^\W\d][\w.\-]{0,63}")


def csv_header(line: str, delimiter: str) -> list[str] | None:
    """The field names of a CSV/TSV file's first line, or None when it is a data row.

    A file named ``.csv`` need not open with a header: an export of one record, or of rows
    without names, starts with values (``13812345678,110105199003071239``). Taken for a
    header, such a line would never be searched for values, and its cells would name the
    fields of every row after it. A header's cells are field names (``_HEADER_CELL``: a
    number, an ID, an e-mail address is none), some may be empty (a pandas index column),
    and no two are the same.
    """
    cells = [cell.strip().lstrip("\ufeff") for cell in split_row(line, delimiter)]
    named = [cell for cell in cells if cell]
    if not named or not all(_HEADER_CELL.fullmatch(cell) for cell in named):
        return None
    if len({cell.lower() for cell in named}) != len(named):
        return None
    return cells


def _unrotated(lower: str) -> str:
    """A file's name without its compression and rotation suffixes: ``export.csv.1.gz``,
    ``export.csv-20261129.gz`` and ``export.csv.gz.1`` are ``export.csv``."""
    for suffix in _COMPRESSION:
        lower = lower.removesuffix(suffix)
    lower = _ROTATION.sub("", lower)
    for suffix in _COMPRESSION:
        lower = lower.removesuffix(suffix)
    return lower


def _comma_separated(lines: list[str]) -> bool:
    """Comma-separated rows under a header, whatever the file is named (``dump.log``): at
    least three lines, every one with the same number (≥ 2) of fields and no space after a
    comma, the first of them distinct field names. A log line holding commas opens with a
    time or words separated by spaces, not with names, writes a space after a comma as
    prose does, and its next lines do not keep its count of fields."""
    if len(lines) < 3 or "," not in lines[0]:
        return False
    rows = []
    for line in lines:
        try:
            rows.append(next(csv.reader([line]), []))
        except csv.Error:
            return False
    header = csv_header(lines[0], ",")
    return (header is not None and all(header) and len(header) >= 2
            and all(len(row) == len(header) for row in rows)
            and not any(cell[:1].isspace() for row in rows for cell in row[1:]))
