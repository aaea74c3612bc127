"""No raw PI value in any output: not in a parse warning, in any format."""

from __future__ import annotations

import pytest

RAW = ("13812345678", "11010519491231002X", "张三")

UNREADABLE = [
    "13812345678,11010519491231002X,张三\n",
    '"11010519491231002X" foo;\n',
    "张三 13812345678;\n",
    "ALTER TABLE '13812345678' ADD (x text;\n",
]


@pytest.mark.parametrize("sql", UNREADABLE)
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_parse_warnings_never_quote_the_statement(sql: str, fmt: str, pia_check) -> None:
    _code, out, err = pia_check("V1__pasted.sql", "-f", fmt, files={"V1__pasted.sql": sql})
    assert "PIA-SQL-PARSE" in out
    for value in RAW:
        assert value not in out and value not in err


def test_a_keyword_or_symbol_is_still_named(pia_check) -> None:
    sql = "*/ SELECT 1;\nCREAT TABLE x (a int);\n"
    _code, out, _err = pia_check("V1.sql", files={"V1.sql": sql})
    assert "(starts with '*')" in out
    assert "(starts with a name that is not a SQL keyword)" in out
