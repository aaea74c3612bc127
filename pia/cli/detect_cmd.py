"""`pia detect [FILE|-]`: the detection engine on text, one result per input line.

JSONL is the engine's test surface (DESIGN.md): offsets only, never values. The table shows
masked values unless ``--show-values`` is given explicitly.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import typer
from rich.table import Table

from pia.cli.options import RECOGNIZERS_OPTION, console
from pia.errors import InputError, UsageError
from pia.masking import mask

HELP = "Detect personal information in text, one result line per input line."


def _lines(stream: TextIO) -> Iterator[str]:
    for line in stream:
        yield line.rstrip("\n").rstrip("\r")


def _open(path: str) -> TextIO:
    if path == "-":
        return open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
    file = Path(path)
    if file.is_dir():
        raise InputError(f"{path}: is a directory (pia detect reads one text file; "
                         "pia scan reads directories)")
    if not file.is_file():
        raise InputError(f"{path}: no such file")
    try:
        return file.open(encoding="utf-8", errors="replace", newline="")
    except OSError as err:
        raise InputError(f"{path}: {err.strerror}") from None


def command(
    file: str = typer.Argument("-", help="Text file to scan, or - for standard input."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl | table"),
    show_values: bool = typer.Option(
        False, "--show-values", help="Show raw matched values in the table (never in JSONL)."
    ),
    recognizers: list[Path] = RECOGNIZERS_OPTION,
) -> None:
    from pia.detection.engine import DetectionEngine
    from pia.detection.registry import build_registry

    if fmt not in ("jsonl", "table"):
        raise UsageError(f"--format must be jsonl or table, not {fmt!r}")
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
                value = raw if show_values else mask(m.entity_type, raw)
                table.add_row(str(number), m.entity_type, str(m.start), str(m.end),
                              f"{m.score:.2f}", value)
        console().print(table)
