"""What ``pia scan --resume`` says on stderr speaks the report's language: under ``--lang zh``
(or a Chinese locale) a resume's lines were English beside a Chinese summary and Chinese
warnings, as if from two tools. Real scans of a real log tree, a real journal."""

from __future__ import annotations

from pathlib import Path

from exec_util import run_pia, write_logs


def test_resume_says_what_it_reused_and_why_it_started_over_in_chinese(tmp_path: Path) -> None:
    write_logs(tmp_path / "logs", files=3, lines=10)
    zh = ("--lang", "zh")
    run = run_pia("logs", "--state", "state", "--resume", *zh, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines()[0] == "pia：警告：--resume：state 中没有续扫记录；从头开始扫描"
    run = run_pia("logs", "--state", "state", "--resume", *zh, cwd=tmp_path)
    assert run.stderr.splitlines()[0] == ("pia：--resume：logs：沿用 state 中已完成的 3 个分区"
                                          "（共 3 个）")
    run = run_pia("logs", "--state", "state", "--resume", "--seed", "5", *zh, cwd=tmp_path)
    assert run.stderr.splitlines()[0] == (
        "pia：警告：--resume：state 中的续扫记录是在其他选项（扫描选项、识别器或声明）下写入的；"
        "从头开始扫描")
    # the journal is now of --seed 5: a resume under it, of the source named otherwise
    run = run_pia("./logs/", "--state", "state", "--resume", "--seed", "5", *zh, cwd=tmp_path)
    assert run.stderr.splitlines()[0] == (
        "pia：警告：--resume：./logs/：其 3 个分区均不在 state 的续扫记录中（换一种写法的数据源，"
        "如把 x 写作 ./x/，视为另一个数据源）；将全部重新扫描")


def test_a_damaged_journal_line_is_warned_of_in_chinese(tmp_path: Path) -> None:
    write_logs(tmp_path / "logs", files=3, lines=10)
    assert run_pia("logs", "--state", "state", cwd=tmp_path).returncode == 0
    journal = tmp_path / "state" / "journal.log"
    header, first, *rest = journal.read_bytes().splitlines(keepends=True)
    # a record edited after it was written (its HMAC no longer verifies), good ones after it:
    # one character of its sealed body changed
    at = first.index(b'"sealed": "') + len(b'"sealed": "')
    edited = first[:at] + (b"B" if first[at:at + 1] == b"A" else b"A") + first[at + 1:]
    journal.write_bytes(header + edited + b"".join(rest))
    run = run_pia("logs", "--state", "state", "--resume", "--lang", "zh", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines()[:2] == [
        f"pia：警告：--state state：journal.log 第 2 行（第 {len(header)} 字节）已损坏；"
        "其中的内容将重新扫描，该行将被删除",
        "pia：--resume：logs：沿用 state 中已完成的 2 个分区（共 3 个）"]
