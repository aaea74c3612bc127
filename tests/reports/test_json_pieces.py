"""The JSON report is written in pieces: the same bytes as one dump, without holding its tokens.

A report of many files is tens of MB of JSON; built by ``json.dumps`` with an indent it is
first one small string per token, several times the report's size, which is what made a
scan of 20,000 files peak at twice the memory it needed once the sources were read.
"""

from __future__ import annotations

import copy
import json
import tracemalloc
from typing import Any

from pia.cli.report_cmd import emit
from pia.report import dump_bytes, dump_pieces, dumps


def _big(report: dict[str, Any], copies: int) -> dict[str, Any]:
    big = copy.deepcopy(report)
    items = big["inventory"]
    for n in range(copies):
        for item in items[:20]:
            clone = copy.deepcopy(item)
            clone["location"] = {"path": f"logs/app-{n}.log", "first_line": n + 1}
            big["inventory"].append(clone)
    return big


def test_pieces_join_to_the_one_json_form(report: dict[str, Any]) -> None:
    expected = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    pieces = list(dump_pieces(report))
    assert "".join(pieces) == expected == dumps(report)
    assert dump_bytes(report) == expected.encode("utf-8")


def test_a_large_report_comes_in_pieces_of_bounded_size(report: dict[str, Any]) -> None:
    big = _big(report, 300)
    pieces = list(dump_pieces(big))
    assert len(pieces) > 10
    assert max(len(p) for p in pieces) < 4 * 65536
    assert "".join(pieces) == json.dumps(big, ensure_ascii=False, indent=2) + "\n"


def test_writing_a_json_report_holds_a_fraction_of_its_size(report: dict[str, Any],
                                                             tmp_path) -> None:
    big = _big(report, 300)
    size = len(dump_bytes(big))
    assert size > 2_000_000
    out = tmp_path / "r.json"
    tracemalloc.start()
    try:
        emit(big, "json", output=str(out), quiet=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert json.loads(out.read_text(encoding="utf-8")) == big
    # json.dumps with an indent peaked at several times the size here
    assert peak < size / 4, (peak, size)
