"""Masked samples and keyed fingerprints: the only forms in which pia ever shows a value.

A mask keeps what tells the kind of value (the region prefix of a resident ID, the carrier
prefix of a mobile, the domain of an email) and nothing that identifies the person. A
fingerprint is HMAC-SHA256 under an organisation key, so a regulator can match records across
reports without seeing them, and nobody without the key can enumerate the value space
(an unsalted hash of an 18-digit ID can be reversed in minutes).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pia.detection.normalize import decoded, normalize
from pia.errors import ConfigError
from pia.identifier_shapes import (
    DIGIT_SEPARATOR,
    INVISIBLE,
    shaped_identifiers,
    with_ascii_digits,
)

__all__ = ["Fingerprinter", "canonical", "fingerprint", "fingerprinter", "load_fingerprint_key",
           "mask", "mask_text", "plain", "shaped_identifiers"]

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
    elif digits.startswith("0") and len(digits) == 12:  # dialled from a landline: kept
        return "0" + _keep(digits[1:], 3, 4)
    return _keep(digits, 3, 4)


def _mask_landline(value: str) -> str:
    """The area code (3 digits for 010 and 02x, else 4) and the last two digits, no more; an
    area code dialled from abroad (+86 10, 0086 755) is kept as it is dialled at home (010,
    0755), so that the mask still says which city."""
    compact = re.sub(r"[^\d]", "", value)
    if "+86" in value or compact.startswith("0086"):  # +86 (0)755 keeps its 0 as it is
        compact = compact.removeprefix("00").removeprefix("86")
        compact = compact if compact.startswith("0") else "0" + compact
    area = 3 if compact.startswith(("010", "02")) else 4 if compact.startswith("0") else 0
    return _keep(compact, area, 2)


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
    "CN_MOBILE": re.compile(r"(?:\+?86|%2B86|0086|0)?1\d{10}"),
    "CN_LANDLINE": re.compile(r"(?:\+?86|0086)?\d{7,12}(?:(?:转|EXT\.?|X)?\d{1,6})?"),
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


#: numbers a separator may split unseen or as a date does (a zero-width space, a soft hyphen,
#: ``.``, ``_``, ``/``: ``DIGIT_SEPARATOR``). The mask drops them as it drops a space or a
#: hyphen, rather than keep their count: a mask says the kind of value (``1101**********1237``,
#: the mask of the ID written whole), and where a writer split it says nothing more; a mask
#: of the split form as a value of unknown shape (``1******************7``) said less
_SPLIT_NUMBERS = frozenset({"CN_RESIDENT_ID", "CN_MOBILE", "CN_LANDLINE", "CN_BANK_CARD",
                            "CREDIT_CARD"})

#: what a mask may keep a character of: numbers, as a coordinate is written (39.904211,
#: "116.40,39.90", -33.86 151.21); words (a hotel, a street) are masked whole
_NUMBERS = re.compile(r"[0-9.,;:°'\"NSEWnsew+\- ]+")


def plain(value: str) -> str:
    """``value`` as masks and fingerprints read it: its escapes (``\\u5f20``, ``%E5%BC%A0``)
    as the characters they stand for, full-width forms as ASCII, and a digit of any script
    (Tibetan, Devanagari, Arabic-Indic) as its ASCII digit. One number has one form whoever
    wrote it and wherever it stands, in content or in a file's name (QA: a mobile in a name
    of full-width digits had another fingerprint than the same mobile in content)."""
    return with_ascii_digits(normalize(decoded(value)))


def mask(entity_type: str, value: str) -> str:
    """Return a masked form of ``value`` that keeps only what identifies its kind.

    The value is normalised first: the mask splits on ASCII separators, and an IP written
    with full-width digits and dots (１９２．１６８．１．２３) would otherwise keep every octet.
    A value that does not have its type's shape is masked as one of an unknown type.
    """
    if not value:
        return value
    value = plain(value)
    if entity_type in _SPLIT_NUMBERS:
        value = DIGIT_SEPARATOR.sub("", INVISIBLE.sub("", value))
    shape = _SHAPES.get(entity_type)
    if shape is not None and not shape.fullmatch(_compact(value).upper()):
        return _unknown(value)
    match entity_type:
        case "CN_RESIDENT_ID":
            return _keep(_compact(value).upper(), 4, 4)
        case "CN_MOBILE":
            return _mask_mobile(value)
        case "CN_LANDLINE":
            return _mask_landline(value)
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


def canonical(entity_type: str, value: str) -> str:
    """The form a value is fingerprinted in, so that formatting never changes its identity
    (full-width digits or those of any script, and escapes, included: ``plain``)."""
    compact = _compact(plain(value))
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
