"""A seed file's half a million findings are rendered and analysed in pieces, with the same
result: one JSON string of them, and one pass of the engine over all values, held
gigabytes (2.7 GB for a 10 MB pg_dump COPY block; 1.2 GB now)."""

from __future__ import annotations

import json

import pytest

import pia.migrations.literals as literals
from pia.detection.engine import DetectionEngine
from pia.migrations.check import check_text
from pia.migrations.render import chunks

SEED = "COPY people (id, id_card, mobile) FROM stdin;\n" + "".join(
    f"{i}\t11010519491231002X\t1381234{i:04d}\n" for i in range(300)) + "\\.\n"
#: as many columns as values: each is listed (a column's values are listed once)
TABLES = "".join(f"INSERT INTO t{i} (id, id_card, mobile) VALUES "
                 f"({i}, '11010519491231002X', '1381234{i:04d}');\n" for i in range(300))


@pytest.fixture(scope="module")
def findings():
    return check_text("V1.sql", SEED)


@pytest.fixture(scope="module")
def tables():
    return check_text("V1.sql", TABLES)


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github"])
def test_output_comes_in_pieces_of_one_finding(tables, fmt: str) -> None:
    findings = tables
    pieces = list(chunks(findings, fmt, "en"))
    whole = "".join(pieces)
    assert len(findings) == 600 and len(pieces) >= 600
    assert max(map(len, pieces)) < len(whole) / 100
    if fmt == "json":  # the text json.dumps gives the whole document
        doc = json.loads(whole)
        assert whole == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        assert len(doc["findings"]) == 600
    if fmt == "sarif":
        doc = json.loads(whole)
        assert whole == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_no_findings_is_an_empty_list(fmt: str) -> None:
    whole = "".join(chunks([], fmt, "en"))
    doc = json.loads(whole)
    assert whole == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def test_values_are_analysed_in_batches_with_the_same_findings(findings, monkeypatch) -> None:
    sizes: list[int] = []
    analyze_lines = DetectionEngine.analyze_lines

    def counted(self, texts):
        sizes.append(len(texts))
        return analyze_lines(self, texts)

    monkeypatch.setattr(DetectionEngine, "analyze_lines", counted)
    monkeypatch.setattr(literals, "_BATCH", 250)
    again = check_text("V1.sql", SEED)
    assert sizes == [250, 250, 250, 150]  # 900 values: 300 rows of 3
    assert [(f.line, f.col, f.kind, f.fingerprint) for f in again] == [
        (f.line, f.col, f.kind, f.fingerprint) for f in findings]
