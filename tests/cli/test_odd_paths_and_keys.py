"""Inputs the system refuses or that are not UTF-8 give one line and exit 2 (or just work),
never a traceback with exit 1 (which CI reads as a policy violation): a 5,000-character
path (ENAMETOOLONG) in detect, rulesets show, SQLite sources, check-migrations and keygen;
a ``PIA_FINGERPRINT_KEY`` of random bytes that are not UTF-8."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest
from test_scan_inputs import here, one_error_line, pia  # noqa: F401 (a fixture)

LONG = "a" * 5000


@pytest.mark.usefixtures("here")
@pytest.mark.parametrize("args", [
    ("detect", LONG), ("rulesets", "show", LONG), ("scan", f"sqlite:///{LONG}.db", "-q"),
    ("scan", f"{LONG}.db", "-q"), ("check-migrations", f"{LONG}.sql"),
    ("keygen", f"keys/{LONG}"),
], ids=["detect", "rulesets show", "sqlite uri", "db file", "check-migrations", "keygen"])
def test_a_path_too_long_for_the_system_is_one_line(capsys, args) -> None:
    Path("keys").mkdir()
    code, out, err = pia(capsys, *args)
    err = one_error_line(code, err)
    assert "File name too long" in err and len(err) < 300, err
    assert out == ""


@pytest.mark.usefixtures("here")
def test_a_fingerprint_key_that_is_not_utf8_is_used_as_its_bytes(capsys, monkeypatch) -> None:
    raw = b"\xff\xfe" + b"abcdefghijklmnopqrst"
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", raw.decode("utf-8", "surrogateescape"))
    code, _, err = pia(capsys, "scan", "ok.log", "-q", "--fail-on", "critical", "-o", "r.json")
    assert code == 0 and "Traceback" not in err, err
    key_id = json.loads(Path("r.json").read_text())["scan"]["fingerprint_key_id"]
    assert key_id == hmac.new(raw, b"pia key id", hashlib.sha256).hexdigest()[:16]
    Path("m.sql").write_text("INSERT INTO users (phone) VALUES ('13812345678');\n")
    code, _, err = pia(capsys, "check-migrations", "m.sql")
    assert code in (0, 1) and "Traceback" not in err, err
