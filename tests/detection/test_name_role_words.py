"""CN_NAME after a role word (QA estate 6): a name glued to a Chinese subject label before
when the person acted (会员王芳于2026-08-13下单), and a Han name after an English subject label
in an English sentence (Customer 王芳 called us today, member 李伟 asked for a refund).

Glued to 会员, 客户, 用户… a name counts when an action (客户王芳来电) or its time (于 or 在,
then a date or 今天…) follows it; the given name is the shortest that one follows
(会员李子柒于… is 李子柒), and common words stay what they are (会员周年庆于…, 客户方面于…).
Followed by nothing of the kind, nothing glued to such a label is read (会员李子柒,
客户张家口分公司, 会员高级权益): where a glued name ends is not known. After an English
subject label and a space, a Han word counts before what the person did (called, asked…),
never before anything else (member 平安 branch, Customer 高 priority). Staff named by their
role (客服：王芳, 业务员 李娜, 司机 王建国 已接单) count as after any person's label; glued to
the role they do not (客服经理, 快递员师傅 start nouns). The batch engine, the engine without
a prefilter and Presidio's own ``AnalyzerEngine`` agree on every line.
"""

from __future__ import annotations

import pytest
from test_name import ENGINE, PURE, names, where

from pia.detection.presidio import build_analyzer

ANALYZER = build_analyzer()

#: (line, the names found in it, in order)
CASES: list[tuple[str, list[str]]] = [
    # glued to a subject label, then when the person acted: 于 or 在 and a date or a time
    ("会员王芳于2026-08-13下单", ["王芳"]),
    ("买家王芳于 2026-08-13 14:02 下单", ["王芳"]),
    ("用户李伟在2026-08-13登录", ["李伟"]),
    ("客户王芳于今天来电", ["王芳"]),
    ("员工张伟在昨日打卡", ["张伟"]),
    ("會員王芳於2026-08-13下單", ["王芳"]),  # traditional, 於 for 于
    ("会员李子柒于2026-08-13下单", ["李子柒"]),  # the shortest given name 于 follows
    ("会员欧阳娜娜于2026-08-13下单", ["欧阳娜娜"]),
    ("客户王芳来电，会员李娜于2026-08-13下单", ["王芳", "李娜"]),
    # glued to a person's label, the name ends before 于 or 在 and its time, as it does before
    # an action (经办人王芳已办理): 于 is no given name's end there
    ("经办人王芳于2026-08-13办理", ["王芳"]),
    ("收货人张三在 2026-08-13 签收", ["张三"]),
    ("联系人欧阳娜娜于2026-08-13来电", ["欧阳娜娜"]),
    ("收货人李子柒在昨天签收", ["李子柒"]),
    ("联系人张于 13812345678", ["张于"]),  # 于 with no time after it may end a given name
    # ... and what the same shape holds when it holds no name
    ("会员周年庆于2026-08-13开始", []),  # 周年 is a common word
    ("客户方面于2026-08-13反馈", []),
    ("会员章程于2026-08-13修订", []),
    ("会员高级权益于2026-08-13上线", []),  # 高级权 is followed by 益, not by a time
    ("会员王府井店于2026-08-13开业", []),  # a shop: 店 ends no given name
    ("会员王府井于2026-08-13开业", []),  # a street: 王府 is a common word
    ("客户张家口分公司于2026-08-13成立", []),
    ("客户黄金会员于2026-08-13到期", []),
    ("员工周五在上午打卡", []),
    ("用户马上在今天下单", []),
    ("会员王芳在线", []),  # 在 without a time: 在线 is a word
    ("会员王芳在上海", []),  # where, not when: the end of the name is not known
    ("用户李四于是放弃", []),
    ("会员费于2026年调整", []),
    # glued to a subject label and nothing after it that says a person acted: not read
    ("会员李子柒", []),
    ("会员周年庆", []),
    ("会员等级", []),
    ("会员王府井店", []),
    ("客户张家口分公司", []),
    ("会员高级权益", []),
    ("客户黄金会员", []),
    ("客户方面", []),
    ("会员卡号", []),
    ("客户关怀", []),
    # the forms that were found already still are
    ("客户王芳来电", ["王芳"]),
    ("会员：王芳", ["王芳"]),
    ("会员 王芳 于2026-08-13下单", ["王芳"]),
    ("contact: 张敏", ["张敏"]),
    ("会员 王芳", []),  # a subject label, a space, and no next word: not known
    # an English subject label, a space, a Han name, then what the person did
    ("Customer 王芳 called us today", ["王芳"]),
    ("member 李伟 asked for a refund", ["李伟"]),
    ("Member 王芳 placed an order", ["王芳"]),
    ("guest 王芳 checked in at 14:00", ["王芳"]),
    ("patient 李伟 was admitted", ["李伟"]),
    ("the client 张敏 has paid", ["张敏"]),
    ("Customer 王芳 来电", ["王芳"]),
    ("member 李伟 asked for a refund, customer 王芳 called", ["李伟", "王芳"]),
    ("INFO member=李伟 action=refund", ["李伟"]),
    ('{"member": "李伟"}', ["李伟"]),
    # ... and what it holds when it holds no name
    ("Customer 高 priority", []),
    ("member 平安 branch", []),
    ("member 平安 called", []),  # a company, a common word
    ("client 华为 has renewed", []),
    ("client: 高德", []),  # a client is as often an app
    ("Customer 张家口 branch", []),
    ("customer 平台 is down", []),
    ("The member 王府井 branch", []),
    ("Customer 王芳 hashtag", []),  # has only as a whole word
    ("customer 王芳", []),  # nothing after it
    ("remember 王芳 called", []),  # a label only as a whole word
    ("membership 王芳 called", []),
    ("member_level 黄金 is", []),
    # staff named by their role in a ticket or a log, after a separator (fail without)
    ("客服：王芳 已回复", ["王芳"]),
    ("客服：王芳已回复", ["王芳"]),
    ("业务员：李娜", ["李娜"]),
    ("快递员：张伟已送达", ["张伟"]),
    ("司机 王建国 已接单", ["王建国"]),
    ("坐席：李娜", ["李娜"]),
    ("客服专员：欧阳娜娜", ["欧阳娜娜"]),
    ("理财经理=王芳", ["王芳"]),
    # ... and what such a field holds when it names no one
    ("客服：热线", []),
    ("客服 电话 400-800-8820", []),
    ("客服：小王", []),
    ("客服：张先生", []),
    ("业务员：经理", []),
    ("客服：全天", []),
    ("司机：白班", []),
    ("坐席：任务", []),
    ("销售 金额 1200", []),  # 销售 is no role label: it starts nouns
    # a role glued to a name is not read: 客服经理, 快递员师傅 start nouns
    ("客服王芳已回复", []),
    ("快递员师傅已送达", []),
]


@pytest.mark.parametrize("text,want", CASES, ids=[str(i) for i in range(len(CASES))])
def test_names_after_role_words(text: str, want: list[str]) -> None:
    expected = where(text, want)
    assert names(ENGINE, text) == expected
    assert names(PURE, text) == expected
    for language in ("zh", "en"):  # the recognizer inside Presidio's own engine
        found = ANALYZER.analyze(text, language=language, entities=["CN_NAME"])
        assert sorted((r.start, r.end) for r in found) == expected


def test_lines_in_one_buffer_agree_with_single_lines() -> None:
    # the batch path scores the spans of many lines together
    lines = [text for text, _ in CASES] * 3
    want = [where(text, values) for text, values in CASES] * 3
    for engine in (ENGINE, PURE):
        got = engine.analyze_lines(lines)
        assert [[(m.start, m.end) for m in found if m.entity_type == "CN_NAME"]
                for found in got] == want
