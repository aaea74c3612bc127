"""The Hyperscan buffer scanner: its regex rewrites, and answers equal to plain ``re``.

The scanner takes candidate spans from Hyperscan and confirms them with each recognizer's own
regex; where the two disagree it falls back to ``finditer``. These tests hold the engine equal
to the pure-``re`` engine on inputs built to hit the edges: values at line starts and ends,
guards that are newlines, long digit runs, ``+86`` prefixes the mobile pattern must refuse,
full-width digits (multi-byte in UTF-8), and user patterns with lookarounds Hyperscan cannot
compile.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pia.detection.engine import DetectionEngine, default_engine
from pia.detection.registry import build_registry
from pia.detection.scanner import drop_lookarounds, to_hyperscan, widen_repeats

ENGINE = default_engine()
PURE = DetectionEngine(prefilter=False)

pytestmark = pytest.mark.skipif(not ENGINE.uses_prefilter, reason="hyperscan is not available")

#: pieces that make candidates, near misses and context, joined at random
PIECES = [
    "13812345678", "138 1234 5678", "+86 13912345678", "+86-13912345678", "(+86)13712345678",
    "0086 15012345678", "12345678901", "110101199003074573", "11010119900307457X",
    "110101900307457", "6222021234567890128", "4111 1111 1111 1111", "91350100M000100Y43",
    "E12345678", "G1234567", "京A12345", "沪AD12345", "010-87654321", "zs@example.com",
    "a..b@example.com", "li.si@mail.corp.com.cn", "u" * 66 + "@a.cn",
    "a@b.abcdefghijklmnopqrstuvwxyzab", "192.168.1.1", "0.0.0.0", "1.2.3.4.5", "fe80::1", "2024113012345678901",
    "１３８１２３４５６７８", "༡༣༨༡༢༣༤༥༦༧༨", "身份证", "手机", "订单号", "trace=", "tel:", "卡号",
    "护照", "姓名张三", "联系人：李四，", "联系人", "收货人", "王小明", "关系", "欧阳", "北京市朝阳区建国路88号", "id", "sn", "x", "号", "：", " ",
    "-", "\u3000", "=", ",", ".", "0", "9", "A",
]

lines_strategy = st.lists(
    st.lists(st.sampled_from(PIECES), min_size=0, max_size=8).map("".join),
    min_size=1, max_size=12,
)


def test_drop_lookarounds_keeps_classes_and_escapes() -> None:
    assert drop_lookarounds(r"(?<![0-9])(?<!\+86 )1[3-9](?![0-9]|\.[0-9])") == "1[3-9]"
    # parentheses inside a class or escaped do not end a group
    assert drop_lookarounds(r"(?<![()\]])a\(b(?=[)])") == r"a\(b"
    assert drop_lookarounds(r"(?:x|(?!y)z)+") == "(?:x|z)+"


def test_widen_repeats_opens_bounded_repeats_only() -> None:
    assert widen_repeats(r"[a-z]{0,63}@[a-z]{2,24}\.[0-9]{4}") == r"[a-z]*@[a-z]{2,}\.[0-9]{4}"
    # braces inside a class, escaped, or in a code point are not repeats
    assert widen_repeats(r"[{1,2}]\{1,2\}\x{4e00}{1,2}") == r"[{1,2}]\{1,2\}\x{4e00}{1,}"


def test_to_hyperscan_turns_guards_into_characters() -> None:
    assert to_hyperscan(r"(?<![0-9A-Za-z])[1-9]\u4e00(?![0-9A-Za-z])") == (
        r"(?:^|[^0-9A-Za-z])[1-9]\x{4e00}(?:[^0-9A-Za-z]|$)")


def test_to_hyperscan_consumes_a_leading_label() -> None:
    assert to_hyperscan(r"(?:(?<=姓名)|(?<=联系人))[王李](?![0-9])") == (
        r"(?:姓名|联系人)[王李](?:[^0-9]|$)")
    assert to_hyperscan(r"(?<=工号)[A-Z]{2}") == r"(?:工号)[A-Z]{2}"
    # a lookahead for the value's first character, before the label, is dropped
    assert to_hyperscan(r"(?=[王李])(?:(?<=姓名)|(?<=联系人))[王李]") == r"(?:姓名|联系人)[王李]"
    # a lookbehind that is not plain text stays, to be dropped as any other lookaround
    assert to_hyperscan(r"(?<=(a))b") == r"(?<=(a))b"


@settings(max_examples=300, deadline=None)
@given(lines_strategy)
def test_engine_equals_plain_re_on_generated_lines(lines: list[str]) -> None:
    assert ENGINE.analyze_lines(lines) == PURE.analyze_lines(lines)
    text = "\n".join(lines)
    assert ENGINE.analyze(text) == PURE.analyze(text)


USER_RECOGNIZERS = """
recognizers:
  - name: EmployeeIdRecognizer
    supported_entity: EMPLOYEE_ID
    supported_language: zh
    patterns:
      # a positive lookbehind and a lookahead in the middle: Hyperscan only sees a superset
      - {name: employee id, regex: "(?<=工号)(?=[A-Z])[A-Z]{2}[0-9]{4}(?![0-9])", score: 0.7}
      # no guards at all: spans inside longer runs are real matches here
      - {name: badge, regex: "B[0-9]{3}", score: 0.6}
      # several ends from one start: the greedy match takes the last, the lazy one the first
      - {name: lot, regex: "L[0-9]{2,4}", score: 0.6}
      - {name: lazy lot, regex: "Z[0-9]{2,4}?", score: 0.6}
      # a lookbehind that is no guard: Hyperscan drops it and reports spans it refuses
      - {name: desk, regex: "(?<!X)D[0-9]{3}(?![0-9])", score: 0.6}
    context: [工号]
"""


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES + ["工号", "EM1234", "B123", "B1234", "BB123",
                                                  "L12345", "L1", "Z12345", "LZ123", "XD123", "D123"]),
                         max_size=8).map("".join), min_size=1, max_size=8))
def test_user_patterns_with_lookarounds_equal_plain_re(tmp_path_factory, lines) -> None:
    path = Path(tmp_path_factory.mktemp("rec")) / "user.yaml"
    path.write_text(USER_RECOGNIZERS, encoding="utf-8")
    engine, pure = _user_engines(path)
    assert engine.analyze_lines(lines) == pure.analyze_lines(lines)


_ENGINES: dict[str, tuple[DetectionEngine, DetectionEngine]] = {}


def _user_engines(path: Path) -> tuple[DetectionEngine, DetectionEngine]:
    if "user" not in _ENGINES:
        registry = build_registry([path])
        _ENGINES["user"] = (DetectionEngine(registry), DetectionEngine(registry, prefilter=False))
    return _ENGINES["user"]


def test_guard_that_is_a_newline_and_values_at_both_ends() -> None:
    lines = ["13812345678", "x", "110101199003074573", "tel 13912345678", "13712345678 end"]
    assert ENGINE.analyze_lines(lines) == PURE.analyze_lines(lines)
    assert [[(m.entity_type, m.start) for m in ms] for ms in ENGINE.analyze_lines(lines)] == [
        [("CN_MOBILE", 0)], [], [("CN_RESIDENT_ID", 0)], [("CN_MOBILE", 4)], [("CN_MOBILE", 0)]]


def test_mobile_after_plus86_is_reported_once_with_its_prefix() -> None:
    line = "电话 +86 13912345678，备用(+86)13712345678"
    found = [(m.entity_type, line[m.start:m.end]) for m in ENGINE.analyze(line)]
    assert found == [("CN_MOBILE", "+86 13912345678"), ("CN_MOBILE", "(+86)13712345678")]
    assert ENGINE.analyze(line) == PURE.analyze(line)


def test_long_digit_runs_give_nothing() -> None:
    run = "2024" + "1" * 40
    assert ENGINE.analyze(f"订单{run}，流水 {run[:25]}") == []


def test_big_text_is_analysed_in_bounded_buffers() -> None:
    lines = [f"第{i}行 手机13812345678 身份证110101199003074573" for i in range(40000)]
    text = "\n".join(lines)
    matches = ENGINE.analyze(text)
    assert len(matches) == 80000
    assert {text[m.start:m.end] for m in matches} == {"13812345678", "110101199003074573"}


def test_unicode_escapes_become_hyperscan_code_points() -> None:
    regex = to_hyperscan(r"\u59d3\u540d[:：]")
    assert regex == r"\x{59d3}\x{540d}[:：]"
    assert re.fullmatch(r"\\x\{[0-9a-f]{4}\}\\x\{[0-9a-f]{4}\}\[:：\]", regex)


def test_a_span_the_regex_refuses_goes_to_finditer(tmp_path) -> None:
    import numpy as np

    from pia.detection.confirm import confirm_spans

    path = tmp_path / "user.yaml"
    path.write_text(USER_RECOGNIZERS, encoding="utf-8")
    engine, pure = _user_engines(path)
    line = "XD123 D123"
    scanner = engine._scanner
    hits = scanner.scan(line, [0])
    disputed: set[tuple[int, int]] = set()
    edges = np.array([0]), np.array([len(line)])
    confirmed = list(confirm_spans(hits.spans, scanner.jobs, line, *edges,
                                   len(engine.recognizers), hits.context, disputed))
    employee = {i for i, job in enumerate(scanner.jobs) if job.recognizer.entity == "EMPLOYEE_ID"}
    assert {job for job, _line in disputed} & employee  # Hyperscan saw XD123's D123 too
    assert not {group.job_id for group in confirmed} & employee  # its spans are dropped
    found = [(m.entity_type, line[m.start:m.end]) for m in engine.analyze(line)]
    assert found == [("EMPLOYEE_ID", "D123")] and engine.analyze(line)[0].start == 6
    assert engine.analyze(line) == pure.analyze(line)


@pytest.mark.parametrize("block", [1, 2, 3, 7, 1 << 22])
def test_char_offsets_in_blocks_equal_a_plain_count(monkeypatch, block: int) -> None:
    import numpy as np

    from pia.detection import scanner

    text = "手机１３８ab\n༡༢ x身份证𠀀z\n"
    raw = text.encode()
    offsets = np.array(sorted({len(text[:i].encode()) for i in range(len(text) + 1)}),
                       dtype=np.int64)[::-1].copy()
    monkeypatch.setattr(scanner, "OFFSET_BLOCK", block)
    got = scanner.char_offsets(raw, offsets)
    expected = [len(raw[:b].decode()) for b in offsets.tolist()]
    assert got.tolist() == expected


def test_a_long_line_in_small_offset_blocks_gives_the_same_matches(monkeypatch) -> None:
    from pia.detection import scanner

    line = "，".join(f"客户手机1381234{i:04d} 身份证110101199003074573" for i in range(300))
    expected = PURE.analyze_lines([line])
    monkeypatch.setattr(scanner, "OFFSET_BLOCK", 64)
    assert ENGINE.analyze_lines([line]) == expected
    assert len(expected[0]) == 600


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    list("１３８（＋８６）－．＠ａＢ，：。　༡༢༣‐‑‒–−a1 \n身份证") + ["𠀀", "\ud83d", "\ude00", "\udc80"]),
    max_size=60))
def test_buffer_and_run_normalisation_agree(text: str) -> None:
    from pia.detection.normalize import _normalize_buffer, normalize_runs

    expected = normalize_runs(text)
    assert len(expected) == len(text)
    assert _normalize_buffer(text) == expected
    assert _normalize_buffer(text * 100) == expected * 100


def test_a_case_insensitive_recognizer_is_scanned_case_insensitively() -> None:
    from presidio_analyzer import Pattern

    from pia.detection.recognizer import PiaPatternRecognizer
    from pia.detection.registry import Registry

    class TicketRecognizer(PiaPatternRecognizer):
        ENTITY = "TICKET"
        PATTERNS = [Pattern("ticket", r"(?<![0-9A-Za-z])tk-[0-9]{6}(?![0-9A-Za-z])", 0.8)]

    flags = re.MULTILINE | re.IGNORECASE | re.DOTALL
    registry = Registry()
    registry.add([TicketRecognizer(regex_flags=flags)])
    engine = DetectionEngine(registry)
    pure = DetectionEngine(registry, prefilter=False)
    lines = ["工单 TK-123456 已关闭", "tk-654321", "Tk-000001x"]
    assert engine.analyze_lines(lines) == pure.analyze_lines(lines)
    assert [len(found) for found in engine.analyze_lines(lines)] == [1, 1, 0]


def test_threads_can_share_one_engine() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from pia.sample.corpus import labelled_lines

    batches = [[text for text, _ in labelled_lines(400, seed=seed)] for seed in range(6)]
    expected = [ENGINE.analyze_lines(batch) for batch in batches]
    with ThreadPoolExecutor(max_workers=3) as pool:
        assert list(pool.map(ENGINE.analyze_lines, batches * 2)) == expected * 2


def test_an_ascii_recognizer_keeps_its_ascii_classes() -> None:
    from presidio_analyzer import Pattern

    from pia.detection.recognizer import PiaPatternRecognizer
    from pia.detection.registry import Registry

    class CodeRecognizer(PiaPatternRecognizer):
        ENTITY = "CODE"
        # under re.ASCII, [^\d] also takes non-ASCII digits such as ٣
        PATTERNS = [Pattern("code", r"K[^\d][0-9]{4}", 0.8)]

    registry = Registry()
    registry.add([CodeRecognizer(regex_flags=re.MULTILINE | re.ASCII)])
    engine = DetectionEngine(registry)
    lines = ["K٣1234", "Kx1234", "K11234"]
    assert engine.analyze_lines(lines) == DetectionEngine(registry, prefilter=False).analyze_lines(
        lines)
    assert [len(found) for found in engine.analyze_lines(lines)] == [1, 1, 0]


def test_a_start_with_several_ends_is_confirmed_by_its_longest() -> None:
    """``a@b.example.com`` also ends at ``a@b.example.`` (the dot is a valid guard): the
    regex's match reaches the last end, so the line needs no ``finditer``."""
    import numpy as np

    from pia.detection.confirm import confirm_spans

    line = "mail li.si@mail.corp.com.cn, card 6222 0212 3456 7890 128 ok"
    scanner = ENGINE._scanner
    hits = scanner.scan(line, [0])
    email = {i for i, job in enumerate(scanner.jobs) if job.recognizer.entity == "EMAIL_ADDRESS"}
    assert email and all(scanner.jobs[i].exact for i in email)
    assert not hits.lines  # no pattern is left to flag lines only
    disputed: set[tuple[int, int]] = set()
    confirmed = list(confirm_spans(hits.spans, scanner.jobs, line, np.array([0]),
                                   np.array([len(line)]), len(ENGINE.recognizers),
                                   hits.context, disputed))
    assert not disputed
    spans = {(line[s:e]) for group in confirmed if group.job_id in email
             for s, e in zip(group.starts.tolist(), group.ends.tolist(), strict=True)}
    assert spans == {"li.si@mail.corp.com.cn"}
    assert ENGINE.analyze(line) == PURE.analyze(line)


def test_reports_of_a_huge_buffer_go_to_a_typed_array(monkeypatch) -> None:
    """Above ``COMPACT_REPORTS`` bytes, Hyperscan's reports are kept at 8 bytes an int
    (a list of Python ints costs 36): the same answers either way."""
    from pia.detection import scanner

    lines = [f"客户手机1381234{i:04d}，身份证110101199003074573，邮箱u{i}@a.cn" for i in range(200)]
    expected = PURE.analyze_lines(lines)
    monkeypatch.setattr(scanner, "COMPACT_REPORTS", 64)
    assert ENGINE.analyze_lines(lines) == expected
    assert sum(map(len, expected)) == 600


def test_a_recognizer_that_scores_its_own_way_is_asked_span_by_span() -> None:
    """The batch engine calls ``score_spans``; a subclass that overrides ``score_span``
    still decides, as it does under Presidio."""
    from presidio_analyzer import Pattern

    from pia.detection.recognizer import PiaPatternRecognizer
    from pia.detection.registry import Registry

    class EvenTicketRecognizer(PiaPatternRecognizer):
        ENTITY = "TICKET"
        PATTERNS = [Pattern("ticket", r"(?<![0-9A-Za-z])TK[0-9]{4}(?![0-9A-Za-z])", 0.8)]

        def score_span(self, text, start, end, pattern_score, maybe_context=True,
                       maybe_negative=True):
            return (0.9, False) if int(text[end - 1]) % 2 == 0 else None

    registry = Registry()
    registry.add([EvenTicketRecognizer()])
    engine = DetectionEngine(registry)
    lines = ["TK1234 TK1235", "x TK0002"]
    assert engine.analyze_lines(lines) == DetectionEngine(registry, prefilter=False).analyze_lines(
        lines)
    assert [[(m.start, m.score) for m in ms] for ms in engine.analyze_lines(lines)] == [
        [(0, 0.9)], [(2, 0.9)]]


def test_a_line_prefilter_decides_which_lines_a_pattern_runs_on() -> None:
    """A pattern whose label stands too far back for a lookbehind (SET PASSWORD FOR 'u'@'%'
    = '…') runs on the lines its ``LINE_PREFILTERS`` regex flags, not on every ``= '``."""
    from presidio_analyzer import Pattern

    from pia.detection.recognizer import PiaPatternRecognizer
    from pia.detection.registry import Registry

    class TicketRecognizer(PiaPatternRecognizer):
        ENTITY = "TICKET"
        PATTERNS = [Pattern("ticket", r"(?<=: )[0-9]{4}(?![0-9])", 0.8)]
        LINE_PREFILTERS = {"ticket": r"(?<=ticket)[^\n]*: [0-9]"}

        def score_span(self, text, start, end, pattern_score, maybe_context=True,
                       maybe_negative=True):
            line = text[text.rfind("\n", 0, start) + 1:start]
            return (0.9, False) if "ticket" in line else None

    registry = Registry()
    registry.add([TicketRecognizer()])
    engine = DetectionEngine(registry)
    (job,) = engine._scanner.jobs
    assert not job.exact and not engine._scanner.always
    lines = ["ticket for u: 1234", "other: 5678", "x: 0001 ticket 9: 0002"]
    buffer = "\n".join(lines)
    assert engine._scanner.scan(buffer, [0, 19, 31]).lines == {(0, 0), (0, 2)}
    assert engine.analyze_lines(lines) == DetectionEngine(registry, prefilter=False).analyze_lines(
        lines)
    assert [[line[m.start:m.end] for m in ms] for line, ms in zip(
        lines, engine.analyze_lines(lines), strict=True)] == [["1234"], [], ["0002"]]


def test_a_labelled_pattern_flags_lines_instead_of_reporting_every_look_alike() -> None:
    # without its label, the CN_NAME pattern would report every surname in Chinese prose;
    # without its title (张三先生), the ninth would report every surname that starts a word
    names = [job for job in ENGINE._scanner.jobs if job.recognizer.entity == "CN_NAME"]
    assert [job.exact for job in names] == [True, False, False, False, False, False, False,
                                            False, False]
    line = "备注：王府井附近的联系人王小明 13800138000，收货人张三。"
    assert ENGINE.analyze(line) == PURE.analyze(line)
    assert [line[m.start:m.end] for m in ENGINE.analyze(line) if m.entity_type == "CN_NAME"] == [
        "王小明", "张三"]


def test_boundary_guards_come_last_so_hyperscan_reports_one_end() -> None:
    """A trailing ``(?![0-9A-Za-z])`` becomes a consumed guard only when it ends the pattern;
    anything after it (another lookahead) and Hyperscan reports every end the pattern can
    reach: the IPv4 pattern once went from 4,000 to 9,500 reports on the bench corpus."""
    from pia.detection.registry import build_registry
    from pia.detection.scanner import _TRAILING_NOT_AHEAD

    for rec in build_registry().recognizers():
        for pattern in rec.patterns:
            if "(?![0-9A-Za-z])" in pattern.regex:
                assert _TRAILING_NOT_AHEAD.search(pattern.regex), (rec.name, pattern.name)


def test_every_built_in_pattern_runs_in_hyperscan() -> None:
    # a built-in pattern Hyperscan refuses (too long, say) silently runs ``finditer`` over
    # every buffer instead: correct, but it cost the engine a third of its speed once
    refused = [(ENGINE._scanner.jobs[i].recognizer.name, ENGINE._scanner.jobs[i].regex.pattern[:60])
               for i in ENGINE._scanner.always]
    assert refused == []
