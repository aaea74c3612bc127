"""A Chinese report of a real scan says its evidence in Chinese words and Chinese punctuation
(QA, a Chinese-first compliance officer): what a comment claims (声称来源：列注释, 声称的保护方式：
已加密, not `comment` and `encrypted`), shares as percentages (39.3%, not 0.3926), counts by
category with a full-width comma, a log's lines read without the CSV header note, SARIF's help
with full-width colons, and a monospace stack with CJK fonts for masked Chinese samples.
English keeps what it said."""

from __future__ import annotations

import html
import json
import random
import re
import sqlite3
from typing import Any

import pytest

from pia.cli import main
from pia.reports import render


def _resident_id(base: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return base + "10X98765432"[sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A SQLite table whose comment claims an encrypted column of plaintext IDs, remarks of
    which some hold a mobile, and an application log with mobiles and IDs."""
    root = tmp_path_factory.mktemp("zh")
    rng = random.Random(7)
    db = sqlite3.connect(root / "crm.db")
    db.execute("CREATE TABLE kehu (\n  id INTEGER PRIMARY KEY,\n"
               "  sfzh TEXT,   -- 身份证号（AES加密）\n  beizhu TEXT  -- 备注\n)")
    for i in range(60):
        mobile = f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
        remark = f"请回电 {mobile}" if i % 5 < 2 else "客户要求周末送货"
        db.execute("INSERT INTO kehu (sfzh, beizhu) VALUES (?, ?)",
                   (_resident_id(f"11010519900307{i:03d}"), remark))
    db.commit()
    db.close()
    (root / "logs").mkdir()
    (root / "logs" / "app.log").write_text("".join(
        f"2026-11-{1 + i % 28:02d} 10:00:00 INFO login phone={13800000000 + 7919 * i} "
        f"id={_resident_id(f'31010119850101{i:03d}')}\n" for i in range(40)), "utf-8")
    # the log's declared categories leave out its IDs: a finding per category, lines read
    (root / "pia.yaml").write_text(
        "version: 1\norganisation: {name: 示例科技有限公司, ciio: false}\nassets:\n"
        f"  - {{id: app-logs, source: {root / 'logs'}, pi_categories: [CN_MOBILE],"
        " activities: [login]}\n"
        "activities:\n  - {id: login, purpose: 登录, legal_basis: contract}\n", "utf-8")
    out = root / "report.json"
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", str(root / "crm.db"), str(root / "logs"), "--executor", "serial", "-q",
              "--config", str(root / "pia.yaml"), "-o", str(out)])
    assert exit_info.value.code == 1
    return json.loads(out.read_text("utf-8"))


def _finding(report: dict[str, Any], where: str, key: str) -> dict[str, Any]:
    return next(f for f in report["findings"] if where in json.dumps(f["locations"])
                and key in (f.get("evidence") or {}))


@pytest.mark.parametrize("fmt", ["md", "html", "sarif"])
def test_claims_are_said_in_chinese(scanned: dict[str, Any], fmt: str) -> None:
    found = _finding(scanned, "sfzh", "claimed_by")
    assert (found["evidence"]["claimed_by"], found["evidence"]["claimed_protection"]) == (
        "comment", "encrypted")  # the JSON, the contract, keeps its values
    out = html.unescape(render(scanned, fmt, lang="zh"))
    if fmt == "sarif":
        result = next(r for r in json.loads(out)["runs"][0]["results"]
                      if r["properties"]["evidence"].get("claimed_by"))
        assert result["properties"]["evidence"]["claimed_by"] == "列注释"
        assert result["properties"]["evidence"]["claimed_protection"] == "已加密"
    else:
        text = re.sub(r"<[^>]+>|`", "", out)  # the words, without markup
        assert "声称来源：列注释" in text
        assert "声称的保护方式（与明文抽样值不符）：已加密" in text
    english = render(scanned, fmt, lang="en")
    assert "comment" in english and "encrypted" in english


@pytest.mark.parametrize("fmt", ["md", "html", "sarif"])
def test_shares_are_percentages_in_chinese(scanned: dict[str, Any], fmt: str) -> None:
    share = _finding(scanned, "beizhu", "share")["evidence"]["share"]
    assert 0 < share < 1
    shown = f"{share * 100:.1f}".removesuffix(".0") + "%"
    zh = render(scanned, fmt, lang="zh")
    if fmt == "sarif":  # evidence by its keys, the values said in the report's language
        said = [r["properties"]["evidence"].get("share")
                for r in json.loads(zh)["runs"][0]["results"]]
        assert shown in said and share not in said
        return
    assert shown in zh and "占比" in zh
    assert not re.search(rf"占比\W*{re.escape(str(share))}", zh)
    assert str(share) in render(scanned, fmt, lang="en")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_logs_lines_read_carry_no_csv_note(scanned: dict[str, Any], fmt: str) -> None:
    zh = html.unescape(render(scanned, fmt, lang="zh"))
    assert "读取的行数" in zh and "CSV 表头也计入" not in zh
    en = html.unescape(render(scanned, fmt, lang="en"))
    assert "Lines read" in en and "a CSV's header too" not in en


def test_counts_by_category_take_a_chinese_comma(scanned: dict[str, Any]) -> None:
    zh = render(scanned, "md", lang="zh")
    line = next(line for line in zh.splitlines() if "按种类：" in line)
    listed = line.split("按种类：", 1)[1].split("`")[1]
    assert "，" in listed and ", " not in listed
    assert re.search(r"By category: `[^`]+, [^`]+`", render(scanned, "md", lang="en"))


def test_sarif_help_punctuates_in_chinese(scanned: dict[str, Any]) -> None:
    rules = json.loads(render(scanned, "sarif", lang="zh"))["runs"][0]["tool"]["driver"]["rules"]
    for rule in rules:
        text = rule["help"]["text"]
        assert text.startswith("法律依据：\n") and "\n\n整改建议：" in text
        assert not re.search(r"[\u4e00-\u9fff）」]: ", text), text
        assert "**整改建议**：" in rule["help"]["markdown"]
        assert "; " not in rule["fullDescription"]["text"]
    english = json.loads(render(scanned, "sarif", lang="en"))["runs"][0]["tool"]["driver"]
    assert all(r["help"]["text"].startswith("Legal basis:\n") and "\n\nRemediation: " in
               r["help"]["text"] for r in english["rules"])


def test_html_fonts_are_sans_with_cjk_for_text_and_samples(scanned: dict[str, Any]) -> None:
    page = render(scanned, "html", lang="zh")
    style = page[page.index("<style>"):page.index("</style>")]
    body = re.search(r"body \{[^}]*font:([^;]*);", style).group(1)
    assert '"Noto Sans CJK SC"' in body and '"Microsoft YaHei"' in body
    assert body.strip().endswith("sans-serif")
    mono = re.search(r"code, \.mono \{ font-family:([^;]*);", style).group(1)
    assert mono.strip().endswith("monospace") and "ui-monospace" in mono
    assert '"Noto Sans Mono CJK SC"' in mono and '"Microsoft YaHei"' in mono


def test_the_headline_says_why_rules_went_unevaluated(scanned: dict[str, Any]) -> None:
    """No pia.yaml: 17 条未提供处理活动清单 pia.yaml read as "17 rules did not provide one"."""
    report = json.loads(json.dumps(scanned))
    report["not_evaluated"] = [{"rule_id": rule, "reason": "not evaluated: no declaration"}
                               for rule in ("PIPL-6-MINIMISATION", "PIPL-56-RECORDS-3Y")] + [{
        "rule_id": "CSL-21-LOG-RETENTION",
        "reason": "undecided for path logs: no log entry yet: its logs are empty "
                  "(it is judged once its logs hold entries)"}]
    zh = render(report, "md", lang="zh")
    assert "3 条规则未评估（" in zh and "2 条因未提供处理活动清单（pia.yaml）而未评估" in zh
    assert "1 条无法判定：尚无日志条目，其中的日志均为空" in zh
    assert "：尚无日志条目：" not in zh
