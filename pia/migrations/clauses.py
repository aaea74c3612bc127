"""The parts of a statement, read from its tokens: its comma-separated lists, matching
parentheses, qualified names, what a token is (never what it holds) and the tables it names:
the one it writes, and those of a ``FROM`` clause by alias. ``pia.migrations.parse`` reads
statements with them.
"""

from __future__ import annotations

from sqlparse import tokens as T

from pia.migrations.identity import qualified
from pia.migrations.sqltext import Tok, unquote_identifier
from pia.printable import printable


def is_name(tok: Tok, quoted: bool = True) -> bool:
    """Is ``tok`` a name? sqlparse lexes a ``"double-quoted"`` name as a string symbol (it is a
    string in MySQL): with ``quoted`` (every dialect but MySQL) it is a name, as ``"a"`` is
    in ``CREATE TABLE b AS SELECT "sfzh" FROM "a"`` (Django, Prisma and pg_dump quote all)."""
    return tok.ttype in T.Name or (quoted and tok.ttype in T.Literal.String.Symbol
                                   and tok.value.startswith('"'))


def split_top(tokens: list[Tok], sep: str = ",") -> list[list[Tok]]:
    """Split at top-level separators (outside parentheses)."""
    parts: list[list[Tok]] = [[]]
    depth = 0
    for tok in tokens:
        if tok.is_punct and tok.value == "(":
            depth += 1
        elif tok.is_punct and tok.value == ")":
            depth -= 1
        if depth == 0 and tok.is_punct and tok.value == sep:
            parts.append([])
        else:
            parts[-1].append(tok)
    return [p for p in parts if p]


def closing(tokens: list[Tok], start: int) -> int | None:
    """Index of the parenthesis closing the one at ``start``; None when unbalanced."""
    depth = 0
    for i in range(start, len(tokens)):
        tok = tokens[i]
        if tok.is_punct and tok.value == "(":
            depth += 1
        elif tok.is_punct and tok.value == ")":
            depth -= 1
            if depth == 0:
                return i
    return None


def name_at(tokens: list[Tok], i: int) -> tuple[str, Tok | None, int]:
    """A possibly qualified name starting at ``i``: (last part, its token, next index)."""
    parts: list[Tok] = []
    while i < len(tokens):
        tok = tokens[i]
        if tok.is_punct or tok.ttype in T.Operator:
            break
        parts.append(tok)
        i += 1
        if i < len(tokens) and tokens[i].is_punct and tokens[i].value == ".":
            i += 1
            continue
        break
    if not parts:
        return "", None, i
    return qualified([unquote_identifier(p.value) for p in parts]), parts[-1], i


_SYMBOLS = frozenset("()[]{},;.:*/+-=<>!?@#$%^&|~`'\"\\")


def describe(tok: Tok) -> dict[str, str]:
    """What a token is, never what it holds: a statement pia cannot read may be pasted data
    (``13812345678,11010519491231002X,张三``), so only a SQL keyword or a lone symbol is
    named as written (``word``); anything else by its kind (``token``, a message key)."""
    if tok.ttype in T.Keyword:
        return {"token": "keyword", "word": tok.upper}
    if tok.value in _SYMBOLS:  # as written: repr() wrote a backslash twice (QA)
        quote = '"' if tok.value == "'" else "'"
        return {"token": "symbol", "word": f"{quote}{tok.value}{quote}"}
    if tok.ttype in T.Literal.Number:
        return {"token": "number"}
    if tok.ttype is T.Error and tok.value[:1].isdigit():
        return {"token": "number_name"}
    if tok.ttype in T.Literal:
        return {"token": "string"}
    if tok.ttype in T.Name:
        return {"token": "name"}
    return {"token": "other"}


def named(tok: Tok | None) -> str:
    """`` name`` when the table is named by an identifier; '' when by anything else (a
    string or a number in its place may be pasted data)."""
    if tok is None or not (tok.ttype in T.Name or tok.ttype in T.Keyword):
        return ""
    return " " + printable(unquote_identifier(tok.value))


_WRITES = frozenset({"INSERT", "REPLACE", "UPSERT", "INSERT IGNORE", "UPDATE", "DELETE"})
#: words that bring another table into a statement: its literals' table is then unknown
_OTHER_TABLES = frozenset({"SELECT", "JOIN", "USING", "WITH", "FROM", "MERGE"})


def target_table(toks: list[Tok]) -> str:
    """The one table an INSERT, UPDATE or DELETE writes, or '' when it names others too (a
    SELECT, a join, ``UPDATE ... FROM``): ``INSERT INTO vip SELECT ... FROM users WHERE
    mobile = '...'`` compares the literal with ``users.mobile``, not ``vip.mobile``."""
    if not toks or toks[0].upper not in _WRITES:
        return ""
    others = [t for t in toks[1:] if t.ttype in T.Keyword and t.upper in _OTHER_TABLES]
    i = 1
    if toks[0].upper == "DELETE":
        if len(others) != 1 or not toks[1].is_kw("FROM"):
            return ""
        i = 2
    elif others:
        return ""
    while i < len(toks) and toks[i].is_kw("INTO", "IGNORE", "OR", "REPLACE", "LOW_PRIORITY",
                                          "DELAYED", "HIGH_PRIORITY", "ONLY"):
        i += 1
    return name_at(toks, i)[0]


#: words that end a FROM clause's list of tables
_FROM_ENDS = frozenset({"WHERE", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "UNION", "WINDOW",
                        "EXCEPT", "INTERSECT", "ON", "USING", "OFFSET", "FOR"})


def from_tables(toks: list[Tok], quoted: bool = True) -> dict[str, str]:
    """The tables of a FROM clause (and its joins), by their alias and by their own name,
    lowercased: ``users u JOIN kyc AS k`` → {u: users, users: users, k: kyc, kyc: kyc};
    ``quoted``: a ``"double-quoted"`` name is a name (see ``is_name``)."""
    out: dict[str, str] = {}
    i, depth, expect = 0, 0, True
    while i < len(toks):
        tok = toks[i]
        if tok.is_punct and tok.value in "()":
            depth += 1 if tok.value == "(" else -1
        elif depth == 0 and tok.upper in _FROM_ENDS:
            expect = False
        elif depth == 0 and (tok.is_punct and tok.value == "," or tok.upper.endswith("JOIN")):
            expect = True
        elif depth == 0 and expect and is_name(tok, quoted):
            table, _tok, i = name_at(toks, i)
            if i < len(toks) and toks[i].is_kw("AS"):
                i += 1
            short = table.rpartition(".")[2].lower()
            out[short] = table
            if i < len(toks) and is_name(toks[i], quoted):
                out[unquote_identifier(toks[i].value).lower()] = table
                i += 1
            expect = False
            continue
        i += 1
    return out


def copied_column(expr: list[Tok], sources: dict[str, str],
                  quoted: bool = True) -> tuple[str, str] | tuple[()]:
    """The (table, column) a select item names (``u.id_card``, or ``id_card`` from the one
    table of the FROM clause), or () for an expression or a column of several tables."""
    if not expr or not all(is_name(t, quoted) or t.value == "." for t in expr):
        return ()
    parts = [unquote_identifier(t.value) for t in expr if t.value != "."]
    if len(parts) >= 2:
        table = sources.get(parts[-2].lower(), "")
    else:
        tables = set(sources.values())
        table = tables.pop() if len(tables) == 1 else ""
    return (table, parts[-1]) if table else ()


def placement(element: list[Tok]) -> str | None:
    """Where MySQL's column definition ``element`` puts its column (``Column.after``): ''
    for a trailing ``FIRST``, ``c`` for ``AFTER c``, None when it says nothing. Both end
    the definition, so they are read there only: a name or a word of the type or of a
    ``DEFAULT`` is never taken for one."""
    if len(element) > 1 and element[-1].is_kw("FIRST"):
        return ""
    if len(element) > 2 and element[-2].is_kw("AFTER"):
        return unquote_identifier(element[-1].value)
    return None


def with_queries(query: list[Tok]) -> tuple[list[Tok], dict[str, str]]:
    """``WITH x AS (SELECT * FROM u) SELECT ... FROM x``: the select after the ``WITH``
    list, and the table each query of it copies whole (a select of ``*`` from one table:
    ``{"x": "u"}``), so a copy of ``x`` is a copy of ``u``. A query of another shape names
    no table: a copy of it is one of a table no migration defines, and said so."""
    i, out = 1, {}
    if i < len(query) and query[i].is_kw("RECURSIVE"):
        i += 1
    while i < len(query):
        name = unquote_identifier(query[i].value).lower()
        i += 1
        if i < len(query) and query[i].value == "(":  # y (a, b) AS (...)
            i = (closing(query, i) or len(query)) + 1
        while i < len(query) and query[i].is_kw("AS", "NOT", "MATERIALIZED"):
            i += 1
        if i >= len(query) or query[i].value != "(":
            break
        end = closing(query, i) or len(query)
        body = query[i + 1:end]
        sources = set(from_tables(body[3:]).values()) if len(body) > 3 else set()
        if body[:3] and body[0].is_kw("SELECT") and body[1].value == "*" and body[2].is_kw(
                "FROM") and len(sources) == 1:
            out[name] = sources.pop()
        i = end + 1
        if i >= len(query) or query[i].value != ",":
            break
        i += 1
    return query[i:], out
