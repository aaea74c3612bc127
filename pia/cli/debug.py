"""``--debug``: the traceback of an expected failure, on stderr after its one-line message.

``--debug`` goes before the command (``pia --debug scan x``) or after it (``pia scan x
--debug``); ``PIA_DEBUG=1`` does the same. The exit code and the one-line message do not
change.

A traceback is safe to show as pia's messages are: its frames name files, lines and
functions (never a variable's value), pia's own errors hold masked values only
(``pia.errors``), and every exception message in it, a driver's too, goes through
``pia.uri.scrub`` (a password in a URI or connection string becomes ``***``) and then the
masking of identifiers (an unexpected exception may quote the value it failed on).
"""

from __future__ import annotations

import copy
import os
import traceback
from typing import Any

import typer

from pia.errors import SourceError

HELP = "Show the traceback of an error after its message."

_on = False


def reset() -> None:
    """Off, as each command line starts (``main`` may run more than once in a process)."""
    global _on
    _on = False


def _enable(_ctx: Any, _param: Any, value: bool) -> bool:
    global _on
    if value:
        _on = True
    return value


def wanted() -> bool:
    return _on or bool(os.environ.get("PIA_DEBUG"))


def root_option() -> Any:
    return typer.Option(False, "--debug", callback=_enable, is_eager=True, help=HELP)


def add_to_commands(group: Any) -> None:
    """Every subcommand of the root ``group`` (and of its groups) takes the root's
    ``--debug`` too, not passed to the subcommand's function."""
    flag = next(p for p in group.params if "--debug" in getattr(p, "opts", ()))
    _add(group, flag)


def _add(group: Any, flag: Any) -> None:
    for command in group.commands.values():
        if hasattr(command, "commands"):
            _add(command, flag)
        elif not any("--debug" in getattr(p, "opts", ()) for p in command.params):
            own = copy.copy(flag)
            own.expose_value = False
            command.params.append(own)


def traceback_text(err: BaseException) -> str:
    """The traceback of ``err`` (its causes too) as Python prints it, scrubbed of credentials
    and with the identifiers an unexpected exception's message may quote masked."""
    from pia.uri import scrub

    text = scrub("".join(traceback.format_exception(err)))
    try:  # the masking loads the detection engine, which may be what failed
        from pia.bundle.masked import masked_text

        return masked_text(text)
    except Exception:  # noqa: BLE001 - the traceback is wanted all the more
        return text


def show(err: BaseException) -> None:
    """``err``'s traceback on stderr when debugging; nothing otherwise."""
    if wanted():
        typer.echo(traceback_text(err), err=True, nl=False)


class TracedRunner:
    """A scan's executor that keeps the traceback of each source that failed to open (the
    scan keeps its message only), for ``--debug`` to show after that message."""

    def __init__(self, runner: Any) -> None:
        self._runner = runner
        self.failed: dict[str, BaseException] = {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self._runner(*args, **kwargs)
        except SourceError as err:
            self.failed.setdefault(str(err), err)
            raise

    def __getattr__(self, name: str) -> Any:  # close, elsewhere... as the runner has them
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._runner, name)
