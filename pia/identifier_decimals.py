"""Whether digits an identifier's shape took are a float's, for ``identifier_shapes``: a log or
a metric prints floats whose decimals have a mobile's, a card's or a landline's shape
(``0.3544879577304417``), and a name is joined to a number by a dot as often
(``x_0813.13812345678.csv``, ``rec_12.30.05.075588886666.wav``).
"""

from __future__ import annotations

import re

_DIGIT_OR_X = re.compile(r"[0-9Xx]")
#: what is no float's integer part before a point: a mobile's 11 digits written whole, with
#: its ``+86`` or not (as a float's integer part, 1.3e10 to 2e10: a millisecond Unix time has
#: 13 digits, a second's 10, an amount far fewer; QA: ``x_13812345678.0813.log`` was written
#: raw); 17 digits or more (a double has 17 significant digits at most, and languages print
#: one of 1e16 or more with an exponent, or with no fraction that is not zeros: QA,
#: ``x_110101199003071237.5.log``, a resident ID, and ``x_6222021234567890128.5.log``, a
#: card, were written raw); digits ending in an ID's X
_NOT_AN_INTEGER_PART = re.compile(r"(?:\+86)?1[3-9][0-9]{9}|[0-9]{17,}|[0-9]+[Xx]")


def a_decimal(plain: str, match: re.Match[str]) -> bool:
    """Whether a shape is read off a decimal number, as a log or a metric prints a float:
    its digits follow or precede a decimal point (``0.3544879577304417``,
    ``6222021234567890.5``), or a decimal point is all that stands between them
    (``6082.6624315336885``). A number written in groups has a separator between each
    (``138.1234.5678``), and a number's label ends in a letter (``No.13812345678``). Nor is
    a point after digits that start with 0 a float's (``zero_led``), before the number or
    after it (``013812345678.0813``, ``075588886666.5``), nor one after a mobile's 11
    digits, 17 digits or more, or an ID's X (``_NOT_AN_INTEGER_PART``), nor one between
    more significant digits than a float prints (``too_precise``)."""
    start, end = match.start(), match.end()
    if start >= 2 and plain[start - 1] == "." and plain[start - 2].isdigit() \
            and not zero_led(plain, start - 1) and not too_precise(plain, start - 1):
        return True
    if end + 1 < len(plain) and plain[end] == "." and plain[end + 1].isdigit() \
            and not zero_led(plain, end) \
            and not _NOT_AN_INTEGER_PART.fullmatch(plain[start:end]):
        return True
    return _DIGIT_OR_X.sub("", plain[start:end]) == "."


def zero_led(plain: str, point: int) -> bool:
    """Whether the digits right before ``point`` are two or more that start with 0: no
    float's integer part is so printed (``0.35``, ``813.13``), but a month and a day
    (``0813``), a second (``12.30.05``), a zero-padded counter are, and what follows their
    dot is a number of its own (QA: ``x_0813.13812345678.csv``,
    ``rec_12.30.05.075588886666.wav`` were written raw as a float's decimals)."""
    first = _run_start(plain, point)
    return point - first >= 2 and plain[first] == "0"


def _run_start(plain: str, point: int) -> int:
    """Where the run of digits that ends right before ``point`` starts."""
    first = point
    while first and plain[first - 1].isdigit():
        first -= 1
    return first


#: a double is printed with 17 significant digits at most (shortest repr, ``%.17g``)
_FLOAT_DIGITS = 17


def too_precise(plain: str, point: int) -> bool:
    """Whether the digits around ``point`` hold more significant digits than a float prints:
    then they are two numbers a dot joins, not one float, and the digits after the dot are
    read whole (QA: ``x_1.110101199003071237.csv``, a resident ID after a counter, and
    ``part_7.6222021234567890128.txt``, a card, were written raw as a float's decimals).
    ``0.3544879577304417`` (16) and ``6082.6624315336885`` (17) are floats still."""
    first = _run_start(plain, point)
    last = point + 1
    while last < len(plain) and plain[last].isdigit():
        last += 1
    return len((plain[first:point] + plain[point + 1:last]).lstrip("0")) > _FLOAT_DIGITS
