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
