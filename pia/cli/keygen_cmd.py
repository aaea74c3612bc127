"""`pia keygen KEYFILE`: an Ed25519 key pair for signing audit bundles."""

from __future__ import annotations

import os

import typer

from pia.bundle.keys import generate_keypair, public_path, read_passphrase

HELP = "Create an Ed25519 key pair for signing audit bundles (KEYFILE and KEYFILE.pub)."

PASSPHRASE_ENV = typer.Option(None, "--passphrase-env", metavar="VAR",
                              help="Encrypt the private key with the passphrase in $VAR.")
PASSPHRASE_FILE = typer.Option(None, "--passphrase-file", metavar="FILE",
                               help="Encrypt the private key with the first line of FILE.")


def command(
    keyfile: str = typer.Argument(..., metavar="KEYFILE", help="Private key to create (0600)."),
    passphrase_env: str | None = PASSPHRASE_ENV,
    passphrase_file: str | None = PASSPHRASE_FILE,
) -> None:
    passphrase = read_passphrase(passphrase_env, passphrase_file, dict(os.environ))
    fingerprint = generate_keypair(keyfile, passphrase)
    protection = "passphrase-protected" if passphrase else "not encrypted"
    typer.echo(f"private key: {keyfile} (mode 0600, {protection}; keep it secret)")
    typer.echo(f"public key:  {public_path(keyfile)} (give this to whoever verifies your bundles)")
    typer.echo(f"fingerprint: {fingerprint}")
