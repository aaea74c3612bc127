"""Masked samples and keyed fingerprints: the only forms in which pia ever shows a value.

A mask keeps what tells the kind of value (the region prefix of a resident ID, the carrier
prefix of a mobile, the domain of an email) and nothing that identifies the person. A
fingerprint is HMAC-SHA256 under an organisation key, so a regulator can match records across
reports without seeing them, and nobody without the key can enumerate the value space
(an unsalted hash of an 18-digit ID can be reversed in minutes).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from pia.detection.normalize import decoded, normalize
from pia.errors import ConfigError

_SEPARATORS = re.compile(r"[\s\-·•・()（）]")
_STAR = "*"

FINGERPRINT_KEY_ENV = "PIA_FINGERPRINT_KEY"
FINGERPRINT_KEY_FILE_ENV = "PIA_FINGERPRINT_KEY_FILE"
MIN_KEY_BYTES = 16


def _key_shortfall(key: bytes) -> str | None:
    """Why ``key`` is too weak to key an HMAC, or None. Surrounding whitespace does not
    count: sixteen spaces are as guessable as none, and a key file's content is read
    stripped, so a key is judged alike from the variable and from a file."""
    kept = len(key.strip())
    if kept >= MIN_KEY_BYTES:
        return None
    reason = "it is only whitespace" if key and not kept else f"it has {kept}"
    if kept and kept != len(key):
        reason += " besides surrounding whitespace"
    return f"the fingerprint key must be at least {MIN_KEY_BYTES} bytes ({reason})"


def _compact(value: str) -> str:
    return _SEPARATORS.sub("", value)


def _keep(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return _STAR * len(value)
    return value[:head] + _STAR * (len(value) - head - tail) + (value[-tail:] if tail else "")


def _mask_mobile(value: str) -> str:
    digits = re.sub(r"\D", "", re.sub("%2B", "+", value, flags=re.I))  # %2B86 in a URL
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return _keep(digits, 3, 4)


def _mask_email(value: str) -> str:
    local, _, domain = value.replace("%40", "@").partition("@")
    return (local[:1] + _STAR * 3 if local else _STAR) + "@" + domain


def _mask_ip(value: str) -> str:
    if ":" in value:
        groups = value.split(":")
        return ":".join(groups[:2] + [_STAR] * (len(groups) - 2))
    # any separator between octets (192。168。1。23 as an input method writes it)
    octets = re.split(r"[^0-9]+", value)
    return ".".join(octets[:2] + [_STAR] * (len(octets) - 2))


def _mask_letters_prefix(value: str) -> str:
    compact = _compact(value)
    prefix = re.match(r"[A-Za-z]*", compact).group(0)
    return prefix + _STAR * (len(compact) - len(prefix))


#: what a value of each entity type looks like (separators removed, upper case): a mask
#: keeps a part of the value that is safe to show only for a value of that shape. A user's
#: recognizer may name a built-in entity for values of another shape (``IP_ADDRESS`` for
#: ``srv-zhangsan-01:8080``, ``CN_PASSPORT`` for a name in capitals), which the type's mask
#: kept whole; such a value gets the mask of an unknown type.
_SHAPES = {
    "CN_RESIDENT_ID": re.compile(r"\d{17}[\dX]|\d{15}"),
    "CN_MOBILE": re.compile(r"(?:\+?86|%2B86|0086)?1\d{10}"),
    "CN_LANDLINE": re.compile(r"(?:\+?86)?\d{7,12}(?:(?:转|EXT\.?|X)\d{1,6})?"),
    "CN_BANK_CARD": re.compile(r"\d{12,19}"),
    "CREDIT_CARD": re.compile(r"\d{12,19}"),
    "EMAIL_ADDRESS": re.compile(r"[^@\s]+(?:@|%40)[^@\s]+\.[^@\s.]+"),
    "IP_ADDRESS": re.compile(r"\d{1,3}(?:[^\d]\d{1,3}){3}|[0-9A-F]*:[0-9A-F]*:[0-9A-F:.]*"),
    "CN_PASSPORT": re.compile(r"[A-Z]{0,2}\d{6,10}"),
    "CN_HK_MACAO_PERMIT": re.compile(r"[A-Z]{0,2}\d{6,10}"),
    "CN_TAIWAN_PERMIT": re.compile(r"[A-Z]{0,2}\d{6,10}"),
    "CN_LICENSE_PLATE": re.compile(r"[\u4e00-\u9fff][A-Z][A-Z0-9]{4,6}[\u4e00-\u9fff]?"),
    "CN_USCC": re.compile(r"[0-9A-Z]{18}"),
}


def _unknown(value: str) -> str:
    """The mask of a value of no known shape: its first and last characters when it is long
    enough to keep a secret in the middle, else nothing."""
    compact = value.strip()
    return _keep(compact, 1, 1) if len(compact) > 6 else _STAR * len(compact)


#: what a mask may keep a character of: numbers, as a coordinate is written (39.904211,
#: "116.40,39.90", -33.86 151.21); words (a hotel, a street) are masked whole
_NUMBERS = re.compile(r"[0-9.,;:°'\"NSEWnsew+\- ]+")


def mask(entity_type: str, value: str) -> str:
    """Return a masked form of ``value`` that keeps only what identifies its kind.

    The value is normalised first: the mask splits on ASCII separators, and an IP written
    with full-width digits and dots (１９２．１６８．１．２３) would otherwise keep every octet.
    A value that does not have its type's shape is masked as one of an unknown type.
    """
    if not value:
        return value
    # an escape (\u5f20, %E5%BC%A0) masks as its character, a digit of any script as ASCII
    value = _ascii_digits(normalize(decoded(value)))
    shape = _SHAPES.get(entity_type)
    if shape is not None and not shape.fullmatch(_compact(value).upper()):
        return _unknown(value)
    match entity_type:
        case "CN_RESIDENT_ID":
            return _keep(_compact(value).upper(), 4, 4)
        case "CN_MOBILE":
            return _mask_mobile(value)
        case "CN_LANDLINE":  # the area code (3 digits for 010 and 02x, else 4), no more
            compact = re.sub(r"[^\d]", "", value)
            area = 3 if compact.startswith(("010", "02")) else 4 if compact.startswith("0") \
                else 0
            return _keep(compact, area, 2)
        case "CN_BANK_CARD" | "CREDIT_CARD":
            return _keep(_compact(value), 4, 4)
        case "EMAIL_ADDRESS":
            return _mask_email(value)
        case "IP_ADDRESS":
            return _mask_ip(value)
        case "CN_NAME" | "PERSON":
            return value[:1] + _STAR * (len(value) - 1)
        case "CN_ADDRESS":  # the region a third of it names (at most 6 characters), no more
            return value[:min(6, len(value) // 3)] + _STAR * 3
        case "CN_PASSPORT" | "CN_HK_MACAO_PERMIT" | "CN_TAIWAN_PERMIT":
            return _mask_letters_prefix(value)
        case "CN_LICENSE_PLATE":
            compact = _compact(value)
            return compact[:2] + _STAR * (len(compact) - 2)
        case "CN_USCC":
            return _keep(_compact(value), 2, 0)
        case "CREDENTIAL":  # neither a character nor the length of a secret
            return _STAR * 8
        case ("HEALTH" | "CRIMINAL_RECORD" | "SEXUAL_ORIENTATION" | "RELIGION"
              | "FINANCIAL_RECORD" | "MARITAL_STATUS"):
            # free text whose first character can say it all (癌, 艾, 盗, 逾): none is kept
            return _STAR * len(value)
        case "PRECISE_LOCATION" if not _NUMBERS.fullmatch(value):
            return _STAR * len(value)  # a lodging record's first word names the hotel
        case _:
            return _unknown(value)


def mask_text(text: str, found: Iterable[tuple[str, int, int]]) -> str:
    """``text`` with each value found in it, as (entity type, start, end), masked as ``mask``
    masks it: for free text a report shows (a column comment that gives an example). What
    has an identifier's shape (``shaped_identifiers``) is masked too, found or not: the
    engine is precise, a mask must be eager."""
    out, last = [], 0
    spans = sorted({*found, *shaped_identifiers(text)}, key=lambda f: (f[1], -f[2]))
    for entity_type, start, end in spans:
        if end <= last:  # within a value already masked
            continue
        if start < last:  # overlapping finds: the rest of this one is hidden whole
            out.append(_STAR * (end - last))
        else:
            out += [text[last:start], mask(entity_type, text[start:end])]
        last = end
    return "".join([*out, text[last:]])


#: an 18-digit resident ID (whole, in its printed 6-8-4 groups, or with the birth date
#: split too: 6-4-4-4, 6-4-2-2-4; the last digit may be X) or a 15-digit legacy one; a
#: mobile number with or without +86/0086/86 (3-4-4 groups allowed); a bank card's 16 to
#: 19 digits (4-4-4-4 groups allowed). Each stands alone: no digit touches it, so no part
#: of a longer digit run is taken for one.
_ID_SHAPE = re.compile(r"(?<![0-9])(?:[0-9]{6}[ -]?[0-9]{4}[ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?"
                       r"[0-9]{3}[0-9Xx]|[0-9]{15})(?![0-9])")
_MOBILE_SHAPE = re.compile(r"(?<![0-9+])(?:(?:\+86|0086|86)[ -]?)?1[3-9][0-9]"
                           r"(?:[ -]?[0-9]{4}){2}(?![0-9])")
_CARD_SHAPE = re.compile(r"(?<![0-9])[0-9]{4}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?(?![0-9])")


def shaped_identifiers(text: str) -> list[tuple[str, int, int]]:
    """Spans of the values in ``text`` that have an identifier's shape, whatever their check
    digit and whatever words are near them: (entity type, start, end).

    The detection engine reports a resident ID only when its check digit holds, a bank card
    only when Luhn holds, and drops either next to a word such as 编号 or 订单. That keeps
    findings precise, but free text a report shows (a column comment, a note, a reason, a
    name) must never carry a real person's number, and legacy or hand-typed numbers often
    fail their check digit (``440301198801011235``). So here:

    - an 18-digit (or 15-digit legacy) number is a resident ID when it starts with a
      province code and holds a real birth date (1900 to today): a timestamp
      (``20240101...``) or an order number starting with a date starts with no province,
      and a random number holds a real date one time in about thirty;
    - an 11-digit number in a mobile network's number segment (13x to 19x) is a mobile;
    - a 16- to 19-digit number starting with a Chinese issuer's BIN (62, 60, 9x, the
      large banks' Visa and Mastercard BINs) is a bank card, Luhn or not, unless it has
      at most two distinct digits (test data such as 6666666666666666).

    Other numbers (amounts, counters, timestamps, order numbers) stay readable, and so
    does a mobile-shaped number that a quantity labels as the mobile recognizer's own
    negative context does (``size 13800138000 bytes``, ``"size_13800138000"``): an ID or
    a card is masked whatever labels it. A single space or hyphen may separate groups, and so
    may any white space, a dot, an underscore or a slash (``_DIGIT_SEPARATOR``); format
    characters (a zero-width space, a soft hyphen) are read as nothing. The text is searched
    in its ``normalize``d form with every Unicode decimal digit read as its ASCII digit
    (``_ascii_digits``), which has the same offsets.
    """
    if _ELEVEN_DIGITS.search(_INVISIBLE.sub("", text)) is None:  # every shape has 11 digits
        return []
    searched, at = _searchable(text)
    return [(kind, at(start), at(end - 1) + 1) for kind, start, end in _shaped(searched)]


def _shaped(searched: str) -> list[tuple[str, int, int]]:
    """``shaped_identifiers`` in a text made ``_searchable``."""
    bins, mobiles = _prefixes()
    found: list[tuple[str, int, int]] = []
    for m in _ID_SHAPE.finditer(searched):
        if _resident_id_shaped(_SEPARATOR.sub("", m.group())) and not _in_hex(searched, m):
            found.append(("CN_RESIDENT_ID", m.start(), m.end()))
    for m in _CARD_SHAPE.finditer(searched):
        digits = _SEPARATOR.sub("", m.group())
        if digits.startswith(bins) and len(set(digits)) > 2 \
                and not _overlaps(found, m.start(), m.end()) and not _in_hex(searched, m):
            found.append(("CN_BANK_CARD", m.start(), m.end()))
    for m in _MOBILE_SHAPE.finditer(searched):
        if _SEPARATOR.sub("", m.group())[-11:][:3] in mobiles \
                and not _in_hex(searched, m) and not _a_quantity(searched, m):
            found.append(("CN_MOBILE", m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


#: any Unicode decimal digit (``re``'s ``\d`` on str): ASCII, full-width, Tibetan,
#: Devanagari, Arabic-Indic...; ``normalize`` reads only the first three as digits, but a
#: mask must not leave a number raw because it is written in another script
_ELEVEN_DIGITS = re.compile(r"\d(?:[\s._/-]?\d){10}")
#: what splits a number unseen (QA Q2 B4: a resident ID split by a zero-width space, a word
#: joiner, a BOM or a soft hyphen was signed as free text): Unicode format characters
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                        "\u2066-\u206f\ufeff\ufff9-\ufffb]")
#: between two digits, what separates their groups as a space or a hyphen does: any white
#: space (a tab, a line feed, a no-break or an ideographic space), and a dot, an underscore
#: or a slash (138.1234.5678, 6222_0212_3456_7890); a date, a version or an IP address has
#: no identifier's groups (2024.01.01, 1.2.3, 192.168.100.200) and stays as it is
_DIGIT_SEPARATOR = re.compile(r"(?<=\d)[\s._/](?=\d)")


def _same_offset(offset: int) -> int:
    return offset


def _searchable(text: str) -> tuple[str, Callable[[int], int]]:
    """``text`` as ``shaped_identifiers`` searches it: ``normalize``d, each digit of another
    script as its ASCII digit, format characters dropped and a separator between digits
    made a space; and the function mapping an offset in it back to one in ``text``."""
    at: Callable[[int], int] = _same_offset
    if _INVISIBLE.search(text) is not None:
        kept = [i for i, c in enumerate(text) if not _INVISIBLE.match(c)]
        text, at = "".join(text[i] for i in kept), kept.__getitem__
    return _DIGIT_SEPARATOR.sub(" ", _ascii_digits(normalize(text))), at


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_SEPARATOR = re.compile("[ -]")


def _ascii_digits(text: str) -> str:
    """``text`` with each decimal digit of another script (१३८, ١٣٨) as its ASCII digit: one
    code point for one, so offsets hold."""
    if text.isascii():
        return text
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)


#: how far before a number its label is looked for, as a recognizer's window
_LABEL_WINDOW = 24


@functools.cache
def _quantity_words() -> tuple[re.Pattern[str] | None, re.Pattern[str]]:
    """The mobile recognizer's own words for a quantity (``QUANTITY_WORDS``, as its label
    before the number) and its units (``bytes``, ``ms``, 字节, 次 after it), compiled once
    when first needed."""
    from pia.detection.recognizers.cn._common import QUANTITY_WORDS
    from pia.detection.recognizers.cn.mobile import NO_UNIT_AFTER
    from pia.detection.scripts import script_forms
    from pia.detection.windows import words_regex

    return words_regex(script_forms(QUANTITY_WORDS)), re.compile(NO_UNIT_AFTER)


def _a_quantity(text: str, match: re.Match[str]) -> bool:
    """Whether a mobile-shaped number is labelled a quantity as the mobile recognizer drops
    one: a quantity word right before it (nothing but separators between) or a unit right
    after it. A word further away says nothing about this number, so it stays masked."""
    from pia.detection.recognizer import labels_value
    from pia.detection.windows import window_before

    labels, no_unit_after = _quantity_words()
    if no_unit_after.match(text, match.end()) is None:  # a unit follows
        return True
    before = window_before(text, match.start(), _LABEL_WINDOW)
    return labels is not None and labels_value(before, labels)


@functools.cache
def _prefixes() -> tuple[tuple[str, ...], frozenset[str]]:
    """The Chinese issuer BINs and the mobile number segments, as the recognizers know them
    (imported when first needed: they load Presidio)."""
    from pia.detection.recognizers.cn.bank_card import CN_BIN_PREFIXES
    from pia.detection.recognizers.cn.mobile import MOBILE_PREFIXES

    return CN_BIN_PREFIXES, MOBILE_PREFIXES


def _overlaps(found: list[tuple[str, int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for _, s, e in found)


_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_HEX_WORD = re.compile(r"[0-9A-Fa-f]*[A-Fa-f][0-9A-Fa-f]*")


def _in_hex(text: str, match: re.Match[str]) -> bool:
    """Whether a digit run is part of a hexadecimal word (a digest, a key id, a trace id):
    a SHA-256 in hex holds a run of eleven decimal digits one time in twenty or so, which
    is nobody's phone. A run glued to other letters (sfzh440301…, ID440301…) still counts."""
    start, end = match.start(), match.end()
    while start and text[start - 1] in _ALNUM:
        start -= 1
    while end < len(text) and text[end] in _ALNUM:
        end += 1
    word = text[start:end]
    return word != match.group() and _HEX_WORD.fullmatch(word) is not None


def _resident_id_shaped(digits: str) -> bool:
    """Whether an 18- or 15-digit number has a resident ID's province code and a real,
    past birth date (its check digit is not asked)."""
    from pia.detection.recognizers.cn.resident_id import PROVINCE_CODES, birth_date

    if digits[:2] not in PROVINCE_CODES:
        return False
    born = birth_date(digits)
    return born is not None and born.year >= 1900 and born <= date.today()


def canonical(entity_type: str, value: str) -> str:
    """The form a value is fingerprinted in, so that formatting never changes its identity
    (full-width or Tibetan digits, and escapes, included)."""
    compact = _compact(normalize(decoded(value)))
    if entity_type in {"CN_MOBILE"}:
        digits = re.sub(r"\D", "", compact)
        return digits[-11:]
    if entity_type in {"EMAIL_ADDRESS"}:
        return compact.replace("%40", "@").lower()
    return compact.upper()


class Fingerprinter:
    """Keyed fingerprints (HMAC-SHA256). ``key_id`` names the key without revealing it."""

    PREFIX = "hmac-sha256:"

    def __init__(self, key: bytes) -> None:
        if shortfall := _key_shortfall(key):
            raise ConfigError(shortfall)
        self._key = key
        self.key_id = hmac.new(key, b"pia key id", hashlib.sha256).hexdigest()[:16]

    def __call__(self, entity_type: str, value: str) -> str:
        data = f"{entity_type}\x00{canonical(entity_type, value)}".encode()
        return self.PREFIX + hmac.new(self._key, data, hashlib.sha256).hexdigest()[:32]

    def name(self, name: str) -> str:
        """The fingerprint of a name as it is written (a file's path, a table's name): not
        canonicalised as a value is, since ``a-1.log`` and ``A1.LOG`` are two files."""
        data = b"pia name\x00" + name.encode("utf-8", "surrogateescape")
        return self.PREFIX + hmac.new(self._key, data, hashlib.sha256).hexdigest()[:32]

    def derive(self, purpose: str) -> bytes:
        """A secret for ``purpose`` (authenticating pia's own files), derived from the key:
        only who can read the key can make or check it, and it never reveals the key."""
        return hmac.new(self._key, b"pia derive\x00" + purpose.encode(), hashlib.sha256).digest()


def default_key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "pia" / "fingerprint.key"


def load_fingerprint_key(key_file: str | os.PathLike[str] | None = None) -> bytes:
    """The organisation key: ``PIA_FINGERPRINT_KEY``, a key file, or a per-user key created once.

    A created key is stored with mode 0600 so fingerprints stay stable across runs on the
    same machine; organisations that compare reports across machines set the variable or
    share the file.
    """
    env_key = os.environ.get(FINGERPRINT_KEY_ENV)
    if env_key and key_file is None:
        # the variable's bytes as set: a CI secret of random bytes that is not UTF-8 reaches
        # Python as surrogate escapes, which fsencode turns back into those bytes
        return _sound(os.fsencode(env_key), FINGERPRINT_KEY_ENV)
    path = Path(key_file or os.environ.get(FINGERPRINT_KEY_FILE_ENV) or default_key_path())
    explicit = key_file is not None or FINGERPRINT_KEY_FILE_ENV in os.environ
    try:
        return _sound(path.read_bytes(), str(path)).strip()
    except FileNotFoundError:
        if explicit:
            raise ConfigError(f"fingerprint key file not found: {path}") from None
    except OSError as err:
        raise ConfigError(f"cannot read fingerprint key file {path}: {err.strerror}") from None
    return _create_key(path)


def _sound(key: bytes, source: str) -> bytes:
    """``key``, refused with the place it came from so the user knows which one to fix."""
    if shortfall := _key_shortfall(key):
        raise ConfigError(f"{source}: {shortfall}")
    return key


def _create_key(path: Path) -> bytes:
    """Create the per-user key: written whole (0600) under a temporary name, then linked to
    ``path``, which fails when it exists. A concurrent pia never reads a key half written,
    and when two create one at once both use the one that was linked first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(key + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:  # another pia process created it first: use theirs
            return path.read_bytes().strip()
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return key


def fingerprinter(key_file: str | os.PathLike[str] | None = None) -> Fingerprinter:
    return Fingerprinter(load_fingerprint_key(key_file))


def fingerprint(entity_type: str, value: str, key: bytes | None = None) -> str:
    """Fingerprint one value; prefer a shared ``Fingerprinter`` in loops."""
    return Fingerprinter(key if key is not None else load_fingerprint_key())(entity_type, value)
