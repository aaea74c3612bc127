"""The one-pattern lexer gives exactly sqlparse's tokens (it only matches faster)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlparse import lexer

from pia.migrations.fastlex import tokenize
from pia.migrations.lexcopy import lexer_copy
from pia.migrations.sqltext import strip_delimiters

CASES = sorted((Path(__file__).parent / "cases").glob("*.sql"))
PIECES = [*"abcXYZ019_ $'\"`()[]{},;.:*/+-=<>!?@#%^&|~\\\n\t", "--", "/*", "*/", "$$", "$a$",
          "E'", "N'", "SELECT", "CREATE TABLE", "BEGIN", "END", "身份证", "ORDER BY", "1.5e3",
          "::", "->>", "IS NOT NULL", "CHARACTER SET", "0x1F", "@@", ":name", "%(x)s",
          "LEFT OUTER JOIN", "DELIMITER $$", "COPY t FROM stdin;"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
def test_the_tokens_of_every_case_are_sqlparses(path: Path, dialect: str) -> None:
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: never lexed")
    lexed = lexer_copy(strip_delimiters(text), dialect)
    assert list(tokenize(lexed)) == list(lexer.tokenize(lexed))


def test_the_tokens_of_random_text_are_sqlparses() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
        assert list(tokenize(text)) == list(lexer.tokenize(text)), text
