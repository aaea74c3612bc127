"""Classify column names, comments, JSON keys and CSV headers as personal information.

Names arrive as English (``id_card``), Chinese (``身份证号码``), pinyin (``shenfenzheng``) and
pinyin initials (``sfzh``, ``lxdh``, ``xm``, ``jtzz``, ``yhkh``). The vocabulary is data
(``pia/data/vocabulary.yaml``): Chinese keywords and English terms per entity type; pinyin and
initials are derived from the keywords with pypinyin, so adding 护照号 also teaches ``huzhaohao``
and ``hzh``. Initials shared with common non-PI words (手机 ``sj`` / 时间 ``sj``) are dropped.
``lexicon`` reads the vocabulary; this module reads names and comments with it.

Used by the database connector, the CSV/JSON handlers and ``check-migrations`` alike, so all
three agree on what a column is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pia.detection.affirmed import PROTECTION_WORD
from pia.detection.lexicon import (
    SCORE_EN,
    SCORE_INITIALS,
    SCORE_ZH,
    Vocabulary,
    pinyin_initials,
    tokens,
    vocabulary,
)

_HAN = re.compile("[\u4e00-\u9fff]")
_NUMBERED = re.compile(r"([a-z]+?)([0-9]+)")
# longest first: "hashed_keyed" must not be read as "hashed"
_MARKER = re.compile(r"\[?pia:(hashed_keyed|encrypted|hashed|masked|tokenized)\]?", re.I)

#: protection hint → the report's ``protection`` state it implies. A name or a marker that
#: says only "hashed" (``phone_hash``, ``[pia:hashed]``) cannot tell whether a salt or a key
#: went in: ``hashed``, key unknown; one that names an unsalted algorithm (``phone_md5``)
#: says ``hashed_unsalted`` (``protection.hint``), as check-migrations reads it too
HINT_TO_PROTECTION = {
    "encrypted": "encrypted",
    "tokenized": "encrypted",
    "hashed": "hashed",
    "hashed_unsalted": "hashed_unsalted",
    "hashed_keyed": "hashed_keyed",
    "masked": "masked",
}


@dataclass(frozen=True, slots=True)
class MetadataMatch:
    entity_type: str
    score: float
    term: str  # the vocabulary term that matched (safe to print: it is ours, not data)
    signal: str  # "name" | "comment"


def _strip_markers(parts: tuple[str, ...], vocab: Vocabulary) -> tuple[tuple[str, ...], str | None]:
    hint = None
    while parts and parts[-1] in vocab.markers and len(parts) > 1:
        hint = hint or vocab.markers[parts[-1]]
        parts = parts[:-1]
    if len(parts) > 1 and parts[-1] in vocab.term_markers:
        found, end = _terms(parts[:-1], vocab)
        if found and end == len(parts) - 1:  # right after a term: id_card_fingerprint
            hint = hint or vocab.term_markers[parts[-1]]
            parts = parts[:-1]
    while parts and parts[0] in vocab.markers and len(parts) > 1:
        hint = hint or vocab.markers[parts[0]]
        parts = parts[1:]
    return parts, hint


def _numbered(parts: tuple[str, ...], vocab: Vocabulary) -> tuple[str, ...]:
    """``phone2`` → ("phone", "2"), as ``phone_2`` reads: a trailing run of digits split off
    the last word, unless the whole word is one the vocabulary knows (``icd10``, ``last4``,
    ``sha256``)."""
    found = _NUMBERED.fullmatch(parts[-1]) if parts else None
    if found is None or parts[-1] in vocab.words or parts[-1] in vocab.markers or any(
            parts[-1] in words for words in vocab.attributes):
        return parts
    return (*parts[:-1], found.group(1), found.group(2))


def _singular(part: str, words: frozenset[str]) -> str:
    """``phones`` → ``phone``, ``addresses`` → ``address``, ``idcards`` → ``idcard``: a
    plural is read as its singular when only the singular is a word of the vocabulary. Only
    ``es`` is cut as two letters: ``jyls`` (交易流水) is no plural of ``jy`` (基因)."""
    if part in words or len(part) < 3 or not part.endswith("s"):
        return part
    for cut in (1, 2) if part.endswith("es") else (1,):
        if part[:-cut] in words:
            return part[:-cut]
    return part


def _ends_with(tail: tuple[str, ...], endings: frozenset[tuple[str, ...]]) -> bool:
    return any(tail[-len(words):] == words for words in endings if len(words) <= len(tail))


def _kept(tail: tuple[str, ...], vocab: Vocabulary, entities: Iterable[str]) -> bool:
    """Does ``tail`` end in a word that, after a term of one of ``entities``, names the data
    itself (``fingerprint_template``, ``id_card_front_url``), with no attribute word before
    it (``birthday_reminder_time`` is a reminder's time)?"""
    for entity in entities:
        for words in vocab.kept_after.get(entity, frozenset()):
            if len(words) <= len(tail) and tail[-len(words):] == words:
                rest = tail[:-len(words)]
                if not any(_ends_with(rest[:i], vocab.attributes)
                           for i in range(1, len(rest) + 1)):
                    return True
    return False


def _is_attribute(tail: tuple[str, ...], vocab: Vocabulary, entities: Iterable[str]) -> bool:
    """Does the rest of a name after its PI term name an attribute of that PI (``status``,
    ``last4``, ``key id``, ``app version``, ``policy``, ``url``), so the column is about the
    PI, not the PI? Not when, for one of the ``entities`` the term names, it names the data
    itself (``_kept``)."""
    if tail and tail[-1].isdigit() and not _ends_with(tail, vocab.attributes):
        tail = tail[:-1]  # address_id2 is an address_id
    entities = tuple(entities)
    if (tail and entities and all(e in vocab.record_entities for e in entities)
            and _ends_with(tail, vocab.record_numbers)):
        return True  # a record's number (transaction_record_no), as a card's is the card
    return _ends_with(tail, vocab.attributes) and not _kept(tail, vocab, entities)


def _is_flag(parts: tuple[str, ...], vocab: Vocabulary) -> bool:
    """``has_password``, ``is_phone_verified``: a yes/no flag about the PI, not the PI."""
    return len(parts) > 1 and parts[0] in vocab.flags


def names_an_attribute(name: str, entity: str) -> bool:
    """Does a name end, after its last PI term (or its first token when it holds none), in
    an attribute word (``address_id``, ``shr_id``, ``pwd_updated_at``), so that a column so
    named is about ``entity`` without holding it, whatever its comment says?"""
    vocab = vocabulary()
    parts, _hint = _strip_markers(tokens(name), vocab)
    parts = tuple(_singular(p, vocab.words) for p in _numbered(parts, vocab))
    if _is_flag(parts, vocab) or name.startswith(vocab.zh_flags):
        return True
    found, end = _terms(parts, vocab)
    return _is_attribute(parts[end:] if found else parts[1:], vocab, (entity,))


def is_token_term(part: str, vocab: Vocabulary | None = None) -> bool:
    """Is ``part`` one token that is a term of the vocabulary (``xm``, ``phone``, ``jzdz``)?"""
    vocab = vocab or vocabulary()
    return (part,) in vocab.tokens or part in vocab.exact


def _unglued(parts: tuple[str, ...], vocab: Vocabulary) -> tuple[str, ...]:
    """A person's word glued to a term split off it: ``jhrxm`` → jhr, xm (监护人姓名),
    ``parentphone`` → parent, phone, ``jianhurenxingming`` → jianhuren, xingming. A token
    that is a word or a term itself stays whole (``jzdz`` is 居住地址, not 家长 + 地址)."""
    out: list[str] = []
    for part in parts:
        if part not in vocab.words and not is_token_term(part, vocab):
            word = next((w for w in vocab.persons if part.startswith(w)
                         and is_token_term(part[len(w):], vocab)), None)
            if word is not None:
                out += [word, part[len(word):]]
                continue
        out.append(part)
    return tuple(out)


def _match_tokens(parts: tuple[str, ...], vocab: Vocabulary) -> list[tuple[str, float, str]]:
    parts = tuple(_singular(p, vocab.words) for p in parts)
    if not parts or parts in vocab.not_pi or _is_flag(parts, vocab):
        return []
    # a whole-name term numbered (``tel2``, ``name_1``) is still that term
    whole = "".join(parts[:-1] if len(parts) > 1 and parts[-1].isdigit() else parts)
    if whole in vocab.exact:
        return [vocab.exact[whole]]
    if (len(parts) == 2 and parts[1] in vocab.exact and parts[0] in vocab.persons
            and parts[0] not in vocab.persons_of_things):
        return [vocab.exact[parts[1]]]  # guardian_name, student_name, father_tel
    found, end = _terms(parts, vocab)
    if found and _is_attribute(parts[end:], vocab, found):
        return []
    return [hit for hit in found.values() if not _qualified(parts, hit, vocab)]


def _qualified(parts: tuple[str, ...], hit: tuple[str, float, str], vocab: Vocabulary) -> bool:
    """Whether a word before the term makes it name something else: ``ssh_key_fingerprint``
    and ``device_fingerprint`` are a digest and a machine's id, not a finger's print."""
    words = vocab.qualifiers.get(hit[0]) if _qualifiable(hit[0], hit[2], vocab) else None
    head = tokens(hit[2])[:1]
    if not words or not head or head[0] not in parts:
        return False
    return any(part in words for part in parts[:parts.index(head[0])])


def _qualifiable(entity: str, term: str, vocab: Vocabulary) -> bool:
    """Can a qualifier make ``term`` name something else? Not a term that names the bank
    (``member_bank_card_no``, 会员银行卡号: a member's bank card), only a card's number
    (``card_no``, 卡号: the vocabulary's qualifiers' ``of``)."""
    if entity not in vocab.qualified_terms and entity not in vocab.zh_qualified_terms:
        return True
    return (tokens(term) in vocab.qualified_terms.get(entity, ())
            or term in vocab.zh_qualified_terms.get(entity, ()))


def _terms(parts: tuple[str, ...],
           vocab: Vocabulary) -> tuple[dict[str, tuple[str, float, str]], int]:
    """The terms a name's tokens hold (entity → (entity, score, term)), and the index of the
    token after the last of them."""
    found: dict[str, tuple[str, float, str]] = {}
    end = 0
    # longest token windows first, so "id card no" beats "card no"
    for size in range(len(parts), 0, -1):
        taken: dict[int, str] = {}  # token index → entity of the window that took it
        for i in range(len(parts) - size + 1):
            window = parts[i:i + size]
            hit = vocab.tokens.get(window) or (
                vocab.tokens.get(("".join(window),)) if size > 1 else None
            )
            if not hit:
                continue
            # overlapping windows of one size: the leftmost names the thing, the next one
            # its part ("id card number" is an ID card's number, not a "card number")
            if any(taken.get(k, hit[0]) != hit[0] for k in range(i, i + size)):
                continue
            taken.update(dict.fromkeys(range(i, i + size), hit[0]))
            end = max(end, i + size)
            if hit[0] not in found or found[hit[0]][1] < hit[1]:
                found[hit[0]] = hit
        if found:
            break
    return found, end


#: a word right before a keyword that says the column holds no such thing: 非银行卡,
#: 不是银行卡, 并非, 而非 (除非 is "unless")
_ZH_NOT = re.compile(r"(?:(?<!除)非|并非|不是|而非|不属于)$")
#: English words before a term that say the same (not a bank card, non-bank card, isn't)
_EN_NOT = frozenset({("not",), ("non",), ("never",), ("isn", "t")})
_ARTICLES = frozenset({"a", "an", "the"})
Hit = tuple[str, float, str]


def _match_chinese(text: str, vocab: Vocabulary) -> list[Hit]:
    """Keywords in Chinese text (``_read_chinese``)."""
    return list(_read_chinese(text, vocab)[0].values())


def _read_chinese(text: str, vocab: Vocabulary) -> tuple[dict[str, Hit], set[str], set[str]]:
    """Keywords in Chinese text, except where an attribute word follows the keyword
    (身份证类型, 手机号归属地: the type of an ID, the region of a number), a number follows a
    record's keyword (交易流水号 numbers a transaction, as transaction_id does) or the text is
    a flag (是否设置密码); and the entity types whose keywords it names only denied (非银行卡)
    or as another's (会员卡号: a qualifier before it), which are no match either."""
    found: dict[str, Hit] = {}
    denied: set[str] = set()
    another: set[str] = set()
    lowered = text.lower()
    if lowered.startswith(vocab.zh_flags):
        return found, denied, another
    taken: list[tuple[int, int]] = []  # spans of keywords read, longest first
    for keyword, entity in vocab.zh:
        at = lowered.find(keyword)
        while at >= 0:
            end = at + len(keyword)
            # the longest keyword names the thing: 紧急联系人电话 is a phone (联系人电话),
            # not a contact's name (联系人); IP地址 is no postal address
            if not any(a <= at and end <= b for a, b in taken):
                taken.append((at, end))
                after = lowered[end:].lstrip("号码")
                qualified = vocab.zh_qualifiers.get(entity, ())
                numbered = (entity in vocab.record_entities
                            and lowered[end:].startswith(vocab.zh_record_numbers))
                if after.startswith(vocab.zh_attributes) or numbered:
                    pass
                elif _ZH_NOT.search(lowered, 0, at):
                    denied.add(entity)
                elif (qualified and lowered[:at].endswith(qualified)
                      and _qualifiable(entity, keyword, vocab)):
                    another.add(entity)
                elif entity not in found:
                    found[entity] = (entity, SCORE_ZH, keyword)
            at = lowered.find(keyword, at + 1)
    return found, denied, another


def thing_table(table: str | None) -> bool:
    """Is ``table`` (its last word, singular) a table of things (``brands``, ``categories``)?"""
    head = tokens(table or "")[-1:]
    if not head:
        return False
    word, things = head[0], vocabulary().thing_tables
    if word.endswith("ies"):
        word = word[:-3] + "y"
    return _singular(word, things) in things


def classify_name(name: str, table: str | None = None) -> list[MetadataMatch]:
    """Entity types a column/key/header name points at (usually zero or one). A bare name
    that as often names a thing (``name``) names no person in a table of things
    (``brands.name``, ``products.name``: the vocabulary's ``thing_tables``), nor do its
    coordinates (``city.lat``, ``store.lat_lng``: ``thing_places``) say where one is."""
    vocab = vocabulary()
    hits = _match_chinese(name, vocab) if _HAN.search(name) else []
    parts, _hint = _strip_markers(tokens(name), vocab)
    parts = _numbered(parts, vocab)
    bare = parts[:-1] if len(parts) > 1 and parts[-1].isdigit() else parts
    if table and parts and (len(bare) == 1 and bare[0] in vocab.exact
                            or vocab.thing_places.issuperset(parts)) and thing_table(table):
        return []
    hits += _match_tokens(_unglued(parts, vocab), vocab)
    best: dict[str, MetadataMatch] = {}
    for entity, score, term in hits:
        if entity not in best or best[entity].score < score:
            best[entity] = MetadataMatch(entity, score, term, "name")
    return sorted(best.values(), key=lambda m: (-m.score, m.entity_type))


def classify_comment(comment: str | None) -> list[MetadataMatch]:
    """Entity types a free-text column comment points at (Chinese keywords or English terms)."""
    if not comment:
        return []
    return sorted(
        (MetadataMatch(entity, score - 0.05, term, "comment")
         for entity, score, term in _read_comment(comment)[0]),
        key=lambda m: (-m.score, m.entity_type),
    )


@lru_cache(maxsize=4096)
def _read_comment(comment: str) -> tuple[tuple[Hit, ...], frozenset[str], frozenset[str]]:
    """What a comment names (Chinese keywords, or English terms where it has none), what it
    says the column is not (非银行卡, not a bank card), and what it names as another's
    thing (会员卡号, 会员卡, gift card, 设备指纹: the vocabulary's ``qualifiers``, read as in
    names). Read once per comment: a migration's columns ask more than once."""
    vocab = vocabulary()
    found, denied, another = _read_chinese(comment, vocab)
    lowered = comment.lower()
    another.update(e for e, pattern in vocab.zh_another.items() if pattern.search(lowered))
    hits = list(found.values())
    if not hits:
        words = tokens(_MARKER.sub(" ", comment))
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                hit = vocab.tokens.get(words[i:i + size])
                if not hit or hit[1] < SCORE_EN:
                    continue
                before = words[:i]
                before = before[:-1] if before[-1:] and before[-1] in _ARTICLES else before
                if before[-1:] in _EN_NOT or before[-2:] in _EN_NOT:
                    denied.add(hit[0])
                elif (before and before[-1] in vocab.qualifiers.get(hit[0], ())
                      and _qualifiable(hit[0], hit[2], vocab)):
                    another.add(hit[0])
                elif all(h[0] != hit[0] for h in hits):
                    hits.append(hit)
        another.update(_english_another(words, vocab))
    return tuple(hits), frozenset(denied), frozenset(another)


def _english_another(words: tuple[str, ...], vocab: Vocabulary) -> set[str]:
    """Entity types a qualifier names another's thing of with a word that is no term
    (``gift card``: a card, as ``gift card no`` is a card's number)."""
    out = set()
    for i, word in enumerate(words):
        for entity, qualified in vocab.qualified_terms.items():
            if word in vocab.qualifiers.get(entity, ()) and any(
                    words[i + 1:i + 1 + len(term)] == term for term in qualified):
                out.add(entity)
    return out


def _denied(match: MetadataMatch, comment: str) -> bool:
    """Does the comment say a name's match is wrong? It names no such thing but says the
    column is not one (card_no '礼品卡号，非银行卡'), or names it as another's and the name's
    term is one a qualifier can make another's (card_no '会员卡号'; not bank_card_no). A
    comment that also names the thing plainly (银行卡号) leaves the name's match."""
    hits, denied, another = _read_comment(comment)
    if any(h[0] == match.entity_type for h in hits):
        return False
    return match.entity_type in denied or (
        match.entity_type in another
        and _qualifiable(match.entity_type, match.term, vocabulary()))


#: a comment's clauses, and the asides in brackets that qualify what is before them
#: (项目名称（AES加密）, 加密（计划中）)
_COMMENT_CLAUSE = re.compile(r"[，,;；。!！?？\n:：]")
_ASIDE = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]?")
_SAYS_PROTECTION = re.compile(PROTECTION_WORD, re.I)
#: words that describe no thing a column holds: its storage, plaintext, a to-do, and when
#: or how long it is so (暂时明文, 目前仍是明文, plaintext for now, still plaintext): a comment
#: that admits plaintext for the time being names nothing else (QA q2 M1: ``sfzh_enc``
#: commented 暂时明文 lost its 身份证号 and passed check-migrations)
_NOT_DESCRIPTIVE = re.compile(
    r"(?<![A-Za-z])(?:stored|storage|field|column|values?|data|the|and|with|todo|fixme|tbd"
    r"|plain\s*text|cleartext|for|now|still|yet|currently|temporar\w*|time|being|moment"
    r"|later|until|kept|saved|written)(?![A-Za-z])|存储|存放|保存|字段|明文|原文|原值"
    r"|暂时|暂且|暂存|暂|目前|当前|现在|现阶段|临时|仍然|仍旧|依然|依旧|还是|仍|还|尚|后续|以后"
    r"|之后|稍后|先|待|为|是", re.I)
_DESCRIPTION = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z]{3,}")


def _initials_only(name: str, match: MetadataMatch) -> bool:
    """Did ``match`` come from the name's pinyin initials alone (``xm`` for 姓名), which as
    often spell another word (``xm`` is 项目 too)?"""
    return (match.signal == "name" and match.score <= SCORE_INITIALS
            and pinyin_initials(match.term) in tokens(name))


def names_something_else(comment: str | None) -> bool:
    """Does a comment describe what a column holds (项目名称, 项目编号, project name) in words
    that name no personal information? Only then does it contradict the name's initials: a
    comment that says only how the column is protected (AES加密) or is empty says nothing
    of what it holds, and one that names PI (姓名, Name, xingming) agrees."""
    if not comment or classify_comment(comment) or classify_name(comment):
        return False
    clauses = _COMMENT_CLAUSE.split(_ASIDE.sub(" ", _MARKER.sub("加密", comment)))
    return any(_DESCRIPTION.search(_NOT_DESCRIPTIVE.sub(" ", clause)) for clause in clauses
               if not _SAYS_PROTECTION.search(clause))


def classify_column(name: str, comment: str | None = None,
                    table: str | None = None) -> list[MetadataMatch]:
    """Name and comment together: the stronger signal per entity type wins (``table``: see
    ``classify_name``). A comment that names something else outranks a match of the name's
    initials alone: ``xm`` commented 项目名称 holds project names, not 姓名 (QA zh 3), as a
    comment saying plaintext outranks a protective name (``protection.hint``)."""
    matches = classify_name(name, table)
    if matches and comment:  # 会员卡号 on card_no: a membership card, in scan and check alike
        matches = [m for m in matches if not _denied(m, comment)]
    if matches and names_something_else(comment):
        matches = [m for m in matches if not _initials_only(name, m)]
    best: dict[str, MetadataMatch] = {}
    for match in matches + classify_comment(comment):
        if match.entity_type not in best or best[match.entity_type].score < match.score:
            best[match.entity_type] = match
    return sorted(best.values(), key=lambda m: (-m.score, m.entity_type))


#: identity documents, and the words after their term that name the document's image or a
#: link to it, not its number (id_card_front_url, passport_photo, 身份证照片)
_DOCUMENTS = frozenset({"CN_RESIDENT_ID", "CN_PASSPORT", "CN_HK_MACAO_PERMIT",
                        "CN_TAIWAN_PERMIT", "CN_MILITARY_ID"})
_IMAGE_WORDS = frozenset({"photo", "photos", "image", "images", "img", "imgs", "pic", "pics",
                          "picture", "pictures", "scan", "scans", "url", "urls", "uri", "link",
                          "path", "file", "files", "front", "back", "copy", "jpg", "png", "pdf"})
_IMAGE_ZH = re.compile(r"照片|图片|图像|影像|扫描件|复印件|正面|反面|正反面|人像面|国徽面")


def names_a_document_image(name: str, entity: str, comment: str | None = None) -> bool:
    """Does the column hold an image of an identity document (or its link), not its number?
    It is the same sensitive PI (the image shows the number, and a face), told apart so that
    a finding does not call ``id_card_photo`` a resident ID number."""
    if entity not in _DOCUMENTS:
        return False
    return bool(_IMAGE_WORDS.intersection(tokens(name)[1:]) or _IMAGE_ZH.search(name)
                or comment and _IMAGE_ZH.search(comment))


#: English words of a comment that say the values are stored protected, read as the
#: Chinese ones are (已加密, 脱敏): ``ID number (encrypted)``, ``AES encrypted``. The comment
#: comes through ``affirmed_protection``, so ``unencrypted``, ``not encrypted``, ``to be
#: encrypted`` and ``encrypted in transit`` never reach here
_EN_HINTS = re.compile(r"\b(?:(encrypted|ciphertext|tokeni[sz]ed)|(hashed)|(masked|redacted))\b",
                       re.I)


def protection_hint(name: str, comment: str | None = None) -> str | None:
    """What a name suffix (``card_no_enc``), a comment marker (``[pia:hashed]``) or an English
    word of an affirmed comment (``encrypted``) declares: one of encrypted, hashed,
    hashed_keyed, masked, tokenized — or None. The scan and ``check-migrations`` both read
    a comment through here, so ``身份证号 encrypted`` is protected for both, as
    ``unencrypted`` is plaintext for both."""
    if comment:
        marker = _MARKER.search(comment)
        if marker:
            return marker.group(1).lower()
    _parts, hint = _strip_markers(tokens(name), vocabulary())
    if hint is None and comment:
        word = _EN_HINTS.search(_MARKER.sub(" ", comment))
        if word:
            return "tokenized" if word.group(1) and word.group(1).lower().startswith(
                "tokeni") else ("encrypted", "hashed", "masked")[word.lastindex - 1]
    return hint
