"""Percent-encoded UTF-8 (a Chinese name or address in a URL's query string, as an access
log keeps it): the engine searches the characters, reports offsets over the escapes, and
masks and fingerprints show one identity however the value was written."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from escape_checks import assert_decodes, assert_found_as_in_plain, lines_and_choices
from hypothesis import given, settings

from pia.connectors.base import ScanContext, ScanOptions, scan_serial
from pia.connectors.files import FilesConnector
from pia.detection.engine import DetectionEngine, default_engine
from pia.detection.normalize import decode_escapes, decoded
from pia.masking import Fingerprinter, mask

ENGINE = default_engine()
PURE = DetectionEngine(prefilter=False)
NAME, ADDRESS = "张三", "北京市海淀区中关村大街27号"


@pytest.mark.parametrize(("text", "want"), [
    ("name=%E5%BC%A0%E4%B8%89&x=1", "name=张三&x=1"),
    ("%e5%bc%a0", "张"),  # lower-case hex
    ("%F0%9F%98%80!", "😀!"),  # four bytes, one character
    ("%C3%A9t%C3%A9", "été"),
    # ASCII escapes stay as written (for_search blanks those of punctuation)
    ("a%2Fb%41%E5%BC%A0", "a%2Fb%41张"),
    # bytes that are no UTF-8 stay: a cut character, GBK's 张 (D5 C5), a stray continuation
    ("%E5%BC", "%E5%BC"), ("%D5%C5%C8%FD", "%D5%C5%C8%FD"), ("%BC%A0%E5%BC%A0", "%BC%A0张"),
    # a space between words of a query string: %20, and a form's + beside an escape
    ("q=%E5%BC%A0+%E4%B8%89&r=%E5%8C%97%20%E4%BA%AC", "q=张 三&r=北 京"),
    ("%E5%BC%A0 a+b tel=+8613812345678", "张 a+b tel=+8613812345678"),
    ("a+b%20c %2B86", "a+b%20c %2B86"),  # no character escaped: nothing decoded
    # a space or a hyphen between digits is decoded alone: a mobile typed with separators
    ("tel=138%201234%205678&a=b%20c", "tel=138 1234 5678&a=b c"),
    ("tel=138%2D1234%2d5678", "tel=138-1234-5678"),
    ("a%2Db 1%2D x%201", "a%2Db 1%2D x%201"),  # not between two digits: as written
    # a JSON escape and a percent escape in one text
    ('{"q":"\\u5f20","u":"/s?n=%E4%B8%89"}', '{"q":"张","u":"/s?n=三"}'),
])
def test_percent_escapes_decode_to_characters_whose_spans_are_the_escapes(
        text: str, want: str) -> None:
    assert_decodes(text, want)


def test_long_runs_of_escapes_decode_in_one_pass() -> None:
    """The pattern once took every run of escapes from every start: a 60 KB line of %E5 took
    seconds, a 900 KB one minutes (QA review12 F1)."""
    plain = "GET /u?x=" + "%E5" * 300_000 + "%2F" * 300_000 + "%80" * 300_000
    assert decode_escapes(plain) == (plain, None)
    out, escapes = decode_escapes("n=" + "%E5%BC%A0" * 100_000)
    assert out == "n=" + "张" * 100_000 and escapes is not None


def test_a_form_encoded_address_is_found() -> None:
    """HTML forms write a space as +, other encoders as %20: the address is one, as written
    with spaces (QA review12 F2)."""
    spaced = "北京市 朝阳区 建国路88号"
    for space in ("+", "%20"):
        line = "GET /s?addr=" + space.join(quote(part) for part in spaced.split()) + " HTTP/1.1"
        (matches,) = ENGINE.analyze_lines([line])
        assert [(m.entity_type, decoded(line[m.start:m.end])) for m in matches] == [
            ("CN_ADDRESS", spaced)], space


@pytest.mark.parametrize("separator", ["%20", "%2D", "%2d"])
def test_a_mobile_typed_with_separators_in_a_query_string_is_found(separator: str) -> None:
    """An encoder writes ``138 1234 5678`` as ``138%201234%205678``: the whole escaped number
    is the mobile, masked as the plain one. (A form's ``138+1234+5678`` is not decoded: a
    plus between digits is as often arithmetic.)"""
    value = separator.join(("138", "1234", "5678"))
    line = f"GET /api/user?phone={value}&from=app HTTP/1.1"
    (matches,) = ENGINE.analyze_lines([line])
    assert [(m.entity_type, line[m.start:m.end]) for m in matches] == [("CN_MOBILE", value)]
    assert ENGINE.analyze(line) == matches
    assert mask("CN_MOBILE", decoded(value)) == "138****5678"


def test_a_query_string_names_a_person_and_an_address() -> None:
    line = (f"10.0.0.8 - - [01/Nov/2026:10:00:00 +0800] \"GET /api/user?name={quote(NAME)}"
            f"&address={quote(ADDRESS)}&from=%2Fhome HTTP/1.1\" 200 512")
    (matches,) = ENGINE.analyze_lines([line])
    found = {m.entity_type: line[m.start:m.end] for m in matches}
    assert found == {"IP_ADDRESS": "10.0.0.8", "CN_NAME": quote(NAME),
                     "CN_ADDRESS": quote(ADDRESS)}
    assert ENGINE.analyze(line) == matches
    assert mask("CN_NAME", quote(NAME)) == mask("CN_NAME", NAME) == "张*"
    key = Fingerprinter(b"k" * 32)
    assert key("CN_ADDRESS", decoded(quote(ADDRESS))) == key("CN_ADDRESS", ADDRESS)


PIECES = ["userId", "姓名", NAME, "13812345678", "110101199003074514", " ", "：", "=", "&",
          "?q=", "zs@example.com", ADDRESS, "１３８", "😀", "Tel", "x"]


def _quote_some(line: str, which: list[bool]) -> str:
    """``line`` with the non-ASCII characters ``which`` selects percent-encoded."""
    return "".join(quote(ch) if which[i % len(which)] and not ch.isascii() else ch
                   for i, ch in enumerate(line))


@settings(max_examples=60, deadline=None)
@given(*lines_and_choices(PIECES))
def test_percent_encoding_characters_never_changes_what_is_found(lines: list[str],
                                                                 which: list[bool]) -> None:
    assert_found_as_in_plain(ENGINE, PURE, lines, [_quote_some(line, which) for line in lines])


def test_scan_of_an_access_log_counts_the_query_strings_pi_once(tmp_path: Path) -> None:
    """The same name, escaped in a URL and written in a JSON log, is one identity; neither
    its characters nor its escapes reach the report."""
    (tmp_path / "access.log").write_text(
        f"10.0.0.8 - - [01/Nov/2026:10:00:00 +0800] \"GET /u?name={quote(NAME)}"
        f"&address={quote(ADDRESS)} HTTP/1.1\" 200 512\n", encoding="utf-8")
    (tmp_path / "app.jsonl").write_text(json.dumps({"name": NAME}, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    ctx = ScanContext(engine=ENGINE, fingerprint=Fingerprinter(b"k" * 32),
                      now=datetime(2026, 11, 2, tzinfo=UTC))
    result = scan_serial(FilesConnector(), str(tmp_path), ScanOptions(), ctx)
    names = [i for i in result.inventory if i["entity_type"] == "CN_NAME"]
    assert len(names) == 2
    assert len({fp for i in names for fp in i["evidence"]["fingerprints"]}) == 1
    assert {i["entity_type"] for i in result.inventory} == {"CN_NAME", "CN_ADDRESS",
                                                            "IP_ADDRESS"}
    text = json.dumps(result.inventory, ensure_ascii=False)
    for raw in (NAME, ADDRESS, quote(NAME), quote(ADDRESS), "中关村"):
        assert raw not in text, raw
