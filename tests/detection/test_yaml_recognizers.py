"""Presidio's YAML recognizer keys that change matching are honoured, not ignored."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pia.detection.engine import DetectionEngine
from pia.detection.registry import build_registry
from pia.errors import ConfigError

YAML = """
recognizers:
  - name: EmployeeIdRecognizer
    supported_entity: EMPLOYEE_ID
    supported_language: zh
    # Presidio's default: IGNORECASE | MULTILINE | DOTALL
    global_regex_flags: 26
    patterns:
      - {name: employee id, regex: "(?<![0-9a-z])emp[0-9]{6}(?![0-9a-z])", score: 0.7}
      - {name: badge pair, regex: "badge.x", score: 0.7}
  - name: ProjectRecognizer
    supported_entity: PROJECT
    supported_language: zh
    deny_list: [Apollo, 天宫]
    deny_list_score: 0.6
"""


def _engines(tmp_path: Path, text: str = YAML) -> tuple[DetectionEngine, DetectionEngine]:
    """Engines of the file's recognizers, loaded beside the built-in ones (a name they
    share is refused) but alone in the engines: the tests look at what the file's own
    recognizers find, and compiling every built-in pattern with them costs seconds a test
    (``pia detect --recognizers`` runs them together: tests/cli/test_detect_cli.py)."""
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    registry = build_registry([path], plugins=False)
    own = {rec.entity for rec in registry.recognizers() if rec.source.startswith(str(path))}
    return (DetectionEngine(registry, entities=own),
            DetectionEngine(registry, entities=own, prefilter=False))


def test_global_regex_flags_and_deny_list_score_are_applied(tmp_path: Path) -> None:
    engine, pure = _engines(tmp_path)
    text = "工号 EMP123456，Emp654321 和 emp000001\nbadge\nx badge-x Apollo 项目"
    found = [(m.entity_type, text[m.start:m.end], m.score) for m in engine.analyze(text)]
    assert found == [
        ("EMPLOYEE_ID", "EMP123456", 0.7), ("EMPLOYEE_ID", "Emp654321", 0.7),
        ("EMPLOYEE_ID", "emp000001", 0.7),
        ("EMPLOYEE_ID", "badge-x", 0.7),  # DOTALL dropped: "badge\nx" spans two lines
        ("PROJECT", "Apollo", 0.6),
    ]
    assert engine.analyze(text) == pure.analyze(text)
    assert engine.analyze_lines(text.split("\n")) == pure.analyze_lines(text.split("\n"))


@pytest.mark.parametrize(("entry", "message"), [
    ("global_regex_flags: 4", "global_regex_flags"),  # LOCALE: no meaning for text
    ("global_regex_flags: yes", "global_regex_flags"),
    ("global_regex_flags: 288", "not a valid regex"),  # ASCII and UNICODE together
    ("deny_list_score: 2", "deny_list_score"),
    ("deny_list_score: yes", "deny_list_score"),
])
def test_bad_flags_and_scores_are_refused_with_the_file_named(tmp_path: Path, entry: str,
                                                              message: str) -> None:
    text = ("recognizers:\n  - name: X\n    supported_entity: X\n    " + entry
            + "\n    patterns: [{name: p, regex: 'x[0-9]', score: 0.5}]\n")
    with pytest.raises(ConfigError, match=message) as err:
        _engines(tmp_path, text)
    assert "mine.yaml" in str(err.value)


@pytest.mark.parametrize("score", ["yes", "true", "1.5", "-0.1", "'0.5'"])
def test_a_pattern_score_that_is_no_number_in_0_1_is_refused(tmp_path: Path, score: str) -> None:
    text = ("recognizers:\n  - name: X\n    supported_entity: X\n"
            f"    patterns: [{{name: p, regex: 'x[0-9]', score: {score}}}]\n")
    with pytest.raises(ConfigError, match="pattern 1 'score' must be a number in") as err:
        _engines(tmp_path, text)
    assert "mine.yaml" in str(err.value)


def test_a_verbose_pattern_hyperscan_cannot_take_runs_over_the_whole_buffer(tmp_path) -> None:
    text = ("recognizers:\n  - name: TicketRecognizer\n    supported_entity: TICKET\n"
            "    global_regex_flags: 64\n    context: [工单]\n    patterns:\n"
            "      - name: ticket\n        score: 0.4\n        regex: |\n"
            "          (?<![0-9A-Z])  # not inside a longer code\n"
            "          TK - [0-9]{5}  # prefix, then five digits\n"
            "          (?![0-9])\n")
    engine, pure = _engines(tmp_path, text)
    ticket = next(i for i, job in enumerate(engine._scanner.jobs)
                  if job.recognizer.entity == "TICKET")
    assert ticket in engine._scanner.always  # VERBOSE has no Hyperscan counterpart
    lines = ["工单 TK-12345 已关闭", "TK-12345 alone", "XTK-12345", "工单TK-123456",
             "工单 TK-00001 与 TK-00002"]
    found = [[(m.entity_type, line[m.start:m.end], m.score) for m in matches]
             for line, matches in zip(lines, engine.analyze_lines(lines), strict=True)]
    assert found == [[("TICKET", "TK-12345", 0.75)], [], [], [],
                     [("TICKET", "TK-00001", 0.75), ("TICKET", "TK-00002", 0.75)]]
    assert engine.analyze_lines(lines) == pure.analyze_lines(lines)


RUNAWAY = ("recognizers:\n  - name: A\n    supported_entity: X\n{flags}"
           "    patterns:\n      - {{name: p, regex: '(a|a)+(?=!!)', score: 0.6}}\n")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("flags", ["", "    global_regex_flags: 64\n"])  # exact, whole-buffer
@pytest.mark.parametrize("prefilter", [True, False])
def test_a_runaway_user_pattern_stops_naming_file_pattern_and_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: str, prefilter: bool) -> None:
    """``(a|a)+`` backtracks for ever on 34 a's: the scan must stop, not hang."""
    from pia.detection import yaml_recognizer

    monkeypatch.setattr(yaml_recognizer, "PATTERN_SECONDS", 0.2)
    path = tmp_path / "mine.yaml"
    path.write_text(RUNAWAY.format(flags=flags), encoding="utf-8")
    engine = DetectionEngine(build_registry([path], plugins=False), entities=["X"],
                             prefilter=prefilter)
    lines = ["a!!", "nothing here", "a" * 34 + "!"]
    with pytest.raises(yaml_recognizer.PatternTimeout) as err:
        list(engine.iter_lines(lines))
    message = str(err.value)
    assert err.value.input_line == 3
    assert message.startswith(f"pattern 'p' of recognizer 'A' in {path} took over 0.2 s on "
                              "line 3: catastrophic backtracking?")
    with pytest.raises(yaml_recognizer.PatternTimeout):  # Presidio's path: one text
        engine.analyze("\n".join(lines))


def test_user_patterns_run_timed_and_built_ins_stay_on_re(tmp_path: Path) -> None:
    from pia.detection.yaml_recognizer import TimedRegex

    _engines(tmp_path)  # writes the file
    engine = DetectionEngine(build_registry([tmp_path / "mine.yaml"], plugins=False),
                             prefilter=False)  # built-in ones beside the file's
    kinds = {rec.source == "builtin": {type(regex) for regex, _ in rec._compiled}
             for rec in engine.recognizers}
    assert kinds == {True: {re.Pattern}, False: {TimedRegex}}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("regex", ["a{1000000000}", "[0-9]{5000}", "(?:a(?:bc){2,5000})+",
                                   "x{1001,}", "(?<![0-9])y{3,2000}?"])
def test_a_huge_repeat_count_is_refused_before_anything_compiles_it(tmp_path: Path,
                                                                    regex: str) -> None:
    text = ("recognizers:\n  - name: X\n    supported_entity: X\n    patterns:\n"
            f"      - {{name: ok, regex: 'x', score: 0.5}}\n"
            f"      - {{name: huge, regex: '{regex}', score: 0.5}}\n")
    with pytest.raises(ConfigError, match="more than 1000 times") as err:
        _engines(tmp_path, text)
    assert str(err.value).startswith(f"{tmp_path / 'mine.yaml'}:6: recognizer 'X': "
                                     "pattern 2 ('huge')")


def test_repeat_counts_up_to_the_limit_are_taken(tmp_path: Path) -> None:
    text = ("recognizers:\n  - name: X\n    supported_entity: X\n    patterns:\n"
            "      - {name: p, regex: 'K[0-9]{0,1000}', score: 0.5}\n")
    engine, _pure = _engines(tmp_path, text)
    assert [(m.start, m.end) for m in engine.analyze("id K123 ")] == [(3, 7)]


@pytest.mark.parametrize(("entry", "message"), [
    ("name: A\n    supported_entity: X\n    supported_languages: 5",
     "'supported_languages' must be a list"),
    ("name: A\n    supported_entity: X\n    supported_languages: {zh: 1}",
     "'supported_languages' must be a list"),
    ("name: A\n    supported_entity: X\n    supported_language: [zh]", "languages must be among"),
    ("name: ''\n    supported_entity: X", "required, non-empty strings"),
    ("name: A\n    supported_entity: ''", "required, non-empty strings"),
    ("name: ' '\n    supported_entity: X", "required, non-empty strings"),
])
def test_malformed_recognizer_keys_are_config_errors_with_file_and_line(
        tmp_path: Path, entry: str, message: str) -> None:
    text = ("recognizers:\n  - name: Fine\n    supported_entity: X\n    patterns: [{name: p, "
            "regex: 'x', score: 0.5}]\n  - " + entry
            + "\n    patterns: [{name: p, regex: 'abc', score: 0.5}]\n")
    with pytest.raises(ConfigError, match=message) as err:
        _engines(tmp_path, text)
    assert str(err.value).startswith(f"{tmp_path / 'mine.yaml'}:5: recognizer ")


@pytest.mark.parametrize(("entry", "pattern", "message"), [
    ("", "{name: p, regex: [a, b], score: 0.5}", "'regex' must be a string"),
    ("", "{name: p, regex: null, score: 0.5}", "'regex' must be a string"),
    ("", "{name: p, regex: 123, score: 0.5}", "'regex' must be a string"),
    ("", "{name: 1, regex: 'x', score: 0.5}", "'name' must be a non-empty string"),
    ("global_regex_flags: 4096\n    ", "{name: p, regex: 'x', score: 0.5}",
     "'global_regex_flags' must be a sum"),
    ("global_regex_flags: 1024\n    ", "{name: p, regex: 'x', score: 0.5}",
     "'global_regex_flags' must be a sum"),
    ("enabled: 'no'\n    ", "{name: p, regex: 'x', score: 0.5}", "'enabled' must be true or"),
    ("enabled: 0\n    ", "{name: p, regex: 'x', score: 0.5}", "'enabled' must be true or"),
])
def test_values_of_the_wrong_type_are_refused_not_converted(tmp_path: Path, entry: str,
                                                            pattern: str, message: str) -> None:
    text = ("recognizers:\n  - name: A\n    supported_entity: X\n    " + entry
            + f"patterns:\n      - {pattern}\n")
    with pytest.raises(ConfigError, match=message) as err:
        _engines(tmp_path, text)
    assert str(err.value).startswith(f"{tmp_path / 'mine.yaml'}:")


def test_a_disabled_recognizer_is_skipped(tmp_path: Path) -> None:
    text = ("recognizers:\n  - name: A\n    supported_entity: X\n    enabled: false\n"
            "    patterns: [{name: p, regex: 'abc', score: 0.5}]\n")
    (tmp_path / "mine.yaml").write_text(text, encoding="utf-8")
    engine = DetectionEngine(build_registry([tmp_path / "mine.yaml"], plugins=False),
                             prefilter=False)
    assert "X" not in engine.entities and "CN_MOBILE" in engine.entities


def test_deny_list_finds_chinese_names_inside_chinese_text(tmp_path: Path) -> None:
    """Presidio's \\W boundaries never hold around a name written inside a sentence."""
    text = ("recognizers:\n  - name: Vip\n    supported_entity: VIP_NAME\n"
            "    deny_list: [马化, 马化腾, 雷军, Tom]\n    deny_list_score: 0.9\n")
    engine, pure = _engines(tmp_path, text)
    lines = ["今天马化腾来了", "VIP：雷军，到店", "张Tom来了", "Tomcat 与 atom", "马化"]
    found = [[line[m.start:m.end] for m in matches if m.entity_type == "VIP_NAME"]
             for line, matches in zip(lines, engine.analyze_lines(lines), strict=True)]
    assert found == [["马化腾"], ["雷军"], ["Tom"], [], ["马化"]]
    assert engine.analyze_lines(lines) == pure.analyze_lines(lines)


# --- what a recognizer file may not say, with the file and line ------------------------------

@pytest.mark.parametrize(("regex", "line"), [
    # the engine drops empty matches: these loaded, then silently never matched anything
    ("''", 6), ("'.*'", 6), ("'[0-9]*'", 6), ("'(?=EMP)'", 6), ("'\\b'", 6), ("'a?|b'", 6),
])
def test_a_pattern_that_can_match_the_empty_string_is_refused(tmp_path: Path, regex: str,
                                                                line: int) -> None:
    text = ("recognizers:\n  - name: X\n    supported_entity: X\n    patterns:\n"
            "      - {name: ok, regex: 'x', score: 0.5}\n"
            f"      - {{name: empty, regex: {regex}, score: 0.5}}\n")
    with pytest.raises(ConfigError) as err:
        _engines(tmp_path, text)
    assert str(err.value) == (f"{tmp_path / 'mine.yaml'}:{line}: recognizer 'X': pattern 2 "
                              "('empty') can match the empty string; a pattern must match at "
                              "least one character")


@pytest.mark.parametrize("entity", ["employee id!", "Employee_Id", "EMPLOYEE-ID", "1ID",
                                    "_ID", "EMPLOYEE ID", "工号"])
def test_an_entity_that_is_no_entity_name_is_refused(tmp_path: Path, entity: str) -> None:
    text = (f"recognizers:\n  - name: A\n    supported_entity: '{entity}'\n"
            "    patterns: [{name: p, regex: 'EMP[0-9]{6}', score: 0.5}]\n")
    with pytest.raises(ConfigError) as err:
        _engines(tmp_path, text)
    assert str(err.value).startswith(
        f"{tmp_path / 'mine.yaml'}:2: recognizer 'A': 'supported_entity' ")
    assert "must be an entity name" in str(err.value)


def test_entity_names_of_capitals_digits_and_underscores_load(tmp_path: Path) -> None:
    text = ("recognizers:\n  - name: A\n    supported_entity: EMPLOYEE_ID_2\n"
            "    patterns: [{name: p, regex: 'EMP[0-9]{6}', score: 0.5}]\n")
    engine, _pure = _engines(tmp_path, text)
    assert "EMPLOYEE_ID_2" in engine.entities


@pytest.mark.parametrize(("text", "message"), [
    ("recognizers:\n  - name: Fine\n    supported_entity: X\n    patterns: [{name: p, "
     "regex: 'x', score: 0.5}]\n  - name: CnMobileRecognizer\n    supported_entity: X\n"
     "    patterns: [{name: p, regex: 'x', score: 0.5}]\n",
     "{path}:5: recognizer 'CnMobileRecognizer' is already defined by builtin"),
    ("recognizers:\n  - name: A\n    supported_entity: X\n    patterns: [{name: p, "
     "regex: 'x', score: 0.5}]\n  - name: A\n    supported_entity: Y\n"
     "    patterns: [{name: p, regex: 'y', score: 0.5}]\n",
     "{path}:5: recognizer 'A' is already defined by {path}:2"),
    ("", "{path}:1: expected a top-level 'recognizers:' list"),
    ("# comments only\n\n- name: x\n", "{path}:3: expected a top-level 'recognizers:' list"),
    ("version: 1\nrecognizers:\n  name: A\n", "{path}:3: expected a top-level 'recognizers:' "
     "list"),
])
def test_file_level_errors_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    """These named the file only, unlike every other recognizer error."""
    with pytest.raises(ConfigError) as err:
        _engines(tmp_path, text)
    assert str(err.value) == message.format(path=tmp_path / "mine.yaml")


def test_a_file_that_is_not_utf8_names_the_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_bytes("recognizers:\n  - name: A\n    supported_entity: X\n    context: [工号]\n"
                     .encode("gbk"))
    with pytest.raises(ConfigError) as err:
        build_registry([path], plugins=False)
    assert str(err.value) == f"{path}:4: recognizer file is not UTF-8 (byte offset 63)"


# --- what only the ``regex`` module knows, which runs users' patterns (and Presidio's) ----------

HAN = ("recognizers:\n  - name: HanRecognizer\n    supported_entity: HAN\n    patterns:\n"
       "      - {{name: han, regex: '{regex}', score: 0.8}}\n")


@pytest.mark.parametrize(("regex", "mode"), [
    ("\\p{Han}{2,3}", "exact"),  # Hyperscan knows \p{Han}, and finds the spans
    ("[\\p{Han}]++", "line"),  # it flags the lines a possessive repeat may be on
    ("\\p{IsHan}{2}\\p{IsHan}?+", "always"),  # spellings it does not know: whole buffers
    ("\\p{Script=Han}{2,3}", "always"),
    ("\\p{Han}\\X{1,2}", "line"),  # a grapheme, which ``re`` cannot parse at all
])
def test_unicode_properties_and_possessive_repeats_load_and_find(tmp_path: Path, regex: str,
                                                                 mode: str) -> None:
    """``\\p{Han}`` was refused as "bad escape \\p": validation parsed with ``re``."""
    engine, pure = _engines(tmp_path, HAN.format(regex=regex))
    scanner = engine._scanner
    job = next(i for i, job in enumerate(scanner.jobs) if job.recognizer.entity == "HAN")
    assert ("always" if job in scanner.always else "exact" if scanner.jobs[job].exact
            else "line") == mode
    lines = ["name: 王小明 ok", "no name here", "李雷"]
    found = [[(m.entity_type, line[m.start:m.end]) for m in matches]
             for line, matches in zip(lines, engine.analyze_lines(lines), strict=True)]
    assert found == [[("HAN", "王小明")], [], [("HAN", "李雷")]]
    assert engine.analyze_lines(lines) == pure.analyze_lines(lines)


@pytest.mark.parametrize(("regex", "message"), [
    ("\\p{NoSuchScript}", "is not a valid regex: unknown property at position 16"),
    ("(\\p{Han}", "is not a valid regex: missing ) at position 8"),
    ("\\p{Script=Han}{2,5000}", "repeats something more than 1000 times: write a smaller count"),
    ("\\X{1000000000}", "repeats something more than 1000 times: write a smaller count"),
    ("(?=\\p{Script=Han})", "can match the empty string; a pattern must match at least one "
                            "character"),
    ("\\X?", "can match the empty string; a pattern must match at least one character"),
])
@pytest.mark.timeout(60)  # ``regex`` compiling \\X{1000000000} would not return
def test_a_property_pattern_that_is_wrong_in_regex_too_is_refused(tmp_path: Path, regex: str,
                                                                   message: str) -> None:
    with pytest.raises(ConfigError) as err:
        _engines(tmp_path, HAN.format(regex=regex))
    assert str(err.value) == (f"{tmp_path / 'mine.yaml'}:5: recognizer 'HanRecognizer': "
                              f"pattern 1 ('han') {message}")
