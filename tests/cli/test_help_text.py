"""Help text says what an option does in that command."""

from __future__ import annotations

import pytest

from pia.cli import main


def help_of(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code in (0, None)
    return " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize(("command", "says", "never"), [
    (("bundle", "create"), "Decrypt the signing key with the passphrase in $VAR", "Encrypt"),
    (("keygen",), "Encrypt the private key with the passphrase in $VAR", "Decrypt"),
    (("demo",), "zh, en or bo", "zh or en "),
])
def test_help_says_what_the_option_does(capsys, command, says, never) -> None:
    text = help_of(capsys, *command)
    assert says in text and never not in text


def _commands() -> list[tuple[str, ...]]:
    import typer

    from pia.cli import app

    found = []

    def walk(group, path: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                walk(command, (*path, name))
            else:
                found.append((*path, name))

    walk(typer.main.get_command(app), ())
    return found


COMMANDS = _commands()


def test_every_command_is_listed() -> None:
    assert {"scan", "detect", "check-migrations", "bundle verify"} <= {" ".join(c)
                                                                       for c in COMMANDS}


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_names_what_each_value_is_not_its_python_type(capsys, command) -> None:
    """`--config FILE`, `--workers N`, `SOURCE...`; never `--config <str>` or
    `SOURCE... <list[str]>`."""
    text = help_of(capsys, *command)
    assert "<" not in text and "list[" not in text, text


@pytest.mark.parametrize(("command", "usage"), [
    (("keygen",), "Usage: pia keygen [OPTIONS] KEYFILE"),
    (("bundle", "create"), "Usage: pia bundle create [OPTIONS] REPORT.json"),
    (("rulesets", "validate"), "Usage: pia rulesets validate [OPTIONS] FILE..."),
    (("rulesets", "show"), "Usage: pia rulesets show [OPTIONS] ID|PATH [RULE_ID]"),
    (("scan",), "Usage: pia scan [OPTIONS] [SOURCE...]"),
    (("detect",), "Usage: pia detect [OPTIONS] [FILE]"),
])
def test_usage_names_arguments_as_their_metavar(capsys, command, usage) -> None:
    """typer wrote `{KEYFILE}` and `{FILE...}...`: braces, and the dots twice."""
    assert help_of(capsys, *command).startswith(usage + " ")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_takes_debug_after_it(capsys, command) -> None:
    assert "--debug" in help_of(capsys, *command)
