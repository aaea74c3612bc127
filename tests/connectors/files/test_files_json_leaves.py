"""One walk reads JSON for what its keys say, in a JSON log line and in a JSON column
(``pia.connectors.json_leaves``): document order, list positions no part of a path, a
nesting limit past which values are handed back unread. Each reader keeps its own leaves:
a log line its (key, value) pairs, categories of a tally written into the value, and gives
up on a line nested too deep; a column its dotted key paths, passing over what is too deep."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pia.connectors.db.json_keys import leaves as column_leaves
from pia.connectors.files.structured import MAX_DEPTH, MAX_LEAVES, json_line
from pia.connectors.json_leaves import leaves

DOC = {"user": {"name": "张三", "tags": ["a", {"mima": "x1"}], "": {"k": 1}},
       "by_type": {"CN_MOBILE": 2, "calls": [13812345678], "deep": {"city": "上海"}},
       "ok": True, "none": None, "empty": "", "n": 1.5, "list": [[1, [2]]]}


def test_the_walk_hands_back_each_leaf_with_its_keys_in_document_order() -> None:
    assert list(leaves(DOC, 64)) == [
        (("user",), "name", "张三", True, False),
        (("user",), "tags", "a", False, False),
        (("user", "tags"), "mima", "x1", True, False),
        (("user", ""), "k", 1, True, False),
        (("by_type",), "CN_MOBILE", 2, True, False),
        (("by_type",), "calls", 13812345678, False, False),
        (("by_type", "deep"), "city", "上海", True, False),
        ((), "ok", True, True, False), ((), "none", None, True, False),
        ((), "empty", "", True, False), ((), "n", 1.5, True, False),
        ((), "list", 1, False, False), ((), "list", 2, False, False),
    ]
    assert list(leaves([{"a": 1}, 2], 64)) == [(("",), "a", 1, True, False),
                                               ((), "", 2, False, False)]
    assert list(leaves("text", 64)) == [((), "", "text", False, False)]


def test_what_stands_past_the_limit_is_handed_back_unread() -> None:
    doc = {"a": {"b": {"c": 1}, "d": 2}, "e": [[3]]}
    assert list(leaves(doc, 1)) == [
        (("a",), "b", {"c": 1}, True, True), (("a",), "d", 2, True, True),
        ((), "e", [3], False, True)]
    # a thousand deep costs no recursion: the walk stops where the reader stops it
    deep: object = {"mobile": "13912345678"}
    for _ in range(5000):
        deep = {"a": deep}
    walked = leaves(deep, 64)
    assert next(walked)[4] is True


def _pairs(doc: dict) -> str | None:
    text, _when, fields = json_line(json.dumps(doc, ensure_ascii=False), {},
                                    datetime(2026, 1, 1, tzinfo=UTC))
    return None if fields is None else text


def test_a_log_line_writes_its_leaves_after_their_keys_and_a_tally_s_categories_in_values(
        ) -> None:
    assert _pairs(DOC) == ("name：张三 ; tags：a ; mima：x1 ; k：1 ; ：CN_MOBILE：2 ; "
                           "：13812345678 ; ：city：上海 ; n：1.5 ; list：1 ; list：2")


def test_the_walk_hands_out_a_key_that_holds_a_container_when_asked() -> None:
    doc = {"users": {"13812345678": {"level": 3}, "13912345678": [1, {"a": 2}]}}
    assert list(leaves(doc, 64, keys_of_containers=True)) == [
        ((), "users", doc["users"], True, False),
        (("users",), "13812345678", {"level": 3}, True, False),
        (("users", "13812345678"), "level", 3, True, False),
        (("users",), "13912345678", [1, {"a": 2}], True, False),
        (("users",), "13912345678", 1, False, False),
        (("users", "13912345678"), "a", 2, True, False)]
    # past the limit a container is still handed back once, unread
    assert list(leaves(doc, 1, keys_of_containers=True)) == [
        ((), "users", doc["users"], True, False),
        (("users",), "13812345678", {"level": 3}, True, True),
        (("users",), "13912345678", [1, {"a": 2}], True, True)]


def test_a_log_line_s_key_is_read_whatever_it_holds() -> None:
    assert _pairs({"users": {"13812345678": {"level": 3}}}) == "：13812345678 ; level：3"
    assert _pairs({"users": {"110105199003071239": {"password": "p"}}}) == (
        "：110105199003071239 ; password：p")
    assert _pairs({"by_user": {"13812345678": [3]}}) == "：13812345678 ; ：3"
    assert _pairs({"a@b.cn": [], "张三": {}, "user_info": {"k": 1}}) == "：a@b.cn ; ：张三 ; k：1"


def test_a_log_line_nested_past_the_limit_is_read_as_text() -> None:
    at_limit: object = "13912345678"
    for _ in range(MAX_DEPTH):
        at_limit = {"a": at_limit}
    assert _pairs(at_limit) == "a：13912345678"  # type: ignore[arg-type]
    assert _pairs({"a": at_limit}) is None
    # past MAX_LEAVES the rest is not read: nor is its depth
    wide = {f"k{n}": n for n in range(MAX_LEAVES)} | {"z": at_limit}
    assert _pairs(wide) is not None and _pairs(wide).count(" ; ") == MAX_LEAVES - 1


def test_a_column_s_path_writes_a_key_that_is_data_as_a_star() -> None:
    doc = {"users": {"13812345678": {"password": "p1"}, "a@b.cn": {"password": "p2"},
                     "110105199003071239": {"mima": "p3"}, "line1": {"city": "x"}}}
    assert column_leaves(json.dumps(doc)) == [
        ("users.*.password", "password", "p1"), ("users.*.password", "password", "p2"),
        ("users.*.mima", "mima", "p3"), ("users.line1.city", "city", "x")]


def test_a_column_keeps_dotted_paths_and_passes_over_what_is_too_deep() -> None:
    text = json.dumps(DOC, ensure_ascii=False)
    expected = [("user.name", "name", "张三"), ("user.tags", "tags", "a"),
                ("user.tags.mima", "mima", "x1"),
                ("user..k", "k", "1"), ("by_type.CN_MOBILE", "CN_MOBILE", "2"),
                ("by_type.calls", "calls", "13812345678"), ("by_type.deep.city", "city", "上海"),
                ("empty", "empty", ""), ("n", "n", "1.5"), ("list", "list", "1"),
                ("list", "list", "2")]
    assert column_leaves(text) == expected
    assert column_leaves(text, DOC) == expected  # the driver's parsed document alike
    assert column_leaves(json.dumps([{"": {"a": 1}}])) == [("a", "a", "1")]
    too_deep: object = {"x": 1}
    for _ in range(MAX_DEPTH):
        too_deep = {"a": too_deep}
    doc = {"before": 1, "deep": too_deep, "after": 2}
    assert column_leaves(json.dumps(doc), doc) == [("before", "before", "1"),
                                                   ("after", "after", "2")]
    wide = {f"k{n}": n for n in range(MAX_LEAVES + 5)}
    assert len(column_leaves(json.dumps(wide))) == MAX_LEAVES


def test_a_json_log_keyed_by_mobile_or_id_is_found_on_its_line(pia_scan, tmp_path) -> None:
    """A session or cache dump keyed by user (qa-files 5): the keys are the PI."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.jsonl").write_text(
        '{"ts":"2025-12-29T10:00:00Z","msg":"start"}\n'
        '{"ts":"2025-12-29T10:00:01Z","users":{"13812345678":{"level":3}}}\n'
        '{"ts":"2025-12-29T10:00:02Z","users":{"110105199003071239":'
        '{"password":"hunter2secret"}}}\n', encoding="utf-8")
    _rc, rules, report = pia_scan(logs, "--lang", "en")
    found = {i["entity_type"]: i["location"] for i in report["inventory"]}
    assert found["CN_MOBILE"]["lines"] == [2]
    assert found["CN_RESIDENT_ID"]["lines"] == [3]
    assert found["CREDENTIAL"]["lines"] == [3] and found["CREDENTIAL"]["field"] == "password"
    assert "CSL-42-PI-IN-LOGS" in rules
    raw = json.dumps(report, ensure_ascii=False)
    assert not any(v in raw for v in ("13812345678", "110105199003071239", "hunter2secret"))
