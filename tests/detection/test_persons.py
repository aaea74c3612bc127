"""Whose PI a column name is about where a table holds children: the guardian's in English,
Chinese, pinyin and pinyin initials, the child's where the child is named last, no one's
where no person is named; initials glued to a term only where the whole is not a term."""

from __future__ import annotations

import pytest

from pia.detection.metadata import classify_name
from pia.detection.persons import adult_key_before, adult_named, names_a_guardian, whose

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


CONTACTS = ["紧急联系人电话", "紧急联系人姓名", "紧急联系人", "学生紧急联系人电话", "jjlxr",
            "jjlxrdh", "jjlxr_xm", "jinjilianxiren_dianhua", "emergency_contact_phone",
            "emergencyContactName", "student_emergency_contact_phone"]


@pytest.mark.parametrize("name", CONTACTS)
def test_a_name_of_the_emergency_contact_is_an_adults_not_the_guardians(name: str) -> None:
    """A pupil's emergency contact is an adult, as often a grandparent as the guardian: the
    contact's PI, no child's, and not said to be the guardian's."""
    assert adult_named(name) == "contact"
    assert not names_a_guardian(name)


def test_a_contact_word_leaves_the_childs_and_the_guardians_names_as_they_were() -> None:
    assert adult_named("emergency_contact_student_name") is None  # the child named last
    assert adult_named("lxdh") is None  # a contact number names no person: the pupil's own
    assert adult_named("lxdh", "紧急联系人电话") == "contact"
    assert adult_named("jzdh") == "guardian"


@pytest.mark.parametrize(("line", "adult"), [
    ("jjlxrdh=13812345678", "contact"), ('"紧急联系人电话": "13812345678"', "contact"),
    ("紧急联系人电话 手机号：13812345678", "contact"), ("parent_phone: 13812345678", "guardian"),
    ("phone=13812345678", None),
])
def test_a_value_under_an_adults_key_is_that_adults(line: str, adult: str | None) -> None:
    assert adult_key_before(line, line.index("138")) == adult


@pytest.mark.parametrize(("name", "entity"), [("jjlxrdh", "CN_MOBILE"), ("jjlxrxm", "CN_NAME")])
def test_the_contacts_initials_glued_to_a_term_name_that_term(name: str, entity: str) -> None:
    assert [m.entity_type for m in classify_name(name)] == [entity]


CONTACT_PERSONS = ["联系人电话", "联系人", "学生联系人电话", "lxrdh", "lxr", "lxrxm",
                   "lianxiren_dianhua", "contact_phone", "contactName", "contact_person_phone"]


@pytest.mark.parametrize("name", CONTACT_PERSONS)
def test_a_contact_person_is_an_adult(name: str) -> None:
    """A child under 14 is no one's contact in its own record: the person a 联系人 column
    names (a term's own person, 联系人电话 by its initials too) is another, an adult."""
    assert adult_named(name) == "contact"


@pytest.mark.parametrize("name", ["联系电话", "lxdh", "联系方式", "lxfs", "联系地址", "jzdz",
                                  "jz_dz", "phone"])
def test_a_contact_number_names_no_person(name: str) -> None:
    assert whose(name) is None


def test_a_term_that_names_the_child_is_the_childs() -> None:
    assert whose("xsxm") == "child"  # 学生姓名 by its initials
