"""A CSV/TSV file's first line is its header only when it reads as field names.

An export of one record, or of rows without names, opens with values. Taken for a header,
that line was never searched, and its cells named the fields of the rows after it (qa-files
3 and 4: a one-row CSV holding an ID card number reported clean, exit 0).
"""

from __future__ import annotations

import gzip
from collections import Counter

import pytest
from files_gen import counts

from pia.connectors.files.sniff import csv_header

ID_1 = "110105199003071239"
ID_2 = "440304198501013214"


@pytest.mark.parametrize(("line", "delimiter", "header"), [
    ("name,phone,id_card", ",", ["name", "phone", "id_card"]),
    ("\ufeff姓名,手机号,身份证号", ",", ["姓名", "手机号", "身份证号"]),
    (",name,e-mail", ",", ["", "name", "e-mail"]),  # pandas writes its index column unnamed
    ("user.id\tcreated_at", "\t", ["user.id", "created_at"]),
    ('"name","phone"', ",", ["name", "phone"]),
    (f"13812345678,{ID_1}", ",", None),
    (ID_1, ",", None),
    ("张三,13812345678,password", ",", None),
    ("ts\t13812345678\tpassword", "\t", None),
    ("a@example.com,name", ",", None),
    ("name,phone,Name", ",", None),  # a header names each field once
    (",,", ",", None),
    ("", ",", None),
])
def test_a_header_is_a_line_of_distinct_field_names(line, delimiter, header) -> None:
    assert csv_header(line, delimiter) == header


def test_a_one_record_export_is_searched(tmp_path, scan) -> None:
    (tmp_path / "one.csv").write_text(f"13812345678,{ID_1}\n")
    (tmp_path / "single.csv").write_text(f"{ID_1}\n")
    with gzip.open(tmp_path / "packed.csv.gz", "wt") as handle:  # a blob: header in the stream
        handle.write(f"{ID_2}\n")
    found = counts(scan(tmp_path))
    assert found == Counter({("one.csv", None, "CN_MOBILE"): 1,
                             ("one.csv", None, "CN_RESIDENT_ID"): 1,
                             ("single.csv", None, "CN_RESIDENT_ID"): 1,
                             ("packed.csv.gz", None, "CN_RESIDENT_ID"): 1})


def test_values_on_the_first_line_are_located_there(tmp_path, scan) -> None:
    (tmp_path / "rows.csv").write_text(
        f"张三,13812345678,{ID_1},password\n李四,13912345678,{ID_2},hunter2secret\n")
    (tmp_path / "tab.tsv").write_text("ts\t13812345678\tpassword\n2026-11-29\tx\tsecret\n")
    (tmp_path / "named.csv").write_text("name,phone\n张三,13812345678\n")
    lines = {(item["location"]["path"].rsplit("/", 1)[-1], item["entity_type"]):
             item["location"]["lines"] for item in scan(tmp_path).inventory}
    assert lines[("rows.csv", "CN_RESIDENT_ID")] == [1, 2]
    assert lines[("rows.csv", "CN_MOBILE")] == [1, 2]
    assert lines[("tab.tsv", "CN_MOBILE")] == [1]
    # a real header is still no data: the values are on line 2, and named by it
    assert lines[("named.csv", "CN_MOBILE")] == [2]
    assert lines[("named.csv", "CN_NAME")] == [2]
    # a data row's cell names no field: "password" on line 1 is no label for line 2
    assert ("rows.csv", "CREDENTIAL") not in lines
