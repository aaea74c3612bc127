"""Scan decoded text line by line in bounded memory.

Bytes are read in chunks and decoded incrementally (``errors="replace"``: undecodable bytes
become U+FFFD and the scan goes on). Lines are handed to the engine in batches of about a
megabyte. A line longer than ``WINDOW`` characters is cut into windows that overlap by
``OVERLAP``; each window *owns* the match starts in its middle part (everything but half the
overlap at each inner edge), so a value at a seam is counted once, by the window where it
has at least ``OVERLAP / 2`` characters of context on both sides. Entities are far shorter
than ``OVERLAP / 2``; memory holds at most a window, a chunk and a batch.

Not done: percent-encoded UTF-8 in query strings (``name=%E5%BC%A0%E4%B8%89``) is not
decoded, so such a name goes unreported (digits, which encode as themselves, are found).
Decoding it in place would shift the offsets that window ownership relies on in long lines;
for whole lines it is feasible (a ``"%" in line`` test per line, a substitution on the few
that hold one) but was not built or measured yet.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from itertools import repeat
from typing import Any

from pia.connectors.files.fields import field_types, field_value, log_pairs
from pia.connectors.files.json_stream import DocumentStream
from pia.connectors.files.mixed_lines import MIXED, decode_lines
from pia.connectors.files.sniff import csv_header
from pia.connectors.files.structured import (
    Fields,
    context_words,
    csv_line,
    json_line,
)
from pia.connectors.files.tally import Tally
from pia.connectors.files.timestamps import TimeRange, find_timestamp, find_timestamps
from pia.detection.persons import adult_key_before
from pia.detection.yaml_recognizer import PatternTimeout
from pia.masked_names import NameMasker

CHUNK_BYTES = 1 << 20
WINDOW = 1 << 20
OVERLAP = 512
BATCH_CHARS = 1 << 20

Reader = Callable[[int], bytes]
log = logging.getLogger(__name__)
_NUL_RUNS = re.compile("\x00{2,}")


class TextScan:
    """The state of scanning one blob of text (a file, a byte range, an archive member)."""

    def __init__(
        self,
        ctx: Any,
        *,
        fmt: str = "text",
        delimiter: str | None = None,
        header: list[str] | None = None,
        header_in_blob: bool = False,
        header_line: int = 1,
        mtime: datetime,
        name: str = "",
    ) -> None:
        self.engine = ctx.engine
        self.name = name  # what is read, for a runaway user pattern's message
        self.tally = Tally(ctx.fingerprint, ctx.now)
        self.times = TimeRange()
        self.fmt = fmt
        self.delimiter = delimiter or ","
        self.header = header
        self.header_in_blob = header_in_blob and fmt in ("csv", "tsv")
        #: the line of the blob that names its columns: a spreadsheet's title rows come
        #: before it (``xlsx``), and are read as text lines
        self.header_line = header_line
        self.mtime = mtime
        self.fingerprint = ctx.fingerprint
        #: a JSON document read by its keys (``json_stream``), all of it or up to where it
        #: stopped being JSON, the rest then read as text
        self.keyed = False
        self._ended = False  # the blob was read to its end already
        self.words = context_words(self.engine) if fmt in ("jsonl", "csv", "tsv") else {}
        #: types a field's name decides (see ``fields``): a password, coordinates...
        self.types = field_types(self.engine)
        self.encoding = "utf-8"
        self.lines = 0  # lines seen, including a last one without a newline
        self.newlines = 0
        # (line number, text, owned start, owned end)
        self._batch: list[tuple[int, str, int, int]] = []
        self._batch_chars = 0

    # --- feeding ---------------------------------------------------------------------------

    def run(self, read: Reader, codec: str, newline: str = "\n") -> None:
        """Read ``read`` to its end (``read(n)`` returns ``b""`` at the end); lines end at
        ``newline`` ("\\r" for old Mac and some devices' logs, see ``sniff.newline``)."""
        self.encoding = codec
        decoder = Decoder(codec)
        pending = ""  # the current line's text not yet handed over
        window_index = 0  # windows already emitted for the current line
        lead = ""  # text decoded already: what a JSON document left
        if self.fmt == "json":
            lead = self._document(read, decoder, newline)
            self.fmt = "text"  # what is left (if anything) is read as text
        for text in self._decoded(read, decoder, lead):
            if "\x00\x00" in text:  # a hole a crash or a preallocation left: one NUL for it
                text = _NUL_RUNS.sub("\x00", text)
            pieces = text.split(newline)
            if len(pieces) > 1:
                self._line_end(pending + pieces[0], window_index)
                self._whole_lines(pieces[1:-1], newline == "\n" and "\r" in text)
                self.newlines += len(pieces) - 1
                pending, window_index = pieces[-1], 0
            else:
                pending += text
            if not window_index and pending.startswith("\x00\x00"):
                # a copytruncate hole (gigabytes of NULs before the first line): one NUL
                # stands for it, so the line's timestamp is looked for after it
                pending = "\x00" + pending.lstrip("\x00")
            while len(pending) >= WINDOW + OVERLAP:
                self._window(pending[:WINDOW], self.lines + 1, window_index, last=False)
                pending = pending[WINDOW - OVERLAP:]
                window_index += 1
        if pending or window_index:
            self._line_end(pending, window_index)
        self._flush()

    def _decoded(self, read: Reader, decoder: Decoder, lead: str) -> Iterator[str]:
        """``lead``, then the text of the rest of ``read``, chunk by chunk, the last one
        (maybe empty) when ``read`` ends, unless it ended already."""
        if lead:
            yield lead
        if self._ended:
            return
        while True:
            data = read(CHUNK_BYTES)
            text = decoder.decode(data, final=not data)
            self.encoding = decoder.codec
            yield text
            if not data:
                return

    def _document(self, read: Reader, decoder: Decoder, newline: str) -> str:
        """Read the blob as a JSON document (``json_stream``): each value's leaves as a
        JSON line's, on the line of their value. What is left is the text not read so (none
        when all was; all of it when it is no JSON), to be read as text from where it
        stopped: its first line, in part or whole, is the next line."""
        stream = DocumentStream(read, decoder.decode, newline)
        words = context_words(self.engine)
        for line_no, rendered, fields in stream.units(words, self.types):
            for key, match, value in fields:
                self.tally.add_field(key, match, value, line_no)
            self.times.add(find_timestamp(rendered, self.mtime))
            self._add(line_no, rendered, 0, len(rendered))
        self._flush()
        self.encoding = decoder.codec
        self._ended = stream.eof
        if stream.records:
            self.keyed = True
        if not stream.rest and stream.eof:  # all read by its keys
            self.lines, self.newlines = stream.lines, stream.newlines
            return ""
        if stream.records:
            log.warning("pia: warning: %s: JSON read by its keys up to line %d, the rest as text"
                        " (%s)",
                        NameMasker(self.fingerprint, self.engine).name(self.name),
                        stream.line, stream.why)
        self.lines = self.newlines = stream.line - 1
        return stream.rest

    def _line_end(self, text: str, window_index: int) -> None:
        """The last piece of a line (the whole line unless it was long)."""
        if text.endswith("\r"):
            text = text[:-1]
        if not window_index and text.startswith("\x00\x00"):  # a copytruncate hole
            text = "\x00" + text.lstrip("\x00")
        self.lines += 1
        line_no = self.lines
        while len(text) > WINDOW:
            self._window(text[:WINDOW], line_no, window_index, last=False)
            text = text[WINDOW - OVERLAP:]
            window_index += 1
        if window_index:
            self._window(text, line_no, window_index, last=True)
            return
        if self.header_in_blob and line_no == self.header_line:
            self.header = csv_header(text, self.delimiter)
            if self.header is not None:
                self.times.add(find_timestamp(text, self.mtime))
                return
        fields: Fields | None = None
        if self.fmt == "jsonl":
            text_for_engine, when, fields = json_line(text, self.words, self.mtime, self.types)
        elif self.fmt in ("csv", "tsv") and self.header is not None:
            text_for_engine, when, fields = csv_line(
                text, self.header, self.delimiter, self.words, self.mtime, self.types)
        else:
            text_for_engine, when = text, find_timestamp(text, self.mtime)
        if fields is None:  # a log line (or a line of a JSON log that is not JSON)
            self._log_fields([text], line_no)
        else:
            for key, match, value in fields:
                self.tally.add_field(key, match, value, line_no)
        self.times.add(when)
        self._add(line_no, text_for_engine, 0, len(text_for_engine))

    def _log_fields(self, lines: list[str], first: int) -> None:
        """Count the ``key=value`` pairs of log lines whose names say what they hold."""
        for index, key, match, value in log_pairs(lines, self.types):
            counted = field_value(value, match.entity_type, match.term)
            if counted is not None:
                self.tally.add_field(key, match, counted, first + index)

    def _whole_lines(self, lines: list[str], carriage_returns: bool) -> None:
        """Complete lines of a chunk: plain text goes in bulk, anything else line by line."""
        if self.fmt != "text" or (lines and max(map(len, lines)) > WINDOW):
            for line in lines:
                self._line_end(line, 0)
            return
        if carriage_returns:
            lines = [line[:-1] if line.endswith("\r") else line for line in lines]
        first = self.lines + 1
        self.lines += len(lines)
        self.times.add_many(find_timestamps(lines, self.mtime), len(lines))
        self._log_fields(lines, first)
        lengths = list(map(len, lines))
        self._batch.extend(zip(range(first, first + len(lines)), lines, repeat(0), lengths))
        self._queued(sum(lengths) + len(lines))

    def _window(self, text: str, line_no: int, index: int, *, last: bool) -> None:
        if index == 0:
            self.times.add(find_timestamp(text, self.mtime))
        lo = 0 if index == 0 else OVERLAP // 2
        hi = len(text) if last else len(text) - OVERLAP // 2
        self._add(line_no, text, lo, hi)

    def _add(self, line_no: int, text: str, lo: int, hi: int) -> None:
        self._batch.append((line_no, text, lo, hi))
        self._queued(len(text) + 1)

    def _queued(self, chars: int) -> None:
        """``chars`` more characters wait in the batch: analyse it once it is full."""
        self._batch_chars += chars
        if self._batch_chars >= BATCH_CHARS:
            self._flush()

    # --- detection -------------------------------------------------------------------------

    def _flush(self) -> None:
        if not self._batch:
            return
        batch, self._batch, self._batch_chars = self._batch, [], 0
        try:
            results = self.engine.analyze_lines([unit[1] for unit in batch])
        except PatternTimeout as err:  # a user's runaway pattern: say where it ran away
            if err.line is not None:
                err.input_line = batch[err.line][0]
            err.input = err.input or self.name or None
            raise
        for (line_no, text, lo, hi), matches in zip(batch, results, strict=True):
            for m in matches:
                if not lo <= m.start < hi or _masked(text, m.start, m.end):
                    continue
                self.tally.add(m.entity_type, text[m.start:m.end], m.score, line_no,
                               adult_key_before(text, m.start))

    def result(self) -> dict[str, Any]:
        return {
            "format": "json" if self.keyed else self.fmt,
            "encoding": self.encoding,
            "lines": self.lines,
            "newlines": self.newlines,
            "entities": self.tally.entities,
            "fields": self.tally.fields,
            "time": self.times.as_json(),
        }


class Decoder:
    """Decoding that never fails. ``utf-8`` and ``MIXED`` are read per line
    (``mixed_lines``): a line that is not UTF-8 is GB18030 when it decodes so (a legacy
    component writing GBK into a shared UTF-8 log), and inside a line that is neither, each
    undecodable run is tried as GB18030; what is left becomes U+FFFD. A blob sampled as UTF-8
    that turns out to hold only GB18030 further on (a legacy log whose samples were ASCII)
    switches codec at the first invalid chunk when that chunk is valid GB18030 and no UTF-8
    beyond ASCII came before; one sampled as ``MIXED`` never does (its byte range may open
    with a GBK line and go on in UTF-8).
    Other codecs replace bad bytes with U+FFFD.

    Valid UTF-8 costs one C-level decode per chunk: the bytes after its last newline wait
    for the next chunk, so that a character or line cut by the chunk is decoded whole."""

    def __init__(self, codec: str) -> None:
        self.codec = codec
        self._mixed = codec in ("utf-8", MIXED)
        self._switchable = codec == "utf-8"
        self._carry = b""
        self._beyond_ascii = False  # UTF-8 other than ASCII seen
        self._gb_lines = 0  # lines read as GB18030 in a UTF-8 blob
        if not self._mixed:
            self._decoder = codecs.getincrementaldecoder(codec)("replace")

    def decode(self, data: bytes, final: bool) -> str:
        if not self._mixed:
            if self._carry:
                data, self._carry = self._carry + data, b""
            return self._decoder.decode(data, final)
        buf = self._carry + data if self._carry else data
        cut = len(buf) if final else buf.rfind(b"\n") + 1
        if not cut:  # a line longer than the chunk: cut where no character can go on
            cut = _safe_cut(buf) if len(buf) > CHUNK_BYTES else 0
        self._carry = buf[cut:]
        return self._lines(buf[:cut] if cut < len(buf) else buf)

    def _lines(self, buf: bytes) -> str:
        try:
            text = buf.decode("utf-8")
        except UnicodeDecodeError as err:
            return self._repair(buf, err)
        if not self._beyond_ascii and not text.isascii():
            self._beyond_ascii = True
        return text

    def _repair(self, buf: bytes, err: UnicodeDecodeError) -> str:
        # UTF-8 beyond ASCII before the first bad byte, in this chunk or an earlier one:
        # a mixed blob, whose UTF-8 after a GBK line must not be read as GB18030
        if (self._switchable and not self._beyond_ascii and not self._gb_lines
                and buf[:err.start].isascii()):
            try:
                text = buf[:err.start].decode("utf-8") + buf[err.start:].decode("gb18030")
            except UnicodeDecodeError:
                pass
            else:  # GB18030 from here on: the rest of the blob is read as such
                self._switch(buf)
                return text
        text, gb_lines = decode_lines(buf, err)
        self._gb_lines += gb_lines
        if self._gb_lines:
            self.codec = MIXED
        return text

    def _switch(self, buf: bytes) -> None:
        """Read the rest of the blob, from the bytes carried on, as GB18030."""
        self._mixed = False
        self.codec = "gb18030"
        self._decoder = codecs.getincrementaldecoder("gb18030")("replace")


def _safe_cut(buf: bytes) -> int:
    """Where to cut a long undivided run of bytes: after the last byte below 0x30 (space,
    punctuation, controls), which neither UTF-8 nor GB18030 uses inside a character; else
    before a UTF-8 character the end would cut."""
    for at in range(len(buf) - 1, max(len(buf) - 256, -1), -1):
        if buf[at] < 0x30:
            return at + 1
    at = len(buf)
    while at > len(buf) - 4 and at > 0 and 0x80 <= buf[at - 1] < 0xC0:
        at -= 1
    return at - 1 if at > 0 and buf[at - 1] >= 0xC0 else len(buf)


def _masked(text: str, start: int, end: int) -> bool:
    """A value glued to mask characters (``138****5678``) is already masked, not plaintext."""
    return (start > 0 and text[start - 1] in "*＊") or (end < len(text) and text[end] in "*＊")
