"""The PI vocabulary (``pia/data/vocabulary.yaml``) as names spell it: Chinese keywords,
English terms, pinyin syllables and initials derived with pypinyin (``pinyin_table``), and
the words that name a person (``persons``). Read once per process.

Kept apart from ``metadata``, which classifies names and comments with it, because other
readers need the vocabulary and not the classification: ``persons`` (whose PI a name is
about), ``deletion`` (soft-delete markers), ``check-migrations``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from pia.detection.pinyin_table import pinyin_of

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SPLIT = re.compile(r"[^0-9A-Za-z]+")

#: the vocabulary is pia's own file, not a user's: libyaml's parser reads it in a tenth of
#: the time of PyYAML's Python one (0.09 s of every start), where the wheel has it
_PACKAGE_DATA_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SCORE_ZH = 0.9
SCORE_EN = 0.85
SCORE_PINYIN = 0.85
SCORE_INITIALS = 0.75
SCORE_SHORT_INITIALS = 0.6


@dataclass(frozen=True)
class Vocabulary:
    zh: tuple[tuple[str, str], ...]  # (keyword, entity), longest first
    tokens: dict[tuple[str, ...], tuple[str, float, str]]  # token sequence → entity, score, term
    exact: dict[str, tuple[str, float, str]]  # whole-name-only terms
    not_pi: frozenset[tuple[str, ...]]
    markers: dict[str, str]  # marker token → hint
    #: name endings that make a name an attribute of the PI before them (``_status``)
    attributes: frozenset[tuple[str, ...]] = frozenset()
    #: entity type → endings that, after its terms, name the data itself (``_template``)
    kept_after: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    #: Chinese words that, right after a keyword, do the same (身份证类型)
    zh_attributes: tuple[str, ...] = ()
    #: every token of every term: a plural is read as its singular when only that is known
    words: frozenset[str] = frozenset()
    #: last words of table names whose bare ``name`` column names a thing (``brands``)
    thing_tables: frozenset[str] = frozenset()
    #: words of a name that, in such a table, say where the thing is (``city.lat``)
    thing_places: frozenset[str] = frozenset()
    #: first words that make a name a yes/no flag about the PI (``has_password``), English
    #: tokens and Chinese prefixes (是否)
    flags: frozenset[str] = frozenset()
    zh_flags: tuple[str, ...] = ()
    #: entity type → words that, before its term, make the term name something else
    #: (``key_fingerprint``, 证书指纹): English tokens, and Chinese words right before it
    qualifiers: dict[str, frozenset[str]] = field(default_factory=dict)
    zh_qualifiers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: entity type → the terms its qualifiers qualify, where not every term (``card no``,
    #: 卡号 and 卡, not ``bank card``: 会员银行卡号 is a member's bank card), and in Chinese a
    #: pattern of a qualifier and such a word (会员卡号, 会员卡; without ``of``, a keyword)
    qualified_terms: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    zh_qualified_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    zh_another: dict[str, re.Pattern[str]] = field(default_factory=dict)
    #: entity types that name records (``transaction_record``), and the endings that, after
    #: their terms, name a record's number instead (``_no``; 号, 编号 in Chinese)
    record_entities: frozenset[str] = frozenset()
    record_numbers: frozenset[tuple[str, ...]] = frozenset()
    zh_record_numbers: tuple[str, ...] = ()
    #: words naming a person (``persons``: English, pinyin, initials) → guardian or child,
    #: longest first: ``jhrxm`` is 监护人 + 姓名, ``guardian_name`` a guardian's name
    persons: dict[str, str] = field(default_factory=dict)
    #: person words that before a whole-name-only term name a thing as often (``parent``)
    persons_of_things: frozenset[str] = frozenset()
    #: marker token → hint, for markers that count only after another PI term
    #: (``id_card_fingerprint`` is a digest, ``user_fingerprint`` a finger's print)
    term_markers: dict[str, str] = field(default_factory=dict)


def tokens(name: str) -> tuple[str, ...]:
    """``customerIdCard_no`` → ("customer", "id", "card", "no"); an abbreviation the
    vocabulary spells out is read as its word (``fingerprint_tpl`` → "template"), so every
    reader of names, the scan's and check-migrations', knows it."""
    spelled = _abbreviations()
    return tuple(spelled.get(t, t) for t in _SPLIT.split(_CAMEL.sub(" ", name).lower()) if t)


@cache
def _abbreviations() -> dict[str, str]:
    return dict(vocabulary_data().get("abbreviations", {}))


def pinyin_initials(keyword: str) -> str:
    """The pinyin initials of a Chinese keyword (姓名 → xm), as the vocabulary derives them."""
    return pinyin_of(keyword)[1]


def pinyin_forms(keyword: str) -> list[str]:
    """The pinyin syllables of a Chinese keyword (护照号 → hu, zhao, hao), as the vocabulary
    derives them for its terms."""
    return pinyin_of(keyword)[0]


@cache
def vocabulary_data() -> dict[str, Any]:
    """``pia/data/vocabulary.yaml`` as parsed, read once per process: the PI vocabulary and
    the sections other readers derive their own tables from (``deletion_markers``). Shared:
    read it, never change it."""
    text = resources.files("pia").joinpath("data/vocabulary.yaml").read_text("utf-8")
    return yaml.load(text, Loader=_PACKAGE_DATA_LOADER)


@cache
def vocabulary() -> Vocabulary:
    data = vocabulary_data()
    ambiguous = {pinyin_of(word)[1] for word in data["not_pi"]["zh"]}
    ambiguous |= {"".join(tokens(term)) for term in data["not_pi"]["en"]}
    zh: list[tuple[str, str]] = []
    seq: dict[tuple[str, ...], tuple[str, float, str]] = {}
    exact: dict[str, tuple[str, float, str]] = {}

    def put(key: tuple[str, ...], entity: str, score: float, term: str) -> None:
        if key and (key not in seq or seq[key][1] < score):
            seq[key] = (entity, score, term)

    for entity, concept in data["concepts"].items():
        no_initials = set(concept.get("no_initials", ()))
        for keyword in concept.get("zh", []):
            zh.append((keyword.lower(), entity))
            syllables, initials = pinyin_of(keyword)
            if len(syllables) >= 2:
                put(("".join(syllables),), entity, SCORE_PINYIN, keyword)
                put(tuple(syllables), entity, SCORE_PINYIN, keyword)
            if len(initials) >= 2 and initials not in ambiguous and keyword not in no_initials:
                score = SCORE_INITIALS if len(initials) >= 3 else SCORE_SHORT_INITIALS
                put((initials,), entity, score, keyword)
        for term in concept.get("en", []):
            parts = tokens(term)
            put(parts, entity, SCORE_EN, term)
            put(("".join(parts),), entity, SCORE_EN, term)
        for term in concept.get("exact_only", []):
            exact["".join(tokens(term))] = (entity, SCORE_EN, term)
    markers = {
        token: hint
        for hint, words in data["protection_markers"].items()
        for token in words
    }
    term_markers = {token: hint for hint, words in data.get("term_markers", {}).items()
                    for token in words}
    not_pi = frozenset(tokens(term) for term in data["not_pi"]["en"])
    zh.sort(key=lambda kv: len(kv[0]), reverse=True)
    attributes = frozenset(tokens(term) for term in data["attributes"]["en"])
    kept_after = {entity: frozenset(tokens(term) for term in terms)
                  for entity, terms in data["attributes"]["kept_after"].items()}
    words = frozenset(w for key in [*seq, *not_pi] for w in key) | frozenset(exact)
    flags = data["attributes"].get("flags", {})
    qualifiers = data.get("qualifiers", {})
    records = data["attributes"].get("record_numbers", {})
    return Vocabulary(tuple(zh), seq, exact, not_pi, markers, attributes=attributes,
                      kept_after=kept_after, zh_attributes=tuple(data["attributes"]["zh"]),
                      words=words, thing_tables=frozenset(data.get("thing_tables", ())),
                      thing_places=frozenset(data.get("thing_places", ())),
                      flags=frozenset(flags.get("en", ())), zh_flags=tuple(flags.get("zh", ())),
                      qualifiers={e: frozenset(q.get("en", ())) for e, q in qualifiers.items()},
                      zh_qualifiers={e: tuple(q.get("zh", ())) for e, q in qualifiers.items()},
                      qualified_terms={e: frozenset(tokens(t) for t in q["of"].get("en", ()))
                                       for e, q in qualifiers.items() if "of" in q},
                      zh_qualified_terms={e: tuple(q["of"].get("zh", ()))
                                          for e, q in qualifiers.items() if "of" in q},
                      zh_another=_another(qualifiers, zh),
                      record_entities=frozenset(records.get("entities", ())),
                      record_numbers=frozenset(tokens(t) for t in records.get("en", ())),
                      zh_record_numbers=tuple(w.lower() for w in records.get("zh", ())),
                      persons=_person_words(data.get("persons", {})),
                      persons_of_things=frozenset(data.get("persons_of_things_too", ())),
                      term_markers=term_markers)


def _another(qualifiers: dict[str, Any], zh: list[tuple[str, str]]) -> dict[str, re.Pattern[str]]:
    """Entity type → a pattern of one of its Chinese qualifiers right before a word it
    qualifies (``of``, else any keyword of the type): 会员卡号, 礼品卡, 服务器地址."""
    out = {}
    for entity, q in qualifiers.items():
        words = q.get("of", {}).get("zh") if "of" in q else [k for k, e in zh if e == entity]
        if q.get("zh") and words:
            alternatives = "|".join(map(re.escape, sorted(q["zh"], key=len, reverse=True)))
            heads = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
            out[entity] = re.compile(f"(?:{alternatives})(?:{heads})", re.I)
    return out


def _person_words(persons: dict[str, Any]) -> dict[str, str]:
    """The words of the vocabulary's ``persons`` as a name spells them → the person they
    name, longest first (initials but for the keywords in ``no_initials``)."""
    words: dict[str, str] = {}
    for person, spelled in persons.items():
        quiet = set(spelled.get("no_initials", ()))
        for keyword in spelled.get("zh", ()):
            syllables, initials = pinyin_of(keyword)
            words["".join(syllables)] = person
            if keyword not in quiet and len(initials) >= 2:
                words[initials] = person
        words.update(("".join(tokens(word)), person) for word in spelled.get("en", ()))
    return dict(sorted(words.items(), key=lambda kv: len(kv[0]), reverse=True))
