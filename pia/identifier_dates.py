"""Dates and times of day beside a number in a name or a message, for
``identifier_shapes``: where they are, whether the first search may have read one as a half
of the number next to it, and the text with their digits read as none for a second search.

The rules that keep a float's decimals or the tail of a longer grouped number readable took
a date for the other half of the number beside it (QA: ``export_20260813.13812345678.csv``,
``call_20260813_010-62345678.wav`` were written raw), and a shape could take a date's digits
for its own (``010-62345678-20260813`` a card ``6234…0813``). ``identifier_shapes._shaped``
searches such a text again with the dates' digits blanked (``undated``).
"""

from __future__ import annotations

import re

#: a time of day that ends in a fraction of a second (``12:47:49.39323``)
_TIME_WITH_FRACTION = re.compile(r":[0-5][0-9][.,]([0-9]+)\Z")
#: the most significant digits a float is printed with (the shortest repr of a double that
#: reads back as it: ``39323.09012579416``, 16), and the widths of a clock's fraction of a
#: second: milliseconds, microseconds, nanoseconds
_FLOAT_DIGITS, _CLOCK_FRACTIONS = 17, (3, 6, 9)


def decimals_after_a_time(plain: str, dates: list[tuple[str, int, int]],
                           found: tuple[str, int, int]) -> bool:
    """Whether ``found`` is a landline of digits alone
    (``identifier_shapes._BARE_LANDLINE_SHAPE``) right after a dot after a time's fraction
    of a second: ``12:47:49.39323.09012579416`` is a time and a float (39323.09012579416) as
    often as a time and a number, and a float's decimals start with 0 one time in ten. The
    first search reads them as decimals, as it reads any number after a fraction of one to
    four digits: the second keeps to that for a landline, the one shape that starts with 0,
    but only where the fraction and the landline could be a float (``_a_float``): QA found
    ``2026-08-13T07:55:01.123456.075588886666`` raw, a time's microseconds and a landline.
    A mobile, or a landline with its area code set off, after a fraction of three or of five
    to nine digits is masked, and so is a landline of digits alone after a clock's."""
    kind, start, end = found
    if kind != "CN_LANDLINE" or start < 2 or plain[start - 1] != "." \
            or not plain[start:end].isdigit():
        return False
    for _, s, e in dates:
        fraction = _TIME_WITH_FRACTION.search(plain, s, e) if e == start - 1 else None
        if fraction is not None and _a_float(fraction.group(1), end - start):
            return True
    return False


def _a_float(integer: str, decimals: int) -> bool:
    """Whether a time's fraction of a second (``integer``) and a number of ``decimals``
    digits after a dot may be a float as one is printed: its integer part led by no 0, of
    no clock's width (``_CLOCK_FRACTIONS``), and no more significant digits in all than a
    double holds (``_FLOAT_DIGITS``). Of a fraction of 3 or 5 to 9 digits and a landline's
    11 or 12, that leaves 5 digits and the landline read as a float's decimals."""
    return integer[0] != "0" and len(integer) not in _CLOCK_FRACTIONS \
        and len(integer) + decimals <= _FLOAT_DIGITS


#: a second's fraction (``09:30:15.123``, ``09:30:15.291497_010-62345678``), not an area
#: code or a mobile's first group after a time (``09:30:15.010-62345678``), nor a float's
#: integer part (``09:30:15.0.3544879577304417``); but milliseconds before a dot and 11 to
#: 19 digits, as many as an identifier has (QA: ``07:55:01.123.13812345678`` was raw, read
#: as a time and the float 123.13812345678)
_FRACTION = (r"(?:[.,](?:[0-9]{5,9}|[0-9]{3}(?=\.[0-9]{11,19}(?![0-9]))"
             r"|[0-9]{1,4}(?![\s._/-][0-9])))?")
#: after four digits that follow a date and an underscore, a hyphen or a space: the four are
#: an area code of 03xx to 09xx (as the CN_LANDLINE recognizer has them) and a separator,
#: then a subscriber's 7 or 8 digits, which start with neither 0 nor 1, whole or in groups.
#: QA: ``20260813_0755_88886666`` (Shenzhen's 0755-88886666) was read as 07:55 and a
#: counter, and the landline written raw; ``20260813_0930_1234567`` stays a time and a
#: counter, as no subscriber's number starts with 1. In ``20260813T0755`` the four are a time
_AREA_THEN_SUBSCRIBER = (r"(?<=[_ -]0[3-9][0-9]{2})[._/][2-9][0-9]{2,3}[._/ -]?[0-9]{4}"
                         r"(?![0-9])")
#: a date of 19xx or 20xx, with its time of day if it has one: ``20260813``, ``2026-08-13``,
#: ``2026.8.13``, ``2026_08_13``, ``202608130930``, ``20260813093015``,
#: ``20260813_093015``, ``20260813T0930Z``, ``2026-08-13 09:30:15.123``,
#: ``2026-11-28_09-30-15``; or a time of day with its colons (``09:30``, ``09:30:15``), or
#: with dots as a name writes one where a colon may not stand (``12.30.05``, macOS's
#: ``Screenshot … at 9.30.05``: QA found ``rec_12.30.15.075588886666.wav`` raw, its
#: landline read as the decimals of 15.), unless a version's or an IP address's digits are
#: around it (``1.12.30.15``, ``12.30.15.7``).
#: Touching no other digit, and no letter after it (``20260813E12345678`` is no date and a
#: passport). Four digits after a date and a separator are its time (``_20261128_0930_``)
#: unless a hyphen or a space joins them to more digits (``_20260813_0755-88886666``: an area
#: code, Shenzhen's; 07:55 too), or they may be an area code and a separator joins them to a
#: subscriber's 7 or 8 digits (``_AREA_THEN_SUBSCRIBER``)
_DATE_OR_TIME = re.compile(
    r"(?<![0-9])(?:(?:19|20)[0-9]{2}(?:"
    r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"(?:(?:[01][0-9]|2[0-3])[0-5][0-9](?:[0-5][0-9])?"
    r"|[T_ -](?:[01][0-9]|2[0-3])[0-5][0-9]"
    r"(?:[0-5][0-9]|(?![ -][0-9]|" + _AREA_THEN_SUBSCRIBER + r")))?"
    r"|([-./_])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12][0-9]|3[01]))"
    r"(?:[T_ -](?:[01][0-9]|2[0-3])([-.:])[0-5][0-9](?:\2[0-5][0-9]" + _FRACTION + ")?)?Z?"
    r"|(?<![0-9]:)(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9]" + _FRACTION + r")?(?!:)"
    r"|(?<![0-9][.:])(?:[01]?[0-9]|2[0-3])\.[0-5][0-9]\.[0-5][0-9](?!\.[0-9]{1,3}(?![0-9])))"
    r"(?![0-9A-Za-z])")
#: what a date's or a time's digits are read as by the second search: no digit, no letter,
#: no separator (``DIGIT_SEPARATOR``), no joiner of a number's groups
_NO_DIGIT = "\x00"
_DIGIT = re.compile("[0-9]")
#: a resident ID whose birth date is written apart (``110105 19900307 1231``,
#: ``110105-1990-03-07-1231``): the date is the ID's own
_ID_IN_GROUPS = re.compile(r"(?<![0-9])[0-9]{6}[\s._/-](?:19|20)[0-9]{2}(?:[\s._/-]?[0-9]{2}){2}"
                           r"[\s._/-]?[0-9]{3}[0-9Xx](?![0-9])")
#: what starts a number after a date (a digit, a travel document's letter or two: E1, EA1),
#: and what ends one before a date (a digit, an ID's check letter: …123X), not a name's
#: extension (``.log``) or word (``_call``)
_NUMBER_AFTER = re.compile(r"[0-9]|[A-Za-z][A-Za-z]?[0-9]")
_NUMBER_BEFORE = re.compile(r"[0-9][A-Za-z]?\Z")


def may_hide(plain: str, dates: list[tuple[str, int, int]],
             found: list[tuple[str, int, int]], joiners: str) -> bool:
    """Whether the first search may have missed, or misread, a number next to one of
    ``dates``: a shape found takes some of its digits, or a number at most two joiners
    (``joiners``, white space) away from it starts or ends in no shape found. The
    rules that read a date as the half of a number look no further than two characters
    (``a_decimal``, ``_LANDLINE_SHAPE``'s, ``_git_abbreviation``): a name whose every number
    was found (``kyc_110105199003071231_20261128_093012.jpg``) is not searched again."""
    for _, start, end in dates:
        if any(s < end and start < e for _, s, e in found):
            return True
        after, before = end, start - 1
        while after < min(len(plain), end + 2) and _joining(plain[after], joiners):
            after += 1
        while before >= max(0, start - 2) and _joining(plain[before], joiners):
            before -= 1
        if _NUMBER_AFTER.match(plain, after) is not None and not _covered(found, after):
            return True
        if before >= 0 and _NUMBER_BEFORE.search(plain, max(0, before - 1), before + 1) \
                is not None and not _covered(found, before):
            return True
    return False


def _joining(char: str, joiners: str) -> bool:
    return char in joiners or char.isspace()


def _covered(found: list[tuple[str, int, int]], at: int) -> bool:
    return any(start <= at < end for _, start, end in found)


def dates_in(plain: str) -> list[tuple[str, int, int]]:
    """The spans of the dates and times of day in ``plain`` (``_DATE_OR_TIME``), but for
    a resident ID's birth date written apart, and cut before an ID so written that a time's
    fraction of a second would take its first group (``09:30:15.110105 19900307 1231``)."""
    dates = [("", *m.span()) for m in _DATE_OR_TIME.finditer(plain)]
    if not dates:
        return dates
    for id_in_groups in _ID_IN_GROUPS.finditer(plain):
        start, end = id_in_groups.span()
        dates = [("", s, min(e, start) if s < start else e) for _, s, e in dates
                 if not start <= s < end]
    return dates


def undated(plain: str, dates: list[tuple[str, int, int]]) -> str:
    """``plain`` with the digits of ``dates`` read as none (``_NO_DIGIT``), same length."""
    out = list(plain)
    for _, start, end in dates:
        out[start:end] = _DIGIT.sub(_NO_DIGIT, plain[start:end])
    return "".join(out)
