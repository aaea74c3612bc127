"""Typed errors. Library code raises these; only the CLI turns them into exit codes.

Every message must be safe to print: it names what failed and where (file, line, host,
table) but never a raw personal-information value or a credential.
"""

from __future__ import annotations


class PiaError(Exception):
    """Base of every expected failure. The CLI prints ``str(err)`` on one line, exit 2."""

    exit_code = 2


class UsageError(PiaError):
    """The command line asks for something impossible or contradictory."""


class ConfigError(PiaError):
    """A configuration file (pia.yaml, recognizer YAML, baseline) is malformed."""


class InputError(PiaError):
    """An input file cannot be read or is not of the expected kind."""


class SourceError(PiaError):
    """A source (database, directory, bucket) cannot be reached or read."""


class RulesetError(PiaError):
    """A ruleset is malformed or refers to something that does not exist."""


class BundleError(PiaError):
    """An audit bundle is unreadable (exit 2). Invalid bundles are a verdict, not an error."""


class NotImplementedYet(PiaError):
    """A command listed in --help whose implementation has not landed."""

    def __init__(self, command: str) -> None:
        super().__init__(f"pia {command}: not implemented yet")
