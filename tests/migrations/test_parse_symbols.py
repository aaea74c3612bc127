"""A parse warning names the symbol it stopped at as written (QA C): a backslash came out
doubled (``unexpected '\\\\'``), as ``repr`` writes it."""

from __future__ import annotations

import pytest

SYMBOLS = [
    ("INSERT INTO u (a) VALUES (\\ 1);\n", "en", "(unexpected '\\' at 1:27)"),
    ("INSERT INTO u (a) VALUES (\\ 1);\n", "zh", "（1:27 处不应出现符号 '\\'）"),
]


@pytest.mark.parametrize(("sql", "lang", "wording"), SYMBOLS)
def test_a_symbol_is_named_as_written(sql: str, lang: str, wording: str, pia_check) -> None:
    code, out, _err = pia_check("--lang", lang, "--dialect", "postgres", "V1.sql",
                                files={"V1.sql": sql})
    assert (code, wording in out) == (0, True), out
