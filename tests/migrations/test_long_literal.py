"""One long string literal (a base64 blob, a JSON document in a seed) is read in memory
that does not grow with its length (QA: 3.4 GB for a 4 MB literal), and still scanned."""

from __future__ import annotations

import tracemalloc

from pia.migrations.check import check_text
from pia.migrations.sqltext import statements

BLOB = "INSERT INTO asset (id, data) VALUES (1, '{}');\n"


def test_a_megabyte_literal_is_lexed_in_a_few_megabytes() -> None:
    text = BLOB.format("QUJD" * 250_000)
    tracemalloc.start()
    try:
        found = statements(text, "auto")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [t.value[:5] for t in found[0].tokens if t.is_string] == ["'QUJD"]
    assert peak < 40_000_000  # was 860 MB: a backtracking state per character


def test_an_id_inside_a_long_literal_is_still_found() -> None:
    text = BLOB.format("x" * 20_000 + " 440301198805123413 " + "y" * 20_000)
    findings = check_text("V1__blob.sql", text)
    assert [f.kind.split(":")[0] for f in findings] == ["CN_RESIDENT_ID"]
