"""Token patterns: spans taken from Hyperscan's reports without ``re.match``, equal to ``re``.

``tokens.token_shape`` admits only patterns whose every match is one whole run of guard-class
characters; the scanner then reads the match off the report's bytes (which side consumed a
guard, whether a refusal such as ``(?<![0-9]\\.)`` holds). These tests hold that path equal
to the pure-``re`` engine on lines built to break it: guards that are multi-byte characters
or newlines, refusals at the buffer start, runs one character too long, and the bench corpus.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pia.detection.engine import DetectionEngine, default_engine
from pia.detection.hs_compile import _build
from pia.detection.scanner import drop_lookarounds, to_hyperscan
from pia.detection.tokens import token_shape
from pia.sample.corpus import labelled_lines

ENGINE = default_engine()
PURE = DetectionEngine(prefilter=False)

pytestmark = pytest.mark.skipif(not ENGINE.uses_prefilter, reason="hyperscan is not available")

RESIDENT_ID = r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])"
USCC = r"(?<![0-9A-Za-z])(?<![0-9]\.)[1-9ANY][1-9][0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z])"


def shape(regex: str, flags: int = re.MULTILINE):
    return token_shape(regex, flags, drop_lookarounds(to_hyperscan(regex)),
                       drop_lookarounds(regex))


def test_token_shapes_are_runs_of_the_guard_class() -> None:
    # a refusal is any fixed sequence of ASCII characters or classes
    plus = shape(r"(?<![0-9A-Za-z])(?<!\+86 )1[3-9][0-9]{9}(?![0-9A-Za-z])")
    assert plus is not None and [len(refusal) for refusal in plus.refusals] == [4]
    resident = shape(RESIDENT_ID)
    assert resident is not None and not resident.refusals
    assert resident.guard[ord("7")] and resident.guard[ord("x")] and not resident.guard[ord(".")]
    uscc = shape(USCC)
    assert uscc is not None and len(uscc.refusals) == 1
    digit, dot = uscc.refusals[0]
    assert digit[ord("5")] and not digit[ord(".")] and dot[ord(".")] and not dot[ord("5")]


@pytest.mark.parametrize("regex", [
    # a separator outside the guard class: a match need not be a whole run
    r"(?<![0-9A-Za-z])[0-9]{4}(?:[ -]?[0-9]{4}){3}(?![0-9A-Za-z])",
    # any other lookaround: Hyperscan drops it, so its language is wider
    r"(?<![0-9A-Za-z])(?<=tel:)1[3-9][0-9]{9}(?![0-9A-Za-z])",
    r"(?<![0-9A-Za-z])(?<!\+8[0-9]{2})1[3-9][0-9]{9}(?![0-9A-Za-z])",
    r"(?<![0-9A-Za-z])[0-9]{6}(?=[0-9])[0-9]{2}(?![0-9A-Za-z])",
    r"(?<![0-9A-Za-z])[0-9]{8}(?!\.[0-9])(?![0-9A-Za-z])",
    # syntax the two engines may read differently, or that is no plain class
    r"(?<![0-9A-Za-z])\d{8}(?![0-9A-Za-z])",
    r"(?<![0-9A-Za-z])[0-9]{,8}(?![0-9A-Za-z])",
    r"(?<![0-9A-Za-z])\x41[0-9]{8}(?![0-9A-Za-z])",
    r"(?i)(?<![0-9A-Za-z])E[0-9]{8}(?![0-9A-Za-z])",
    r"(?<![0-9A-Za-z])[^a-z][0-9]{8}(?![0-9A-Za-z])",
    # guards that differ, that are not ASCII, or that take the newline
    r"(?<![0-9A-Za-z])[0-9]{8}(?![0-9])",
    r"(?<![一-鿿])[王李][一-鿿]{1,2}(?![一-鿿])",
    r"(?<![0-9\n])[0-9]{8}(?![0-9\n])",
    # an empty match is possible, or there is no guard at all
    r"(?<![0-9A-Za-z])[0-9]{0,8}(?![0-9A-Za-z])",
    r"[0-9]{8}",
])
def test_other_patterns_are_no_tokens(regex: str) -> None:
    assert shape(regex) is None


def test_a_pattern_compiled_case_insensitively_is_no_token() -> None:
    assert shape(RESIDENT_ID, re.MULTILINE | re.IGNORECASE) is None


def test_a_widened_expression_is_no_proof() -> None:
    """Hyperscan ran the opened repeats, a wider language: the spans must be confirmed."""
    regex = r"(?<![0-9A-Za-z])[0-9]{6,8}(?![0-9A-Za-z])"
    assert shape(regex) is not None
    widened = "(?:^|[^0-9A-Za-z])[0-9]{6,}(?:[^0-9A-Za-z]|$)"
    assert token_shape(regex, re.MULTILINE, widened, drop_lookarounds(regex)) is None


def test_the_mode_says_when_only_the_widened_expression_compiled() -> None:
    import hyperscan

    flags = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SOM_LEFTMOST
    probes = [((b"[0-9]{4}", b"[0-9]+"), flags, b"[0-9]{4}", 0),
              ((b"(unclosed", b"[0-9]+"), flags, b"[0-9]+", 0)]
    header, expressions, _ids, _flags = _build(probes, [], 0)
    assert header["modes"] == ["exact", "widened"]
    assert expressions == [b"[0-9]{4}", b"[0-9]+"]


def test_built_in_token_patterns_skip_the_confirming_match() -> None:
    tokens = {job.regex.pattern for job in ENGINE._scanner.jobs if job.token is not None}
    assert RESIDENT_ID in tokens and USCC in tokens
    card = [job for job in ENGINE._scanner.jobs if job.recognizer.entity == "CN_BANK_CARD"]
    assert card and all(job.exact and job.token is None for job in card)


ADVERSARIAL = [
    "110101199003074573",  # the buffer's first character
    "1.110101900307457 2.11010119900307457X",  # a refusal (digit, dot) before a 15-digit id
    "a.110101900307457，id：110101199003074573。",  # multi-byte guards on both sides
    "11010119900307457x1 110101199003074573 1101011990030745731",  # runs one too long
    "E12345678 EE12345678 E1234567 G12345678 GG1234567",
    "12.1234567 x1234567 1234567. 军官证1234567",
    "\t91350100M000100Y43\t1.91350100M000100Y43",
    "（110101199003074573）110101199003074573",
    "１１０１０１１９９００３０７４５７３ 110101199003074573",
    "",
    "9.",
    "110101199003074573",  # a value that ends the buffer
]


def test_adversarial_token_lines_equal_plain_re() -> None:
    assert ENGINE.analyze_lines(ADVERSARIAL) == PURE.analyze_lines(ADVERSARIAL)
    text = "\n".join(ADVERSARIAL)
    assert ENGINE.analyze(text) == PURE.analyze(text)
    found = [[(m.entity_type, m.start, m.end) for m in ms]
             for ms in ENGINE.analyze_lines(ADVERSARIAL)]
    # refused after "12." and "1."; bounded by full-width brackets and digits, and by tabs
    assert found[5] == [("CN_MILITARY_ID", 20, 27), ("CN_MILITARY_ID", 32, 39)]
    assert found[6] == [("CN_USCC", 1, 19)]
    assert found[7] == [("CN_RESIDENT_ID", 1, 19), ("CN_RESIDENT_ID", 20, 38)]
    assert found[8] == [("CN_RESIDENT_ID", 0, 18), ("CN_RESIDENT_ID", 19, 37)]


PIECES = ["110101199003074573", "11010119900307457X", "110101900307457", "91350100M000100Y43",
          "E12345678", "G12345678", "1234567", "12345678", "0", "7", "X", "x", "E", "N",
          ".", "1.", "a.", "。", "，", "：", "(", ")", " ", "-", "\t", "身份证", "护照",
          "１２３", "é"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
                min_size=1, max_size=10))
def test_token_patterns_equal_plain_re_on_generated_lines(lines: list[str]) -> None:
    assert ENGINE.analyze_lines(lines) == PURE.analyze_lines(lines)


def test_the_bench_corpus_equals_plain_re() -> None:
    lines = [text for text, _ in labelled_lines(20000, 3)]  # bench/detect.py's corpus
    assert ENGINE.analyze_lines(lines) == PURE.analyze_lines(lines)
