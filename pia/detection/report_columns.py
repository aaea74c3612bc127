"""Hyperscan's reports as the engine needs them: spans in order, and per-line word flags.

A buffer of dense log lines gives some 60,000 reports a MiB; each step here is a few numpy
calls over all of them, chosen by measurement (a sort that radix-sorts, bit masks instead of
a scatter per word and owner).
"""

from __future__ import annotations

import numpy as np

#: the kinds of word a recognizer owns
CONTEXT, NEGATIVE = 0, 1


def by_job_then_start(ids: np.ndarray, starts: np.ndarray, n_jobs: int) -> np.ndarray:
    """The stable order of spans by job, then start.

    Hyperscan reports by end, so within a job the starts almost always come in order
    already: a stable sort of the job ids alone (a radix sort, on 16 bits) is then the
    answer, at a tenth of the cost of sorting (job, start) keys, which stays the fallback.
    """
    keys = ids << 32 | starts
    if n_jobs < 1 << 15:
        order = np.argsort(ids.astype(np.int16), kind="stable")
        ordered = keys[order]
        if len(ordered) < 2 or bool((ordered[1:] >= ordered[:-1]).all()):
            return order
    return np.argsort(keys, kind="stable")


def owner_bits(owners: np.ndarray, kinds: np.ndarray,
               n_recognizers: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Per word row, its context owners and its negative-context owners as bit masks (bit
    ``i``: recognizer ``i``); None when there are more recognizers than bits."""
    if n_recognizers > 64:
        return None
    masks = []
    for kind in (CONTEXT, NEGATIVE):
        bits = np.zeros(len(owners), dtype=np.uint64)
        for column in range(owners.shape[1]):
            mine = (owners[:, column] >= 0) & (kinds[:, column] == kind)
            bits[mine] |= np.left_shift(np.uint64(1), owners[mine, column].astype(np.uint64))
        masks.append(bits)
    return masks[0], masks[1]


def line_flags(bits: np.ndarray, words: np.ndarray, lines: np.ndarray, n_lines: int,
               n_recognizers: int) -> np.ndarray:
    """Per line * n_recognizers + recognizer, whether one of ``words`` (rows, on ``lines``)
    is the recognizer's: each line's masks or-ed together, then unpacked to flags (three
    times quicker than scattering a flag per word and owner)."""
    per_line = np.zeros(n_lines, dtype="<u8")
    np.bitwise_or.at(per_line, lines, np.take(bits, words))
    flags = np.unpackbits(per_line.view(np.uint8).reshape(n_lines, 8), axis=1,
                          bitorder="little")
    return flags[:, :n_recognizers].astype(bool).ravel()
