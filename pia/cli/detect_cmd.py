"""`pia detect [FILE|-]`: the detection engine on text, one result per input line.

JSONL is the engine's test surface (DESIGN.md): offsets only, never values. The table shows
masked values unless ``--show-values`` is given explicitly.
"""

from __future__ import annotations

import io
import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import typer
from rich.table import Table

from pia.cli.options import RECOGNIZERS_OPTION, canonical_format, console
from pia.errors import InputError, UsageError

HELP = "Detect personal information in text, one result line per input line."


class _Text:
    """An input's bytes and how they read: its codec and what ends its lines."""

    def __init__(self, raw: BinaryIO, codec: str, ends: str) -> None:
        self.raw, self.codec, self.ends = raw, codec, ends

    def __enter__(self) -> _Text:
        return self

    def __exit__(self, *exc: object) -> None:
        self.raw.close()

    def lines(self, path: str, failed: list[str]) -> Iterator[str]:
        """The lines as ``pia scan`` reads them: UTF-8 line by line, a legacy component's
        GBK lines among them read as GB18030 (``text.Decoder``); lines end at ``\n`` (a
        ``\r`` right before it belongs to the newline, a lone one is a character of its
        line, as ``grep -n`` counts) or, in a file whose lines all end in a lone ``\r``
        (classic Mac OS, some devices), at ``\r``.

        A compressed file cut short or corrupt ends the lines where it fails, with the
        reason in ``failed``: the whole lines before it are still detected and written,
        then it is an error."""
        from pia.connectors.files.sniff import STREAM_ERRORS
        from pia.connectors.files.text import CHUNK_BYTES, Decoder

        decoder = Decoder(self.codec)
        read = getattr(self.raw, "read1", self.raw.read)  # what has come, not a full chunk
        pending = ""
        while True:
            try:
                data = read(CHUNK_BYTES)
                text = decoder.decode(data, final=not data)
            except STREAM_ERRORS as err:
                failed.append(f"{path}: cannot read: {_reason(err)}")
                return
            *whole, pending = (pending + text).split(self.ends)
            for line in whole:
                yield line.removesuffix("\r")
            if not data:
                break
        if pending:
            yield pending.removesuffix("\r")


def _reason(err: BaseException) -> str:
    """What went wrong in reading, in a few words."""
    return getattr(err, "strerror", None) or str(err) or "the data ends too early"


def _open(path: str) -> _Text:
    """The text of ``path`` (or standard input), in the encoding its first bytes show.

    As ``pia scan`` reads files: a BOM, UTF-16 without one, UTF-8, then GB18030 (GBK),
    which Chinese legacy systems still write; a rotated log compressed with gzip, bzip2 or
    xz is read through; an archive or a binary file is an input error.
    """
    # with the engine: `pia --help` stays light
    from pia.connectors.files import sniff
    from pia.connectors.files.walk import special_reason, stat_source

    if path == "-":
        if sys.stdin.isatty():  # else a user at a terminal waits on a silent prompt
            sys.stderr.write("pia: reading standard input (Ctrl-D to end)\n")
        raw: BinaryIO = io.BufferedReader(io.FileIO(sys.stdin.fileno(), closefd=False),
                                          sniff.HEAD_BYTES)
    else:
        mode = stat_source(path).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{path}: is a directory (pia detect reads one text file; "
                             "pia scan reads directories)")
        unreadable = special_reason(mode)  # never opened: opening a FIFO blocks
        if unreadable:
            raise InputError(f"{path}: {unreadable}")
        try:
            raw = io.BufferedReader(io.FileIO(path), sniff.HEAD_BYTES)
        except OSError as err:
            raise InputError(f"{path}: {err.strerror}") from None
    try:
        head = _head(raw, sniff.HEAD_BYTES)
    except OSError as err:
        raw.close()
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    kind = sniff.container(head)
    archive = kind if kind in sniff.ARCHIVES else None
    if kind in sniff.COMPRESSED:
        raw, head = _decompressed(raw, kind, path)
        inner = sniff.container(head)  # a .tar.gz is an archive too
        archive = f"{kind}-compressed {inner}" if inner in sniff.ARCHIVES else None
    if archive is not None:
        raw.close()
        raise InputError(f"{path}: a {archive} archive (pia detect reads one text file; "
                         "pia scan reads archives)")
    codec = sniff.encoding([head])
    if sniff.is_binary(head, codec):
        raw.close()
        raise InputError(f"{path}: not a text file (binary content)")
    return _Text(raw, codec, sniff.newline(sniff.head_text(head, codec)))


def _decompressed(raw: io.BufferedReader, kind: str, path: str
                  ) -> tuple[io.BufferedReader, bytes]:
    """``raw`` read through its compression, and the first bytes of what it holds."""
    from pia.connectors.files import sniff

    # read as it is (it buffers and peeks itself): a buffer around it lost the lines it held
    # when the data broke off
    text = sniff.decompressed(kind, raw)
    try:
        return text, _head(text, sniff.HEAD_BYTES)
    except sniff.STREAM_ERRORS as err:
        text.close()
        raise InputError(f"{path}: not a readable {kind} file: {_reason(err)}") from None


def _head(raw: io.BufferedReader, size: int) -> bytes:
    """The first ``size`` bytes of ``raw`` without consuming them (a pipe cannot seek back)."""
    head = raw.peek(size)
    while len(head) < size:  # peek returns what one read gave: fill the buffer
        more = raw.peek(size)
        if len(more) <= len(head):
            break
        head = more
    return head[:size]


def command(
    file: str = typer.Argument("-", metavar="FILE",
                               help="Text file to scan, or - for standard input."),
    fmt: str = typer.Option("jsonl", "--format", "-f",
                            metavar="FORMAT",
                            help="jsonl (one line per input line, offsets only) or table "
                                 "(one row per entity, values masked)."),
    show_values: bool = typer.Option(
        False, "--show-values", help="Show raw matched values in the table (never in JSONL)."
    ),
    recognizers: list[Path] = RECOGNIZERS_OPTION,
) -> None:
    fmt = canonical_format(fmt, ("jsonl", "table"))
    if fmt not in ("jsonl", "table"):
        raise UsageError(f"--format must be jsonl or table, not {fmt!r}")
    if show_values and fmt == "jsonl":  # JSONL gives offsets, never values
        raise UsageError("--show-values applies to --format table only (JSONL holds offsets, "
                         "never values)")
    # a file is checked before the engine is built (a second of imports, seconds of pattern
    # compiling on a cold cache): a wrong path is an error at once. Standard input is waited
    # for only once the recognizer files are known to load
    if not file:  # "$LOG" unset
        raise UsageError("an empty FILE (''): name a text file, or - for standard input"
                         " (an unset variable?)")
    registry = _registry(recognizers) if file == "-" else None
    with _open(file) as text:
        engine = _engine(registry if registry is not None else _registry(recognizers))
        failed: list[str] = []
        results = engine.iter_lines(text.lines(file, failed))
        if fmt == "jsonl":
            out = sys.stdout
            for number, (_line, matches) in enumerate(results, 1):
                entities = [m.as_dict() for m in matches]
                out.write(json.dumps({"line": number, "entities": entities},
                                     ensure_ascii=False) + "\n")
        else:
            _table(results, show_values)
    if failed:
        raise InputError(failed[0])


def _registry(recognizers: list[Path]) -> Any:
    from pia.detection.registry import build_registry

    return build_registry(recognizers)


def _engine(registry: Any) -> Any:
    """The engine, and what start-up made moved out of the cycle collector's sight.

    Presidio, the recognizers and the compiled databases are a few hundred thousand objects
    that live as long as the process. The collector runs between batches (the engine pauses
    it within one) and its full collections walked all of them again each time;
    ``gc.freeze`` leaves them out of every later collection (``pia detect`` of 10 MiB of log
    lines: about a tenth less CPU after start-up, bench/RESULTS.md)."""
    import gc

    from pia.detection.engine import DetectionEngine

    engine = DetectionEngine(registry)
    gc.collect()
    gc.freeze()
    return engine


def _table(results: Iterator[tuple[str, list[Any]]], show_values: bool) -> None:
    from pia.detection.normalize import decoded
    from pia.masking import mask

    table = Table("line", "entity", "start", "end", "score", "value")
    for number, (line, matches) in enumerate(results, 1):
        for m in matches:
            raw = line[m.start:m.end]
            # a value written as JSON escapes (\u5f20\u4e09) is shown as what it is;
            # mask decodes it itself
            value = decoded(raw) if show_values else mask(m.entity_type, raw)
            table.add_row(str(number), m.entity_type, str(m.start), str(m.end),
                          f"{m.score:.2f}", value)
    console().print(table)
