"""Which person label a CN_NAME value's window ends with (``label_of``).

The label is read at the end of the window's lowercased (and camelCase-split) forms: the
longest of ``NAME_LABELS`` and ``SUBJECT_LABELS`` the form ends with, an ASCII one only as a
whole word (no letter before it). A key ending in ``name`` counts by the word before it
(``PERSON_KEYS``, ``THING_KEYS``).
"""

from __future__ import annotations

import re

from pia.detection.recognizers.cn.name_words import (
    AMBIGUOUS_LABELS,
    NAME_LABELS,
    PERSON_KEYS,
    SUBJECT_LABELS,
    THING_KEYS,
)
from pia.detection.windows import folded

_LABELS = NAME_LABELS + SUBJECT_LABELS
_AMBIGUOUS = frozenset(AMBIGUOUS_LABELS)
#: how much of a value's window ``label_of`` reads: a label, and a key's head word before
#: ``name`` (no head word in ``PERSON_KEYS`` or ``THING_KEYS`` is longer than 12 letters)
KEY_REACH = 24
#: what joins a key's words before ``name`` (``real_name``, ``real name`` split from camelCase)
_KEY_JOINERS = frozenset(" _-.")


def label_at_end(labels: tuple[str, ...]) -> re.Pattern[str]:
    """A regex for a label that ends a (lowercased) text; ASCII labels whole words only."""
    parts = [(f"(?<![a-z]){re.escape(label)}" if label.isascii() else re.escape(label))
             for label in sorted(labels, key=len, reverse=True)]
    return re.compile("(?:" + "|".join(parts) + ")$")


#: the regex ``label_span`` answers as, for the text it cannot read by suffixes
_LABEL_AT_END = label_at_end(_LABELS)
_LONGEST_LABEL = max(map(len, _LABELS))


def _reversed_trie(labels: tuple[str, ...]) -> dict:
    """The labels spelt backwards as a trie: a node's ``""`` key marks a label's first
    character."""
    root: dict = {}
    for label in labels:
        node = root
        for char in reversed(label):
            node = node.setdefault(char, {})
        node[""] = True
    return root


_BACKWARDS = _reversed_trie(_LABELS)


def label_span(form: str) -> tuple[int, int] | None:
    """Where the label that ends ``form`` stands, or None: ``_LABEL_AT_END.search`` from
    where the longest label would start, read backwards from the end through the labels'
    trie (the regex tries each of a hundred labels at each of the last dozen positions: ten
    times slower).

    The leftmost match of a regex anchored at the end is the longest label that ends the
    form. A form ending in a newline (before which ``$`` also matches) is left to the regex."""
    if form.endswith("\n"):
        match = _LABEL_AT_END.search(form, len(form) - _LONGEST_LABEL)
        return None if match is None else match.span()
    node, start, starts = _BACKWARDS, len(form), []
    while start:
        node = node.get(form[start - 1])
        if node is None:
            break
        start -= 1
        if "" in node:
            starts.append(start)
    for start in reversed(starts):  # the longest first
        if start and "a" <= form[start - 1] <= "z" and form[start:].isascii():
            continue  # an ASCII label runs into the word before it
        return start, len(form)
    return None


def label_of(text: str) -> tuple[str | None, bool]:
    """The person label ``text`` ends with (as its lowercased, camelCase-split forms read),
    or None, and whether its value must look like a name to count.

    A key ending in ``name`` counts by the word before it: a person's (``real_name``,
    ``receiverName``) makes it a label, a thing's (``skuName``, ``city_name``) no label at
    all; with no such word (``"name":``) or another one (``nickName``) it is ambiguous.
    """
    for form in folded(text[-KEY_REACH:]):
        span = label_span(form)
        if span is None:
            continue
        end = span[0]
        label = form[end:span[1]]
        if label != "name":
            return label, label in _AMBIGUOUS
        if not end or form[end - 1] not in _KEY_JOINERS:
            return label, True  # a bare name
        start = end - 1
        while start and "a" <= form[start - 1] <= "z":
            start -= 1
        word = form[start:end - 1]
        if word in PERSON_KEYS:
            return label, False
        if word in THING_KEYS:
            return None, False
        return label, True
    return None, False
