"""The `pia` console: a thin layer that maps library outcomes to exit codes.

Each command lives in its own module and delegates to library functions. Library code raises
``PiaError`` subclasses; here, and only here, they become a one-line message and exit 2.
Tracebacks appear only with ``--debug`` (before or after the command, or ``PIA_DEBUG=1``),
on stderr after the message (``pia.cli.debug``).
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup

from pia import __version__, interrupts
from pia.cli import (
    bundle_cmd,
    debug,
    demo_cmd,
    detect_cmd,
    keygen_cmd,
    migrations_cmd,
    recognizers_cmd,
    report_cmd,
    rulesets_cmd,
    scan_cmd,
    stdout,
)
from pia.errors import PiaError


class _PiaGroup(TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _name_arguments_only(self)
        debug.add_to_commands(self)

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # see pia.cli.stdout
            stdout.silence()
            raise typer.Exit(0) from None
        except KeyboardInterrupt:  # click would print an empty line and abort
            raise typer.Exit(interrupts.exit_code()) from None


def _name_arguments_only(group: TyperGroup) -> None:
    """Help lists an argument by its name (``SOURCE...``), as it does an option with a
    metavar; typer adds the Python type after it (``<list[str]>``), which says nothing to
    a user. The usage line shows it as named too: typer wraps a required one in braces
    (``{KEYFILE}``) and adds ``...`` to a metavar that has it (``{FILE...}...``)."""
    for command in group.commands.values():
        if isinstance(command, TyperGroup):
            _name_arguments_only(command)
        for param in command.params:
            if isinstance(param, TyperArgument):
                param.display_type_rich = lambda **_: None  # type: ignore[method-assign]
                param._usage_display_name = _usage_name(param)  # type: ignore[method-assign]


def _usage_name(param: TyperArgument) -> Any:
    """``KEYFILE``, ``FILE...``, ``[SOURCE...]``: the metavar, bracketed when optional."""
    def name() -> str:
        shown = param.metavar or param.display_name_raw
        if param.nargs != 1 and not shown.rstrip("]").endswith("..."):
            shown += "..."
        if not param.required and not shown.startswith("["):
            shown = f"[{shown}]"
        return shown
    return name


app = typer.Typer(
    cls=_PiaGroup,
    name="pia",
    help="Audit personal information (PI) for compliance with Chinese law: CSL, PIPL, DSL, "
         "GB/T 35273.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pia {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    _debug: bool = debug.root_option(),
) -> None:
    pass


app.command("scan", help=scan_cmd.HELP)(scan_cmd.command)
app.command("detect", help=detect_cmd.HELP)(detect_cmd.command)
app.command("check-migrations", help=migrations_cmd.HELP)(migrations_cmd.command)
app.command("report", help=report_cmd.HELP)(report_cmd.command)
app.add_typer(bundle_cmd.app, name="bundle")
app.command("keygen", help=keygen_cmd.HELP)(keygen_cmd.command)
app.add_typer(rulesets_cmd.app, name="rulesets")
app.add_typer(recognizers_cmd.app, name="recognizers")
app.command("demo", help=demo_cmd.HELP)(demo_cmd.command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turn expected failures into exit 2 and one line on stderr.

    SIGTERM raises ``KeyboardInterrupt`` from here on, as Ctrl-C does (``pia.interrupts``):
    a terminated command says so once and exits 143 instead of dying without a word."""
    stdout.forgive_stderr()
    try:
        with interrupts.immediate():
            code = _run(argv)
    except KeyboardInterrupt:  # one that came as an error was being reported
        code = interrupts.exit_code()
    if code in (130, 143):  # typer says 130 of any interrupt while it parses (QA: a SIGTERM
        code = interrupts.exit_code()  # then exited 130, saying "terminated")
    if code in (130, 143) and not interrupts.explained():  # typer made it a silent Exit
        typer.echo(f"pia: {interrupts.what()}", err=True)
    sys.exit(code if isinstance(code, int) else 0)


def _run(argv: list[str] | None) -> object:
    debug.reset()
    try:
        code = app(args=argv, prog_name="pia", standalone_mode=False)
    except typer.Abort:  # Ctrl-C or SIGTERM while typer parsed the command line
        code = interrupts.exit_code()
    except typer.TyperException as err:  # usage errors; typer vendors click's exceptions
        if type(err).__name__ == "NoArgsIsHelpError":  # `pia`, `pia bundle`: the help itself
            err.show()
            sys.exit(getattr(err, "exit_code", 2))
        # one line, as for every other expected failure (click prints a usage block)
        message = err.format_message() if hasattr(err, "format_message") else str(err)
        ctx = getattr(err, "ctx", None)
        where = f" (see {ctx.command_path} --help)" if ctx is not None else ""
        from pia.printable import masked_line

        typer.echo(f"pia: error: {masked_line(message)}{where}", err=True)
        code = getattr(err, "exit_code", 2)
    except PiaError as err:
        from pia.printable import masked_line

        # one line, and the name it gives the real one (a newline or ESC in a file's name),
        # a person's number in a name it quotes masked
        typer.echo(f"pia: error: {masked_line(err)}", err=True)
        debug.show(err)
        code = err.exit_code
    except KeyboardInterrupt:
        code = interrupts.exit_code()
    except BrokenPipeError:
        code = 0
    except OSError as err:  # a path the system refuses (too long, a loop...) that no
        from pia.printable import masked_line, short_path  # command reports itself

        if err.filename is None:  # the system itself failed (a full disk, an I/O error):
            # not a bug in pia, and no traceback for it either
            typer.echo(f"pia: error: {masked_line(err.strerror or err)}", err=True)
        else:
            typer.echo("pia: error: " + masked_line(
                f"cannot use {short_path(err.filename)}: {err.strerror or err}"), err=True)
        debug.show(err)
        code = 2
    except Exception as err:  # a bug in pia: never exit 1, which a pipeline reads as findings
        typer.echo(internal_error_line(err), err=True)
        debug.show(err)
        code = 2
    return code


def internal_error_line(err: Exception) -> str:
    """The one line an unexpected exception gets: what it was and where it was raised, its
    message masked (it may quote a value being read) and scrubbed of credentials; the
    traceback with ``--debug``, for the bug report."""
    from pia.printable import printable
    from pia.uri import scrub

    frames = traceback.extract_tb(err.__traceback__)
    own = [f for f in frames if f"{os.sep}pia{os.sep}" in f.filename
           or f"{os.sep}connectors{os.sep}" in f.filename
           or f"{os.sep}reports{os.sep}" in f.filename]
    where = own[-1] if own else (frames[-1] if frames else None)
    place = ("" if where is None
             else f" in {'/'.join(where.filename.split(os.sep)[-2:])}:{where.lineno}")
    try:  # the masking loads the detection engine, which may be what failed
        from pia.bundle.masked import masked_text

        message = printable(masked_text(scrub(str(err))), limit=200)
    except Exception:  # noqa: BLE001 - a second failure must not hide the first
        message = "(message withheld: it could not be masked)"
    return (f"pia: internal error: {type(err).__name__}{place}: {message} (a bug in pia: "
            "please report it with the traceback that --debug shows)")
