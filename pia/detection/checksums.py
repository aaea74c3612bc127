"""Check-digit algorithms on the hot path, table-driven.

python-stdnum implements these too (and is what the tests compare them with, on random input):
its functions normalise and validate generically, which costs 5–10 µs per call; these run on
every candidate the engine sees.
"""

from __future__ import annotations

from operator import mul
from typing import NamedTuple

import numpy as np

#: a Luhn-doubled digit's digit sum, as a translation table (2×7 = 14 → 1 + 4 = 5)
_LUHN_DOUBLED = str.maketrans("0123456789", "0246813579")
_MOD11_2_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_MOD11_2_OFFSET = 48 * sum(_MOD11_2_WEIGHTS)  # the weights times ord("0")
_MOD11_2_CHECK = "10X98765432"


def ascii_digits(text: str) -> bool:
    """Whether ``text`` is ASCII digits alone (and not empty): ``str.isdigit`` looks every
    character up in Unicode's tables, fifteen times slower than ``bytes.isdigit`` on the
    joined values of a batch."""
    return text.isascii() and text.encode("ascii").isdigit()


def luhn_valid(digits: str) -> bool:
    """ISO/IEC 7812 Luhn check over a string of ASCII digits.

    Digit sums are taken over the ASCII bytes (``sum(b"...")`` runs in C): this is on the
    hot path of every card-shaped candidate.
    """
    if not (digits.isascii() and digits.isdigit()):
        return False
    kept = digits[-1::-2].encode()
    doubled = digits[-2::-2].translate(_LUHN_DOUBLED).encode()
    return (sum(kept) + sum(doubled) - 48 * len(digits)) % 10 == 0


_LUHN_DOUBLED_DIGITS = np.array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9], dtype=np.int64)


class DigitRows(NamedTuple):
    """Many numbers as one digit array (``digit_rows``)."""

    digits: np.ndarray  # every number's digits, one after the other (0–9)
    owners: np.ndarray  # for each digit, the index of its number
    starts: np.ndarray  # where each number starts in ``digits``
    lengths: np.ndarray  # each number's length


def digit_rows(numbers: list[str]) -> DigitRows | None:
    """``numbers`` as one digit array, or None when some number is empty or not all ASCII
    digits: the caller then checks them one by one."""
    joined = "".join(numbers)
    lengths = np.fromiter(map(len, numbers), dtype=np.int64, count=len(numbers))
    if not numbers or not ascii_digits(joined) or not lengths.all():
        return None
    digits = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).astype(np.int64) - 48
    starts = np.zeros(len(numbers), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    return DigitRows(digits, np.repeat(np.arange(len(numbers)), lengths), starts, lengths)


def luhn_valid_rows(rows: DigitRows) -> np.ndarray:
    """``luhn_valid`` of each number of a ``digit_rows`` array."""
    ends = rows.starts + rows.lengths
    # every second digit from the right is doubled
    doubled = (ends[rows.owners] - 1 - np.arange(len(rows.digits))) % 2 == 1
    values = np.where(doubled, _LUHN_DOUBLED_DIGITS[rows.digits], rows.digits)
    return np.add.reduceat(values, rows.starts) % 10 == 0


def mod11_2_check_char(body17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID."""
    if len(body17) != 17 or not (body17.isascii() and body17.isdigit()):
        raise ValueError("a resident ID body is 17 ASCII digits")
    return _MOD11_2_CHECK[(sum(map(mul, _MOD11_2_WEIGHTS, body17.encode())) - _MOD11_2_OFFSET)
                          % 11]


_MOD11_2_WEIGHT_ARRAY = np.array(_MOD11_2_WEIGHTS, dtype=np.int64)
_MOD11_2_CHECK_BYTES = np.frombuffer(_MOD11_2_CHECK.encode("ascii"), dtype=np.uint8)


def mod11_2_check_bytes(bodies: np.ndarray) -> np.ndarray:
    """``mod11_2_check_char`` of each row of 17 digit values (0–9), as ASCII bytes."""
    return _MOD11_2_CHECK_BYTES[(bodies @ _MOD11_2_WEIGHT_ARRAY) % 11]


def resident_id_check_valid(value: str) -> bool:
    """Whether an 18-character resident ID's last character matches its MOD 11-2 check."""
    if len(value) != 18:
        return False
    body = value[:17]
    if not (body.isascii() and body.isdigit()):
        return False
    return mod11_2_check_char(body) == value[17].upper()


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {ch: i for i, ch in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_valid(value: str) -> bool:
    """GB 32100-2015 unified social credit code: 17 characters and a MOD 31 check character."""
    if len(value) != 18:
        return False
    try:
        total = sum(_USCC_VALUES[ch] * w for ch, w in zip(value[:17], _USCC_WEIGHTS, strict=True))
        return _USCC_ALPHABET[(31 - total % 31) % 31] == value[17]
    except KeyError:
        return False
