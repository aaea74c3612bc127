"""Timestamps found in log lines, for retention facts (CSL 21: logs kept ≥ 6 months; PIPL 19:
PI kept no longer than necessary).

Only the first timestamp of a line counts (where loggers put it), searched in the line's head
so a 100 MB line costs nothing, and only where a logger puts it: at the line's start, or
among its first few words outside quotes (nginx's ``1.2.3.4 - - [29/Nov/2024:…]``, Redis's
``12:M 29 Nov 2024 …``, logrus's ``time="…"``). A date further in or inside a quoted literal
(``WHERE create_time > '2020-01-01 00:00:00'`` in a MySQL slow log) is data, and dated the log
years back. Where most timestamped lines of a file start with their timestamp (or a
``# Time:`` header), the lines whose only date stands after a few words (a wrapped message,
a continuation) do not date it either (``MidLine``, ``TimeRange``).

A time written without a zone (``2024-11-29 10:00:00``, syslog, glog, ``2024年11月29日``) is
China Standard Time (``pia.clock.CHINA_TIME``, UTC+8), the clock of the organisations pia
audits, and is stored as the UTC instant it names: read as UTC, a Chinese log's lines were
dated eight hours late, after the scan and the file's last write, and fell on the wrong day
at the boundaries the retention rules count. A time with a zone is the instant it names: an
offset (``Z``, ``+08:00``, ``+0800``, PostgreSQL's ``+08``), ``UTC`` or ``GMT`` (PostgreSQL's
default ``%m`` writes ``2024-11-29 10:00:00.123 UTC``), or one of the abbreviations in
``ZONE_NAMES``, those that name one offset only. ``CST`` there is China Standard Time, as
PostgreSQL and Go write it for ``Asia/Shanghai`` on the servers pia audits; a US server's
Central time (UTC-6) that writes ``CST`` is read fourteen hours early (a day at most, where
retention counts months) and should log its offset. Other
abbreviations (``PST``: Pacific or Philippine; ``IST``: India, Ireland or Israel) are read
as if no zone were written. An epoch is an instant already. Syslog lines carry no year; it
comes from the file's mtime, as a year in Beijing (a December line in a file written in
January belongs to the year before).

Nothing in a file postdates its last write: a time more than a day (clock skew) after the
mtime, in any format, is data or a misconfigured clock, and does not date the log (a
``2099-01-01`` line made a directory's span 74 years).

A slash date with the year last (``11/29/2024 10:00:00 AM``, Windows and .NET in the US
locale; ``29/11/2024 10:00:00`` in the British one) is read only where it cannot be misread:
one of its first two numbers is above 12 and so the day. ``11/05/2024`` is 5 November in the
US and 11 May in Australia, and a 12-hour clock does not tell them apart (Windows writes
``AM``/``PM`` in both), so such a line does not date the log; the lines of days 13 to 31 do.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

from pia.clock import CHINA_TIME

#: characters at the start of a line searched for a timestamp
HEAD = 256
#: JSON fields whose number is an epoch (seconds or milliseconds)
EPOCH_FIELDS = ("ts", "time", "timestamp", "@timestamp", "time_local", "date", "datetime",
                "created_at", "logtime")
_MIN = datetime(1990, 1, 1, tzinfo=UTC)
_MAX = datetime(2100, 1, 1, tzinfo=UTC)
#: how far after the file's last write a time may stand (a clock set slightly wrong); checked
#: on a line's minute, so its seconds may pass it by a minute
_SKEW = timedelta(days=1)

#: zone abbreviations read as the offset they name (hours east of UTC): only those with one
#: meaning in logs; ``CST`` is China Standard Time (see the module's docstring)
ZONE_NAMES = {"UTC": 0, "GMT": 0, "CST": 8, "HKT": 8, "SGT": 8, "JST": 9, "KST": 9,
              "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3, "EST": -5, "EDT": -4}
#: a written zone, directly after the time or after a space: an offset of ±hh[[:]mm], UTC or
#: GMT with or without one (``GMT+08:00``), or a name of ``ZONE_NAMES``; else empty. Written
#: for the regex engine's cheap paths, the commonest case being no zone: an empty branch
#: rather than an optional group, a space never given back, branches opening with a literal.
_ZONE = (r"Z|\ ?+(?:[+-](?:0\d|1[0-4])(?::?[0-5]\d|(?!\d))"
         r"|(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?(?!\d))?(?![A-Za-z])"
         r"|(?:" + "|".join(sorted(ZONE_NAMES, key=len, reverse=True)) + r")(?![A-Za-z]))|")
_OFFSET = re.compile(r"([+-])(\d{1,2}?):?(\d{2})?")

_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}

# Each format is one alternative with its own group names; its seconds are group ``<x>s``,
# so that a match can be cut into its minute (parsed once, cached) and its seconds. Those that
# may stand anywhere in a line's head start with a digit or "[" (checked once per character:
# the search tries every position of a line that holds no timestamp).
#: 2024-11-29T10:00:00+08:00, 2024-11-29 10:00:00,123, 2024-11-29 10:00:00.123 UTC,
#: 2024/11/29 10:00:00, 2024/1/5 9:05:00 (.NET), 20241129 10:00:00 (compact: two-digit month
#: and day only); 2024年11月29日 10:00:00, 2024年11月29日10时05分00秒, 2024年11月29日 (a day
#: alone: its midnight)
_YMD = (
    r"(?<!\d)(?P<y>\d{4})(?:(?P<sep>[-/]?)(?P<mo>\d{1,2})(?P=sep)(?P<d>\d{1,2})[T ]"
    r"(?P<h>\d{1,2}):(?P<mi>\d{2}):(?P<s>\d{2})(?:[.,]\d+)?(?P<tz>" + _ZONE + r")"
    r"|年(?P<nmo>\d{1,2})月(?P<nd>\d{1,2})日"
    r"(?:\s?(?P<nh>\d{1,2})[:时](?P<nmi>\d{2})[:分](?P<ns>\d{2}))?)"
)
#: [29/Nov/2024:10:00:00 +0800] (common log format), 29-Nov-2024 10:00:00.123 (Tomcat),
#: 29 Nov 2024 10:00:00.123 (Redis); and sharing their first number (one search of it),
#: 11/29/2024 10:00:00 AM, 29/11/2024 10:00:00 (read where the day is above 12, see above)
_DMY = (
    r"(?<![\w/-])\[?(?P<cd>\d{1,2})"
    r"(?:/(?P<ub>\d{1,2})/(?P<uy>\d{4}) (?P<uh>\d{1,2}):(?P<umi>\d{2}):(?P<us>\d{2})(?:[.,]\d+)?"
    r"(?P<uap> ?[AaPp][Mm](?![A-Za-z]))?"
    r"|(?P<csep>[-/ ])(?P<cmo>[A-Za-z]{3})(?P=csep)(?P<cy>\d{4})"
    r"[: ](?P<ch>\d{2}):(?P<cmi>\d{2}):(?P<cs>\d{2})(?:[.,]\d+)?(?P<ctz>" + _ZONE + r"))"
)
# At a line's start only: syslog (Nov 29 10:00:00), glog/klog
# (I1129 10:00:00.123456  1234 main.cc:42], its unambiguous whole prefix: the level letter,
# six-digit microseconds, the thread id and file:line]), both without a year, which comes from
# the file's mtime; and epoch seconds or milliseconds, which only count where nothing else
# can be meant (see _EPOCH).
_SYSLOG = (
    r"(?:<\d+>)?(?P<smo>[A-Z][a-z]{2}) {1,2}(?P<sd>\d{1,2}) (?P<sh>\d{2}):(?P<smi>\d{2}):"
    r"(?P<ss>\d{2})"
)
_GLOG_HEAD = r"[IWEF](?P<gmo>[01]\d)(?P<gd>[0-3]\d) (?P<gh>\d{2}):(?P<gmi>\d{2}):(?P<gs>\d{2})"
_GLOG = _GLOG_HEAD + r"\.\d{6} +\d+ [^\s\]]+:\d+\]"
#: C's ctime with the year last: Apache's error_log ([Fri Nov 29 10:00:00.123456 2024]),
#: Python's asctime(), date(1) (Fri Nov 29 10:00:00 CST 2024), at a line's start only
_CTIME = (
    r"\[?(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?P<wmo>[A-Z][a-z]{2}) {1,2}(?P<wd>\d{1,2}) "
    r"(?P<wh>\d{2}):(?P<wmi>\d{2}):(?P<ws>\d{2})(?:\.\d+)?(?P<wtz>" + _ZONE + r") "
    r"(?P<wy>\d{4})(?!\d)"
)
#: 1732845600.123 (Squid), or 10/13 digits followed by a level or a bracket
#: (1732845600000 INFO ..., 1732845600 [main] ...): a bare number at a line's start is as
#: likely an id as a time, and a wrong oldest time would claim years of retention
_EPOCH = (
    r"\[?(?P<ep>1\d{9}(?:(?P<efrac>\.\d{3,6})|(?P<ems>\d{3}))?)\]?"
    r"(?(efrac)(?=[ \t|,;])|[ \t|,;]+(?=\[|(?i:trace|debug|info|warn|warning|error|fatal"
    r"|notice|crit|critical)\b))"
)
_ANY = re.compile(f"(?=[\\d\\[])(?:{_YMD}|{_DMY})|^(?:{_SYSLOG}|{_CTIME}|{_GLOG}|{_EPOCH})",
                  re.MULTILINE)
#: what ``_minute`` parses: a match cut after its minute, seconds "00" and what follows them
#: (a zone, AM/PM, ctime's year)
_MINUTE = re.compile(f"{_YMD}|{_DMY}|{_SYSLOG}|{_CTIME}|{_GLOG_HEAD}")
#: the alternatives above, by the group their seconds are in
_SECOND_GROUPS = ("s", "cs", "ss", "gs", "ws", "us", "ns")  # the commonest first


#: the zone of a time written without one
NAIVE_ZONE = CHINA_TIME

#: words a line may hold before a timestamp that still stands where loggers put one
#: (``1.2.3.4 - - [`` of nginx's access log is four)
HEAD_WORDS = 6
#: what may stand before a line's *leading* timestamp: NULs, brackets, a quote (a CSV's first
#: field), a syslog priority and RFC 5424 version, MySQL slow log's ``# Time:`` header
_LEADING = re.compile(r"[\x00\s\[(\"]*(?:<\d{1,3}>(?:1 )?|#\s*Time:\s*)?")
#: a quoted date that is the value of a time field: JSON or a Python dict (``"ts": "``,
#: ``'time': '``), logrus and logfmt (``time="``); a wrapped log line (``{"log":"2024-…``);
#: a CSV field (``1,"张三","2024-…``)
_TIME_KEY = re.compile(
    r"""(?i)(?:(["'])(?:@?timestamp|@?t|ts|time|date|datetime|logtime|log_?time|time_?local"""
    r"""|time_?iso8601|asctime|event_?time|created_at|log|msg|message)\1\s*:\s*["']"""
    r"""|(?<![\w"'])(?:time|ts|t|timestamp|date)="|[,\t;|]")$""")
#: where a timestamp stands (``_place``)
_LEAD, _MID = 0, 1


class MidLine(datetime):
    """A timestamp found after a line's first words (nginx's ``[time]`` after the client's
    address, Redis's after ``pid:role``, a continuation line): ``TimeRange`` lets it date
    the log only where most timestamped lines do not start with theirs. Equal to, and
    ordered with, the plain ``datetime`` it names."""

    __slots__ = ()


def _place(prefix: str) -> int | None:
    """Where a timestamp after ``prefix`` (its line's start, not empty) stands: ``_LEAD``,
    ``_MID``, or None where no logger puts its timestamp (inside a quoted literal, or many
    words in)."""
    if prefix[0] in "\x00 \t[(\"<#" and _LEADING.fullmatch(prefix):
        return _LEAD
    if ('"' in prefix or "'" in prefix) and (prefix.count('"') % 2 or prefix.count("'") % 2):
        return _MID if _TIME_KEY.search(prefix) else None  # inside a quoted string
    return _MID if len(prefix.split(None, HEAD_WORDS)) <= HEAD_WORDS else None


def _tz(text: str | None) -> timezone:
    """The zone a ``_ZONE`` match names (parsed once a minute: ``_minute`` caches)."""
    if not text:
        return NAIVE_ZONE
    text = text.lstrip()
    if text == "Z":
        return UTC
    if text in ZONE_NAMES:
        return timezone(timedelta(hours=ZONE_NAMES[text]))
    offset = _OFFSET.fullmatch(text, 3 if text[:3] in ("UTC", "GMT") else 0)
    if offset is None:
        return UTC  # UTC or GMT alone
    sign = -1 if offset[1] == "-" else 1
    return timezone(sign * timedelta(hours=int(offset[2]), minutes=int(offset[3] or 0)))


def _checked(value: datetime, mtime: datetime) -> datetime | None:
    """``value`` in UTC, or None when it is implausible or after the file's last write."""
    value = value.astimezone(UTC)
    return value if _MIN <= value < _MAX and value <= mtime + _SKEW else None


def _us(m: re.Match[str]) -> datetime:
    """A slash date with the year last, where one of its first two numbers is a day above 12
    (``ValueError`` otherwise: the others name two days)."""
    first, second = int(m["cd"]), int(m["ub"])
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first:
        month, day = first, second
    else:
        raise ValueError("ambiguous day and month")
    hour = int(m["uh"])
    if m["uap"]:
        if not 1 <= hour <= 12:
            raise ValueError("not a 12-hour clock")
        hour = hour % 12 + (12 if m["uap"].strip().upper() == "PM" else 0)
    return datetime(int(m["uy"]), month, day, hour, int(m["umi"]), int(m["us"]),
                    tzinfo=NAIVE_ZONE)


def _no_year(month: int, day: int, h: str, mi: str, s: str, mtime: datetime) -> datetime:
    """A time without a year or zone (syslog, glog): the year the file's mtime falls in, in
    Beijing, or the year before when that puts it after the mtime (a December line in a file
    written in January)."""
    year = mtime.astimezone(NAIVE_ZONE).year
    value = datetime(year, month, day, int(h), int(mi), int(s), tzinfo=NAIVE_ZONE)
    if value > mtime + _SKEW:
        value = value.replace(year=year - 1)
    return value


def _from_match(m: re.Match[str], mtime: datetime) -> datetime | None:
    try:
        if m.group("nmo"):
            value = datetime(int(m["y"]), int(m["nmo"]), int(m["nd"]), int(m["nh"] or 0),
                             int(m["nmi"] or 0), int(m["ns"] or 0), tzinfo=NAIVE_ZONE)
        elif m.group("y"):
            if not m["sep"] and (len(m["mo"]) != 2 or len(m["d"]) != 2):
                return None  # 2024119 is not a date
            value = datetime(int(m["y"]), int(m["mo"]), int(m["d"]), int(m["h"]), int(m["mi"]),
                             int(m["s"]), tzinfo=_tz(m["tz"]))
        elif m.group("cy"):
            value = _month_named(m, "c")
        elif m.group("smo"):
            month = _MONTHS.get(m["smo"].lower())
            if month is None:
                return None
            value = _no_year(month, int(m["sd"]), m["sh"], m["smi"], m["ss"], mtime)
        elif m.group("gmo"):
            value = _no_year(int(m["gmo"]), int(m["gd"]), m["gh"], m["gmi"], m["gs"], mtime)
        elif m.group("wmo"):
            value = _month_named(m, "w")
        elif m.group("uy"):
            value = _us(m)
        else:
            return _epoch(m["ep"], bool(m["ems"]), mtime)
    except ValueError:
        return None
    return None if value is None else _checked(value, mtime)


def _month_named(m: re.Match[str], p: str) -> datetime | None:
    """A date whose month is a name and which has a year (Tomcat, common log format, ctime):
    its groups are named ``p`` and the part (``cmo``, ``cy``...)."""
    month = _MONTHS.get(m[p + "mo"].lower())
    if month is None:
        return None
    return datetime(int(m[p + "y"]), month, int(m[p + "d"]), int(m[p + "h"]), int(m[p + "mi"]),
                    int(m[p + "s"]), tzinfo=_tz(m[p + "tz"]))


def _epoch(text: str, millis: bool, mtime: datetime) -> datetime | None:
    """An epoch at a line's start (whole seconds, as the other formats)."""
    seconds = int(text) // 1000 if millis else int(text.partition(".")[0])
    return _checked(datetime.fromtimestamp(seconds, UTC), mtime)


def find_timestamp(line: str, mtime: datetime) -> datetime | None:
    """The first timestamp in the head of ``line`` (one without a zone read in Beijing), or
    None. A leading run of NULs (the hole ``copytruncate`` leaves) is skipped."""
    if line.startswith("\x00"):
        line = line.lstrip("\x00")
    m = _ANY.search(line, 0, HEAD)
    if m is None:
        return None
    start = m.start()
    place = _LEAD if start == 0 else _place(line[:start])
    return None if place is None else _parsed(m, line, start, mtime, place)


#: the first timestamp of each line of a text, found with one search (``find_timestamps``)
_LINE_HEADS = re.compile(f"^\\x00*[^\\n]{{0,{HEAD - 1}}}?(?P<ts>{_ANY.pattern})", re.MULTILINE)


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
            line_start, start = m.start(), m.start("ts")
            if start == line_start or (start == line_start + 1 and text[line_start] == "["):
                place: int | None = _LEAD
            else:
                place = _place(text[line_start:start])
                if place is None:
                    continue
            value = _parsed(m, text, start, mtime, place)
        else:
            end = text.find("\n", m.end())
            value = find_timestamp(text[m.start():end if end >= 0 else len(text)], mtime)
        if value is not None:
            found.append(value)
    return found


def _parsed(m: re.Match[str], text: str, start: int, mtime: datetime,
            place: int) -> datetime | None:
    """The timestamp ``m`` found at ``text[start:]``, a ``MidLine`` when ``place`` says so;
    each minute is parsed once (busy logs write thousands of lines a minute), and the
    seconds are added to it."""
    for group in _SECOND_GROUPS:
        at = m.start(group)
        if at >= 0:
            break
    else:  # an epoch, or a Chinese date without a time: nothing to cache
        value = _from_match(m, mtime)
        return _mid(value) if place == _MID and value is not None else value
    if group == "s":
        tail = m["tz"] or ""
    elif group == "cs":
        tail = m["ctz"] or ""
    elif group == "ws":
        tail = (m["wtz"] or "") + " " + m["wy"]
    elif group == "us":
        tail = m["uap"] or ""
    else:
        tail = ""
    minute = text[start:at] + "00" + tail
    second = int(m[group])
    if second > 59:
        return None
    if place == _MID:  # a MidLine's arithmetic makes a new one in Python: each is made once
        cached = _mid_minute(minute, mtime)
        if cached is None:
            return None
        value = cached[second]
        if value is None:
            value = cached[second] = _mid(cached[60] + _SECONDS[second])
        return value
    base = _minute(minute, mtime)
    return None if base is None else base + _SECONDS[second]


_SECONDS = [timedelta(seconds=s) for s in range(60)]


@lru_cache(maxsize=4096)
def _minute(text: str, mtime: datetime) -> datetime | None:
    match = _MINUTE.match(text)
    return _from_match(match, mtime) if match else None


@lru_cache(maxsize=4096)
def _mid_minute(text: str, mtime: datetime) -> list[datetime | None] | None:
    """The ``MidLine`` of each second of the minute ``text`` names, made when first asked
    for, and the minute itself (at 60)."""
    base = _minute(text, mtime)
    return None if base is None else [None] * 60 + [base]


def _mid(value: datetime) -> MidLine:
    return MidLine.combine(value.date(), value.timetz())


def epoch_or_text(value: object, mtime: datetime) -> datetime | None:
    """A timestamp from a JSON field value: epoch seconds/milliseconds or a timestamp string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return _checked(datetime.fromtimestamp(seconds, UTC), mtime)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        if value.isdigit() and len(value) in (10, 13):
            return epoch_or_text(int(value), mtime)
        found = find_timestamp(value, mtime)
        if type(found) is MidLine:  # a time field's value dates its line wherever it stands
            return datetime.combine(found.date(), found.timetz())
        return found
    return None


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class _Span:
    __slots__ = ("oldest", "newest", "lines")

    def __init__(self) -> None:
        self.oldest: datetime | None = None
        self.newest: datetime | None = None
        self.lines = 0

    def seen(self, oldest: datetime, newest: datetime, lines: int) -> None:
        self.lines += lines
        if self.oldest is None or oldest < self.oldest:
            self.oldest = oldest
        if self.newest is None or newest > self.newest:
            self.newest = newest


class TimeRange:
    """Oldest and newest timestamps seen, how many lines were looked at and how many carried
    one.

    Timestamps at a line's start and ``MidLine`` ones are kept apart: where the first are
    most of the lines, the log's span is theirs alone (a Java or Kafka log's wrapped message
    naming an old date, a MySQL slow log's ``# Time:`` headers around SQL); otherwise
    (nginx, Redis: every line's time stands after a word or more) all count.
    """

    __slots__ = ("_leading", "_mid", "checked")

    def __init__(self) -> None:
        self._leading = _Span()
        self._mid = _Span()
        self.checked = 0  # lines looked at

    def add_many(self, values: list[datetime], checked: int) -> None:
        """``checked`` lines looked at, of which ``values`` are the timestamps found."""
        self.checked += checked
        if not values:
            return
        mid = [v for v in values if type(v) is MidLine]
        if mid:
            self._mid.seen(min(mid), max(mid), len(mid))
            if len(mid) == len(values):
                return
            values = [v for v in values if type(v) is not MidLine]
        self._leading.seen(min(values), max(values), len(values))

    def add(self, value: datetime | None) -> None:
        self.checked += 1
        if value is not None:
            (self._mid if type(value) is MidLine else self._leading).seen(value, value, 1)

    @property
    def lines(self) -> int:
        """Lines that carried a timestamp, wherever it stood."""
        return self._leading.lines + self._mid.lines

    def span(self) -> tuple[datetime | None, datetime | None]:
        """The oldest and newest timestamps that date the log."""
        leading, mid = self._leading, self._mid
        if leading.lines > mid.lines or mid.oldest is None:
            return leading.oldest, leading.newest
        if leading.oldest is None or leading.newest is None or mid.newest is None:
            return mid.oldest, mid.newest
        return min(leading.oldest, mid.oldest), max(leading.newest, mid.newest)

    def as_json(self) -> dict[str, object]:
        oldest, newest = self.span()
        return {"oldest": iso(oldest), "newest": iso(newest), "lines": self.lines,
                "checked": self.checked}
