"""The Hyperscan databases of a ``scanner.BufferScanner``: which mode each pattern runs in,
compiled and cached per user (``hs_cache``).

Compiling pia's built-in patterns costs seconds (each is first compiled alone, to learn
whether Hyperscan takes it exactly, then all together). A user's recognizer file, or a
plugin's, is compiled into databases of its own: editing it and running ``pia detect
--recognizers`` again compiles its few patterns, while the built-in databases come from the
cache (the scanner splits each origin's patterns into groups: token patterns, the others,
the words). Each database numbers its patterns and words from zero, so that adding recognizers
never renames the built-in ones; ``Database.globalize`` gives the scanner's numbers back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pia.detection import hs_cache

try:  # pragma: no cover - depends on the platform's wheels
    import hyperscan
except ImportError:  # pragma: no cover
    hyperscan = None

#: Hyperscan ids from here on are context and negative-context words
WORD_BASE = 1 << 20

#: how Hyperscan may run a pattern: exact expressions (best first) and their flags, then the
#: expression and flags for flagging lines only
Probe = tuple[tuple[bytes, ...], int, bytes, int]
#: in the cache's request: entries from before the "widened" mode said "exact" for both
MODES_FORMAT = "exact-or-widened"


@dataclass(frozen=True, slots=True)
class Database:
    """One compiled database, and the scanner's numbers of its patterns and words."""

    compiled: hs_cache.Compiled
    jobs: np.ndarray  # local pattern id → the scanner's job index
    words: np.ndarray  # local word id → the scanner's word row
    has_jobs: bool = True
    has_words: bool = True

    def globalize(self, ids: np.ndarray) -> np.ndarray:
        """The scanner's ids (job index, or ``WORD_BASE`` + word row) of local ids."""
        if not self.has_words:
            return self.jobs[ids]
        if not self.has_jobs:
            return WORD_BASE + self.words[ids - WORD_BASE]
        is_word = ids >= WORD_BASE
        out = np.empty_like(ids)
        out[~is_word] = self.jobs[ids[~is_word]]
        out[is_word] = WORD_BASE + self.words[ids[is_word] - WORD_BASE]
        return out


def compile_groups(probes: list[Probe | None], words: list[bytes],
                   job_groups: list[int], word_groups: list[int]
                   ) -> tuple[list[str], list[Database]]:
    """Each job's mode and one database per group of jobs and words (the scanner's groups:
    the built-in ones first), each compiled or loaded from the cache on its own."""
    modes = ["always"] * len(probes)
    databases: list[Database] = []
    for group in sorted(set(job_groups) | set(word_groups)):
        jobs = [i for i, g in enumerate(job_groups) if g == group]
        rows = [r for r, g in enumerate(word_groups) if g == group]
        local, compiled = _compile([probes[i] for i in jobs], [words[r] for r in rows])
        for i, mode in zip(jobs, local, strict=True):
            modes[i] = mode
        if compiled is not None:
            databases.append(Database(compiled, np.array(jobs or [0], dtype=np.int64),
                                      np.array(rows or [0], dtype=np.int64),
                                      bool(jobs), bool(rows)))
    return modes, databases


def _compile(probes: list[Probe | None],
             words: list[bytes]) -> tuple[list[str], hs_cache.Compiled | None]:
    """Each job's mode and the compiled database, cached per user: job ``i`` gets Hyperscan
    id ``i``, word ``w`` gets ``WORD_BASE + w``.

    A mode is ``exact`` (the first exact expression compiled: the pattern's own language,
    lookarounds aside), ``widened`` (a later one: its bounded repeats opened), ``line`` (only
    lines are flagged) or ``always`` (Hyperscan cannot run it)."""
    word_flags = (hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_MULTILINE
                  | hyperscan.HS_FLAG_CASELESS)
    header, database = hs_cache.compile_cached(
        [probes, words, word_flags, MODES_FORMAT], lambda: _build(probes, words, word_flags),
        lambda header: len(header["modes"]) == len(probes))
    return header["modes"], database


def _build(probes: list[Probe | None], words: list[bytes], word_flags: int) -> hs_cache.Build:
    """Which mode each job runs in (probing what Hyperscan compiles), and the expressions."""
    modes: list[str] = []
    expressions: list[bytes] = []
    flags: list[int] = []
    ids: list[int] = []
    for index, probe in enumerate(probes):
        exact = None if probe is None else next(
            (rank for rank, expression in enumerate(probe[0])
             if compiles(expression, probe[1])), None)
        if probe is not None and exact is not None:
            modes.append("exact" if exact == 0 else "widened")
            expressions.append(probe[0][exact])
            flags.append(probe[1])
        elif probe is not None and compiles(probe[2], probe[3]):
            modes.append("line")
            expressions.append(probe[2])
            flags.append(probe[3])
        else:
            modes.append("always")
            continue
        ids.append(index)
    for row, word in enumerate(words):
        expressions.append(word)
        flags.append(word_flags)
        ids.append(WORD_BASE + row)
    return {"modes": modes}, expressions, ids, flags


def compiles(expression: bytes, flags: int) -> bool:
    """Whether Hyperscan compiles ``expression`` alone with ``flags``."""
    try:
        hyperscan.Database().compile(expressions=[expression], ids=[0], elements=1,
                                     flags=[flags])
    except hyperscan.HyperscanError:
        return False
    return True
