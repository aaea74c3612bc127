"""The batch engine: same answers as Presidio and as itself without a prefilter, offsets in
the original text, and F1 on corpora it was not tuned on."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pia.detection.engine import DetectionEngine, default_engine
from pia.detection.normalize import for_search, normalize
from pia.detection.presidio import build_analyzer
from pia.sample.corpus import MEASURED, labelled_lines
from pia.sample.evaluate import score

ENGINE = default_engine()


def _predict(engine: DetectionEngine):
    def predict(lines: list[str]):
        return [[(m.start, m.end, m.entity_type) for m in matches]
                for matches in engine.analyze_lines(lines)]
    return predict


PURE = DetectionEngine(prefilter=False)


def test_normalize_keeps_length_and_maps_digits() -> None:
    text = "１３８（＋８６）༡༢༣　ａＢ－"
    out = normalize(text)
    assert len(out) == len(text)
    assert out == "138(+86)123 aB-"
    assert normalize("plain ascii") == "plain ascii"
    assert normalize("邮箱zs@example.com。") == "邮箱zs@example.com。"  # a sentence's end


@pytest.mark.parametrize(("text", "searched"), [
    ("phone%3D13812345678%26a%3Db", "phone   13812345678   a   b"),
    ("%E4%BD%A0%41%31", "%E4%BD%A0%41%31"),  # escapes of letters, digits, UTF-8 stay
    ('{"msg":"a\\n138\\t1\\u003d2\\u0041"}', '{"msg":"a  138  1      2\\u0041"}'),
    ("ｐｈｏｎｅ％３Ｄ１３８", "phone   138"),  # full-width first, then the escape
])
def test_search_form_blanks_punctuation_escapes_and_keeps_offsets(text: str,
                                                                  searched: str) -> None:
    assert for_search(text) == searched
    assert len(for_search(text)) == len(text)


def test_prefilter_and_pure_engine_agree_on_a_corpus() -> None:
    lines = [text for text, _ in labelled_lines(3000, seed=21)]
    pure = DetectionEngine(prefilter=False)
    if not ENGINE.uses_prefilter:
        pytest.skip("hyperscan is not available on this platform")
    assert ENGINE.analyze_lines(lines) == pure.analyze_lines(lines)


#: pieces of log lines that stress the engine's seams: camelCase keys, escapes, values
#: glued to labels, characters whose lowercase changes length, full-width digits
PIECES = ["userId", "idCard", "realName", "orderNo", "13812345678", "440305199003071236",
          "6222021001123456789", " ", "：", "=", '"', ",", "%3D", "\\n", "。", "zs@example.com",
          "10.0.0.1", "客户", "张三", "北京市海淀区中关村大街27号", "E12345678", "phone", "Tel",
          "0755-8765-4321", "ABC", "x", "İ", "ς", "１３８", "0."]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), min_size=1,
                max_size=30))
def test_prefilter_and_pure_engine_agree_on_mixed_pieces(lines: list[str]) -> None:
    if not ENGINE.uses_prefilter:
        pytest.skip("hyperscan is not available on this platform")
    assert ENGINE.analyze_lines(lines) == PURE.analyze_lines(lines)
    assert ENGINE.analyze("\n".join(lines)) == PURE.analyze("\n".join(lines))


def test_analyze_lines_offsets_are_per_line() -> None:
    lines = ["无", "手机13812345678", "", "邮箱 a@example.com 手机 13912345678"]
    result = ENGINE.analyze_lines(lines)
    assert result[0] == [] and result[2] == []
    assert [(m.entity_type, lines[1][m.start:m.end]) for m in result[1]] == [
        ("CN_MOBILE", "13812345678")]
    assert [lines[3][m.start:m.end] for m in result[3]] == ["a@example.com", "13912345678"]


def test_analyze_multiline_text_never_matches_across_lines() -> None:
    text = "卡号6222021234\n567890128"
    assert ENGINE.analyze(text) == []


def test_presidio_and_pia_engine_agree() -> None:
    analyzer = build_analyzer()
    lines = [text for text, _ in labelled_lines(400, seed=5)]
    for line, matches in zip(lines, ENGINE.analyze_lines(lines), strict=True):
        presidio = sorted((r.entity_type, r.start, r.end) for r in analyzer.analyze(line, "zh"))
        # Presidio keeps overlapping results of different types; pia keeps one per region
        mine = sorted((m.entity_type, m.start, m.end) for m in matches)
        assert set(mine) <= set(presidio), line


@pytest.mark.parametrize("seed", [101, 202])
def test_f1_on_held_out_seeds(seed: int) -> None:
    total, per_type = score(labelled_lines(4000, seed=seed), _predict(ENGINE))
    assert total.f1 >= 0.97, {k: round(v.f1, 3) for k, v in per_type.items()}
    assert set(per_type) == set(MEASURED)


def test_f1_on_an_independent_faker_corpus() -> None:
    pytest.importorskip("faker")
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).parents[2] / "bench" / "detect.py"
    spec = importlib.util.spec_from_file_location("bench_detect", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    total, per_type = score(bench.faker_lines(3000, seed=17), _predict(ENGINE))
    assert total.f1 >= 0.97, {k: round(v.f1, 3) for k, v in per_type.items()}


def test_hard_negatives_yield_nothing() -> None:
    negatives = [text for text, spans in labelled_lines(3000, seed=33) if not spans]
    found = [(line, m.entity_type) for line, ms in zip(negatives, ENGINE.analyze_lines(negatives),
                                                       strict=True)
             for m in ms if m.entity_type in MEASURED]
    assert found == []


def test_an_engine_with_no_recognizers_finds_nothing() -> None:
    engine = DetectionEngine(entities=["NO_SUCH_ENTITY"])
    assert engine.recognizers == []
    assert engine.analyze_lines(["手机13812345678"]) == [[]]
    assert engine.analyze("手机13812345678") == []


def test_analyze_lines_leaves_the_cycle_collector_as_it_found_it() -> None:
    import gc

    assert gc.isenabled()
    ENGINE.analyze_lines(["手机13812345678"])
    assert gc.isenabled()
    gc.disable()
    try:
        ENGINE.analyze_lines(["手机13812345678"])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_analyze_lines_gives_each_line_its_own_list_across_batches(monkeypatch) -> None:
    """Each line's matches are cut from a batch's list by slicing: held equal to analysing
    the lines one by one, over many small batches, and every line's list is its own."""
    from pia.detection import engine as engine_module

    lines = [text for text, _ in labelled_lines(300, seed=8)] + ["", "无"]
    one_by_one = [ENGINE.analyze(line) for line in lines]
    monkeypatch.setattr(engine_module, "BUFFER_CHARS", 2000)  # some 40 batches
    batched = ENGINE.analyze_lines(lines)
    assert batched == one_by_one and sum(map(len, batched)) > 300
    assert len({id(matches) for matches in batched}) == len(lines)
