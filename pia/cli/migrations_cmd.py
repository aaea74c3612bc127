"""`pia check-migrations`: fail a change whose SQL migrations add unprotected PI.

Findings go to stdout in the chosen format, a one-line summary to stderr. Exit 1 when an open
error remains (or an open warning with ``--fail-on warning``), 2 when a file is not SQL or an
option is wrong, else 0. The work is done by ``pia.migrations``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import typer

from pia.cli.options import canonical_format
from pia.cli.stdout import reader_may_leave
from pia.errors import InputError, UsageError

HELP = "Fail a change whose SQL migrations add unprotected sensitive PI columns."

_PATHS: list[str] = typer.Argument(None, metavar="PATH",
                                   help="Migration files or directories (*.sql).")
_CONFIG: Path = typer.Option(None, "--config", metavar="FILE",
                             help="Declaration: protected and declared columns "
                                  "[./pia.yaml when present].")
_BASELINE: Path = typer.Option(None, "--baseline", metavar="FILE",
                               help="JSON file of accepted findings.")
_EXCLUDE: list[str] = typer.Option(
    None, "--exclude", metavar="GLOB",
    help="Leave out the files GLOB matches (repeatable), neither checked nor read as "
         "earlier migrations: a GLOB without / matches the file name ('*.down.sql'), one "
         "with / the path as reported ('db/rollback/*', './db/rollback/*' or an absolute "
         "path). Quote it from the shell.")


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise UsageError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _write(pieces: Iterator[str]) -> None:
    """Write the findings as they are rendered, about 64 KB at a time: half a million
    findings (a pg_dump seed file) in one string took hundreds of megabytes more."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size > 1 << 16:
            typer.echo("".join(buffer), nl=False)
            buffer, size = [], 0
    typer.echo("".join(buffer), nl=False)


def command(
    paths: list[str] = _PATHS,
    git_diff: str = typer.Option(None, "--git-diff", metavar="BASE",
                                 help="Only *.sql files added or changed since BASE."),
    exclude: list[str] = _EXCLUDE,
    dialect: str = typer.Option("auto", "--dialect", metavar="DIALECT",
                                help="auto, postgres, mysql or sqlite."),
    fmt: str = typer.Option(None, "--format", "-f", metavar="FORMAT",
                            help="text (or table), json, sarif or github "
                                 "(default: github when GITHUB_ACTIONS=true, else text)."),
    config: Path = _CONFIG,
    baseline: Path = _BASELINE,
    update_baseline: bool = typer.Option(False, "--update-baseline",
                                         help="Accept the current findings into --baseline."),
    fail_on: str = typer.Option("error", "--fail-on", metavar="LEVEL", help="error or warning."),
    lang: str | None = typer.Option(None, "--lang", metavar="LANG",
                                    help="zh, en or bo (default: locale, else zh): messages and "
                                         "the summary line; bo in English."),
) -> None:
    # imported here, not at the top: the checker loads the column vocabulary, which every
    # other pia command (and --help) would pay for at start
    from pia.migrations import DIALECTS, check_each, load_declared
    from pia.migrations import baseline as baselines
    from pia.migrations.files import Changes, all_named_excluded, changes, expand, unmatched
    from pia.migrations.grouped import Grouped
    from pia.migrations.locations import given
    from pia.migrations.messages import message, summary_line, warning_line
    from pia.migrations.render import FORMATS, chunks
    from pia.reports.i18n import check_lang, default_lang

    lang = check_lang(lang or default_lang())
    _choice("--dialect", dialect, DIALECTS)
    _choice("--fail-on", fail_on, ("error", "warning"))
    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    fmt = canonical_format(fmt, FORMATS)
    _choice("--format", fmt, FORMATS)
    if update_baseline and baseline is None:
        raise UsageError("--update-baseline needs --baseline FILE")
    if not paths and git_diff is None:
        raise UsageError("give at least one migration file or directory (or --git-diff BASE)")
    if "" in (paths or []):  # "$MIGRATIONS" unset: it was read as the current directory
        raise UsageError("an empty path (''): name a migration file or directory (an unset "
                         "variable?)")
    from pia.scan import DEFAULT_DECLARATION

    if config is None and Path(DEFAULT_DECLARATION).is_file():  # as pia scan does
        config = Path(DEFAULT_DECLARATION)
    exclude = list(exclude or [])
    if any(not glob for glob in exclude):
        raise UsageError("--exclude '': give a glob of the files to leave out ('*.down.sql')")
    change = (changes(paths or [], git_diff, exclude, unchanged_moves=update_baseline)
              if git_diff is not None else Changes(expand(paths, exclude)))
    files = change.files
    if baseline is not None and not update_baseline and not baseline.exists():
        # a typo in CI's path made every finding new, with no word why (QA)
        raise InputError(f"baseline {baseline}: no such file (write it with --update-baseline)")
    accepted = baselines.load(baseline) if baseline is not None else None
    notes: list[str] = list(accepted.warnings) if accepted else []
    notes += unmatched(paths or [], exclude) + all_named_excluded(paths or [], exclude)
    # the findings are counted as they come, a column's values together, not held one by
    # one: a seed file's hundreds of thousands took 50 to 60 times its size (``grouped``)
    grouped = Grouped(accepted if not update_baseline else None, change.moves,
                      tally=update_baseline)
    errors = check_each(files, grouped.add, dialect, load_declared(config),
                        accepted.fingerprinter(update_baseline) if accepted else None,
                        notes, locations=given(paths or []), exclude=exclude)
    used = grouped.finish()
    for note in notes:
        typer.echo(warning_line(note, lang), err=True)
    if accepted is not None and not update_baseline:
        for note in baselines.unmatched(accepted, used, files, baseline,
                                        whole=git_diff is None):
            typer.echo(warning_line(note, lang), err=True)
    if update_baseline:
        count = baselines.update(baseline, grouped.tally, files, accepted, paths or ["."])
        typer.echo(message("baseline_updated", {"path": str(baseline), "count": count}, lang),
                   err=True)
    else:
        with reader_may_leave():  # the verdict below stands whoever reads
            _write(chunks(grouped.listing(), fmt, lang, errors))
        typer.echo(summary_line(len(files) - len(errors), grouped.counts, lang), err=True)
    if errors:
        raise InputError("; ".join(errors))
    if not update_baseline and grouped.failing(fail_on):
        raise typer.Exit(1)
