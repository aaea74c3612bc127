"""CN_NAME: Chinese personal names — a surname from the common-surname list plus one or two
given-name characters, counted only as the value of a label (姓名, 客户, 持卡人, 联系人...).

Without NER there is no telling 王府 from 王芳, so a label is required, and the name must end
at something that is not a Chinese character (name=张三, 联系人：李四，). The name must be the
label's own value: the label is the last thing before it, set apart by a field separator
(客户：张三, 客户=张三, "customer":"张三"), by spaces (姓名 张三), or by nothing at all. A word
further on (客户 张三 购买 商品: 商品) or after another word (会员等级：黄金) is not one.

Labels are of two kinds. A name label only ever introduces a person (姓名, 联系人, 收货人,
法定代表人, name...): a word after it and a space is its value. A subject label also names
who did something (用户 登录 成功, 客户 取消 订单), so after it and a space a word counts
only when a common next word follows it (用户 张三 登录 but not 用户 修改 密码); after its
field separator (用户：李四) it counts as any value does. Lists go on with 、 (客户：张三、李四).
English subject labels (customer, client, member, patient, guest...) read a Han name in an
English sentence the same way: after a space it counts when what the person did follows it
(Customer 王芳 called us today, member 李伟 asked for a refund: ``ENGLISH_FOLLOWERS``), and
not before anything else (member 平安 branch, Customer 高级 priority; 平安 and 高级 are
common words too). A subject label and a name alone (会员 王芳, customer 王芳) stay unread.

A key ending in ``name`` is a person's label only by its head word, the one before it
(``receiverName``, ``real_name``, ``card_holder_name``: ``PERSON_KEYS``). Most ``…Name`` keys
name things (``skuName``, ``cityName``, ``storeName``, ``bank_name``, ``signName``:
``THING_KEYS``), and their values are never names. A bare ``name``, a key whose head is in
neither list (``nickName``, ``displayName``: a nickname is often no real name) and 客户名称
(a client is as often a company) are ambiguous: their value counts only when it looks like a
person's name, that is when it does not end like a place or thing (徐汇区, 牛肉, 米饭, 白菜:
``THING_ENDINGS``, ``NOT_A_GIVEN_NAME_END``).

A name may start right after a label that only ever introduces a person (联系人王小明 138…,
收货人张三，), or after one and a word saying what it is (联系人为张三, 收货人修改为李四:
``COPULAS``), glued to that word or past its colon or opening quote (联系人为：张三, 姓名改为
"王芳", 经办人为「赵敏」), never past a space. Without such a label a copula says nothing
(修改为“李四” may rename anything). After a label that also forms common nouns (客户端,
用户名) a name must be set apart. In a field (客户：张三购买了), or right after a label of the
first kind (收货人张三已签收), a name may run into the text when what follows is a common next
word (购买, 办理, 先生, 电话…). Glued to a subject label, which also forms nouns (用户名, 客户端, 会员卡), a name counts
only when what the person did follows it right away (用户王芳下单成功, 客户张三购买了, 用户李娜已登录:
``ACTIONS``), or when they did it (会员王芳于2026-08-13下单, 用户李伟在昨天登录: 于 or 在 and a
date or a time, ``WHEN_WORDS``, ``TIMES``); 用户下单成功 and 用户申请退款 hold none (下 starts
no surname, 申请 is a common word). The given name is the shortest, of one or two characters,
that such a word follows (会员李子柒于… is 李子柒); a value so found is still checked against the
common words (会员周年庆于…, 客户方面于…, 会员王府井于…: 周年, 方面, 王府). Glued to a subject
label and followed by nothing of the kind, no word is read as a name, however name-like
(会员李子柒, 客户王芳，电话…): 客户关怀, 会员章程, 患者康复 and 学生成绩 are as common there,
and the end of a glued name is not known (会员王府井店 is a shop, 客户张家口分公司 a branch).

A full name needs no label before it when its title follows it (张三先生, 李娜女士您好,
王建国同志, 尊敬的赵敏小姐: ``TITLES``, ``is_titled``). It must start a word, or follow a
salutation or a subject label (尊敬的, 致, 客户张三先生), and the title must end the word or
run into you or what the person did (您好, 来电, 已签收): 时尚女士手表 is a product, and
感谢张三先生 is left alone (谢 is a surname too). A surname and a title alone (李女士, 王先生,
欧阳女士) name no one in particular and are not reported, not even after a label (客户：欧阳
女士), nor are 王老先生 or words that describe rather than name (时尚女士, 全体同志: ``TITLE_LOOK_ALIKES``). 老师, 医生 and 经理
are no titles here: subjects and roles before them start with surnames too (游泳老师).

Names without a Han surname (Tibetan 次仁卓玛, 扎西; Uyghur 阿依古丽·买买提, with a middle dot
between the parts) count only after a label that only ever introduces a person and its field
separator (姓名：, 收货人=, 联系人: ; ``WHOLE_NAME_LABELS``): there the whole field, up to 8
characters a part, is the value, unless it reads as a blank form's word, a relation, a role or
a title (未填写, 本人, 前台, 先生: ``is_a_whole_name``). People introduce themselves with 我叫 and
我是: a Han name glued to them counts when it ends the word (我叫李娜，), never run on.

Words that start with a surname character and are the usual values of such labels are never
names, as a second guard: operations (修改, 申请, 支付, 申购, 包月), tiers and types (金卡, 黄金,
常规, 成人), roles (游客, 管理员, 程序员), places (江苏, 邵阳, 左侧), school years (高三), and
well-known companies and brands (华为, 万科, 海尔, 周大福). No given name ends in a character
such as 区, 县, 肉, 饭 or 购 (``THING_ENDINGS``), so no value that does is a name.

A name in pinyin (Wang Fang, ZHANG Xiaoming, Chen Xiao Ming) counts in a person's field of its
own (``Name: ``, ``"customerName": "``, 姓名：): a common surname's pinyin, then a given name of
one or two syllables, nothing else (``name_pinyin``).

An export without its header labels nothing: a Han name that is a whole field of a
delimited row (``李娜,女,3502…,166…``) counts when another field of the row is a mobile, a
resident ID or a UnionPay card (``in_a_person_row``).

SQL a log prints labels its values by position: a quoted value an INSERT gives for a person's
column (``INSERT INTO t_user (id, name) VALUES (1, '黄志明')``) counts as that column's label's
value (``sql_values``).

Traditional Chinese (Hong Kong, Taiwan, Macau) is read as simplified is: the surnames, labels
and words above are also looked for in traditional form (陳, 歐陽, 客戶, 聯繫人, 電話).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.recognizers.cn import name_pinyin, name_rows, name_titles
from pia.detection.recognizers.cn.name_labels import label_of
from pia.detection.recognizers.cn.name_titles import (
    a_title_follows,
    a_title_pattern,
    is_titled,
    names_someone,
)
from pia.detection.recognizers.cn.name_words import (
    ACTIONS,
    BLANK_STARTS,
    COMPOUND_SURNAMES,
    COPULAS,
    ENGLISH_FOLLOWERS,
    FIELD_LABELS,
    FOLLOWERS,
    GLUED_SUBJECTS,
    INTRODUCTIONS,
    NAME_DOTS,
    NAME_LABELS,
    NOT_A_GIVEN_NAME_END,
    NOT_IN_A_NAME,
    NOT_NAMES,
    NOT_WHOLE_NAMES,
    PARTICLES,
    PERSON_LABELS,
    PROSE_IN_A_VALUE,
    SINGLE_SURNAMES,
    SUBJECT_LABELS,
    THING_ENDINGS,
    TIMES,
    TRANSLITERATION,
    WHEN_WORDS,
    WHOLE_NAME_LABELS,
    WORDLIKE_SURNAMES,
)
from pia.detection.sql_values import quoted_values
from pia.detection.windows import window_before

_HAN = "\u4e00-\u9fff"
_SURNAME = "(?:" + "|".join(COMPOUND_SURNAMES) + "|[" + SINGLE_SURNAMES + "])"
#: a surname's first character: checked before the labels behind it, so that ``re`` tries
#: those lookbehinds only where a name can start (four times faster on Chinese text)
_STARTS_A_NAME = ("(?=[" + "".join(sorted(set(SINGLE_SURNAMES)
                                          | {name[0] for name in COMPOUND_SURNAMES})) + "])")
_HAN_SURNAME_START = re.compile(_SURNAME)
#: a surname a name run into the text may start with: none of ``WORDLIKE_SURNAMES``
_RUN_IN_SURNAME = ("(?:" + "|".join(COMPOUND_SURNAMES) + "|["
                   + "".join(ch for ch in SINGLE_SURNAMES if ch not in WORDLIKE_SURNAMES) + "])")


def _line_of(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the line holding ``text[start:end]`` starts, and where it stops."""
    stop = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if stop < 0 else stop


def is_a_whole_name(value: str) -> bool:
    """Whether ``value``, the field of a whole-name label (``WHOLE_NAME_LABELS``) with no Han
    surname, reads as a name: 次仁卓玛, 扎西, 阿依古丽·买买提, not 未填写, 前台代收 or 张三已签收.

    Longer than a Han name yet starting like one (方便时回电, 常年有效, 东方明珠塔), it must be
    written in the characters of transliterated names alone (``TRANSLITERATION``): a
    contact field holds everyday phrases as often as it holds names."""
    bare = "".join(ch for ch in value if ch not in NAME_DOTS)
    if len(bare) > 3 and _HAN_SURNAME_START.match(bare) and not set(bare) <= TRANSLITERATION:
        return False
    return not (bare in NOT_WHOLE_NAMES or bare[:2] in NOT_WHOLE_NAMES
                or bare[:3] in NOT_WHOLE_NAMES or bare in NOT_NAMES or bare[:2] in NOT_NAMES
                or bare[:3] in NOT_NAMES or bare[:4] in NOT_NAMES or bare[0] in BLANK_STARTS
                or bare[-1] in NOT_A_GIVEN_NAME_END
                or any(ch in PROSE_IN_A_VALUE for ch in bare)
                or any(word in bare for word in NOT_IN_A_NAME))

#: how far back the label of a value is looked for (a label, its quotes and separator, and
#: up to two earlier names of a list)
_LABEL_REACH = 32
#: what may stand between a label and its value besides a field separator
_PADDING = frozenset(" \t\"'“”‘’「」『』")
_FIELD_MARKS = frozenset("：:=＝")
_LIST_MARK = "、"
#: the quotes around an SQL string (``sql_values``)
_SQL_QUOTES = frozenset("'\"")


_SUBJECTS = frozenset(SUBJECT_LABELS)
_GLUED_LABELS = frozenset(PERSON_LABELS + INTRODUCTIONS)
#: what may stand between a copula and its value: a colon (联系人为：张三, 收件人是: 李四),
#: an opening quote (修改为“李四”, 改为"王芳", 为「赵敏」), or both; never a space alone
#: (联系人为 张三 is not read)
_COPULA_GAP = "(?:[：:] ?)?[\"'“‘「『]?"
_LONGEST_COPULA_GAP = 3
#: a person's label and a word saying what it is, right before a value (联系人为, 收件人写的是,
#: 收货人修改为：“)
_COPULA_AFTER_A_LABEL = re.compile("(?:" + "|".join(PERSON_LABELS) + ")(?:"
                                   + "|".join(COPULAS) + ")" + _COPULA_GAP + "$")
_LONGEST_COPULA_LABEL = (max(map(len, PERSON_LABELS)) + max(map(len, COPULAS))
                         + _LONGEST_COPULA_GAP)
_A_NAME = re.compile(_SURNAME + f"[{_HAN}]{{1,2}}")
#: after a subject label and a space, what must follow a name (用户 张三 登录, Customer 王芳
#: called): a common next word, or an English one as a whole word
_FOLLOWED = re.compile("[ \t]+(?:" + "|".join(FOLLOWERS) + "|(?:"
                       + "|".join(sorted(ENGLISH_FOLLOWERS)) + ")(?![A-Za-z]))")
#: after a name glued to a subject label, what must follow it right away: what the person did
#: (用户王芳下单), or when (会员王芳于2026-08-13下单, 客户李伟在昨天来电: ``WHEN_WORDS``)
_ACTION_OR_TIME = ("(?:已?(?:" + "|".join(ACTIONS) + ")|[" + WHEN_WORDS + "] ?(?:[0-9]|"
                   + "|".join(TIMES) + "))")
_ACTED = re.compile(_ACTION_OR_TIME)
#: a value's last character that is the word saying when, not a given name's end (经办人王芳于
#: 2026-08-13办理, 收货人张三在昨天签收): the name right after its label, which ends where the
#: Chinese characters do, would take 于 in; the name run into the text before 于 is the value
_ENDS_IN_ITS_TIME = re.compile("[" + WHEN_WORDS + "] ?(?:[0-9]|" + "|".join(TIMES) + ")")
_GLUED_SUBJECTS = frozenset(GLUED_SUBJECTS)


def is_labelled(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is the value of a label right before it (same line).

    The label must be the last thing before the value, apart from quotes and spaces around
    a field separator (``客户：``, ``"customer": "``, ``name=``), spaces alone, or nothing.
    After a subject label (用户, 客户, customer...) and spaces alone, a common next word must
    follow the value (用户 张三 登录, Customer 王芳 called; not 用户 修改 密码). A value after 、
    is the next item of a list whose first item is a labelled value. A ``…Name`` key counts by
    its head word, and the value of an ambiguous label must look like a name (``label_of``).
    Glued to a subject label, an action or its time must follow the value right away
    (用户王芳下单, 会员王芳于2026-08-13; not 用户王芳的). Before a title a value must hold a
    given name (客户：欧阳女士 and 收货人：王老先生 name no one).
    """
    if a_title_follows(text, end) and not names_someone(text[start:end]):
        return False
    if _ENDS_IN_ITS_TIME.match(text, end - 1) and _A_NAME.fullmatch(text, start, end - 1):
        return False  # 经办人王芳于2026-08-13: 于 says when; the name is 王芳, not 王芳于
    return _follows_a_label(window_before(text, start, _LABEL_REACH), text[start:end],
                            _FOLLOWED.match(text, end) is not None, 0,
                            _ACTED.match(text, end) is not None)


def _follows_a_label(head: str, value: str, followed: bool, items: int,
                     acted: bool = False) -> bool:
    """Whether ``value``, coming next after ``head``, is a label's value (``is_labelled``);
    ``followed``: a common next word follows it; ``items``: list items before it;
    ``acted``: an action follows it right away."""
    if _COPULA_AFTER_A_LABEL.search(head, len(head) - _LONGEST_COPULA_LABEL) is not None:
        return True  # 联系人为张三, 联系人为：张三: as if glued to the label
    i = len(head)
    while i and head[i - 1] in _PADDING:
        i -= 1
    spaced = i < len(head)
    field = bool(i) and head[i - 1] in _FIELD_MARKS
    if field:
        i -= 1
        while i and head[i - 1] in _PADDING:
            i -= 1
    elif i and head[i - 1] == _LIST_MARK:
        if items == 2:  # two items back and still no label: no list of names
            return False
        if value[-1] in NOT_A_GIVEN_NAME_END:  # the next item of a list must look like a name
            return False
        # the previous item: a name, itself the value of a label (客户：张三、李四)
        j = i - 1
        while j and head[j - 1] in _PADDING:
            j -= 1
        return any(_A_NAME.fullmatch(head, j - size, j) and head[j - size:j] not in NOT_NAMES
                   and _follows_a_label(head[:j - size], head[j - size:j], False, items + 1)
                   for size in (2, 3, 4) if size <= j)
    label, ambiguous = label_of(head[:i])
    if label is None or (ambiguous and value[-1] in NOT_A_GIVEN_NAME_END):
        return False
    if field:
        return True
    if not spaced and not label.isascii():
        # glued: only a label that never starts a longer noun (the patterns' own rule), or a
        # subject label when what the person did follows
        return label in _GLUED_LABELS or (acted and not items and label in _GLUED_SUBJECTS)
    # after a subject label and spaces, the value must be followed by what a person does
    return label not in _SUBJECTS or (followed and not items)


_GLUED_SUBJECT = "(?:" + "|".join(f"(?<={label})" for label in GLUED_SUBJECTS) + ")"


class CnNameRecognizer(PiaPatternRecognizer):
    ENTITY = "CN_NAME"
    PRIORITY = 70
    CONTEXT_FIRST = True
    PATTERNS = [
        Pattern("surname + given name", f"(?<![{_HAN}])" + _SURNAME + f"[{_HAN}]{{1,2}}(?![{_HAN}])",
                0.2),
        # glued to a person's label a name has a Han surname
        Pattern("name right after its label", _STARTS_A_NAME + "(?:" + "|".join(
            f"(?<={label})" for label in PERSON_LABELS + INTRODUCTIONS) + ")"
                + _SURNAME + f"[{_HAN}]{{1,2}}(?![{_HAN}{NAME_DOTS}])", 0.2),
        # after such a label and a word saying what it is (联系人为张三, 收货人修改为李四)
        Pattern("name after its label and 为, 是", _STARTS_A_NAME + "(?:" + "|".join(
            f"(?<={label}{copula})" for label in PERSON_LABELS for copula in COPULAS) + ")"
                + _SURNAME + f"[{_HAN}]{{1,2}}(?![{_HAN}{NAME_DOTS}])", 0.2),
        # after a whole-name label and its separator (姓名：, 收货人=, 联系人: ) it is any run
        # of Chinese characters, with middle dots between its parts, that ends the field
        # (checked by ``is_a_whole_name``). Apart from the glued names above: Hyperscan, which
        # consumes the labels, then flags only lines with such a field, not every label
        # followed by a Chinese character (收件人电话)
        Pattern("name in its label's field", f"(?=[{_HAN}])(?:" + "|".join(
            [f"(?<={label}[：:=])" for label in WHOLE_NAME_LABELS]
            + [f"(?<={label}[：:=] )" for label in WHOLE_NAME_LABELS]) + ")"
                + f"[{_HAN}]{{1,8}}(?:[{NAME_DOTS}][{_HAN}]{{1,8}}){{0,2}}(?![{_HAN}{NAME_DOTS}])",
                0.2),
        Pattern("name run into the text after its label", _STARTS_A_NAME
                + "(?:" + "|".join([f"(?<={label}[：:=])" for label in FIELD_LABELS]
                                 + [f"(?<={label})" for label in PERSON_LABELS]) + ")"
                # the shortest given name that a next word follows: 李四已登录 is 李四
                + _RUN_IN_SURNAME + f"[{_HAN}]{{1,2}}?(?=" + "|".join(FOLLOWERS) + ")", 0.2),
        # in pinyin, in a field of its own (Name: Wang Fang, "customerName": "ZHANG Wei")
        Pattern("name in pinyin", "(?=[A-Z])" + name_pinyin.LABELS + name_pinyin.SURNAME
                + " (?:[A-Z][a-z]{1,11}|[A-Z]{2,12})(?:[ -](?:[A-Z]?[a-z]{1,6}|[A-Z]{2,6}))?"
                + "(?![A-Za-z])", 0.2),
        # a field of its own in an export's row that holds a mobile or a resident ID
        # (李娜,女,3502…,166…: ``in_a_person_row``); strong enough to need no context word,
        # which such a row lacks
        Pattern("name in a person's row", name_rows.FIELD_START + _SURNAME + f"[{_HAN}]{{1,2}}"
                + name_rows.FIELD_END, 0.5),
        # glued to a subject label, run into what the person did or when (用户王芳下单成功,
        # 会员王芳于2026-08-13下单)
        Pattern("name glued to a subject label, then an action or its time", _STARTS_A_NAME
                + _GLUED_SUBJECT + _RUN_IN_SURNAME + f"[{_HAN}]{{1,2}}?(?={_ACTION_OR_TIME})",
                0.2),
        # a full name its title labels from behind (张三先生, 尊敬的李娜女士, ``is_titled``):
        # strong enough to need no label before it
        Pattern("name before its title", _STARTS_A_NAME + name_titles.OPENING + _SURNAME
                + f"[{_HAN}]{{1,2}}(?={name_titles.TITLE})", 0.5),
    ]
    #: Hyperscan drops the lookahead for the action, and would flag every line where a
    #: subject label runs into a surname's character (用户信息, 客户管理): it flags only lines
    #: where an action or its time follows
    LINE_PREFILTERS = {"name glued to a subject label, then an action or its time":
                       _GLUED_SUBJECT + _RUN_IN_SURNAME + f"[{_HAN}]{{1,2}}" + _ACTION_OR_TIME,
                       # rows with such a field only: without its delimiters, the pattern
                       # would report every surname in Chinese prose
                       "name in a person's row": "(?:^|[\\n,\\t|])[\"']?" + _SURNAME
                       + f"[{_HAN}]{{1,2}}" + "[\"']?(?:[\\n,\\t|]|$)",
                       # every label with every word, as the pattern spells them, would exceed
                       # Hyperscan's limit on a pattern's length
                       "name after its label and 为, 是": "(?:" + "|".join(PERSON_LABELS) + ")(?:"
                       + "|".join(COPULAS) + ")" + _SURNAME + f"[{_HAN}]",
                       "name in pinyin": name_pinyin.LINE_PREFILTER,
                       # Hyperscan would drop the title, and flag every surname that starts a
                       # word: it flags only lines where a title follows
                       "name before its title": name_titles.PREFILTER_OPENING + _SURNAME
                       + f"[{_HAN}]{{1,2}}" + name_titles.PREFILTER_TITLE}
    CONTEXT = [*NAME_LABELS, *SUBJECT_LABELS]
    #: room for the longest label and its quotes and separator ("customer": "张三)
    CONTEXT_BEFORE = 12
    CONTEXT_AFTER = 0
    CONTEXT_BOOST = 0.4
    #: words after a surname that make it a noun phrase, not a name
    NOT_GIVEN_NAMES = frozenset(["先生", "女士", "小姐", "老师", "总", "经理", "师傅", "某", "某某"])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # ``score_span`` only narrows what the base class scores, and ``score_spans`` below
        # narrows its batch in the same way: the batch path stays the base class's
        self._own_score_span = False

    def candidate_score(self, value: str, pattern_score: float,
                        maybe_context: bool = True) -> float | None:
        if value.isascii():
            return pattern_score if name_pinyin.is_a_pinyin_name(value) else None
        if not _A_NAME.fullmatch(value):  # a whole-name label's value, with no Han surname
            return pattern_score if len(value) > 1 and is_a_whole_name(value) else None
        given = value[2:] if value[:2] in COMPOUND_SURNAMES else value[1:]
        if (given in self.NOT_GIVEN_NAMES or not PARTICLES.isdisjoint(given) or value in NOT_NAMES
                or value in NOT_WHOLE_NAMES or value[-1] in THING_ENDINGS
                or (len(value) == 3 and value[:2] in NOT_NAMES)):
            return None
        return pattern_score

    def candidate_scores(self, values: list[str], pattern_score: float,
                         maybe_context: list[bool]) -> list[float | None]:
        """``candidate_score`` of each distinct value once: a log repeats its customers' names,
        and a name's score depends on nothing but the name (not on ``maybe_context``)."""
        if not self.validates_as(CnNameRecognizer):
            return super().candidate_scores(values, pattern_score, maybe_context)
        scored = dict.fromkeys(values)
        for value in scored:
            scored[value] = self.candidate_score(value, pattern_score)
        return [scored[value] for value in values]

    def score_span(self, text: str, start: int, end: int, pattern_score: float,
                   maybe_context: bool = True,
                   maybe_negative: bool = True) -> tuple[float, bool] | None:
        """The base class's score, for a value of the label right before it only, or of a
        person's column of an INSERT (``sql_values``); a name before its title scores by its
        title alone (``_titled_score``)."""
        if a_title_pattern(text, [end], pattern_score):
            score = self._titled_score(text, start, end, pattern_score)
            return None if score is None else (score, False)
        scored = super().score_span(text, start, end, pattern_score, maybe_context,
                                    maybe_negative)
        if scored is not None and is_labelled(text, start, end):
            return scored
        line_start, line_stop = _line_of(text, start, end)
        if self._labelled_by_its_line(text, start, end, pattern_score, line_start, line_stop,
                                      quoted_values(text, line_start, line_stop)):
            return round(min(1.0, pattern_score + self.CONTEXT_BOOST), 4), True
        return None

    def _titled_score(self, text: str, start: int, end: int, pattern_score: float) -> float | None:
        """The score of a name the title after it labels (``is_titled``): the pattern's own,
        which no label before the name lifts (客户：李娜女士 is the label's patterns' to score,
        as 客户：李娜 is), or None."""
        if not is_titled(text, start, end):
            return None
        return self.candidate_score(text[start:end], pattern_score)

    def _labelled_by_its_line(self, text: str, start: int, end: int, pattern_score: float,
                              line_start: int, line_stop: int,
                              values: dict[int, tuple[int, str]]) -> bool:
        """Whether a value with no label right before it has one further off on its line: an
        INSERT's column list (``values``, ``sql_values``) or the company of a person's row."""
        return ((bool(values) and self._inserted_as_a_name(text, start, end, pattern_score,
                                                           values))
                or self._a_name_in_a_person_row(text, start, end, pattern_score, line_start,
                                                line_stop))

    def _a_name_in_a_person_row(self, text: str, start: int, end: int, pattern_score: float,
                                line_start: int, line_stop: int) -> bool:
        """A Han name with a surname standing as a field of a person's row
        (``in_a_person_row``), and a name by the recognizer's own rules."""
        value = text[start:end]
        return (_A_NAME.fullmatch(value) is not None
                and name_rows.in_a_person_row(text, start, end, line_start, line_stop)
                and self.candidate_score(value, pattern_score) is not None)

    def _inserted_as_a_name(self, text: str, start: int, end: int, pattern_score: float,
                            values: dict[int, tuple[int, str]]) -> bool:
        """Whether ``text[start:end]`` is the whole of a quoted value an INSERT gives for a
        person's column (``name``, ``real_name``, 姓名; a bare ``name`` only when the value
        looks like a person's name), and a name by the recognizer's own rules."""
        given = values.get(start)
        if given is None or given[0] != end:
            return False
        label, ambiguous = label_of(given[1])
        value = text[start:end]
        if label is None or (ambiguous and value[-1] in NOT_A_GIVEN_NAME_END):
            return False
        return self.candidate_score(value, pattern_score) is not None

    def score_spans(self, text: str, starts: list[int], ends: list[int], pattern_score: float,
                    maybe_context: Sequence[bool], maybe_negative: Sequence[bool],
                    line_bounds: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """``score_span`` of many spans: the base class's batch, then the label check on the
        few it reports; the title pattern's by their titles alone."""
        if a_title_pattern(text, ends, pattern_score):
            return np.array([self._titled_score(text, start, end, pattern_score)
                             for start, end in zip(starts, ends, strict=True)], dtype=np.float64)
        scores = super().score_spans(text, starts, ends, pattern_score, maybe_context,
                                     maybe_negative, line_bounds)
        for index in np.flatnonzero(~np.isnan(scores)).tolist():
            if not is_labelled(text, starts[index], ends[index]):
                scores[index] = np.nan
        # the rest may be labelled further off on their line: each line's INSERTs read once
        lines: dict[int, dict[int, tuple[int, str]]] = {}
        labelled = min(1.0, pattern_score + self.CONTEXT_BOOST)
        for index in np.flatnonzero(np.isnan(scores)).tolist():
            start, end = starts[index], ends[index]
            line_start, line_stop = (_line_of(text, start, end) if line_bounds is None else
                                     (int(line_bounds[0][index]), int(line_bounds[1][index])))
            # an INSERT's quoted value opens right after its quote: no other needs the line read
            values = lines.get(line_start) if text[start - 1] in _SQL_QUOTES else {}
            if values is None:
                values = lines[line_start] = quoted_values(text, line_start, line_stop)
            if self._labelled_by_its_line(text, start, end, pattern_score, line_start,
                                          line_stop, values):
                scores[index] = labelled
        return scores
