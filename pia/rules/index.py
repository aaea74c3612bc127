"""Inventory and facts indexed by location: what contains what.

Rules ask about one subject at a time (an item, a fact), but the answer often depends on
neighbours: the column fact of an item (its minors count, its classification label), the
bucket of an object, the PI items inside a table or a log directory. ``Index`` answers those
questions in constant time per subject, so evaluation stays linear in the inventory.

Files, directories and objects are found by their path (or bucket and key) as the report
gives it, masked (``pia.masked_names``), and, where masking changed it, by its keyed
fingerprint (``path_fingerprints``, the last one its own): two logs named by two residents' IDs
whose masks coincide (``logs/1101**********1237.log``) are two places, each with its own
facts, and a directory whose mask coincides with another's holds only its own files.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from pia.clock import china_date, parse_instant
from pia.entities import NOT_PERSONAL
from pia.masked_names import PATH_FINGERPRINTS


def item_scope(location: dict[str, Any]) -> str:
    if "file" in location and "line" in location:
        return "migration"
    if "bucket" in location:
        return "object"
    if "path" in location:
        return "log"
    return "db"


def place(location: dict[str, Any]) -> str | None:
    """The keyed fingerprint of a masked location's own path (or bucket and key), None when
    masking left it as it is: with the masked path, what tells the place apart."""
    places = location.get(PATH_FINGERPRINTS)
    return places[-1] if isinstance(places, list) and places else None


def within(inner: dict[str, Any], outer: dict[str, Any]) -> bool:
    """Whether ``inner`` may lie in ``outer``, a place whose masked path is a prefix of its
    own: always, unless masking changed ``outer``'s path, whose fingerprint must then be one
    of ``inner``'s (two directories whose masks coincide each hold their own files)."""
    own = place(outer)
    return own is None or own in (inner.get(PATH_FINGERPRINTS) or ())


def _same(a: dict[str, Any], b: dict[str, Any], keys: tuple[str, ...]) -> bool:
    """Locations agree on every key both of them know."""
    return all(a.get(k) in (None, b.get(k)) or b.get(k) is None for k in keys)


def day(value: Any) -> date | None:
    """The day in China Standard Time of a stored time: an instant (an ISO 8601 time with a
    zone, epoch seconds) falls on its Beijing day, so ``2026-06-03T17:00:00Z`` is 06-04 as
    ``2026-06-04T01:00:00+08:00`` is; a time or date without a zone is already local."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return china_date(datetime.fromtimestamp(value, UTC))
        except (ValueError, OverflowError, OSError):
            return None
    when = parse_instant(value)
    if when is not None:
        return china_date(when)
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def ages(attrs: dict[str, Any], today: date) -> dict[str, Any]:
    """Days before ``today`` of a subject's times.

    A file read without a timestamp in any line (``oldest`` present but null) is dated by
    its mtime: nothing in a file is newer than its last write, so its oldest content is at
    least as old as the mtime. That bound can only understate the age, so a retention rule
    it fires is true (a file last written two years ago holds nothing younger), and one it
    leaves quiet is no worse than before; ``oldest`` then says where the date came from.
    """
    out = {}
    for name in ("oldest", "newest", "last_modified", "mtime", "deleted_oldest"):
        when = day(attrs.get(name))
        if when is not None:
            out[f"{name}_days"] = (today - when).days
            out[name] = attrs[name]
    if "oldest" in attrs and attrs["oldest"] is None and "mtime_days" in out:
        out["oldest_days"] = out["mtime_days"]
        why = ("not read in full" if attrs.get("complete") is False
               else "no timestamp in the file")
        out["oldest"] = f"{attrs['mtime']} or earlier ({why}: its mtime)"
    return out


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def holder(source: str, location: dict[str, Any]) -> tuple:
    """What holds a located thing's records: its table, log file, object or migration. The
    columns of one table (or the entity types of one file) describe the same people."""
    scope = item_scope(location)
    if scope == "db":
        names = ("database", "schema", "table")
    elif scope == "log":
        names = ("path",)
    elif scope == "object":  # a noncurrent version (--versions) holds records of its own
        names = ("bucket", "key", "version_id")
    else:
        names = ("file", "table")
    return (source, scope, *(location.get(n) for n in names),
            *((place(location),) if scope in ("log", "object") else ()))


def minors_by_holder(items: list[dict[str, Any]], minors_facts: list[dict[str, Any]] = ()
                     ) -> dict[tuple, int]:
    """The children counted in each table, file or object: the most any one of its columns
    (or entity types) counts, since ``csrq`` and ``sfzh`` of one row are one child."""
    out: dict[tuple, int] = {}
    counted = [(i, i.get("evidence", {}).get("minors_count")) for i in items]
    counted += [(f, f.get("attributes", {}).get("minors_count")) for f in minors_facts]
    for subject, value in counted:
        if _count(value):
            key = holder(subject.get("source", ""), subject.get("location", {}))
            out[key] = max(out.get(key, 0), value)
    return out


def summarise(items: list[dict[str, Any]], minors_facts: list[dict[str, Any]] = (),
              children: frozenset[int] = frozenset()) -> dict:
    """What the inventory holds in a subject (ignoring non-personal types such as USCC).

    ``minors_count`` adds up the tables, files and objects, each counting its children once
    (``minors_by_holder``). ``sensitive`` counts an item the scan marked sensitive and one in
    ``children`` (the ``id`` of items of an asset declared ``minors: true``: children's PI,
    which PIPL 28 makes sensitive though no age showed)."""
    pi = [i for i in items if i.get("entity_type") not in NOT_PERSONAL]
    minors = minors_by_holder(pi, minors_facts)
    out: dict[str, Any] = {
        "items": len(pi),
        "count": sum(i.get("count", 0) for i in pi),
        "entity_types": sorted({i["entity_type"] for i in pi}),
        "sensitive": any(i.get("sensitive") or id(i) in children for i in pi),
    }
    if minors:
        out["minors_count"] = sum(minors.values())
    return out


def _fact_key(fact: dict[str, Any]) -> tuple | None:
    """How a fact is looked up from the locations it contains."""
    kind, loc = fact["kind"], fact["location"]
    if kind == "database":
        return (kind, fact["source"])
    if kind == "file":
        return (kind, loc.get("path"), place(loc))
    if kind == "log_dir":
        return (kind, str(loc.get("path", "")).rstrip("/") or "/")
    if kind == "bucket":
        return (kind, loc.get("bucket"))
    if kind == "object":  # a noncurrent version's fact is its own, not the current one's
        return (kind, loc.get("bucket"), loc.get("key"), loc.get("version_id"), place(loc))
    return None


def _member_view(fact: dict | None, member: Any) -> dict | None:
    """An archive's file or object fact as one of its members sees it: whether it is a log is the
    member's own (``log_members``, where the archive holds both logs and data), so that an
    export's PI in ``logs.tar.gz`` is data as on disk and a log's beside it is in a log."""
    logs = fact["attributes"].get("log_members") if fact else None
    if logs is None or not isinstance(member, str):
        return fact
    return {**fact, "attributes": {**fact["attributes"], "is_log": member in logs}}


def _unlisted_why(unlisted: list[str]) -> tuple[str, str]:
    """Why a log directory's span is unknown when directories below it could not be listed
    (``unlisted``): not log files not read, but directories of which nothing is known, the
    oldest logs maybe; named by their paths (the first three)."""
    shown = ", ".join(unlisted[:3]) + (", …" if len(unlisted) > 3 else "")
    what = ("a directory" if len(unlisted) == 1 else f"{len(unlisted)} directories")
    return (f"log span unknown: {what} in it or below it could not be listed ({shown})",
            "see skipped, and scan again as a user who may list "
            + ("it" if len(unlisted) == 1 else "them"))


class Index:
    """Inventory and facts indexed by location, so each subject finds what contains it."""

    def __init__(self, inventory: list[dict], facts: list[dict]) -> None:
        self.facts: dict[str, list[dict]] = defaultdict(list)
        for fact in facts:
            self.facts[fact["kind"]].append(fact)
        self.by_table: dict[tuple, list[dict]] = defaultdict(list)
        self.by_source: dict[str, list[dict]] = defaultdict(list)
        self.by_path: dict[str, list[dict]] = defaultdict(list)
        self.by_bucket: dict[str, list[dict]] = defaultdict(list)
        self.by_file: dict[str, list[dict]] = defaultdict(list)
        for item in inventory:
            loc = item["location"]
            scope = item_scope(loc)
            if scope == "db":
                self.by_source[item["source"]].append(item)
                self.by_table[(item["source"], loc.get("table"))].append(item)
            elif scope == "log":
                self.by_path[loc["path"]].append(item)
            elif scope == "object":
                self.by_bucket[loc["bucket"]].append(item)
            else:
                self.by_file[loc["file"]].append(item)
        self._column_facts = defaultdict(list)
        self._table_facts = defaultdict(list)
        for fact in self.facts["column"]:
            loc = fact["location"]
            self._column_facts[(fact["source"], loc.get("table"), loc.get("column"))].append(fact)
        for fact in self.facts["table"]:
            self._table_facts[(fact["source"], fact["location"].get("table"))].append(fact)
        self._minors = minors_by_holder(
            [i for i in inventory if i.get("entity_type") not in NOT_PERSONAL],
            self.facts["column"])
        self._keyed: dict[tuple, list[dict]] = defaultdict(list)
        for fact in facts:
            key = _fact_key(fact)
            if key is not None:
                self._keyed[key].append(fact)

    def contained(self, fact: dict) -> list[dict]:
        """Inventory items inside a fact's location."""
        kind, loc, source = fact["kind"], fact["location"], fact["source"]
        if kind == "database":
            return [i for i in self.by_source[source] if _same(loc, i["location"], ("database",))]
        if kind in ("table", "column"):
            keys = ("database", "schema", "column") if kind == "column" else ("database", "schema")
            return [i for i in self.by_table[(source, loc.get("table"))]
                    if _same(loc, i["location"], keys)]
        if kind == "file":
            return [i for i in self.by_path.get(loc.get("path"), [])
                    if place(i["location"]) == place(loc)]
        if kind == "log_dir":  # a directory, or a log file named as the source
            path = str(loc.get("path", "")).rstrip("/")
            return [i for p, items in self.by_path.items()
                    if p == path or p.startswith(path + "/") for i in items
                    if within(i["location"], loc)]
        if kind in ("bucket", "object"):
            items = [i for i in self.by_bucket.get(loc.get("bucket"), [])
                     if within(i["location"], loc)]
            return items if kind == "bucket" else [
                i for i in items if i["location"].get("key") == loc.get("key")
                and i["location"].get("version_id") == loc.get("version_id")
                and place(i["location"]) == place(loc)]
        return [i for i in self.by_file.get(loc.get("file"), [])
                if _same(loc, i["location"], ("table", "column"))]

    def holder_minors(self, source: str, loc: dict[str, Any]) -> int:
        """The children counted in the table, log file or object that holds ``loc``
        (``holder``): every PI column of a table with children's rows holds children's data,
        not only the one that gives their birth dates. Counted once for the whole inventory
        by ``minors_by_holder``, as ``summarise`` counts them, so a subject's severity rises
        for exactly the children its ``pi.minors_count`` adds up."""
        return self._minors.get(holder(source, loc), 0)

    def _log_tree(self, fact: dict, kind: str = "log_dir") -> list[dict]:
        """A log directory's fact and those of the log directories below it (or, with
        ``kind="file"``, the file facts in it or below it)."""
        base = str(fact["location"].get("path", "")).rstrip("/")
        return [f for f in self.facts[kind] if f["source"] == fact["source"]
                and (str(f["location"].get("path", "")).rstrip("/") == base
                     or str(f["location"].get("path", "")).startswith(base + "/"))
                and within(f["location"], fact["location"])]

    def log_tree_span(self, fact: dict) -> dict[str, Any]:
        """A log directory's oldest and newest log, counting its subdirectories: rotated logs
        moved to ``archive/`` still count towards the six months CSL 21 asks for.

        A tree with a directory not read in full (``complete: false``: an interrupted scan,
        unreadable rotated logs, a gzip cut short) has no known span: its oldest log may be
        one not read. What was read still bounds it: the oldest entry read (in the complete
        log directories and log files of the tree) is at least that old, and a part not read
        can only make the span longer; that bound alone is given, as ``oldest`` (``newest``
        is unknown), and ``log_tree_unknown`` says the rest is unknown (the engine decides
        only what the bound decides whatever the missing part holds). A tree whose oldest log
        lies in a subdirectory holding logs of its own (``logs`` whose oldest is in
        ``logs/app``) is left to that subdirectory: its span starts on the same day and its
        own finding names it, so the parent does not report its child's files again (QA: two
        retention findings, at ``logs`` and ``logs/app``, with the same oldest date). A
        parent whose own logs are the oldest of its tree is judged by them."""
        tree = self._log_tree(fact)
        if any(f["attributes"].get("complete") is False for f in tree):
            read = [f["attributes"].get("oldest") for f in tree
                    if f["attributes"].get("complete") is not False]
            read += [f["attributes"].get("oldest") or f["attributes"].get("mtime")
                     for f in self._log_tree(fact, "file")
                     if f["attributes"].get("is_log") and f["attributes"].get("lines") != 0
                     and f["attributes"].get("complete") is not False]
            known = [(d, when) for when in read if (d := day(when)) is not None]
            return {"oldest": min(known)[1]} if known else {}
        out: dict[str, Any] = {}
        for name, pick in (("oldest", min), ("newest", max)):
            days = [(d, f["attributes"][name]) for f in tree
                    if (d := day(f["attributes"].get(name))) is not None]
            if days:
                out[name] = pick(days)[1]
        first = day(out.get("oldest"))
        if first is not None and any(day(f["attributes"].get("oldest")) == first
                                     for f in tree if f is not fact):
            return {}  # a subdirectory's own finding reports this oldest log
        return out

    def log_tree_unknown(self, fact: dict) -> list[tuple[str, str]]:
        """Why a log directory's span is unknown, as an undecided rule says it (what, hint):
        files of its tree not read in full (a damaged or unreadable log, an interrupt),
        directories of its tree that could not be listed (``unlisted``, said apart: no log
        file), or only empty logs in it (no entry to date yet). None for a known span, or one
        left to a subdirectory (``log_tree_span``).

        A connector's ``unread`` counts every file below a directory that was not read in
        full, its subdirectories' too, so only the uppermost directories of the tree not read
        in full are counted (``logs`` and ``logs/sub`` each say ``unread: 1`` of the one gzip
        in ``logs/sub``). A log file named as the source is its own log directory, and is
        said to be one file."""
        tree = self._log_tree(fact)
        base = str(fact["location"].get("path", "")).rstrip("/")
        single = any(str(f["location"].get("path", "")).rstrip("/") == base
                     for f in self._log_tree(fact, "file"))
        cut = [f for f in tree if f["attributes"].get("complete") is False]
        if cut:
            paths = [str(f["location"].get("path", "")).rstrip("/") for f in cut]
            unread = sum(f["attributes"].get("unread") or 0
                         for f, path in zip(cut, paths, strict=True)
                         if not any(path.startswith(p + "/") for p in paths))
            unlisted = sorted({d for f in cut for d in f["attributes"].get("unlisted") or []})
            one = "see skipped, and scan again once it can be read in full"
            if single:
                return [("log span unknown: the log file was not read in full", one)]
            out = []
            if unread == 1:
                out.append(("log span unknown: a log file in it or below it not read in full",
                            one))
            elif unread or not unlisted:  # a fact without counts says no number
                out.append((f"log span unknown: {unread or 'some'} log files in it or below it "
                            "not read in full",
                            "see skipped, and scan again once they can be read in full"))
            if unlisted:
                out.append(_unlisted_why(unlisted))
            return out
        if all(f["attributes"].get("oldest") is None for f in tree):
            return [("no log entry yet: the log file is empty" if single
                     else "no log entry yet: its logs are empty",
                     "it is judged once it holds entries" if single
                     else "it is judged once its logs hold entries")]
        return []

    def _one(self, *key: Any) -> dict | None:
        found = self._keyed.get(key)
        return found[0] if found else None

    def _holding(self, loc: dict, *key: Any) -> dict | None:
        """The fact keyed ``key`` (a directory's, a bucket's) that holds ``loc``, among the
        places whose masks coincide (``within``)."""
        return next((f for f in self._keyed.get(key, ()) if within(loc, f["location"])), None)

    def _first(self, candidates: list[dict], loc: dict, keys: tuple[str, ...]) -> dict | None:
        return next((f for f in candidates if _same(f["location"], loc, keys)), None)

    def related(self, source: str, loc: dict, scope: str) -> dict[str, dict]:
        """The facts containing a location, by kind (the location's own included)."""
        out: dict[str, dict | None] = {}
        if scope == "db":
            out["column"] = self._first(self._column_facts[(source, loc.get("table"),
                                                            loc.get("column"))],
                                        loc, ("database", "schema"))
            out["table"] = self._first(self._table_facts[(source, loc.get("table"))], loc,
                                       ("database", "schema"))
            out["database"] = self._first(self._keyed.get(("database", source), []), loc,
                                          ("database",))
        elif scope == "log":
            path = str(loc.get("path", ""))
            out["file"] = _member_view(self._one("file", path, place(loc)), loc.get("member"))
            parent = path.rstrip("/")
            while "/" in parent and out.get("log_dir") is None:
                parent = parent.rsplit("/", 1)[0]
                out["log_dir"] = self._holding(loc, "log_dir", parent or "/")
        elif scope == "object":
            out["bucket"] = self._holding(loc, "bucket", loc.get("bucket"))
            if "key" in loc:
                out["object"] = _member_view(
                    self._one("object", loc.get("bucket"), loc["key"], loc.get("version_id"),
                              place(loc)),
                    loc.get("member"))
        return {k: v for k, v in out.items() if v is not None}
