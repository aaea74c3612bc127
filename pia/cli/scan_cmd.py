"""`pia scan SOURCE...`: scan, evaluate the rulesets, write the report(s), maybe a bundle.

Exit codes: 0 nothing at or above ``--fail-on``; 1 an open finding at or above it; 2 a
usage or source error (the report is still written, marked ``complete: false``, when some
sources were scanned; when none could be opened, only the errors are printed).
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from pia import interrupts
from pia.cli import debug
from pia.cli.bundle_cmd import PASSPHRASE_ENV, PASSPHRASE_FILE, signing_key
from pia.cli.options import RECOGNIZERS_OPTION, canonical_format
from pia.cli.outputs import (
    check_sources,
    check_writes,
    refuse_mismatch,
    report_format,
    write_output,
)
from pia.cli.stdout import reader_may_leave
from pia.errors import InputError, UsageError
from pia.reports import FORMATS
from pia.uri import check as check_uri

if TYPE_CHECKING:
    from pia.reports.i18n import Said

HELP = "Scan databases, files, logs and buckets into a PI inventory and findings."

USAGE_HINT = """usage: pia scan SOURCE... [options]

  SOURCE is a path or glob (files, log directories), sqlite:///abs/path.db or a *.db file,
  postgresql://user@host:5432/db, mysql://user@host:3306/db, or s3://bucket[/prefix].

  pia scan ./logs app.db --config pia.yaml -o report.json -o report.html
  pia scan --help   for every option"""



def command(
    ctx: typer.Context,
    sources: list[str] = typer.Argument(None, metavar="SOURCE...", show_default=False,
                                        help="Files, directories, globs, sqlite:///…,"
                                             " postgresql://…, mysql://…, s3://bucket/prefix."),
    include: list[str] = typer.Option([], "--include", metavar="GLOB",
                                      help="Glob of schema.table or paths."),
    exclude: list[str] = typer.Option([], "--exclude", metavar="GLOB", help="Glob to leave out."),
    sample: int = typer.Option(1000, "--sample", metavar="ROWS", help="Rows sampled per table."),
    seed: int = typer.Option(0, "--seed", metavar="N", help="Seed of the reproducible sample."),
    full: bool = typer.Option(False, "--full",
                              help="Read every row and every object whole, not a sample."),
    views: bool = typer.Option(False, "--views", help="Scan views too."),
    config: str | None = typer.Option(None, "--config", metavar="FILE",
                                      help="Declared inventory (pia.yaml)."),
    ruleset: list[str] = typer.Option([], "--ruleset", metavar="ID|FILE",
                                      help="Ruleset id or YAML file (repeatable): a file is "
                                           "evaluated with the bundled rulesets, an id selects "
                                           "only that bundled ruleset (and any files given)."),
    fail_on: str = typer.Option("high", "--fail-on", metavar="SEVERITY",
                                help="Exit 1 at or above this severity; none: never for findings."),
    fmt: str | None = typer.Option(None, "--format", "-f",
                                   metavar="FORMAT",
                                   help="Format on stdout: table (the default; or text, txt,"
                                        " terminal), json, html, md (or markdown) or sarif."
                                        " With -o, each file's extension must match it."),
    output: list[str] = typer.Option([], "--output", "-o",
                                     metavar="FILE",
                                     help="Write a report (repeatable); format from the"
                                          " extension: .json, .html, .md, .sarif, .txt. Not a"
                                          " source nor inside one."),
    lang: str | None = typer.Option(None, "--lang", metavar="LANG",
                                    help="zh, en or bo (default: locale)."),
    quiet: bool = typer.Option(False, "--quiet", "-q",
                               help="Only the summary line on the terminal: no progress,"
                                    " no table, no \"wrote\" notices (-o files are whole;"
                                    " warnings and errors still show)."),
    bundle: str | None = typer.Option(None, "--bundle", metavar="FILE",
                                      help="Also write a signed bundle."),
    key: str | None = typer.Option(None, "--key", metavar="KEYFILE",
                                   help="Private key for --bundle."),
    passphrase_env: str | None = PASSPHRASE_ENV,
    passphrase_file: str | None = PASSPHRASE_FILE,
    endpoint_url: str | None = typer.Option(None, "--endpoint-url", metavar="URL",
                                            help="S3 endpoint."),
    max_objects: int = typer.Option(200, "--max-objects", metavar="N",
                                    help="Objects sampled per prefix."),
    max_bytes: int = typer.Option(8 << 20, "--max-bytes", metavar="BYTES",
                                  help="Bytes read per object, and decompressed bytes"
                                       " analysed per compressed file or object."),
    versions: bool = typer.Option(False, "--versions",
                                  help="Also read the noncurrent versions a versioned bucket"
                                       " keeps (overwritten or deleted objects), up to"
                                       " --max-objects per prefix."),
    fingerprint_key: str | None = typer.Option(None, "--fingerprint-key-file",
                                               metavar="FILE",
                                               help="Organisation key for fingerprints."),
    recognizers: list[Path] = RECOGNIZERS_OPTION,
    workers: int | None = typer.Option(None, "--workers", metavar="N",
                                       help="Worker processes [CPU count]."),
    executor: str = typer.Option("local", "--executor", metavar="NAME",
                                 help="local, dask or serial."),
    scheduler: str | None = typer.Option(None, "--scheduler", metavar="URL",
                                         help="A Dask scheduler, tls://host:port (it is sent"
                                              " credentials and the fingerprint key)."),
    state: str | None = typer.Option(None, "--state",
                                     metavar="DIR",
                                     help="Journal of finished partitions (emptied unless"
                                          " --resume)."),
    resume: bool = typer.Option(False, "--resume",
                                help="Reuse what --state DIR finished, if unchanged."),
) -> None:
    # Ctrl-C and SIGTERM are held from the start (pia.interrupts): one that comes before the
    # reading stops it there, with a report that says nothing was read; one during the
    # reading stops it and keeps what finished (run_scan); one after it waits for the
    # outputs to be written in full
    with interrupts.held() as ctrl_c:
        from pia.cli.progress import RichProgress, wanted
        from pia.connectors.base import ScanOptions
        from pia.rules import FAIL_ON, exceeds
        from pia.scan import ScanRequest, cpu_count, load_inputs, run_scan

        if not sources:
            typer.echo(USAGE_HINT, err=True)
            raise typer.Exit(2)
        if fail_on not in FAIL_ON:
            raise UsageError(f"--fail-on must be one of {', '.join(FAIL_ON)}, not"
                             f" {fail_on!r}")
        if bundle and not key:
            raise UsageError("--bundle needs --key KEYFILE (create one with `pia keygen`)")
        if (key or passphrase_env or passphrase_file) and not bundle:
            raise UsageError("--key and the passphrase options sign a bundle: give --bundle"
                             " FILE too (nothing would be signed)")
        _check_positive(("--sample", sample, "rows"), ("--max-objects", max_objects, "objects"),
                        ("--max-bytes", max_bytes, "bytes"), ("--workers", workers, "processes"))
        _check_max_bytes(max_bytes)
        _check_full(ctx, full)
        # a malformed URI is said before the declaration, rulesets and engine are loaded
        # (seconds of a usage error's time), as before any source is read
        for source in sources:
            check_uri(source)
        files = [str(p) for p in recognizers]
        request = ScanRequest(sources=sources, declaration=config, rulesets=ruleset,
                              recognizer_files=files, fingerprint_key_file=fingerprint_key,
                              executor_name=executor)
        # the declaration, rulesets, keys and recognizers are local files: a mistake in
        # one is said now, before the connectors are imported (seconds) and any source is
        # opened, not once every source has been read
        inputs = load_inputs(request)
        check_sources(sources)
        check_writes(sources, [("-o", p) for p in output] + [("--bundle", bundle)] * bool(bundle)
                     + [("--state", state)] * bool(state),
                     _inputs(config, ruleset, recognizers, key, fingerprint_key,
                             passphrase_file))
        # the key before the scan, not hours after it: unreadable, public, or no passphrase
        private = signing_key(key, passphrase_env, passphrase_file) if bundle and key else None
        formats = [report_format(path) for path in output]
        fmt = _stdout_format(fmt, output, formats)  # before the scan, not after it
        options = ScanOptions(include=include, exclude=exclude, sample=sample, seed=seed,
                              full=full, views=views,
                              extra=_object_limits(full, max_objects, max_bytes))
        if versions:
            options.extra["versions"] = True
        if endpoint_url:
            _check_endpoint(endpoint_url)
            options.extra["endpoint_url"] = endpoint_url
        # imported once the command line is known good: the executors load Presidio (half
        # a second), which a usage error need not wait for
        from pia.executors import make_executor

        runner = debug.TracedRunner(make_executor(
            executor, workers=workers or cpu_count(), scheduler=scheduler, state=state,
            resume=resume, recognizer_files=files, lang=_lang(lang)))
        request = replace(request, options=options, executor=runner)
        progress = RichProgress(_lang(lang)) if wanted(quiet) else None
        with progress if progress is not None else contextlib.nullcontext():
            outcome = run_scan(request, progress, inputs)
        if outcome.nothing_scanned:
            _fail(outcome.failures, runner)
        _write_outputs(outcome.report, list(zip(output, formats, strict=True)), fmt, lang,
                       quiet)
        if bundle:
            _write_bundle(outcome, bundle, private, quiet, lang)
        # still held: leaving the block would raise a Ctrl-C noted meanwhile (pia.interrupts)
        if not outcome.interrupted:
            _warn_unmatched(outcome.report, lang)
            _warn_cut_short(outcome.cut_short, lang)
        if outcome.interrupted:  # Ctrl-C or SIGTERM (pia.interrupts): 130 or 143
            said = (" before any source was read; the report above says none was"
                    if outcome.read_nothing else "; the report above is partial")
            interrupts.explain(f"pia: {interrupts.what()}{said} (complete: false)"
                               + _resume_hint(state))
            raise typer.Exit(interrupts.exit_code())
        if ctrl_c.requested:
            interrupts.explain(f"pia: {interrupts.what()} once the sources were read; the"
                               " report was written in full")
            raise typer.Exit(interrupts.exit_code())
        if outcome.failures:
            _fail(outcome.failures, runner)
        raise typer.Exit(1 if exceeds(outcome.report, fail_on) else 0)


def _stdout_format(fmt: str | None, output: list[str], formats: list[str]) -> str:
    """The format of the report on stdout. Given with ``-o``, ``--format`` must name the
    format of every file (``--format md -o x.html`` would write HTML, the typo unseen)."""
    chosen = canonical_format(fmt or "table", tuple(FORMATS))
    if chosen not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {chosen!r}")
    if fmt is not None:
        for path, implied in zip(output, formats, strict=True):
            refuse_mismatch(chosen, path, implied, fmt)
    return chosen


def _write_outputs(report: dict[str, Any], files: list[tuple[str, str]], fmt: str,
                   lang: str | None, quiet: bool) -> None:
    """The report in each ``-o`` file, else on stdout. With files, the summary line goes to
    stderr (after the "wrote" lines, which ``-q`` leaves out): a scan that exits 1 says why,
    and stdout stays empty, or JSON only (``-o -``)."""
    from pia.cli.report_cmd import emit

    for path, report_fmt in files:
        with reader_may_leave():  # `-o -` is stdout
            emit(report, report_fmt, output=path, lang=lang, quiet=quiet)
    if not files:
        with reader_may_leave():
            emit(report, fmt, lang=lang, quiet=quiet)
        return
    from pia.reports import default_lang, render

    typer.echo(render(report, "table", lang=lang or default_lang(), quiet=True), err=True,
               nl=False)


def _lang(lang: str | None) -> str:
    from pia.reports import default_lang

    return lang or default_lang()


def _warn_unmatched(report: dict[str, Any], lang: str | None) -> None:
    """What the declaration names and this scan did not meet: not applied, not accepted.
    Said in the report's language, as the summary line beside it; and the accept entries
    that accept critical findings or children's data, or that run more than a year."""
    from pia.reports.i18n import t
    from pia.rules import report_today

    lang = _lang(lang)
    declared = report["scan"].get("declaration") or {}
    unmatched = declared.get("unmatched_assets") or []
    if unmatched:
        # a path typed differently from the declaration's, or an asset left out of this scan:
        # its declared protection and categories were not applied
        _note(t("cli:unmatched_assets", lang).format(
            names=_first_few(unmatched, t("cli:names_sep", lang), "unmatched_assets", lang)))
    columns = declared.get("unmatched_columns") or []
    if columns:
        # a timestamp column typed wrong turns the retention check off for its asset
        _note(t("cli:unmatched_columns", lang).format(
            names=_first_few(columns, t("cli:columns_sep", lang), "unmatched_columns", lang)))
    activities = declared.get("unreferenced_activities") or []
    if activities:
        # declared but linked to no asset: its consent is read for none (PIPL-29 undecided)
        _note(t("cli:unreferenced_activities", lang).format(
            names=_first_few(activities, t("cli:names_sep", lang), "unreferenced_activities",
                             lang)))
    accepts = declared.get("unmatched_accepts") or []
    for entry in accepts[:WARN_AT_MOST]:
        # a source not scanned or a location no finding has: the risk is not accepted
        _note(t("cli:unmatched_accept", lang).format(entry=entry))
    if len(accepts) > WARN_AT_MOST:
        _note(t("cli:more_accepts", lang).format(n=f"{len(accepts) - WARN_AT_MOST:,}"))
    for entry in (declared.get("ambiguous_accepts") or [])[:WARN_AT_MOST]:
        # written for one database, it accepts the same table's finding in every other one
        _note(t("cli:ambiguous_accept", lang).format(entry=entry))
    for serious in (declared.get("serious_accepts") or [])[:WARN_AT_MOST]:
        # a sign-off of critical findings or children's data must be a knowing one
        _note(t("cli:serious_accept", lang).format(**serious))
    for distant in (declared.get("distant_accepts") or [])[:WARN_AT_MOST]:
        # an accepted risk comes up for review again within a year
        _note(t("cli:distant_accept", lang).format(
            **distant, today=report_today(report).isoformat()))


def _note(line: str) -> None:
    """A note on stderr, its identifier shapes masked: the names, paths and accept entries it
    quotes come from the declaration and the estate (``logs/13812345678`` as an asset)."""
    from pia.printable import masked_line

    typer.echo(masked_line(line), err=True)


def _inputs(config: str | None, rulesets: list[str], recognizers: list[Path],
            key: str | None, fingerprint_key: str | None,
            passphrase_file: str | None) -> list[tuple[str, str]]:
    """The files this scan reads besides its sources, which no output may replace."""
    from pia.scan import DEFAULT_DECLARATION

    found = [("--config", config or DEFAULT_DECLARATION), ("--key", key),
             ("--fingerprint-key-file", fingerprint_key),
             ("--passphrase-file", passphrase_file),
             *(("--ruleset", r) for r in rulesets),
             *(("--recognizers", str(r)) for r in recognizers)]
    return [(flag, path) for flag, path in found if path and Path(path).is_file()]


#: Names a warning lists before "and N more": a declaration of 13,000 assets none of which
#: matched printed every id on one 100 KB line; the JSON report keeps the full list.
WARN_AT_MOST = 10


def _first_few(names: list[str], sep: str, key: str, lang: str) -> str:
    """The first WARN_AT_MOST of ``names``, then how many more and where the rest are."""
    from pia.reports.i18n import t

    shown = sep.join(names[:WARN_AT_MOST])
    if len(names) <= WARN_AT_MOST:
        return shown
    return t("cli:more_names", lang).format(shown=shown, n=f"{len(names) - WARN_AT_MOST:,}",
                                            key=key)


def _resume_hint(state: str | None) -> str:
    return f"; rerun with --state {state} --resume to finish it" if state else ""


def _check_endpoint(url: str) -> None:
    """Credentials in ``--endpoint-url`` are refused as they are in an ``s3://`` source
    (QA: ``http://KEY:SECRET@host`` was taken without a word, and pia never sends them):
    credentials come from AWS's own places only."""
    from urllib.parse import urlsplit

    if "@" in urlsplit(url).netloc:
        raise UsageError("--endpoint-url takes no credentials: use AWS_PROFILE or the "
                         "standard AWS environment variables")


def _check_positive(*options: tuple[str, int | None, str]) -> None:
    """A usage error, before any source is opened, for a count below one."""
    for flag, value, unit in options:
        if value is not None and value < 1:
            raise UsageError(f"{flag} must be a positive number of {unit}, not {value}")


def _check_full(ctx: typer.Context, full: bool) -> None:
    """``--full`` reads every row and every object whole: a ``--sample``, ``--max-objects``
    or ``--max-bytes`` given beside it would be ignored without a word (QA: ``--full
    --sample 10`` was taken, and the report recorded both)."""
    if not full:
        return
    given = [f"--{name.replace('_', '-')}" for name in ("sample", "max_objects", "max_bytes")
             if getattr(ctx.get_parameter_source(name), "name", None) == "COMMANDLINE"]
    if given:
        raise UsageError(f"{' and '.join(given)} with --full: --full reads every row and "
                         "every object whole; give one or the other")


def _check_max_bytes(max_bytes: int) -> None:
    """An object's first bytes tell its format (tar's magic number is at byte 257): fewer
    were read anyway, and the report then recorded a bound it did not keep."""
    from pia.connectors.base import MIN_READ

    if 0 < max_bytes < MIN_READ:
        raise UsageError(f"--max-bytes must be at least {MIN_READ} (the bytes that tell an "
                         f"object's format), not {max_bytes}")


def _warn_cut_short(lines: list[Said], lang: str | None) -> None:
    """A source read only in part (a database whose connection was lost mid-scan): what was
    read is in the report, marked incomplete; one line each says what was not and why, in
    the report's language (what a driver or an endpoint said of the loss stays as said)."""
    from pia.printable import masked_line
    from pia.reports.i18n import t

    for line in lines:  # a driver's words may quote a value (invalid input: "138...")
        said = line.said_in(_lang(lang))
        typer.echo(t("cli:cut_short", _lang(lang)).format(line=masked_line(said)), err=True)


def _fail(failures: list[str], runner: debug.TracedRunner) -> None:
    from pia.printable import masked_line

    for failure in failures:
        # one line, whatever a file's name holds (a newline, an escape sequence, a number)
        typer.echo(f"pia: error: {masked_line(failure)}", err=True)
        if failure in runner.failed:  # --debug: where it failed (a source that would not open)
            debug.show(runner.failed[failure])
    raise typer.Exit(2)


def _write_bundle(outcome, path: str, private: Any, quiet: bool, lang: str | None) -> None:
    from pia.bundle import create_bundle
    from pia.reports.i18n import t

    data = create_bundle(outcome.report, outcome.rulesets, outcome.declaration, private)
    try:
        write_output(path, data)
    except OSError as err:
        raise InputError(f"cannot write {path}: {err.strerror}") from None
    if not quiet:
        _note(t("cli:wrote_bundle", _lang(lang)).format(path=path))


def _object_limits(full: bool, max_objects: int, max_bytes: int) -> dict[str, int | None]:
    """The object-storage limits as the report records them: none under ``--full``, which
    reads every object whole, so that the JSON does not claim a sample that was not taken."""
    if full:
        return {"max_objects": None, "max_bytes": None}
    return {"max_objects": max_objects, "max_bytes": max_bytes}
