"""What an expression does to the values it writes: encrypt, hash or decrypt them.

A migration changes what a column holds without renaming it: ``ALTER COLUMN c TYPE bytea
USING pgp_sym_encrypt(c, k)`` encrypts it in place, ``USING pgp_sym_decrypt(c, k)`` makes
it plaintext, ``UPDATE t SET c_enc = aes_encrypt(c, k)`` rewrites renamed values, and a
``STORED`` generated column or a ``CREATE TABLE ... AS SELECT`` expression computed with
``AES_DECRYPT(c_enc, k)`` stores the plaintext of ``c_enc``. The outermost such call says
what is stored: ``pgp_sym_encrypt(pgp_sym_decrypt(c, k1), k2)`` re-encrypts. ``trim``,
``upper`` and other functions change nothing of that.

What each kind is said to be, as a column's text (``columns.derive`` puts it first), is read
by the verdicts as a comment is: a ``[pia:...]`` marker protects, and ``plaintext`` outranks
a protective name, for the column and for later copies of it.
"""

from __future__ import annotations

import re

from sqlparse import tokens as T

from pia.migrations.sqltext import Tok, unquote_identifier

#: a function call: its name, as written before its parenthesis
_CALL = re.compile(r"([A-Za-z_][\w$]*)\s*\(")
#: digests without a key: a digest of an identifier is reversed by enumerating it
_DIGESTS = frozenset({"digest", "md5", "sha", "sha1", "sha2", "sha224", "sha256", "sha384",
                      "sha512", "sm3"})

#: what a column rewritten so holds from then on (``says_plaintext`` reads ``plaintext``)
DECRYPTED = "(decrypted in place: plaintext)"
SAID = {
    "decrypted": DECRYPTED,
    "encrypted": "(encrypted in place) [pia:encrypted]",
    "hashed_keyed": "(hashed in place with a key) [pia:hashed_keyed]",
    "hashed": "(hashed in place) [pia:hashed]",
    "digest": "(an unsalted digest in place) [pia:hashed]",
}
#: the text that says the digest is unsalted: an enumerable identifier is then reversible
UNSALTED = SAID["digest"]


def kind_of(function: str) -> str:
    """What a function does to a value: decrypted, encrypted, hashed_keyed, hashed (a
    salted ``crypt``), digest (no key, no salt), or '' (nothing of that)."""
    name = function.lower()
    if "decrypt" in name:
        return "decrypted"
    if "encrypt" in name:  # pgp_sym_encrypt, pgp_pub_encrypt, encrypt_iv, aes_encrypt, sm4
        return "encrypted"
    if "hmac" in name:
        return "hashed_keyed"
    if name == "crypt":  # crypt(p, gen_salt('bf')): salted
        return "hashed"
    return "digest" if name in _DIGESTS else ""


def rewrite_of(expression: str) -> str:
    """What the outermost encrypting, hashing or decrypting call of ``expression`` makes of
    the values ('' when it calls none)."""
    for call in _CALL.finditer(expression):
        kind = kind_of(call.group(1))
        if kind:
            return kind
    return ""


def decrypted_column(toks: list[Tok]) -> tuple[str, str] | tuple[()]:
    """The column whose decryption an expression's outermost crypto call stores, as
    ``(qualifier, column)`` (qualifier '' when unqualified): ``CAST(AES_DECRYPT(`id_no_enc`,
    'k') AS CHAR)`` → ('', 'id_no_enc'); () when it decrypts nothing, or no column."""
    for k, tok in enumerate(toks):
        if not (k + 1 < len(toks) and toks[k + 1].value == "(" and kind_of(tok.value)):
            continue
        if kind_of(tok.value) != "decrypted":
            return ()
        names: list[str] = []
        for inner in toks[k + 2:]:  # the first argument's innermost column, u.sfzh_enc
            if inner.value in (",", ")"):
                break
            if inner.value == "(":
                names = []
            elif inner.ttype in T.Name and not names or names and names[-1] == ".":
                names.append(unquote_identifier(inner.value))
            elif inner.value == "." and names:
                names.append(".")
        names = [n for n in names if n != "."]
        if not names:
            return ()
        return (names[-2] if len(names) > 1 else "", names[-1])
    return ()


def stored_decryption(table: str, element: list[Tok]) -> tuple[str, str] | tuple[()]:
    """The ``(table, column)`` a ``STORED`` generated column of ``table`` decrypts (``c9
    varchar(18) GENERATED ALWAYS AS (AES_DECRYPT(id_no_enc, k)) STORED``). A ``VIRTUAL`` one
    (MySQL's default; PostgreSQL 18's too) stores nothing: it is computed when read, and
    judged by its name alone, as any column."""
    if not any(t.upper in ("STORED", "PERSISTENT") for t in element):  # MariaDB: PERSISTENT
        return ()
    start = next((k for k, t in enumerate(element) if t.is_kw("AS")), None)
    found = () if start is None else decrypted_column(element[start + 1:])
    return (table, found[1]) if found else ()


def selected_decryption(expr: list[Tok], sources: dict[str, str]) -> tuple[str, str] | tuple[()]:
    """The ``(table, column)`` a select item of ``CREATE TABLE ... AS SELECT`` decrypts
    (``CAST(AES_DECRYPT(u.id_no_enc, k) AS CHAR) AS c1``), its table found by the alias in
    ``sources`` (``clauses.from_tables``), or the one table of the ``FROM`` clause."""
    found = decrypted_column(expr)
    if not found:
        return ()
    tables = set(sources.values())
    table = sources.get(found[0].lower(), "") if found[0] else (
        tables.pop() if len(tables) == 1 else "")
    return (table, found[1]) if table else ()


#: where the expression assigned to a column ends: the next ``, name =``, or ``WHERE``
_NEXT_ASSIGNMENT = re.compile(r",\s*[\"`]?\w+[\"`]?\s*=(?!=)|\bWHERE\b|\bFROM\b", re.I)


def rewritten(text: str, table: str, names: tuple[str, ...]) -> bool:
    """Does the migration rewrite a renamed column's values as protected ones (``UPDATE
    kyc SET id_card_enc = pgp_sym_encrypt(...)``, or ``hmac``/``digest``), by any of its
    ``names``? Then the rename is part of a rewrite, not a relabelling. An ``UPDATE`` whose
    expression encrypts nothing (``trim(id_card_enc)``, ``upper(...)``) rewrites plaintext as
    plaintext (QA)."""
    table = re.escape(table.rpartition(".")[2])
    either = "|".join(re.escape(n) for n in names if n)
    for update in re.finditer(rf"\bUPDATE\s+[\w.\"`]*?[\"`]?{table}[\"`]?\s[^;]*?\bSET\b"
                              rf"[^;]*?[\"`]?\b(?:{either})\b[\"`]?\s*=([^;]*)", text, re.I):
        expression = _NEXT_ASSIGNMENT.split(update.group(1))[0]  # not b's in a = x, b = y
        if rewrite_of(expression) not in ("", "decrypted"):
            return True
    return False
