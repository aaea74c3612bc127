"""Words of a Chinese comment that say what a column is, and how it is protected (QA zh 2, 3).

摘要 alone is a summary (病历摘要 is a medical-record summary), so it claims no hash; 哈希,
散列, 杂凑, 消息摘要, 摘要值, 摘要算法 and a hash algorithm's name do, unless negated or put off.
A comment that names something else (项目名称) outranks a name's pinyin initials alone (``xm``
is 姓名 and 项目), not a comment that says only how the column is protected, nor none."""

from __future__ import annotations

import pytest

from pia.detection.metadata import classify_column, names_something_else
from pia.detection.protection import claimed, hint


@pytest.mark.parametrize("comment", [
    "病历摘要", "出院摘要", "内容摘要", "摘要", "摘要信息", "会议摘要（明文）", "病历摘要（待审核）",
    "手机号，不做MD5", "手机号，未做SHA-256", "手机号，计划 SM3 杂凑", "git commit SHA",
    "上海分行", "手机号，未哈希",
])
def test_a_summary_or_a_negated_hash_claims_nothing(comment: str) -> None:
    assert hint("bingli", comment) is None
    assert claimed("bingli", comment) is None


@pytest.mark.parametrize("comment", [
    "手机号哈希", "手机号散列值", "手机号消息摘要", "手机号摘要值", "SHA3-256", "密码 bcrypt",
    "手机号 SHA256 摘要，加盐", "身份证号 SM3 杂凑（带密钥）",
])
def test_a_digest_or_an_algorithm_claims_a_hash(comment: str) -> None:
    assert hint("c", comment) == "hashed"
    assert claimed("c", comment) == ("hashed", "comment")


@pytest.mark.parametrize("comment", [
    "身份证号 SM3 杂凑", "摘要算法：SM3", "手机号（SHA-256）", "手机号 SHA256 摘要", "手机号MD5",
    "手机号 sha1", "病历摘要，SHA-256 哈希", "SHA256", "md5 摘要",
])
def test_a_bare_digest_algorithm_claims_an_unsalted_hash(comment: str) -> None:
    """No salt or key named: an unsalted digest, reversed by enumeration (PIPL 73(三)), as
    ``check-migrations`` reads the same comment and as a name ``sfzh_sha256`` says."""
    assert hint("c", comment) == "hashed_unsalted"
    assert claimed("c", comment) == ("hashed_unsalted", "comment")


def test_a_chinese_name_reads_as_its_comment_would() -> None:
    assert hint("病历摘要") is None
    assert hint("手机号摘要值") == "hashed"


@pytest.mark.parametrize("name, comment, entity", [
    ("xm", "项目名称", None),
    ("xm", "项目编号", None),
    ("xm", "项目名称（AES加密）", None),
    ("xm", "project name", None),
    ("sfzh", "项目编号", None),
    # the comment agrees, says only how the column is (to be) protected, or is absent
    ("xm", None, "CN_NAME"),
    ("xm", "姓名", "CN_NAME"),
    ("xm", "Name", "CN_NAME"),
    ("xm", "xingming", "CN_NAME"),
    ("xm", "AES加密", "CN_NAME"),
    ("xm", "加密存储", "CN_NAME"),
    ("xm", "加密（计划中）", "CN_NAME"),
    ("xm", "明文", "CN_NAME"),
    ("xm", "[pia:encrypted]", "CN_NAME"),
    ("sfzh", "需要加密", "CN_RESIDENT_ID"),
    ("sfzh", "should be [pia:masked]", "CN_RESIDENT_ID"),
    # a full word, not initials, is not overruled
    ("xingming", "项目名称", "CN_NAME"),
])
def test_a_comment_naming_something_else_outranks_initials(name: str, comment: str | None,
                                                           entity: str | None) -> None:
    found = classify_column(name, comment)
    assert (found[0].entity_type if found else None) == entity


def test_what_names_something_else() -> None:
    assert names_something_else("项目名称")
    assert not names_something_else(None)
    assert not names_something_else("姓名")
    assert not names_something_else("AES加密")
