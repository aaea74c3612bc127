"""One Hyperscan pass over a whole buffer of lines: candidate spans, not just candidate lines.

Calling Hyperscan once per line costs about 5 µs of Python per line, and re-running each
pattern with ``re.finditer`` over the lines it selected another 3–4 µs per (pattern, line).
Here a buffer of many lines is scanned once, and most patterns report the exact span of each
candidate, so Python only confirms it with one anchored ``re.match``:

* **exact** patterns: pia's boundary guards (a leading ``(?<![X])``, a trailing ``(?![X])``)
  are rewritten into consumed characters, other lookarounds are dropped (which only widens
  the language), and Hyperscan reports each candidate with its leftmost start
  (``HS_FLAG_SOM_LEFTMOST``). The recognizer's own regex is then matched at that start, or
  one character later when the start is the consumed guard. A report that the regex does
  not confirm sends the (pattern, line) pair to the slow path below, so answers never depend
  on how faithful the rewrite was. A *token* pattern (a run of guard-class characters, such
  as an 18-digit ID: ``tokens``) needs no ``re.match``: its match is read off the report.
* **line** patterns: those that open with a label lookbehind (a CN_NAME right after 联系人;
  Hyperscan consumes the label, so the start it would report is the label's), and those too
  large for exact mode even with their bounded repeats opened, and those whose recognizer
  gives a regex for the lines they can match on (``LINE_PREFILTERS``: SET PASSWORD's secret,
  whose label stands too far back for a lookbehind). They only say which lines may match;
  ``finditer`` then runs on those lines.

Context and negative-context words are scanned for as well, so the engine knows per line
which recognizers' words occur (and skips window searches and ``CONTEXT_FIRST`` weak
patterns elsewhere). The words, the token patterns and the other patterns are three
databases: Hyperscan scans them one after the other in 15 % less time than all in one. The
recognizer's regex, validator and context scoring stay the source of truth; a test holds
this path equal to plain ``re`` over the same buffers. Which patterns run exactly and the
compiled databases are cached per user (``hs_compile``, ``hs_cache``):
compiling the built-in patterns costs seconds of CPU.
"""

from __future__ import annotations

import array
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pia.detection.hs_compile import WORD_BASE, Probe, compile_groups
from pia.detection.recognizer import REPORT_THRESHOLD, PiaPatternRecognizer
from pia.detection.report_columns import (
    CONTEXT,
    NEGATIVE,
    by_job_then_start,
    line_flags,
    owner_bits,
)
from pia.detection.scripts import script_forms
from pia.detection.tokens import TokenReader, TokenShape, token_shape

try:  # pragma: no cover - depends on the platform's wheels
    import hyperscan
except ImportError:  # pragma: no cover
    hyperscan = None

#: bytes per block when byte offsets are turned into character offsets
OFFSET_BLOCK = 1 << 22
#: buffers longer than this (in bytes) collect Hyperscan's reports in a typed array
COMPACT_REPORTS = 1 << 23

#: which of its origin's databases (``hs_compile`` groups) a pattern or a word is in
PATTERN_PART, TOKEN_PART, WORD_PART = range(3)
_LOOKAROUND_OPEN = ("(?<!", "(?<=", "(?!", "(?=")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
LEADING_NOT_BEHIND = re.compile(r"^\(\?<!\[([^\]]+)\]\)")
#: a leading positive lookbehind of plain text, alone or as a group of alternatives
#: (``(?<=工号)``, ``(?:(?<=姓名)|(?<=联系人))``): a label the value is written after. It
#: may follow a lookahead for the value's first character (``(?=[王李])``), which lets
#: ``re`` skip most positions before trying every label.
LEADING_LABEL = re.compile(r"^(?:\(\?=\[[^\]]+\]\))?"
                           r"(?:\(\?<=[^()\\]+\)|\(\?:\(\?<=[^()\\]+\)(?:\|\(\?<=[^()\\]+\))*\))")
_LABEL_TEXT = re.compile(r"\(\?<=([^()\\]+)\)")
_TRAILING_NOT_AHEAD = re.compile(r"\(\?!\[([^\]]+)\]\)$")
_BOUNDED_REPEAT = re.compile(r"\{([0-9]+),[0-9]+\}")


@dataclass(frozen=True, slots=True)
class PatternJob:
    """One pattern of one recognizer, as the scanner runs it."""

    recognizer: PiaPatternRecognizer
    regex: re.Pattern[str]
    score: float
    index: int  # the recognizer's index, for context lookups
    exact: bool  # Hyperscan reports candidate spans (else only candidate lines)
    #: the regex opens with a ``(?<![X])`` guard, which Hyperscan consumes as a character
    guarded: bool
    needs_context: bool  # weak CONTEXT_FIRST pattern: only lines with a context word
    #: a token pattern (``tokens``): its spans are the regex's matches, no ``re.match`` needed
    token: TokenShape | None = None


@dataclass(slots=True)
class SpanColumns:
    """Exact reports as numpy columns (job, start, end, line), sorted by job then start."""

    jobs: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    lines: np.ndarray

    @classmethod
    def empty(cls) -> SpanColumns:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, none, none)

    def __len__(self) -> int:
        return len(self.jobs)


@dataclass(slots=True)
class BufferHits:
    """What one scan of a buffer found, before any recognizer logic ran."""

    #: exact reports, char offsets
    spans: SpanColumns
    #: (job, line) pairs whose lines must be searched with ``finditer``
    lines: set[tuple[int, int]]
    #: indexed by line * n_recognizers + recognizer index: True where the line holds one
    #: of the recognizer's context (negative-context) words
    context: np.ndarray
    negative: np.ndarray


def to_hyperscan(regex: str) -> str:
    """Rewrite pia's Python idioms into Hyperscan syntax without narrowing the language.

    A leading ``(?<![X])`` becomes ``(?:^|[^X])`` and a trailing ``(?![X])`` becomes
    ``(?:[^X]|$)``: both still match wherever the original can, one character wider. A
    leading label lookbehind (``LEADING_LABEL``) becomes the label itself, consumed (and a
    lookahead before it is dropped): the match then starts at the label, so such a pattern
    can only flag lines.
    """
    regex = LEADING_LABEL.sub(
        lambda m: "(?:" + "|".join(_LABEL_TEXT.findall(m.group(0))) + ")", regex)
    regex = _UNICODE_ESCAPE.sub(lambda m: "\\x{" + m.group(1) + "}", regex)
    regex = LEADING_NOT_BEHIND.sub(lambda m: "(?:^|[^" + m.group(1) + "])", regex)
    return _TRAILING_NOT_AHEAD.sub(lambda m: "(?:[^" + m.group(1) + "]|$)", regex)


def char_offsets(raw: bytes, offsets: np.ndarray) -> np.ndarray:
    """Character offsets of byte ``offsets`` (``0 … len(raw)``) into UTF-8 ``raw``.

    A character offset is the number of character-starting bytes before it. Counting them
    over the whole buffer at once would cost nine bytes of memory per byte of text, which a
    100 MB line of JSON cannot afford, so the count runs block by block.
    """
    data = np.frombuffer(raw, dtype=np.uint8)
    if len(raw) <= OFFSET_BLOCK:  # one block, the usual buffer: no need to sort the offsets
        counts = np.zeros(len(raw) + 1, dtype=np.int32)
        np.cumsum((data & 0xC0) != 0x80, out=counts[1:])
        return counts[offsets].astype(np.int64)
    order = np.argsort(offsets, kind="stable")
    ordered = offsets[order]
    out = np.empty_like(offsets)
    chars_before = 0
    for first in range(0, max(len(raw), 1), OFFSET_BLOCK):
        last = min(first + OFFSET_BLOCK, len(raw))
        lo = np.searchsorted(ordered, first, "left")
        hi = np.searchsorted(ordered, last, "left") if last < len(raw) else len(ordered)
        counts = np.zeros(last - first + 1, dtype=np.int64)
        np.cumsum((data[first:last] & 0xC0) != 0x80, out=counts[1:])
        out[order[lo:hi]] = chars_before + counts[ordered[lo:hi] - first]
        chars_before += int(counts[-1])
    return out


def drop_lookarounds(regex: str) -> str:
    """``regex`` without its lookaround groups: a superset language Hyperscan can compile."""
    out: list[str] = []
    i, n = 0, len(regex)
    while i < n:
        if regex.startswith(_LOOKAROUND_OPEN, i):
            i = _group_end(regex, i)
            continue
        ch = regex[i]
        if ch == "\\":
            out.append(regex[i:i + 2])
            i += 2
        elif ch == "[":
            end = _class_end(regex, i)
            out.append(regex[i:end])
            i = end
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def widen_repeats(regex: str) -> str:
    """``regex`` with bounded repeats opened (``{0,63}`` → ``*``, ``{2,24}`` → ``{2,}``).

    A superset language again: Hyperscan refuses some patterns with long bounded repeats in
    exact (start-of-match) mode as too large, and takes them opened. Spans the original
    refuses are then disputed and searched with ``finditer``, as any other.
    """
    out: list[str] = []
    i, n = 0, len(regex)
    while i < n:
        ch = regex[i]
        if ch == "\\":
            end = regex.index("}", i) + 1 if regex.startswith("\\x{", i) else i + 2
            out.append(regex[i:end])
            i = end
        elif ch == "[":
            end = _class_end(regex, i)
            out.append(regex[i:end])
            i = end
        elif (repeat := _BOUNDED_REPEAT.match(regex, i)) is not None:
            low = repeat.group(1)
            out.append("*" if low == "0" else "{" + low + ",}")
            i = repeat.end()
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _class_end(regex: str, i: int) -> int:
    """Index just past the character class opening at ``regex[i] == '['``."""
    j = i + 1
    if j < len(regex) and regex[j] == "^":
        j += 1
    if j < len(regex) and regex[j] == "]":
        j += 1
    while j < len(regex) and regex[j] != "]":
        j += 2 if regex[j] == "\\" else 1
    return j + 1


def _group_end(regex: str, i: int) -> int:
    """Index just past the group opening at ``regex[i] == '('``."""
    depth, j = 0, i
    while j < len(regex):
        ch = regex[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "[":
            j = _class_end(regex, j)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return j


class BufferScanner:
    """Compiled once per engine; ``scan(buffer, line_starts)`` returns ``BufferHits``."""

    def __init__(self, recognizers: Sequence[PiaPatternRecognizer]) -> None:
        if hyperscan is None:
            raise RuntimeError("hyperscan is not installed")
        self.recognizers = list(recognizers)
        self.jobs: list[PatternJob] = []
        self.always: list[int] = []  # jobs Hyperscan cannot compile at all: whole buffers
        #: per job, how Hyperscan may run it: (exact expressions, best first, flags, line
        #: expression, flags), or None when its Python flags have no Hyperscan counterpart
        probes: list[Probe | None] = []
        #: per job, the shape it has if Hyperscan runs its first exact expression
        shapes: list[TokenShape | None] = []
        #: word → (kind, recognizer index) pairs: one expression per distinct word, since
        #: recognizers share words (身份证 is context to one, negative context to another)
        word_owners: dict[str, list[tuple[int, int]]] = {}
        # jobs in priority order: the engine scores the strongest claim on a span first
        by_priority = sorted(enumerate(self.recognizers), key=lambda item: item[1].PRIORITY)
        for rec_index, rec in by_priority:
            for compiled, pattern in rec._compiled:
                needs_context = bool(rec.CONTEXT_FIRST and pattern.score < REPORT_THRESHOLD
                                     and rec.context)
                guarded = LEADING_NOT_BEHIND.match(pattern.regex) is not None
                self.jobs.append(PatternJob(rec, compiled, pattern.score, rec_index, False,
                                            guarded, needs_context))
                converted = to_hyperscan(pattern.regex)
                common = _hyperscan_flags(compiled.flags)
                exact = drop_lookarounds(converted)
                # without its label, a labelled pattern would report every look-alike in
                # the text (every surname in Chinese prose): the label stays, lines only
                labelled = LEADING_LABEL.match(pattern.regex) is not None
                widened = widen_repeats(exact).encode()
                prefilter = rec.LINE_PREFILTERS.get(pattern.name)
                # only ``re`` patterns: a user's run on the ``regex`` module, whose syntax
                # goes further (fuzzy matching) than the parse tree ``tokens`` reads
                shapes.append(token_shape(pattern.regex, compiled.flags, exact,
                                          drop_lookarounds(pattern.regex))
                              if isinstance(compiled, re.Pattern) and not labelled
                              and not rec.HYPERSCAN_WIDENED_ONLY else None)
                if prefilter is not None and common is not None:  # lines it flags only
                    probes.append(((), common, to_hyperscan(prefilter).encode(),
                                   common | hyperscan.HS_FLAG_PREFILTER))
                    continue
                probes.append(None if common is None else (
                    () if labelled else (widened,) if rec.HYPERSCAN_WIDENED_ONLY
                    else (exact.encode(), widened),
                    common | hyperscan.HS_FLAG_SOM_LEFTMOST,
                    exact.encode(), common | hyperscan.HS_FLAG_PREFILTER))
            for words, kind in ((script_forms(rec.context or []), CONTEXT),
                                (script_forms(rec.negative_context), NEGATIVE)):
                for word in words:
                    owners = word_owners.setdefault(word.lower(), [])
                    if (kind, rec_index) not in owners:
                        owners.append((kind, rec_index))
        # word ids index these tables: one row per word, one column per owner (-1 padded)
        kept = _without_subsumed(word_owners)
        width = max((len(owners) for owners in kept.values()), default=1)
        self._owner_table = np.full((max(len(kept), 1), width), -1, dtype=np.int64)
        self._owner_kind = np.zeros((max(len(kept), 1), width), dtype=np.int64)
        for row, owners in enumerate(kept.values()):
            self._owner_table[row, :len(owners)] = [rec for _kind, rec in owners]
            self._owner_kind[row, :len(owners)] = [kind for kind, _rec in owners]
        #: the same as bit masks of recognizers, one per word and kind, while they fit
        self._word_bits = owner_bits(self._owner_table, self._owner_kind,
                                      len(self.recognizers))

        # the built-in recognizers' databases are cached apart from a user's or a plugin's
        # (``hs_compile``): a changed recognizer file leaves them as they are. Within each,
        # token patterns, the other patterns and the words are databases of their own:
        # Hyperscan scans the three apart in 15 % less time than all in one
        job_groups = [_origin(job.recognizer.source == "builtin")
                      + (TOKEN_PART if shape is not None else PATTERN_PART)
                      for job, shape in zip(self.jobs, shapes, strict=True)]
        word_groups = [_origin(any(self.recognizers[rec].source == "builtin"
                                   for _k, rec in owners)) + WORD_PART
                       for owners in kept.values()]
        modes, self._databases = compile_groups(
            probes, [re.escape(word).encode() for word in kept], job_groups, word_groups)
        for index, mode in enumerate(modes):
            if mode == "always":
                self.always.append(index)
            elif mode in ("exact", "widened"):
                self.jobs[index] = dataclasses.replace(
                    self.jobs[index], exact=True,
                    token=shapes[index] if mode == "exact" else None)
        self._exact = np.array([job.exact for job in self.jobs] or [False], dtype=bool)
        self._tokens = TokenReader([job.token for job in self.jobs])

    def scan(self, buffer: str, line_starts: Sequence[int]) -> BufferHits:
        """Scan ``buffer`` (lines joined by newlines; ``line_starts`` their char offsets)."""
        raw = buffer.encode("utf-8", "replace")
        table = self._scan_bytes(raw, compact=len(raw) > COMPACT_REPORTS)
        if not len(table):
            none = np.zeros(len(line_starts) * len(self.recognizers), dtype=bool)
            return BufferHits(SpanColumns.empty(), set(), none, none.copy())
        ids, starts, ends = table[:, 0], table[:, 1], table[:, 2]
        tokens = (self._tokens.read(np.frombuffer(raw, dtype=np.uint8), ids, starts, ends)
                  if self._tokens.has_tokens else None)
        if len(raw) != len(buffer):  # byte offsets → character offsets
            starts, ends = np.split(char_offsets(raw, np.concatenate((starts, ends))), 2)
        if tokens is not None:  # token spans: the guards they consumed off, refused ones out
            rows, leading, trailing, kept = tokens
            starts[rows] += leading
            ends[rows] -= trailing
            ids, starts, ends = ids[kept], starts[kept], ends[kept]
        # by the last character: only exact spans carry a start (SOM), and a leading guard
        # may be the previous line's newline
        lines = np.searchsorted(np.asarray(line_starts, dtype=np.int64), ends - 1, "right") - 1
        is_word = ids >= WORD_BASE
        context, negative = self._word_keys(ids[is_word] - WORD_BASE, lines[is_word],
                                            len(line_starts))

        is_span = ~is_word
        is_span[is_span] = self._exact[ids[is_span]]
        span_ids, span_starts = ids[is_span], starts[is_span]
        order = by_job_then_start(span_ids, span_starts, len(self.jobs))
        spans = SpanColumns(span_ids[order], span_starts[order], ends[is_span][order],
                            lines[is_span][order])
        return BufferHits(_longest_per_start(spans), _line_jobs(ids, lines, is_word, is_span),
                          context, negative)

    def _word_keys(self, words: np.ndarray, lines: np.ndarray,
                   n_lines: int) -> tuple[np.ndarray, np.ndarray]:
        """Per (line, recognizer) key, whether the line holds a context / negative word."""
        if self._word_bits is not None:
            return tuple(line_flags(bits, words, lines, n_lines, len(self.recognizers))
                         for bits in self._word_bits)
        owners = self._owner_table[words]  # one row per hit: recognizer indexes, -1 padded
        keys = lines[:, None] * len(self.recognizers) + owners
        kinds = self._owner_kind[words]
        valid = owners >= 0
        context = np.zeros(n_lines * len(self.recognizers), dtype=bool)
        negative = np.zeros_like(context)
        context[keys[valid & (kinds == CONTEXT)]] = True
        negative[keys[valid & (kinds == NEGATIVE)]] = True
        return context, negative

    def _scan_bytes(self, raw: bytes, compact: bool) -> np.ndarray:
        """Hyperscan over ``raw``: (id, start, end) rows of byte offsets, ids the scanner's.

        A list of Python ints is the fastest to append to, but costs 36 bytes an int: a huge
        single line (a minified dump) gets a typed array, at 8 bytes an int."""
        tables = []
        for database in self._databases:
            reports: list[int] | array.array = array.array("q") if compact else []
            extend = reports.extend

            def collect(match_id: int, start: int, end: int, _flags: int, _ctx: object,
                        extend=extend) -> None:
                extend((match_id, start, end))

            database.compiled.scan(raw, collect)
            if not reports:
                continue
            table = (np.frombuffer(reports, dtype=np.int64) if compact
                     else np.fromiter(reports, dtype=np.int64, count=len(reports))).reshape(-1, 3)
            table[:, 0] = database.globalize(table[:, 0])
            tables.append(table)
        if len(tables) == 1:
            return tables[0]
        return np.concatenate(tables) if tables else np.zeros((0, 3), dtype=np.int64)


def _origin(builtin: bool) -> int:
    """The first group number of the built-in recognizers' databases, or of the others'."""
    return 0 if builtin else WORD_PART + 1


def _line_jobs(ids: np.ndarray, lines: np.ndarray, is_word: np.ndarray,
                 is_span: np.ndarray) -> set[tuple[int, int]]:
    """(job, line) pairs of the patterns that only flag lines."""
    is_line = ~is_word & ~is_span
    return set(zip(ids[is_line].tolist(), lines[is_line].tolist(), strict=True))


def _longest_per_start(spans: SpanColumns) -> SpanColumns:
    """One span per (job, start): the one that ends last.

    Hyperscan reports every end a pattern can reach from a start (``a@b.example.com``
    also ends at ``a@b.example.``, whose guard is the dot). The regex's match from that
    start must then reach the last of them; the shorter ones lie inside it, where
    ``finditer`` would not look again. Spans are sorted by job and start.
    """
    if len(spans) < 2:
        return spans
    same = (spans.jobs[1:] == spans.jobs[:-1]) & (spans.starts[1:] == spans.starts[:-1])
    if not same.any():
        return spans
    firsts = np.flatnonzero(np.concatenate(([True], ~same)))
    return SpanColumns(spans.jobs[firsts], spans.starts[firsts],
                       np.maximum.reduceat(spans.ends, firsts), spans.lines[firsts])


def _without_subsumed(
    word_owners: dict[str, list[tuple[int, int]]],
) -> dict[str, list[tuple[int, int]]]:
    """Drop words that contain a shorter word with the same owners (身份证号码 ⊃ 身份证).

    Only the lines a word occurs on matter here, and wherever the longer word occurs the
    shorter one does too: scanning for both would only cost callbacks.
    """
    return {
        word: owners for word, owners in word_owners.items()
        if not any(other != word and other in word and set(owners) <= set(other_owners)
                   for other, other_owners in word_owners.items())
    }


def _hyperscan_flags(python_flags: int) -> int | None:
    """The Hyperscan flags that scan like a Python regex with these flags, or None.

    Hyperscan must find at least what ``re`` finds: a recognizer compiled case-insensitively
    is scanned case-insensitively, and one compiled with ``re.ASCII`` without Unicode
    classes (a negated class such as ``[^\\d]`` would otherwise lose the non-ASCII digits).
    VERBOSE and LOCALE have no Hyperscan counterpart: such patterns stay with plain ``re``.
    """
    if python_flags & (re.VERBOSE | re.LOCALE):
        return None
    flags = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_MULTILINE
    if not python_flags & re.ASCII:
        flags |= hyperscan.HS_FLAG_UCP
    if python_flags & re.IGNORECASE:
        flags |= hyperscan.HS_FLAG_CASELESS
    if python_flags & re.DOTALL:
        flags |= hyperscan.HS_FLAG_DOTALL
    return flags


def build_scanner(recognizers: Sequence[PiaPatternRecognizer]) -> BufferScanner | None:
    """A scanner when Hyperscan is available, else None (the engine then runs plain ``re``)."""
    if hyperscan is None:
        return None
    return BufferScanner(recognizers)
