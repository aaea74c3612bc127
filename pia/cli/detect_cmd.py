"""`pia detect [FILE|-]`: the detection engine on text, one result per input line.

JSONL is the engine's test surface (DESIGN.md): offsets only, never values. The table shows
masked values unless ``--show-values`` is given explicitly.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import typer
from rich.table import Table

from pia.cli.options import RECOGNIZERS_OPTION, console, plain_format
from pia.errors import InputError, UsageError
from pia.masking import mask

HELP = "Detect personal information in text, one result line per input line."


def _lines(stream: TextIO, path: str, failed: list[str]) -> Iterator[str]:
    """Lines end at ``\\n`` only (a ``\\r`` right before it belongs to the newline), as
    ``pia scan`` and ``grep -n`` count them: a lone ``\\r`` is a character of its line.

    A compressed file cut short or corrupt ends the lines where it fails, with the reason in
    ``failed``: the lines before it are still detected and written, then it is an error."""
    from pia.connectors.files.sniff import STREAM_ERRORS

    try:
        for line in stream:
            yield line.removesuffix("\n").removesuffix("\r")
    except STREAM_ERRORS as err:
        failed.append(f"{path}: cannot read: {_reason(err)}")


def _reason(err: BaseException) -> str:
    """What went wrong in reading, in a few words."""
    return getattr(err, "strerror", None) or str(err) or "the data ends too early"


def _open(path: str) -> TextIO:
    """The text of ``path`` (or standard input), in the encoding its first bytes show.

    As ``pia scan`` reads files: a BOM, UTF-16 without one, UTF-8, then GB18030 (GBK),
    which Chinese legacy systems still write; a rotated log compressed with gzip, bzip2 or
    xz is read through; an archive or a binary file is an input error.
    """
    from pia.connectors.files import sniff  # with the engine: `pia --help` stays light

    if path == "-":
        if sys.stdin.isatty():  # else a user at a terminal waits on a silent prompt
            sys.stderr.write("pia: reading standard input (Ctrl-D to end)\n")
        raw: BinaryIO = io.BufferedReader(io.FileIO(sys.stdin.fileno(), closefd=False),
                                          sniff.HEAD_BYTES)
    else:
        file = Path(path)
        if file.is_dir():
            raise InputError(f"{path}: is a directory (pia detect reads one text file; "
                             "pia scan reads directories)")
        if not file.is_file():
            raise InputError(f"{path}: no such file or directory")
        try:
            raw = io.BufferedReader(io.FileIO(file), sniff.HEAD_BYTES)
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
    return io.TextIOWrapper(raw, encoding=codec, errors="replace", newline="\n")


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
    fmt = plain_format(fmt, ("jsonl", "table"))
    if fmt not in ("jsonl", "table"):
        raise UsageError(f"--format must be jsonl or table, not {fmt!r}")
    if show_values and fmt == "jsonl":  # JSONL gives offsets, never values
        raise UsageError("--show-values applies to --format table only (JSONL holds offsets, "
                         "never values)")
    # a file is checked before the engine is built (a second of imports, seconds of pattern
    # compiling on a cold cache): a wrong path is an error at once. Standard input is waited
    # for only once the recognizer files are known to load
    registry = _registry(recognizers) if file == "-" else None
    with _open(file) as stream:
        engine = _engine(registry if registry is not None else _registry(recognizers))
        failed: list[str] = []
        results = engine.iter_lines(_lines(stream, file, failed))
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
    from pia.detection.engine import DetectionEngine

    return DetectionEngine(registry)


def _table(results: Iterator[tuple[str, list[Any]]], show_values: bool) -> None:
    from pia.detection.normalize import decoded

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
