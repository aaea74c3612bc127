"""`--lang`: the same migration in Chinese and in English, in every format. Only what a
person reads changes (messages, the summary line, SARIF rule texts); rule ids, locations,
severities, masked values, JSON fields and exit codes stay as they are."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from tests.migrations.conftest import Run

MIGRATION = """\
CREATE TABLE users (
  id bigint,
  id_card VARCHAR(18),
  phone VARCHAR(20),
  sfzh_md5 CHAR(32),
  face_img LONGBLOB COMMENT '人脸照片'
);
-- fix for customer 11010519491231002X
INSERT INTO users (id, phone) VALUES (1, '13912345678');
CREAT TABLE orders (id int);
"""
DECLARATION = "version: 1\nassets:\n  - id: crm\n    source: postgresql://db/crm\n" \
              "    columns: [users.id]\n"
FILES = {"V1.sql": MIGRATION, "pia.yaml": DECLARATION}
RAW = ("11010519491231002X", "13912345678")

#: what a Chinese message may hold in Latin letters: identifiers, not English words
_IDENTIFIERS = re.compile(
    r"“[^”]*”|[\w]+\.[\w.]+|[A-Z][A-Za-z0-9_/\-]*|pia:\w+|\bpia\b|\b(?:users|columns|protection)\b"
    r"|\b[a-z]\)")


def english_words(message: str) -> list[str]:
    return re.findall(r"[A-Za-z]{2,}", _IDENTIFIERS.sub(" ", message))


def messages(fmt: str, out: str) -> list[str]:
    if fmt == "text":
        return [line.split(" ", 3)[3] for line in out.splitlines()]
    if fmt == "github":
        return [line.split("::", 2)[2] for line in out.splitlines()]
    if fmt == "json":
        return [f["message"] for f in json.loads(out)["findings"]]
    return [r["message"]["text"] for r in json.loads(out)["runs"][0]["results"]]


def machine(fmt: str, out: str) -> object:
    """Everything but the human text."""
    if fmt == "text":
        return [line.split(" ", 3)[:3] for line in out.splitlines()]
    if fmt == "github":
        return [line.split("::", 2)[:2] for line in out.splitlines()]
    doc = json.loads(out)
    if fmt == "json":
        for f in doc["findings"]:
            f.pop("message")
        return doc
    run = doc["runs"][0]
    run.pop("language", None)
    for r in run["results"]:
        r.pop("message")
    for rule in run["tool"]["driver"]["rules"]:
        for key in ("shortDescription", "fullDescription", "help"):
            rule.pop(key)
    return doc


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif"])
def test_every_format_in_chinese_and_english(pia_check: Run, fmt: str) -> None:
    en = pia_check("--lang", "en", "-f", fmt, "V1.sql", files=FILES)
    zh = pia_check("--lang", "zh", "-f", fmt, "V1.sql")
    assert en[0] == zh[0] == 1
    assert machine(fmt, en[1]) == machine(fmt, zh[1])
    en_messages, zh_messages = messages(fmt, en[1]), messages(fmt, zh[1])
    assert len(zh_messages) == 11  # with 4 PIPL-6-MINIMISATION
    assert len(en_messages) == 11 and all(" holds " in m or " looks like " in m
                                          or " stores " in m or " is not SQL " in m
                                          for m in en_messages)
    for message in zh_messages:
        assert re.search(r"[\u4e00-\u9fff]", message)
        assert english_words(message) == [], message
    assert not any(raw in en[1] + zh[1] for raw in RAW)
    assert en[2].startswith("pia: 1 file checked: 4 errors, 7 warnings, ")
    assert zh[2] == ("pia：已检查 1 个文件：错误 4 个，警告 7 个，按 pia:ignore 忽略 0 个，"
                     "基线已接受 0 个\n")


def test_exact_chinese_messages(pia_check: Run) -> None:
    code, out, _err = pia_check("--lang", "zh", "V1.sql", files={"V1.sql": MIGRATION})
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        "V1.sql:3:3: error PIPL-28-SENSITIVE-PLAINTEXT users.id_card 存放敏感个人信息，"
        "居民身份证号码（CN_RESIDENT_ID，依据字段名“id_card”），未采取保护措施：请加密、带密钥"
        "哈希或令牌化，并加标记（-- pia:encrypted） [《个人信息保护法》第二十八条；"
        "《个人信息保护法》第五十一条第（三）项；GB/T 35273-2020 6.3 a)]")
    assert lines[2] == (
        "V1.sql:5:3: error PIPL-73-PSEUDONYM-REVERSIBLE users.sfzh_md5 存放居民身份证号码"
        "（CN_RESIDENT_ID）的无盐哈希（可枚举还原）：穷举所有可能的取值即可还原；请改用带密钥哈希"
        "或令牌化，密钥单独保管，并加标记（-- pia:hashed_keyed） "
        "[《个人信息保护法》第七十三条第（三）项]")
    assert lines[4] == (
        "V1.sql:8:21: error PIPL-28-SENSITIVE-PLAINTEXT 迁移中的注释含有居民身份证号码"
        "（CN_RESIDENT_ID，1101**********002X）：写入迁移的真实敏感个人信息会泄露到代码仓库；"
        "请改用虚构的值 [《个人信息保护法》第二十八条；《个人信息保护法》第五十一条第（三）项；"
        "GB/T 35273-2020 6.3 a)]")
    assert lines[5] == (
        "V1.sql:9:42: warning PIPL-51-ENCRYPT-DEIDENT users.phone：迁移中的字面量疑似手机号码"
        "（CN_MOBILE，139****5678）：写入迁移的真实个人信息会泄露到代码仓库；请改用虚构的值或"
        "保留值 [《个人信息保护法》第五十一条第（三）项]")
    assert lines[6] == (
        "V1.sql:10:1: warning PIA-SQL-PARSE 第 10 行开始的语句不是 pia 能读懂的 SQL"
        "（以非 SQL 关键字的名称开头），该语句未经检查")


def test_unreadable_statements_are_named_in_chinese(pia_check: Run) -> None:
    sql = "CREATE TABLE x (a int;\nSELECT 'a\n"
    code, out, _err = pia_check("--lang", "zh", "V2.sql", files={"V2.sql": sql})
    assert code == 1  # a damaged CREATE TABLE is an error
    assert out.splitlines() == [
        "V2.sql:1:16: error PIA-SQL-PARSE 第 1 行的 CREATE TABLE x 语句括号不配对：它增加表或字段，"
        "只检查了其中能读出的字段定义",
        "V2.sql:2:1: warning PIA-SQL-PARSE 无法解析第 2 行开始的语句（2:8 处不应出现符号 \"'\"），"
        "该语句未经检查",
    ]


def test_sarif_rules_in_chinese(pia_check: Run) -> None:
    code, out, _err = pia_check("--lang", "zh", "-f", "sarif", "V1.sql", files=FILES)
    assert code == 1
    schema = Path(__file__).parents[2] / "pia" / "schemas" / "sarif-2.1.0.json"
    jsonschema.validate(json.loads(out), json.loads(schema.read_text("utf-8")))
    run = json.loads(out)["runs"][0]
    assert run["language"] == "zh-CN"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    rule = rules["PIPL-28-SENSITIVE-PLAINTEXT"]
    assert rule["shortDescription"]["text"] == "敏感个人信息以明文存储"
    assert rule["fullDescription"]["text"].startswith(
        "敏感个人信息以明文存储。《个人信息保护法》第二十八条：「")
    assert rule["help"]["text"].startswith("对该列或对象加密存储")
    assert rules["PIA-SQL-PARSE"]["shortDescription"]["text"] == "pia 无法读取的迁移语句"
    english = json.loads(pia_check("--lang", "en", "-f", "sarif", "V1.sql")[1])["runs"][0]
    assert "language" not in english  # SARIF's default, en-US


@pytest.mark.parametrize(("env", "summary"), [
    ({"LANG": "zh_CN.UTF-8"}, "pia：已检查"),
    ({"LANG": "en_US.UTF-8"}, "pia: 1 file checked"),
    ({"LANG": "C.UTF-8"}, "pia：已检查"),  # no language: Chinese, as pia scan
    ({"LC_ALL": "bo_CN.UTF-8"}, "pia: 1 file checked"),  # Tibetan: English, as elsewhere
])
def test_language_from_the_locale(pia_check: Run, monkeypatch: pytest.MonkeyPatch,
                                  env: dict[str, str], summary: str) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, out, err = pia_check("V1.sql", files={"V1.sql": "CREATE TABLE t (sfzh VARCHAR(18));\n"})
    assert code == 1 and err.startswith(summary)
    assert ("存放敏感个人信息" in out) == summary.startswith("pia：")


def test_tibetan_is_english_and_a_wrong_language_is_a_usage_error(pia_check: Run) -> None:
    en = pia_check("--lang", "en", "V1.sql", files={"V1.sql": MIGRATION})
    assert pia_check("--lang", "bo", "V1.sql") == en
    code, out, err = pia_check("--lang", "fr", "V1.sql")
    assert (code, out) == (2, "") and "fr" in err and "Traceback" not in err


def test_baseline_update_in_chinese(pia_check: Run) -> None:
    code, _out, err = pia_check("--lang", "zh", "--baseline", "b.json", "--update-baseline",
                                "V1.sql", files={"V1.sql": MIGRATION})
    assert code == 0
    assert err == "pia：基线 b.json：已接受 7 个问题\n"


#: every message with its parameters, as the checker gives them
EVERY_MESSAGE = [
    ("reversible", dict(table="t", column="sfzh_md5", origin="", entity="CN_RESIDENT_ID")),
    ("reversible_unkeyed", dict(table="t", column="mobile_hash", origin="",
                                entity="CN_MOBILE")),
    ("biometric_template", dict(table="t", column="face_template", origin="s",
                                entity="BIOMETRIC", signal="comment", term="人脸特征")),
    ("biometric_raw", dict(table="t", column="face", origin="", type="LONGBLOB")),
    ("sensitive_column", dict(table="t", column="sfzh", origin="", entity="CN_RESIDENT_ID",
                              signal="name", term="sfzh")),
    ("general_column", dict(table="t", column="email", origin="", entity="EMAIL_ADDRESS",
                            signal="name", term="email")),
    ("undeclared", dict(table="t", column="phone", origin="", entity="CN_MOBILE")),
    ("literal", dict(table="", column="", entity="CN_BANK_CARD", masked="6222***0128",
                     sensitive=True)),
    ("literal_at", dict(table="t", column="x", entity="CN_MOBILE", masked="139****5678",
                        sensitive=False)),
    *[("held", dict(table="", column="", entity="CN_RESIDENT_ID", masked="1101***002X",
                    sensitive=True, holder=holder))
      for holder in ("comment", "quoted", "function", "routine", "text")],
    *[("parse_unexpected", dict(line=3, at="3:9", token=token, word="SELECT"))
      for token in ("keyword", "number", "number_name", "string", "name", "other")],
    ("parse_unexpected", dict(line=3, at="3:9", token="symbol", word="')'")),
    ("parse_not_sql", dict(line=3, token="name")),
    ("parse_unbalanced", dict(line=3, statement="ALTER TABLE", named=" users")),
    ("baseline_updated", dict(path="b.json", count=2)),
    ("more_at", dict(table="kyc", column="id_number", more=19, last=22)),
    ("more", dict(more=2, last=9)),
    ("copy_unresolved", dict(copy="customers_bak", source="customers")),
    ("marker_ambiguous", dict(line=3, marker="encrypted")),
    ("renamed_protected", dict(table="kyc", column="id_card_enc", was="id_card",
                               entity="CN_RESIDENT_ID")),
]


@pytest.mark.parametrize(("key", "params"), EVERY_MESSAGE)
def test_every_chinese_message_is_chinese(key: str, params: dict) -> None:
    from pia.migrations.messages import message

    zh, en = message(key, params, "zh"), message(key, params, "en")
    words = zh  # the names a message quotes (customers_bak, id_card) are no English
    for value in params.values():
        if isinstance(value, str) and len(value) >= 3:
            words = words.replace(value, " ")
    assert english_words(words) == [], zh
    assert re.search(r"[\u4e00-\u9fff]", zh) and zh != en
    assert message(key, params, "bo") == en
    # identifiers and masked values as they are, in both languages
    for name in ("masked", "entity", "type", "path", "at"):
        if name in params and str(params[name]) in en:
            assert str(params[name]) in zh
    if params.get("table"):
        assert ".".join(p for p in (params["table"], params["column"]) if p) in zh


def test_every_message_key_is_listed() -> None:
    from pia.reports.i18n import _S

    keys = {k.removeprefix("mig:") for k in _S if k.startswith("mig:") and k.count(":") == 1}
    parts = {"summary", "copy_of", "what", "why_sensitive", "why_general", "warning_line",
             "document_image"}
    assert keys - parts == {key for key, _params in EVERY_MESSAGE}


#: every note (a warning on stderr that is not a finding), with parameters
EVERY_NOTE = [
    ("ignore_without_reason", dict(path="db/V3.sql", line=4)),
    ("baseline_v2", dict(path=".pia-migrations-baseline.json")),
    ("ignore_unknown_rule", dict(path="db/V3.sql", line=4, rule="PIPL-99-TYPO",
                                 known="PIPL-28-SENSITIVE-PLAINTEXT, PIA-SQL-PARSE")),
    ("ignore_not_a_rule_id", dict(path="db/V3.sql", line=4, rule="*")),
    ("ignore_unknown_rule_close", dict(path="db/V3.sql", line=4,
                                       rule="PIPL-28-SENSTIVE-PLAINTEXT",
                                       close="PIPL-28-SENSITIVE-PLAINTEXT")),
    ("baseline_keyed_no_key", dict(path=".pia-migrations-baseline.json", count=3)),
    ("baseline_unmatched", dict(path=".pia-migrations-baseline.json", count=2, gone=1)),
    ("baseline_keyed_other_key", dict(path=".pia-migrations-baseline.json", count=3)),
    ("ignore_reason_holds_pi", dict(path="db/V3.sql", line=4)),
    ("exclude_every_file", dict(path="db/V3.down.sql", count=1)),
    # an --exclude glob that matched nothing names the glob, not a file
    ("exclude_no_path", dict(path="'db/rollback/*'", glob="'db/rollback/*'",
                             example="V3.sql")),
    ("exclude_no_name", dict(path="'*.undo.sql'", glob="'*.undo.sql'")),
]


def test_every_note_key_is_listed() -> None:
    from pia.reports.i18n import _S

    keys = {k.removeprefix("mig:note:") for k in _S if k.startswith("mig:note:")}
    assert keys == {key for key, _params in EVERY_NOTE}


@pytest.mark.parametrize(("key", "params"), EVERY_NOTE)
def test_every_note_is_said_in_the_language_asked(key: str, params: dict) -> None:
    """Warnings on stderr were English whatever --lang said, while the findings and the
    summary around them were Chinese."""
    from pia.migrations.messages import Note, warning_line

    note = Note(key, params)
    zh, en = warning_line(note, "zh"), warning_line(note, "en")
    assert zh.startswith("pia：警告：") and en.startswith("pia: warning: ")
    said = zh.removeprefix("pia：警告：").replace(str(params["path"]), " ")
    assert english_words(re.sub(r"--[\w-]+", " ", said)) == [], zh
    assert str(params["path"]) in zh and str(params["path"]) in en
    assert warning_line(note, "bo") == en
    # as a string a note is the English sentence, as callers printed it before
    assert en == f"pia: warning: {note}"


def test_check_files_gives_notes_to_say_in_any_language(tmp_path, monkeypatch) -> None:
    from pia.migrations import check_files
    from pia.migrations.messages import warning_line

    monkeypatch.chdir(tmp_path)
    (tmp_path / "V1.sql").write_text("-- pia:ignore\nCREATE TABLE t (sfzh text);\n", "utf-8")
    notes: list[str] = []
    check_files(["V1.sql"], notes=notes)
    assert [warning_line(n, "zh") for n in notes] == [
        "pia：警告：V1.sql:1: pia:ignore 注释没有写理由，未生效：须写明理由"
        "（-- pia:ignore 规则ID 理由）"]


def test_the_cli_says_its_warnings_in_chinese(pia_check) -> None:
    sql = "-- pia:ignore\nCREATE TABLE t (sfzh text);\n"
    _code, _out, err = pia_check("--lang", "zh", "V.sql", files={"V.sql": sql})
    assert err.splitlines()[0].startswith("pia：警告：V.sql:1: pia:ignore 注释没有写理由")
