"""Untrusted text made safe to print: nothing in it can drive a terminal or hide what it says.

Strings in reports and bundles come from the audited systems and from whoever made the file
(table names, object keys, finding titles, acceptance reasons). Written raw to a terminal, an
escape sequence in one of them can clear the screen and the scrollback (erasing a verdict
printed above it), set the window title or rewrite lines; a bidi override can reorder what a
reader sees; a newline or tab breaks a table's layout. ``printable`` shows each such
character escaped, as Python would write it (``\\x1b``, ``\\x9b``, ``\\n``, ``\\u202e``), and
leaves all other text, Chinese and Tibetan included, unchanged. One implementation for every
plain-text output: ``pia bundle verify``, ``pia bundle show`` and the terminal report.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

#: C0 controls (tab and newline too), DEL, C1 controls (8-bit CSI \\x9b, OSC \\x9d...), the
#: bidi marks, embeddings, overrides and isolates, the line/paragraph separators, and lone
#: surrogates (JSON may hold them; they cannot even be encoded for output).
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                    "\u2066-\u2069\ud800-\udfff]")


def printable(value: Any, limit: int | None = None) -> str:
    """``value`` as text with every unsafe character escaped; cut to ``limit`` characters
    (before escaping) when one is given."""
    text = str(value) if limit is None else str(value)[:limit]
    return UNSAFE.sub(_escaped, undecodable_escaped(text))


def masked_line(value: Any) -> str:
    """``printable(value)`` with every identifier's shape in it masked, for a one-line
    error or warning: the paths, globs and database, user or file names such a line quotes
    come from the audited estate and may hold a person's number (QA: ``sources logs and
    logs/13812345678 overlap``, ``--include 'x' matches no table in .../db_13812345678``
    were printed raw). Text without a digit holds no such shape and loads no masking. A
    secret such a line quotes (a URI's password or ``aws_secret_access_key=``) is hidden
    too (``pia.uri.scrub``)."""
    from pia.uri import scrub

    text = scrub(str(value))
    if any(c.isdigit() for c in text):
        from pia.masking import mask_text

        text = mask_text(text, [])
    return printable(text)


def short_path(path: object, keep: int = 60) -> str:
    """A path fit for a one-line error: printable, and cut in the middle when long (a 5,000
    character name said nothing more than its ends)."""
    text = os.fsdecode(path) if isinstance(path, bytes | str) else str(path)
    if len(text) > 2 * keep:
        text = f"{text[:keep]}…{text[-keep:]}"
    return printable(text)


#: a run of non-ASCII characters holding at least one byte that was not UTF-8 (Python reads
#: such a byte of a file name as a surrogate escape, U+DC80–U+DCFF)
_UNDECODABLE_RUN = re.compile("[^\x00-\x7f\ud800-\udc7f\udd00-\udfff]*[\udc80-\udcff]"
                              "[^\x00-\x7f\ud800-\udc7f\udd00-\udfff]*")


def undecodable_escaped(text: str) -> str:
    """``text`` with each run of non-ASCII characters that holds an undecodable byte written
    byte by byte (``\\xbf\\xcd\\xbb``), so that a name can be printed, written as UTF-8
    and hashed.

    Escaping only the undecodable bytes would leave a GBK name half escaped: some of its byte
    pairs happen to be valid UTF-8 (``\\xcd\\xbb`` reads as ``ͻ``), and the name printed
    would be neither its bytes nor its text. A whole run of bytes escaped is the name's real
    bytes, which ``printf`` can recreate; ASCII around it (``.log``, ``/``) stays as it is.
    """
    if _UNDECODABLE_RUN.search(text) is None:
        return text
    return _UNDECODABLE_RUN.sub(
        lambda m: "".join(f"\\x{byte:02x}"
                          for byte in m.group().encode("utf-8", "surrogateescape")), text)


def _escaped(match: re.Match[str]) -> str:
    """The character as Python writes it in a literal: ``\\x1b``, ``\\u202e``."""
    return ascii(match.group())[1:-1]


#: what ``printable`` escapes but a rendered document's own line breaks and indentation
_UNSAFE_IN_DOCUMENTS = re.compile(UNSAFE.pattern.replace("\x00-\x1f", "\x00-\x08\x0b-\x1f"))


def document_safe(text: str) -> str:
    """A rendered document (HTML, Markdown) with every unsafe character escaped but its line
    breaks and tabs: it is printed to a terminal when no ``-o`` is given."""
    return _UNSAFE_IN_DOCUMENTS.sub(_escaped, text)


def map_strings(value: Any, change: Callable[[str], str]) -> Any:
    """``value`` (JSON data) with ``change`` applied to every string in it, keys included:
    what a document does to all its text before it is shown (SARIF made printable, a bundle's
    quoted values masked)."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {map_strings(k, change): map_strings(v, change) for k, v in value.items()}
    if isinstance(value, list):
        return [map_strings(v, change) for v in value]
    return value
