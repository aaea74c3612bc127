"""`pia bundle create|verify|show`: signed audit bundles, made and checked offline.

Exit codes of ``verify`` and ``show``: 0 valid, 1 invalid (the failed check is named),
2 unreadable (not a zip, or not a file) or undecided (made by another pia, which one to verify
it with is named).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

# pia.bundle (cryptography; numpy through the masking) is imported by the commands that use
# it: every pia command imports this module, to list `bundle` in its help
from pia.cli import debug
from pia.cli.options import canonical_format, given_once, same_file, text_width
from pia.cli.stdout import reader_may_leave
from pia.errors import BundleError, ConfigError, InputError, UsageError
from pia.printable import masked_line, printable

if TYPE_CHECKING:
    from pia.bundle.keys import TrustedKeys

#: the signing key's passphrase (keygen's options of the same names encrypt it)
PASSPHRASE_ENV = typer.Option(None, "--passphrase-env", metavar="VAR",
                              help="Decrypt the signing key with the passphrase in $VAR.")
PASSPHRASE_FILE = typer.Option(None, "--passphrase-file", metavar="FILE",
                               help="Decrypt the signing key with the first line of FILE.")

app = typer.Typer(help="Create, verify and show signed audit bundles.", no_args_is_help=True)

BUNDLE = typer.Argument(..., metavar="BUNDLE", help="The bundle (.zip) to check.")
PUBKEY: list[str] = typer.Option([], "--pubkey", metavar="KEYFILE.pub",
                                  help="The signer's public key (one; several: --trusted-keys).")
#: single-valued options declared repeatable, so that one given twice is refused (given_once)
TRUSTED: list[str] = typer.Option([], "--trusted-keys", metavar="DIR",
                       help="A directory of trusted *.pub keys; any of them may have signed.")

EXPECT_SIGNER: list[str] = typer.Option([], "--expect-signer", metavar="FINGERPRINT",
                             help="The signer's key fingerprint (SHA256:..., as pia keygen "
                                  "printed it, or ssh-keygen -l's), received apart from the "
                                  "key file: only the given key with this fingerprint is "
                                  "trusted (exit 2 when none has it).")
EXPECT_SHA256: list[str] = typer.Option([], "--expect-sha256", metavar="HEX",
                             help="The bundle file's SHA-256 as the signer sent it apart: "
                                  "another file is invalid (exit 1), however well signed.")
#: a SHA-256 as sha256sum prints it, optionally written sha256:HEX (or SHA256:HEX)
_SHA256 = re.compile(r"(?i:sha256:)?([0-9a-fA-F]{64})")

REVOKED: list[str] = typer.Option([], "--revoked", metavar="FILE",
                                  help="Key fingerprints (SHA256:...) revoked, one a line, # "
                                       "comments; a bundle they signed fails whatever its "
                                       "date. pia's fingerprint (keygen, verify) hashes the "
                                       "raw Ed25519 key, ssh-keygen -l's the OpenSSH form: "
                                       "either names a trusted key. Repeatable.")

RULESETS: list[str] = typer.Option([], "--ruleset", metavar="ID|FILE",
                                   help="Ruleset id or YAML file the report was "
                                        "evaluated with, repeatable (default: the ids it records).")


def _recorded_rulesets(report: dict[str, Any], report_file: str) -> list[str]:
    """The ruleset ids the report records, when every one is built in; a custom one has
    only its id there, so its file must be given: the error says which and how."""
    from pia.rules.loader import BUNDLED

    ids = [r["id"] for r in report["scan"]["rulesets"]]
    custom = [i for i in ids if i not in BUNDLED]
    if not custom:
        return ids
    named = ", ".join(repr(i) for i in custom)
    which = "ruleset" if len(custom) == 1 else "rulesets"
    its = "its file" if len(custom) == 1 else "their files"
    given = " ".join(f"--ruleset {i}" if i in BUNDLED else f"--ruleset <file of {i}>"
                     for i in ids)
    raise UsageError(f"report {report_file} was evaluated with {which} {named}, not built in:"
                     f" give {its} with --ruleset FILE, and the built-in ones it used, as the"
                     f" report lists them: {given}")


def _check_lang(lang: str | None) -> None:
    """``--lang``: zh, en, or bo (said in English, as bundle show and the reports say it)."""
    from pia.bundle.words import LANGS

    if lang is not None and lang not in (*LANGS, "bo"):
        raise UsageError(f"--lang must be zh, en or bo, not {lang!r}")


def _trusted(pubkeys: list[str], directories: list[str], required: bool) -> TrustedKeys:
    from pia.bundle.keys import FINGERPRINT, TrustedKeys, load_trusted_key, load_trusted_keys

    trusted_keys = given_once("--trusted-keys", directories, same_file)
    if len(pubkeys) > 1:  # the last one alone was trusted, silently (QA)
        raise UsageError("--pubkey given more than once: to trust any of several keys, put "
                         "them in a directory and give --trusted-keys DIR")
    if pubkeys and trusted_keys:
        raise UsageError("give --pubkey or --trusted-keys, not both")
    if pubkeys:
        if FINGERPRINT.fullmatch(_fingerprint_spelling(pubkeys[0])) and not os.path.exists(
                pubkeys[0]):
            raise UsageError(f"--pubkey takes the signer's public key file (KEYFILE.pub), not "
                             f"the fingerprint {pubkeys[0]}: a fingerprint names a key but "
                             "cannot check a signature. Give the file with --pubkey and the "
                             "fingerprint with --expect-signer")
        return load_trusted_key(pubkeys[0])
    if trusted_keys:
        return load_trusted_keys(trusted_keys)
    if required:
        raise UsageError("give the signer's key: --pubkey KEYFILE.pub or --trusted-keys DIR")
    return TrustedKeys()


def _fingerprint_spelling(given: str) -> str:
    """A fingerprint with its prefix as pia and ssh-keygen print it, ``SHA256:``, however it
    was typed (``sha256:``, as ``--expect-sha256`` takes its own): the base64 after it is
    case-sensitive and stays as given."""
    return "SHA256:" + given[7:] if given[:7].lower() == "sha256:" else given


def _expected_signer(trusted: TrustedKeys, fingerprints: list[str]) -> TrustedKeys:
    """The trusted keys narrowed to the one ``--expect-signer`` names (by pia's fingerprint
    or ssh-keygen's): a regulator who received the key file by one channel and its
    fingerprint by another has pia compare them, not the eye (QA D6). None of the keys
    having it is an error before the bundle is read: the key file is not the one meant."""
    from pia.bundle.keys import FINGERPRINT, TrustedKeys, openssh_fingerprint

    expected = given_once("--expect-signer", fingerprints, _fingerprint_spelling)
    if expected is None:
        return trusted
    expected = _fingerprint_spelling(expected)
    if not FINGERPRINT.fullmatch(expected):
        raise UsageError(f"--expect-signer {expected[:60]!r} is not a key fingerprint (SHA256:"
                         " and 43 base64 characters, as pia keygen prints it)")
    named = TrustedKeys(trusted.directory)
    for name, key in trusted.items():
        if expected in (name, openssh_fingerprint(key)):
            named[name] = key
            named.files[name] = trusted.files[name]
    if not named:
        given = f"the key in {next(iter(trusted.files.values()))}" if len(trusted) == 1 \
            else f"any of the {len(trusted)} keys in {trusted.directory}"
        raise ConfigError(f"--expect-signer {expected} is not the fingerprint of {given}: "
                          "the key file received is not the one whose fingerprint was given")
    return named


def _expected_digest(given: list[str]) -> str | None:
    """``--expect-sha256`` as 64 lower-case hex digits; anything else is a usage error, as is
    a second, different digest (the same one spelt otherwise may be repeated)."""
    expected = given_once("--expect-sha256", given, _digest)
    return None if expected is None else _digest(expected)


def _digest(expected: str) -> str:
    found = _SHA256.fullmatch(expected.strip())
    if not found:
        raise UsageError(f"--expect-sha256 {expected[:80]!r} is not a SHA-256 (64 hex digits, "
                         "as sha256sum prints it)")
    return found[1].lower()


def _verify(bundle: str, trusted: TrustedKeys, revoked: list[str], **options) -> Any:
    from pia.bundle import verify_bundle
    from pia.bundle.keys import load_revoked, match_revoked
    from pia.bundle.verify import read_bundle_file

    revoked_keys = load_revoked(revoked)  # before the bundle: a bad list is a usage error
    if trusted:
        revoked_keys, unmatched = match_revoked(revoked_keys, trusted)
        for entry, where in unmatched:  # a typo, or a list of keys trusted elsewhere
            typer.echo(f"pia: warning: revoked keys file {masked_line(where)}: "
                       f"{printable(entry)} names none of the keys trusted here (pia's "
                       "fingerprint or ssh-keygen -l's)", err=True)
    return verify_bundle(read_bundle_file(bundle), trusted, labels=trusted.files,
                         where=trusted.directory, revoked=revoked_keys, **options)


def signing_key(key: str, passphrase_env: str | None, passphrase_file: str | None) -> Any:
    """The private key ``--key`` names, decrypted with the passphrase option given; a public
    key given in its place is named as one (the library's message suspects the passphrase)."""
    from pia.bundle import load_private_key
    from pia.bundle.keys import read_passphrase

    passphrase = read_passphrase(passphrase_env, passphrase_file, dict(os.environ))
    try:
        return load_private_key(key, passphrase)
    except ConfigError:
        with contextlib.suppress(OSError):
            with open(key, "rb") as handle:
                head = handle.read(64).lstrip()
            if head.startswith((b"-----BEGIN PUBLIC KEY", b"ssh-ed25519")):
                raise ConfigError(f"{key} is a public key: --key takes the private key "
                                  "(KEYFILE, not KEYFILE.pub)") from None
        raise


def _check_output(what: str, output: str, inputs: list[tuple[str, str | None]]) -> None:
    """Refuse, before anything is read, an output that would replace one of the command's
    inputs or that has no directory to go to."""
    from pia.cli.outputs import refuse_inputs

    refuse_inputs(what, output, [(flag, path) for flag, path in inputs if path])
    folder = os.path.dirname(output) or "."
    if not os.path.isdir(folder):
        raise UsageError(f"{what} {output}: directory {folder} does not exist")


#: a source that is a URI (``postgresql://``, ``s3://``, ``file:``, ``sqlite:``), not a path
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _refuse_sources(output: str, report: dict[str, Any]) -> None:
    """Refuse an output that is, or lies inside, a local source the report's scan read, as
    ``pia scan`` refuses its own (QA: ``-o shop.db`` replaced the scanned database with the
    bundle). A relative source is taken both from here and from the directory the scan ran
    in, when the report records it (``scan.cwd``, or its declaration's). A report that
    records neither (made before ``scan.cwd`` was) cannot say where its relative sources
    were, so an existing file that is no zip archive is not written over either (QA: from
    the directory above the scan's, ``-o shop/shop.db`` replaced the database)."""
    import zipfile

    from pia.cli.outputs import _inside, _local

    scan = report["scan"]
    sources = [s for s in scan["sources"] if s]
    ran_in = scan.get("cwd") or (scan.get("declaration") or {}).get("cwd")
    if isinstance(ran_in, str) and ran_in:
        sources += [os.path.join(ran_in, s) for s in sources
                    if not os.path.isabs(s) and not _SCHEME.match(s)]
    real = os.path.realpath(output)
    for source in sources:
        for path in _local(source).paths:
            if real == os.path.realpath(path):
                raise UsageError(f"bundle path {output} is the source {path} the report's"
                                 " scan read; write elsewhere")
            if _inside(real, os.path.realpath(path)):
                raise UsageError(f"bundle path {output} is inside {path}, a source the"
                                 " report's scan read; write elsewhere")
    # a symlink is replaced, not written through (``write_output``): only the file itself
    if os.path.isfile(output) and not os.path.islink(output) \
            and not zipfile.is_zipfile(output):
        raise UsageError(f"bundle path {output} is a file that is no bundle (no zip archive);"
                         " write elsewhere, or remove it first")


def _check_created(created: str | None) -> None:
    """``--created`` more than a day ahead of this clock is refused (QA: 2099 was signed): a
    bundle says when it was made, and verify would note it. Other mistakes in it are the
    library's to name (``create_bundle``)."""
    from datetime import UTC, datetime

    from pia.bundle.evidence import CLOCK_TOLERANCE
    from pia.clock import parse_instant

    made = parse_instant(created) if created else None
    if made is not None and made - datetime.now(UTC) > CLOCK_TOLERANCE:
        raise UsageError(f"--created {created[:40]} is more than a day after now: a bundle "
                         "says when it was made, not when it should be")


def _write(output: str, data: bytes) -> None:
    from pia.cli.outputs import write_output

    try:
        write_output(output, data)
    except OSError as err:
        raise InputError(f"cannot write {output}: {err.strerror}") from None


#: what ``bundle show -o`` writes by the file's extension
SHOW_EXTENSIONS = {".html": "html", ".htm": "html", ".txt": "table"}


@app.command("create", help="Sign a report, its rulesets and declaration into an audit bundle.")
def create(
    report_file: str = typer.Argument(..., metavar="REPORT.json"),
    keys: list[str] = typer.Option(..., "--key", metavar="KEYFILE", help="Private signing key."),
    outputs: list[str] = typer.Option(..., "--output", "-o", metavar="BUNDLE.zip",
                               help="Where to write the bundle: never one of the inputs, nor"
                                    " a source the report's scan read or a path inside one."),
    ruleset: list[str] = RULESETS,
    configs: list[str] = typer.Option([], "--config", metavar="pia.yaml",
                                       help="The declaration the report was evaluated with "
                                            "[./pia.yaml when present and the report used "
                                            "one]."),
    created_at: list[str] = typer.Option([], "--created", metavar="TIME",
                                       help="Creation time to record "
                                            "(ISO 8601; default: when the scan finished)."),
    passphrase_env: str | None = PASSPHRASE_ENV,
    passphrase_file: str | None = PASSPHRASE_FILE,
    lang: str | None = typer.Option(None, "--lang", metavar="LANG",
                                    help="zh, en or bo (said in English) for the line that "
                                         "names the bundle [default: the locale's, as pia "
                                         "scan]."),
) -> None:
    from pia.bundle import create_bundle
    from pia.bundle.create import EDITED, raw_values
    from pia.bundle.keys import fingerprint
    from pia.bundle.words import text_lang
    from pia.declaration import load_declaration
    from pia.report import load_report
    from pia.rules import load_rulesets
    from pia.scan import DEFAULT_DECLARATION

    # each given once: which key signs, which declaration and time are signed, where the
    # bundle goes, are not for the last of two to decide in silence (QA D8)
    key = given_once("--key", keys, same_file)
    output = given_once("--output", outputs, same_file)
    config = given_once("--config", configs, same_file)
    created = given_once("--created", created_at)
    _check_lang(lang)  # before any work
    _check_created(created)
    _check_output("bundle path", output, [
        ("report", report_file), ("--key", key), ("--passphrase-file", passphrase_file),
        ("--config", config or DEFAULT_DECLARATION), *(("--ruleset", r) for r in ruleset)])
    report = load_report(report_file)
    _refuse_sources(output, report)
    if Path(output).suffix.lower() != ".zip":  # it is a zip whatever the name says
        typer.echo(f"pia: warning: bundle path {masked_line(output)} does not end in .zip;"
                   " the bundle is a zip archive", err=True)
    raw = raw_values(report)
    if raw:  # named here with its file, as pia report names it (create_bundle cannot)
        raise InputError(f"report {report_file}: {raw}; refusing to bundle it ({EDITED})")
    private = signing_key(key, passphrase_env, passphrase_file)
    selectors = ruleset or _recorded_rulesets(report, report_file)
    rulesets = load_rulesets(selectors) if selectors else []
    if config is None and report["scan"].get("declaration") and Path(
            DEFAULT_DECLARATION).is_file():  # as pia scan finds it
        config = DEFAULT_DECLARATION
    declaration = load_declaration(config) if config else None
    data = create_bundle(report, rulesets, declaration, private, created=created)
    _write(output, data)
    from pia.reports.i18n import t

    typer.echo(t("cli:bundle_created", text_lang(lang)).format(
        path=output, size=len(data), key=fingerprint(private.public_key())))


@app.command("verify", help="Verify an audit bundle offline: exit 0 valid, 1 invalid, "
             "2 unreadable, or undecided (made by another pia: verify with the one named).")
def verify(
    bundle: str = BUNDLE,
    pubkey: list[str] = PUBKEY,
    trusted_keys: list[str] = TRUSTED,
    revoked: list[str] = REVOKED,
    expect_signer: list[str] = EXPECT_SIGNER,
    expect_sha256: list[str] = EXPECT_SHA256,
    fmt: str = typer.Option("text", "--format", "-f", metavar="FORMAT",
                            help="text (or table) or json."),
    lang: str | None = typer.Option(None, "--lang", metavar="LANG",
                                    help="zh, en or bo (said in English, as the reports "
                                         "do) [default: the locale's, as pia scan]."),
) -> None:
    from pia.bundle.show import format_text
    from pia.bundle.words import text_lang

    fmt = canonical_format(fmt, ("text", "json"))
    if fmt not in ("text", "json"):
        raise UsageError(f"--format must be text or json, not {fmt!r}")
    _check_lang(lang)
    lang = text_lang(lang)
    digest = _expected_digest(expect_sha256)
    trusted = _expected_signer(_trusted(pubkey, trusted_keys, True), expect_signer)
    try:
        result = _verify(bundle, trusted, revoked, expect_sha256=digest)
    except BundleError as err:  # not a file: a JSON reader still gets an object, exit 2
        if fmt == "json":
            typer.echo(json.dumps({"bundle": bundle, "valid": False, "readable": False,
                                   "checks": [{"name": "archive-readable", "status": "failed",
                                               "detail": str(err)}]}, indent=2))
        raise
    with reader_may_leave():  # the verdict below stands whoever reads
        if fmt == "json":
            typer.echo(json.dumps({"bundle": bundle, **result.to_dict()}, indent=2))
        else:
            typer.echo(format_text(result, bundle, lang), nl=False)
    # the one-line error stays in English whatever --lang, as pia's other error lines do
    if result.failed:
        failed = result.failed[0]
        state = "invalid" if result.readable else "unreadable"
        typer.echo(f"pia: bundle {state}: check {failed.name} failed: {failed.detail}", err=True)
        if failed.error is not None:  # --debug: where the check refused it
            debug.show(failed.error)
        raise typer.Exit(1 if result.readable else 2)
    if not result.valid:  # made by another pia: neither valid nor shown to be forged
        undecided = result.undecided[0]
        typer.echo(f"pia: bundle undecided: check {undecided.name}: {undecided.detail}",
                   err=True)
        raise typer.Exit(2)


@app.command("show", help="Render a bundled report, saying whether it verified: exit 0 "
             "verified, 1 not verified (or no key given), 2 unreadable or undecided.")
def show(
    bundle: str = BUNDLE,
    pubkey: list[str] = PUBKEY,
    trusted_keys: list[str] = TRUSTED,
    revoked: list[str] = REVOKED,
    fmt: str | None = typer.Option(None, "--format", "-f", metavar="FORMAT",
                                   help="table (or text, txt, terminal) or html [from the -o"
                                        " extension, else table]."),
    lang: str | None = typer.Option(None, "--lang", metavar="LANG", help="zh, en or bo."),
    output: str | None = typer.Option(None, "--output", "-o", metavar="FILE",
                                      help="Write to FILE (.html, .htm or .txt), only when "
                                           "there is a report to show; never one of the "
                                           "inputs."),
) -> None:
    from pia.bundle.show import render_bundle

    if output:
        _check_output("output path", output, [
            ("bundle", bundle), *(("--pubkey", p) for p in pubkey),
            *(("--trusted-keys", t) for t in trusted_keys),
            *(("--revoked", r) for r in revoked)])
    fmt = _show_format(fmt, output)
    trusted = _trusted(pubkey, trusted_keys, False)
    result = _verify(bundle, trusted, revoked, parse_unsigned=True)
    # a terminal's tables fit its width, as pia report's do; a file or a pipe gets the
    # fixed width that makes the same bundle give the same text, unless COLUMNS is set
    width = text_width(not output and fmt == "table" and sys.stdout.isatty())
    text, status, code = render_bundle(result, fmt, lang=lang, key_given=bool(trusted),
                                       width=width)
    typer.echo(f"pia: {status}", err=True)
    if output and text:  # nothing rendered: an existing file keeps its bytes
        _write(output, text.encode("utf-8"))
    elif text:
        with reader_may_leave():
            typer.echo(text, nl=False)
    raise typer.Exit(code)


def _show_format(fmt: str | None, output: str | None) -> str:
    """The format ``bundle show`` renders: as given, else from the ``-o`` extension, else a
    table; one that the extension contradicts (a table in ``x.html``) is refused."""
    implied = SHOW_EXTENSIONS.get(Path(output).suffix.lower()) if output else None
    if output and implied is None:  # as pia report -o: a .pdf of plain text is no PDF (QA)
        raise UsageError(f"output path {output}: unknown extension "
                         f"{Path(output).suffix or '(none)'}; use one of "
                         f"{', '.join(SHOW_EXTENSIONS)}")
    if fmt is None:
        return implied or "table"
    from pia.cli.outputs import refuse_mismatch

    given, fmt = fmt, canonical_format(fmt, ("table", "html"))
    if output:
        refuse_mismatch(fmt, output, implied, given)
    return fmt
