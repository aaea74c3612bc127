"""A reader of stdout that goes away (`pia detect … | head`) is not a failure.

Python raises ``BrokenPipeError`` at the next write, and typer answers it with exit 1, the
code of a policy violation. A command that has more to do than print (``pia scan`` writes
its ``-o`` files and its bundle, then decides its exit code) wraps its printing in
``reader_may_leave()`` and carries on; the CLI's entry point does the same for whatever
else prints, and exits 0.

A reader of stderr that goes away (``pia scan … 2>&1 | head``, a CI step whose log reader
stopped) changes nothing at all: what pia says there is for a person, and its exit code for
the pipeline (QA: a usage error, an unreachable source and critical findings each exited 0,
and ``pia report`` left its later ``-o`` files unwritten). ``forgive_stderr`` makes every
write to stderr after the reader left go nowhere.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO


@contextmanager
def reader_may_leave() -> Iterator[None]:
    """Stop printing, without an error, when stdout's reader has gone away."""
    try:
        yield
    except BrokenPipeError:
        silence()


def silence() -> None:
    """Send what is still written to stdout nowhere: the flush at exit would raise again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


class _StderrThatMayLeave:
    """``sys.stderr``, whose writes and flushes stop raising once its reader has gone."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            _to_nowhere(self._stream)
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            _to_nowhere(self._stream)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _to_nowhere(stream: TextIO) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, stream.fileno())
    finally:
        os.close(devnull)
    with contextlib.suppress(OSError):  # what the failed write left buffered: to /dev/null
        stream.flush()


def forgive_stderr() -> None:
    """From now on a reader of stderr that goes away neither raises nor changes the exit
    code (see the module's docstring). Only the process's own stderr is wrapped, once: a
    stream put there by whoever calls ``main`` in process (a test's capture) is theirs,
    and a wrapper left around it would outlive it."""
    if sys.stderr is not None and sys.stderr is sys.__stderr__:
        sys.stderr = _StderrThatMayLeave(sys.stderr)  # type: ignore[assignment]
