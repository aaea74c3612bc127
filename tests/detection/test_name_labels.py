"""CN_NAME's label at the end of a window, read by suffixes, as the anchored regex reads it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pia.detection.recognizers.cn.name_labels import _LABEL_AT_END, _LONGEST_LABEL, label_span
from pia.detection.recognizers.cn.name_words import NAME_LABELS, SUBJECT_LABELS

#: labels, labels run into a word before them (xname, 大客户), the ends of labels, and a
#: newline (before which ``$`` also matches)
PIECES = [*NAME_LABELS[:12], *SUBJECT_LABELS[:6], "name", "user", "x", "_", " ", "：", "大",
          "\n", "a", "Name", "ame"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=6).map("".join))
def test_a_label_read_by_suffixes_is_where_the_anchored_regex_finds_it(form: str) -> None:
    match = _LABEL_AT_END.search(form, len(form) - _LONGEST_LABEL)
    assert label_span(form) == (None if match is None else match.span())


def test_the_longest_label_wins_and_an_ascii_one_must_start_a_word() -> None:
    assert label_span("客户姓名") == (2, 4)
    assert label_span("real_name") == (5, 9)
    assert label_span("nickname") is None
    assert label_span("收货人\n") == (0, 3)
    assert label_span("") is None
