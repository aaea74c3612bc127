"""A reader of stdout that goes away (`pia detect … | head`) is not a failure.

Python raises ``BrokenPipeError`` at the next write, and typer answers it with exit 1, the
code of a policy violation. A command that has more to do than print (``pia scan`` writes
its ``-o`` files and its bundle, then decides its exit code) wraps its printing in
``reader_may_leave()`` and carries on; the CLI's entry point does the same for whatever
else prints, and exits 0.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


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
