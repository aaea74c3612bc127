"""A dated name (``app-2026-11-28.log``, ``access_20261128_0930.log.gz``) holds no identifier's
shape, and files planning reads such names by the million: ``shaped_identifiers`` tells so
without its six searches (``_may_hold_identifier``), and still finds every identifier the
searches find, in a dated name or elsewhere."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

import pytest

from pia import identifier_shapes
from pia.detection.checksums import luhn_valid, mod11_2_check_char
from pia.identifier_shapes import shaped_identifiers
from pia.masking import mask_text

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
    # the corpus holds what to find: the searches find a number in most names
    assert sum(map(bool, found)) > len(names) * 9 // 10


#: a date as names and messages write one, before or after a number
DATE_FORMS = ["%Y%m%d", "%Y-%m-%d", "%Y.%m.%d", "%Y_%m_%d", "%Y%m%d%H%M%S", "%Y%m%d_%H%M%S",
              "%Y%m%dT%H%M%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%H:%M:%S"]
#: what joins a date to the number next to it
JOINS = [".", "_", "-", " ", "__", "._"]


def _alone(number: str) -> list[tuple[str, int, int]]:
    """What is masked of ``number`` in a name holding nothing else."""
    return [(kind, start - 2, end - 2) for kind, start, end in shaped_identifiers(f"x_{number}.csv")]


def test_a_number_next_to_a_date_is_masked_as_it_is_alone() -> None:
    """QA: a dot, or a landline's boundary, joined a date's digits to the number after it
    (export_20260813.13812345678.csv read as a float's decimals, call_20260813_010-62345678.wav
    as the tail of a longer grouped number) and left it raw. A date, a time, before or after:
    the number is masked as it is alone, no more and no less of it (fails without)."""
    rng = random.Random(20260813)
    start = datetime(2015, 1, 1)
    missed, names = [], 0
    for _ in range(40):
        moment = start + timedelta(seconds=rng.randrange(12 * 365 * 86400),
                                   microseconds=rng.randrange(10 ** 6))
        for number in _identifiers(rng) + ["+86-138-1234-5678", "+86.13812345678",
                                           "(021)62345678", "0755 8888 6666"]:
            alone = _alone(number)  # none for a mobile of no network's segment (179…)
            for form in DATE_FORMS:
                date = f"{moment:{form}}"
                for join in JOINS:
                    before = f"x_{date}{join}"
                    for name, at in ((f"{before}{number}.csv", len(before)),
                                     (f"x_{number}{join}{date}.csv", 2)):
                        found, names = shaped_identifiers(name), names + 1
                        if not {(k, s - at, e - at) for k, s, e in found} >= {*alone}:
                            missed.append((name, found))
    assert missed == [] and names > 40 * 15 * len(DATE_FORMS) * len(JOINS) * 2


@pytest.mark.parametrize(("name", "masked"), [
    ("export_20260813.13812345678.csv", "export_20260813.138****5678.csv"),
    ("call_20260813_010-62345678.wav", "call_20260813_010******78.wav"),
    ("call_20260813-0755-8888-6666.wav", "call_20260813-0755******66.wav"),
    ("refund_20260813.6222021234567890128.txt", "refund_20260813.6222***********0128.txt"),
    ("id_2026-08-13.110101199003071237.jpg", "id_2026-08-13.1101**********1237.jpg"),
    ("fax_20260813-+86 10 6234 5678.pdf", "fax_20260813-010******78.pdf"),
    ("m_20260813 (021)62345678", "m_20260813 021******78"),
    ("x_13812345678.20260813.csv", "x_138****5678.20260813.csv"),
    ("2026-08-13 10:30:00 010-62345678 called", "2026-08-13 10:30:00 010******78 called"),
])
def test_a_dated_name_is_masked(name: str, masked: str) -> None:
    assert mask_text(name, []) == masked


@pytest.mark.parametrize("text", [
    "20260813093015123456", "v2.13.812345", "build_20260813.1", "access_20261128_0930.log.gz",
    "access_20261128_0930_1234567.log", "IMG_20260813_093015.jpg", "20260813.0.3544879577304417",
    "2026-12-01 03:38:55.123 seq=0000012345678",
    "backup-20261128T093012Z.tar", "trace_20260813093015123456_0001.log",
    "release-20260813-3-g1a2b3c4", "2026-08-13_v2.13.812345", "20260813E12345678",
])
def test_what_is_dated_and_names_no_one_stays_readable(text: str) -> None:
    assert shaped_identifiers(text) == [] and mask_text(text, []) == text


def _dated_not_personal(rng: random.Random, count: int) -> list[str]:
    """What stands next to a date in names and log lines and names no one: a time, a
    counter, a float, a version, a trace id or an order number that starts with a date, a
    UUID, an epoch time. (Before a date, a time or a UUID's last digits is left out: the
    first search reads ``0449_20160727`` as a landline, ``…b152_20190625`` as a mobile in
    groups, as a subscriber's number or a mobile may be so written.)"""
    start = datetime(2015, 1, 1)
    out = []
    for _ in range(count):
        moment = start + timedelta(seconds=rng.randrange(12 * 365 * 86400),
                                   microseconds=rng.randrange(10 ** 6))
        date = f"{moment:{rng.choice(DATE_FORMS)}}"
        join = rng.choice(JOINS)
        either = [str(rng.randrange(10 ** 9)), f"{rng.randrange(10 ** 6):06d}",
                  repr(rng.random()), repr(rng.random() * 10 ** rng.randrange(1, 9)),
                  f"v{rng.randrange(10)}.{rng.randrange(100)}.{rng.randrange(10 ** 6)}",
                  f"{moment:%Y%m%d%H%M%S%f}", f"{moment:%Y%m%d}{rng.randrange(10 ** 10):010d}",
                  str(int(moment.timestamp() * 1000))]
        after = [f"{moment:%H%M}", f"{moment:%H%M%S}", str(uuid.UUID(int=rng.getrandbits(128)))]
        out += [f"x_{date}{join}{other}.log" for other in either + after]
        out += [f"{other}{join}{date}" for other in either]
    return out


def test_what_stands_by_a_date_and_names_no_one_stays_readable() -> None:
    """The second search (a date's digits read as none) finds nothing, and changes nothing,
    in 19,000 dated names and lines that hold no identifier; the first finds a Diners card's
    shape in one (``36464141_2017-11-07…``: a counter and a date, Luhn by chance), as it
    did before."""
    texts = _dated_not_personal(random.Random(20261128), 1000)
    flagged = [(t, shaped_identifiers(t)) for t in texts if shaped_identifiers(t)]
    assert [(t, found) for t, found in flagged
            if found != identifier_shapes._shaped_as_written(identifier_shapes._searchable(t)[0])
            ] == []
    assert len(flagged) <= len(texts) // 10000
