"""Ctrl-C as a request, honoured where stopping is safe.

Python raises ``KeyboardInterrupt`` at whatever bytecode the main thread is on. Between a
lock's acquire and the block that releases it (a future's condition, a worker pool's
bookkeeping) that leaves the lock taken for good, and the pool's manager thread, which Python
joins at exit, then waits on it forever: a CI run caught ``pia scan`` still running two
minutes after Ctrl-C. After the sources are read, a Ctrl-C raised while the report was being
written lost the report that was all but done.

So SIGINT has modes, kept on a stack while a scan runs:

- ``held()``: Ctrl-C is noted, not raised. The code checks ``raise_if_requested()`` where it
  is safe (between two waits on a pool), or reads ``.requested`` when it is done (the CLI
  writes its outputs, then says it was interrupted). A second Ctrl-C raises at once: the way
  out of anything that never comes back to check.
  While an interrupted scan assembles what finished (``pia.executors.core``), it holds:
  a double tap (~0.2 s apart) must not lose the finished partitions; a third press stops
  at once.
- ``immediate()``: Ctrl-C raises at once, as Python's own handler does, for code that is safe
  to stop anywhere (reading a file, running detection in this process). Entering it, or
  leaving a ``held()`` block for it, raises a Ctrl-C that was noted meanwhile.

SIGTERM (what systemd, Kubernetes, a CI timeout or ``timeout(1)`` send) takes the same
path: held or raised as a ``KeyboardInterrupt`` by the same modes, so a terminated scan
writes its partial report and keeps its journal as an interrupted one does; ``terminated()``
tells the two apart (the CLI exits 143 instead of 130). The CLI raises both from its start
(``pia.cli.main`` runs in ``immediate()``), so a SIGTERM before the scan is a one-line exit
143, never a silent death. Outside these blocks SIGTERM keeps its own handler: a process that
holds a private copy of a database removes it before dying (``connectors.sqlite``). Pool
workers get a SIGTERM sent to their whole group too, and leave it to the driver
(``pia.executors.local``).

Only the main thread receives signals; elsewhere both are no-ops. A signal that is ignored
(SIGINT in a background job of a non-interactive shell) stays ignored.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

_HOLD, _RAISE = "hold", "raise"
#: the signals handled here: Ctrl-C, and the polite request to stop that orchestrators send
SIGNALS = (signal.SIGINT, signal.SIGTERM)


class SigInt:
    """The stack of modes and the Ctrl-C noted while holding; one per process."""

    def __init__(self) -> None:
        self.modes: list[str] = []
        self.pending = False  # a Ctrl-C noted and not yet raised
        self.noted = False  # any Ctrl-C since the outermost block began (raised or not)
        self.terminated = False  # the request was a SIGTERM
        self.previous: dict[int, Any] = {}  # the handlers of the signals caught
        self.explained = False  # the command said on stderr what Ctrl-C left behind

    @property
    def requested(self) -> bool:
        """Whether Ctrl-C was pressed since the outermost block began."""
        return self.noted

    def _handle(self, signum: int, frame: object) -> None:
        self.terminated = self.terminated or signum == signal.SIGTERM  # before it is noted
        self.noted = True
        if self.modes[-1] == _RAISE or self.pending:
            self.pending = False
            raise KeyboardInterrupt
        self.pending = True

    def raise_if_requested(self) -> None:
        if self.pending:
            self.pending = False
            raise KeyboardInterrupt

    @contextmanager
    def mode(self, mode: str) -> Iterator[SigInt]:
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        outermost = not self.modes
        if outermost:
            handlers = {signum: signal.getsignal(signum) for signum in SIGNALS}
            # an ignored signal stays ignored; one whose handler is not Python's (None)
            # could not be put back
            previous = {signum: handler for signum, handler in handlers.items()
                        if handler is not signal.SIG_IGN and handler is not None}
            if not previous:
                yield self
                return
            self.previous, self.pending, self.noted = previous, False, False
            self.terminated = False
        self.modes.append(mode)  # before the handler, which reads it
        try:
            if outermost:
                for signum in self.previous:
                    signal.signal(signum, self._handle)
            if mode == _RAISE:
                self.raise_if_requested()
            yield self
        finally:
            if outermost:
                for signum, handler in self.previous.items():
                    signal.signal(signum, handler)
            self.modes.pop()
        if self.modes and self.modes[-1] == _RAISE:
            self.raise_if_requested()


_SIGINT = SigInt()


def held() -> AbstractContextManager[SigInt]:
    """Note Ctrl-C instead of raising it (see the module's docstring); a context manager
    whose value has ``requested`` and ``raise_if_requested()``."""
    return _SIGINT.mode(_HOLD)


def immediate() -> AbstractContextManager[SigInt]:
    """Raise Ctrl-C at once again, inside an enclosing ``held()`` block."""
    return _SIGINT.mode(_RAISE)


def raise_if_requested() -> None:
    """Raise ``KeyboardInterrupt`` here if a Ctrl-C was noted and not yet raised."""
    _SIGINT.raise_if_requested()


def terminate_early(signum: int, frame: object) -> None:
    """SIGTERM's handler from the process's start until a command holds its own
    (``pia.console``): the default would end the process without a word (QA: a service
    manager stopping pia in its first second saw no line, and exit -15)."""
    _SIGINT.terminated = True
    raise KeyboardInterrupt


def terminated() -> bool:
    """Whether the interrupt the last scan saw was a SIGTERM rather than a Ctrl-C."""
    return _SIGINT.terminated


def exit_code() -> int:
    """The exit code of an interrupted command: 130 for Ctrl-C, 143 for SIGTERM (128 plus
    the signal's number, as a shell reports a process the signal stopped)."""
    return 128 + (signal.SIGTERM if _SIGINT.terminated else signal.SIGINT)


def what() -> str:
    """The word for what stopped the command: "interrupted" or "terminated"."""
    return "terminated" if _SIGINT.terminated else "interrupted"


def explain(message: str) -> None:
    """Say on stderr what a Ctrl-C left behind; the CLI says a bare "interrupted" for a
    command that did not (typer turns ``KeyboardInterrupt`` into exit 130 silently)."""
    print(message, file=sys.stderr)
    _SIGINT.explained = True


def explained() -> bool:
    """Whether ``explain`` was called since the last time this was asked."""
    said, _SIGINT.explained = _SIGINT.explained, False
    return said
