"""The `pia` command's entry point, apart from ``pia.cli`` so that its imports are inside it.

Importing the CLI (typer, rich, every command) takes a good part of a second; a Ctrl-C
pressed then, before ``pia.cli.main`` has its handlers, printed a ``KeyboardInterrupt``
traceback from the console script. Here it ends like any other Ctrl-C of pia.
"""

from __future__ import annotations

import sys

INTERRUPTED = 130


def main() -> None:
    try:
        from pia.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("pia: interrupted\n")
        raise SystemExit(INTERRUPTED) from None
    run()
