"""Whose PI a column name is about where a table holds children: the guardian's in English,
Chinese, pinyin and pinyin initials, the child's where the child is named last, no one's
where no person is named; initials glued to a term only where the whole is not a term."""

from __future__ import annotations

import pytest

from pia.detection.metadata import classify_name
from pia.detection.persons import names_a_guardian, whose

GUARDIANS = [
    "guardian_name", "guardianName", "guardian_id_card", "parent_phone", "parentphone",
    "parents_phone", "father_name", "mother_mobile", "student_guardian_phone",
    "监护人姓名", "家长电话", "家长身份证号", "学生家长电话", "母亲手机号",
    "jianhuren_xingming", "jianhurenxingming", "jian_hu_ren_xm", "jiazhang_dianhua",
    "jiazhangdianhua", "jhrxm", "jhr_xm", "jzdh", "jzsjh", "jz_sjh", "fqxm",
]
NOT_GUARDIANS = [
    "child_name", "student_name", "guardian_child_name", "学生姓名", "xsxm", "xm", "sfzh",
    "phone", "name", "csrq", "mm", "mima",
    # 居住地址 and 居住证号 by their initials, not 家长's jz before a term
    "jzdz", "jz_dz", "jzzh",
]


@pytest.mark.parametrize("name", GUARDIANS)
def test_a_name_of_the_guardian(name: str) -> None:
    assert names_a_guardian(name)


@pytest.mark.parametrize("name", NOT_GUARDIANS)
def test_a_name_of_the_child_or_of_no_one(name: str) -> None:
    assert not names_a_guardian(name)


def test_the_last_person_named_decides() -> None:
    assert whose("guardian_child_name") == "child"
    assert whose("child_guardian_name") == "guardian"
    assert whose("学生监护人姓名") == "guardian"
    assert whose("phone") is None


def test_a_comment_names_the_guardian_in_its_first_clause_outside_asides() -> None:
    assert names_a_guardian("lxdh", "家长联系电话")
    assert names_a_guardian("lxdh", "Guardian phone")
    assert not names_a_guardian("xm", "学生姓名（家长填写）")
    assert not names_a_guardian("lxdh", "联系电话，由家长填写")
    # the name decides before the comment
    assert not names_a_guardian("student_phone", "家长联系电话")


@pytest.mark.parametrize(("name", "entity"), [
    ("jhrxm", "CN_NAME"), ("jianhurenxingming", "CN_NAME"), ("fqxm", "CN_NAME"),
    ("guardian_name", "CN_NAME"), ("guardianName", "CN_NAME"), ("father_name", "CN_NAME"),
    ("student_name", "CN_NAME"), ("jzdh", "CN_MOBILE"), ("jzsjh", "CN_MOBILE"),
    ("parentphone", "CN_MOBILE"), ("mother_tel", "CN_MOBILE"),
])
def test_a_persons_word_glued_or_before_a_whole_name_term_names_that_persons_pi(
        name: str, entity: str) -> None:
    assert [m.entity_type for m in classify_name(name)] == [entity]


@pytest.mark.parametrize("name", ["parent_name", "parent_id", "guardian_id", "mumbai", "dadh"])
def test_a_tree_parents_name_or_a_persons_id_is_no_pi_by_its_name(name: str) -> None:
    """``categories.parent_name`` names a node; ``guardian_id`` is a key to a row."""
    assert classify_name(name) == []
