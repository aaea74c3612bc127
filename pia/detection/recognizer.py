"""The shape of every pia recognizer: a Presidio ``PatternRecognizer`` with Chinese context.

Presidio's own context enhancement needs NLP tokens, which a no-op NLP engine does not produce,
and Chinese has no spaces to tokenise on anyway. So each recognizer scores its own context:
a keyword (Chinese, English or Tibetan) within a few characters before or after the candidate,
as commercial DLP engines do. Presidio's ``AnalyzerEngine`` (``analyze``) scores one
candidate at a time with ``score_span``; pia's batch engine scores a pattern's candidates
together with ``score_spans``, which validates them in one call and searches their windows in
one regex pass. Tests hold the two equal, so both paths give the same answers.

Subclasses declare class attributes, Presidio-style:

- ``ENTITY``, ``PATTERNS`` (Presidio ``Pattern``s, whole match = the value), ``CONTEXT``;
- ``NEGATIVE_CONTEXT``: words that make a candidate something else (订单号, trace id...);
- ``validate_result``: True → score 1.0, False → dropped, None → the pattern's score
  (Presidio's contract); ``candidate_score`` may refine it (e.g. a bank BIN), and
  ``candidate_scores`` may check many values at once (e.g. resident IDs as a digit array).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pia.detection.normalize import for_search
from pia.detection.scripts import script_forms
from pia.detection.windows import (
    folded,
    later_item,
    later_items,
    list_openings,
    window_after,
    window_before,
    window_matches,
    windows_hits,
    words_regex,
)

#: A score at or above this is reported; below it a candidate needs context to count.
REPORT_THRESHOLD = 0.5

#: The flags pia compiles patterns with: explicit character classes instead of ``\b``/``\d``
#: (which treat Chinese characters as word characters), no DOTALL so buffers never match
#: across lines.
DEFAULT_FLAGS = re.MULTILINE


#: the regex of a recognizer's context (or negative) words: see ``words_regex``
_context_regex = words_regex


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    score: float
    context: bool


class PiaPatternRecognizer(PatternRecognizer):
    ENTITY: str = ""
    PATTERNS: list[Pattern] = []
    CONTEXT: list[str] = []
    NEGATIVE_CONTEXT: list[str] = []
    #: characters searched for context before and after a candidate (same line only)
    CONTEXT_BEFORE = 16
    CONTEXT_AFTER = 8
    CONTEXT_BOOST = 0.35
    #: True when every value the recognizer reports without a label passed checks chance
    #: rarely passes (a resident ID's GB 11643 check digit, region code and birth date; not
    #: Luhn alone, which one number in ten passes): a database column counts such values even
    #: when they are a small share of its free text
    CHECK_DIGIT = False
    #: lower wins when two entity types claim exactly the same span with the same score
    PRIORITY = 50
    #: True when validation never lifts a weak pattern over the threshold, so the prefilter
    #: runs weak patterns only on lines that hold one of the recognizer's context words
    CONTEXT_FIRST = False
    #: True: a negative word drops a value only as its own label (``labels_value``);
    #: False: anywhere in the window before it (words that describe the line, not a field)
    NEGATIVE_LABELS_ONLY = True
    #: True when Hyperscan refuses the patterns' exact form as too large, after seconds of
    #: trying: the scanner then compiles only the form with opened repeats (``scanner``)
    HYPERSCAN_WIDENED_ONLY = False
    #: pattern name → a regex (pia's dialect, as ``to_hyperscan`` reads it) for the lines the
    #: pattern can match on, which Hyperscan runs instead of the pattern's own: for a value
    #: whose label stands too far before it for a lookbehind (``SET PASSWORD FOR 'u'@'%' =
    #: '…'``), or a lookahead Hyperscan would drop. The pattern then runs only on lines it
    #: flags, which must hold every line where the recognizer can report the pattern's value
    LINE_PREFILTERS: dict[str, str] = {}

    def __init__(
        self,
        supported_language: str = "zh",
        *,
        supported_entity: str | None = None,
        name: str | None = None,
        patterns: list[Pattern] | None = None,
        context: list[str] | None = None,
        negative_context: list[str] | None = None,
        deny_list: list[str] | None = None,
        deny_list_score: float = 1.0,
        regex_flags: int = DEFAULT_FLAGS,
        source: str = "builtin",
    ) -> None:
        super().__init__(
            supported_entity=supported_entity or self.ENTITY,
            name=name or type(self).__name__,
            supported_language=supported_language,
            # a copy per recognizer (Presidio caches each pattern's compiled regex on it, by
            # flags), not a new Pattern: Presidio's would compile each to validate it again
            # (built-in ones are checked by the tests instead: pia.detection.builtin_pattern)
            patterns=[copy.copy(p) for p in (patterns or self.PATTERNS)],
            deny_list=deny_list,
            deny_list_score=deny_list_score,
            context=list(context if context is not None else self.CONTEXT),
            global_regex_flags=regex_flags,
        )
        self.negative_context = list(
            negative_context if negative_context is not None else self.NEGATIVE_CONTEXT
        )
        self.source = source
        self._compiled = [(self._compile_pattern(p, regex_flags), p) for p in self.patterns]
        self._context = _context_regex(script_forms(self.context or []))
        # Presidio's default ``invalidate_result`` rejects nothing: skip the call unless
        # a subclass overrides it
        self._invalidates = (
            type(self).invalidate_result is not PatternRecognizer.invalidate_result
        )
        self._negative = _context_regex(script_forms(self.negative_context))
        self._own_score_span = type(self).score_span is not PiaPatternRecognizer.score_span

    def _compile_pattern(self, pattern: Pattern, flags: int):
        """Built-in patterns run in ``re``, fastest per call; a user's recognizer overrides
        this to run its patterns where they can be interrupted."""
        return re.compile(pattern.regex, flags)

    @property
    def entity(self) -> str:
        return self.supported_entities[0]

    # --- scoring -------------------------------------------------------------------------

    def candidate_score(self, value: str, pattern_score: float,
                        maybe_context: bool = True) -> float | None:
        """Score of a raw candidate before context; ``None`` drops it.

        ``maybe_context`` False says no context word is on the line, so a subclass may skip
        an expensive check on a candidate that could only count with context.
        """
        validation = self.validate_result(value)
        if validation is False or (self._invalidates and self.invalidate_result(value)):
            return None
        return 1.0 if validation else pattern_score

    def candidate_scores(self, values: list[str], pattern_score: float,
                         maybe_context: list[bool]) -> list[float | None]:
        """``candidate_score`` of each value: a subclass with a cheaper batch check overrides it."""
        if self.validates_as(PiaPatternRecognizer):  # no validator: every value keeps its score
            return [pattern_score] * len(values)
        return list(map(self.candidate_score, values, repeat(pattern_score), maybe_context))

    def _keeps_pattern_scores(self) -> bool:
        """Whether ``candidate_scores`` keeps every value's pattern score: no validator."""
        return (getattr(self.candidate_scores, "__func__", None)
                is PiaPatternRecognizer.candidate_scores
                and self.validates_as(PiaPatternRecognizer))

    def validates_as(self, cls: type[PiaPatternRecognizer]) -> bool:
        """Whether this recognizer validates exactly as ``cls`` does.

        A batch check written for ``cls`` may only stand in for ``candidate_score`` when no
        subclass changed what that would say.
        """
        own = type(self)
        return (own.validate_result is cls.validate_result
                and own.candidate_score is cls.candidate_score and not self._invalidates)

    def score_span(
        self,
        text: str,
        start: int,
        end: int,
        pattern_score: float,
        maybe_context: bool = True,
        maybe_negative: bool = True,
    ) -> tuple[float, bool] | None:
        """Validate, then weigh context around ``text[start:end]`` (``text`` is normalised).

        Returns (score, whether context was found), or None for no result. ``maybe_context``
        / ``maybe_negative`` False means the caller knows no such word occurs anywhere in
        the line (Hyperscan saw none), so the window searches are skipped.
        """
        value = text[start:end]
        if not value or "\n" in value:
            return None
        score = self.candidate_score(value, pattern_score, maybe_context)
        if score is None:
            return None
        return self._weigh_context(text, start, end, score, maybe_context, maybe_negative)

    def score_spans(
        self,
        text: str,
        starts: list[int],
        ends: list[int],
        pattern_score: float,
        maybe_context: Sequence[bool],
        maybe_negative: Sequence[bool],
        line_bounds: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> np.ndarray:
        """``score_span``'s score for each of many spans of one pattern (NaN: no result).

        The batch engine's path: values are validated together (``candidate_scores``), the
        windows of the candidates that have a context or negative word on their line are
        searched together (``windows_matching``), and scores are kept in one float array.
        The spans must be non-empty and lie within one line, as confirmed regex matches do.
        ``line_bounds`` (where each span's line starts, and where it stops) lets the windows
        be cut with array arithmetic instead of a newline search per span.
        """
        maybe_context = np.asarray(maybe_context, dtype=bool)
        maybe_negative = np.asarray(maybe_negative, dtype=bool)
        if self._own_score_span:  # a subclass scores its own way: ask it, span by span
            return np.array([None if scored is None else scored[0] for scored in map(
                self.score_span, repeat(text), starts, ends, repeat(pattern_score),
                maybe_context.tolist(), maybe_negative.tolist())], dtype=np.float64)
        if not self._keeps_pattern_scores():
            values = [text[start:end] for start, end in zip(starts, ends, strict=True)]
            scores = np.array(self.candidate_scores(values, pattern_score,
                                                    maybe_context.tolist()),
                              dtype=np.float64)  # None becomes NaN
        else:  # every value keeps the pattern's score: none need be cut out of the text
            scores = np.full(len(starts), pattern_score, dtype=np.float64)
        negative, context = self._negative, self._context
        wants_negative = maybe_negative if negative is not None else np.zeros_like(maybe_negative)
        wants_context = (maybe_context & (scores < 1.0) if context is not None
                         else np.zeros_like(maybe_context))
        looked_at = np.flatnonzero(~np.isnan(scores) & (wants_negative | wants_context))
        if not len(looked_at):
            return _reported(scores)
        windows = _Windows(text, starts, ends, looked_at, line_bounds)
        before = windows.before(self.CONTEXT_BEFORE)
        # a later item of a list (sku_id IN (1380…, 1391…)) is labelled by the list's label too
        listed = windows.list_labels(self.CONTEXT_BEFORE, before)
        if negative is not None:
            # a label is written before its value ("订单号 2024…", "trace=…"): backwards only;
            # only a word that labels this very value drops it (see ``labels_value``)
            checked = np.flatnonzero(wants_negative[looked_at])
            hits = checked[_matching(negative, before, listed, checked.tolist(),
                                     self.NEGATIVE_LABELS_ONLY)]
            scores[looked_at[hits]] = np.nan
        if context is not None:
            # ``scores < 1.0`` is False for the NaN of a dropped candidate
            checked = np.flatnonzero(wants_context[looked_at] & (scores[looked_at] < 1.0))
            hits = _matching(context, before, listed, checked.tolist())
            rest = checked[~hits]
            after = windows.after(self.CONTEXT_AFTER, rest)
            boosted = looked_at[np.concatenate((checked[hits],
                                                rest[windows_hits(context, after)]))]
            scores[boosted] = np.minimum(1.0, scores[boosted] + self.CONTEXT_BOOST)
        return _reported(scores)

    def _weigh_context(self, text: str, start: int, end: int, score: float,
                       maybe_context: bool, maybe_negative: bool) -> tuple[float, bool] | None:
        """A validated candidate's score after the words around it, or None for no result."""
        negative = self._negative if maybe_negative else None
        # a validated value (score 1.0) cannot gain from context: skip the search
        context = self._context if maybe_context and score < 1.0 else None
        if context is None and negative is None:
            return (round(score, 4), False) if score >= REPORT_THRESHOLD else None
        before = self._windows_before(text, start)
        # a label is written before its value ("订单号 2024…", "trace=…"); words after a
        # value belong to the next field, so negative context looks backwards only
        if negative is not None and any(
                labels_value(window, negative) if self.NEGATIVE_LABELS_ONLY
                else window_matches(negative, window) for window in before):
            return None
        has_context = False
        if context is not None:
            has_context = (any(window_matches(context, window) for window in before)
                           or window_matches(context,
                                             window_after(text, end, self.CONTEXT_AFTER)))
            if has_context:
                score = min(1.0, score + self.CONTEXT_BOOST)
        if score < REPORT_THRESHOLD:
            return None
        return round(score, 4), has_context

    def labelled(self, text: str, start: int, end: int) -> bool:
        """Whether one of the recognizer's context words stands in the windows around
        ``text[start:end]`` (``text`` normalised, as ``for_search`` gives it): the value is
        label-adjacent (客户身份证号4403…, 联系人韩敏), not a look-alike standing alone."""
        context = self._context
        return context is not None and (
            any(window_matches(context, window) for window in self._windows_before(text, start))
            or window_matches(context, window_after(text, end, self.CONTEXT_AFTER)))

    def _windows_before(self, text: str, start: int) -> tuple[str, ...]:
        """The window before ``text[start]``, and for a later item of a bracketed list
        (``sku_id IN (1380…, 1391…)``) also the window before the list: its label labels
        every item, however far back it stands."""
        before = window_before(text, start, self.CONTEXT_BEFORE)
        if not later_item(before):
            return (before,)
        (opening,) = list_openings(text, [start], [text.rfind("\n", 0, start) + 1])
        if opening < 0:
            return (before,)
        return before, window_before(text, opening, self.CONTEXT_BEFORE)

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Candidate]:
        """Every reportable candidate in normalised ``text`` (one line or a whole buffer)."""
        endpos = len(text) if endpos is None else endpos
        for regex, pattern in self._compiled:
            for match in regex.finditer(text, pos, endpos):
                scored = self.score_span(text, match.start(), match.end(), pattern.score)
                if scored is not None:
                    yield Candidate(match.start(), match.end(), *scored)

    # --- Presidio interface --------------------------------------------------------------

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Presidio entry point: same logic as the batch engine, one text at a time."""
        if entities and self.entity not in entities:
            return []
        norm = for_search(text)
        best: dict[tuple[int, int], Candidate] = {}
        for cand in self.find(norm):
            key = (cand.start, cand.end)
            if key not in best or cand.score > best[key].score:
                best[key] = cand
        results = []
        for cand in sorted(best.values(), key=lambda c: (c.start, c.end)):
            explanation = self.build_regex_explanation(
                self.name, "pia", "", cand.score, None, DEFAULT_FLAGS
            )
            results.append(
                RecognizerResult(
                    entity_type=self.entity,
                    start=cand.start,
                    end=cand.end,
                    score=cand.score,
                    analysis_explanation=explanation,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        # context was already weighed here; Presidio must not add it again
                        RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
                    },
                )
            )
        return results


#: what may stand between a negative word and the value it labels: separators, the
#: "number" a label may end in (订单号, order_no, traceId=, 流水号码：, msgid <, Order No.), a unit
#: (``"latency_ns": 17480190477``, ``offset_bytes=``), and SQL's ``[NOT] IN (`` before the first
#: value of a list (``sku_id IN (15912345678, …``, ``"sku_ids": [``)
_SEPARATORS = r"[\s:：=_\-\"'#()（）\[\]{}<>|/,，、]*"
_LABEL_TAIL = re.compile(_SEPARATORS
                         + "(?:号码|號碼|号|號|码|碼|ids?|nos?\\.?|num\\.?|nr\\.?|codes?)?"
                         + _SEPARATORS + "(?:(?:ns|us|ms|sec|secs|millis|bytes|kb|mb)"
                         + _SEPARATORS + ")?(?:(?:not )?in ?\\(" + _SEPARATORS + ")?")


def labels_value(before: str, negative: re.Pattern[str]) -> bool:
    """Whether a negative word in the window (in one of its ``folded`` forms) labels the
    value right after the window: nothing but separators between them.

    A negative word further back names another field or another value: in
    "订单已提交，身份证号4403…", "余额不足，请联系客服或拨打139…", ``count=5 139…`` or
    ``"parent_id_card":"4403…"`` the value is not an order number, a balance or a count;
    in "订单号：139…", ``trace_id=139…`` or ``MaxHeapSize=17179869184`` it is.
    """
    for form in folded(before):
        for match in negative.finditer(form):
            if _LABEL_TAIL.fullmatch(form, match.end()):
                return True
    return False


def _matching(words: re.Pattern[str], before: list[str], listed: dict[int, str],
              indexes: list[int], labels_only: bool = False) -> np.ndarray:
    """For each of ``indexes`` (rising) into ``before``, whether ``words`` occur in its
    window, or in the window before the list it is a later item of (``listed``); with
    ``labels_only``, as the label of the value (``labels_value``). One regex pass over all
    windows, each list's label searched once for all its items."""
    members = [i for i in indexes if i in listed] if listed else []
    labels = list(dict.fromkeys(listed[i] for i in members))
    # rising, as many indexes as there are windows are every one of them
    windows = (before if len(indexes) == len(before) else [before[i] for i in indexes]) + labels
    found = windows_hits(words, windows)
    if labels_only:
        for index in np.flatnonzero(found).tolist():
            found[index] = labels_value(windows[index], words)
    hits = found[:len(indexes)]
    labelled = {label for label, hit in zip(labels, found[len(indexes):].tolist(), strict=True)
                if hit}
    if labelled:
        position = {index: k for k, index in enumerate(indexes)}
        for index in members:
            if listed[index] in labelled:
                hits[position[index]] = True
    return hits


def _reported(scores: np.ndarray) -> np.ndarray:
    """``scores`` below the threshold dropped (NaN), the rest rounded as ``score_span`` does."""
    scores[scores < REPORT_THRESHOLD] = np.nan
    kept = ~np.isnan(scores)
    for value in np.unique(scores[kept]).tolist():  # a handful of distinct scores
        rounded = round(value, 4)
        if rounded != value:
            scores[kept & (scores == value)] = rounded
    return scores


class _Windows:
    """The windows around some of a pattern's spans (``indexes`` into ``starts``/``ends``)."""

    def __init__(self, text: str, starts: list[int], ends: list[int], indexes: np.ndarray,
                 line_bounds: tuple[np.ndarray, np.ndarray] | None) -> None:
        self._text = text
        self._starts = np.asarray(starts, dtype=np.int64)[indexes]
        self._ends = np.asarray(ends, dtype=np.int64)[indexes]
        self._lines = None if line_bounds is None else (line_bounds[0][indexes],
                                                        line_bounds[1][indexes])
        #: the lengths of the windows ``before`` cut last, when it cut them by line bounds
        self.lengths_before: np.ndarray | None = None

    def before(self, width: int) -> list[str]:
        """``window_before`` of every span, in order."""
        text, starts = self._text, self._starts.tolist()
        if self._lines is None:
            return [window_before(text, start, width) for start in starts]
        # the window's first character is the one before its first full one (a word cut by
        # the edge is seen whole), or the newline that ends the previous line
        lo = np.maximum(self._starts - width, self._lines[0])
        lo = np.where(lo > 0, lo - 1, 0)
        self.lengths_before = self._starts - lo
        return [text[a:b] for a, b in zip(lo.tolist(), starts, strict=True)]

    def list_labels(self, width: int, before: list[str]) -> dict[int, str]:
        """For the spans that are later items of a bracketed list (their window ``before``
        ends with its comma), the window before the list's opening bracket, by position:
        one string per list, shared by its items."""
        members = later_items(before, self.lengths_before)
        if not members:
            return {}
        text = self._text
        starts = self._starts[members].tolist()
        line_starts = ([text.rfind("\n", 0, start) + 1 for start in starts]
                       if self._lines is None else self._lines[0][members].tolist())
        labels: dict[int, str] = {}
        listed = {}
        for i, opening in zip(members, list_openings(text, starts, line_starts), strict=True):
            if opening >= 0:
                label = labels.get(opening)
                if label is None:
                    label = labels[opening] = window_before(text, opening, width)
                listed[i] = label
        return listed

    def after(self, width: int, chosen: np.ndarray) -> list[str]:
        """``window_after`` of the spans at positions ``chosen``."""
        text, ends = self._text, self._ends[chosen]
        if self._lines is None:
            return [window_after(text, end, width) for end in ends.tolist()]
        hi = np.minimum(ends + width, self._lines[1][chosen]).tolist()
        return [text[a:b] for a, b in zip(ends.tolist(), hi, strict=True)]
