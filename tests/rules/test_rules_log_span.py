"""CSL-21-LOG-RETENTION over a log directory some of whose files were not read in full (a
gzip cut short): a part not read can only make the span longer, so entries read that already
go back six months decide it (the directory passes); entries read that do not leave it
undecided. Each undecided directory has its own ``not_evaluated`` entry, with its reason, its
hint and its location (QA: lr2/a undecided though web.log went back 329 days, '2 log files'
for one gzip, and lr/gz and lr/empty pooled in one entry)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from pia.report import new_report, validate_report
from pia.rules import ENGINE, apply_rules, evaluate, load_rulesets

TODAY = dt.date(2026, 11, 28)
RULE = "CSL-21-LOG-RETENTION"
HINT = "see skipped, and scan again once it can be read in full"


def _dir(path: str, oldest: str | None, unread: int = 0, source: str = "lr2/a") -> dict:
    attrs: dict[str, Any] = {"path": path, "oldest": oldest, "newest": oldest,
                             "span_days": 0 if oldest else None, "files": 1}
    if unread:
        attrs.update(oldest=None, newest=None, span_days=None, complete=False, unread=unread)
    return {"kind": "log_dir", "source": source, "location": {"path": path},
            "attributes": attrs}


def _file(path: str, oldest: str | None, complete: bool = True, lines: int = 2,
          source: str = "lr2/a") -> dict:
    attrs: dict[str, Any] = {"path": path, "size": 100, "mtime": "2026-11-28T01:00:00Z",
                             "oldest": oldest, "newest": oldest, "is_log": True, "lines": lines}
    if not complete:
        attrs.update(oldest=None, newest=None, complete=False)
    return {"kind": "file", "source": source, "location": {"path": path}, "attributes": attrs}


def _cut_tree(web_oldest: str, cut: int = 1) -> list[dict]:
    """lr2/a as the files connector gives it: web.log read in full, a gzip cut short in sub/;
    both directories say ``complete: false`` and count the same unread files."""
    return [_dir("lr2/a", None, unread=cut), _dir("lr2/a/sub", None, unread=cut),
            _file("lr2/a/web.log", web_oldest),
            *[_file(f"lr2/a/sub/cut{i}.log.gz", None, complete=False) for i in range(cut)]]


def _run(facts: list[dict]):
    return evaluate(load_rulesets(["cn-csl"]), [], facts, None, today=TODAY)


def _retention(result) -> tuple[list[str], dict[str, str]]:
    """(the paths with a retention finding, the undecided paths with their reasons)."""
    found = [f["locations"][0]["path"] for f in result.findings if f["rule_id"] == RULE]
    undecided = {n["location"]["path"]: n["reason"] for n in result.not_evaluated
                 if n["rule_id"] == RULE}
    return found, undecided


def test_entries_read_that_go_back_far_enough_decide_it() -> None:
    found, undecided = _retention(_run(_cut_tree("2026-01-05T02:00:00Z")))  # 327 days
    assert found == [] and "lr2/a" not in undecided
    # sub/ read nothing it could date: its own span is still unknown, one file not read
    assert undecided == {"lr2/a/sub": "undecided for path lr2/a/sub: log span unknown: a log "
                                      f"file in it or below it not read in full ({HINT})"}


def test_entries_read_too_recent_leave_it_undecided_not_failed() -> None:
    found, undecided = _retention(_run(_cut_tree("2026-11-19T02:00:00Z")))  # 9 days
    assert found == []
    assert undecided["lr2/a"] == ("undecided for path lr2/a: log span unknown: a log file in "
                                  f"it or below it not read in full ({HINT})")


def test_files_not_read_are_counted_once() -> None:
    _, undecided = _retention(_run(_cut_tree("2026-11-19T02:00:00Z", cut=2)))
    assert "2 log files in it or below it not read in full" in undecided["lr2/a"]
    assert "2 log files in it or below it not read in full" in undecided["lr2/a/sub"]


def test_a_bound_from_a_complete_subdirectory_decides_its_parent() -> None:
    """The oldest entry read lies in a complete subdirectory, another one is cut short."""
    facts = [_dir("/srv/logs", "2026-11-20T00:00:00Z"),
             _dir("/srv/logs/archive", "2025-12-01T00:00:00Z"),
             _dir("/srv/logs/cut", None, unread=3)]
    found, undecided = _retention(_run(facts))
    assert found == [] and set(undecided) == {"/srv/logs/cut"}
    assert "3 log files in it or below it" in undecided["/srv/logs/cut"]


def test_a_complete_tree_still_fails() -> None:
    found, undecided = _retention(_run([_dir("/srv/logs", "2026-11-19T00:00:00Z")]))
    assert found == ["/srv/logs"] and undecided == {}


def test_each_undecided_directory_has_its_own_entry() -> None:
    facts = [_dir("lr/empty", None, source="lr/empty"),
             _file("lr/empty/a.log", None, lines=0, source="lr/empty"),
             _dir("lr/gz", None, unread=1, source="lr/gz"),
             _file("lr/gz/cut.log.gz", None, complete=False, source="lr/gz")]
    entries = [n for n in _run(facts).not_evaluated if n["rule_id"] == RULE]
    assert entries == [
        {"rule_id": RULE, "ruleset": "cn-csl", "source": "lr/empty",
         "location": {"path": "lr/empty"},
         "reason": "undecided for path lr/empty: no log entry yet: its logs are empty (it is "
                   "judged once its logs hold entries)"},
        {"rule_id": RULE, "ruleset": "cn-csl", "source": "lr/gz", "location": {"path": "lr/gz"},
         "reason": "undecided for path lr/gz: log span unknown: a log file in it or below it "
                   f"not read in full ({HINT})"}]
    report = new_report(["lr/empty", "lr/gz"], {}, started="2026-11-28T10:00:00Z")
    report["facts"] = copy.deepcopy(facts)
    apply_rules(report, load_rulesets(["cn-csl"]), None)
    validate_report(report)
    assert [n for n in report["not_evaluated"] if n["rule_id"] == RULE] == entries


def test_a_single_log_file_is_said_to_be_one() -> None:
    cut = "lr/gz/cut.log.gz"
    _, undecided = _retention(_run([_dir(cut, None, unread=1, source=cut),
                                    _file(cut, None, complete=False, source=cut)]))
    assert undecided == {cut: f"undecided for path {cut}: log span unknown: the log file was "
                              f"not read in full ({HINT})"}
    empty = "lr/empty/a.log"
    _, undecided = _retention(_run([_dir(empty, None, source=empty),
                                    _file(empty, None, lines=0, source=empty)]))
    assert undecided == {empty: f"undecided for path {empty}: no log entry yet: the log file "
                                "is empty (it is judged once it holds entries)"}


def test_the_engine_version_says_outcomes_changed() -> None:
    assert ENGINE >= 6
