"""What a signed report claims about its own scan, held against its own evidence.

A company holds its signing key and can sign anything, so a signature proves who wrote a
report, not that it is true. These checks compare what the report says (its scan times,
``complete``, ``full``, its findings) with what its facts and pia's engine say; each raises
``Refused`` naming the first contradiction. They are pure functions of parsed JSON.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from pia.bundle.masked import evidence_types, mask_quoted, masked_text
from pia.bundle.safezip import Refused, printable
from pia.bundle.words import counted
from pia.clock import parse_instant
from pia.printable import map_strings

#: fact attributes that are times the scan observed (a file's mtime, a log's newest line,
#: an object's last modification) by fact kind. Column ``newest`` is a data value (a contract
#: end date may lie in the future) and is not one.
OBSERVED_TIMES = {"file": ("mtime", "newest"), "log_dir": ("newest",),
                  "object": ("last_modified",)}
#: how much later than ``scan.finished`` an observed time may be without a note: a log
#: written in local time without a zone and read as UTC lands up to 14 hours ahead, and a
#: remote server's clock may drift
CLOCK_TOLERANCE = timedelta(days=1)
#: source URIs of local files, which may hold nothing to record (an empty directory)
LOCAL_SCHEMES = ("file:", "sqlite:")
#: under ``full``, a table read on fewer rows than this share of its row estimate was sampled
#: (an estimate such as PostgreSQL's reltuples may lag a recent delete by a little).
FULL_READ_SHARE = 0.9


def _show(value: Any, width: int = 80) -> str:
    return printable(json.dumps(value, ensure_ascii=False, sort_keys=True), width)


def timeline(report: dict[str, Any], created: Any, check: str) -> str:
    """started <= finished <= created; observed times more than a day after finished are
    noted in what the check reports."""
    scan = report["scan"]
    started, finished = parse_instant(scan.get("started")), parse_instant(scan.get("finished"))
    if started is None or finished is None:
        raise Refused(check, "scan.started or scan.finished is not an ISO 8601 time with a zone")
    if finished < started:
        raise Refused(check, f"the scan finished ({_show(scan['finished'], 40)}) before it "
                      f"started ({_show(scan['started'], 40)})")
    made = parse_instant(created)
    if made is None:
        raise Refused(check, "the manifest's created is not an ISO 8601 time with a zone")
    if made < finished:
        raise Refused(check, f"the bundle was created ({_show(created, 40)}) before the scan "
                      f"finished ({_show(scan['finished'], 40)})")
    later = [(fact, key) for fact in report["facts"]
             for key in OBSERVED_TIMES.get(fact.get("kind"), ())
             if (seen := parse_instant((fact.get("attributes") or {}).get(key))) is not None
             and seen - finished > CLOCK_TOLERANCE]
    note = ""
    if later:
        # said, not refused: a genuine estate holds files with future mtimes (an archive
        # unpacked from a machine whose clock was wrong) and devices logging years ahead
        fact, key = later[0]
        times = counted(len(later), "observed time", "observed times")
        note = (f"; NOTE: {times} more than a day after the scan finished"
                f", e.g. {fact['kind']} {_show(fact.get('location'), 100)} {key} "
                f"{_show(fact['attributes'][key], 40)}: clocks out of step, or a scan dated "
                "earlier than it ran")
    if made - datetime.now(UTC) > CLOCK_TOLERANCE:  # said, as the observed times above (QA)
        note += (f"; NOTE: created {_show(created, 40)} is more than a day after this "
                 "machine's clock: the signer's clock or its statement is wrong")
    return f"started {scan['started']}, finished {scan['finished']}, created {created}{note}"


def completeness(report: dict[str, Any], check: str) -> str:
    """``complete: true`` holds only if every listed source was read: no whole-source skipped
    record, and every database or bucket source (a URI) has an item or fact."""
    scan = report["scan"]
    if scan.get("complete") is not True:
        return "the report says the scan is incomplete"
    for skipped in report["skipped"]:
        if skipped.get("location") == {} and skipped.get("source") in scan["sources"]:
            raise Refused(check, f"complete is true but source {_show(skipped['source'])} was "
                          f"skipped whole ({_show(skipped.get('reason'), 120)})")
    seen = {r.get("source") for r in [*report["inventory"], *report["facts"]]}
    for source in scan["sources"]:
        # a database or bucket that was read always has a fact; an empty local directory
        # (a path or file://) has none, nor does a SQLite file of no table
        if "://" in source and not source.startswith(LOCAL_SCHEMES) and source not in seen:
            raise Refused(check, f"complete is true but source {_show(source)} has no inventory "
                          "item or fact: it was not read")
    return f"complete, {counted(len(scan['sources']), 'source', 'sources')} read"


def sampling(report: dict[str, Any], check: str) -> str:
    """``parameters.full`` holds unless a table shows a sample's read: at most ``sample``
    rows (what a sampled scan reads of a table larger than that) of a table estimated at
    more. The rows a table was read on are its fact's ``rows_read``; a report without them
    (an older pia's) is judged by its items' ``sampled``, the values read, for want of better.
    A table the scan did not finish (``skipped``: interrupted, its connection lost) is no
    sign of sampling, nor is a table no larger than ``sample``, which a sampled scan also
    reads whole (QA: a --full scan of a table of mostly NULLs, of one whose statistics lag a
    delete, of rows a row-level security policy hides, was refused as sampled and edited)."""
    parameters = report["scan"].get("parameters") or {}
    if parameters.get("full") is not True:
        return ""
    sample = parameters.get("sample")  # pia records it; without it, any short read tells
    if not isinstance(sample, int) or isinstance(sample, bool):
        sample = None
    unfinished = {_show([s.get("source"), s.get("location")], 10_000)
                  for s in report.get("skipped") or [] if "column" not in (s.get("location") or {})}
    tables: dict[str, tuple[Any, Any, Any]] = {}
    for fact in report["facts"]:
        if fact.get("kind") == "table":
            attributes = fact.get("attributes") or {}
            tables[_show([fact.get("source"), fact.get("location")], 10_000)] = (
                fact.get("location"), attributes.get("row_estimate"), attributes.get("rows_read"))
    read_of: dict[str, int] = {}
    for item in report["inventory"]:
        location = item.get("location") or {}
        if "column" in location and isinstance(item.get("sampled"), int):
            table = _show([item.get("source"), {k: v for k, v in location.items()
                                                 if k != "column"}], 10_000)
            read_of[table] = max(read_of.get(table, 0), item["sampled"])
    for table, (location, estimate, rows) in tables.items():
        read = rows if isinstance(rows, int) else read_of.get(table)
        if table in unfinished or not isinstance(estimate, int) or not isinstance(read, int):
            continue
        if read < estimate * FULL_READ_SHARE and (sample is None or read <= sample < estimate):
            raise Refused(check, f"parameters.full is true but table {_show(location, 120)} was "
                          f"read on {read} of about {estimate} rows: it was sampled")
    return ""


def _first_difference(recorded: Any, derived: Any, path: str = "") -> tuple[str, Any, Any]:
    """The dotted path of the first field where two JSON values differ, and both values."""
    if isinstance(recorded, dict) and isinstance(derived, dict):
        for key in sorted(set(recorded) | set(derived)):
            if recorded.get(key, _ABSENT) != derived.get(key, _ABSENT):
                return _first_difference(recorded.get(key, _ABSENT), derived.get(key, _ABSENT),
                                         f"{path}.{key}" if path else key)
    if isinstance(recorded, list) and isinstance(derived, list) and len(recorded) == len(derived):
        for index, (left, right) in enumerate(zip(recorded, derived, strict=True)):
            if left != right:
                return _first_difference(left, right, f"{path}[{index}]")
    return path, recorded, derived


class _Absent:
    def __repr__(self) -> str:
        return "absent"


_ABSENT = _Absent()


def _value(value: Any, path: str, finding: dict[str, Any]) -> str:
    """A differing field's value as the message quotes it: samples (a recorded one may be a
    raw value, and a re-derived one is when the inventory's is) only masked."""
    if value is _ABSENT:
        return "absent"
    if path == "evidence" or path.startswith(("evidence.", "evidence[")):
        types = evidence_types(finding.get("evidence"))
        value = mask_quoted(value, types, under_samples=".samples" in path)
    elif not path:  # the findings themselves
        value = mask_quoted(value, [])
    return _show(_masked(value), 100)


def _masked(value: Any) -> Any:
    """``value`` with the identifiers of its every string and key masked, before ``_show``
    escapes and cuts it (QA Q2 B5: a title edited to hold an ID with a zero-width space in
    it was quoted whole, escaped past the masker, by verify and by show's banner)."""
    return map_strings(value, masked_text)


def _identity(finding: dict[str, Any]) -> str:
    return json.dumps([finding.get("ruleset"), finding.get("rule_id"), finding.get("source"),
                       finding.get("fingerprint"), finding.get("locations")],
                      sort_keys=True, ensure_ascii=False)


def _name(finding: dict[str, Any]) -> str:
    locations = json.dumps(finding.get("locations"), ensure_ascii=False)
    return printable(masked_text(f"{finding.get('rule_id')} at {locations}"), 160)


#: what tells one finding of a rule from another, in the order a message names a difference
_IDENTITY_FIELDS = ("source", "locations", "fingerprint")


def _unmatched_difference(finding: dict[str, Any], unmatched: list[dict[str, Any]]) -> str:
    """How a recorded finding no derived one matches differs from the closest derived one
    of its rule that no recorded one matches (QA Q2 B8: an edited source or location was
    reported as "7 recorded, 7 re-derived", naming no field), or "" when there is none."""
    same_rule = [f for f in unmatched if (f.get("ruleset"), f.get("rule_id")) ==
                 (finding.get("ruleset"), finding.get("rule_id"))]
    if not same_rule:
        return ""
    closest = max(same_rule, key=lambda f: sum(f.get(k) == finding.get(k)
                                                for k in _IDENTITY_FIELDS))
    field = next(k for k in _IDENTITY_FIELDS if closest.get(k, _ABSENT) != finding.get(k, _ABSENT))
    if field == "fingerprint":  # a digest's digits may be anything, an ID padded: not quoted
        return ": its fingerprint is not the one re-derived"
    return (f": {field} is {_value(finding.get(field, _ABSENT), field, finding)} in the report "
            f"but {_value(closest.get(field, _ABSENT), field, closest)} re-derived")


def compare_findings(recorded: list[dict[str, Any]], derived: list[dict[str, Any]],
                     check: str) -> None:
    """Every recorded finding equals, field for field, one the engine derives, and none is
    missing: title, references, remediation, evidence, status and acceptance included. The
    message names the first finding and field that differ, so that a difference of engine
    (a bundle made by another pia version) can be told from a forgery."""
    # a JSON round trip, so that tuples and lists compare equal, as in report.json
    derived = json.loads(json.dumps(derived, ensure_ascii=False))
    left = sorted(recorded, key=_identity)
    right = sorted(derived, key=_identity)
    if left == right:
        return
    by_id = {_identity(f): f for f in right}
    mine = {_identity(f) for f in left}
    for finding in left:
        other = by_id.get(_identity(finding))
        if other is None:
            unmatched = [f for f in right if _identity(f) not in mine]
            raise Refused(check, f"recorded finding {_name(finding)} does not follow from the "
                          f"evidence{_unmatched_difference(finding, unmatched)} "
                          f"({len(recorded)} recorded, {len(derived)} re-derived)")
        if other != finding:
            path, was, now = _first_difference(finding, other)
            also = [k for k in sorted(set(finding) | set(other)) if k != re.split(r"[.\[]", path)[0]
                    and finding.get(k, _ABSENT) != other.get(k, _ABSENT)]
            more = f" (also differs: {', '.join(also)})" if also else ""
            raise Refused(check, f"finding {_name(finding)}: {path} is "
                          f"{_value(was, path, finding)} in the report but "
                          f"{_value(now, path, finding)} re-derived{more}")
    extra = [f for f in right if _identity(f) not in mine]
    if extra:
        raise Refused(check, f"finding {_name(extra[0])} follows from the evidence but is not "
                      f"recorded ({len(recorded)} recorded, {len(derived)} re-derived)")
    raise Refused(check, f"{len(recorded)} findings recorded but {len(derived)} re-derived "
                  "(a finding is recorded twice)")


def compare_not_evaluated(recorded: list[dict[str, Any]], derived: list[dict[str, Any]],
                          check: str) -> None:
    """The rules the report says were not evaluated are exactly those the engine skips."""
    key = lambda n: _show(n, 10_000)  # noqa: E731
    left, right = sorted(map(key, recorded)), sorted(map(key, derived))
    if left == right:
        return
    missing = [n for n in right if n not in left]
    extra = [n for n in left if n not in right]
    if missing:
        raise Refused(check, f"not_evaluated omits {printable(missing[0], 160)} "
                      f"({len(recorded)} recorded, {len(derived)} rules not evaluated)")
    if extra:
        raise Refused(check, f"not_evaluated lists {printable(extra[0], 160)}, which was "
                      f"evaluated ({len(recorded)} recorded, {len(derived)} not evaluated)")
    raise Refused(check, f"not_evaluated lists {len(recorded)} rules, the engine "
                  f"{len(derived)} (a rule is listed twice)")
