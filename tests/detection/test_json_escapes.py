"""JSON ``\\uXXXX`` escapes (``json.dumps`` with ``ensure_ascii``): the engine searches the
characters they stand for and reports offsets that cover the escapes in the original line,
and ``pia detect`` masks what they decode to."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from escape_checks import assert_decodes, assert_found_as_in_plain, lines_and_choices
from hypothesis import given, settings

from pia.detection.engine import DetectionEngine, default_engine
from pia.detection.normalize import decode_escapes, decoded

ENGINE = default_engine()
PURE = DetectionEngine(prefilter=False)
ID = "110101199003074514"


def _escaped(text: str) -> str:
    """Every character of ``text`` as a JSON escape, astral ones as surrogate pairs."""
    return json.dumps(text, ensure_ascii=True)[1:-1] if not text.isascii() else "".join(
        f"\\u{ord(ch):04x}" for ch in text)


def _found(line: str) -> list[tuple[str, str]]:
    """(entity type, decoded value) of each entity found in ``line``."""
    (matches,) = ENGINE.analyze_lines([line])
    return [(m.entity_type, decoded(line[m.start:m.end])) for m in matches]


@pytest.mark.parametrize(("text", "want"), [
    # what json.dumps writes with ensure_ascii
    ('{"name":"\\u5f20\\u4e09"}', '{"name":"张三"}'),
    ("\\u0031\\u0032x", "12x"),
    ("\\u5F20", "张"),  # upper-case hex
    ("\\ud83d\\ude00!", "😀!"),  # a surrogate pair is one character
    ("\\uD840\\uDC00", "\U00020000"),
    # a lone surrogate cannot be decoded: it stays as written
    ("\\ud83d!", "\\ud83d!"),
    ("\\ude00\\u0041", "\\ude00A"),
    # a control character is a separator: never a newline that would split the line
    ("a\\u000ab\\u0009c", "a b c"),
    # a string escaped once more (JSON inside a JSON string) stands for the same character
    ('"{\\"sfz\\":\\"\\\\u0031\\\\u0032\\"}"', '"{\\"sfz\\":\\"12\\"}"'),
    ("\\u003d", "="),
])
def test_escapes_decode_to_characters_whose_spans_are_the_escapes(text: str, want: str) -> None:
    assert_decodes(text, want)


@pytest.mark.parametrize("text", [
    "plain ascii", "手机13812345678", "C:\\users\\u12", "\\u12G4", "\\x41", "",
])
def test_text_without_an_escape_is_returned_as_it_is(text: str) -> None:
    assert decode_escapes(text) == (text, None)


#: lines json.dumps writes with ensure_ascii, beside what the engine finds in them decoded
ESCAPED_LINES = [
    (json.dumps({"name": "张三", "addr": "北京市海淀区中关村大街27号"}),
     [("CN_NAME", "张三"), ("CN_ADDRESS", "北京市海淀区中关村大街27号")]),
    (json.dumps({"姓名": "李四", "身份证号": ID, "mobile": "13912345678"}),
     [("CN_NAME", "李四"), ("CN_RESIDENT_ID", ID), ("CN_MOBILE", "13912345678")]),
    # digits escaped too
    ('{"id":"' + _escaped(ID) + '"}', [("CN_RESIDENT_ID", ID)]),
    ('{"phone":"' + _escaped("13812345678") + '"}', [("CN_MOBILE", "13812345678")]),
    # partly escaped, after an emoji written as a surrogate pair
    (json.dumps({"note": "😀 客户手机13812345678"}), [("CN_MOBILE", "13812345678")]),
    ('{"m":"' + _escaped("１３８") + "12345678" + '"}', [("CN_MOBILE", "１３８12345678")]),
    # the escaped label is context: 证件号 before a passport number
    (json.dumps({"证件号": "E12345678"}), [("CN_PASSPORT", "E12345678")]),
    # an escaped '=' separates a label from its value as '=' does (Gson writes it so)
    ('{"q":"mobile\\u003d13812345678"}', [("CN_MOBILE", "13812345678")]),
    # a long digit run is no ID, escaped or not
    ('{"trace":"' + _escaped("2" + ID + "7") + '"}', []),
    # a lone surrogate moves nothing
    ('{"x":"\\ud83d","tel":"13812345678"}', [("CN_MOBILE", "13812345678")]),
]


@pytest.mark.parametrize(("line", "want"), ESCAPED_LINES)
def test_engine_finds_escaped_values_with_offsets_over_the_escapes(
        line: str, want: list[tuple[str, str]]) -> None:
    assert _found(line) == want
    plain = decoded(line)
    assert [(t, v) for t, v in _found(plain)] == want  # the same as unescaped


def test_offsets_cover_whole_escapes_and_match_the_jsonl_contract() -> None:
    line = '{"id":"' + _escaped(ID) + '","name":"\\u5f20\\u4e09"}'
    (matches,) = ENGINE.analyze_lines([line])
    spans = {m.entity_type: (m.start, m.end) for m in matches}
    assert spans["CN_RESIDENT_ID"] == (7, 7 + 6 * 18)
    assert spans["CN_NAME"] == (line.index("\\u5f20"), line.index("\\u5f20") + 12)
    assert ENGINE.analyze(line) == matches


def test_lines_after_an_escaped_one_keep_their_offsets() -> None:
    lines = ['{"name":"\\u5f20\\u4e09","tel":"13812345678"}', "手机13912345678",
             '{"id":"' + _escaped(ID) + '"}', "mail a@example.com"]
    results = ENGINE.analyze_lines(lines)
    found = [[(m.entity_type, decoded(line[m.start:m.end])) for m in ms]
             for line, ms in zip(lines, results, strict=True)]
    assert found == [[("CN_NAME", "张三"), ("CN_MOBILE", "13812345678")],
                     [("CN_MOBILE", "13912345678")], [("CN_RESIDENT_ID", ID)],
                     [("EMAIL_ADDRESS", "a@example.com")]]
    text = "\n".join(lines)
    starts = [text.index(line) for line in lines]
    assert ENGINE.analyze(text) == [m._replace(start=m.start + at, end=m.end + at)
                                    for at, ms in zip(starts, results, strict=True) for m in ms]


PIECES = ["userId", "idCard", "姓名", "张三", "13812345678", ID, "6222021001123456789", " ",
          "：", "=", '"', ",", "\\n", "zs@example.com", "北京市海淀区中关村大街27号", "１３８",
          "😀", "Tel", "0755-8765-4321", "x"]


def _escape_some(line: str, which: list[bool]) -> str:
    """``line`` with the characters ``which`` selects written as escapes; never one right
    after a backslash, where ``\\\\u`` would be another escape's run of backslashes."""
    out: list[str] = []
    for i, ch in enumerate(line):
        chosen = which[i % len(which)] and not (out and out[-1].endswith("\\"))
        out.append(_escaped(ch) if chosen else ch)
    return "".join(out)


@settings(max_examples=80, deadline=None)
@given(*lines_and_choices(PIECES))
def test_escaping_characters_never_changes_what_is_found(lines: list[str],
                                                         which: list[bool]) -> None:
    assert_found_as_in_plain(ENGINE, PURE, lines, [_escape_some(line, which) for line in lines])


def _pia(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pia", *args], input=stdin, text=True,
                          capture_output=True, timeout=120)


def test_detect_jsonl_and_table_on_an_ensure_ascii_file(tmp_path: Path) -> None:
    rows = [{"name": "张三", "addr": "北京市海淀区中关村大街27号", "sfz": ID},
            {"name": "张三", "addr": "北京市海淀区中关村大街27号", "sfz": ID}]
    source = tmp_path / "users.jsonl"
    source.write_text(json.dumps(rows[0]) + "\n" + json.dumps(rows[1], ensure_ascii=False)
                      + "\n" + '{"id":"' + _escaped(ID) + '"}\n', encoding="utf-8")
    lines = source.read_text(encoding="utf-8").splitlines()

    run = _pia("detect", str(source))
    assert run.returncode == 0, run.stderr
    out = [json.loads(row) for row in run.stdout.splitlines()]
    assert [row["line"] for row in out] == [1, 2, 3]
    values = [[(e["entity_type"], decoded(line[e["start"]:e["end"]])) for e in row["entities"]]
              for line, row in zip(lines, out, strict=True)]
    want = [("CN_NAME", "张三"), ("CN_ADDRESS", "北京市海淀区中关村大街27号"),
            ("CN_RESIDENT_ID", ID)]
    assert values == [want, want, [("CN_RESIDENT_ID", ID)]]

    table = _pia("detect", str(source), "--format", "table")
    assert table.returncode == 0, table.stderr
    # masked as the decoded values are: the same masks escaped or not, no escape shown
    assert table.stdout.count("1101**********4514") == 3
    assert table.stdout.count("张*") == 2 and table.stdout.count("北京市海***") == 2
    assert "\\u" not in table.stdout and ID not in table.stdout
    assert "张三" not in table.stdout and "中关村" not in table.stdout
    shown = _pia("detect", str(source), "--format", "table", "--show-values")
    assert shown.stdout.count(ID) == 3 and "\\u" not in shown.stdout
