"""Context windows searched together equal windows searched one by one."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pia.detection.recognizer import REPORT_THRESHOLD, _context_regex, _reported, _Windows
from pia.detection.windows import (
    folded,
    later_item,
    later_items,
    window_after,
    window_before,
    window_matches,
    windows_matching,
    words_regex,
)

WORDS = _context_regex(["id", "id card", "card no", "身份证", "Σοφία", "sn", "卡号"])
#: pieces that make words, near words (valid ⊃ id), boundaries at window edges, and
#: characters whose lowercase changes length (İ) or depends on neighbours (final sigma)
PIECES = ["id", "ID", "valid", "Id card", "身份证", "身份", "ΣΟΦΊΑ", "Σ", "ς", "İ", "sn", "SN",
          "snow", "卡号", "card", "no", "x", " ", "：", "_", "1", "Card", "No", "Sn", "user",
          "\n"]  # a window before may open with the newline that ends the line before


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=4).map("".join), max_size=10))
def test_windows_searched_together_equal_one_by_one(windows: list[str]) -> None:
    assert windows_matching(WORDS, windows) == [window_matches(WORDS, w) for w in windows]


def test_camel_case_bounds_a_word_and_the_plain_form_still_counts() -> None:
    assert folded("idCardNo") == ("idcardno", "id card no")
    assert folded("id_card") == ("id_card",)
    assert window_matches(WORDS, '{"idCardNo":"')  # "id card" and "card no" in the split form
    assert window_matches(WORDS, "userSn=")
    assert not window_matches(WORDS, "validCardholder")  # "card" runs into "holder"
    assert not window_matches(WORDS, "SNOW")  # all capitals: no boundary inside
    joined = ["valid", '{"idCardNo":"', "snow", "userSn="]
    assert windows_matching(WORDS, joined) == [False, True, False, True]
    # a window before may open with the newline that ends the line before
    assert windows_matching(WORDS, ["x", "\nidCard", "\nvalidCard"]) == [False, True, False]


def test_windows_stop_at_the_line_and_take_one_more_character_before() -> None:
    text = "身份证号\nxxqid 110101199003074573 sn=1"
    start = text.index("110")
    assert window_before(text, start, 3) == "qid "  # one more than the width: "id" whole
    assert window_before(text, start, 40) == "\nxxqid "  # not into the line before
    assert window_after(text, start + 18, 4) == " sn="
    assert window_after("a1\nb", 2, 8) == ""


@st.composite
def spans_in_lines(draw) -> tuple[str, list[int], list[int], tuple[np.ndarray, np.ndarray]]:
    lines = draw(st.lists(st.text(alphabet="ab身 ", max_size=12), min_size=1,
                          max_size=6))
    text = "\n".join(lines)
    firsts = np.cumsum([0] + [len(line) + 1 for line in lines[:-1]])
    starts, ends, line_starts, line_stops = [], [], [], []
    for first, line in zip(firsts.tolist(), lines, strict=True):
        for _ in range(draw(st.integers(0, 3)) if line else 0):
            start = draw(st.integers(0, len(line) - 1))
            end = draw(st.integers(start + 1, len(line)))
            starts.append(first + start)
            ends.append(first + end)
            line_starts.append(first)
            line_stops.append(first + len(line))
    return text, starts, ends, (np.array(line_starts, dtype=np.int64),
                                np.array(line_stops, dtype=np.int64))


@settings(max_examples=300, deadline=None)
@given(spans_in_lines(), st.integers(0, 20), st.integers(0, 20))
def test_windows_cut_by_line_bounds_equal_windows_searched_for_newlines(
        case, width_before: int, width_after: int) -> None:
    text, starts, ends, bounds = case
    every = np.arange(len(starts))
    cut = _Windows(text, starts, ends, every, bounds)
    searched = _Windows(text, starts, ends, every, None)
    assert cut.before(width_before) == searched.before(width_before) == [
        window_before(text, start, width_before) for start in starts]
    assert cut.after(width_after, every) == searched.after(width_after, every) == [
        window_after(text, end, width_after) for end in ends]


@given(st.lists(st.one_of(st.none(), st.floats(0, 1), st.sampled_from([0.45, 0.8, 0.85, 0.7]),
                          st.floats(0, 0.65).map(lambda s: min(1.0, s + 0.35))), max_size=30))
def test_scores_are_dropped_and_rounded_as_one_by_one(scores: list[float | None]) -> None:
    expected = [None if s is None or s < REPORT_THRESHOLD else round(s, 4) for s in scores]
    got = _reported(np.array(scores, dtype=np.float64)).tolist()
    assert [None if np.isnan(s) else s for s in got] == expected


def _longest_first(words: list[str]) -> re.Pattern[str]:
    """The plain alternation ``words_regex`` stands for: each word in turn, longest first,
    ASCII words bounded by non-letters."""
    parts = []
    for word in sorted({w.lower() for w in words}, key=lambda w: (-len(w), w)):
        if word.isascii():
            parts.append(f"(?<![a-z]){re.escape(word)}(?![a-z])")
        else:
            parts.append(re.escape(word))
    return re.compile("|".join(parts))


#: words that share beginnings, ASCII and not (sn, span, s.n; 身份, 身份证), and run into each other
WORD_PIECES = ["s", "sn", "n", "pa", "id", " ", ".", "_", "身", "份", "证", "号", "Σ", "a"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORD_PIECES), min_size=1, max_size=4).map("".join),
                min_size=1, max_size=8),
       st.lists(st.sampled_from(WORD_PIECES + ["x", "\n", "S", "1"]), max_size=30).map("".join))
def test_the_word_trie_matches_what_the_longest_first_alternation_does(
        words: list[str], text: str) -> None:
    trie, plain = words_regex(words), _longest_first(words)
    lowered = text.lower()
    # the same matches, ends included: a negative word's end is where its label's tail starts
    assert [m.span() for m in trie.finditer(lowered)] == [m.span() for m in plain.finditer(lowered)]


def test_a_word_trie_shares_beginnings() -> None:
    regex = words_regex(["sn", "span", "身份", "身份证"])
    assert regex.pattern == "s(?:n(?<![a-z]sn)(?![a-z])|pan(?<![a-z]span)(?![a-z]))|身份(?:证|)"
    assert [m.group() for m in regex.finditer("span sn spans asn 身份证 身份")] == [
        "span", "sn", "身份证", "身份"]
    assert words_regex([]) is None


LIST_PIECES = [",", "、", " ", "'", "“", "\t", "(", "x", "1", "，"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.lists(st.sampled_from(LIST_PIECES), max_size=5)
                          .map("".join)).map(lambda w: "\n" * w[0] + w[1]), max_size=10))
def test_later_items_found_together_equal_one_by_one(windows: list[str]) -> None:
    # a window before may open with the newline that ends the line before, and only there
    expected = [i for i, window in enumerate(windows) if later_item(window)]
    assert later_items(windows) == expected
    assert later_items(windows, np.array([len(window) for window in windows])) == expected


def test_a_later_item_ends_its_window_with_a_comma_and_padding() -> None:
    assert later_items(["IN (1380, ", "IN (", "\n", "\n,", "a、“", "x,y"]) == [0, 3, 4]
