"""Context windows searched together equal windows searched one by one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pia.detection.recognizer import _context_regex
from pia.detection.windows import window_after, window_before, windows_matching

WORDS = _context_regex(["id", "id card", "card no", "身份证", "Σοφία", "sn", "卡号"])
#: pieces that make words, near words (valid ⊃ id), boundaries at window edges, and
#: characters whose lowercase changes length (İ) or depends on neighbours (final sigma)
PIECES = ["id", "ID", "valid", "Id card", "身份证", "身份", "ΣΟΦΊΑ", "Σ", "ς", "İ", "sn", "SN",
          "snow", "卡号", "card", "no", "x", " ", "：", "_", "1"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=4).map("".join), max_size=10))
def test_windows_searched_together_equal_one_by_one(windows: list[str]) -> None:
    assert windows_matching(WORDS, windows) == [
        WORDS.search(window.lower()) is not None for window in windows]


def test_windows_stop_at_the_line_and_take_one_more_character_before() -> None:
    text = "身份证号\nxxqid 110101199003074573 sn=1"
    start = text.index("110")
    assert window_before(text, start, 3) == "qid "  # one more than the width: "id" whole
    assert window_before(text, start, 40) == "\nxxqid "  # not into the line before
    assert window_after(text, start + 18, 4) == " sn="
    assert window_after("a1\nb", 2, 8) == ""
