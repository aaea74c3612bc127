"""Whose personal information a column, a field or a header is about: the guardian's or the
child's, where a table, file or object holds children under 14.

PIPL 28 makes a child's PI sensitive whatever its type, and a table of pupils makes every PI
column sensitive. But a pupils table also holds the guardian's name, phone and ID number
(监护人姓名, 家长电话, guardian_phone, jhrxm), and the guardian is an adult: those columns are
the guardian's PI, sensitive only by their own type (a guardian's ID number is sensitive
anyway; a guardian's mobile is an ordinary one). The words are data
(``pia/data/vocabulary.yaml``, ``persons``), read as ``metadata`` reads its names: English
tokens (``parent_phone``, ``guardianName``), Chinese (监护人姓名), pinyin (``jianhuren_xm``,
``jiazhangdianhua``) and pinyin initials (``jhrxm``, ``jzdh``), the initials only where the
rest of the name is a term of the vocabulary and the whole is not one (``jzdz`` is 居住地址).

A pupil's emergency contact (紧急联系人电话, 紧急联系人姓名, ``jjlxrdh``,
``emergency_contact_phone``) or contact person (联系人电话, ``lxrdh``, ``contact_phone``: a
child under 14 is no one's contact in its own record; 联系电话 and ``lxdh``, a number that
names no person, stay the record's own) is an adult the way the guardian is, and as often
someone else (a grandparent, a neighbour): the column is the contact's PI (``contact``),
read by the rules as the guardian's is, an adult's and no child's, but not called the
guardian's. Where the vocabulary's term itself holds the person (联系人电话, ``contact
phone``), a name that spells it names that person (``_term_person``).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache, lru_cache

from pia.detection.lexicon import tokens, vocabulary, vocabulary_data
from pia.detection.metadata import is_token_term

GUARDIAN = "guardian"
CONTACT = "contact"
CHILD = "child"
#: the persons whose PI beside a child's is an adult's (``data_subject``), the guardian
#: first: an entity type a file holds under both kinds of key is said to be the guardian's
#: where they hold as many of its values
ADULTS = (GUARDIAN, CONTACT)
#: PIPL 28, 31: the personal information of a minor under 14 is sensitive
MINOR_AGE = 14


def age(born: date, today: date) -> int:
    """Full years from ``born`` to ``today``."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def a_child(born: date | None, today: date) -> bool:
    """Whether someone born on ``born`` (a birth date read from a value, ``None`` for none)
    is a child under 14 on ``today``; a date after today is nobody's birth."""
    return born is not None and born <= today and age(born, today) < MINOR_AGE

#: a comment's first clause, before its asides: what the column holds, not who fills it in
#: (学生姓名（家长填写） is the pupil's name)
_ASIDE = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]?")
_CLAUSE = re.compile(r"[，,;；。:：\n]")
#: the characters of a key a value follows on a line (``guardian_phone``, 监护人电话),
#: matched at the start of the reversed text before the value (an anchored match is fast)
_KEY_RUN = re.compile(r"[\w\u4e00-\u9fff.\-]{1,64}")
_HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")
#: characters before a value searched for its key
_KEY_REACH = 96


@cache
def _chinese_words() -> tuple[tuple[str, str], ...]:
    """(Chinese keyword, person), longest first."""
    found = [(keyword, person) for person, words in vocabulary_data()["persons"].items()
             for keyword in words.get("zh", ())]
    return tuple(sorted(found, key=lambda kv: len(kv[0]), reverse=True))


def _chinese(text: str) -> list[tuple[int, str]]:
    """(position, person) of the Chinese person words in ``text``."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for keyword, person in _chinese_words():
        at = text.find(keyword)
        while at >= 0:
            end = at + len(keyword)
            if not any(a <= at and end <= b for a, b in taken):
                taken.append((at, end))
                found.append((at, person))
            at = text.find(keyword, at + 1)
    return sorted(found)


def _token_person(parts: tuple[str, ...], i: int) -> str | None:
    """The person the ``i``-th token names: a word of its own (``guardian``, ``jiazhang``,
    ``jhr``, a plural ``parents``), a run of pinyin syllables (``jian_hu_ren``), or a word
    glued to a term of the vocabulary (``parentphone``, ``jhrxm``, ``jzsjh``); not where it
    and the next token are a term together (``jz_dz`` is 居住地址)."""
    persons = vocabulary().persons
    part = parts[i]
    for size in (3, 2):  # jian_hu_ren, jia_zhang
        joined = "".join(parts[i:i + size])
        if len(parts) - i >= size and joined in persons:
            return persons[joined]
    word = part if part in persons else part[:-1] if part[:-1] in persons else None
    if word is not None:  # parents_phone: a plural
        following = "".join(parts[i:i + 2])
        if len(parts) > i + 1 and is_token_term(following):
            return _term_person(following)  # contact_phone; jz_dz is 居住地址, no one's
        return persons[word]
    if is_token_term(part):
        return _term_person(part)  # a term of its own: lxrdh is 联系人电话, jzdz no one's
    return next((person for word, person in persons.items()
                 if part.startswith(word) and is_token_term(part[len(word):])), None)


@lru_cache(maxsize=1024)
def _term_person(token: str) -> str | None:
    """The person the vocabulary's term that ``token`` spells names, if any: ``lxrdh`` and
    ``lianxirendianhua`` spell 联系人电话, a contact's; ``contactphone`` spells ``contact
    phone``; ``jzdz`` spells 居住地址, no one's. A term the whole token is outweighs a
    person's initials glued to another term, which is why ``jzdz`` stays 居住地址."""
    entry = vocabulary().tokens.get((token,))
    if entry is None:
        return None
    term = entry[2].lower()
    found = _chinese(term)
    if found:
        return found[-1][1]
    words = tokens(term)
    persons = vocabulary().persons
    return persons.get(words[0]) if len(words) > 1 else None


def whose(text: str | None) -> str | None:
    """``guardian``, ``contact`` or ``child`` when ``text`` (a name) names one of them, the
    last named deciding (``student_guardian_phone``: the guardian's; ``guardian_child_name``:
    the child's; ``student_emergency_contact_phone``: the contact's); None when it names no
    one."""
    if not text:
        return None
    people = _chinese(text.lower())
    if people:
        return people[-1][1]
    parts = tokens(text)
    named = [p for p in (_token_person(parts, i) for i in range(len(parts))) if p]
    return named[-1] if named else None


@lru_cache(maxsize=4096)
def names_a_person(key: str) -> bool:
    """Does a key (a column's, a field's) name a person (see ``whose``)? Cached: a parsed
    JSON log asks it of every leaf's key."""
    return whose(key) is not None


@lru_cache(maxsize=4096)
def person_path(keys: tuple[str, ...]) -> str:
    """The keys of the JSON objects that hold a value (outermost first, a list's objects
    taking the list's key) from the last one that names a person, joined by dots
    (``("record", "guardian", "work")`` → ``guardian.work``), or "" when none does. A
    value keyed by it (``guardian.work.phone``) is read as that person's, as a flat
    ``guardian_phone`` is; siblings share one tuple, so a document asks once per object."""
    for i in range(len(keys) - 1, -1, -1):
        if names_a_person(keys[i]):
            return ".".join(keys[i:])
    return ""


def adult_named(name: str, comment: str | None = None) -> str | None:
    """The adult whose PI a column (field, header) named ``name`` holds beside a child's:
    ``guardian`` or ``contact`` (a contact person, an emergency one too), or None where it
    is the child's or no one's. The name decides where it names a person; otherwise the
    first clause of the comment does (``lxdh`` commented 家长联系电话), its asides left out."""
    said = whose(name)
    if said is None and comment:
        said = whose(_CLAUSE.split(_ASIDE.sub(" ", comment))[0])
    return said if said in ADULTS else None


def names_a_guardian(name: str, comment: str | None = None) -> bool:
    """Does a column (field, header) named ``name`` hold the guardian's PI, not the child's
    (see ``adult_named``)?"""
    return adult_named(name, comment) == GUARDIAN


@lru_cache(maxsize=4096)
def _key_names_an_adult(key: str) -> str | None:
    return adult_named(key)


def adult_key_before(line: str, start: int) -> str | None:
    """The adult (``guardian``, ``contact``) named by the key the value at ``line[start:]``
    stands right after (``guardian_phone=138…``, ``"家长电话": "138…"``, ``jjlxrdh: 138…``, or
    a CSV or JSON cell rendered for the engine as ``监护人电话 手机号：138…``: its key, the
    entity's Chinese word, a full-width colon), or None. A file's values are tallied per
    entity type across the file, so this is how a file tells the guardian's mobiles from a
    child's. Called for every value found: a value after no ``=``/``:`` costs two string
    operations."""
    head = line[max(0, start - _KEY_REACH):start].rstrip(" \"'")
    if not head or head[-1] not in "=:：":
        return None
    head = head[:-1].rstrip(" \"'")
    key = _key_at_end(head)
    if key is None:
        return None
    before = head[:-len(key)]
    if _HAN_ONLY.fullmatch(key) and before.endswith(" "):  # 监护人电话 手机号：
        rendered = _key_at_end(before[:-1])
        adult = _key_names_an_adult(rendered) if rendered is not None else None
        if adult is not None:
            return adult
    return _key_names_an_adult(key) or _enclosing_adult(before)


def _enclosing_adult(before: str) -> str | None:
    """The adult named by the key of the JSON object a key stands in (``"guardian":
    {"phone": "138…"}``), or None: the nearest ``{`` before it that nothing closes, then the
    key before that brace. One level up, within the reach searched for the key."""
    depth = 0
    for i in range(len(before) - 1, -1, -1):
        ch = before[i]
        if ch == "}":
            depth += 1
        elif ch == "{":
            if depth == 0:
                outer = before[:i].rstrip(" \"'")
                if not outer or outer[-1] not in ":=":
                    return None
                key = _key_at_end(outer[:-1].rstrip(" \"'"))
                return _key_names_an_adult(key) if key is not None else None
            depth -= 1
    return None


def _key_at_end(text: str) -> str | None:
    """The run of key characters that ends ``text``, or None."""
    found = _KEY_RUN.match(text[::-1])
    return found.group()[::-1] if found else None
