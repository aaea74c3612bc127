"""Content decides the format and the encoding; scan_stream works on any reader."""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import zipfile

import pytest
from files_gen import Gen

from pia.connectors.base import ScanOptions
from pia.connectors.files import scan_stream
from pia.connectors.files.sniff import container, encoding, is_binary, text_format

TEXT = "2024-10-10 10:00:00 用户 张三 手机 １３８１２３４５６７８ 登录\n" * 20


@pytest.mark.parametrize(("head", "expected"), [
    (gzip.compress(b"x", mtime=0), "gzip"),
    (bz2.compress(b"x"), "bzip2"),
    (lzma.compress(b"x"), "xz"),
    (b"PK\x03\x04rest", "zip"),
    (b"\x7fELF\x02\x01", "binary"),
    (b"\x89PNG\r\n", "binary"),
    (b"SQLite format 3\x00", "binary"),
    (b"\x00" * 257 + b"ustar\x0000", "tar"),
    (b"plain text\n", None),
])
def test_container_by_magic_bytes(head, expected) -> None:
    assert container(head) == expected


@pytest.mark.parametrize(("data", "expected"), [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("utf-16"), "utf-16"),
    (TEXT.encode("utf-16-le"), "utf-16-le"),
    (TEXT.encode("utf-16-be"), "utf-16-be"),
    (TEXT.encode("gbk"), "gb18030"),
    (TEXT.encode("gb18030"), "gb18030"),
    (b"abc \xff\xfe\xfa broken \x80\n" * 5, "utf-8"),  # neither: replaced, never fatal
])
def test_encoding_by_content(data, expected) -> None:
    assert encoding([data]) == expected


@pytest.mark.parametrize(("data", "binary"), [
    (bytes(range(256)), True),
    # a few NULs in otherwise valid text: text, read with the NUL as a character
    (b"text\x00with nul", False),
    ("".join(f"2024-05-01 user {i} 手机 13812345678\n" for i in range(200)).replace(
        "user 100", "user\x00100").replace("user 7", "user\x00\x007").encode("utf-8"), False),
    (b"\x80\x81\x00\x02abc\xff\x00" * 20, True),  # NULs in what no encoding reads
    (TEXT.encode("utf-32-le"), True),  # NULs everywhere
    (TEXT.encode("utf-16-le"), False),
    (TEXT.encode("gbk"), False),
    (b"", False),
    # logrotate's copytruncate leaves NULs where the old content was; the log follows
    (b"\x00" * 4096 + TEXT.encode("utf-8"), False),
    (b"\x00" * 4096 + b"text\x00with nul", False),
    (b"\x00" * 4096 + b"\xff\xfftext\x00with nul", True),
])
def test_binary(data, binary) -> None:
    assert is_binary(data, encoding([data])) is binary


@pytest.mark.parametrize(("name", "head", "expected"), [
    ("a.log", '{"a": 1}\n{"b": 2}\n', ("jsonl", None)),
    ("a.json", '{"a": 1}\n', ("jsonl", None)),
    ("a.csv", "x,y\n1,2\n", ("csv", ",")),
    ("a.tsv.gz", "x\ty\n1\t2\n", ("tsv", "\t")),
    ("export", "a\tb\tc\n1\t2\t3\n4\t5\t6\n7\t8\t9\n", ("tsv", "\t")),
    ("a.log", "2024-10-10 INFO {json-ish} line\nplain\n", ("text", None)),
    ("a.csv", "", ("text", None)),
    # rotated names are what they were before rotation (QA regress #5)
    ("export.csv.1", "x\ty\n1\t2\n", ("csv", ",")),
    ("export.csv.1.gz", "x y\n", ("csv", ",")),
    ("export.csv-20261129.gz", "x y\n", ("csv", ",")),
    ("export.csv.2026-11-29", "x y\n", ("csv", ",")),
    ("export.tsv.gz.3", "x y\n", ("tsv", "\t")),
    # comma-separated rows under a header of field names, whatever the name
    ("dump.log", "id,name,sfzh\n1,张三,x\n2,\"Li, Si\",y\n3,王五,z\n", ("csv", ",")),
    ("dump.txt", "\ufeffuser_id,出生日期\n1,1990-01-01\n2,\n3,1991-02-03\nx", ("csv", ",")),
    # a log that holds commas stays a log
    ("app.log", "2026-11-29 10:00:01 INFO a,b,c\n2026-11-29 10:00:02 INFO d,e,f\n"
                "2026-11-29 10:00:03 INFO g,h,i\n2026-11-29 10:00:04 INFO j,k,l\n",
     ("text", None)),
    ("app.log", "user,action\nlogin failed for a, b\nu2,logout\nu3,login\n", ("text", None)),
    ("app.log", "Starting app, version 1, pid 3\nListening on a, b, c\nReady, x, y, z\nx\n",
     ("text", None)),
    ("app.log", "id,name\n1,a\n2,b,c\n3,d\nx\n", ("text", None)),  # not one field count
    ("app.log", "id,name\n1,a\nx\n", ("text", None)),  # too few lines to tell
    ("app.log", "id,ID\n1,a\n2,b\n3,c\nx\n", ("text", None)),  # no header: a name twice
    ("app.log", "1,2\n3,4\n5,6\n7,8\nx\n", ("text", None)),  # no header: numbers
    # a whole JSON document over many lines, by its name or by how it opens
    ("users.json", '[\n  {\n    "name": "x",\n', ("json", None)),
    ("users.json.1.gz", '{\n  "users": [\n', ("json", None)),
    ("export", '[\n  {"a": 1},\n  {"a": 2}\n]\n', ("json", None)),
    ("export", '\ufeff{\n  "a": 1\n}\n', ("json", None)),
    ("broken.json", "[1, 2,\n", ("json", None)),  # read as text when it does not parse
    ("app.log", "[2026-11-29 10:00:01] INFO a\n[2026-11-29 10:00:02] INFO b\n",
     ("text", None)),
    ("app.log", "[INFO] started\n[WARN] slow\n", ("text", None)),
    ("notes.json", "plain words\n", ("text", None)),
])
def test_text_format(name, head, expected) -> None:
    assert text_format(name, head) == expected


def test_rotated_and_sniffed_csv_files_keep_their_headers(tmp_path, scan, pia_scan) -> None:
    """QA regress #5: export.csv.1.gz, export.csv-20261129.gz and a dump.log of CSV lost
    their header, so a password column and names were missed; each is now read as CSV."""
    import gzip as gz

    from files_gen import Gen

    gen = Gen(5)
    rows = "".join(f"{i},张三{i},{gen.resident_id()},Passw0rd{i}!\n" for i in range(20))
    body = ("id,name,sfzh,password\n" + rows).encode("utf-8")
    exports = tmp_path / "exports"
    exports.mkdir()
    for name in ("users_export.csv.1.gz", "users_export.csv-20261129.gz"):
        (exports / name).write_bytes(gz.compress(body))
    (exports / "users_export.csv.1").write_bytes(body)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "dump.log").write_bytes(body)
    result = scan(tmp_path)
    found = {(i["location"]["path"].rsplit("/", 1)[-1], i["location"].get("field"),
              i["entity_type"]): i["count"] for i in result.inventory}
    for name in ("users_export.csv.1.gz", "users_export.csv-20261129.gz",
                 "users_export.csv.1", "dump.log"):
        assert found[(name, "password", "CREDENTIAL")] == 20, name
        assert found[(name, None, "CN_NAME")] == 20, name
    formats = {f["attributes"]["path"].rsplit("/", 1)[-1]: (f["attributes"]["format"],
                                                          f["attributes"]["is_log"])
               for f in result.facts if f["kind"] == "file"}
    assert formats == {"users_export.csv.1.gz": ("csv", False),
                       "users_export.csv-20261129.gz": ("csv", False),
                       "users_export.csv.1": ("csv", False), "dump.log": ("csv", True)}
    # end to end: the rotated export's passwords are sensitive PI in plaintext
    code, rules, _report = pia_scan(exports)
    assert (code, rules) == (1, {"PIPL-28-SENSITIVE-PLAINTEXT"})


class _Pipe(io.RawIOBase):
    """A non-seekable reader, like an object-storage response body."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_scan_stream_reads_a_zip_from_a_pipe(ctx) -> None:
    gen = Gen(21)
    value = gen.resident_id()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("in/a.log", f"ok\n身份证 {value}\n")
    base = {"bucket": "b", "key": "k.zip"}
    out = scan_stream(_Pipe(buf.getvalue()), "k.zip", base, ctx, ScanOptions())
    (blob,) = out["blobs"]
    assert blob["location"] == {**base, "member": "in/a.log"}
    assert blob["entities"]["CN_RESIDENT_ID"]["count"] == 1
    assert blob["entities"]["CN_RESIDENT_ID"]["lines"] == [2]
    assert value not in str(out)
