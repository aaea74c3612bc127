"""sqlparse's lexer with one regular expression per position instead of one per rule.

sqlparse's ``Lexer.get_tokens`` tries its ~50 rules one after the other at every position:
on a seed file of 80,000 INSERTs that is 50 million ``re.match`` calls and a third of the
check's time. The rules are tried in order and the first that matches wins, which is exactly
what an ordered alternation of the same patterns does, so they are joined into one pattern
(each rule a named group; the rules' own groups made non-capturing, none of them refers back
to one) and matched once. Everything else (the delimited spans it resolves first, keyword
lookup, an unknown character as ``Error``) is sqlparse's own code, and the tokens are the
same, type for type and value for value (``tests/migrations/test_fastlex.py``).

A quoted string or name is first matched without backtracking (``_QUOTED``): sqlparse's
pattern for it, ``'(''|\\'|[^'])*'``, makes ``re`` keep a backtracking state for every
character, some 800 bytes each, so one 4 MB base64 literal in a seed file took 3.4 GB (QA).
The possessive form takes the first path the backtracking one tries, so when it matches it
matches the same text; when it does not (a string never closed) the rules decide as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from sqlparse import keywords, lexer
from sqlparse import tokens as T
from sqlparse.utils import consume

from pia.migrations.splitter import PLAIN

#: an opening parenthesis that captures: not escaped, not in a class, not ``(?``
_CAPTURING = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|\((?!\?)")


#: sqlparse's rules for quoted strings and names, possessive: (type, pattern) by first char
_QUOTED = {
    "'": (T.String.Single, re.compile(r"'(?:''|\\'|[^'])*+'")),
    '"': (T.String.Symbol, re.compile(r'"(?:""|\\"|[^"])*+"')),
    "`": (T.Name, re.compile(r"`(?:``|[^`])*+`")),
}


def _non_capturing(pattern: str) -> str:
    return _CAPTURING.sub(lambda m: "(?:" if m.group() == "(" else m.group(), pattern)


@cache
def _combined() -> tuple[re.Pattern[str], dict[str, object]]:
    rules = lexer.Lexer.get_default_instance()._SQL_REGEX
    parts, actions, flags = [], {}, 0
    for k, (match, action) in enumerate(rules):
        compiled = match.__self__
        flags |= compiled.flags
        parts.append(f"(?P<r{k}>{_non_capturing(compiled.pattern)})")
        actions[f"r{k}"] = action
    return re.compile("|".join(parts), flags), actions


def tokenize(text: str, jump: Callable[[int], Any] | None = None
             ) -> Iterator[tuple[object, Any]]:
    """``(token type, value)`` pairs of ``text``, as ``sqlparse.lexer.tokenize`` gives.
    ``jump``, asked at each ``I`` or ``R`` that starts a token, may return a statement it read whole
    from there (anything with an ``end``): it is given as one ``(splitter.PLAIN, it)``
    pair, and lexing goes on at its end."""
    pattern, actions = _combined()
    lex = lexer.Lexer.get_default_instance()
    spans = keywords.find_delimited_spans(text)
    openers = spans.openers
    iterable = enumerate(text)
    for pos, char in iterable:
        if pos in openers:
            resolved = spans.resolve(pos)
            if resolved is not None:
                end, ttype = resolved
                yield ttype, text[pos:end]
                consume(iterable, end - pos - 1)
                continue
        if jump is not None and char in "IiRr" and (whole := jump(pos)) is not None:
            yield PLAIN, whole
            consume(iterable, whole.end - pos - 1)
            continue
        quoted = _QUOTED.get(char)
        if quoted is not None and (m := quoted[1].match(text, pos)) is not None:
            yield quoted[0], m.group()
            consume(iterable, m.end() - pos - 1)
            continue
        m = pattern.match(text, pos)
        if m is None:
            yield T.Error, char
            continue
        action = actions[m.lastgroup]
        if isinstance(action, T._TokenType):
            yield action, m.group()
        elif action is keywords.PROCESS_AS_KEYWORD:
            yield lex.is_keyword(m.group())
        consume(iterable, m.end() - pos - 1)
