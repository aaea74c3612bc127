"""Encodings real estates mix: GBK lines inside a UTF-8 log, a stray UTF-16 byte-order mark
before 8-bit text, Big5."""

from __future__ import annotations

import codecs

import pytest

from pia.connectors.files import text
from pia.connectors.files.sniff import encoding

UTF8_LINE = ("2026-11-29 10:00:00 INFO 收件人：王五，地址：上海市浦东新区世纪大道100号，"
             "电话 13812345678\n")
GBK_LINE = "2026-11-29 10:00:00 旧系统 收件人：李四 手机 13912345678\n"
PI_LINE = "2026-11-29 10:00:00 INFO mobile 13812345678 id 11010519491231002X\n"
BIG5_LINE = ("2026-11-29 10:00:00 用戶 張三 身份證 11010519491231002X 手機 13812345678 "
             "地址 台北市信義路五段7號\n")


def _items(result) -> dict[str, tuple[int, list[str], list[int]]]:
    return {i["entity_type"]: (i["count"], i["evidence"]["samples"], i["location"]["lines"])
            for i in result.inventory}


def _attributes(result) -> dict:
    (fact,) = [f for f in result.facts if f["kind"] == "file"]
    return fact["attributes"]


@pytest.mark.parametrize("where", [1, 20_000, 39_999])  # in the head, a middle sample, the end
def test_gbk_line_inside_a_utf8_log(tmp_path, scan, monkeypatch, where) -> None:
    monkeypatch.setattr(text, "CHUNK_BYTES", 64 << 10)  # the GBK line among many chunks
    lines = [UTF8_LINE.encode()] * 40_000
    lines[where] = GBK_LINE.encode("gbk")
    (tmp_path / "mixed.log").write_bytes(b"".join(lines))
    result = scan(tmp_path / "mixed.log")
    items = _items(result)
    assert items["CN_NAME"][:2] == (40_000, ["王*", "李*"])
    assert items["CN_MOBILE"][:2] == (40_000, ["138****5678", "139****5678"])
    assert items["CN_ADDRESS"][0] == 39_999
    assert (_attributes(result)["encoding"], _attributes(result)["lines"]) == (
        "utf-8+gb18030", 40_000)


def test_utf8_after_a_gbk_line_of_a_short_log_stays_utf8(tmp_path, scan) -> None:
    """A chunk whose first bad byte came after UTF-8 Chinese was read as GB18030 from that
    byte on when the rest happened to decode so (a short log): the UTF-8 line after the GBK
    one became mojibake and its name was lost."""
    data = (UTF8_LINE.encode() + GBK_LINE.encode("gbk")
            + "2026-11-29 10:00:01 INFO 联系人：赵六 邮箱 a@example.com\n".encode())
    (tmp_path / "short.log").write_bytes(data)
    result = scan(tmp_path / "short.log")
    assert _items(result)["CN_NAME"][:2] == (3, ["王*", "李*", "赵*"])
    assert _attributes(result)["encoding"] == "utf-8+gb18030"


def test_gbk_run_inside_a_utf8_line(tmp_path, scan) -> None:
    line = ("2026-11-29 10:00:00 INFO 收件人：".encode() + "李四".encode("gbk")
            + "，电话 13912345678 \xff\n".encode())
    (tmp_path / "run.log").write_bytes(UTF8_LINE.encode() * 3 + line)
    items = _items(scan(tmp_path / "run.log"))
    assert items["CN_NAME"] == (4, ["王*", "李*"], [1, 2, 3, 4])


def test_utf8_line_with_a_stray_byte_keeps_its_text(tmp_path, scan) -> None:
    broken = UTF8_LINE.replace("电话", "电话\x00").encode().replace(b"\x00", b"\xa1")
    (tmp_path / "stray.log").write_bytes(UTF8_LINE.encode() * 3 + broken)
    items = _items(scan(tmp_path / "stray.log"))
    assert items["CN_ADDRESS"][0] == 4 and items["CN_NAME"][0] == 4


def test_a_gbk_log_whose_head_is_ascii_switches_to_gb18030(tmp_path, scan) -> None:
    data = b"2026-11-29 10:00:00 INFO start\n" * 5000 + GBK_LINE.encode("gbk") * 3
    (tmp_path / "late.log").write_bytes(data)
    result = scan(tmp_path / "late.log")
    assert _items(result)["CN_NAME"][:2] == (3, ["李*"])
    assert _attributes(result)["encoding"] in ("gb18030", "utf-8+gb18030")


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
                                 codecs.BOM_UTF16_LE + b"\xfa\xfb junk\n"])
def test_a_stray_utf16_bom_before_8bit_text(tmp_path, scan, bom) -> None:
    (tmp_path / "ffe.log").write_bytes(bom + PI_LINE.encode() * 50)
    result = scan(tmp_path / "ffe.log")
    items = _items(result)
    assert (items["CN_MOBILE"][0], items["CN_RESIDENT_ID"][0]) == (50, 50)
    assert _attributes(result)["encoding"] == "utf-8"


@pytest.mark.parametrize("data", [
    PI_LINE.encode("utf-16"),  # with its BOM
    ("张三 " * 2000).encode("utf-16"),  # CJK without a line end or a NUL: still UTF-16
    codecs.BOM_UTF16_LE + "手机".encode("utf-16-le"),  # too short to doubt
])
def test_a_real_utf16_bom_is_kept(data) -> None:
    assert encoding([data]) == "utf-16"


def test_big5_is_detected(tmp_path, scan) -> None:
    (tmp_path / "big5.log").write_bytes((BIG5_LINE * 3).encode("big5"))
    result = scan(tmp_path / "big5.log")
    items = _items(result)
    assert items["CN_NAME"][1] == ["張*"] and items["CN_ADDRESS"][0] == 3
    assert _attributes(result)["encoding"] == "cp950"


@pytest.mark.parametrize("data", [
    (UTF8_LINE * 3).encode("gbk"),  # simplified Chinese that is also valid Big5 bytes
    (BIG5_LINE * 3).encode("gbk"),  # traditional characters written in GBK
])
def test_gbk_stays_gb18030(data) -> None:
    assert encoding([data]) == "gb18030"


#: UTF-8 lines whose bytes, taken together with a GBK line, decode whole as GB18030 (into
#: nonsense): the QA log of qa-files 13
LOGIN_LINE = "2026-11-29 10:00:00 用户登录 密码=Zx9secretpw 宗教信仰=佛教\n"
OLD_LINE = "2026-11-29 10:00:01 旧系统 手机 13812345678\n"


@pytest.mark.parametrize("gbk_at", [5, 0, 2])  # after the UTF-8 lines, before, among them
def test_utf8_lines_of_a_log_that_decodes_whole_as_gb18030_stay_utf8(
        tmp_path, scan, gbk_at) -> None:
    """A small UTF-8 log with one GBK line was read whole as GB18030 whenever its bytes
    happened to decode so: the UTF-8 lines' 密码= and 宗教信仰= fields became mojibake and
    their passwords and religions went unreported."""
    lines = [LOGIN_LINE.encode()] * 5
    lines.insert(gbk_at, OLD_LINE.encode("gbk"))
    data = b"".join(lines)
    assert codecs.decode(data, "gb18030")  # what made the whole file GB18030
    assert encoding([data]) == "utf-8+gb18030"
    (tmp_path / "m.log").write_bytes(data)
    result = scan(tmp_path / "m.log")
    items = {i["entity_type"]: i for i in result.inventory}
    utf8_lines = [n for n in range(1, 7) if n != gbk_at + 1]
    assert items["CREDENTIAL"]["location"]["field"] == "密码"
    assert items["CREDENTIAL"]["location"]["lines"] == utf8_lines
    assert items["RELIGION"]["location"]["lines"] == utf8_lines
    assert items["CN_MOBILE"]["location"]["lines"] == [gbk_at + 1]
    assert _attributes(result)["encoding"] == "utf-8+gb18030"


def test_a_mixed_csv_split_in_ranges_keeps_its_header_in_every_range(tmp_path, scan,
                                                                     monkeypatch) -> None:
    """The header a byte range after the first is read with comes from the file's head
    (``sniff.head_text``), the first range's from ``text.Decoder``: both read a line of a
    ``MIXED`` file alike (``mixed_lines``). A UTF-8 header with a GBK word in it was read
    whole as GB18030 by the head, so that the ranges after the first named their columns in
    mojibake (``鎵嬫満鍙风爜`` for ``手机号码``) and lost the names that only the column's name
    (``客户姓名``) made names: 16 of 60 were found."""
    from pia.connectors.files import connector

    monkeypatch.setattr(connector, "SPLIT_BYTES", 512)
    header = "客户姓名,手机号码,".encode() + "备注".encode("gbk") + b"\n"
    rows = [f"张三,1381234{n:04d},正常客户\n".encode() for n in range(60)]
    rows[30] = "李四,13912345678,".encode() + "老系统".encode("gbk") + b"\n"
    (tmp_path / "users.csv").write_bytes(header + b"".join(rows))
    result = scan(tmp_path / "users.csv")
    assert (_attributes(result)["encoding"], _attributes(result)["lines"]) == (
        "utf-8+gb18030", 61)
    assert {i["entity_type"]: i["count"] for i in result.inventory} == {
        "CN_NAME": 60, "CN_MOBILE": 60}
