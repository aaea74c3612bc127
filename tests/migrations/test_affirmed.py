"""A comment protects a column only when it says the values ARE protected: one that wants,
needs, plans or puts off protection (需要加密, 计划于2027年加密, TODO, should be masked)
does not."""

from __future__ import annotations

import pytest

from pia.detection.affirmed import affirmed_protection
from pia.migrations import Declared, check_text

#: comments that state intent, a need, a plan, a TODO or a negation: never protection
NOT_DONE = [
    "需要加密", "要加密", "应加密", "拟加密", "将加密", "后续加密", "计划于2027年加密",
    "待上线后加密", "需加密存储", "加密（计划中）", "加密未启用", "是否加密待定", "会加密",
    "可加密", "TODO: 加密", "FIXME 加密", "TODO: 尚未掩码, 需要加密", "身份证号，需要脱敏",
    "needs encryption [pia:encrypted]", "to be [pia:encrypted]", "will be [pia:encrypted]",
    "should be [pia:masked]", "[pia:encrypted] planned", "TODO: [pia:encrypted]",
    # already refused before: negated, deferred, plaintext
    "待加密", "明文存储，尚未加密", "身份证号，无需脱敏", "not [pia:encrypted] yet",
    # QA: exempted, failed, disabled, withdrawn, before it, asked about
    "身份证号 免加密", "身份证号 加密失败", "身份证号 加密=false", "身份证号 加密 WIP",
    "身份证号 加密前的原始值", "身份证号 加密字段已废弃", "身份证号 加密（已下线）",
    "[pia:encrypted]? no", "pia:encrypted after migration",
]
#: comments that say the values are protected, some with a word that holds a negation's
#: or a need's character but states a property (非对称, 不可逆, 应用层, 重要, NOT NULL)
DONE = [
    "已加密", "密文", "AES 加密", "SM4 加密存储", "手机号（AES加密）", "[pia:encrypted]",
    "非对称加密", "不可逆哈希", "应用层加密", "重要字段已加密", "NOT NULL [pia:encrypted]",
    "AES加密，密钥需定期轮换", "[pia:encrypted] AES-GCM",
    # QA: plaintext named only as what is not, or no longer, kept
    "身份证号，SM4 加密存储，不再明文", "身份证号 加密存储（不落明文）",
    "身份证号 AES 加密，不可明文展示", "身份证号 以密文形式存储，禁止明文落盘",
    "身份证号 已加密（原明文数据已于 2026-01 迁移）",
    "[pia:encrypted] AES-256, never stored as plaintext",
    "[pia:encrypted] with KMS, no plaintext at rest",
    "身份证号 加密存储 - 不要改为明文", "已加密，之前为明文", "前端加密",
]


@pytest.mark.parametrize("comment", NOT_DONE)
def test_intent_need_plan_or_todo_is_not_protection(comment: str) -> None:
    sql = f"CREATE TABLE t (\n  sfzh varchar(18) -- {comment}\n);\n"
    findings = check_text("V.sql", sql, "auto", Declared())
    assert [f.rule_id for f in findings] == ["PIPL-28-SENSITIVE-PLAINTEXT"]


@pytest.mark.parametrize("comment", DONE)
def test_a_comment_that_says_the_values_are_protected_protects(comment: str) -> None:
    sql = f"CREATE TABLE t (\n  sfzh varchar(18) -- {comment}\n);\n"
    findings = check_text("V.sql", sql, "auto", Declared())
    # a digest that says no key is protection, but the scan reads it as unsalted: a warning
    unkeyed = [("PIPL-73-PSEUDONYM-REVERSIBLE", "warning")] if "哈希" in comment else []
    assert [(f.rule_id, f.severity) for f in findings] == unkeyed


@pytest.mark.parametrize("comment", ["需要加密", "TODO: 尚未掩码, 需要加密", "计划于2027年加密"])
def test_general_pi_with_a_planned_protection_is_warned(comment: str, pia_check) -> None:
    sql = f"CREATE TABLE t (\n  xm varchar(32) COMMENT '{comment}'\n);\n"
    code, out, _err = pia_check("V.sql", "--fail-on", "warning", files={"V.sql": sql})
    assert code == 1
    assert "PIPL-51-ENCRYPT-DEIDENT t.xm" in out


def test_the_qa_repro_fails(pia_check) -> None:
    code, out, _err = pia_check("W.sql", "--lang", "en", files={
        "W.sql": "CREATE TABLE t (\n  sfzh varchar(18) -- 需要加密\n);\n"})
    assert code == 1
    assert "PIPL-28-SENSITIVE-PLAINTEXT t.sfzh" in out


def test_a_marker_above_that_is_a_todo_marks_nothing() -> None:
    todo = "CREATE TABLE t (\n  -- TODO pia:encrypted\n  sfzh varchar(18)\n);\n"
    done = "CREATE TABLE t (\n  -- pia:encrypted\n  sfzh varchar(18)\n);\n"
    assert [f.rule_id for f in check_text("V.sql", todo, "auto", Declared())] == [
        "PIPL-28-SENSITIVE-PLAINTEXT"]
    assert check_text("V.sql", done, "auto", Declared()) == []


def test_only_the_voided_clause_is_dropped() -> None:
    assert affirmed_protection("身份证号，需要加密") == "身份证号"
    assert affirmed_protection("已加密；TODO: 轮换密钥") == "已加密；TODO: 轮换密钥"
    assert affirmed_protection("身份证号（明文）AES 加密") is None
    assert affirmed_protection(None) is None


#: a copy or a redefinition keeps the markers its source affirms, not one it puts off
KEPT_CASES = [
    ("CREATE TABLE u (\n  id_card text -- TODO pia:encrypted\n);\n"
     "CREATE TABLE v AS SELECT u.id_card AS sfzh FROM u;\n", ["u.id_card", "v.sfzh"]),
    ("CREATE TABLE u (\n  id_card text -- pia:encrypted\n);\n"
     "CREATE TABLE v AS SELECT u.id_card AS sfzh FROM u;\n", []),
    # redefined by CHANGE in the same file: judged once, as the file leaves it
    ("CREATE TABLE u (\n  id_card varchar(18) -- TODO pia:encrypted\n);\n"
     "ALTER TABLE u CHANGE id_card sfzh varchar(18);\n", ["u.sfzh"]),
    ("CREATE TABLE u (\n  id_card varchar(18) -- pia:encrypted\n);\n"
     "ALTER TABLE u CHANGE id_card sfzh varchar(18);\n", []),
]


@pytest.mark.parametrize(("sql", "unprotected"), KEPT_CASES)
def test_a_copy_keeps_only_affirmed_markers(sql: str, unprotected: list[str]) -> None:
    findings = check_text("V.sql", sql, "mysql", Declared())
    assert [f"{f.table}.{f.column}" for f in findings] == unprotected
