"""A seed file's cost: its statements are read one at a time, its values analysed in one
pass of the engine, not one call each."""

from __future__ import annotations

import tracemalloc

from pia.detection.engine import DetectionEngine
from pia.migrations.check import check_text, read

ROWS = ",".join(f"({i}, 'item number {i} - blue; size M', {i}.5)" for i in range(50))
SEED = "".join(f"INSERT INTO items (id, title, price) VALUES {ROWS};\n" for _ in range(40))


def test_statements_are_not_all_held_at_once() -> None:
    """Holding every statement's tokens (and sqlparse's) at once took ~65 bytes per byte of
    the file at its peak; one statement at a time, ~13."""
    read("SELECT 1;")  # imports and caches outside the measure
    tracemalloc.start()
    try:
        read(SEED)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30 * len(SEED)


def test_one_line_values_are_analysed_in_one_pass(monkeypatch) -> None:
    calls = []
    analyze = DetectionEngine.analyze

    def counted(self, text: str):
        calls.append(len(text))
        return analyze(self, text)

    monkeypatch.setattr(DetectionEngine, "analyze", counted)
    sql = SEED + "INSERT INTO items (id, title) VALUES (1, '11010519491231002X');\n"
    findings = check_text("V.sql", sql)
    assert [(f.line, f.rule_id) for f in findings] == [(41, "PIPL-28-SENSITIVE-PLAINTEXT")]
    # the 2,001 values in one batch, none alone; the text outside them holds no number long
    # enough to be a mobile, an ID or a card, so it is not analysed either
    assert calls == []
