r"""Character normalisation that never moves an offset, and escape decoding that does.

Chinese input methods produce full-width digits and letters (``１３８…``), Tibetan text uses
Tibetan digits (``༡༣༨…``) and full-width punctuation (``（+86）``, ``－``). Every mapping here
is one code point to one code point, so a match found in the normalised text has exactly the
same offsets in the original: no offset table is needed.

Two ways to apply the table give the same text. A line translates only its runs of such
characters. A buffer of many lines goes through a 65,536-entry table over its UTF-16 code
units (numpy). Scanning a megabyte of Chinese with a regex character class alone costs
20 ms, and Chinese prose is full of full-width commas and colons.

JSON's ``\uXXXX`` escapes and percent-encoded UTF-8 are the one exception: an escape is
six (or nine) characters of the original and one of the text searched, so ``decode_escapes``
gives an offset table with the decoded text, and only for text that holds one.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

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


_HEX_VALUE = np.full(128, -1, dtype=np.int64)  # of ASCII code points; -1: no hex digit
for _digit in "0123456789abcdefABCDEF":
    _HEX_VALUE[ord(_digit)] = int(_digit, 16)
_BACKSLASH, _U = ord("\\"), ord("u")


@dataclass(frozen=True, slots=True)
class Escapes:
    """Where the escapes of a text stood, to map offsets between it and its decoded form.

    Only escapes are stored (a dense table would cost eight bytes a character of a 100 MB
    line of JSON): ``at`` their characters' offsets in the decoded text, ``starts`` their
    offsets in the original, ``beyond`` the characters all escapes up to each had beyond one.
    """

    at: np.ndarray
    starts: np.ndarray
    beyond: np.ndarray

    def to_original(self, positions: np.ndarray) -> np.ndarray:
        """Offsets in the original of decoded ``positions`` (a match's start or end)."""
        before = np.searchsorted(self.at, positions, "left")  # escapes wholly before
        return positions + np.where(before > 0, self.beyond[before - 1], 0)

    def to_decoded(self, positions: np.ndarray) -> np.ndarray:
        """Decoded offsets of original ``positions`` that no escape straddles (line starts)."""
        before = np.searchsorted(self.starts, positions, "left")
        return positions - np.where(before > 0, self.beyond[before - 1], 0)


def decode_escapes(text: str) -> tuple[str, Escapes | None]:
    r"""``text`` with its JSON ``\uXXXX`` escapes and its percent-encoded UTF-8 characters
    (and the spaces and hyphens between digits) decoded, and where they stood (None when
    nothing was decoded).

    Serialisers with ``ensure_ascii`` write every non-ASCII character as an escape
    (``"\u5f20\u4e09"``), and some write digits so too; a URL writes a Chinese name in a
    query string as its UTF-8 bytes (``name=%E5%BC%A0%E4%B8%89``, as an access log keeps
    it). Recognizers must search the characters, while results must cover the escapes in
    the original. An escape decodes to one character whose span is the whole escape (the
    three percent escapes of a Chinese character are one), so a decoded match maps to one
    over whole escapes (``Escapes.to_original``). Percent escapes of ASCII stay as written
    (``for_search`` blanks those of punctuation), as do bytes that are no UTF-8.

    Text without a backslash or a percent sign costs two character searches.
    """
    # one character is found with memchr: a hundredth of the time "\\u" takes in Chinese
    found = []
    codes = None
    if "\\" in text and "\\u" in text:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        found.append(_json_escapes(codes))
    if "%" in text and (_PERCENT_UTF8.search(text) or _PERCENT_DIGIT_SEPARATOR.search(text)):
        found.append(_percent_escapes(text))
    found = [f for f in found if len(f[0])]
    if not found:
        return text, None
    if codes is None:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts, ends, values = (np.concatenate(column) for column in zip(*found, strict=True))
    if len(found) > 1:  # the two kinds never overlap: sorting by start interleaves them
        order = np.argsort(starts, kind="stable")
        starts, ends, values = starts[order], ends[order], values[order]
    # escapes never overlap: mark each one's characters after its first, and drop them (a
    # form's "+" is an escape of one character, a space: nothing to drop)
    covered = np.zeros(len(codes) + 1, dtype=np.int8)
    longer = ends - starts > 1
    covered[starts[longer] + 1] = 1
    covered[ends[longer]] = -1
    out = codes.copy()
    out[starts] = values
    out = out[np.cumsum(covered[:-1], dtype=np.int8) == 0]
    beyond = np.cumsum(ends - starts - 1)
    escapes = Escapes(starts - beyond + (ends - starts - 1), starts, beyond)
    return out.tobytes().decode("utf-32-le", "surrogatepass"), escapes


#: (starts, ends, code points) of escapes in a text
Spans = tuple[np.ndarray, np.ndarray, np.ndarray]


def _json_escapes(codes: np.ndarray) -> Spans:
    r"""The ``\uXXXX`` escapes among ``codes``. A UTF-16 surrogate pair of escapes is one
    character; a lone surrogate stays as written. A control character decodes to a space (a
    separator, as ``for_search`` blanks ``\n``): a newline would split the line. The run of
    backslashes before a ``u`` all belongs to the escape, since a JSON string escaped once
    more (a request body logged in a JSON log line) writes ``\\u5f20`` for the same
    character. A few numpy passes over the code points: a regex callback per escape costs
    five times more, and ensure_ascii Chinese is all escapes."""
    backslashes = np.flatnonzero(codes == _BACKSLASH)
    # the backslash right before an escape's u and its four hexadecimal digits
    order = np.flatnonzero(backslashes + 5 < len(codes))  # of each mark among backslashes
    order = order[codes[backslashes[order] + 1] == _U]
    marks = backslashes[order]
    values = np.zeros(len(marks), dtype=np.int64)
    for place in range(2, 6):  # -1 where a character is no hexadecimal digit
        digit = _HEX_VALUE[np.minimum(codes[marks + place], 127)]
        values = np.where((values < 0) | (digit < 0), -1, values << 4 | digit)
    marks, order, values = marks[values >= 0], order[values >= 0], values[values >= 0]
    # an escape starts at the first backslash of the run before its u
    firsts = np.arange(len(backslashes))
    firsts[1:][np.diff(backslashes) == 1] = 0
    starts = backslashes[np.maximum.accumulate(firsts)[order]]
    ends = marks + 6
    high = (values >= 0xD800) & (values < 0xDC00)
    low = (values >= 0xDC00) & (values < 0xE000)
    paired = np.zeros(len(marks), dtype=bool)  # a high surrogate right before a low one
    paired[:-1] = high[:-1] & low[1:] & (ends[:-1] == starts[1:])
    second = np.roll(paired, 1)  # the low ones paired
    values[paired] = 0x10000 + ((values[paired] - 0xD800) << 10) + values[second] - 0xDC00
    ends[paired] = ends[second]
    keep = ~second & (paired | ~(high | low))
    values = values[keep]
    values[values < 0x20] = 0x20
    return starts[keep], ends[keep], values


#: one percent-encoded UTF-8 character: a lead byte and its continuation bytes. Matched
#: character by character (a pattern over whole runs of escapes backtracked over each run
#: from every start: a 60 KB line of escapes took seconds)
_PERCENT_UTF8 = re.compile(r"%[C-Fc-f][0-9A-Fa-f](?:%[89ABab][0-9A-Fa-f]){1,3}")
#: a space or a hyphen between digits, percent-encoded (``phone=138%201234%205678``, as a
#: form posts a mobile typed with separators): decoded, the number reads as it was typed.
#: Opens with its literal, so ``re`` looks for the percent sign first.
_PERCENT_DIGIT_SEPARATOR = re.compile(r"%2[0Dd](?=[0-9])(?<=[0-9]%2[0Dd])")
#: ... and, once a text holds one, the space between words of a query string: ``%20``, and
#: a form's ``+`` beside an escape (a form writes a plus sign %2B)
_PERCENT_CHAR = re.compile(_PERCENT_UTF8.pattern + "|" + _PERCENT_DIGIT_SEPARATOR.pattern
                           + r"|%20|\+(?=%[0-9A-Fa-f]{2})|(?<=%[0-9A-Fa-f]{2})\+")


def _percent_escapes(text: str) -> Spans:
    """The percent-encoded UTF-8 characters of ``text``, and its spaces (``%20``, a form's
    ``+``): each character's bytes, three characters an escape, decode to one character."""
    starts: list[int] = []
    ends: list[int] = []
    values: list[int] = []
    for match in _PERCENT_CHAR.finditer(text):
        if match[0] == "+":
            starts.append(match.start())
            ends.append(match.end())
            values.append(0x20)
            continue
        raw = bytes.fromhex(match[0].replace("%", ""))
        size = 1 if raw[0] < 0x80 else 2 if raw[0] <= 0xDF else 3 if raw[0] <= 0xEF else 4
        try:
            char = raw[:size].decode("utf-8") if size <= len(raw) else ""
        except UnicodeDecodeError:
            char = ""
        if len(char) == 1:
            starts.append(match.start())
            ends.append(match.start() + 3 * size)
            values.append(ord(char))
    return (np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64),
            np.array(values, dtype=np.int64))


def decoded(value: str) -> str:
    r"""A matched value with its escapes (JSON ``\uXXXX``, percent-encoded UTF-8) decoded:
    what masks and fingerprints must see, so that a value has one identity however it was
    serialised."""
    return decode_escapes(value)[0]


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
    mapped = np.take(_UNITS, units)  # twice as quick as indexing, for the same table lookup
    if np.array_equal(mapped, units):
        return text
    out = codecs.utf_16_le_decode(mapped, "surrogatepass", True)[0]  # no copy to bytes first
    # a lone high surrogate right before a lone low one would decode as one character
    return out if len(out) == len(text) else normalize_runs(text)
