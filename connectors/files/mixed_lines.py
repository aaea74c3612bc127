"""UTF-8 text with GB18030 lines among its lines, decoded line by line without ever failing.

A legacy component writing GBK into a shared UTF-8 log leaves lines that are not UTF-8: each
is read as GB18030 when it decodes so and holds less UTF-8 text than undecodable bytes (a
UTF-8 line with a stray byte may read as GB18030 nonsense), else as UTF-8 with each
undecodable run read as GB18030 (``pia-gb18030-runs``); what is left becomes U+FFFD.

Below both ``sniff`` (which reads a blob's head so to tell its format) and ``text.Decoder``
(which reads the whole blob so), so that the two read a line alike and neither imports the
other.
"""

from __future__ import annotations

import codecs

#: the codec of a UTF-8 blob with GBK lines among its lines (a legacy component writing into a
#: shared log): each line is read as UTF-8 when it is, else as GB18030
MIXED = "utf-8+gb18030"


def decode_lines(buf: bytes, err: UnicodeDecodeError | None = None) -> tuple[str, int]:
    """``buf`` as text, and how many of its lines were read as GB18030: UTF-8 as far as it
    goes, each line holding a byte that is not (``err``, when the caller's own UTF-8 decode
    already failed, is the first) read by ``decode_line``. Valid UTF-8 costs one C-level
    decode."""
    if err is None:
        try:
            return buf.decode("utf-8"), 0
        except UnicodeDecodeError as first:
            err = first
    out, pos, gb_lines = [], 0, 0
    while True:
        bad = err.start + pos
        start = buf.rfind(b"\n", pos, bad) + 1 or pos
        end = buf.find(b"\n", bad) + 1 or len(buf)
        out.append(buf[pos:start].decode("utf-8"))
        text, gb = decode_line(buf[start:end])
        out.append(text)
        gb_lines += gb
        pos = end
        try:
            out.append(buf[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as again:
            err = again
    return "".join(out), gb_lines


def decode_line(line: bytes) -> tuple[str, bool]:
    """A line that is not UTF-8, and whether it was read as GB18030 (see the module)."""
    utf8 = line.decode("utf-8", "replace")
    if sum(c >= "\u2e80" and c != "\ufffd" for c in utf8) <= utf8.count("\ufffd"):
        try:
            return line.decode("gb18030"), True
        except UnicodeDecodeError:
            pass
    return line.decode("utf-8", "pia-gb18030-runs"), False


def _gb18030_runs(err: UnicodeError) -> tuple[str, int]:
    """A codecs error handler: an undecodable run of a UTF-8 line read as GB18030 characters
    while they decode and the bytes after them do not resume as UTF-8 (ASCII, or a character
    of three or four bytes); a byte that is neither becomes U+FFFD."""
    assert isinstance(err, UnicodeDecodeError)
    data, pos, out = err.object, err.start, []
    while pos < len(data) and data[pos] >= 0x80:
        for size in (2, 4):
            try:
                out.append(data[pos:pos + size].decode("gb18030"))
            except UnicodeDecodeError:
                continue
            pos += size
            break
        else:
            if not out:
                return "\ufffd", err.start + 1
            break
        if _utf8_resumes(data, pos):
            break
    return "".join(out), pos


def _utf8_resumes(data: bytes, pos: int) -> bool:
    if pos >= len(data) or data[pos] < 0x80:
        return True
    size = 3 if 0xE0 <= data[pos] < 0xF0 else 4 if 0xF0 <= data[pos] < 0xF5 else 0
    if not size:
        return False
    try:
        data[pos:pos + size].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


codecs.register_error("pia-gb18030-runs", _gb18030_runs)
