"""What has an identifier's shape in free text, whatever its check digit and whatever words
are near it: what ``pia.masking.mask_text`` masks and ``samples-masked`` (``pia.bundle.masked``)
refuses unmasked, in a column's comment, a skipped place's reason, a file's or a table's name.

The detection engine is precise: it reports a value only when its check digit holds and no word
near it says it is something else. A mask must be eager instead (a legacy ID fails its check
digit, a hand-typed passport number has no 护照 before it), but not so eager that a report
becomes unreadable: timestamps, order numbers, digests, versions, ports and UUIDs stay as they
are (``tests/detection/test_masking_eager.py`` measures it on such strings).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date

from pia.detection.normalize import normalize
from pia.identifier_dates import dates_in, decimals_after_a_time, may_hide, undated
from pia.identifier_decimals import a_decimal

#: an 18-digit resident ID (whole, in its printed 6-8-4 groups, or with the birth date
#: split too: 6-4-4-4, 6-4-2-2-4; the last digit may be X) or a 15-digit legacy one; a
#: mobile number with or without +86/0086/86 (3-4-4 groups allowed), or whole after the 0 a
#: landline dials a mobile of another city with (``call_013812345678.log``: QA found it raw;
#: a time and a counter, ``_0147_17923045``, is no such mobile in groups); a bank card's 16
#: to 19 digits (4-4-4-4 groups allowed). Each stands alone: no digit touches it, so no part
#: of a longer digit run is taken for one.
_ID_SHAPE = re.compile(r"(?<![0-9])(?:[0-9]{6}[ -]?[0-9]{4}[ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?"
                       r"[0-9]{3}[0-9Xx]|[0-9]{15})(?![0-9])")
_MOBILE_SHAPE = re.compile(r"(?<![0-9+])(?:(?:(?:\+86|0086|86)[ -]?)?1[3-9][0-9]"
                           r"(?:[ -]?[0-9]{4}){2}|01[3-9][0-9]{9})(?![0-9])")
_CARD_SHAPE = re.compile(r"(?<![0-9])[0-9]{4}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?(?![0-9])")
#: a card of an international scheme as it is printed: 4-4-4-4 (to 19 digits), 4-6-5 (American
#: Express) or 4-6-4 (Diners); what makes one a card is its scheme's prefix and length
#: (``_WORLD_SCHEMES``) and Luhn
_WORLD_CARD_SHAPE = re.compile(r"(?<![0-9])(?:[0-9]{4}(?:[ -]?[0-9]{4}){2,3}(?:[ -]?[0-9]{1,3})?"
                               r"|[0-9]{4}[ -]?[0-9]{6}[ -]?[0-9]{4,5})(?![0-9])")
#: Visa (4: 13, 16 or 19 digits), Mastercard (51-55: 16), American Express (34, 37: 15), JCB
#: (3528-3589: 16), Diners (300-305, 36, 38: 14). Not Mastercard's 2221-2720: a number that
#: starts with this decade's date (2412..., 2601...) is an order number far more often
_WORLD_SCHEMES = re.compile(r"4(?:[0-9]{12}|[0-9]{15}|[0-9]{18})|5[1-5][0-9]{14}|3[47][0-9]{13}"
                            r"|35(?:2[89]|[3-8][0-9])[0-9]{12}|3(?:0[0-5]|[68][0-9])[0-9]{11}")
_AREA = r"(?:010|02[0-9]|0[3-9][0-9]{2})"
_AREA_ABROAD = r"(?:10|2[0-9]|[3-9][0-9]{2})"  # dialled after +86 or 0086, without its 0
#: a landline: an area code set off by a separator or parentheses (``010-62345678``, ``(021)
#: 62345678``, ``+86 10 6234 5678``), then 7 or 8 digits (4-4 or 3-4 groups, as business cards
#: print them), an extension after a hyphen or an underscore allowed (digits alone:
#: ``_BARE_LANDLINE_SHAPE``). Searched with an underscore between digits kept
#: (``_UNDERSCORES_KEPT``): no other digits joined by a space, a dot or a slash before or
#: after it (the head or the tail of a longer grouped number), nor by an underscore before it
#: (a date's, ``_shaped``); but after it an underscore is a name's joiner, as a recording is
#: named by the number, its extension, a time (QA: ``x_0755_88886666_8001.wav``,
#: ``010_62345678_01.wav`` were written raw). Nor a group of hyphen-joined groups of letters
#: and digits (a UUID, ``SN-0755-1234-5678``)
_LANDLINE_SHAPE = re.compile(
    r"(?<![0-9A-Za-z+])(?<![0-9A-Za-z]-)(?<![0-9][ _])"
    r"(?:(?:\+86|0086)[ _-]?(?:\(" + _AREA_ABROAD + r"\)[ _-]?|" + _AREA_ABROAD + r"[ _-])"
    r"|\(" + _AREA + r"\)[ _-]?|" + _AREA + r"[ _-])"
    r"[1-9][0-9]{2,3}[ _-]?[0-9]{4}(?:[ _-][0-9]{1,5})?(?![0-9])(?!-[0-9A-Za-z])(?! [0-9])")
#: a landline written as digits alone, as a call centre names its recordings by the caller
#: (``录音_075587654321_20260813.wav``, ``out-01062345678-8001-….wav``): 0 and an area code
#: (010, 02x, 03xx to 09xx, as the CN_LANDLINE recognizer has them), then the subscriber's 7
#: or 8 digits, which start with neither 0 nor 1; the whole run of digits, no part of a
#: longer one. No word such as 电话 is asked for (the engine asks for one): 11 of the 18
#: forms of recordings' names in ``tests/detection/test_shapes_bare_landlines.py`` carry none
#: (a PBX's ``in-``, ``out-``, a time or a person's name first), and a number so shaped that
#: names no one (a counter zero-padded to 10 to 12 digits, an ISBN of group 0, a paper
#: invoice's 12-digit code from Shenzhen, Xiamen, Ningbo or Qingdao) only loses its
#: readability; the guard corpora of timestamps, versions, order numbers and dated names
#: stay readable
_BARE_LANDLINE_SHAPE = re.compile(r"(?<![0-9])" + _AREA + r"[2-9][0-9]{6,7}(?![0-9])")
#: a landline after other digits and an underscore, as a name counts or times its recordings
#: (``x_1_0755_88886666.wav``, ``rec_093015_0755_88886666_8001.wav``; QA found them raw):
#: ``_LANDLINE_SHAPE`` leaves it, as the tail of a longer grouped number, unless its area code
#: and its subscriber's 7 or 8 digits are whole groups of their own, an extension after them
#: allowed, and no other group after that
_COUNTED_LANDLINE_SHAPE = re.compile(r"(?<=[0-9]_)" + _AREA + r"_[2-9][0-9]{6,7}"
                                     r"(?:_[0-9]{1,5})?(?![0-9])(?!_[0-9])")
#: a travel document's number, touching no letter or digit: a PRC passport (E + 8 digits, E +
#: a letter + 7 digits, G + 8 digits), a permit to Hong Kong and Macao (C + a letter or digit
#: + 7 digits) or a home return permit (H or M + 8 or 10 digits), a permit to Taiwan (L or T +
#: 8 digits). Printed in capitals, but typed by hand in small letters as often (e12345678):
#: either is masked, but for a Git commit's abbreviation after a version's ``+`` or ``-``
#: (``_git_abbreviation``: 0.2.dev3+g12345678, v1.2-3-g12345678)
_DOCUMENT_SHAPE = re.compile(
    r"(?<![0-9A-Za-z])(?i:(E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8})"
    r"|(C[0-9A-HJ-NP-Z][0-9]{7}|[HM][0-9]{8}(?:[0-9]{2})?)|([LT][0-9]{8}))(?![0-9A-Za-z])")
#: the entity of each group of ``_DOCUMENT_SHAPE``
_DOCUMENT_KINDS = ("CN_PASSPORT", "CN_HK_MACAO_PERMIT", "CN_TAIWAN_PERMIT")


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
    - an 11-digit number in a mobile network's number segment (13x to 19x) is a mobile,
      and so is it with a 0 before it (``013812345678``);
    - a 16- to 19-digit number starting with a Chinese issuer's BIN (62, 60, 9x, the
      large banks' Visa and Mastercard BINs) is a bank card, Luhn or not, unless it has
      at most two distinct digits (test data such as 6666666666666666); one of an
      international scheme's prefixes and lengths (``_WORLD_SCHEMES``) is a card when Luhn
      holds too, as no list of issuers narrows it; neither is the decimals of a number
      (``0.3544879577304417``);
    - a landline is one with its area code set off (``_LANDLINE_SHAPE``): ``010-62345678``,
      ``0755 8888 6666``, ``(021)62345678``, ``+86 10 6234 5678``, or digits alone that are
      0, an area code and a subscriber's 7 or 8 digits (``_BARE_LANDLINE_SHAPE``):
      ``call_01062345678.log``, ``录音_075587654321_20260813.wav``;
    - a passport's or a permit's number is its letter and digits, in capitals or small
      letters (``_DOCUMENT_SHAPE``): ``E12345678``, ``g12345678``, ``C12345678``,
      ``H1234567890``, ``L12345678``, unless a Git commit's abbreviation follows a version
      (``0.2.dev3+g12345678``), or a word of the passport recognizer's negative context labels
      it (``errorCode=E10010001``, ``SKU: G12345678``, 工号 E00123456) or its digits start
      with a date (``T20241201.log``).

    Other numbers (amounts, counters, timestamps, order numbers, ports, versions) stay
    readable, and so does a mobile-shaped number that a quantity labels as the mobile
    recognizer's own negative context does (``size 13800138000 bytes``,
    ``"size_13800138000"``): an ID or a card is masked whatever labels it. A number within a
    hexadecimal word (a digest, a trace id) is no identifier, but for a resident ID whose
    check digit holds (``_in_hex``). A single space or hyphen may separate groups, and so
    may any white space, a dot, an underscore or a slash (``DIGIT_SEPARATOR``); format
    characters (a zero-width space, a soft hyphen) are read as nothing. A date or a time of
    day next to a number is no part of it (``export_20260813.13812345678.csv``,
    ``call_20260813_010-62345678.wav``: ``_shaped``). The text is searched
    in its ``normalize``d form with every Unicode decimal digit read as its ASCII digit
    (``with_ascii_digits``), which has the same offsets.
    """
    plain, at = _searchable(text)
    if not _may_hold_identifier(plain):  # a dated name (app-2026-11-28.log), a short number
        return []
    return [(kind, at(start), at(end - 1) + 1) for kind, start, end in _shaped(plain)]


_NOT_DIGITS = re.compile(r"([^0-9]+)")
#: what, besides white space, may join two groups of a number's digits: a separator
#: (``DIGIT_SEPARATOR``), a hyphen, a parenthesis or a plus; at most two of them
_JOINERS = "._/()+-"
#: the fewest digits of any shape but a travel document's (a landline: 010 and 7 digits)
_FEWEST_DIGITS = 10
#: the digits of the country code as a mobile or a landline is dialled from abroad with
#: 00, and the fewest a number so dialled has (0086, 10 and 7 digits)
_ABROAD, _FEWEST_ABROAD = "0086", 13


def _may_hold_identifier(plain: str) -> bool:
    """Whether ``plain`` (``_searchable``) may hold a shape ``_shaped`` looks for: seven
    digits right after a letter (a travel document's), or a chain of digit groups, each
    joined to the next by at most two of ``_JOINERS``, with a group where an identifier can
    start (``_fewest_digits``: its first two digits) and, from it on, as many digits as the
    shortest such identifier has. Names are dated by the million
    (``access_20261128_0930.log.gz``): 2026… starts no identifier, 0930 is too short for one,
    and the seven searches of ``_shaped`` are spared. Never false where ``_shaped`` finds
    something: each shape but a travel document's starts at a group's start (no digit
    before it) and joins its groups with at most two such characters (``) ``, `` (``).
    One split of the text, the rest on its parts: a name holds few groups."""
    parts = _NOT_DIGITS.split(plain)  # digits, what stands between, digits...
    chain: list[str] = []
    for at in range(0, len(parts), 2):
        digits, between = parts[at], parts[at - 1] if at else ""
        if not digits:  # the text starts or ends with no digit
            continue
        if len(digits) >= 7 and between[-1:].isascii() and between[-1:].isalpha():
            return True
        if len(between) > 2 or not all(c in _JOINERS or c.isspace() for c in between):
            if _chain_may_hold(chain):
                return True
            chain = []
        chain.append(digits)
    return _chain_may_hold(chain)


def _chain_may_hold(chain: list[str]) -> bool:
    """Whether an identifier of ``_fewest_digits`` may start at one of ``chain``'s groups."""
    digits = "".join(chain)
    left, at = len(digits), 0
    if left < _FEWEST_DIGITS:
        return False
    fewest = _fewest_digits()
    for group in chain:
        if left < _FEWEST_DIGITS:
            return False
        need = fewest.get(digits[at:at + 2])
        if need is None and digits.startswith(_ABROAD, at):
            need = _FEWEST_ABROAD
        if need is not None and left >= need:
            return True
        at, left = at + len(group), left - len(group)
    return False


@functools.cache
def _fewest_digits() -> dict[str, int]:
    """The first two digits a shape other than a travel document's can start with → the
    fewest digits such a shape has: a resident ID 15 (a province's code, 11 to 91), a mobile
    11 (its network's 13 to 19; 86 before it, as +86 before a landline's area code: +86 10
    and 7 digits, 11), a Chinese issuer's card 16 (its BIN), an international scheme's card
    as ``_WORLD_SCHEMES`` says (Visa 13, Diners 14, American Express 15, JCB and
    Mastercard 16), a landline 10 (010 and 02x and 7 digits) or 11 (0755 and 7 digits),
    its area code set off or not (``01062345678``, ``_BARE_LANDLINE_SHAPE``); 0086
    is ``_ABROAD``'s. No date of this century or the last starts one: 20 is none of them,
    and 19 only a mobile's eleven digits."""
    from pia.detection.recognizers.cn.resident_id import PROVINCE_CODES

    bins, mobiles = _prefixes()
    fewest: dict[str, int] = {}

    def put(starts: Iterable[str], digits: int) -> None:
        for start in starts:
            fewest[start[:2]] = min(digits, fewest.get(start[:2], digits))

    put(PROVINCE_CODES, 15)
    put(mobiles, 11)
    put(["86"], 11)
    put(bins, 16)
    put([f"4{d}" for d in range(10)], 13)
    put(["30", "36", "38"], 14)
    put(["34", "37"], 15)
    put(["35", "51", "52", "53", "54", "55"], 16)
    put(["01", "02"], 10)
    put([f"0{d}" for d in range(3, 10)], 11)
    return fewest


def _shaped(plain: str) -> list[tuple[str, int, int]]:
    """``shaped_identifiers`` in a text made ``_searchable``: searched as it is, and, where a
    date or a time of day stands in it (``identifier_dates``), searched again with the
    date's digits read as none, unless every number next to a date was found (``may_hide``).
    The rules that keep a float's decimals (``a_decimal``) or the tail of a longer grouped
    number (``_LANDLINE_SHAPE``) readable took a date for the other half of the number next
    to it (QA: ``export_20260813.13812345678.csv``, ``call_20260813_010-62345678.wav`` were
    written raw), and a shape could take a date's digits for its own
    (``010-62345678-20260813`` a card ``6234…0813``, ``(0755)87654321-19:21:51`` an
    extension 19). A date is the half of no identifier: what the second search finds is
    masked, in place of what the first found with a date's digits in it; what the first
    found elsewhere, or what no second finding replaces (``021-20260813``, a subscriber's
    number shaped as a date), is kept. But digits alone after a dot after a time's fraction
    of a second (``12:47:49.39323.09012579416``) are no landline
    (``decimals_after_a_time``)."""
    found = _shaped_as_written(plain)
    dates = dates_in(plain)
    if not dates or not may_hide(plain, dates, found, _JOINERS):
        return found
    again = [f for f in _shaped_as_written(undated(plain, dates))
             if not decimals_after_a_time(plain, dates, f)]
    kept = [f for f in found
            if not (_overlaps(dates, f[1], f[2]) and _overlaps(again, f[1], f[2]))]
    return sorted(kept + [f for f in again if not _overlaps(kept, f[1], f[2])],
                  key=lambda f: f[1])


def _shaped_as_written(plain: str) -> list[tuple[str, int, int]]:
    """The seven searches of ``_shaped`` on ``plain`` as it is: searched with a separator
    between digits made a space, and the text as it was to tell a decimal point."""
    from pia.detection.checksums import luhn_valid, resident_id_check_valid

    searched = DIGIT_SEPARATOR.sub(" ", plain)
    bins, mobiles = _prefixes()
    found: list[tuple[str, int, int]] = []
    for m in _ID_SHAPE.finditer(searched):
        digits = _SEPARATOR.sub("", m.group())
        if _resident_id_shaped(digits) and not a_decimal(plain, m) \
                and (not _in_hex(searched, m) or resident_id_check_valid(digits)):
            found.append(("CN_RESIDENT_ID", m.start(), m.end()))
    for m in _CARD_SHAPE.finditer(searched):
        digits = _SEPARATOR.sub("", m.group())
        if digits.startswith(bins) and len(set(digits)) > 2 and not a_decimal(plain, m) \
                and not _overlaps(found, m.start(), m.end()) and not _in_hex(searched, m):
            found.append(("CN_BANK_CARD", m.start(), m.end()))
    for m in _WORLD_CARD_SHAPE.finditer(searched):
        digits = _SEPARATOR.sub("", m.group())
        if _WORLD_SCHEMES.fullmatch(digits) and luhn_valid(digits) and len(set(digits)) > 2 \
                and not a_decimal(plain, m) and not _overlaps(found, m.start(), m.end()) \
                and not _in_hex(searched, m):
            found.append(("CREDIT_CARD", m.start(), m.end()))
    for m in _MOBILE_SHAPE.finditer(searched):
        if _SEPARATOR.sub("", m.group())[-11:][:3] in mobiles and not a_decimal(plain, m) \
                and not _in_hex(searched, m) and not _a_quantity(searched, m):
            found.append(("CN_MOBILE", m.start(), m.end()))
    for m in _LANDLINE_SHAPE.finditer(_UNDERSCORES_KEPT.sub(" ", plain)):
        if not _overlaps(found, m.start(), m.end()) and not _in_hex(searched, m):
            found.append(("CN_LANDLINE", m.start(), m.end()))
    for m in _COUNTED_LANDLINE_SHAPE.finditer(plain):
        if not _overlaps(found, m.start(), m.end()):
            found.append(("CN_LANDLINE", m.start(), m.end()))
    for m in _BARE_LANDLINE_SHAPE.finditer(searched):
        if not _overlaps(found, m.start(), m.end()) and not a_decimal(plain, m) \
                and not _in_hex(searched, m):
            found.append(("CN_LANDLINE", m.start(), m.end()))
    for m in _DOCUMENT_SHAPE.finditer(searched):
        if not _a_code(searched, m) and not _dated(m.group()) \
                and not _git_abbreviation(searched, m):
            found.append((_DOCUMENT_KINDS[(m.lastindex or 1) - 1], m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


#: what splits a number unseen (QA Q2 B4: a resident ID split by a zero-width space, a word
#: joiner, a BOM or a soft hyphen was signed as free text): Unicode format characters
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                        "\u2066-\u206f\ufeff\ufff9-\ufffb]")
#: between two digits, what separates their groups as a space or a hyphen does: any white
#: space (a tab, a line feed, a no-break or an ideographic space), and a dot, an underscore
#: or a slash (138.1234.5678, 6222_0212_3456_7890); a date, a version or an IP address has
#: no identifier's groups (2024.01.01, 1.2.3, 192.168.100.200) and stays as it is
DIGIT_SEPARATOR = re.compile(r"(?<=\d)[\s._/](?=\d)")
#: ``DIGIT_SEPARATOR`` but an underscore, which ``_LANDLINE_SHAPE`` tells from the others
_UNDERSCORES_KEPT = re.compile(r"(?<=\d)[\s./](?=\d)")


def _same_offset(offset: int) -> int:
    return offset


def _searchable(text: str) -> tuple[str, Callable[[int], int]]:
    """``text`` as ``shaped_identifiers`` searches it: ``normalize``d, each digit of another
    script as its ASCII digit, format characters dropped (``_shaped`` makes a separator
    between digits a space); and the function mapping an offset in it back to one in
    ``text``."""
    at: Callable[[int], int] = _same_offset
    if INVISIBLE.search(text) is not None:
        kept = [i for i, c in enumerate(text) if not INVISIBLE.match(c)]
        text, at = "".join(text[i] for i in kept), kept.__getitem__
    return with_ascii_digits(normalize(text)), at


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_SEPARATOR = re.compile("[ -]")


def with_ascii_digits(text: str) -> str:
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


def _dated(document: str) -> bool:
    """Whether a travel document's digits start with a date (``T20241201``, ``G20261130``):
    a file's or a build's name as often as not, and a passport's number holds one once in
    two hundred or so."""
    digits = document.upper().lstrip("ABCDEFGHJKLMNPQRSTUVWXYZ")[:8]
    try:
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return digits[:2] in ("19", "20")


#: a version's digit, then the ``+`` (setuptools-scm, hatch-vcs: 0.2.dev3+g12345678) or the
#: ``-`` (git describe: v1.2-3-g12345678) before a commit's ``g`` and abbreviated hash
_VERSION_BEFORE_COMMIT = re.compile(r"[0-9][+-]")


def _git_abbreviation(text: str, match: re.Match[str]) -> bool:
    """Whether a travel document's shape in small letters is a Git commit's abbreviation
    written into a version (``0.2.dev3+g12345678``): its hex digits are all decimal one
    time in forty. A passport typed in small letters stands elsewhere (``scan_g12345678``,
    ``护照 g12345678``) and stays masked; one in capitals stays masked wherever it stands."""
    start = match.start()
    return text[start] == "g" and start >= 2 \
        and _VERSION_BEFORE_COMMIT.match(text, start - 2, start) is not None


@functools.cache
def _code_words() -> re.Pattern[str] | None:
    """The passport recognizer's negative context (an error code, a product's or an
    employee's number), compiled once when first needed."""
    from pia.detection.recognizers.cn.passport import CnPassportRecognizer
    from pia.detection.scripts import script_forms
    from pia.detection.windows import words_regex

    return words_regex(script_forms(CnPassportRecognizer.NEGATIVE_CONTEXT))


def _a_code(text: str, match: re.Match[str]) -> bool:
    """Whether a travel document's shape is labelled an error code, a product's or an
    employee's number (``errorCode=E10010001``, ``SKU: G12345678``, 工号 E00123456) right
    before it: such a label says nothing of a number further on, which stays masked."""
    from pia.detection.recognizer import labels_value
    from pia.detection.windows import window_before

    labels = _code_words()
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
    return (word != match.group() and _HEX_WORD.fullmatch(word) is not None) \
        or _in_uuid(text, match)


_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")


def _in_uuid(text: str, match: re.Match[str]) -> bool:
    """Whether a shape lies within a UUID, whose groups of hex digits a hyphen joins
    (``98E6D194-4327-4628-9D3B-72F1153B0C23`` holds a mobile's 3-4-4 groups)."""
    start, end = match.start(), match.end()
    while start and (text[start - 1] in _ALNUM or text[start - 1] == "-"):
        start -= 1
    while end < len(text) and (text[end] in _ALNUM or text[end] == "-"):
        end += 1
    return any(u.start() <= match.start() and match.end() <= u.end()
               for u in _UUID.finditer(text, start, end))


def _resident_id_shaped(digits: str) -> bool:
    """Whether an 18- or 15-digit number has a resident ID's province code and a real,
    past birth date (its check digit is not asked)."""
    from pia.detection.recognizers.cn.resident_id import PROVINCE_CODES, birth_date

    if digits[:2] not in PROVINCE_CODES:
        return False
    born = birth_date(digits)
    return born is not None and born.year >= 1900 and born <= date.today()
