"""Rows a table marks deleted or closed and keeps, counted from the rows the scan reads.

A soft delete (``deleted_at``, ``is_deleted``, ``del_flag``, 注销时间: ``pia.detection.deletion``)
leaves a row's personal information in place; PIPL 47 asks that it go once its purpose has.
This measures, per marker column, how many rows read are marked deleted, and of those how many
still hold a value in each column, when the oldest of them was deleted and how many were
deleted longer ago than the grace period (declared in ``pia.yaml``; ``Declared``). Nothing is
written and nothing more is read: the counts come from the same rows ``TableStats`` reads, so a
sampled scan counts its sample (an estimate, said so by ``sampled``) and ``--full`` every row.

Which columns hold PI is decided only when a table's partitions merge, so a partition keeps its
counts per column, and the merge keeps those of the PI columns. Like ``stats``, a partial is
JSON and merges in any order: sums, and the smallest ISO date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pia.connectors.base import SourceResult
from pia.connectors.db.facts import column_fact
from pia.connectors.db.model import Table
from pia.detection.deletion import is_marker, read_mark
from pia.detection.metadata import tokens
from pia.detection.protection import value_shape

#: values a marker holds that are neither a flag, a time nor NULL, beyond which the column is
#: no marker after all (``deleted`` holding free text)
MAX_ODD_SHARE = 0.1
_TIME_WORDS = frozenset({"at", "time", "date", "on", "datetime", "timestamp", "shijian", "riqi"})


def _holds(value: Any) -> bool:
    """A value still there: not NULL, not blank, not masked (``138****1234``, ``张*``).

    Masked as ``protection.value_shape`` tells a mask, the way the column's own protection
    is told: a star alone is no mask (``li*na@example.com`` is an address as it is). Every
    other shape still holds the information, as protection reads it: a digest is taken for
    an unsalted one, reversed by enumeration (PIPL 73(三)), an encoding is the plaintext,
    and a ciphertext is read by whoever holds the key, as the table's owner does. PIPL 47
    asks for deletion or anonymisation; only the mask takes the identifier off the row.
    ``value_shape`` is asked only of text with a star: it calls no other text masked."""
    if value is None:
        return False
    if isinstance(value, str):
        text = value.strip()
        if not text.strip("*＊"):  # blank, or a lone star where the value was
            return False
        if "*" in text or "＊" in text:
            return not value_shape(text).startswith("masked")
        return True
    return True


class DeletionStats:
    """One partition's marked rows, per marker column of its table."""

    def __init__(self, table: Table, grace: tuple[int, str], today: dt.date,
                 sampled: bool) -> None:
        self.names = [c.name for c in table.columns]
        self.markers = [i for i, c in enumerate(table.columns)
                        if is_marker(c.name, c.comment, table.name)]
        self.grace_days, self.grace_from = grace
        self.today = today
        self.sampled = sampled
        self.rows = 0
        self.counts = {i: {"live": 0, "deleted": 0, "timed": 0, "odd": 0,
                           "held": [0] * len(self.names), "past": [0] * len(self.names),
                           "oldest": [None] * len(self.names)} for i in self.markers}

    def add(self, rows: list[tuple[Any, ...]]) -> None:
        if not self.markers:
            return
        self.rows += len(rows)
        for row in rows:
            for m in self.markers:
                acc = self.counts[m]
                deleted, day = read_mark(row[m])
                if deleted is None:
                    acc["odd"] += 1
                    continue
                if not deleted:
                    acc["live"] += 1
                    continue
                acc["deleted"] += 1
                acc["timed"] += day is not None
                past = day is not None and (self.today - day).days > self.grace_days
                iso = day.isoformat() if day is not None else None
                for c, value in enumerate(row):
                    if c == m or not _holds(value):
                        continue
                    acc["held"][c] += 1
                    acc["past"][c] += past
                    if iso is not None and (acc["oldest"][c] is None or iso < acc["oldest"][c]):
                        acc["oldest"][c] = iso

    def result(self) -> dict[str, Any]:
        """The partial's ``deletion``: nothing for a table without markers."""
        if not self.markers:
            return {}
        columns = {}
        for m, acc in self.counts.items():
            columns[self.names[m]] = {
                **{k: acc[k] for k in ("live", "deleted", "timed", "odd")},
                **{k: dict(zip(self.names, acc[k], strict=True)) for k in ("held", "past")},
                "oldest": {n: d for n, d in zip(self.names, acc["oldest"], strict=True) if d},
            }
        return {"deletion": {"rows": self.rows, "sampled": self.sampled,
                             "grace_days": self.grace_days, "grace_from": self.grace_from,
                             "markers": columns}}


def _merged(parts: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for part in parts:
        for name, acc in part["markers"].items():
            into = out.setdefault(name, {"live": 0, "deleted": 0, "timed": 0, "odd": 0,
                                         "held": {}, "past": {}, "oldest": {}})
            for key in ("live", "deleted", "timed", "odd"):
                into[key] += acc[key]
            for key in ("held", "past"):
                for column, n in acc[key].items():
                    into[key][column] = into[key].get(column, 0) + n
            for column, day in acc["oldest"].items():
                if column not in into["oldest"] or day < into["oldest"][column]:
                    into["oldest"][column] = day
    return out


def _kind(name: str, acc: dict[str, Any]) -> str:
    """``timestamp`` when the marker dates its deletions, ``flag`` when it only says so; by
    its name when no row read is marked."""
    if acc["timed"]:
        return "timestamp"
    if acc["deleted"]:
        return "flag"
    return "timestamp" if set(tokens(name)) & _TIME_WORDS or "时间" in name else "flag"


def deletion_attributes(table: Table, got: list[dict[str, Any]],
                        pi_columns: set[str]) -> dict[str, dict[str, Any]]:
    """Marker column → the attributes its column fact gains: ``soft_delete`` (its counts over
    the rows read) and ``deleted_oldest`` (the oldest deletion of a row still holding PI).
    Only for a table holding PI; a flag is left out where a time marks the same table (the
    time says more); a column whose values are mostly no flag nor time is no marker."""
    parts = [g["deletion"] for g in got if g.get("deletion")]
    if not parts or not pi_columns:
        return {}
    rows = sum(p["rows"] for p in parts)
    first = parts[0]
    found: dict[str, dict[str, Any]] = {}
    for name, acc in sorted(_merged(parts).items()):
        seen = acc["live"] + acc["deleted"] + acc["odd"]
        if name in pi_columns or (seen and acc["odd"] > MAX_ODD_SHARE * seen):
            continue
        kind = _kind(name, acc)
        held = [acc["held"].get(c, 0) for c in pi_columns if c != name]
        past = [acc["past"].get(c, 0) for c in pi_columns if c != name]
        oldest = min((acc["oldest"][c] for c in pi_columns if c in acc["oldest"]), default=None)
        mark: dict[str, Any] = {
            "marker": kind, "rows_read": rows, "sampled": any(p["sampled"] for p in parts),
            "deleted_rows": acc["deleted"], "deleted_with_pi": max(held, default=0),
            "grace_days": first["grace_days"], "grace_from": first["grace_from"]}
        if kind == "timestamp":
            mark["past_grace_with_pi"] = max(past, default=0)
            mark["past_grace_estimate"] = (
                round(mark["past_grace_with_pi"] * table.row_estimate / rows)
                if mark["sampled"] and rows and table.row_estimate > rows
                else mark["past_grace_with_pi"])
        found[name] = {"soft_delete": mark, "deleted_oldest": oldest}
    if any(f["soft_delete"]["marker"] == "timestamp" for f in found.values()):
        found = {n: f for n, f in found.items() if f["soft_delete"]["marker"] == "timestamp"}
    return found


def add_deletion_facts(result: SourceResult, source: str, table: Table,
                       got: list[dict[str, Any]],
                       masked: Callable[[str | None], str | None]) -> None:
    """Give each marker column of a merged table its fact's ``soft_delete`` attributes (a
    new fact, its comment ``masked`` as a report may show it, when the column has none; the
    fact of a declared retention timestamp otherwise). The table's PI columns are those its
    items in ``result`` name."""
    if not any(g.get("deletion") for g in got):
        return
    where = table.location()

    def here(location: dict[str, Any]) -> bool:
        return all(location.get(k) == v for k, v in where.items())

    pi_columns = {i["location"]["column"] for i in result.inventory
                  if i["source"] == source and here(i["location"])}
    marked = deletion_attributes(table, got, pi_columns)
    existing = {f["location"]["column"]: f for f in result.facts
                if f["kind"] == "column" and f["source"] == source and here(f["location"])}
    for column in table.columns:
        if column.name in marked:
            fact = existing.get(column.name)
            if fact is None:
                fact = column_fact(source, table, column, None, None, masked(column.comment))
                result.facts.append(fact)
            fact["attributes"].update(marked[column.name])
