"""Character normalisation that never moves an offset.

Chinese input methods produce full-width digits and letters (``１３８…``), Tibetan text uses
Tibetan digits (``༡༣༨…``) and full-width punctuation (``（+86）``, ``－``). Every mapping here
is one code point to one code point, so a match found in the normalised text has exactly the
same offsets in the original: no offset table is needed.

Two ways to apply the table give the same text. A line translates only its runs of such
characters. A buffer of many lines goes through a 65,536-entry table over its UTF-16 code
units (numpy). Scanning a megabyte of Chinese with a regex character class alone costs
20 ms, and Chinese prose is full of full-width commas and colons.
"""

from __future__ import annotations

import re

import numpy as np

_TABLE: dict[int, int] = {}
_TABLE.update({cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)})  # full-width ASCII block
_TABLE[0x3000] = 0x20  # ideographic space
_TABLE.update({0x0F20 + i: 0x30 + i for i in range(10)})  # Tibetan digits ༠-༩
_TABLE.update({0x2010: 0x2D, 0x2011: 0x2D, 0x2012: 0x2D, 0x2013: 0x2D, 0x2212: 0x2D})  # dashes
# the ideographic full stop (。) stays: it ends far more sentences right after an email or
# an IP ("请发邮件至zs@example.com。") than an input method writes it inside one

_NEEDS = re.compile("[\uff01-\uff5e\u3000\u0f20-\u0f29\u2010-\u2013\u2212]+")

#: the table over UTF-16 code units (every key is in the Basic Multilingual Plane, and
#: surrogates map to themselves, so characters beyond it pass through untouched)
_UNITS = np.arange(1 << 16, dtype=np.uint16)
for _key, _value in _TABLE.items():
    _UNITS[_key] = _value

#: from this many characters on, the numpy path is the cheaper one
BUFFER_MIN = 4096


#: escapes of ASCII punctuation, which separate values just as the punctuation would:
#: percent-encoding (``phone%3D13812345678``), and JSON's ``\n``, ``\t``, ``\r`` and
#: ``\u003d`` (Gson writes ``=`` so). Escapes of letters and digits are left alone.
_PUNCT_HEX = "(?:2[0-9A-Fa-f]|3[A-Fa-f]|40|5[B-Fb-f]|60|7[B-Eb-e])"
#: ``%40`` stays: it is the at sign of an email in a query string (zs%40example.com),
#: which the email recognizer reads as written; so does ``%2B86``, the plus of a mobile's
#: country code (phone=%2B8613812345678), which the mobile recognizer reads
_PERCENT_ESCAPE = re.compile("%(?!40|2[Bb]86)" + _PUNCT_HEX)
_JSON_ESCAPE = re.compile(r"\\[nrt]")
_UNICODE_ESCAPE = re.compile(r"\\u00" + _PUNCT_HEX)


def for_search(text: str) -> str:
    """``normalize``d text with punctuation escapes blanked: what recognizers search.

    Each escape becomes as many spaces as it has characters, so offsets still hold. Only
    detection sees this form; reported values are cut from the original by offset.
    """
    text = normalize(text)
    if "%" in text:
        text = _PERCENT_ESCAPE.sub("   ", text)
    if "\\" in text:
        text = _UNICODE_ESCAPE.sub("      ", _JSON_ESCAPE.sub("  ", text))
    return text


def _translate_run(match: re.Match[str]) -> str:
    return match.group().translate(_TABLE)


def normalize(text: str) -> str:
    """Return ``text`` with full-width, Tibetan-digit and dash variants mapped to ASCII.

    ``len(normalize(t)) == len(t)`` always holds.
    """
    if text.isascii():
        return text
    if len(text) >= BUFFER_MIN:
        return _normalize_buffer(text)
    return normalize_runs(text)


def normalize_runs(text: str) -> str:
    """``normalize`` by translating each run of mapped characters (short texts)."""
    if _NEEDS.search(text) is None:
        return text
    return _NEEDS.sub(_translate_run, text)


def _normalize_buffer(text: str) -> str:
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    mapped = _UNITS[units]
    if np.array_equal(mapped, units):
        return text
    out = mapped.tobytes().decode("utf-16-le", "surrogatepass")
    # a lone high surrogate right before a lone low one would decode as one character
    return out if len(out) == len(text) else normalize_runs(text)
