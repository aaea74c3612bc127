"""A dated name (``app-2026-11-28.log``, ``access_20261128_0930.log.gz``) holds no identifier's
shape, and files planning reads such names by the million: ``shaped_identifiers`` tells so
without its six searches (``_may_hold_identifier``), and still finds every identifier the
searches find, in a dated name or elsewhere."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from pia import identifier_shapes
from pia.detection.checksums import luhn_valid, mod11_2_check_char
from pia.identifier_shapes import shaped_identifiers

MOMENT = datetime(2026, 11, 28, 9, 30, 12)

DATED = [f"app-{MOMENT:%Y-%m-%d}.log", f"access_{MOMENT:%Y%m%d_%H%M}.log.gz",
         f"access.log-{MOMENT:%Y%m%d}.gz", f"db_{MOMENT:%Y%m%d%H%M%S}.sql.gz",
         f"report_{MOMENT:%Y%m%d}_042.csv", f"service.{MOMENT:%Y-%m-%d}.3.log",
         f"IMG_{MOMENT:%Y%m%d_%H%M%S}.jpg", f"part-00042-{MOMENT:%Y%m%d}.parquet",
         f"gc-{MOMENT:%Y-%m-%d_%H-%M-%S}.log", f"{MOMENT:%Y/%m/%d}/events-09.jsonl",
         f"backup-{MOMENT:%Y%m%d}T{MOMENT:%H%M%S}Z.tar", "events-09.jsonl"]


def _searched(text: str) -> list[tuple[str, int, int]]:
    """What the six searches find in ``text``, asked whatever it holds."""
    plain, at = identifier_shapes._searchable(text)
    return [(kind, at(start), at(end - 1) + 1)
            for kind, start, end in identifier_shapes._shaped(plain)]


def test_a_dated_name_is_not_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    assert [n for n in DATED if _searched(n)] == []

    def searched(plain: str) -> list[tuple[str, int, int]]:
        raise AssertionError(f"{plain!r} was searched")

    monkeypatch.setattr(identifier_shapes, "_shaped", searched)
    assert [shaped_identifiers(n) for n in DATED] == [[]] * len(DATED)


def _identifiers(rng: random.Random) -> list[str]:
    """One number of each shape, as written in names: whole or in its printed groups."""
    body = "11010519900307123"
    card = next(c for c in (f"622202123456789012{d}" for d in range(10)) if luhn_valid(c))
    visa = next(c for c in (f"453914880343646{d}" for d in range(10)) if luhn_valid(c))
    mobile = f"1{rng.choice('3456789')}{rng.randrange(10 ** 9):09d}"
    return [body + mod11_2_check_char(body), "110105 19900307 1231", "110105900307123",
            mobile, f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}", f"0086{mobile}",
            card, f"{card[:4]} {card[4:8]} {card[8:12]} {card[12:16]} {card[16:]}",
            visa, "010-62345678", "(0755)87654321", "+86 10 6234 5678", "0086-571-8765-4321",
            "E12345678", "g12345678", "H1234567890", "t12345678"]


def test_every_identifier_in_a_dated_name_is_found_as_the_searches_find_it() -> None:
    rng = random.Random(35273)
    start = datetime(2015, 1, 1)
    names = []
    for _ in range(300):
        moment = start + timedelta(seconds=rng.randrange(12 * 365 * 86400))
        for number in _identifiers(rng):
            date = rng.choice([f"{moment:%Y%m%d}", f"{moment:%Y-%m-%d}", f"{moment:%Y%m%d_%H%M}"])
            names += [f"{date}_{number}.pdf", f"{number}-{date}.log", f"scan {number} {date}",
                      f"{date}.{number}", f"kyc_{number}_{date}_{moment:%H%M%S}.jpg"]
    found = [shaped_identifiers(n) for n in names]
    assert found == [_searched(n) for n in names]
    # the corpus holds what to find: the searches find a number in most names (not where a
    # dot makes it a decimal's digits, 2026-08-13.1101…, nor a landline after a date's digits)
    assert sum(map(bool, found)) > len(names) // 2
