"""`pia detect` and `pia recognizers list` as a user runs them: real subprocesses, exit code,
stdout and stderr checked separately."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ID = "11010519491231002X"


def pia(*args: str, stdin: str | None = None, cwd: Path | None = None):
    return subprocess.run([sys.executable, "-m", "pia", *args], input=stdin, text=True,
                          capture_output=True, cwd=cwd, timeout=120)


def test_detect_jsonl_contract(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(f"身份证号{ID}\n\nmail a@example.com\r\n", encoding="utf-8")
    run = pia("detect", str(source))
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3]
    assert rows[0]["entities"] == [
        {"entity_type": "CN_RESIDENT_ID", "start": 4, "end": 22, "score": 1.0}]
    assert rows[1]["entities"] == []
    assert [(e["entity_type"], e["start"], e["end"]) for e in rows[2]["entities"]] == [
        ("EMAIL_ADDRESS", 5, 18)]
    assert ID not in run.stdout


def test_detect_reads_stdin_and_table_masks_values() -> None:
    run = pia("detect", "-", "--format", "table", stdin=f"身份证号{ID} 手机13812345678\n")
    assert run.returncode == 0, run.stderr
    assert "1101**********002X" in run.stdout and "138****5678" in run.stdout
    assert ID not in run.stdout and "13812345678" not in run.stdout
    shown = pia("detect", "-", "--format", "table", "--show-values", stdin=f"证件{ID}\n")
    assert ID in shown.stdout


def test_detect_at_a_terminal_says_it_reads_standard_input() -> None:
    """With no file and a terminal as input, pia detect waited on a silent prompt."""
    import os
    import pty
    import time

    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "pia", "detect"], stdin=follower,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(600):  # an end of input (Ctrl-D) each read of the terminal sees
            if proc.poll() is not None:
                break
            os.write(leader, b"\x04")
            time.sleep(0.1)
        _out, err = proc.communicate(timeout=60)
    finally:
        os.close(leader)
        os.close(follower)
    assert proc.returncode == 0, err
    assert err == "pia: reading standard input (Ctrl-D to end)\n"


def test_detect_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    missing = pia("detect", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and "nope.txt" in missing.stderr
    assert "Traceback" not in missing.stderr
    bad_format = pia("detect", "-", "--format", "xml", stdin="x\n")
    assert bad_format.returncode == 2 and "xml" in bad_format.stderr
    # --show-values with JSONL was silently ignored: a user asking for values got offsets
    values = pia("detect", "-", "--show-values", stdin="x\n")
    assert values.returncode == 2 and "--format table only" in values.stderr
    assert values.stderr.strip().count("\n") == 0
    directory = pia("detect", str(tmp_path))
    assert directory.returncode == 2 and "is a directory" in directory.stderr
    assert directory.stderr.strip().count("\n") == 0


def test_detect_reads_the_encodings_pia_scan_reads(tmp_path: Path, capsys,
                                                   monkeypatch) -> None:
    """GBK and UTF-16 files (and piped input) are decoded as ``pia scan`` decodes them;
    offsets count characters of the decoded line. In-process: eight interpreters starting
    cost a minute (the other tests here run ``pia`` as a user does)."""
    from pia.cli import main

    def detect(path: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as done:
            main(["detect", path])
        out, err = capsys.readouterr()
        return int(done.value.code or 0), out, err

    text = f"姓名：王小明 身份证{ID}\r\n邮箱 a@example.com\n"
    want = [[("CN_NAME", 3, 6), ("CN_RESIDENT_ID", 10, 28)], [("EMAIL_ADDRESS", 3, 16)]]
    for codec in ("gbk", "utf-16", "utf-16-le", "utf-8-sig"):
        source = tmp_path / f"{codec}.txt"
        source.write_bytes(text.encode(codec))
        with open(source, "rb") as piped:  # standard input: its bytes, through its descriptor
            monkeypatch.setattr(sys, "stdin", piped)
            runs = [detect(str(source)), detect("-")]
        for code, out, err in runs:
            assert code == 0, (codec, err)
            rows = [json.loads(line)["entities"] for line in out.splitlines()]
            assert [[(e["entity_type"], e["start"], e["end"]) for e in row]
                    for row in rows] == want, codec
    binary = tmp_path / "photo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    code, _out, err = detect(str(binary))
    assert code == 2 and "not a text file" in err
    assert "Traceback" not in err


def test_user_recognizer_from_yaml(tmp_path: Path) -> None:
    rules = tmp_path / "mine.yaml"
    rules.write_text(
        "recognizers:\n"
        "  - name: EmployeeIdRecognizer\n"
        "    supported_entity: EMPLOYEE_ID\n"
        "    supported_languages: [zh, en]\n"
        "    patterns:\n"
        "      - {name: employee id, regex: '(?<![0-9A-Za-z])EMP[0-9]{6}(?![0-9A-Za-z])',"
        " score: 0.6}\n"
        "    context: [工号]\n", encoding="utf-8")
    listed = pia("recognizers", "list", "--recognizers", str(rules))
    assert listed.returncode == 0, listed.stderr
    assert "EmployeeIdRecognizer" in listed.stdout and "EMPLOYEE_ID" in listed.stdout
    assert "CnResidentIdRecognizer" in listed.stdout
    run = pia("detect", "-", "--recognizers", str(rules), stdin="工号EMP123456\n")
    assert json.loads(run.stdout)["entities"][0]["entity_type"] == "EMPLOYEE_ID"


def test_malformed_recognizer_yaml_names_file_and_problem(tmp_path: Path) -> None:
    rules = tmp_path / "bad.yaml"
    rules.write_text("recognizers:\n  - name: X\n    supported_entity: X\n"
                     "    patterns: [{name: p, regex: '([a-z', score: 0.5}]\n", encoding="utf-8")
    run = pia("recognizers", "list", "--recognizers", str(rules))
    assert run.returncode == 2
    assert "bad.yaml" in run.stderr and "not a valid regex" in run.stderr
    duplicate = tmp_path / "dup.yaml"
    duplicate.write_text("recognizers:\n  - name: CnMobileRecognizer\n    supported_entity: X\n"
                         "    patterns: [{name: p, regex: 'x', score: 0.5}]\n", encoding="utf-8")
    run = pia("recognizers", "list", "--recognizers", str(duplicate))
    assert run.returncode == 2 and "already defined" in run.stderr


def test_help_lists_every_command_and_version() -> None:
    run = pia("--help")
    for command in ("scan", "detect", "check-migrations", "report", "bundle", "keygen",
                    "rulesets", "recognizers", "demo"):
        assert command in run.stdout
    version = pia("--version")
    assert version.returncode == 0 and version.stdout.startswith("pia ")


def test_usage_errors_are_one_line_naming_the_command() -> None:
    """Click's usage block (Usage:, Try ..., Error: ...) becomes one line, as every other
    expected failure is; a bare group still prints its help."""
    for args, message in ((["rulesets", "list", "--fmt", "json"],
                           "pia: error: No such option: --fmt (Possible options: --format)"),
                          (["scann"], "pia: error: No such command 'scann'."),
                          (["scan", "x.log", "--sample", "abc"],
                           "pia: error: Invalid value for '--sample'")):
        run = pia(*args)
        assert run.returncode == 2, args
        assert len(run.stderr.splitlines()) == 1 and run.stderr.startswith(message), run.stderr
    bare = pia("bundle")
    assert bare.returncode == 2 and "Usage: pia bundle" in bare.stdout + bare.stderr


def test_text_and_table_name_the_same_format_everywhere(tmp_path: Path) -> None:
    """Some commands called their plain rendering "table", others "text": each takes both,
    and -f is --format everywhere; a bad --format of pia scan stops it before it scans."""
    for args in (["rulesets", "list", "-f", "table"], ["rulesets", "show", "cn-csl", "-f",
                                                        "table"],
                 ["detect", "-", "-f", "text"]):
        run = subprocess.run([sys.executable, "-m", "pia", *args], input="手机13812345678\n",
                             text=True, capture_output=True, timeout=120)
        assert run.returncode == 0, (args, run.stderr)
    (tmp_path / "m.sql").write_text("CREATE TABLE t (id int);\n", encoding="utf-8")
    assert pia("check-migrations", "-f", "table", "m.sql", cwd=tmp_path).returncode == 0
    source = tmp_path / "a.log"
    source.write_text("手机13812345678\n", encoding="utf-8")
    bad = pia("scan", str(source), "--format", "pdf", "--state", str(tmp_path / "st"))
    assert bad.returncode == 2 and "--format must be one of" in bad.stderr
    assert not (tmp_path / "st").exists()  # refused before anything was scanned


def test_detect_and_help_work_without_any_network(tmp_path: Path) -> None:
    """Run in a network namespace with no interfaces up: nothing may try to download."""
    import shutil

    unshare = shutil.which("unshare")
    probe = subprocess.run([unshare, "-n", "true"], capture_output=True) if unshare else None
    if probe is None or probe.returncode != 0:
        pytest.skip("unshare -n is not available here (needs root or user namespaces)")
    source = tmp_path / "in.txt"
    source.write_text(f"身份证号{ID} 邮箱 a@example.com\n", encoding="utf-8")
    outputs = {}
    for args in (["--help"], ["detect", str(source)], ["recognizers", "list"]):
        run = subprocess.run([unshare, "-n", sys.executable, "-m", "pia", *args],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        outputs[args[0]] = run.stdout
    found = json.loads(outputs["detect"])["entities"]
    assert [e["entity_type"] for e in found] == ["CN_RESIDENT_ID", "EMAIL_ADDRESS"]


def test_a_runaway_user_pattern_is_an_error_naming_file_pattern_and_line(tmp_path: Path) -> None:
    rules = tmp_path / "redos.yaml"
    rules.write_text("recognizers:\n  - name: A\n    supported_entity: X\n"
                     "    patterns: [{name: p, regex: '(a|a)+(?=!!)', score: 0.6}]\n",
                     encoding="utf-8")
    run = pia("detect", "-", "--recognizers", str(rules), stdin="ok\n" + "a" * 34 + "!\n")
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip().count("\n") == 0 and "Traceback" not in run.stderr
    assert "pattern 'p' of recognizer 'A'" in run.stderr and "redos.yaml" in run.stderr
    assert "on line 2" in run.stderr and "a" * 34 not in run.stderr


def test_a_malformed_recognizer_entry_is_one_line_exit_2(tmp_path: Path) -> None:
    rules = tmp_path / "langs.yaml"
    rules.write_text("recognizers:\n  - name: A\n    supported_entity: X\n"
                     "    supported_languages: 5\n"
                     "    patterns: [{name: p, regex: abc, score: 0.5}]\n", encoding="utf-8")
    run = pia("detect", "-", "--recognizers", str(rules), stdin="abc\n")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip().count("\n") == 0 and f"{rules}:2: recognizer 'A'" in run.stderr


def test_a_lone_carriage_return_is_a_character_of_its_line(tmp_path: Path) -> None:
    """Lines end at \\n, as pia scan and grep -n count them; \\r\\n's \\r is the newline's."""
    source = tmp_path / "cr.txt"
    text = "progress 10%\rprogress 100% 手机:13812345678\r\nnext 13912345678\n"
    source.write_bytes(text.encode("utf-8"))
    run = pia("detect", str(source))
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 2]
    first = text.split("\n")[0].removesuffix("\r")
    start, end = rows[0]["entities"][0]["start"], rows[0]["entities"][0]["end"]
    assert first[start:end] == "13812345678"


def test_a_text_file_with_a_stray_nul_is_read_as_text(tmp_path: Path) -> None:
    source = tmp_path / "nul.txt"
    source.write_bytes(f"手机13812345678\x00\x00 证件{ID}\nnext\n".encode())
    run = pia("detect", str(source))
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert [(e["entity_type"], e["start"], e["end"]) for e in rows[0]["entities"]] == [
        ("CN_MOBILE", 2, 13), ("CN_RESIDENT_ID", 18, 36)]


def test_mixed_utf8_and_gbk_lines_and_old_mac_line_ends_read_as_pia_scan_reads(
        tmp_path: Path, capsys, monkeypatch) -> None:
    """A shared UTF-8 log with a legacy component's GBK lines was decoded with one codec:
    the GBK line's name and its offsets came out as U+FFFD. A file whose lines all end in a
    lone \\r (classic Mac OS, some devices) was one line. Both now read line by line as
    ``pia scan`` reads them. In-process, as the encodings test above."""
    from pia.cli import main

    def detect(path: Path) -> list[list[tuple[str, int, int]]]:
        with pytest.raises(SystemExit) as done:
            main(["detect", str(path)])
        out, err = capsys.readouterr()
        assert int(done.value.code or 0) == 0, err
        return [[(e["entity_type"], e["start"], e["end"])
                 for e in json.loads(line)["entities"]] for line in out.splitlines()]

    mixed = tmp_path / "shared.log"
    mixed.write_bytes("INFO 会员 手机 13812345678 已登录\n".encode()
                      + f"WARN 姓名：王小明 身份证{ID}\n".encode("gbk")
                      + "INFO 邮箱 a@example.com\n".encode())
    assert detect(mixed) == [[("CN_MOBILE", 11, 22)],
                             [("CN_NAME", 8, 11), ("CN_RESIDENT_ID", 15, 33)],
                             [("EMAIL_ADDRESS", 8, 21)]]
    old_mac = tmp_path / "device.log"
    old_mac.write_bytes(f"手机 13812345678\r身份证{ID}\r\rmail a@example.com\r".encode())
    assert detect(old_mac) == [[("CN_MOBILE", 3, 14)], [("CN_RESIDENT_ID", 3, 21)], [],
                               [("EMAIL_ADDRESS", 5, 18)]]


def test_utf8_lines_around_a_gbk_line_keep_their_text_and_offsets(tmp_path: Path) -> None:
    """A UTF-8 log with one GBK line whose bytes decode whole as GB18030 was read so: the
    UTF-8 lines' names were mojibake (no CN_NAME), their offsets shifted, a mobile lost its
    手机 context. Each line is now read in its own encoding (qa-files 13)."""
    source = tmp_path / "m.log"
    source.write_bytes("2026-11-29 10:00:01 旧系统 姓名 李四 手机 13812345678\n".encode("gbk")
                       + "2026-11-29 10:00:00 用户 姓名 张三 手机 13912345678\n".encode() * 2)
    run = pia("detect", str(source))
    assert run.returncode == 0, run.stderr
    rows = [[(e["entity_type"], e["start"], e["end"], e["score"])
             for e in json.loads(line)["entities"]] for line in run.stdout.splitlines()]
    assert rows == [[("CN_NAME", 27, 29, 0.6), ("CN_MOBILE", 33, 44, 1.0)]] + [
        [("CN_NAME", 26, 28, 0.6), ("CN_MOBILE", 32, 43, 1.0)]] * 2
