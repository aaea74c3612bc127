"""Free text is masked eagerly (``pia.masking.mask_text``, ``shaped_identifiers``): a column
comment or an error message that quotes a landline, an international card, a passport or a
permit to Hong Kong, Macao or Taiwan had it shown raw, as no context word made the engine
find it. The mask keeps the kind recognisable, as a mobile's or an ID's does; a number split
by a hidden separator masks as the number written whole; an ID glued to hex letters is one
when its check digit holds. What is no identifier (timestamps, SQL, URLs, versions, UUIDs,
ports, order numbers, digests, floats) stays as it is: measured below on such strings, fixed
and generated."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid

import pytest

from pia.detection.checksums import luhn_valid, mod11_2_check_char, resident_id_check_valid
from pia.masking import mask, mask_text, shaped_identifiers

VALID_ID = "110105199003071239"  # its check digit holds
UNCHECKED_ID = "110101199003071237"  # a real province and birth date, a wrong check digit


@pytest.mark.parametrize(("text", "masked"), [
    ("联系电话 010-12345678", "联系电话 010******78"),
    ("门店 0755 8888 6666，营业时间", "门店 0755******66，营业时间"),
    ("(021)62345678", "021******78"),
    ("tel: (0571) 8765-4321-802 ext", "tel: 0571*********02 ext"),  # and its extension
    ("总机 +86 10 6234 5678", "总机 010******78"),
    ("fax 0086-755-8765-4321", "fax 0755******21"),
    ("Visa 4539 1488 0343 6467 expired", "Visa 4539********6467 expired"),
    ("card=4539148803436467;", "card=4539********6467;"),
    ("Amex 3782 822463 10005", "Amex 3782*******0005"),
    ("mc 5425-2334-3010-9903", "mc 5425********9903"),
    ("duplicate key value (E12345678) violates unique constraint",
     "duplicate key value (E********) violates unique constraint"),
    ("例：G12345678", "例：G********"),
    ("EA1234567 / C12345678 / CA1234567", "EA******* / C******** / CA*******"),
    ("回乡证 H1234567890、M12345678", "回乡证 H**********、M********"),
    ("入台证 L12345678, T12345678", "入台证 L********, T********"),
])
def test_landlines_cards_passports_and_permits_are_masked_by_kind(text: str,
                                                                  masked: str) -> None:
    assert mask_text(text, []) == masked


@pytest.mark.parametrize(("text", "masked"), [
    # passports and permits are printed in capitals, but typed by hand in small letters
    ("scan_e12345678.pdf", "scan_e********.pdf"),
    ("护照 g12345678 已核验", "护照 g******** 已核验"),
    ("ea1234567 / c12345678 / ca1234567", "ea******* / c******** / ca*******"),
    ("回乡证 h1234567890、m12345678", "回乡证 h**********、m********"),
    ("入台证 l12345678, t12345678", "入台证 l********, t********"),
    ("duplicate key (passport_no)=(Eb1234567)", "duplicate key (passport_no)=(Eb*******)"),
])
def test_passports_and_permits_in_small_letters_are_masked(text: str, masked: str) -> None:
    """As ``mask`` masks such a number when the engine finds it (next to 护照)."""
    assert mask_text(text, []) == masked
    assert mask("CN_PASSPORT", "e12345678") == "e********"


def test_an_area_code_dialled_from_abroad_is_kept_as_dialled_at_home() -> None:
    assert mask("CN_LANDLINE", "+86 10 6234 5678") == "010******78"
    assert mask("CN_LANDLINE", "0086 755 8765 4321") == "0755******21"
    assert mask("CN_LANDLINE", "+86 (0)755 8765 4321") == "0755******21"
    assert mask("CN_LANDLINE", "010-62345678") == "010******78"  # as before


#: realistic strings that name no one: each must come out of ``mask_text`` as it went in
NOT_PERSONAL = [
    # log lines and timestamps
    "2026-12-01 03:38:55.123 INFO [main] o.a.c.c.StandardService - Starting service [Tomcat]",
    "2026-12-01T03:38:55.123456+08:00 pid=12345 tid=140234567890 took 1234567 us",
    "Dec  1 03:38:55 host sshd[12345]: Accepted publickey for deploy from 10.12.34.56 port 52134",
    "ts=1733023135123 ns=1733023135123456789 seq=0000012345678",
    "[2026/12/01 03:38:55] elapsed=0.3544879577304417 ratio=0.4539148803436467",
    "load 6082.6624315336885 p99=0.6222021234567890 rate 4830.13936992535 x=3.158541450325348",
    "GC pause (G1 Evacuation Pause) 2048M->1024M(4096M) 0.0123456 secs",
    # SQL
    "SELECT * FROM orders WHERE id = 202412011234567890 AND created_at > '2026-12-01 00:00:00'",
    "INSERT INTO t VALUES (1, 'E', 12345678, 0.12345678, '2026-12-01')",
    "ALTER TABLE users ADD COLUMN phone varchar(20) COMMENT '手机号，例如 138****8000'",
    "LIMIT 100 OFFSET 12345678; -- took 0.0755 s",
    # URLs, hosts, ports
    "https://api.example.com/v2/orders/20241201123456?page=2&size=50&ts=1733023135",
    "postgresql://127.0.0.1:5432/test mysql://[::1]:3306/test redis://10.0.0.12:6379/0",
    "listening on 0.0.0.0:8080, metrics on :9100, grpc on 127.0.0.1:50051",
    "GET /static/js/app.3f2a1b4c.js HTTP/1.1 200 12345678",
    # versions and builds
    "pia 0.2.dev3+g1a2b3c4.d20261201 on Python 3.11.7, PostgreSQL 16.4, MariaDB 11.4.2",
    # a Git commit's abbreviation whose hex digits are all decimal, after a version
    "pia 0.2.dev3+g12345678, app v1.2-14-g87654321-dirty, errorCode=e10010001 sku=g12345678",
    "rotated t20241201.log and g20261130-1.csv",
    "v1.20.300-rc.1+build.20241201.1530 kernel 6.8.0-1021-azure openssl 3.0.13",
    "com.example:app:2.31.0-SNAPSHOT, build #12345678, node v20.11.1",
    # identifiers of things
    "uuid 550e8400-e29b-41d4-a716-446655440000 and 6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
    "request 98E6D194-4327-4628-9D3B-72F1153B0C23, A3986292-344D-4860-9894-62422D80FAEA",
    "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7",
    "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "git 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 (HEAD -> main, tag: v2.3.1)",
    "订单号 ORD202412011234567890，运单 SF1234567890123，发票 0123456789",
    "errorCode=E10010001 errno=E12345678, SKU: G12345678, 工号 E00123456",
    "rotated T20241201.log and G20261130-1.csv, tag H2024120112",
    "mac 00:1A:2B:3C:4D:5E ipv6 2001:db8:85a3::8a2e:370:7334",
    "GB/T 35273-2020 6.3 a); JR/T 0171-2020; ISO/IEC 27001:2022",
    "k8s pod app-7d9f8b6c5d-x2x4q restarted 12345678 times",
]


def _generated(rng: random.Random, count: int) -> list[str]:
    """What logs and tables print by the thousand: UUIDs, floats, timestamps, epoch times,
    versions, host:port pairs, order numbers that start with a date."""
    start = dt.datetime(2015, 1, 1)
    out = []
    for _ in range(count):
        moment = start + dt.timedelta(seconds=rng.randrange(12 * 365 * 86400),
                                      microseconds=rng.randrange(10 ** 6))
        out += [str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper(),
                repr(rng.random()), repr(rng.random() * 10 ** rng.randrange(1, 9)),
                moment.isoformat(), moment.strftime("%Y%m%d%H%M%S%f"),
                str(int(moment.timestamp() * 1000)), str(int(moment.timestamp() * 10 ** 9)),
                f"{rng.randrange(30)}.{rng.randrange(100)}.{rng.randrange(10 ** 4)}",
                f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}:"
                f"{rng.randrange(1, 65536)}",
                f"ORD{moment:%y%m%d}{rng.randrange(10 ** 10):010d}",
                f"{moment:%Y%m%d}{rng.randrange(10 ** 10):010d}"]
    return out


def test_what_names_no_one_stays_readable() -> None:
    generated = _generated(random.Random(20261201), 2000)
    flagged = [(text, shaped_identifiers(text)) for text in NOT_PERSONAL + generated
               if shaped_identifiers(text)]
    assert flagged == []
    assert all(mask_text(text, []) == text for text in NOT_PERSONAL)


def test_a_label_of_a_code_leaves_a_passport_shape_further_on_masked() -> None:
    assert mask_text("errorCode=1, 护照 E12345678", []) == "errorCode=1, 护照 E********"


SEPARATORS = ["\u00a0", "\t", "\u200b", "\u2060", "\u00ad", ".", "_", "/"]


@pytest.mark.parametrize("sep", SEPARATORS)
def test_a_split_number_masks_as_the_number_written_whole(sep: str) -> None:
    """The separators are dropped, as a space's or a hyphen's are: the mask is the whole
    number's (first 4 and last 4 of an ID kept), not one of unknown shape
    (``1******************7``)."""
    for value, groups in ((VALID_ID, (6, 8, 4)), (VALID_ID, (6, 4, 2, 2, 4)),
                          ("13812345678", (3, 4, 4)), ("6222021234567890124", (4, 4, 4, 4, 3)),
                          ("4539148803436467", (4, 4, 4, 4))):
        parts, at = [], 0
        for size in groups:
            parts.append(value[at:at + size])
            at += size
        whole = mask_text(f"见 {value} 止", [])
        assert mask_text(f"见 {sep.join(parts)} 止", []) == whole != f"见 {value} 止"
    assert mask("CN_RESIDENT_ID", sep.join(["110105", "19900307", "1239"])) == \
        "1101**********1239"


def test_an_id_glued_to_hex_letters_is_masked_when_its_check_digit_holds() -> None:
    assert resident_id_check_valid(VALID_ID) and not resident_id_check_valid(UNCHECKED_ID)
    assert mask_text(f"hash a3f{VALID_ID}bc end", []) == "hash a3f1101**********1239bc end"
    assert shaped_identifiers(f"{VALID_ID}deadbeef") == [("CN_RESIDENT_ID", 0, 18)]
    # its check digit fails: a digest's digits, as before
    assert shaped_identifiers(f"hash a3f{UNCHECKED_ID}bc end") == []


def test_digests_of_random_data_are_never_flagged() -> None:
    """A digest of random data holds an 18-digit run between letters about once in a
    thousand, and one that is a resident ID whose check digit holds fewer than once in ten
    million: thousands of them, small letters and capitals, are read as they are."""
    rng = random.Random(35273)
    digests = []
    for _ in range(4000):
        data = rng.randbytes(64)
        digests += [hashlib.sha256(data).hexdigest(), hashlib.sha256(data).hexdigest().upper(),
                    hashlib.md5(data).hexdigest(), hashlib.sha1(data).hexdigest()]
    # the rule is exercised: long decimal runs between letters are there to be read
    assert sum(any(len(run) >= 11 for run in _decimal_runs(d)) for d in digests) > 100
    assert [d for d in digests if shaped_identifiers(d) or mask_text(d, []) != d] == []


def _decimal_runs(text: str) -> list[str]:
    return "".join(c if c.isdigit() else " " for c in text).split()


def test_a_forged_digest_holding_a_checked_id_is_found() -> None:
    body = "44030119880101123"
    forged = "ab" + body + mod11_2_check_char(body) + "c" * 44
    assert len(forged) == 64 and shaped_identifiers(forged) == [("CN_RESIDENT_ID", 2, 20)]
    assert luhn_valid("4539148803436467")
