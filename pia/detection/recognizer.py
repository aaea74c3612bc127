"""The shape of every pia recognizer: a Presidio ``PatternRecognizer`` with Chinese context.

Presidio's own context enhancement needs NLP tokens, which a no-op NLP engine does not produce,
and Chinese has no spaces to tokenise on anyway. So each recognizer scores its own context:
a keyword (Chinese, English or Tibetan) within a few characters before or after the candidate,
as commercial DLP engines do. The same ``score_candidate`` runs whether the recognizer is used
by Presidio's ``AnalyzerEngine`` (``analyze``) or by pia's batch engine over large buffers, so
both paths give the same answers.

Subclasses declare class attributes, Presidio-style:

- ``ENTITY``, ``PATTERNS`` (Presidio ``Pattern``s, whole match = the value), ``CONTEXT``;
- ``NEGATIVE_CONTEXT``: words that make a candidate something else (订单号, trace id...);
- ``validate_result``: True → score 1.0, False → dropped, None → the pattern's score
  (Presidio's contract); ``candidate_score`` may refine it (e.g. a bank BIN).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pia.detection.normalize import normalize

#: A score at or above this is reported; below it a candidate needs context to count.
REPORT_THRESHOLD = 0.5

#: The flags pia compiles patterns with: explicit character classes instead of ``\b``/``\d``
#: (which treat Chinese characters as word characters), no DOTALL so buffers never match
#: across lines.
DEFAULT_FLAGS = re.MULTILINE


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    score: float
    context: bool


def _context_regex(words: Iterable[str]) -> re.Pattern[str] | None:
    """One alternation for all context words; ASCII words only match as whole words."""
    parts = []
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        escaped = re.escape(word)
        if word.isascii() and word[0].isalnum():
            escaped = f"(?<![A-Za-z]){escaped}(?![A-Za-z])"
        parts.append(escaped)
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


class PiaPatternRecognizer(PatternRecognizer):
    ENTITY: str = ""
    PATTERNS: list[Pattern] = []
    CONTEXT: list[str] = []
    NEGATIVE_CONTEXT: list[str] = []
    #: characters searched for context before and after a candidate (same line only)
    CONTEXT_BEFORE = 16
    CONTEXT_AFTER = 8
    CONTEXT_BOOST = 0.35
    #: lower wins when two entity types claim exactly the same span with the same score
    PRIORITY = 50
    #: True when validation never lifts a weak pattern over the threshold, so weak patterns
    #: only need to run on lines that hold a context word (the batch engine's biggest saving)
    CONTEXT_FIRST = False

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
        regex_flags: int = DEFAULT_FLAGS,
        source: str = "builtin",
    ) -> None:
        super().__init__(
            supported_entity=supported_entity or self.ENTITY,
            name=name or type(self).__name__,
            supported_language=supported_language,
            patterns=[Pattern(p.name, p.regex, p.score) for p in (patterns or self.PATTERNS)],
            deny_list=deny_list,
            context=list(context if context is not None else self.CONTEXT),
            global_regex_flags=regex_flags,
        )
        self.negative_context = list(
            negative_context if negative_context is not None else self.NEGATIVE_CONTEXT
        )
        self.source = source
        self._compiled = [(re.compile(p.regex, regex_flags), p) for p in self.patterns]
        self._context = _context_regex(self.context or [])
        self._negative = _context_regex(self.negative_context)

    @property
    def entity(self) -> str:
        return self.supported_entities[0]

    # --- scoring -------------------------------------------------------------------------

    def candidate_score(self, value: str, pattern_score: float) -> float | None:
        """Score of a raw candidate before context; ``None`` drops it."""
        validation = self.validate_result(value)
        if validation is False or self.invalidate_result(value):
            return None
        return 1.0 if validation else pattern_score

    def _window(self, text: str, start: int, end: int) -> tuple[int, int]:
        lo = max(0, start - self.CONTEXT_BEFORE)
        nl = text.rfind("\n", lo, start)
        if nl >= 0:
            lo = nl + 1
        hi = min(len(text), end + self.CONTEXT_AFTER)
        nl = text.find("\n", end, hi)
        if nl >= 0:
            hi = nl
        return lo, hi

    def score_candidate(
        self, text: str, start: int, end: int, pattern_score: float
    ) -> Candidate | None:
        """Validate, then weigh context around ``text[start:end]`` (``text`` is normalised)."""
        value = text[start:end]
        if not value or "\n" in value:
            return None
        score = self.candidate_score(value, pattern_score)
        if score is None:
            return None
        has_context = False
        if self._context is not None or self._negative is not None:
            lo, hi = self._window(text, start, end)
            if self._negative is not None and (
                self._negative.search(text, lo, start) or self._negative.search(text, end, hi)
            ):
                return None
            if self._context is not None and (
                self._context.search(text, lo, start) or self._context.search(text, end, hi)
            ):
                has_context = True
                score = min(1.0, score + self.CONTEXT_BOOST)
        if score < REPORT_THRESHOLD:
            return None
        return Candidate(start, end, round(score, 4), has_context)

    def _context_lines(self, text: str, pos: int, endpos: int) -> list[tuple[int, int]]:
        """The lines of ``text[pos:endpos]`` holding a context word, as merged spans."""
        spans: list[tuple[int, int]] = []
        if self._context is None:
            return spans
        for match in self._context.finditer(text, pos, endpos):
            lo = text.rfind("\n", pos, match.start()) + 1 or pos
            hi = text.find("\n", match.end(), endpos)
            hi = endpos if hi < 0 else hi
            if spans and lo <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(hi, spans[-1][1]))
            else:
                spans.append((lo, hi))
        return spans

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Candidate]:
        """Every reportable candidate in normalised ``text`` (one line or a whole buffer)."""
        endpos = len(text) if endpos is None else endpos
        context_lines: list[tuple[int, int]] | None = None
        for regex, pattern in self._compiled:
            if self.CONTEXT_FIRST and pattern.score < REPORT_THRESHOLD:
                if context_lines is None:
                    context_lines = self._context_lines(text, pos, endpos)
                spans = context_lines
            else:
                spans = [(pos, endpos)]
            for lo, hi in spans:
                for match in regex.finditer(text, lo, hi):
                    start, end = match.span()
                    candidate = self.score_candidate(text, start, end, pattern.score)
                    if candidate is not None:
                        yield candidate

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
        norm = normalize(text)
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
