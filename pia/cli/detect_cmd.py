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
from typing import BinaryIO, TextIO

import typer
from rich.table import Table

from pia.cli.options import RECOGNIZERS_OPTION, console, plain_format
from pia.errors import InputError, UsageError
from pia.masking import mask

HELP = "Detect personal information in text, one result line per input line."


def _lines(stream: TextIO) -> Iterator[str]:
    """Lines end at ``\\n`` only (a ``\\r`` right before it belongs to the newline), as
    ``pia scan`` and ``grep -n`` count them: a lone ``\\r`` is a character of its line."""
    for line in stream:
        yield line.removesuffix("\n").removesuffix("\r")


def _open(path: str) -> TextIO:
    """The text of ``path`` (or standard input), in the encoding its first bytes show.

    As ``pia scan`` reads files: a BOM, UTF-16 without one, UTF-8, then GB18030 (GBK),
    which Chinese legacy systems still write; a binary file is an input error.
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
            raise InputError(f"{path}: no such file")
        try:
            raw = io.BufferedReader(io.FileIO(file), sniff.HEAD_BYTES)
        except OSError as err:
            raise InputError(f"{path}: {err.strerror}") from None
    try:
        head = _head(raw, sniff.HEAD_BYTES)
    except OSError as err:
        raw.close()
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    codec = sniff.encoding([head])
    if sniff.is_binary(head, codec):
        raw.close()
        raise InputError(f"{path}: not a text file (binary content)")
    return io.TextIOWrapper(raw, encoding=codec, errors="replace", newline="\n")


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
    from pia.detection.engine import DetectionEngine
    from pia.detection.normalize import decoded
    from pia.detection.registry import build_registry

    fmt = plain_format(fmt, ("jsonl", "table"))
    if fmt not in ("jsonl", "table"):
        raise UsageError(f"--format must be jsonl or table, not {fmt!r}")
    if show_values and fmt == "jsonl":  # JSONL gives offsets, never values
        raise UsageError("--show-values applies to --format table only (JSONL holds offsets, "
                         "never values)")
    engine = DetectionEngine(build_registry(recognizers))
    with _open(file) as stream:
        results = engine.iter_lines(_lines(stream))
        if fmt == "jsonl":
            out = sys.stdout
            for number, (_line, matches) in enumerate(results, 1):
                entities = [m.as_dict() for m in matches]
                out.write(json.dumps({"line": number, "entities": entities},
                                     ensure_ascii=False) + "\n")
            return
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
