"""Which lines and samples an item keeps: the most convincing, not the first ten.

A log whose first hundred hits are unlabelled 11-digit numbers or legacy 15-digit IDs hid the
labelled mobile and the checksum-valid ID below them: ``location.lines`` listed the first ten
lines and ``samples`` the first three values, all weak. Now the highest scores win, then file
order, and ``evidence.more_lines`` says how many lines were left out.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from files_gen import Gen
from hypothesis import given, settings
from hypothesis import strategies as st

from pia.connectors.files import connector
from pia.connectors.files.tally import MAX_LINES, MAX_SAMPLES, Tally, combine
from pia.masking import mask

NOW = datetime(2026, 1, 1, tzinfo=UTC)
SCORES = (0.4, 0.55, 0.7, 0.8, 1.0)


def _weak_then_strong(path, gen: Gen) -> dict[str, str]:
    """25 legacy IDs under a label (0.55), 25 unlabelled mobiles (0.7), then one line with a
    labelled mobile and a checksum-valid ID (1.0) and 5 more unlabelled mobiles."""
    rng = gen.rng
    lines = [f"2026-11-20 10:00:{i:02d} INFO lookup 证件号 11010590030{rng.randint(1, 9)}"
             f"{rng.randint(100, 999)} miss" for i in range(25)]
    lines += [f"2026-11-20 10:01:{i:02d} INFO req n 13{rng.randint(10**8, 10**9 - 1)} done"
              for i in range(25)]
    strong = {"CN_MOBILE": "13912345678", "CN_RESIDENT_ID": gen.resident_id(1990)}
    lines.append(f"2026-11-20 10:03:00 INFO register 手机号 {strong['CN_MOBILE']} "
                 f"身份证 {strong['CN_RESIDENT_ID']}")
    lines += [f"2026-11-20 10:04:{i:02d} INFO req n 13{rng.randint(10**8, 10**9 - 1)} done"
              for i in range(5)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return strong


def test_a_labelled_value_is_not_hidden_behind_weak_hits(tmp_path, pia_scan) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    strong = _weak_then_strong(logs / "app.log", Gen(7))
    _code, _rules, report = pia_scan(logs)
    items = {i["entity_type"]: i for i in report["inventory"]}
    for entity, total in (("CN_RESIDENT_ID", 26), ("CN_MOBILE", 31)):
        item = items[entity]
        lines = item["location"]["lines"]
        assert item["count"] == total
        assert 51 in lines, entity  # the strong line, past the first ten
        assert len(lines) == MAX_LINES and lines == sorted(lines)
        assert item["location"]["first_line"] == lines[0]
        assert item["evidence"]["more_lines"] == total - MAX_LINES
        assert item["evidence"]["samples"][0] == mask(entity, strong[entity])
        assert len(item["evidence"]["samples"]) == MAX_SAMPLES
    text = json.dumps(report, ensure_ascii=False)
    assert not any(value in text for value in strong.values())


def test_byte_ranges_keep_the_same_lines(tmp_path, scan, ctx, monkeypatch) -> None:
    """The choice does not depend on how a file was cut into partitions."""
    logs = tmp_path / "logs"
    logs.mkdir()
    _weak_then_strong(logs / "app.log", Gen(3))

    def items() -> list[tuple]:
        return [(i["entity_type"], i["count"], i["location"], i["evidence"])
                for i in scan(logs).inventory]

    whole = items()
    monkeypatch.setattr(connector, "SPLIT_BYTES", 256)
    assert items() == whole
    plan = connector.FilesConnector().plan(str(logs), connector.ScanOptions(), ctx)
    assert len(plan.partitions) > 5


def test_a_few_hits_are_all_listed_without_more_lines(tmp_path, scan) -> None:
    (tmp_path / "a.log").write_text("2026-11-20 10:00:00 手机号 13912345678\n", encoding="utf-8")
    (item,) = scan(tmp_path).inventory
    assert item["location"]["lines"] == [1] and "more_lines" not in item["evidence"]


def _fingerprint(entity: str, value: str) -> str:
    return f"{entity}:{value}"


def _best_lines(hits: list[tuple[int, float]]) -> tuple[list[int], list[float], int]:
    """What the kept lines must be: per line its best score; the ``MAX_LINES`` highest, the
    earlier first on a tie; in file order."""
    best: dict[int, float] = {}
    for line, score in hits:
        best[line] = max(score, best.get(line, score))
    top = sorted(sorted(best.items(), key=lambda p: (-p[1], p[0]))[:MAX_LINES])
    return [p[0] for p in top], [p[1] for p in top], len(best)


def _sample_scores(hits: list[tuple[int, float, str]]) -> list[float]:
    """The scores the kept samples must have: each value's best, the highest ones."""
    best: dict[str, float] = {}
    for _line, score, value in hits:
        best[value] = max(score, best.get(value, score))
    return sorted(best.values(), reverse=True)[:MAX_SAMPLES]


_HITS = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(SCORES), st.integers(0, 6)),
                 max_size=60)


def _stream(steps: list[tuple[int, float, int]]) -> list[tuple[int, float, str]]:
    """Hits in line order: each step moves 0-3 lines on, with a score and one of 7 mobiles."""
    out, line = [], 1
    for step, score, which in steps:
        line += step
        out.append((line, score, f"1391234567{which}"))
    return out


@settings(max_examples=200, deadline=None)
@given(steps=_HITS, cuts=st.lists(st.integers(1, 60), max_size=4))
def test_kept_lines_are_the_best_whatever_the_partitions(steps, cuts) -> None:
    hits = _stream(steps)
    whole = Tally(_fingerprint, NOW)
    for line, score, value in hits:
        whole.add("CN_MOBILE", value, score, line)
    lines, scores, total = _best_lines([(line, score) for line, score, _v in hits])
    entry = whole.entities.get("CN_MOBILE", {"lines": [], "line_scores": [], "line_total": 0,
                                              "sample_scores": []})
    assert (sorted(entry["lines"]), entry["line_total"]) == (lines, total)
    assert sorted(entry["sample_scores"], reverse=True) == _sample_scores(hits)
    # the same file cut at line boundaries into partitions with local line numbers
    parts, bounds = [], sorted({c for c in cuts if hits and c <= hits[-1][0]})
    for low, high in zip([0, *bounds], [*bounds, 10**6], strict=True):
        tally = Tally(_fingerprint, NOW)
        for line, score, value in hits:
            if low < line <= high:
                tally.add("CN_MOBILE", value, score, line - low)
        parts.append((low, tally.entities))
    merged = combine(parts).get("CN_MOBILE")
    if hits:
        assert (merged["lines"], merged["line_scores"], merged["line_total"]) == (
            lines, scores, total)
        assert sorted(merged["sample_scores"], reverse=True) == _sample_scores(hits)
        assert merged["count"] == len(hits)


def test_a_partial_journaled_before_ranking_still_merges() -> None:
    """A resumed scan may read a partial written without scores: its lines count at its best
    score and it adds what it knows."""
    old = {"count": 3, "score": 0.7, "lines": [1, 2, 3], "samples": ["139****5678"],
           "fingerprints": ["f"], "minors": 0}
    merged = combine([(0, {"CN_MOBILE": old})])["CN_MOBILE"]
    assert (merged["lines"], merged["line_scores"], merged["line_total"]) == (
        [1, 2, 3], [0.7, 0.7, 0.7], 3)
    assert merged["samples"] == ["139****5678"]


def test_the_choice_is_deterministic(tmp_path, scan) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    _weak_then_strong(logs / "app.log", Gen(11))
    first, second = ([json.dumps(i, sort_keys=True) for i in scan(logs).inventory]
                     for _ in range(2))
    assert first == second
