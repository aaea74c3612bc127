"""A Hyperscan prefilter: which patterns can match on which line, in one pass per line.

Python's ``re`` costs about 10 ns per position per pattern, so thirty patterns over a buffer
are thirty passes. Hyperscan runs all of them at once and tells, per line, which patterns
*might* match (prefilter mode: lookarounds dropped or approximated, so it reports a superset)
and which recognizers' context words occur. Only those (pattern, line) pairs are then run with
the recognizer's own Python regex, validator and context scoring — the source of truth — so
results are identical with or without Hyperscan (a test holds the two paths equal). Weak
patterns that only count next to a context word (``CONTEXT_FIRST``) run only on lines that
hold one.

Hyperscan is optional (x86-64 wheels): without it the engine runs every pattern over whole
buffers, which is slower but gives the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pia.detection.recognizer import REPORT_THRESHOLD, PiaPatternRecognizer

try:  # pragma: no cover - depends on the platform's wheels
    import hyperscan
except ImportError:  # pragma: no cover
    hyperscan = None

_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_LEADING_NOT_BEHIND = re.compile(r"^\(\?<!\[([^\]]+)\]\)")
_TRAILING_NOT_AHEAD = re.compile(r"\(\?!\[([^\]]+)\]\)$")


@dataclass(frozen=True, slots=True)
class Job:
    """One pattern of one recognizer, to run on the lines the prefilter selects."""

    recognizer: PiaPatternRecognizer
    regex: re.Pattern[str]
    score: float
    index: int  # the recognizer's index, for context lookups


def to_hyperscan(regex: str) -> str:
    """Rewrite pia's Python idioms into Hyperscan syntax without narrowing the language.

    A leading ``(?<![X])`` becomes ``(?:^|[^X])`` and a trailing ``(?![X])`` becomes
    ``(?:[^X]|$)``: both still match on exactly the lines where the original can. Other
    lookarounds are left to Hyperscan's prefilter mode, which widens them.
    """
    regex = _UNICODE_ESCAPE.sub(lambda m: "\\x{" + m.group(1) + "}", regex)
    regex = _LEADING_NOT_BEHIND.sub(lambda m: "(?:^|[^" + m.group(1) + "])", regex)
    return _TRAILING_NOT_AHEAD.sub(lambda m: "(?:[^" + m.group(1) + "]|$)", regex)


class Prefilter:
    """Compiled once per engine; ``scan(line)`` lists the pattern runs a line needs."""

    def __init__(self, recognizers: Sequence[PiaPatternRecognizer]) -> None:
        if hyperscan is None:
            raise RuntimeError("hyperscan is not installed")
        self.always: list[Job] = []  # patterns Hyperscan cannot compile: run on every line
        self._jobs: list[Job] = []
        self._needs_context: list[int] = []  # job index → recognizer index, or -1
        expressions: list[bytes] = []
        flags: list[int] = []
        ids: list[int] = []
        base = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP
        base |= hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_MULTILINE
        self._context_base = 1 << 20
        self._negative_base = 1 << 21
        converted = {id(p): to_hyperscan(p.regex).encode()
                     for r in recognizers for _c, p in r._compiled}
        together = _compiles(list(converted.values()), base)
        for rec_index, rec in enumerate(recognizers):
            for compiled, pattern in rec._compiled:
                job = Job(rec, compiled, pattern.score, rec_index)
                expression = converted[id(pattern)]
                if not together and not _compiles([expression], base):
                    self.always.append(job)
                    continue
                weak = rec.CONTEXT_FIRST and pattern.score < REPORT_THRESHOLD
                self._needs_context.append(rec_index if weak and rec.context else -1)
                ids.append(len(self._jobs))
                self._jobs.append(job)
                expressions.append(expression)
                flags.append(base)
            word_flags = base & ~hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_CASELESS
            for words, id_base in ((rec.context or [], self._context_base),
                                   (rec.negative_context, self._negative_base)):
                for word in words:
                    expressions.append(re.escape(word).encode())
                    flags.append(word_flags)
                    ids.append(id_base + rec_index)
        self._db = hyperscan.Database()
        self._db.compile(expressions=expressions, ids=ids, elements=len(expressions),
                         flags=flags)
        self._scratch = hyperscan.Scratch(self._db)

    def scan(self, line: str) -> tuple[list[Job], set[int]]:
        """The jobs ``line`` needs, and the raw hit ids (for ``context_hit``)."""
        hits: set[int] = set()
        self._db.scan(line.encode("utf-8", "replace"), match_event_handler=self._collect,
                      context=hits, scratch=self._scratch)
        base = self._context_base
        needs = self._needs_context
        jobs = [self._jobs[i] for i in sorted(h for h in hits if h < base)
                if needs[i] < 0 or base + needs[i] in hits]
        if self.always:
            jobs += self.always
        return jobs, hits

    @staticmethod
    def _collect(match_id: int, _from: int, _to: int, _flags: int, hits: set[int]) -> None:
        hits.add(match_id)

    def context_hit(self, job: Job, hits: set[int]) -> bool:
        return self._context_base + job.index in hits

    def negative_hit(self, job: Job, hits: set[int]) -> bool:
        return self._negative_base + job.index in hits


def _compiles(expressions: list[bytes], flags: int) -> bool:
    """Whether Hyperscan accepts these expressions (checked together first: one compile)."""
    try:
        hyperscan.Database().compile(expressions=expressions, ids=list(range(len(expressions))),
                                     elements=len(expressions), flags=[flags] * len(expressions))
    except hyperscan.HyperscanError:
        return False
    return True


def build_prefilter(recognizers: Sequence[PiaPatternRecognizer]) -> Prefilter | None:
    """A prefilter when Hyperscan is available, else None (the engine then scans buffers)."""
    if hyperscan is None:
        return None
    return Prefilter(recognizers)
