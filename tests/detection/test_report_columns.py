"""Hyperscan's reports as columns: the quick paths give what the plain numpy ones give.

``by_job_then_start`` radix-sorts job ids and checks the starts came in order, else sorts
(job, start) keys; ``line_flags`` or-s bit masks of recognizers per line. Both are held equal
to the straightforward computation, on report-ordered and on shuffled inputs, and the
scanner's two ways of flagging context words are held equal on the bench corpus.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from pia.detection.engine import default_engine
from pia.detection.hs_compile import WORD_BASE
from pia.detection.report_columns import (
    CONTEXT,
    NEGATIVE,
    by_job_then_start,
    line_flags,
    owner_bits,
)
from pia.sample.corpus import labelled_lines

RNG = np.random.default_rng(7)


def _reports(n: int, n_jobs: int) -> tuple[np.ndarray, np.ndarray]:
    """Reports as Hyperscan gives them: by end; each job's starts in order, with repeats."""
    ids = RNG.integers(0, n_jobs, n)
    starts = np.sort(RNG.integers(0, 10 * n, n))
    return ids, starts


def test_spans_in_report_order_sort_by_job_alone() -> None:
    ids, starts = _reports(5000, 40)
    expected = np.argsort(ids << 32 | starts, kind="stable")
    assert np.array_equal(by_job_then_start(ids, starts, 40), expected)


def test_spans_out_of_order_fall_back_to_the_full_sort() -> None:
    ids, starts = _reports(5000, 40)
    shuffled = RNG.permutation(len(ids))
    ids, starts = ids[shuffled], starts[shuffled]
    keys = ids << 32 | starts
    assert not np.array_equal(np.argsort(ids.astype(np.int16), kind="stable"),
                              np.argsort(keys, kind="stable"))
    assert np.array_equal(by_job_then_start(ids, starts, 40), np.argsort(keys, kind="stable"))
    # too many jobs for 16 bits: the full sort too
    assert np.array_equal(by_job_then_start(ids, starts, 1 << 15),
                          np.argsort(keys, kind="stable"))


def _scattered(owners: np.ndarray, kinds: np.ndarray, kind: int, words: np.ndarray,
               lines: np.ndarray, n_lines: int, n_recognizers: int) -> np.ndarray:
    flags = np.zeros(n_lines * n_recognizers, dtype=bool)
    for word, line in zip(words.tolist(), lines.tolist(), strict=True):
        for owner, owner_kind in zip(owners[word].tolist(), kinds[word].tolist(), strict=True):
            if owner >= 0 and owner_kind == kind:
                flags[line * n_recognizers + owner] = True
    return flags


@pytest.mark.parametrize("n_recognizers", [1, 30, 64])
def test_line_flags_equal_a_flag_per_word_and_owner(n_recognizers: int) -> None:
    n_words, width, n_lines = 50, 4, 200
    owners = RNG.integers(-1, n_recognizers, (n_words, width))
    kinds = RNG.integers(0, 2, (n_words, width))
    words = RNG.integers(0, n_words, 3000)
    lines = RNG.integers(0, n_lines, 3000)  # in any order
    bits = owner_bits(owners, kinds, n_recognizers)
    assert bits is not None
    for kind, kind_bits in zip((CONTEXT, NEGATIVE), bits, strict=True):
        got = line_flags(kind_bits, words, lines, n_lines, n_recognizers)
        assert np.array_equal(got, _scattered(owners, kinds, kind, words, lines, n_lines,
                                              n_recognizers))


def test_more_recognizers_than_bits_keep_the_owner_table() -> None:
    owners = np.array([[0, 64]])
    assert owner_bits(owners, np.zeros_like(owners), 65) is None


def test_the_scanners_two_ways_of_flagging_words_agree_on_the_bench_corpus() -> None:
    scanner = default_engine()._scanner
    if scanner is None:
        pytest.skip("hyperscan is not available")
    buffer = "\n".join(text for text, _ in labelled_lines(3000, 3))
    line_starts = np.array([0, *(m.end() for m in re.finditer("\n", buffer))])
    table = scanner._scan_bytes(buffer.encode(), compact=False)
    is_word = table[:, 0] >= WORD_BASE
    words = table[is_word, 0] - WORD_BASE
    lines = np.searchsorted(line_starts, table[is_word, 2] - 1, "right") - 1
    quick = scanner._word_keys(words, lines, len(line_starts))
    bits, scanner._word_bits = scanner._word_bits, None
    try:
        plain = scanner._word_keys(words, lines, len(line_starts))
    finally:
        scanner._word_bits = bits
    assert bits is not None and quick[0].any() and quick[1].any()
    assert all(np.array_equal(a, b) for a, b in zip(quick, plain, strict=True))
