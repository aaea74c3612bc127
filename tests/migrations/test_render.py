"""Output formats and file names: SARIF wants URIs, everything else the plain path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pia.cli import main

NAMES = [
    # (file name, its SARIF artifactLocation.uri)
    ("V4__with space.sql", "db/migrations/V4__with%20space.sql"),
    ("V5__中文.sql", "db/migrations/V5__%E4%B8%AD%E6%96%87.sql"),
    ("V6__50%#1.sql", "db/migrations/V6__50%25%231.sql"),
]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(["check-migrations", *args])
    return done.value.code, capsys.readouterr().out


@pytest.fixture
def migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    folder = tmp_path / "db" / "migrations"
    folder.mkdir(parents=True)
    for name, _uri in NAMES:
        (folder / name).write_text("CREATE TABLE kyc (id_card text);\n", "utf-8")
    return [f"db/migrations/{name}" for name, _uri in NAMES]


def test_sarif_uris_are_percent_encoded(migrations, capsys) -> None:
    code, out = run(["--format", "sarif", *migrations], capsys)
    assert code == 1
    results = json.loads(out)["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in results] == [uri for _name, uri in NAMES]
    # the fingerprint is the plain path's, as in JSON output and baselines
    code, out = run(["--format", "json", *migrations], capsys)
    findings = json.loads(out)["findings"]
    assert [f["file"] for f in findings] == migrations
    assert [r["partialFingerprints"]["piaMigration/v1"] for r in results] == [
        f["fingerprint"] for f in findings]


def test_text_github_and_baseline_keep_the_plain_path(migrations, capsys) -> None:
    code, out = run(migrations, capsys)
    assert code == 1
    assert [line.split(" holds ")[0] for line in out.splitlines()] == [
        f"{path}:1:19: error PIPL-28-SENSITIVE-PLAINTEXT kyc.id_card" for path in migrations]
    code, out = run(["--format", "github", *migrations], capsys)
    assert [line.split("::")[1].split(",line=")[0] for line in out.splitlines()] == [
        "error file=db/migrations/V4__with space.sql", "error file=db/migrations/V5__中文.sql",
        "error file=db/migrations/V6__50%25#1.sql"]
    code, _out = run(["--baseline", "b.json", "--update-baseline", *migrations], capsys)
    baseline = json.loads(Path("b.json").read_text("utf-8"))
    assert [e["file"] for e in baseline["results"]] == migrations
    assert run(["--baseline", "b.json", *migrations], capsys) == (0, "")
