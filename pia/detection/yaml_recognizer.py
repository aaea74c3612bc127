"""Recognizers from a user's YAML file: their regexes run under a time limit.

A built-in pattern is written and benchmarked here; a user's is not, and one with nested
quantifiers (``(a|a)+(?=!!)``, ``(\\w+\\s?)*$``) backtracks for ever on a line of some
thirty characters: Python's ``re`` cannot be interrupted, so a scan would hang. Users'
patterns therefore run in the third-party ``regex`` module (Presidio's own), whose calls
take a ``timeout``. A call that runs out of it raises ``PatternTimeout``, an error naming the
file, the recognizer and the pattern (and the input line, once the caller knows it): a
result that silently misses what the pattern was written to find would be worse than none.
Built-in recognizers keep ``re``, which is faster per call.

Every place a user's pattern runs goes through ``TimedRegex``: the anchored confirmations of
Hyperscan's spans (``match``), ``finditer`` on the lines Hyperscan only flagged or on whole
buffers (one line at a time, each with its own limit), and ``PiaPatternRecognizer.find``,
which Presidio's ``analyze`` and the engine without Hyperscan use. Context words, negative
context and deny-list entries are escaped literals, and YAML recognizers have no validator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import regex
from presidio_analyzer import Pattern

from pia.detection.recognizer import PiaPatternRecognizer
from pia.errors import ConfigError

#: seconds one call of a user's pattern may take on one line before it is called runaway:
#: a sane pattern takes microseconds, a catastrophically backtracking one for ever
PATTERN_SECONDS = 5.0

#: a CJK ideograph (the unified blocks and their extensions, compatibility ideographs)
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_ASCII_WORD = "0-9A-Za-z_"


class PatternTimeout(ConfigError):
    """A user's pattern ran longer than ``PATTERN_SECONDS`` on one line.

    ``position`` is the character offset in the text the engine searched; the engine turns
    it into ``line`` (0-based, in the lines it was given) and callers that number their
    lines (``iter_lines``, a connector's text scan) into the input's line number
    (``input_line``, 1-based); a connector names the ``input`` (a file, an archive member, a
    partition), for a user told only "took over 5 s" cannot find the line among thousands.
    """

    def __init__(self, source: str, recognizer: str, pattern: str, seconds: float,
                 position: int) -> None:
        super().__init__(source, recognizer, pattern, seconds, position)
        self.source, self.recognizer, self.pattern = source, recognizer, pattern
        self.seconds, self.position = seconds, position
        self.line: int | None = None
        self.input_line: int | None = None
        self.input: str | None = None  # what was being read: a file, a member, a partition

    def __str__(self) -> str:
        where = f" on line {self.input_line}" if self.input_line is not None else ""
        if self.input:
            where += f" of {self.input}" if where else f" in {self.input}"
        return (f"pattern {self.pattern!r} of recognizer {self.recognizer!r} in {self.source} "
                f"took over {self.seconds:g} s{where}: catastrophic backtracking? simplify it")


def as_regex_flags(flags: int) -> int:
    """``re`` flags as the ``regex`` module spells them (its ASCII is 128, not 256), in its
    ``re``-compatible mode (VERSION0)."""
    out = flags & (re.IGNORECASE | re.LOCALE | re.MULTILINE | re.DOTALL | re.UNICODE
                   | re.VERBOSE)
    if flags & re.ASCII:
        out |= regex.ASCII
    return int(out) | regex.VERSION0


class TimedRegex:
    """A compiled ``re`` pattern's interface (``match``, ``search``, ``finditer``, ``flags``,
    ``pattern``) run by the ``regex`` module, each call on one line under a time limit."""

    __slots__ = ("pattern", "flags", "_regex", "_source", "_recognizer", "_name")

    def __init__(self, pattern: str, flags: int, source: str, recognizer: str,
                 name: str) -> None:
        self.pattern = pattern
        self.flags = flags  # ``re``'s: the scanner maps them to Hyperscan's
        # never through ``re``: a pattern may use what only ``regex`` knows (``\p{Han}``)
        self._regex = regex.compile(pattern, as_regex_flags(flags))
        self._source, self._recognizer, self._name = source, recognizer, name

    def _timeout(self, position: int) -> PatternTimeout:
        return PatternTimeout(self._source, self._recognizer, self._name, PATTERN_SECONDS,
                              position)

    def match(self, string: str, pos: int = 0, endpos: int | None = None):
        try:
            return self._regex.match(string, pos, endpos, timeout=PATTERN_SECONDS)
        except TimeoutError:
            raise self._timeout(pos) from None

    def search(self, string: str, pos: int = 0, endpos: int | None = None):
        try:
            return self._regex.search(string, pos, endpos, timeout=PATTERN_SECONDS)
        except TimeoutError:
            raise self._timeout(pos) from None

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None) -> Iterator:
        """``finditer`` one line at a time (no candidate crosses a newline), each line with
        its own time limit (``regex`` counts one for a whole iteration)."""
        endpos = len(string) if endpos is None else min(endpos, len(string))
        while pos <= endpos:
            stop = string.find("\n", pos, endpos)
            if stop < 0:
                stop = endpos
            try:
                yield from self._regex.finditer(string, pos, stop, timeout=PATTERN_SECONDS)
            except TimeoutError:
                raise self._timeout(pos) from None
            pos = stop + 1


def deny_list_regex(words: list[str]) -> str:
    """One regex for a deny list: words with a CJK character match anywhere, others
    between ASCII word boundaries.

    Presidio bounds every word by ``\\W``, and a Chinese character is a word character:
    马化腾 was found after "VIP：" but never inside a sentence (今天马化腾来了), where
    Chinese names are written with nothing around them. Other words keep boundaries
    (``Tom`` not in ``Tomcat``), which a Chinese character next to them does not break
    (张Tom来了). Longer words come first, so the longest entry wins where one holds another.
    """
    ordered = sorted(dict.fromkeys(words), key=len, reverse=True)
    cjk = [re.escape(word) for word in ordered if _CJK.search(word)]
    other = [re.escape(word) for word in ordered if not _CJK.search(word)]
    parts = []
    if other:
        parts.append(f"(?<![{_ASCII_WORD}])(?:{'|'.join(other)})(?![{_ASCII_WORD}])")
    parts.extend(cjk)
    return "|".join(parts)


class YamlPatternRecognizer(PiaPatternRecognizer):
    """A recognizer defined in a user's YAML file (``registry.load_yaml_recognizers``)."""

    def __init__(self, *args, line: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.line = line  # where the file defines it (1-based), for messages

    def _compile_pattern(self, pattern: Pattern, flags: int) -> TimedRegex:
        return TimedRegex(pattern.regex, flags, self.source, self.name, pattern.name)

    def _deny_list_to_regex(self, deny_list: list[str]) -> Pattern:
        return Pattern("deny_list", deny_list_regex(deny_list), self.deny_list_score)
