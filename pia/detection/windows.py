"""The windows of text around a candidate where its context words are looked for.

A recognizer looks for its words a few characters before a candidate (and, for context, a few
after), on the candidate's line only. The window before takes one character more than its
width, so a word cut by the edge ("qfv" → "v") is seen whole. Words are matched in the
lowercased window, with ASCII words bounded by non-letters: the window's edges count as such.

A lower-to-upper case change bounds a word too, as in Java's camelCase keys: ``realName``,
``idCardNo`` and ``orderNo`` hold ``name``, ``card`` and ``order``. Lowercasing loses that
boundary, so a window with such a change is also searched in a split form (``real name``),
and a word counts when either form holds it (``realname`` still matches the plain form).

A later item of a bracketed list (``sku_id IN (1380…, 1391…)``, ``"ids": [1, 2]``) has a
second window before it: the one before the list's opening bracket, where the list's label
stands however long the list (``later_item``, ``list_openings``).

``score_span`` searches one candidate's windows; the batch engine searches thousands at once
with ``windows_matching``, which joins them with newlines (no word holds one, and a newline
bounds a word just as a window edge does) and runs the regex once over the lot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_HAS_CAMEL = re.compile(r"[a-z][A-Z]")


#: the key under which a node of a word trie keeps the word that ends there
_WORD_END = ""


def words_regex(words: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for all context words, searched in a *lowercased* window.

    Lowercasing the few characters of a window and matching case-sensitively is ten times
    faster than ``re.IGNORECASE`` over many alternatives. ASCII words need letter boundaries
    (``id`` must not match inside ``valid``): no letter before the word's start (a fixed-width
    lookbehind at its end, ``span(?<![a-z]span)``) and none after it.

    The words are written as a trie (``s(?:pan…|e(?:q…|ssion…))``): at each position ``re``
    follows the one branch the next character allows, instead of trying each of a hundred
    words in turn (negative lists run to a hundred words, most starting with a common letter:
    twice as fast on log lines). Every alternative still starts with a literal, so ``re``
    skips positions no word can start at. A word's end is tried after the longer words it
    starts, so at each position the regex matches the longest word there, as a longest-first
    alternation does: ``finditer`` gives the same matches, ends included (``labels_value``
    reads them).
    """
    root: dict[str, dict] = {}
    for word in {w.lower() for w in words if w}:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_WORD_END] = word
    branches = _trie_branches(root)
    return re.compile("|".join(branches)) if branches else None


def _trie_branches(node: dict) -> list[str]:
    """The alternatives of a trie node: each longer word by its next character, then the
    word ending here (with its boundaries when ASCII)."""
    branches = []
    for char, child in sorted(node.items()):
        if char == _WORD_END:
            continue
        rest = _trie_branches(child)
        branches.append(re.escape(char) + (rest[0] if len(rest) == 1
                                           else "(?:" + "|".join(rest) + ")"))
    word = node.get(_WORD_END)
    if word is not None:
        branches.append(f"(?<![a-z]{re.escape(word)})(?![a-z])" if word.isascii() else "")
    return branches


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


#: what may stand between a list's comma and its next item: spaces and quotes
_ITEM_PADDING = " \t'\"“”‘’"
_LIST_COMMAS = (",", "、")  # a full-width comma is normalised to ","
_BRACKETS = re.compile(r"[()\[\]]")  # full-width ones are normalised too
_OPENERS = frozenset("([")


def later_item(window: str) -> bool:
    """Whether the window before a value ends with a list's comma (spaces and quotes aside):
    the value is a later item of a list, such as ``13912345678`` in ``IN (1380…, 1391…)``."""
    return window.rstrip(_ITEM_PADDING).endswith(_LIST_COMMAS)


#: what each code point up to the last of the list commas is: 1 padding, 2 a comma, 0 else
_LIST_CHARS = np.zeros(max(map(ord, _ITEM_PADDING + "".join(_LIST_COMMAS))) + 2, dtype=np.uint8)
_LIST_CHARS[[ord(char) for char in _ITEM_PADDING]] = 1
_LIST_CHARS[[ord(char) for char in _LIST_COMMAS]] = 2


def later_items(windows: list[str], lengths: np.ndarray | None = None) -> list[int]:
    """The positions of the windows that are ``later_item``s (``lengths``: their lengths,
    when the caller knows them), read from the code points of the windows joined by
    newlines, from each window's last character back over its padding, all windows a step at
    a time: a Python test per window cost a tenth of scoring a pattern's candidates.

    A walk back stops at the newline before a window (or at the one it opens with), which
    is neither padding nor a comma."""
    if lengths is None:
        lengths = np.fromiter(map(len, windows), dtype=np.int64, count=len(windows))
    codes = np.frombuffer("\n".join(windows).encode("utf-32-le", "surrogatepass"),
                          dtype=np.uint32)
    if not len(codes):  # no window, or every one empty
        return []
    kinds = _LIST_CHARS[np.minimum(codes, len(_LIST_CHARS) - 1)]
    at = np.cumsum(lengths + 1) - 2  # each window's last character
    while True:
        padded = (at >= 0) & (kinds[np.maximum(at, 0)] == 1)
        if not padded.any():
            return np.flatnonzero((at >= 0) & (kinds[np.maximum(at, 0)] == 2)).tolist()
        at -= padded


def list_openings(text: str, starts: list[int], line_starts: list[int]) -> list[int]:
    """For each value at ``starts`` (one of the ``later_item``s, on the line starting at
    ``line_starts``), where the bracketed list it is an item of opens: the offset just after
    its ``(`` or ``[``, or -1 when the nearest bracket before it on its line closes a list or
    there is none.

    The brackets of each line are found in one pass up to its last value, and each value
    takes the nearest before it: an IN list of thousands of values costs one pass over it.
    """
    at = np.asarray(starts, dtype=np.int64)
    lines = np.asarray(line_starts, dtype=np.int64)
    order = np.lexsort((at, lines))
    last = np.flatnonzero(np.append(lines[order][1:] != lines[order][:-1], True))
    brackets: list[int] = []
    for line, stop in zip(lines[order][last].tolist(), at[order][last].tolist(), strict=True):
        brackets.extend(match.start() for match in _BRACKETS.finditer(text, line, stop))
    if not brackets:
        return [-1] * len(starts)
    found = np.asarray(brackets, dtype=np.int64)
    nearest = np.searchsorted(found, at) - 1
    bracket = found[np.maximum(nearest, 0)]
    opens = np.array([text[b] in _OPENERS for b in brackets], dtype=bool)[np.maximum(nearest, 0)]
    return np.where((nearest >= 0) & (bracket >= lines) & opens, bracket + 1, -1).tolist()


def _camel_positions(text: str, lowered: str) -> np.ndarray:
    """Where an ASCII capital follows a small letter in ``text`` (of ``lowered``'s length).

    Comparing code points with the lowercased text finds the capitals in C; a regex for
    ``[a-z][A-Z]`` tests every position in Python's engine, a tenth of the engine's whole
    context step on log lines.
    """
    if text == lowered:
        return np.empty(0, dtype=np.int64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    capitals = np.flatnonzero(codes != np.frombuffer(lowered.encode("utf-32-le"),
                                                     dtype=np.uint32))
    capitals = capitals[(capitals > 0) & (codes[capitals] <= 0x5A)]  # A-Z lowercase changes
    before = codes[capitals - 1]
    return capitals[(before >= 0x61) & (before <= 0x7A)]


def folded(window: str) -> tuple[str, ...]:
    """The forms of ``window`` its words are searched in: lowercased, and also split at
    its camelCase boundaries when it has any."""
    lowered = window.lower()
    if _HAS_CAMEL.search(window) is None:
        return (lowered,)
    return lowered, _CAMEL.sub(" ", window).lower()


def window_matches(words: re.Pattern[str], window: str) -> bool:
    """Whether ``words`` occur in ``window`` (in one of its ``folded`` forms)."""
    return any(words.search(form) is not None for form in folded(window))


def windows_matching(words: re.Pattern[str], windows: list[str]) -> list[bool]:
    """``window_matches`` for each window, with one regex pass over them all."""
    return windows_hits(words, windows).tolist()


def windows_hits(words: re.Pattern[str], windows: list[str]) -> np.ndarray:
    """``windows_matching`` as a boolean array, which the batch engine indexes with.

    Lowercasing the joined windows equals joining the lowercased ones (a newline is neither
    cased nor case-ignorable, so even the Greek final sigma comes out the same), unless some
    character lowercases to several: then each window is searched on its own. Windows with
    a camelCase boundary and no word in their plain form get a second pass, split.
    """
    if not windows:
        return np.zeros(0, dtype=bool)
    joined = "\n".join(windows)
    lowered = joined.lower()
    if len(lowered) != len(joined):
        return np.array([window_matches(words, window) for window in windows], dtype=bool)
    positions = [match.start() for match in words.finditer(lowered)]
    camel = _camel_positions(joined, lowered)
    if not positions and not len(camel):  # the common case: no window offsets needed
        return np.zeros(len(windows), dtype=bool)
    ends = _ends(windows)
    found = _found(positions, ends, len(windows))
    again = np.unique(np.searchsorted(ends, camel, "right"))
    again = again[~found[again]].tolist()
    if again:
        # one by one: a window may open with the newline that ends the line before
        split = [_CAMEL.sub(" ", windows[i]).lower() for i in again]
        found[again] = _found([match.start() for match in words.finditer("\n".join(split))],
                              _ends(split), len(split))
    return found


def _ends(windows: list[str]) -> np.ndarray:
    """Where each window of the newline-joined text ends, its separator included: window k
    spans [ends[k-1], ends[k] - 1)."""
    return np.cumsum(np.fromiter(map(len, windows), dtype=np.int64, count=len(windows)) + 1)


def _found(positions: list[int], ends: np.ndarray, count: int) -> np.ndarray:
    """Which of ``count`` joined windows (ending at ``ends``) hold a match at ``positions``."""
    found = np.zeros(count, dtype=bool)
    found[np.searchsorted(ends, np.asarray(positions, dtype=np.int64), "right")] = True
    return found
