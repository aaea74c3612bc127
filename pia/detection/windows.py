"""The windows of text around a candidate where its context words are looked for.

A recognizer looks for its words a few characters before a candidate (and, for context, a few
after), on the candidate's line only. The window before takes one character more than its
width, so a word cut by the edge ("qfv" → "v") is seen whole. Words are matched in the
lowercased window, with ASCII words bounded by non-letters: the window's edges count as such.

``score_span`` searches one candidate's windows; the batch engine searches thousands at once
with ``windows_matching``, which joins them with newlines (no word holds one, and a newline
bounds a word just as a window edge does) and runs the regex once over the lot.
"""

from __future__ import annotations

import re

import numpy as np


def window_before(text: str, start: int, width: int) -> str:
    """Up to ``width`` + 1 characters before ``start``, not reaching into the previous line."""
    lo = start - width
    if lo < 0:
        lo = 0
    newline = text.rfind("\n", lo, start)
    if newline >= 0:
        lo = newline + 1
    return text[lo - 1 if lo else 0:start]


def window_after(text: str, end: int, width: int) -> str:
    """Up to ``width`` characters after ``end``, not reaching into the next line."""
    hi = end + width
    newline = text.find("\n", end, hi)
    return text[end:hi if newline < 0 else newline]


def windows_matching(words: re.Pattern[str], windows: list[str]) -> list[bool]:
    """Whether ``words.search(window.lower())`` finds something, for each window.

    Lowercasing the joined windows equals joining the lowercased ones (a newline is neither
    cased nor case-ignorable, so even the Greek final sigma comes out the same), unless some
    character lowercases to several: then each window is searched on its own.
    """
    if not windows:
        return []
    joined = "\n".join(windows)
    lowered = joined.lower()
    if len(lowered) != len(joined):
        return [words.search(window.lower()) is not None for window in windows]
    found = [False] * len(windows)
    positions = [match.start() for match in words.finditer(lowered)]
    if positions:
        # window k spans [ends[k-1], ends[k] - 1): its separator is the character before ends[k]
        ends = np.cumsum(np.fromiter(map(len, windows), dtype=np.int64, count=len(windows)) + 1)
        for index in np.searchsorted(ends, positions, "right").tolist():
            found[index] = True
    return found
