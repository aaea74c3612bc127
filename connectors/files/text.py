"""Scan decoded text line by line in bounded memory.

Bytes are read in chunks and decoded incrementally (``errors="replace"``: undecodable bytes
become U+FFFD and the scan goes on). Lines are handed to the engine in batches of about a
megabyte. A line longer than ``WINDOW`` characters is cut into windows that overlap by
``OVERLAP``; each window *owns* the match starts in its middle part (everything but half the
overlap at each inner edge), so a value at a seam is counted once, by the window where it
has at least ``OVERLAP / 2`` characters of context on both sides. Entities are far shorter
than ``OVERLAP / 2``; memory holds at most a window, a chunk and a batch.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from datetime import datetime
from itertools import repeat
from typing import Any

from pia.connectors.files.structured import context_words, csv_line, json_line, parse_header
from pia.connectors.files.tally import Tally
from pia.connectors.files.timestamps import TimeRange, find_timestamp, find_timestamps
from pia.detection.yaml_recognizer import PatternTimeout

CHUNK_BYTES = 1 << 20
WINDOW = 1 << 20
OVERLAP = 512
BATCH_CHARS = 1 << 20

Reader = Callable[[int], bytes]


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
        self.mtime = mtime
        self.words = context_words(self.engine) if fmt in ("jsonl", "csv", "tsv") else {}
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
        decoder = _Decoder(codec)
        pending = ""  # the current line's text not yet handed over
        window_index = 0  # windows already emitted for the current line
        while True:
            data = read(CHUNK_BYTES)
            text = decoder.decode(data, final=not data)
            self.encoding = decoder.codec
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
            if not data:
                break
        if pending or window_index:
            self._line_end(pending, window_index)
        self._flush()

    def _line_end(self, text: str, window_index: int) -> None:
        """The last piece of a line (the whole line unless it was long)."""
        if text.endswith("\r"):
            text = text[:-1]
        self.lines += 1
        line_no = self.lines
        while len(text) > WINDOW:
            self._window(text[:WINDOW], line_no, window_index, last=False)
            text = text[WINDOW - OVERLAP:]
            window_index += 1
        if window_index:
            self._window(text, line_no, window_index, last=True)
            return
        if self.header_in_blob and line_no == 1:
            self.header = parse_header(text, self.delimiter)
            self.times.add(find_timestamp(text, self.mtime))
            return
        if self.fmt == "jsonl":
            text_for_engine, when = json_line(text, self.words, self.mtime)
        elif self.fmt in ("csv", "tsv") and self.header is not None:
            text_for_engine, when = csv_line(
                text, self.header, self.delimiter, self.words, self.mtime)
        else:
            text_for_engine, when = text, find_timestamp(text, self.mtime)
        self.times.add(when)
        self._add(line_no, text_for_engine, 0, len(text_for_engine))

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
                self.tally.add(m.entity_type, text[m.start:m.end], m.score, line_no)

    def result(self) -> dict[str, Any]:
        return {
            "format": self.fmt,
            "encoding": self.encoding,
            "lines": self.lines,
            "newlines": self.newlines,
            "entities": self.tally.entities,
            "time": self.times.as_json(),
        }


class _Decoder:
    """Incremental decoding that never fails. A blob sampled as UTF-8 that turns out to hold
    GB18030 further on (a legacy log whose samples were ASCII) switches codec at the first
    invalid chunk when that chunk is valid GB18030; otherwise bad bytes become U+FFFD."""

    def __init__(self, codec: str) -> None:
        self.codec = codec
        self._strict = codec == "utf-8"
        self._decoder = codecs.getincrementaldecoder(codec)("strict" if self._strict
                                                           else "replace")

    def decode(self, data: bytes, final: bool) -> str:
        if not self._strict:
            return self._decoder.decode(data, final)
        buffered = self._decoder.getstate()[0]
        try:
            return self._decoder.decode(data, final)
        except UnicodeDecodeError:
            data = buffered + data
        self._strict = False
        try:
            codecs.getincrementaldecoder("gb18030")("strict").decode(data, final=False)
            self.codec = "gb18030"
        except UnicodeDecodeError:
            pass
        self._decoder = codecs.getincrementaldecoder(self.codec)("replace")
        return self._decoder.decode(data, final)


def _masked(text: str, start: int, end: int) -> bool:
    """A value glued to mask characters (``138****5678``) is already masked, not plaintext."""
    return (start > 0 and text[start - 1] in "*＊") or (end < len(text) and text[end] in "*＊")
