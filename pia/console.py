"""The `pia` command's entry point, apart from ``pia.cli`` so that its imports are inside it.

Importing the CLI (typer, rich, every command) takes a good part of a second; a Ctrl-C
pressed then, before ``pia.cli.main`` has its handlers, printed a ``KeyboardInterrupt``
traceback from the console script, and a SIGTERM ended the process without a word. Here
either ends as any other Ctrl-C or SIGTERM of pia does: one line, exit 130 or 143.
"""

from __future__ import annotations

import signal
import sys


def main() -> None:
    try:
        from pia import interrupts

        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:  # an ignored one stays so
            signal.signal(signal.SIGTERM, interrupts.terminate_early)
        from pia.cli import main as run
    except KeyboardInterrupt:
        _stopped()
    try:
        run()
    except KeyboardInterrupt:  # outside the handlers ``run`` holds while it works
        _stopped()


def _stopped() -> None:
    from pia import interrupts

    sys.stderr.write(f"pia: {interrupts.what()}\n")
    raise SystemExit(interrupts.exit_code()) from None
