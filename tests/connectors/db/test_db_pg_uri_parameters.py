"""A ``postgresql://`` URI parameter libpq refuses is named in pia's one-line error (QA D6):
``invalid connection string`` alone left the user to guess which of the URI's parameters
was wrong, where the MySQL path names it. A mode's value is quoted (it is no secret); an
integer option's value is not, and the password never is. Real ``pia scan`` runs against the
PostgreSQL server at 127.0.0.1:5432."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from db_servers import PG_DSN

from pia.cli import main

SECRET = "Pw-s3cret-77"


def _uri(query: str) -> str:
    """The test server's URI with a password (trust auth ignores it) and ``query``."""
    parts = urlsplit(PG_DSN)
    netloc = f"{parts.username}:{SECRET}@{parts.hostname}:{parts.port or 5432}"
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def _scan_error(capsys: pytest.CaptureFixture[str], tmp_path: Path, query: str) -> str:
    """The one line ``pia scan URI`` prints on stderr, checked to exit 2 without a trace."""
    with pytest.raises(SystemExit) as exited:
        main(["scan", _uri(query), "-q", "-o", str(tmp_path / "r.json")])
    err = capsys.readouterr().err
    assert exited.value.code == 2, err
    errors = [line for line in err.splitlines() if line.startswith("pia: error:")]
    assert len(errors) == 1 and "Traceback" not in err, err
    assert SECRET not in err
    return errors[0]


@pytest.mark.parametrize(("query", "said"), [
    ("sslmode=bogus", "URI parameter 'sslmode' is 'bogus', not one of disable, allow, prefer,"
                      " require, verify-ca, verify-full"),
    ("sslmode=", "URI parameter 'sslmode' is empty, not one of disable"),
    ("target_session_attrs=nope", "URI parameter 'target_session_attrs' is 'nope', not one of"
                                  " any, read-write"),
    ("gssencmode=x", "URI parameter 'gssencmode' is 'x', not one of disable, prefer, require"),
    ("sslmod=disable", "a URI parameter the driver does not know, 'sslmod' (check its"
                       " spelling"),
    ("sslmode", "URI parameter 'sslmode' has no value"),
    ("port=99999", "URI parameter 'port' must be from 1 to 65535"),
])
def test_the_refused_parameter_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                        query: str, said: str) -> None:
    line = _scan_error(capsys, tmp_path, query)
    assert f": invalid connection string: {said}" in line, line


def test_a_value_that_may_be_a_secret_is_not_quoted(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    """An integer option's value may be anything typed there (a password pasted in the
    wrong place): the parameter is named, its value is not; nor is a mode's value that is no
    plain word."""
    line = _scan_error(capsys, tmp_path, f"keepalives={SECRET}&password={SECRET}")
    assert line.endswith("invalid connection string: URI parameter 'keepalives' must be a"
                         " whole number"), line
    line = _scan_error(capsys, tmp_path, f"password={SECRET}&sslmode={SECRET}%0A")
    assert "URI parameter 'sslmode' is (unprintable), not one of" in line, line
