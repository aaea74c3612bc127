"""A landline written as digits alone (``call_01062345678.log``, ``录音_075587654321_20260813.wav``:
call centres name recordings by the caller) is masked as the landline it is, as one with its
area code set off is (QA: it stayed raw in every output, as only a mobile's or a separated
landline's shape was masked, and the engine's digits-only landline asks for 电话 and is never
asked of a name). 0, an area code of the CN_LANDLINE recognizer (010, 02x, 03xx to 09xx), then
7 or 8 digits starting with neither 0 nor 1, as the whole of a run of digits. No phone word is
asked for: measured below, most recording names carry none, and names of no one so shaped are
rare (the guard corpora of ``test_masking_eager`` and ``test_shapes_dated_names`` stay
readable)."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

import pytest

from pia import identifier_shapes
from pia.identifier_shapes import shaped_identifiers
from pia.masking import mask_text

#: area codes as the recognizer takes them: Beijing, the 02x cities, 4-digit codes
AREAS = ["010", "020", "021", "025", "027", "028", "029", "0311", "0351", "0371", "0411",
         "0451", "0512", "0571", "0591", "0731", "0755", "0769", "0851", "0871", "0931", "0991"]


@pytest.mark.parametrize(("name", "masked"), [
    ("call_01062345678.log", "call_010******78.log"),
    ("电话_01062345678.log", "电话_010******78.log"),
    ("call_20260813_01062345678.log", "call_20260813_010******78.log"),
    ("录音_075587654321_20260813.wav", "录音_0755******21_20260813.wav"),
    ("录音_20260813.075587654321.wav", "录音_20260813.0755******21.wav"),
    ("01062345678", "010******78"),
    ("0106234567.wav", "010*****67.wav"),  # 7 digits after 010
    ("05718765432.amr", "0571*****32.amr"),  # 7 digits after a 4-digit code
    ("tel02162345678.mp3", "tel021******78.mp3"),
    ("out-02162345678-8001-20260813-093015-1755048615.123.wav",
     "out-021******78-8001-20260813-093015-1755048615.123.wav"),
    ("in-8001-075587654321-20260813-093015.wav", "in-8001-0755******21-20260813-093015.wav"),
    ("2026-08-13 09:30:15 来电 075587654321", "2026-08-13 09:30:15 来电 0755******21"),
    ("x_12:47:49.01062345678.log", "x_12:47:49.010******78.log"),
    ("张三_０１０６２３４５６７８.mp3", "张三_010******78.mp3"),  # full-width digits
])
def test_a_landline_of_digits_alone_is_masked(name: str, masked: str) -> None:
    """Fails without: each was written as it is."""
    assert mask_text(name, []) == masked
    assert [kind for kind, _, _ in shaped_identifiers(name)] == ["CN_LANDLINE"]


def test_it_is_masked_as_a_separated_landline_is() -> None:
    for bare, separated in (("01062345678", "010-62345678"), ("075587654321", "0755-87654321"),
                            ("0106234567", "010-6234567")):
        assert mask_text(f"call_{bare}.log", []) == mask_text(f"call_{separated}.log", [])


@pytest.mark.parametrize("text", [
    "010623456789",  # 12 digits after 010: no area code and subscriber make them
    "0010623456789", "9801062345678", "010623456789012",  # part of a longer run
    "01162345678",  # 011 is no area code
    "01012345678", "01002345678", "075512345678",  # a subscriber starts with neither 1 nor 0
    "010623456", "0755876543",  # too few digits (010 and 6, 0755 and 6)
    "0755876543210",  # too many (0755 and 9)
    "3.01062345678",  # a float's decimals (no float's integer part is led by 0)
    "x_12:47:49.39323.09012579416.log",  # a time's fraction, then a float
    "sha a3f01062345678bc", "01062345678deadbeef",  # within a hex word
    "550e8400-e29b-41d4-a716-075587654321",  # a UUID's last group
    "invoice_0123456789012.pdf", "000123456789.dat", "access_20261128_0930.log.gz",
    "part-00042-20261128.parquet", "mysql-bin.000123", "00000000000012345678.log",
    "app-0.29.101.tar.gz", "v2.13.0812345", "1786663936000.json", "IMG_20260813_093015.jpg",
    "发票 0123456789", "seq=0000012345678",
])
def test_what_is_no_such_landline_stays_readable(text: str) -> None:
    assert shaped_identifiers(text) == [] and mask_text(text, []) == text


def _landline(rng: random.Random) -> str:
    area = rng.choice(AREAS)
    digits = 8 if len(area) == 3 or rng.random() < 0.7 else 7
    return area + str(rng.randrange(2, 10)) + "".join(
        str(rng.randrange(10)) for _ in range(digits - 1))


def _recordings(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Names of call recordings and call logs, each with its caller's landline, as PBXs
    (Asterisk's MixMonitor: ``out-``, ``in-``, ``q-``, ``external-``; FreeSWITCH), call
    centres and people name them."""
    start = datetime(2020, 1, 1)
    out = []
    for _ in range(count):
        number = _landline(rng)
        moment = start + timedelta(seconds=rng.randrange(6 * 365 * 86400))
        ext, unique = rng.randrange(1000, 9000), f"{int(moment.timestamp())}.{rng.randrange(999)}"
        day, time = f"{moment:%Y%m%d}", f"{moment:%H%M%S}"
        names = [f"out-{number}-{ext}-{day}-{time}-{unique}.wav",
                 f"in-{ext}-{number}-{day}-{time}-{unique}.wav",
                 f"q-600-{number}-{day}-{time}-{unique}.wav",
                 f"external-{ext}-{number}-{day}-{time}-{unique}.wav",
                 f"{day}{time}_{number}_{ext}.wav",
                 f"{uuid.UUID(int=rng.getrandbits(128))}_{number}.wav",
                 f"录音_{number}_{day}.wav", f"张三_{number}.mp3", f"{number}.wav",
                 f"{number}_{day}_{time}.mp3", f"来电_{number}_{moment:%Y-%m-%d_%H-%M-%S}.wav",
                 f"call_{number}.log", f"tel{number}.amr", f"电话_{number}.log",
                 f"rec_{day}_{number}.wav", f"客户{number}_通话记录.xlsx",
                 f"fax_{number}_{day}.pdf", f"{moment:%Y-%m-%d %H:%M:%S} 呼入 {number}"]
        out += [(name, number) for name in names]
    return out


def test_every_recording_name_is_masked_whatever_words_it_holds() -> None:
    """Asked for a phone word (call, tel, 电话, 来电, 录音, fax...), a third of these names
    would be masked: a PBX's (``out-…``, ``in-…``), one led by the time or a person's name,
    or the number alone carry none. Every one is masked, and its number is gone."""
    names = _recordings(random.Random(20261202), 200)
    assert [name for name, number in names
            if number in mask_text(name, []) or number[-8:] in mask_text(name, [])] == []


def _searched(text: str) -> list[tuple[str, int, int]]:
    plain, at = identifier_shapes._searchable(text)
    return [(kind, at(start), at(end - 1) + 1)
            for kind, start, end in identifier_shapes._shaped(plain)]


def test_the_pre_check_lets_every_such_name_through() -> None:
    """``_may_hold_identifier`` bails out of no name where the searches find a landline of
    digits alone: next to dates, times, counters and other groups of digits."""
    rng = random.Random(35273)
    names = [name for name, _ in _recordings(rng, 100)]
    for _ in range(2000):
        number, other = _landline(rng), str(rng.randrange(10 ** rng.randrange(1, 9)))
        join = rng.choice(["_", ".", "-", " ", "__", "/", "(", ") "])
        names += [f"{other}{join}{number}", f"{number}{join}{other}.log", f"x{number}",
                  f"{join}{number}{join}"]
    found = [shaped_identifiers(n) for n in names]
    assert found == [_searched(n) for n in names]
    assert sum(any(k == "CN_LANDLINE" for k, _, _ in f) for f in found) > len(names) * 8 // 10
