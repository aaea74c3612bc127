"""CREDENTIAL outside key=value pairs (QA logs2 #6): Authorization headers, MySQL's
IDENTIFIED BY and PASSWORD('…'), curl -u and scheme://user:password@host."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest

from pia.detection.engine import DetectionEngine

ENGINE = DetectionEngine()
PURE = DetectionEngine(prefilter=False)

BASIC = base64.b64encode(b"admin:Adm1n@2024").decode()
JWT = ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
       "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")

CASES: list[tuple[str, str | None]] = [
    # (line, the CREDENTIAL span's text, or None for no CREDENTIAL)
    # Authorization: Basic, as nginx's error log writes a header it refused
    (f'client sent header "Authorization: Basic {BASIC}" while reading', BASIC),
    (f"-H 'authorization: basic {BASIC}'", BASIC),
    (f"Proxy-Authorization: Basic {base64.b64encode(b'u:S3cret').decode()}",
     base64.b64encode(b"u:S3cret").decode()),
    ('WWW-Authenticate: Basic realm="x"', None),  # a challenge, not a credential
    (f"Authorization: Basic {base64.b64encode(b'username').decode()}", None),  # no colon
    (f"Authorization: Basic {base64.b64encode(bytes(range(1, 13))).decode()}", None),  # binary
    (f"Authorization: Basic {base64.b64encode(b'admin:***').decode()}", None),  # placeholder
    ("Authorization: Basic ${BASIC_AUTH}", None),
    ("Visual Basic 6.0 runtime", None),
    # Authorization: Bearer: only what looks like a token
    (f"Authorization: Bearer {JWT}", JWT),
    ("Authorization: Bearer ya29.a0AfH6SMBx3k9Lq2ZPz7YwTn", "ya29.a0AfH6SMBx3k9Lq2ZPz7YwTn"),
    ("Authorization: Bearer <token>", None),
    ("Authorization: Bearer null", None),
    ("Authorization: Bearer xxxxxxxxxxxxxxxxxxxxxxxx", None),
    ('WWW-Authenticate: Bearer realm="api", error="invalid_token"', None),
    ("Bearer tokens are described in RFC 6750", None),
    # MySQL general log: plaintext passwords
    ("77 Query\tSET PASSWORD FOR 'report'@'%' = PASSWORD('R3port#2024')", "R3port#2024"),
    ("SET PASSWORD = OLD_PASSWORD('abc123x')", "abc123x"),
    ("78 Query\tCREATE USER 'etl'@'%' IDENTIFIED BY 'Etl#Pass2024'", "Etl#Pass2024"),
    ("ALTER USER 'etl'@'localhost' identified by \"Etl#Pass2025\"", "Etl#Pass2025"),
    ("GRANT ALL ON *.* TO 'a'@'%' IDENTIFIED BY 'it''s 2024'", "it''s 2024"),
    # hashed, redacted (MySQL 8 writes <secret>) or a placeholder: no plaintext
    ("CREATE USER 'a'@'%' IDENTIFIED BY PASSWORD '*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9'",
     None),
    ("CREATE USER 'a'@'%' IDENTIFIED BY <secret>", None),
    ("CREATE USER 'a'@'%' IDENTIFIED BY '***'", None),
    ("CREATE USER 'a'@'%' IDENTIFIED BY '%s'", None),
    ("SET PASSWORD FOR 'a'@'%' = PASSWORD('${NEW_PW}')", None),
    ("update t set password='Qq12345'", None),  # a pair: the files connector reads those
    # MySQL 5.7: SET PASSWORD [FOR user] = 'plaintext' (QA fix #4)
    ("79 Query\tSET PASSWORD FOR 'u'@'%' = 'Plain#2024'", "Plain#2024"),
    ("SET PASSWORD FOR u='plain99x'", "plain99x"),
    ("set password for `app`@`localhost`=\"Dq2024!x\"", "Dq2024!x"),
    ("SET PASSWORD = 'Own#Pw77'; SELECT 1 FROM t WHERE a = 'b'", "Own#Pw77"),
    ("SET PASSWORD FOR 'u'@'%' = '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19'", None),  # hash
    ("SET PASSWORD FOR 'u'@'%'=<secret>", None),  # as MySQL's general log rewrites it
    ("SET PASSWORD FOR 'u'@'%' = '***'", None),
    ("SELECT * FROM t WHERE note = 'SET PASSWORD' AND name = 'x1y2z3'", None),
    ("UPDATE users SET password_hint = 'blue sky' WHERE id = 1", None),
    ("UPDATE mysql.user SET Password = 'Qq12345x' WHERE User = 'u'", None),  # a column
    # curl -u user:password
    ("INFO curl -u admin:S3cretPw https://api.example.com/", "admin:S3cretPw"),
    ("curl -s --user 'bob:Hunter2x' https://x.example.com", "bob:Hunter2x"),
    ("curl --user=bob:Hunter2x https://x.example.com", "bob:Hunter2x"),
    ("curl -u admin:$PASSWORD https://x.example.com", None),
    ("curl -u admin https://x.example.com", None),  # curl asks for the password
    ("sort -u names.txt", None),
    ("docker run -u 1000:1000 alpine", None),
    # passwords in URIs
    ("connect mysql://app:AppPw%4012@10.0.0.5:3306/orders", "app:AppPw%4012"),
    ("redis://:R3disPw99@cache.internal:6379/0", ":R3disPw99"),
    ("proxy http://u:P@ss1234@proxy.corp:3128", "u:P@ss1234"),
    ("ssh git@github.com:foo/bar.git", None),
    ("GET http://user@host.example.com/x", None),  # a user, no password
    ("https://www.example.com:8443/path?a=b@c", None),
    ("mysql://u:${DB_PASS}@h/db", None),
    ("mysql://u:%s@h/db", None),
    ("mysql://u:xxxxx@h/db", None),
    ("mysql://u:***@h/db", None),
]


@pytest.mark.parametrize("engine", [ENGINE, PURE], ids=["hyperscan", "re"])
@pytest.mark.parametrize(("line", "secret"), CASES)
def test_credential_table(engine: DetectionEngine, line: str, secret: str | None) -> None:
    found = [line[m.start:m.end] for m in engine.analyze(line) if m.entity_type == "CREDENTIAL"]
    assert found == ([secret] if secret else [])


def test_scan_log_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    """``pia scan`` of a log whose only personal information is credentials written outside
    pairs: CSL-42 fires on CREDENTIAL, and the report holds no part of any secret."""
    from pia.cli import main

    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log").write_text("\n".join(line for line, secret in CASES if secret) + "\n",
                                  encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    with pytest.raises(SystemExit) as exited:
        main(["scan", "logs", "-q", "-o", "r.json"])
    capsys.readouterr()
    text = (tmp_path / "r.json").read_text(encoding="utf-8")
    report = json.loads(text)
    assert exited.value.code == 1
    assert {i["entity_type"] for i in report["inventory"]} >= {"CREDENTIAL"}
    assert "CSL-42-PI-IN-LOGS" in {f["rule_id"] for f in report["findings"]}
    secrets = [secret.split(":", 1)[-1] for _line, secret in CASES if secret]
    secrets += ["Adm1n@2024", "AppPw@12", "S3cret", base64.b64encode(b"u:S3cret").decode()]
    for secret in secrets:
        assert secret not in text, secret
        assert secret[:6] not in text, secret


def test_detect_jsonl_has_offsets_only(tmp_path: Path) -> None:
    """``pia detect`` finds them too (offsets only, never the value)."""
    import subprocess
    import sys

    log = tmp_path / "m.log"
    log.write_text("connect mysql://app:AppPw%4012@db.internal:3306/orders\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pia", "detect", str(log)], capture_output=True,
                         text=True, env={**os.environ, "PIA_FINGERPRINT_KEY": "k" * 32})
    assert run.returncode == 0
    entities = json.loads(run.stdout)["entities"]
    assert [(e["entity_type"], e["start"], e["end"]) for e in entities] == [
        ("CREDENTIAL", 16, 30)]
    assert "AppPw" not in run.stdout


def test_inside_presidio() -> None:
    """Presidio's ``AnalyzerEngine`` gets the same answers (its path scores span by span)."""
    from pia.detection.presidio import build_analyzer

    analyzer = build_analyzer()
    for line, secret in CASES:
        results = [r for r in analyzer.analyze(line, language="en")
                   if r.entity_type == "CREDENTIAL"]
        assert [line[r.start:r.end] for r in results] == ([secret] if secret else []), line
