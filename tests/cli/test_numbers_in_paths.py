"""A person's number in a path, a glob or a file's name pia quotes is masked in every error
line and in the directories a report records (QA: ``sources logs and logs/13812345678
overlap``, ``logs/11010519491231002X.log: no such file or directory``, and a declaration's
``base_dir: /work/proj_13812345678`` were written raw; such a report was then refused by
``pia report`` and by the bundle as edited after the scan)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pia.cli import main

MOBILE, ID = "13812345678", "11010519491231002X"


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out, err = capsys.readouterr()
    return done.value.code, out, err


@pytest.fixture
def estate(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    (tmp_path / "logs" / MOBILE).mkdir(parents=True)
    (tmp_path / "logs" / MOBILE / "app.log").write_text(
        "2026-05-01 10:00:01 INFO 登录成功\n", encoding="utf-8")
    (tmp_path / "6222021234567890128.bin").write_bytes(b"\x80\x81\x00\x00")
    return tmp_path


@pytest.mark.parametrize(("argv", "says"), [
    (["scan", "logs", f"logs/{MOBILE}"], "sources logs and logs/138****5678 overlap"),
    (["scan", f"logs/{MOBILE}", "-o", f"logs/{MOBILE}/r.json"],
     "report path logs/138****5678/r.json is inside logs/138****5678"),
    (["scan", f"logs/{MOBILE}", "--exclude", "*"], "no file of logs/138****5678 is selected"),
    (["scan", f"logs/{MOBILE}*.log"], "source logs/138****5678*.log: no file matches"),
    (["scan", "logs", "--config", f"{ID}.yaml"], "cannot read declaration 1101**********002X"),
    (["scan", "logs", "-o", f"x_{MOBILE}/r.json"], "directory x_138****5678 does not exist"),
    (["detect", f"logs/{ID}.log"], "logs/1101**********002X.log: no such file or directory"),
    (["detect", "6222021234567890128.bin"], "6222***********0128.bin: not a text file"),
    (["report", f"{MOBILE}.json"], "cannot read report 138****5678.json"),
])
def test_an_error_line_masks_a_number_in_the_names_it_quotes(estate, capsys, argv, says):
    code, out, err = _run(argv, capsys)
    assert code == 2 and out == ""
    assert says in err and len(err.strip().splitlines()) == 1, err
    assert MOBILE not in err and ID not in err and "6222021234567890128" not in err


def test_an_error_line_without_a_number_is_as_it_was(estate, capsys):
    code, _, err = _run(["detect", "nope.log"], capsys)
    assert (code, err) == (2, "pia: error: nope.log: no such file or directory\n")


def test_the_directories_a_report_records_are_masked_and_it_renders_again(
        tmp_path: Path, monkeypatch, capsys):
    """The declaration's path and directory and where the scan ran, in a project folder
    named by a mobile: masked in the report, which ``pia report`` renders again (it
    refused it as edited) with the declared asset still matched."""
    project = tmp_path / f"proj_{MOBILE}"
    (project / "logs").mkdir(parents=True)
    (project / "logs" / "app.log").write_text("2026-05-01 10:00:01 INFO 手机号=13912345994\n",
                                              encoding="utf-8")
    (project / "pia.yaml").write_text(
        "version: 1\norganisation: {name: 示例公司}\n"
        "assets:\n  - {id: app-logs, source: logs, pi_categories: [CN_MOBILE]}\n",
        encoding="utf-8")
    monkeypatch.chdir(project)
    monkeypatch.setenv("PIA_FINGERPRINT_KEY", "k" * 32)
    code, _, err = _run(["scan", "logs", "-o", "../r.json", "-o", "../r.md", "-q"], capsys)
    assert code == 1, err
    text = (tmp_path / "r.json").read_text(encoding="utf-8")
    assert MOBILE not in text and MOBILE not in (tmp_path / "r.md").read_text(encoding="utf-8")
    scan = json.loads(text)["scan"]
    masked = str(tmp_path / "proj_138****5678")
    assert (scan["cwd"], scan["declaration"]["base_dir"], scan["declaration"]["cwd"]) \
        == (masked, masked, masked)
    assert scan["declaration"]["unmatched_assets"] == []
    code, _, err = _run(["report", "../r.json", "-q", "-o", "../again.md"], capsys)
    assert code == 0 and "refusing" not in err, err
    assert MOBILE not in (tmp_path / "again.md").read_text(encoding="utf-8")


def test_an_error_line_hides_a_secret_in_the_uri_it_quotes(tmp_path: Path, monkeypatch,
                                                          capsys):
    """QA: a secret key in an s3:// URI's query came back in the bucket-name error."""
    monkeypatch.chdir(tmp_path)
    code, _, err = _run(["scan", "s3://pub-bkt?aws_secret_access_key=qaSECRET123",
                         "--endpoint-url", "http://127.0.0.1:9"], capsys)
    assert code == 2 and "qaSECRET123" not in err and "aws_secret_access_key=***" in err


def test_notes_and_warnings_mask_a_number_in_the_names_they_quote(estate, capsys):
    """Not only error lines: the line saying where a report or a bundle was written, the
    bundle path's warning and a resumed scan's lines quoted the number raw."""
    code, _, err = _run(["scan", f"logs/{MOBILE}", "-o", f"r_{MOBILE}.json", "--lang", "en",
                         "--state", "state"], capsys)
    assert code == 0 and Path(f"r_{MOBILE}.json").is_file()
    assert "wrote json report to r_138****5678.json" in err, err
    code, _, err = _run(["scan", f"logs/{MOBILE}", "-o", "r.json", "--lang", "en",
                         "--state", "state", "--resume"], capsys)
    assert code == 0 and "logs/138****5678" in err, err
    assert _run(["keygen", "signer.key"], capsys)[0] == 0
    code, _, err = _run(["bundle", "create", "r.json", "--key", "signer.key",
                         "-o", f"b_{MOBILE}.bin"], capsys)
    assert code == 0 and Path(f"b_{MOBILE}.bin").is_file()
    assert "bundle path b_138****5678.bin does not end in .zip" in err, err
    assert MOBILE not in capsys.readouterr().err + err


def test_a_migration_note_masks_a_number_in_the_file_it_names(estate, capsys):
    Path("mig").mkdir()
    Path("mig", f"V1__x{MOBILE}.sql").write_text("ALTER TABLE u ADD COLUMN sfzh varchar(18);\n")
    code, _, err = _run(["check-migrations", f"mig/V1__x{MOBILE}.sql", "--exclude", "mig/*",
                         "--lang", "en"], capsys)
    assert code == 0 and "mig/V1__x138****5678.sql" in err and MOBILE not in err, err
