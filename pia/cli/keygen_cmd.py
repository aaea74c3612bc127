"""`pia keygen KEYFILE`: an Ed25519 key pair for signing audit bundles."""

from __future__ import annotations

import os

import typer

from pia.cli.words import LANG_OPTION, command_lang, say

HELP = "Create an Ed25519 key pair for signing audit bundles (KEYFILE and KEYFILE.pub)."

PASSPHRASE_ENV = typer.Option(None, "--passphrase-env", metavar="VAR",
                              help="Encrypt the private key with the passphrase in $VAR.")
PASSPHRASE_FILE = typer.Option(None, "--passphrase-file", metavar="FILE",
                               help="Encrypt the private key with the first line of FILE.")


def command(
    keyfile: str = typer.Argument(..., metavar="KEYFILE", help="Private key to create (0600)."),
    passphrase_env: str | None = PASSPHRASE_ENV,
    passphrase_file: str | None = PASSPHRASE_FILE,
    lang: str | None = LANG_OPTION,
) -> None:
    from pia.bundle.keys import generate_keypair, public_path, read_passphrase

    lang = command_lang(lang)  # before the key is made: a wrong --lang leaves no key behind
    passphrase = read_passphrase(passphrase_env, passphrase_file, dict(os.environ))
    fingerprint = generate_keypair(keyfile, passphrase)
    protection = say("keygen:protected" if passphrase else "keygen:plain", lang)
    typer.echo(say("keygen:private", lang, path=keyfile, protection=protection))
    typer.echo(say("keygen:public", lang, path=public_path(keyfile)))
    typer.echo(say("keygen:fingerprint", lang, fingerprint=fingerprint))
