"""Timestamps found in log lines, for retention facts (CSL 21: logs kept ≥ 6 months; PIPL 19:
PI kept no longer than necessary).

Only the first timestamp of a line counts (where loggers put it), searched in the line's head
so a 100 MB line costs nothing. Naive times are taken as UTC: the rules compare spans of
months, where a time-zone offset does not matter. Syslog lines carry no year; it comes from
the file's mtime (a December line in a file written in January belongs to the year before).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

#: characters at the start of a line searched for a timestamp
HEAD = 256
#: JSON fields whose number is an epoch (seconds or milliseconds)
EPOCH_FIELDS = ("ts", "time", "timestamp", "@timestamp", "time_local", "date", "datetime",
                "created_at", "logtime")
_MIN = datetime(1990, 1, 1, tzinfo=UTC)
_MAX = datetime(2100, 1, 1, tzinfo=UTC)

_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}

_ISO = (
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})[T ](?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})"
    r"(?:[.,]\d+)?(?P<tz>Z|[+-]\d{2}:?\d{2})?"
)
_CLF = (
    r"\[(?P<cd>\d{2})/(?P<cmo>[A-Za-z]{3})/(?P<cy>\d{4}):(?P<ch>\d{2}):(?P<cmi>\d{2}):"
    r"(?P<cs>\d{2})(?: (?P<ctz>[+-]\d{4}))?\]"
)
_SYSLOG = (
    r"^(?:<\d+>)?(?P<smo>[A-Z][a-z]{2}) {1,2}(?P<sd>\d{1,2}) (?P<sh>\d{2}):(?P<smi>\d{2}):"
    r"(?P<ss>\d{2})"
)
_ANY = re.compile(f"(?<!\\d){_ISO}|{_CLF}|{_SYSLOG}")


def _tz(text: str | None) -> timezone:
    if not text or text == "Z":
        return UTC
    text = text.replace(":", "")
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * timedelta(hours=int(text[1:3]), minutes=int(text[3:5])))


def _checked(value: datetime) -> datetime | None:
    value = value.astimezone(UTC)
    return value if _MIN <= value < _MAX else None


def _from_match(m: re.Match[str], mtime: datetime) -> datetime | None:
    try:
        if m.group("y"):
            value = datetime(int(m["y"]), int(m["mo"]), int(m["d"]), int(m["h"]), int(m["mi"]),
                             int(m["s"]), tzinfo=_tz(m["tz"]))
        elif m.group("cy"):
            month = _MONTHS.get(m["cmo"].lower())
            if month is None:
                return None
            value = datetime(int(m["cy"]), month, int(m["cd"]), int(m["ch"]), int(m["cmi"]),
                             int(m["cs"]), tzinfo=_tz(m["ctz"]))
        else:
            month = _MONTHS.get(m["smo"].lower())
            if month is None:
                return None
            value = datetime(mtime.year, month, int(m["sd"]), int(m["sh"]), int(m["smi"]),
                             int(m["ss"]), tzinfo=UTC)
            if value > mtime + timedelta(days=1):
                value = value.replace(year=mtime.year - 1)
    except ValueError:
        return None
    return _checked(value)


def find_timestamp(line: str, mtime: datetime) -> datetime | None:
    """The first timestamp in the head of ``line`` (UTC), or None."""
    m = _ANY.search(line, 0, HEAD)
    return None if m is None else _parsed(m, line, m.start(), mtime)


#: the first timestamp of each line of a text, found with one search (``find_timestamps``)
_LINE_HEADS = re.compile(f"^[^\\n]{{0,{HEAD - 1}}}?(?P<ts>{_ANY.pattern})", re.MULTILINE)


def find_timestamps(lines: list[str], mtime: datetime) -> list[datetime]:
    """``find_timestamp`` of every line (lines without newlines), the Nones left out.

    A log holds about ten thousand lines per MiB: one search over the joined lines costs a
    fraction of a search and a Python call per line. A line's first timestamp is the one
    after the shortest prefix; when it does not end inside the head (a fraction of a second
    running past it), that line is searched on its own, exactly as ``find_timestamp`` does.
    """
    text = "\n".join(lines)
    found = []
    for m in _LINE_HEADS.finditer(text):
        if m.end() - m.start() <= HEAD:
            value = _parsed(m, text, m.start("ts"), mtime)
        else:
            end = text.find("\n", m.end())
            value = find_timestamp(text[m.start():end if end >= 0 else len(text)], mtime)
        if value is not None:
            found.append(value)
    return found


def _parsed(m: re.Match[str], text: str, start: int, mtime: datetime) -> datetime | None:
    """The timestamp ``m`` found at ``text[start:]``; each minute is parsed once (busy logs
    write thousands of lines a minute), and the seconds are added to it."""
    if m.start("s") >= 0:
        minute, seconds, tail = text[start:m.start("s")], m["s"], m["tz"] or ""
    elif m.start("cs") >= 0:
        minute, seconds = text[start:m.start("cs")], m["cs"]
        tail = (" " + m["ctz"] if m["ctz"] else "") + "]"
    else:
        minute, seconds, tail = text[start:m.start("ss")], m["ss"], ""
    base = _minute(minute + "00" + tail, mtime)
    second = int(seconds)
    if base is None or second > 59:
        return None
    return base + _SECONDS[second]


_SECONDS = [timedelta(seconds=s) for s in range(60)]


@lru_cache(maxsize=4096)
def _minute(text: str, mtime: datetime) -> datetime | None:
    match = _ANY.match(text)
    return _from_match(match, mtime) if match else None


def epoch_or_text(value: object, mtime: datetime) -> datetime | None:
    """A timestamp from a JSON field value: epoch seconds/milliseconds or a timestamp string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return _checked(datetime.fromtimestamp(seconds, UTC))
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        if value.isdigit() and len(value) in (10, 13):
            return epoch_or_text(int(value), mtime)
        return find_timestamp(value, mtime)
    return None


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class TimeRange:
    """Oldest and newest timestamps seen, how many lines were looked at and how many carried
    one."""

    __slots__ = ("oldest", "newest", "lines", "checked")

    def __init__(self) -> None:
        self.oldest: datetime | None = None
        self.newest: datetime | None = None
        self.lines = 0  # lines that carried a timestamp
        self.checked = 0  # lines looked at

    def add_many(self, values: list[datetime], checked: int) -> None:
        """``checked`` lines looked at, of which ``values`` are the timestamps found."""
        self.checked += checked
        if values:
            self._seen(min(values), max(values), len(values))

    def add(self, value: datetime | None) -> None:
        self.checked += 1
        if value is not None:
            self._seen(value, value, 1)

    def _seen(self, oldest: datetime, newest: datetime, lines: int) -> None:
        self.lines += lines
        if self.oldest is None or oldest < self.oldest:
            self.oldest = oldest
        if self.newest is None or newest > self.newest:
            self.newest = newest

    def as_json(self) -> dict[str, object]:
        return {"oldest": iso(self.oldest), "newest": iso(self.newest), "lines": self.lines,
                "checked": self.checked}
