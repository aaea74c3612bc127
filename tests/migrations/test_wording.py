"""English messages of check-migrations read as sentences: a label mid-sentence in lower
case with its article, the column's own name quoted, counts in the singular or the plural."""

from __future__ import annotations

import pytest

from pia.migrations import Declared, check_text
from pia.migrations.messages import message, mid_sentence, summary_line

SQL = ("CREATE TABLE t (\n  id_card varchar(18),\n  phone varchar(11),\n  xm varchar(20),\n"
       "  ip_addr text\n);\n")


def _texts(lang: str) -> dict[str, str]:
    return {f.column: f.text(lang) for f in check_text("V.sql", SQL, "auto", Declared())}


def test_a_label_is_said_mid_sentence_and_the_real_column_name_quoted() -> None:
    en = _texts("en")
    assert en["id_card"].startswith("t.id_card holds sensitive PI, a resident ID number "
                                    "(CN_RESIDENT_ID, by its name 'id_card'), with no protection")
    assert en["phone"].startswith("t.phone holds PI, a mobile number (CN_MOBILE, by its name "
                                  "'phone'), with no protection")
    # a name and an acronym keep their capitals
    assert "holds PI, a Chinese name (CN_NAME, by its name 'xm')" in en["xm"]
    assert "holds PI, an IP address (IP_ADDRESS, by its name 'ip_addr')" in en["ip_addr"]


def test_chinese_keeps_its_labels_and_quotes_the_column_name() -> None:
    zh = _texts("zh")
    assert zh["id_card"].startswith("t.id_card 存放敏感个人信息，居民身份证号码（CN_RESIDENT_ID，"
                                    "依据字段名“id_card”），未采取保护措施")
    assert "中文姓名（CN_NAME，依据字段名“xm”）" in zh["xm"]


def test_undeclared_says_the_label_in_parentheses() -> None:
    text = message("undeclared", dict(table="t", column="phone", entity="CN_MOBILE"), "en")
    assert text.startswith("t.phone holds PI (mobile number) that the declaration")


@pytest.mark.parametrize(("label", "said"), [
    ("Mobile number", "mobile number"), ("Resident ID number", "resident ID number"),
    ("Email address", "email address"), ("IP address", "IP address"),
    ("Chinese name", "Chinese name"), ("Hong Kong/Macao permit number",
                                       "Hong Kong/Macao permit number"),
    ("Taiwan permit number", "Taiwan permit number"), ("mobile number", "mobile number"),
])
def test_mid_sentence(label: str, said: str) -> None:
    assert mid_sentence(label) == said


@pytest.mark.parametrize(("files", "counts", "line"), [
    (1, (1, 0, 0, 0), "pia: 1 file checked: 1 error, 0 warnings, 0 suppressed, 0 baselined"),
    (2, (5, 1, 1, 2), "pia: 2 files checked: 5 errors, 1 warning, 1 suppressed, 2 baselined"),
    (0, (0, 0, 0, 0), "pia: 0 files checked: 0 errors, 0 warnings, 0 suppressed, 0 baselined"),
])
def test_counts_are_singular_or_plural(files: int, counts: tuple[int, ...], line: str) -> None:
    keys = dict(zip(("error", "warning", "suppressed", "baselined"), counts, strict=True))
    assert summary_line(files, keys, "en") == line
    assert summary_line(files, keys, "bo") == line  # Tibetan: English, as elsewhere
    assert summary_line(files, keys, "zh") == (
        f"pia：已检查 {files} 个文件：错误 {counts[0]} 个，警告 {counts[1]} 个，"
        f"按 pia:ignore 忽略 {counts[2]} 个，基线已接受 {counts[3]} 个")


def test_one_accepted_finding(pia_check) -> None:
    sql = "CREATE TABLE t (\n  id_card varchar(18)\n);\n"
    code, _out, err = pia_check("--baseline", "b.json", "--update-baseline", "V.sql",
                                files={"V.sql": sql})
    assert (code, err) == (0, "pia: baseline b.json: 1 accepted finding\n")
    assert message("baseline_updated", dict(path="b.json", count=2), "en") == (
        "pia: baseline b.json: 2 accepted findings")
    assert message("baseline_updated", dict(path="b.json", count=1), "zh") == (
        "pia：基线 b.json：已接受 1 个问题")
