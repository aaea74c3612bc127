"""sqlparse's statement splitter, over ``(type, value)`` pairs, and able to step over a
plain INSERT read whole.

``sqlparse.engine.StatementSplitter.process`` wraps every token in a ``sql.Token`` and every
statement in a ``sql.Statement``, which the checker flattens again at once: on a seed file,
a fifth of the time it spent reading. ``Splitter.split`` makes the same cuts (the level
logic is sqlparse's own ``_change_splitlevel``; the loop is ``process``'s, held equal to it by
``tests/migrations/test_plain_insert.py``) and yields each statement as the list of its
pairs.

A ``PLAIN`` pair stands for a whole statement that ``pia.migrations.plaininsert`` read
without tokens; ``at_start`` says where one may begin: where ``process`` would start a new
statement with the next token.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlparse import tokens as T
from sqlparse.engine import StatementSplitter

#: the type of a pair whose value is a statement read whole (``plaininsert.Rows``)
PLAIN = T.Token.Pia.PlainInsert
#: what may follow a finished statement and still belong to it: a tuple, compared by
#: equality as ``process`` compares it, so a newline (``Whitespace.Newline``) does not
_TAIL = (T.Whitespace, T.Comment.Single)
#: the tokens that leave ``_seen_begin`` as it is (``process``'s own tuple)
_QUIET = (T.Whitespace, T.Newline, T.Comment.Single, T.Comment.Multiline)

Pair = tuple[Any, Any]


class Splitter(StatementSplitter):
    """Cuts a token stream into statements as sqlparse does (see the module's text)."""

    def _reset(self) -> None:
        super()._reset()
        self.code = False  # a token other than white space and comments is pending

    @property
    def at_start(self) -> bool:
        """Would the next token start a statement? (Comments and white space before it go
        with it, as ``process`` keeps them.)"""
        return self.consume_ws or not self.code

    def split(self, stream: Iterable[Pair]) -> Iterator[list[Pair]]:
        for ttype, value in stream:
            if self.consume_ws and ttype not in _TAIL:
                yield self.tokens
                self._reset()
            if ttype is PLAIN:  # read whole, up to and with its ";"
                self.tokens.append((ttype, value))
                self.code = self.consume_ws = True
                continue
            self.level += self._change_splitlevel(ttype, value)
            self.tokens.append((ttype, value))
            if not (ttype in T.Whitespace or ttype in T.Comment):
                self.code = True
            if ttype is T.Punctuation and value == ";":
                self._seen_begin = False
                if self.level <= 0 and "BEGIN" not in self._block_stack:
                    self.consume_ws = True
            elif ttype is T.Keyword and value.split()[0] == "GO":
                self.consume_ws = True
            elif ttype not in _QUIET and not (ttype is T.Keyword and value.upper() == "BEGIN"):
                self._seen_begin = False
        if self.tokens and not all(ttype in T.Whitespace for ttype, _ in self.tokens):
            yield self.tokens
