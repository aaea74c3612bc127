"""Path globs matched in time linear in the path, whatever the pattern.

A declaration's asset ``source`` is a path glob (``/var/log/app/**``, ``/data/*/*.csv``):
``**`` matches any run of characters except a newline, so it crosses directories; ``*``
matches any run without ``/``; ``?`` one character other than ``/``; everything else (``[``
included) itself, letter case included; the glob must cover the whole path.

The declaration is untrusted input: it travels inside an audit bundle that a regulator checks
with ``pia bundle verify``/``show``. Translating such a glob to a regular expression (``.*``,
``[^/]*``) and letting Python's backtracking ``re`` run it takes exponential time on a glob
with several wildcards: ``**a**a**a**a**a**a**a**a**b`` against 400 ``a`` ran for minutes. The
"commit to the earliest occurrence" trick of ``fnmatch`` is wrong here, as ``*`` and ``**``
differ: ``**A*B`` covers ``xA/yAB`` only when ``**`` takes the later ``A``.

So the parts of a glob that are plain text are checked first, cheaply: its literal prefix
and suffix, and the runs of literal characters between its wildcards, which the path must hold
in order; that settles most paths. What lies between the prefix and suffix is matched by a
regular expression when it has one wildcard (``*`` or ``**``) at most: a single ``.*`` or
``[^/]*`` tries at most len(path) places, each checked in O(len(pattern)). With two wildcards
or more, by an automaton over the set of pattern positions still alive (Thompson's
simulation), made into a DFA lazily and kept per glob (bounded): one step per character of the
path, O(len(pattern) x len(path)) at worst, usually one dictionary look-up per character.
A cache of (pattern, path) answers was measured and left out: paths are mostly distinct, and
its misses made a scan-sized run up to three times slower.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby

_LITERAL, _ONE, _STAR, _GLOBSTAR = range(4)
_MAX_STEPS = 4096  # DFA transitions kept per glob; past it they are forgotten


def _tokens(pattern: str) -> list[tuple[int, str]]:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append((_GLOBSTAR, ""))
            i += 2
        elif pattern[i] in "*?":
            out.append((_STAR if pattern[i] == "*" else _ONE, ""))
            i += 1
        else:
            out.append((_LITERAL, pattern[i]))
            i += 1
    return out


class _State(dict):
    """A state of the lazily built DFA: the pattern positions alive (a bit each), and the
    state each character seen so far from here leads to."""

    __slots__ = ("alive", "accepts")

    def __init__(self, alive: int, accepts: bool) -> None:
        super().__init__()
        self.alive, self.accepts = alive, accepts


class _Glob:
    """One compiled glob: its literal prefix and suffix, then, for what lies between, a regex
    (one wildcard at most) or an automaton."""

    __slots__ = ("prefix", "suffix", "regex", "middle", "chunks", "start", "states", "size")

    def __init__(self, pattern: str) -> None:
        tokens = _tokens(pattern)
        head = next((i for i, t in enumerate(tokens) if t[0] != _LITERAL), len(tokens))
        tail = len(tokens)
        while tail > head and tokens[tail - 1][0] == _LITERAL:
            tail -= 1
        self.prefix = "".join(c for _, c in tokens[:head])
        self.suffix = "".join(c for _, c in tokens[tail:])
        self.middle = tokens[head:tail]
        # the runs of literal characters between wildcards, which a path must hold in order
        self.chunks = ["".join(c for _, c in run) for literal, run in
                       groupby(self.middle, lambda t: t[0] == _LITERAL) if literal]
        wildcards = sum(kind in (_STAR, _GLOBSTAR) for kind, _ in self.middle)
        self.regex = re.compile("".join(
            ".*" if kind == _GLOBSTAR else "[^/]*" if kind == _STAR else
            "[^/]" if kind == _ONE else re.escape(c) for kind, c in self.middle) + r"\Z",
        ) if wildcards <= 1 else None
        self.states: dict[int, _State] = {}
        self.size = 0
        self.start = self._state(self._closure(1))

    def _state(self, alive: int) -> _State:
        state = self.states.get(alive)
        if state is None:
            state = self.states[alive] = _State(alive, bool(alive >> len(self.middle) & 1))
        return state

    def _closure(self, alive: int) -> int:
        """Add the positions reached by letting a ``*`` or ``**`` match nothing."""
        for i, (kind, _) in enumerate(self.middle):
            if alive >> i & 1 and kind in (_STAR, _GLOBSTAR):
                alive |= 1 << (i + 1)
        return alive

    def _step(self, state: _State, char: str) -> _State:
        alive = 0
        for i, (kind, c) in enumerate(self.middle):
            if not state.alive >> i & 1:
                continue
            if kind == _LITERAL:
                alive |= (c == char) << (i + 1)
            elif kind == _ONE:
                alive |= (char != "/") << (i + 1)
            elif kind == _STAR:
                alive |= (char != "/") << i
            else:
                alive |= (char != "\n") << i
        self.size += 1
        if self.size > _MAX_STEPS:  # forget the DFA built so far (it is rebuilt as needed)
            for known in list(self.states.values()):
                known.clear()
            self.states = {self.start.alive: self.start}
            self.size = 1
        following = state[char] = self._state(self._closure(alive))
        return following

    def matches(self, path: str) -> bool:
        end = len(path) - len(self.suffix)
        if end < len(self.prefix) or not path.startswith(self.prefix) \
                or not path.endswith(self.suffix):
            return False
        if self.regex is not None:
            return self.regex.match(path, len(self.prefix), end) is not None
        at = len(self.prefix)
        for chunk in self.chunks:
            at = path.find(chunk, at, end)
            if at < 0:
                return False
            at += len(chunk)
        state = self.start
        for char in path[len(self.prefix):end]:
            following = state.get(char)
            if following is None:
                following = self._step(state, char)
            if not following.alive:
                return False
            state = following
        return state.accepts


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> _Glob:
    return _Glob(pattern)


def glob_matches(pattern: str, path: str) -> bool:
    """Does the path glob ``pattern`` cover all of ``path``? See the module docstring."""
    return _compiled(pattern).matches(path)
