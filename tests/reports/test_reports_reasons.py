"""Under ``--lang zh`` the reasons a place was skipped or a rule left undecided are Chinese in
every human format (QA: English half-sentences in a Chinese report), while the JSON report
and the English renderings keep the connectors' and the engine's English as it is."""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from pia.cli import main
from pia.reports import render

# (the English a connector or the rules engine writes, what a Chinese report says)
SKIPPED = [
    # files and archives
    ("file vanished", "文件已不存在（列出后被删除或移走）"),
    ("permission denied", "无读取权限"),
    ("cannot read: Input/output error", "无法读取：Input/output error"),
    ("cannot list directory: Permission denied", "无法列出目录：Permission denied"),
    ("symlink points outside the scanned tree", "符号链接指向扫描范围之外，未跟随"),
    ("symlink is dangling or loops", "符号链接无效或形成循环"),
    ("special file (FIFO)", "特殊文件（命名管道）"),
    ("binary file", "二进制文件"),
    ("binary file (a PNG image)", "二进制文件（PNG 图片）"),
    ("binary file (a SQLite database: scan it as a source of its own, pia scan data/x.db)",
     "二进制文件（SQLite 数据库：请将其作为单独的数据源扫描，pia scan data/x.db）"),
    ("corrupt zip archive (BadZipFile)", "zip 压缩包已损坏（BadZipFile）"),
    ("corrupt gzip stream (cut short: EOFError): read in part, the lines before the damage",
     "gzip 压缩流已损坏（提前结束：EOFError）：只读取了损坏处之前的各行"),
    ("corrupt bzip2 stream (OSError): nothing could be read before the damage (bzip2 reads "
     "whole blocks of up to 900 kB)",
     "bzip2 压缩流已损坏（OSError）：损坏处之前没有可读取的内容"
     "（bzip2 以最大 900 kB 的完整数据块读取）"),
    ("member refused: 9000 bytes > limit 100", "拒绝读取该成员：9000 字节，超过上限 100 字节"),
    ("member refused: compression ratio 500 > limit 100 (possible zip bomb)",
     "拒绝读取该成员：压缩比 500 超过上限 100（疑似压缩炸弹）"),
    ("nested zip archive not scanned", "嵌套的 zip 压缩包，未扫描"),
    ("archive cut: more than 10000 members", "压缩包只读取了一部分：成员超过 10000 个"),
    # the scan and object storage
    ("not scanned (interrupted)", "未扫描（扫描被中断）"),
    ("partition 3 not scanned (interrupted)", "分区 3 未扫描（扫描被中断）"),
    ("access denied", "拒绝访问"),
    ("200 objects under p06/ not read: cannot reach http://127.0.0.1:9000 (connection failed)",
     "p06/ 下有 200 个对象未读取：无法连接 http://127.0.0.1:9000（连接失败）"),
    ("1 object at the bucket's root not read: endpoint lost",
     "存储桶根目录下有 1 个对象未读取：endpoint lost"),
    ("cannot reach http://127.0.0.1:9000 (connection failed)",
     "无法连接 http://127.0.0.1:9000（连接失败）"),
    ("archived (GLACIER): restore it before it can be read", "已归档（GLACIER）：须先恢复才能读取"),
    ("read in part: first 100 of 5000 bytes (raise --max-bytes to read it whole)",
     "只读取了一部分：共 5000 字节，读取了前 100 字节（调大 --max-bytes 可完整读取）"),
    ("2 noncurrent versions (of objects overwritten, or deleted: 1) not read: versioning keeps "
     "them, and any PI in them",
     "2 个非当前版本（被覆盖或删除的对象的旧版本，其中删除 1 个）未读取："
     "版本控制保留着它们及其中的个人信息"),
    ("2 noncurrent versions (of objects overwritten, or deleted: 1) not read: versioning keeps "
     "them, and any PI in them; --versions reads them",
     "2 个非当前版本（被覆盖或删除的对象的旧版本，其中删除 1 个）未读取："
     "版本控制保留着它们及其中的个人信息；使用 --versions 可读取"),
    ("1 noncurrent version (of objects overwritten, or deleted: 1) not read: past "
     "--max-objects 1 per prefix",
     "1 个非当前版本（被覆盖或删除的对象的旧版本，其中删除 1 个）未读取："
     "超出每个前缀 --max-objects 1 个的上限"),
    ("decompressed sample cut at 100000 bytes: gzip stream read in part (raise --max-bytes, or "
     "--full, to read it whole)",
     "解压后的样本在 100000 字节处截断：gzip 流只读取了一部分（调大 --max-bytes 或使用 --full "
     "可完整读取）"),
]

UNDECIDED = [
    ("undecided for path logs/app: log span unknown: 3 log files in it or below it not read in "
     "full (see skipped, and scan again once they can be read in full)",
     "路径 logs/app 无法判定：日志时间跨度未知，该目录或其子目录中有 3 个日志文件未完整读取"
     "（见“跳过的位置”，待这些文件可完整读取后重新扫描）"),
    ("undecided for path logs/a: b: no log entry yet: its logs are empty (it is judged once its "
     "logs hold entries)",  # a name holding ": " is still cut where the why begins
     "路径 logs/a: b 无法判定：尚无日志条目，其中的日志均为空（待其日志中有条目后再判定）"),
    ("undecided for bucket logs-bj: region unknown (it could not be read) (grant the auditor "
     "s3:GetBucketLocation)",
     "存储桶 logs-bj 无法判定：区域未知（无法读取）（请授予审计账号 s3:GetBucketLocation 权限）"),
    ("undecided for asset crm: region eu-x of a self-hosted endpoint is of unknown jurisdiction "
     "(list the mainland ones in organisation.mainland_regions of pia.yaml)",
     "登记资产 crm 无法判定：自建端点的区域 eu-x 所属司法辖区未知"
     "（请在 pia.yaml 的 organisation.mainland_regions 中列出境内区域）"),
    ("undecided for path logs: log span unknown: a directory in it or below it could not be "
     "listed (logs/secret) (see skipped, and scan again as a user who may list it)",
     "路径 logs 无法判定：日志时间跨度未知，该目录或其子目录中有 1 个目录无法列出（logs/secret）"
     "（见“跳过的位置”，请以有权列出该目录的用户重新扫描）"),
    ("undecided for path logs: log span unknown: 4 directories in it or below it could not be "
     "listed (logs/a, logs/b, logs/c, …) (see skipped, and scan again as a user who may list "
     "them)",
     "路径 logs 无法判定：日志时间跨度未知，该目录或其子目录中有 4 个目录无法列出"
     "（logs/a, logs/b, logs/c, …）（见“跳过的位置”，请以有权列出这些目录的用户重新扫描）"),
    ("undecided for asset shop: asset shop lists no processing activity (list its processing "
     "activities, with their legal basis and consent, under the asset's activities in pia.yaml)",
     "登记资产 shop 无法判定：登记资产 shop 未列出处理活动"
     "（请在 pia.yaml 该资产的 activities 中列出其处理活动及其合法性基础和同意情况）"),
    ("undecided for 4 more (it is judged once its logs hold entries)",
     "另有 4 个对象无法判定（待其日志中有条目后再判定）"),
]


def _with(report: dict[str, Any], skipped: list[str], undecided: list[str]) -> dict[str, Any]:
    report["skipped"] = [{"source": "logs", "location": {"path": f"logs/f{n}"}, "reason": r}
                         for n, r in enumerate(skipped)]
    report["not_evaluated"] = [{"rule_id": "CSL-21-LOG-RETENTION", "ruleset": "cn-csl",
                                "reason": r} for r in undecided]
    return report


def _plain(out: str, fmt: str) -> str:
    """The text a reader sees: Markdown's and HTML's escapes undone."""
    if fmt == "md":
        out = re.sub(r"\\(.)", r"\1", out)
    return html.unescape(out) if fmt in ("md", "html") else out


def _reasons(fmt: str) -> list[tuple[str, str]]:
    """The reasons ``fmt`` lists: the terminal lists skipped places, and counts the rules not
    evaluated in its headline (``test_the_chinese_headline_…``)."""
    return SKIPPED if fmt == "table" else SKIPPED + UNDECIDED


@pytest.mark.parametrize("fmt", ["table", "md", "html"])
def test_chinese_formats_say_each_reason_in_chinese(report: dict[str, Any], fmt: str) -> None:
    out = _plain(render(_with(report, [e for e, _ in SKIPPED], [e for e, _ in UNDECIDED]), fmt,
                        lang="zh", width=400), fmt)
    for english, chinese in _reasons(fmt):
        assert chinese in out, english
    for english, _ in SKIPPED + UNDECIDED:
        assert english not in out
    assert "undecided" not in out


@pytest.mark.parametrize("fmt", ["table", "md", "html"])
def test_english_formats_keep_the_reasons_as_written(report: dict[str, Any], fmt: str) -> None:
    out = _plain(render(_with(report, [e for e, _ in SKIPPED], [e for e, _ in UNDECIDED]), fmt,
                        lang="en", width=400), fmt)
    for english, chinese in _reasons(fmt):
        assert english in out
        assert chinese not in out


def test_the_chinese_headline_counts_each_reason_before_it(report: dict[str, Any]) -> None:
    report = _with(report, [], [UNDECIDED[0][0], "not evaluated: no declaration"])
    report["not_evaluated"][1]["rule_id"] = "PIPL-6-MINIMISATION"
    out = render(report, "table", lang="zh", width=400)
    assert ("2 条规则未评估（1 条无法判定：日志时间跨度未知，该目录或其子目录中有 3 个日志文件"
            "未完整读取；1 条因未提供处理活动清单（pia.yaml）而未评估）") in out
    english = render(report, "table", lang="en", width=400)
    assert ("2 rules not evaluated (no declaration 1, undecided: log span unknown: 3 log files in "
            "it or below it not read in full 1)") in english


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    return exit_info.value.code, capsys.readouterr().out


def test_a_scan_in_chinese_shows_no_english_reason(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The connectors' and the engine's own sentences, end to end: a damaged archive and a
    cut gzip log leave CSL-21 undecided for their directory, and a program is passed over."""
    logs = tmp_path / "logs"
    (logs / "app").mkdir(parents=True)
    (logs / "app" / "broken.zip").write_bytes(b"PK\x03\x04 not a zip")
    whole = gzip.compress(b"2026-11-01 10:00:00 INFO started\n" * 2000)
    (logs / "app" / "old.log.gz").write_bytes(whole[: len(whole) // 2])
    (logs / "app" / "tool").write_bytes(b"\x7fELF" + bytes(200))
    monkeypatch.chdir(tmp_path)
    code, _ = _run(["scan", "logs", "--lang", "zh", "-o", "r.json", "-o", "r.md", "-o", "r.html"],
                   capsys)
    assert code in (0, 1)
    code, table = _run(["report", "r.json", "--format", "text", "--lang", "zh"], capsys)
    assert code == 0
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    english = [s["reason"] for s in data["skipped"]]
    english += [n["reason"] for n in data["not_evaluated"] if "undecided" in n["reason"]]
    assert len(english) == 4  # as set up: three places skipped, one directory undecided
    md = _plain((tmp_path / "r.md").read_text(encoding="utf-8"), "md")
    page = _plain((tmp_path / "r.html").read_text(encoding="utf-8"), "html")
    for reason in english:  # the JSON keeps them in English; no Chinese format shows one
        assert reason not in table and reason not in md and reason not in page
    for said in ("zip 压缩包已损坏（BadZipFile）", "二进制文件（可执行文件）",
                 "gzip 压缩流已损坏（提前结束：EOFError）：只读取了损坏处之前的各行"):
        assert said in table and said in md and said in page
    said = "路径 logs/app 无法判定：日志时间跨度未知，该目录或其子目录中有 2 个日志文件未完整读取"
    assert said in md and said in page
    assert "undecided" not in table + md + page
