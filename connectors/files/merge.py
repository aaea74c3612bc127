"""Partials into inventory items, file facts and log-directory facts, deterministically.

The plan, not the order partials arrived in, fixes every order here: partitions are walked in
plan order (sorted paths, then byte offsets), so the same partials give the same result.
A byte range's line numbers are shifted by the newlines of the ranges before it.

A scan that did not read everything it planned (an interrupt, a file that vanished or could
not be opened, a directory that could not be listed) must not date what it did not read. Each
partition carries, from the plan, how many partitions its file has and how many files were
planned (and found unreadable) in each directory from its own up to the scanned root; merge
compares that with what it got. A file not read in full has no ``oldest``/``newest`` and says
``complete: false``; so does a log directory with any member below it not read in full (its
``unread`` counts them), since its oldest log may be the one that was not read, and so does
one with a directory below it that could not be listed (``unlisted`` names it: a directory,
of which not even the files are known, is not counted among the files not read).
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from typing import Any

from pia.clock import parse_instant
from pia.connectors.base import Partial, Plan, SourceResult
from pia.connectors.db.classify import RANDOM_LOOKING
from pia.connectors.files.sampling import decompressed_attribute
from pia.connectors.files.sniff import COMPRESSED
from pia.connectors.files.tally import combine, combine_fields, ranked
from pia.connectors.files.timestamps import iso
from pia.connectors.files.walk import UNLISTED
from pia.detection.persons import ADULTS, adult_named
from pia.detection.protection import classify, hint
from pia.entities import NOT_PERSONAL, is_sensitive
from pia.rules.index import holder, minors_by_holder
from pia.uri import file_path, scheme

#: a log by its name: app.log, app.log.3, app.log.2024-10-10, app.log.1.gz
_LOG_NAME = re.compile(r"\.log(\.[\w-]+)?(\.(gz|bz2|xz))?$", re.IGNORECASE)
#: compressed or rotated files under a directory named like a log directory
_LOG_DIR = re.compile(r"(^|/)([^/]*[-_.])?logs?(/|$)", re.IGNORECASE)
#: a rotated or dated name: export.csv.1, access.csv-20261129, postgresql-2026-11-29_0000.csv
_ROTATED = re.compile(r"\.\d+(\.(gz|bz2|xz))?$|[-_.]\d{8}|[-_.]\d{4}-\d{2}-\d{2}")
#: formats of tables, a data export whatever their timestamps say (``is_log``)
_TABLE_FORMATS = ("csv", "tsv", "xlsx", "xls")
#: a file's containers whose blobs are its members: an archive's files, a workbook's sheets
_HOLDERS = ("zip", "tar", "xlsx", "xls")
#: a file is a log when at least this share of its lines carry a timestamp
_TIMESTAMPED_SHARE = 0.5


def is_log(rel: str, path: str, checked: int, timestamped: int, fmt: str = "text") -> bool:
    """By name (``*.log``, ``*.log.N``, compressed files in a log directory), or because at
    least half of the lines looked at carry a timestamp. A CSV or TSV file (by its name or
    its content) is a data export whatever its timestamps say (a ``created_at`` column), unless
    its name says log: ``*.log`` or a rotated or dated name in a log directory
    (``log/postgresql-2026-11-29.csv``, PostgreSQL's csvlog)."""
    name = os.path.basename(rel)
    if _LOG_NAME.search(name):
        return True
    folder = os.path.dirname(path)
    if name.lower().endswith((".gz", ".bz2", ".xz")) and _LOG_DIR.search(folder):
        return True
    if fmt in _TABLE_FORMATS:
        return bool(_LOG_DIR.search(folder) and _ROTATED.search(name))
    return timestamped > 0 and timestamped >= _TIMESTAMPED_SHARE * checked


def member_logs(rel: str, path: str, blobs: list[dict[str, Any]]) -> dict[str, bool]:
    """Each member of an archive (its blobs'), judged a log or not as the same file would be
    unpacked beside the archive: ``app.log`` in ``logs-2026-03.tar.gz`` is a log, a CSV
    export in it is data, a member with timestamps on half its lines is a log. A member the
    archive's own name says is a log (``app.log.zip``, an archive compressed in a log
    directory, as old logs are kept) is one too, but for a CSV or TSV, which only its own
    name makes a log. The archive as a whole once decided for all of its members: a log's
    mobiles in a zip met no PI-in-logs rule, yet its dates counted for the log span."""
    by_member: dict[str, list[dict[str, Any]]] = {}
    for blob in blobs:
        if member := blob["location"].get("member"):
            by_member.setdefault(member, []).append(blob)
    named_log = is_log(rel, path, 0, 0)
    out = {}
    for member, own in by_member.items():
        fmt = own[0]["format"]
        out[member] = (is_log(member, os.path.join(os.path.dirname(path), member),
                              sum(b["time"]["checked"] for b in own),
                              sum(b["time"]["lines"] for b in own), fmt)
                       or (named_log and fmt not in _TABLE_FORMATS))
    return out


def log_verdict(rel: str, path: str, blobs: list[dict[str, Any]],
                fmt: str) -> tuple[bool, dict[str, bool]]:
    """Whether a file or an object (``rel`` its name, ``path`` with its directory or bucket)
    is a log, and, for an archive, each member's verdict (``member_logs``): an archive is a
    log when a member is; anything else by ``is_log`` on all its lines. Said once for the
    files connector and object storage, so that ``logs.tar.gz`` is judged the same on disk
    and in a bucket."""
    logs = member_logs(rel, path, blobs)
    if logs:
        return any(logs.values()), logs
    return is_log(rel, path, sum(b["time"]["checked"] for b in blobs),
                  sum(b["time"]["lines"] for b in blobs), fmt), logs


def mixed_members(log: bool, logs: dict[str, bool]) -> list[str] | None:
    """``log_members``: the members that are logs of an archive holding both logs and data,
    for each member's PI to be judged as its own file's (``pia.rules.index``); None
    otherwise (the archive's ``is_log`` says it for all its members)."""
    if not log or all(logs.values()):
        return None
    return sorted(member for member, is_one in logs.items() if is_one)


def file_fact(source: str, path: str, rel: str, size: int, mtime_ns: int, *, fmt: str,
              encoding: str | None, compression: str | None,
              blobs: list[dict[str, Any]], complete: bool = True) -> dict[str, Any]:
    """The ``file`` fact (kind and attribute names are a contract with the rulesets). A file
    not read in full (``complete`` false) has no ``oldest`` or ``newest``. ``size`` is the
    file's, as listed with its ``mtime``; a file whose byte ranges were not all read (an
    interrupt, a file truncated while read) says how much was in ``bytes_read``, as an
    object's fact does: a 300 MB log cut short read as a 117 MB file.

    An archive is a log when a member is (``member_logs``), and is dated by its logs alone:
    an export beside them is no log entry. When some members are logs and others not,
    ``log_members`` names the logs, for each member's PI to be judged as its own file's."""
    log, logs = log_verdict(rel, path, blobs, fmt)
    dated = [b for b in blobs if logs.get(b["location"].get("member"))] if log and logs else blobs
    oldest = [t for b in dated if (t := parse_instant(b["time"]["oldest"]))]
    newest = [t for b in dated if (t := parse_instant(b["time"]["newest"]))]
    lines = sum(b["lines"] for b in blobs)
    read = sum(b["bytes"] for b in blobs) if blobs and all("bytes" in b for b in blobs) \
        else size  # byte ranges: what was read, not planned
    mixed = mixed_members(log, logs)
    return {
        "kind": "file",
        "source": source,
        "location": {"path": path},
        "attributes": {
            "path": path,
            "size": size,
            "mtime": iso(datetime.fromtimestamp(mtime_ns / 1e9, UTC)),
            "oldest": iso(min(oldest)) if oldest else None,
            "newest": iso(max(newest)) if newest else None,
            "is_log": log,
            "format": fmt,
            "encoding": encoding,
            "compression": compression,
            "lines": lines,
            **({"log_members": mixed} if mixed else {}),
            **({"bytes_read": read} if read < size else {}),
            **decompressed_attribute(blobs),
            **({} if complete else {"oldest": None, "newest": None, "complete": False}),
        },
    }


def inventory_item(source: str, location: dict[str, Any], entity: str,
                   entry: dict[str, Any], sampled: int) -> dict[str, Any]:
    """One inventory item from a blob's tally entry (shared with the object-storage connector).
    Log values are plaintext: masked ones were not counted.

    ``lines`` are the lines of the most convincing values (see ``tally``) in file order,
    ``first_line`` the first of them; ``evidence.more_lines`` counts the other lines holding
    the entity, when there are any. Samples come best first."""
    lines = sorted(entry["lines"])
    where = dict(location)
    if lines:
        where["first_line"] = lines[0]
        where["lines"] = lines
    more = entry.get("line_total", len(lines)) - len(lines)
    item = {
        "source": source,
        "location": where,
        "entity_type": entity,
        "count": entry["count"],
        "sampled": sampled,
        "score": round(entry["score"], 4),
        "sensitive": is_sensitive(entity),
        "protected": False,
        "protection": "plaintext",
        "evidence": {
            "samples": ranked(entry["samples"], entry.get("sample_scores")),
            "fingerprints": entry["fingerprints"],
            "minors_count": entry["minors"],
        },
    }
    if more > 0:
        item["evidence"]["more_lines"] = more
    adults = {adult: entry.get(adult, 0) for adult in ADULTS}
    if entry["count"] and sum(adults.values()) >= entry["count"] and not entry["minors"]:
        # every value under a guardian's or an emergency contact's key: the adult's PI,
        # the guardian's where both hold as many; unless the values themselves show a child
        # under 14 (a guardian_id_card of pupils' IDs): the values outweigh the keys
        item["data_subject"] = max(ADULTS, key=adults.__getitem__)
    return item


def mark_children(items: list[dict[str, Any]]) -> None:
    """PIPL 28: the personal information of a child under 14 is sensitive whatever its type.
    Every PI item of a file or object (archive members included) whose content shows a child
    (``minors_count``: resident IDs, birth-date fields, counted by age at scan time) says
    ``sensitive: true``, the names and mobiles beside the children's IDs as much as the IDs,
    as every PI column of a database table with children's rows does. The unit is the one the
    rules' ``children_data`` reads (``pia.rules.index.holder``: the whole file or object), so
    the inventory and the findings agree; an item gathers its entity type's lines across the
    whole file, so a log's lines could not be told apart in it anyway. An item whose every
    value stands under a key naming the guardian (``guardian_phone=``, a 监护人电话 column:
    ``data_subject: guardian``) or an emergency contact (``jjlxrdh=``: ``contact``) is that
    adult's PI: sensitive by its type only."""
    personal = [i for i in items if i["entity_type"] not in NOT_PERSONAL
                and i.get("data_subject") not in ADULTS]
    children = minors_by_holder(personal)
    for item in personal:
        if children.get(holder(item["source"], item["location"])):
            item["sensitive"] = True


def field_item(source: str, location: dict[str, Any], field: str, entity: str,
               entry: dict[str, Any], sampled: int) -> dict[str, Any]:
    """One inventory item for the values under a field whose name says what they are (see
    ``fields``), located by the file and the field. Their shapes decide their protection as
    a database column's do (``pia.detection.protection.classify``), except that one plaintext
    value makes the field plaintext: a log that masks a password on most lines still wrote
    it out on the others. A protected field shows no samples."""
    item = inventory_item(source, {**location, "field": field}, entity, entry, sampled)
    shapes = entry["shapes"]
    protection = classify(shapes, entry["count"], hint(field), opaque=True,
                          plain=shapes.get("plain", 0),
                          random_is_data=entity in RANDOM_LOOKING)
    item["signals"] = ["name"]
    # guardian_birthday: an adult's, beside a child's; unless its own dates show a child
    adult = None if entry.get("minors") else adult_named(field)
    if adult is not None:
        item["data_subject"] = adult
    item["protected"] = protection.protected
    item["protection"] = protection.protection
    item["evidence"]["matched_term"] = entry["term"]
    if protection.protected:
        item["share"] = round(protection.share, 4)
        item["evidence"]["samples"] = []
    return item


def _ancestors(path: str, root: str | None = None) -> list[str]:
    """The directories holding ``path``, innermost first, down to ``root`` when given."""
    out = []
    folder = os.path.dirname(path)
    while True:
        out.append(folder or ".")
        if root is not None and os.path.normpath(folder) == os.path.normpath(root or "."):
            break
        parent = os.path.dirname(folder)
        if parent == folder or not folder:
            break
        folder = parent
    return out


def stamp_trees(plan: Plan, roots: dict[str, str], unread: list[str]) -> None:
    """Give each partition what merge needs to tell a whole read from a partial one: its
    file's partition count (``parts``) and, for each directory from its own up to the scanned
    root, the files planned below it and those found unreadable (``tree``: dir → [files,
    unreadable])."""
    parts: dict[str, int] = {}
    for partition in plan.partitions:
        parts[partition.spec["path"]] = parts.get(partition.spec["path"], 0) + 1
    below: dict[str, list[int]] = {}
    for path in parts:
        for folder in _ancestors(path, roots.get(path)):
            below.setdefault(folder, [0, 0])[0] += 1
    for path in unread:
        for folder in _ancestors(path):
            below.setdefault(folder, [0, 0])[1] += 1
    for partition in plan.partitions:
        path = partition.spec["path"]
        partition.spec["parts"] = parts[path]
        partition.spec["tree"] = {d: list(below[d]) for d in _ancestors(path, roots.get(path))}


def _unlisted(plan: Plan) -> dict[str, dict[str, list[str]]]:
    """source → directory → the directories in it or below it that could not be listed (the
    walk's ``UNLISTED``), each said once by its path: what they hold is unknown, logs older
    than any read maybe, but they are no log file not read in full."""
    out: dict[str, dict[str, list[str]]] = {}
    for skipped in plan.skipped:
        if skipped["reason"].startswith(UNLISTED) and "path" in skipped["location"]:
            path = skipped["location"]["path"]
            for folder in _ancestors(path):
                out.setdefault(skipped["source"], {}).setdefault(folder, []).append(path)
    return out


def _log_dirs(source: str, facts: list[dict[str, Any]], unread: dict[str, int],
              unlisted: dict[str, list[str]]) -> list[dict[str, Any]]:
    """One ``log_dir`` fact per directory holding logs: the time span its logs cover.

    A log file named as the source is a log directory of its own, at its path: its folder
    was not scanned, so no fact names it (``pia scan app.log`` located its retention at
    ``.``). A log without a parseable timestamp counts by its modification time; an empty
    one (no line: a log just rotated or created) holds no entry to date and does not count,
    so a directory of empty logs has no span (retention cannot be judged yet), as one not
    read in full. A directory with members (its own or its subdirectories') not read in full,
    or with a directory below it that could not be listed, has no known oldest or newest:
    ``complete: false`` says so, ``unread`` counts the files, ``unlisted`` names the
    directories."""
    named = os.path.normpath(file_path(source)) if scheme(source) == "file" else None
    dirs: dict[str, list[dict[str, Any]]] = {}
    folders: dict[str, str] = {}  # a log directory → the folder its unread counts are under
    for fact in facts:
        if fact["attributes"]["is_log"]:
            path = fact["attributes"]["path"]
            folder = os.path.dirname(path) or "."
            key = path if os.path.normpath(path) == named else folder
            folders[key] = folder
            dirs.setdefault(key, []).append(fact)
    out = []
    for key, members in sorted(dirs.items()):
        spans = [(f["attributes"]["oldest"] or f["attributes"]["mtime"],
                  f["attributes"]["newest"] or f["attributes"]["mtime"]) for f in members
                 if f["attributes"].get("lines") != 0]
        attributes: dict[str, Any] = {"path": key, "oldest": None, "newest": None,
                                      "span_days": None, "files": len(members)}
        if spans:
            first = min(parse_instant(oldest) for oldest, _ in spans)
            last = max(parse_instant(newest) for _, newest in spans)
            attributes.update(oldest=iso(first), newest=iso(last),
                              span_days=round((last - first).total_seconds() / 86400, 2))
        folder = folders[key]
        if unread.get(folder, 0) > 0 or unlisted.get(folder):
            attributes.update(oldest=None, newest=None, span_days=None, complete=False)
        if unread.get(folder, 0) > 0:
            attributes["unread"] = unread[folder]
        if unlisted.get(folder):
            attributes["unlisted"] = sorted(unlisted[folder])
        out.append({"kind": "log_dir", "source": source, "location": {"path": key},
                    "attributes": attributes})
    return out


def _newlines(path: str, start: int, end: int, spec: dict[str, Any]) -> int | None:
    """The line ends in a byte range that was not scanned (an interrupt, a dead worker), so
    that the lines of the ranges after it keep their numbers in the file. Counted on the
    bytes: in the codecs a file is split for (UTF-8, GB18030...) a CR or LF byte is never
    part of another character. None when the file is no longer the one planned."""
    ends = spec.get("newline", "\n").encode()
    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            if (stat.st_size, stat.st_mtime_ns) != (spec["size"], spec["mtime_ns"]):
                return None
            handle.seek(start)
            left, count = end - start, 0
            while left > 0:
                chunk = handle.read(min(left, 1 << 20))
                if not chunk:
                    return None
                count += chunk.count(ends)
                left -= len(chunk)
            return count
    except OSError:
        return None


def merge_partials(plan: Plan, partials: dict[str, Partial]) -> SourceResult:
    result = SourceResult(inventory=list(plan.inventory), facts=list(plan.facts),
                          skipped=list(plan.skipped))
    files: dict[str, dict[str, Any]] = {}
    for partition in plan.partitions:
        spec = partition.spec
        entry = files.setdefault(spec["path"], {"spec": spec, "source": partition.source,
                                                "parts": []})
        partial = partials.get(partition.key)
        if partial is None:
            result.skipped.append({"source": partition.source,
                                   "location": {"path": spec["path"]},
                                   "reason": f"partition {partition.key} not scanned"})
            continue
        entry["parts"].append((spec.get("member") or "", spec.get("start", 0), partial))
        if spec.get("mode") == "range":
            entry.setdefault("ends", {})[spec["start"]] = spec["end"]

    file_facts = []
    planned: dict[str, dict[str, list[int]]] = {}  # source → dir → [files, unreadable] below
    whole: dict[str, dict[str, int]] = {}  # source → dir → files below it read in full
    for path, entry in files.items():
        spec, source = entry["spec"], entry["source"]
        complete = (len(entry["parts"]) == spec.get("parts", len(entry["parts"]))
                    and not any(p[2].get("unread") or p[2].get("partly")
                                for p in entry["parts"]))
        for folder, counts in spec.get("tree", {}).items():
            planned.setdefault(source, {})[folder] = counts
            if complete:
                whole.setdefault(source, {})
                whole[source][folder] = whole[source].get(folder, 0) + 1
        groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        said: list[dict[str, Any]] = []  # a file that vanished is said to once, not per range
        for _member, start, partial in sorted(entry["parts"], key=lambda p: (p[0], p[1])):
            # members named by a person's number (a tar's, seen as it was read)
            result.inventory.extend({"source": source, **item}
                                    for item in partial.get("names", []))
            for skipped in partial["skipped"]:
                if skipped not in said:
                    said.append(skipped)
                    result.skipped.append({"source": source, **skipped})
            for blob in partial["blobs"]:
                key = json.dumps(blob["location"], sort_keys=True)
                groups.setdefault(key, []).append((start, blob))
        if entry["parts"] and all(p[2].get("unread") for p in entry["parts"]):
            continue  # nothing of it was read (vanished, unreadable): no fact claims it was
        merged_blobs = []
        for key in sorted(groups):
            ranges = sorted(groups[key], key=lambda r: r[0])
            offsets: list[int | None] = []
            seen: int | None = 0
            ends, expected = entry.get("ends", {}), 0
            for start, blob in ranges:
                if start in ends and start > expected and seen is not None:
                    # the byte range before it was not scanned (an interrupt, a dead worker)
                    counted = _newlines(path, expected, start, spec)
                    seen = None if counted is None else seen + counted
                offsets.append(seen)
                if seen is not None:
                    seen += blob["newlines"]
                expected = ends.get(start, expected)
            blobs = [blob for _start, blob in ranges]
            sampled = sum(b["lines"] for b in blobs)
            entities = combine([(off, b["entities"]) for off, b in zip(offsets, blobs,
                                                                       strict=True)])
            location = json.loads(key)
            for entity in sorted(entities):
                result.inventory.append(
                    inventory_item(source, location, entity, entities[entity], sampled))
            fields = combine_fields([(off, b.get("fields", {})) for off, b in zip(
                offsets, blobs, strict=True)])  # journals written before fields lack them
            for field, by_entity in sorted(fields.items()):
                for entity, entry in sorted(by_entity.items()):
                    result.inventory.append(
                        field_item(source, location, field, entity, entry, sampled))
            merged_blobs.extend(blobs)
        archive = spec.get("container") if spec.get("container") in _HOLDERS else None
        if archive == "xls" and not merged_blobs:
            continue  # an OLE file that is no workbook (a Word .doc): a binary file, no fact
        if archive is None and any("member" in b["location"] for b in merged_blobs):
            archive = "tar"
        fmt = archive or (merged_blobs[0]["format"] if merged_blobs else "unknown")
        compression = spec.get("container") if spec.get("container") in COMPRESSED else None
        encoding = merged_blobs[0]["encoding"] if merged_blobs else None
        file_facts.append(file_fact(source, path, spec["rel"], spec["size"], spec["mtime_ns"],
                                    fmt=fmt, encoding=encoding, compression=compression,
                                    blobs=merged_blobs, complete=complete))
    mark_children(result.inventory)
    result.facts.extend(file_facts)
    sources = sorted({f["source"] for f in result.facts if f["kind"] == "file"})
    unlisted = _unlisted(plan)
    for source in sources:
        unread = {folder: files + unreadable - whole.get(source, {}).get(folder, 0)
                  for folder, (files, unreadable) in planned.get(source, {}).items()}
        result.facts.extend(_log_dirs(source, [f for f in result.facts
                                               if f["kind"] == "file" and f["source"] == source],
                                      unread, unlisted.get(source, {})))
    return result
